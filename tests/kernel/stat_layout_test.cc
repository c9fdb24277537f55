// Linux's stat structures as the kernel writes them (linux/stat_linux.h),
// checked against each target toolchain's own headers: the probe
// (guests/stat_offsets.c, built static per arch) prints where its libc puts
// each field, run under the unicorn kernel, and every field of the encoded
// structure must hold its value there, at the width that arch gives it.
#include "guest_command.h"
#include "kernel/linux/stat_linux.h"
#include "kernel_test_support.h"

#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <sys/wait.h>

namespace {

using crossrt::kernel::Arch;
using crossrt::kernel::u64;
using crossrt::kernel::u8;
using crossrt::kernel::posix::FileStat;
using crossrt::kernel::test::CommandOutput;
using crossrt::kernel::test::run_command;
using crossrt::kernel::test::unicorn_guest_command;

namespace fs = std::filesystem;

struct Param {
    const char* name;
    Arch arch;
};

u64 read_le(const std::vector<u8>& bytes, std::size_t offset, std::size_t width) {
    u64 value = 0;
    std::memcpy(&value, bytes.data() + offset, width);
    return value;
}

// Every field its own value, so that a field at the wrong offset shows.
FileStat sample() {
    FileStat stat;
    stat.dev = 0x2a;
    stat.ino = 0x1234567;
    stat.nlink = 3;
    stat.mode = 0100644;
    stat.uid = 1000;
    stat.gid = 1001;
    stat.rdev = 0x505;
    stat.size = 0x123456;
    stat.blksize = 4096;
    stat.blocks = 0x919;
    stat.atime = {1700000001, 11};
    stat.mtime = {1700000002, 22};
    stat.ctime = {1700000003, 33};
    return stat;
}

class StatLayoutTest : public ::testing::TestWithParam<Param> {
protected:
    // "stat.st_mode" -> 16, from the probe run under the unicorn kernel.
    std::map<std::string, std::size_t> offsets() {
        fs::path probe =
            fs::path(CROSSRT_PROBE_DIR) / (std::string("stat_offsets-") + GetParam().name);
        if (!fs::exists(probe))
            return {};
        CommandOutput result =
            run_command("env -i " + unicorn_guest_command({}, probe) + " 2>/dev/null");
        EXPECT_TRUE(WIFEXITED(result.status) && WEXITSTATUS(result.status) == 0) << result.out;
        std::map<std::string, std::size_t> found;
        std::istringstream lines(result.out);
        std::string name;
        std::size_t offset = 0;
        while (lines >> name >> offset)
            found[name] = offset;
        return found;
    }
};

TEST_P(StatLayoutTest, StatFieldsLieWhereTheTargetsLibcReadsThem) {
    auto at = offsets();
    if (at.empty())
        GTEST_SKIP() << "no compiler for " << GetParam().name << ": probe not built";
    bool wide = GetParam().arch == Arch::amd64; // 64-bit words where 32-bit ones have 32
    std::size_t word = wide ? 8 : 4;
    FileStat stat = sample();
    std::vector<u8> bytes = crossrt::kernel::lnx::encode_stat(stat, GetParam().arch);
    EXPECT_EQ(bytes.size(), at["stat.size"]);
    struct Field {
        const char* name;
        std::size_t width;
        u64 value;
    };
    for (const Field& field :
         {Field{"st_dev", 8, stat.dev}, Field{"st_ino", 8, stat.ino},
          Field{"st_mode", 4, stat.mode}, Field{"st_nlink", word, stat.nlink},
          Field{"st_uid", 4, stat.uid}, Field{"st_gid", 4, stat.gid},
          Field{"st_rdev", 8, stat.rdev}, Field{"st_size", 8, static_cast<u64>(stat.size)},
          Field{"st_blksize", word, static_cast<u64>(stat.blksize)},
          Field{"st_blocks", 8, static_cast<u64>(stat.blocks)},
          Field{"st_atim", word, static_cast<u64>(stat.atime.sec)},
          Field{"st_mtim", word, static_cast<u64>(stat.mtime.sec)},
          Field{"st_ctim", word, static_cast<u64>(stat.ctime.sec)}}) {
        std::string key = std::string("stat.") + field.name;
        ASSERT_EQ(at.count(key), 1u) << key;
        EXPECT_EQ(read_le(bytes, at[key], field.width), field.value)
            << GetParam().name << " " << key;
    }
    // The nanoseconds follow each seconds field.
    EXPECT_EQ(read_le(bytes, at["stat.st_mtim"] + word, word), 22u);
}

TEST_P(StatLayoutTest, StatxFieldsLieWhereTheTargetsLibcReadsThem) {
    auto at = offsets();
    if (at.empty())
        GTEST_SKIP() << "no compiler for " << GetParam().name << ": probe not built";
    FileStat stat = sample();
    std::vector<u8> bytes = crossrt::kernel::lnx::encode_statx(stat);
    EXPECT_EQ(bytes.size(), at["statx.size"]);
    EXPECT_EQ(read_le(bytes, at["statx.stx_mask"], 4), crossrt::kernel::lnx::kStatxBasicStats);
    EXPECT_EQ(read_le(bytes, at["statx.stx_mode"], 2), stat.mode);
    EXPECT_EQ(read_le(bytes, at["statx.stx_nlink"], 4), stat.nlink);
    EXPECT_EQ(read_le(bytes, at["statx.stx_uid"], 4), stat.uid);
    EXPECT_EQ(read_le(bytes, at["statx.stx_gid"], 4), stat.gid);
    EXPECT_EQ(read_le(bytes, at["statx.stx_ino"], 8), stat.ino);
    EXPECT_EQ(read_le(bytes, at["statx.stx_size"], 8), static_cast<u64>(stat.size));
    EXPECT_EQ(read_le(bytes, at["statx.stx_blocks"], 8), static_cast<u64>(stat.blocks));
    EXPECT_EQ(read_le(bytes, at["statx.stx_mtime"], 8), static_cast<u64>(stat.mtime.sec));
    EXPECT_EQ(read_le(bytes, at["statx.stx_mtime"] + 8, 4), 22u);
    EXPECT_EQ(read_le(bytes, at["statx.stx_ctime"], 8), static_cast<u64>(stat.ctime.sec));
    EXPECT_EQ(read_le(bytes, at["statx.stx_dev_minor"], 4), 0x2au);
    EXPECT_EQ(read_le(bytes, at["statx.stx_dev_major"], 4), 0u);
}

INSTANTIATE_TEST_SUITE_P(Linux, StatLayoutTest,
                         ::testing::Values(Param{"amd64", Arch::amd64}, Param{"386", Arch::i386},
                                           Param{"arm", Arch::arm}),
                         [](const auto& param) { return std::string(param.param.name); });

} // namespace
