// The GDB remote serial protocol's framing, apart from what the packets
// mean: `$payload#cs` with a modulo-256 checksum in two hex digits, the
// '}' escape (the byte xor 0x20) for '$', '#', '}' and '*', the '+'/'-'
// acknowledgements and the bare 0x03 byte a user's ^C sends. The protocol
// is documented in gdb's manual, "Remote Protocol" (Overview).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::debug {

// One packet ready to send: `$`, the escaped payload, `#` and the checksum.
std::string frame_packet(std::string_view payload);

// What arrives from gdb, one event at a time.
struct Incoming {
    enum class Kind { packet, ack, nak, interrupt, bad_checksum };
    Kind kind = Kind::packet;
    std::string payload; // packet: unescaped; bad_checksum: as received
};

// Bytes in, events out: feed() whatever the connection gave (any split),
// then next() until it returns nothing.
class PacketReader {
public:
    void feed(std::string_view bytes) { buffer_.append(bytes); }
    std::optional<Incoming> next();

private:
    std::string buffer_;
};

// Hex, as the protocol writes memory and registers: two lower-case digits
// per byte, in memory order.
std::string to_hex(const void* data, std::size_t size);
std::string to_hex(std::string_view bytes);
// nullopt when `text` is not an even number of hex digits.
std::optional<std::string> from_hex(std::string_view text);
// A number in hex (addresses, lengths, thread ids); nullopt if not one.
std::optional<std::uint64_t> parse_hex_number(std::string_view text);

// Splits on `separator` (all of it, empty fields kept).
std::vector<std::string_view> split(std::string_view text, char separator);

} // namespace crossrt::debug
