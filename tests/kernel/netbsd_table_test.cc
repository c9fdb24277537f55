// The NetBSD tables: every implementation names a call of the table (a
// typo would leave it unreachable), and docs/netbsd-syscalls.md is what
// `crossrt syscalls --markdown --os netbsd` prints.
#include "kernel/netbsd/table.h"

#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace crossrt::kernel {
namespace {

TEST(NetbsdSyscallTables, EveryImplementationNamesARealCall) {
    std::set<std::string_view> names;
    std::set<u64> numbers;
    for (const nbsd::SyscallName& name : nbsd::syscall_names()) {
        EXPECT_TRUE(names.insert(name.name).second) << name.name;
        EXPECT_TRUE(numbers.insert(name.number).second) << name.number;
    }
    for (const nbsd::Implementation& implementation : nbsd::implementations())
        EXPECT_TRUE(names.count(implementation.name) == 1) << implementation.name;
    auto table = nbsd::make_syscall_table(Arch::arm);
    ASSERT_NE(table->find(478), nullptr);
    EXPECT_EQ(table->find(478)->name, "___lwp_park60");
    EXPECT_NE(table->find(478)->handler, nullptr);
}

// Regenerate with
// `build/bin/crossrt syscalls --markdown --os netbsd > docs/netbsd-syscalls.md`.
TEST(NetbsdSyscallTables, DocsAreUpToDate) {
    std::ifstream file(std::string(CROSSRT_TEST_SOURCE_DIR) + "/docs/netbsd-syscalls.md");
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_EQ(text.str(), nbsd::compatibility_markdown());
}

} // namespace
} // namespace crossrt::kernel
