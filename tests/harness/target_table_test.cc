#include "target/target.h"

#include <gtest/gtest.h>

namespace crossrt {
namespace {

TEST(TargetTable, ParsesColumnsCommentsAndNone) {
    auto targets =
        parse_target_table("# comment line\n"
                           "\n"
                           "amd64  linux  x86_64-linux-gnu  qemu-x86_64  x86  64  -m64\n"
                           "arm netbsd arm--netbsdelf - arm arm -march=armv7-a;-marm # tail\n");
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_EQ(targets[0].name(), "amd64-linux");
    EXPECT_EQ(targets[0].triple, "x86_64-linux-gnu");
    EXPECT_EQ(targets[0].qemu, "qemu-x86_64");
    EXPECT_EQ(targets[0].unicorn_mode, "64");
    EXPECT_EQ(targets[0].cflags, std::vector<std::string>{"-m64"});
    EXPECT_EQ(targets[1].name(), "arm-netbsd");
    EXPECT_EQ(targets[1].qemu, "");
    EXPECT_EQ(targets[1].cflags, (std::vector<std::string>{"-march=armv7-a", "-marm"}));
}

TEST(TargetTable, DashCflagsMeansNone) {
    auto targets = parse_target_table("386 linux i686-linux-gnu qemu-i386 x86 32 -\n");
    ASSERT_EQ(targets.size(), 1u);
    EXPECT_TRUE(targets[0].cflags.empty());
}

TEST(TargetTable, WrongColumnCountNamesTheLine) {
    try {
        parse_target_table("# x\namd64 linux x86_64-linux-gnu\n");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("targets.tsv:2:"), std::string::npos)
            << error.what();
    }
}

TEST(TargetTable, DuplicateTargetIsAnError) {
    EXPECT_THROW(parse_target_table("arm linux a q u m -\narm linux b q u m -\n"),
                 std::runtime_error);
}

TEST(TargetTable, BuiltinTableHasTheProjectTargets) {
    const auto& targets = builtin_targets();
    ASSERT_FALSE(targets.empty());
    EXPECT_NE(find_target(targets, "amd64", "linux"), nullptr);
    EXPECT_NE(find_target(targets, "arm", "linux"), nullptr);
    EXPECT_EQ(find_target(targets, "mips", "linux"), nullptr);
}

} // namespace
} // namespace crossrt
