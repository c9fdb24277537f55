#include "fake_os.h"
#include "rt/print.h"

#include <gtest/gtest.h>
#include <string>

namespace {

class Print : public ::testing::Test {
protected:
    void SetUp() override { fake_os::reset(); }
};

TEST_F(Print, MixedArgumentsInOneWrite) {
    rt::println("n=", 42, " neg=", -7, " ok=", true, " h=", rt::Hex{255});
    EXPECT_EQ(fake_os::written(1), "n=42 neg=-7 ok=true h=0xff\n");
    EXPECT_EQ(fake_os::written(2), "");
}

TEST_F(Print, ErrorsGoToFd2) {
    rt::eprintln("fatal error: ", "x");
    EXPECT_EQ(fake_os::written(2), "fatal error: x\n");
    EXPECT_EQ(fake_os::written(1), "");
}

TEST_F(Print, PointersInHex) {
    rt::print(reinterpret_cast<const void*>(0x1000));
    EXPECT_EQ(fake_os::written(1), "0x1000");
}

TEST_F(Print, LongMessagesAreWrittenWhole) {
    std::string long_text(1500, 'a');
    long_text[1499] = 'z';
    rt::fprint(2, long_text.c_str(), "!");
    EXPECT_EQ(fake_os::written(2), long_text + "!");
}

} // namespace
