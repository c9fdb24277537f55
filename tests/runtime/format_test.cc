#include "rt/format.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <string>

namespace {

std::string fmt_uint(rt::uint64 v, unsigned base) {
    char buf[rt::kFormatMax];
    char* end = buf + sizeof(buf);
    return std::string(rt::format_uint(end, v, base), end);
}

std::string fmt_int(rt::int64 v) {
    char buf[rt::kFormatMax];
    char* end = buf + sizeof(buf);
    return std::string(rt::format_int(end, v), end);
}

TEST(Format, UnsignedDecimal) {
    EXPECT_EQ(fmt_uint(0, 10), "0");
    EXPECT_EQ(fmt_uint(7, 10), "7");
    EXPECT_EQ(fmt_uint(1234567890, 10), "1234567890");
    EXPECT_EQ(fmt_uint(std::numeric_limits<rt::uint64>::max(), 10), "18446744073709551615");
}

TEST(Format, UnsignedOtherBases) {
    EXPECT_EQ(fmt_uint(255, 16), "ff");
    EXPECT_EQ(fmt_uint(0xdeadbeef, 16), "deadbeef");
    EXPECT_EQ(fmt_uint(5, 2), "101");
    EXPECT_EQ(fmt_uint(std::numeric_limits<rt::uint64>::max(), 2), std::string(64, '1'));
}

TEST(Format, BadBaseFallsBackToDecimal) {
    EXPECT_EQ(fmt_uint(42, 1), "42");
    EXPECT_EQ(fmt_uint(42, 17), "42");
}

TEST(Format, Signed) {
    EXPECT_EQ(fmt_int(0), "0");
    EXPECT_EQ(fmt_int(-1), "-1");
    EXPECT_EQ(fmt_int(42), "42");
    EXPECT_EQ(fmt_int(std::numeric_limits<rt::int64>::min()), "-9223372036854775808");
    EXPECT_EQ(fmt_int(std::numeric_limits<rt::int64>::max()), "9223372036854775807");
}

} // namespace
