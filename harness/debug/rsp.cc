#include "debug/rsp.h"

#include <fmt/format.h>

namespace crossrt::debug {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::string frame_packet(std::string_view payload) {
    std::string packet = "$";
    unsigned sum = 0;
    for (char c : payload) {
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            packet += '}';
            sum += static_cast<unsigned char>('}');
            c = static_cast<char>(c ^ 0x20);
        }
        packet += c;
        sum += static_cast<unsigned char>(c);
    }
    return packet + fmt::format("#{:02x}", sum & 0xff);
}

std::optional<Incoming> PacketReader::next() {
    while (!buffer_.empty()) {
        char first = buffer_.front();
        if (first == '+' || first == '-' || first == '\x03') {
            buffer_.erase(0, 1);
            return Incoming{first == '+'   ? Incoming::Kind::ack
                            : first == '-' ? Incoming::Kind::nak
                                           : Incoming::Kind::interrupt,
                            {}};
        }
        if (first != '$') {
            buffer_.erase(0, 1); // line noise between packets
            continue;
        }
        // The payload may hold an escaped '#' ("}\x03"), never a bare one.
        std::size_t hash = std::string::npos;
        for (std::size_t i = 1; i < buffer_.size(); ++i) {
            if (buffer_[i] == '}') {
                ++i;
                continue;
            }
            if (buffer_[i] == '#') {
                hash = i;
                break;
            }
        }
        if (hash == std::string::npos || buffer_.size() < hash + 3)
            return std::nullopt; // not all of it yet
        std::string_view raw = std::string_view(buffer_).substr(1, hash - 1);
        unsigned sum = 0;
        std::string payload;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            sum += static_cast<unsigned char>(raw[i]);
            if (raw[i] == '}' && i + 1 < raw.size()) {
                sum += static_cast<unsigned char>(raw[i + 1]);
                payload += static_cast<char>(raw[++i] ^ 0x20);
            } else {
                payload += raw[i];
            }
        }
        int high = hex_digit(buffer_[hash + 1]);
        int low = hex_digit(buffer_[hash + 2]);
        Incoming incoming;
        if (high < 0 || low < 0 || static_cast<unsigned>(high * 16 + low) != (sum & 0xff)) {
            incoming.kind = Incoming::Kind::bad_checksum;
            incoming.payload = std::string(raw);
        } else {
            incoming.payload = std::move(payload);
        }
        buffer_.erase(0, hash + 3);
        return incoming;
    }
    return std::nullopt;
}

std::string to_hex(const void* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::string text;
    text.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        text += digits[bytes[i] >> 4];
        text += digits[bytes[i] & 15];
    }
    return text;
}

std::string to_hex(std::string_view bytes) {
    return to_hex(bytes.data(), bytes.size());
}

std::optional<std::string> from_hex(std::string_view text) {
    if (text.size() % 2 != 0)
        return std::nullopt;
    std::string bytes;
    bytes.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int high = hex_digit(text[i]);
        int low = hex_digit(text[i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        bytes += static_cast<char>(high * 16 + low);
    }
    return bytes;
}

std::optional<std::uint64_t> parse_hex_number(std::string_view text) {
    if (text.empty() || text.size() > 16)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        int digit = hex_digit(c);
        if (digit < 0)
            return std::nullopt;
        value = value * 16 + static_cast<unsigned>(digit);
    }
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t at = text.find(separator, start);
        parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos)
            return parts;
        start = at + 1;
    }
}

} // namespace crossrt::debug
