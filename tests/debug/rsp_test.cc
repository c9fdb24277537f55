// The remote protocol's framing (debug/rsp.h): checksums, escapes, packets
// split across reads, acknowledgements and ^C.
#include "debug/rsp.h"

#include <gtest/gtest.h>

namespace crossrt::debug {
namespace {

TEST(RspFraming, APacketIsItsPayloadAndTheChecksumModulo256) {
    EXPECT_EQ(frame_packet("OK"), "$OK#9a"); // 'O' 0x4f + 'K' 0x4b = 0x9a
    EXPECT_EQ(frame_packet(""), "$#00");
}

TEST(RspFraming, DollarHashBraceAndStarAreEscaped) {
    // '}' then the byte xor 0x20; the checksum is over what is sent.
    EXPECT_EQ(frame_packet("a#b"), "$a}\x03"
                                   "b#43");
    EXPECT_EQ(frame_packet("$}*"), "$}\x04}]}\x0a#e2");
}

TEST(RspReader, APacketSplitAcrossReadsComesOutWhole) {
    PacketReader reader;
    reader.feed("+$qSupp");
    auto ack = reader.next();
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->kind, Incoming::Kind::ack);
    EXPECT_FALSE(reader.next()); // not all of it yet
    reader.feed("orted#37");
    auto packet = reader.next();
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->kind, Incoming::Kind::packet);
    EXPECT_EQ(packet->payload, "qSupported");
}

TEST(RspReader, EscapesAreUndoneAndTheInterruptByteIsAnEvent) {
    PacketReader reader;
    reader.feed(frame_packet("X1,2:#}") + "\x03");
    auto packet = reader.next();
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->payload, "X1,2:#}");
    auto interrupt = reader.next();
    ASSERT_TRUE(interrupt);
    EXPECT_EQ(interrupt->kind, Incoming::Kind::interrupt);
}

TEST(RspReader, AWrongChecksumIsReportedNotTakenAsAPacket) {
    PacketReader reader;
    reader.feed("$OK#00$OK#9a");
    auto bad = reader.next();
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->kind, Incoming::Kind::bad_checksum);
    auto good = reader.next();
    ASSERT_TRUE(good);
    EXPECT_EQ(good->kind, Incoming::Kind::packet);
}

TEST(RspHex, BytesAndNumbersRoundTrip) {
    EXPECT_EQ(to_hex(std::string("\x01\xab", 2)), "01ab");
    EXPECT_EQ(from_hex("01AB"), std::string("\x01\xab", 2));
    EXPECT_FALSE(from_hex("123"));
    EXPECT_FALSE(from_hex("zz"));
    EXPECT_EQ(parse_hex_number("402860"), 0x402860u);
    EXPECT_FALSE(parse_hex_number(""));
    EXPECT_FALSE(parse_hex_number("12345678901234567")); // more than 64 bits
}

} // namespace
} // namespace crossrt::debug
