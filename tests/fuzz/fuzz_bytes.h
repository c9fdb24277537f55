// Reads a fuzzer's input as a sequence of little-endian fields. Past the
// end every field reads as zero, so that any input, however short, is a
// complete one (libFuzzer's FuzzedDataProvider has the same rule; this one
// also builds with gcc, for the corpus replay in the default build).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace crossrt::fuzz {

class FuzzBytes {
public:
    FuzzBytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    template <typename T>
    T take() {
        T value{};
        std::size_t n = std::min(sizeof value, size_ - offset_);
        if (n > 0)
            std::memcpy(&value, data_ + offset_, n);
        offset_ += n;
        return value;
    }

    // What is left, all of it.
    std::span<const std::uint8_t> rest() {
        std::span<const std::uint8_t> left(data_ + offset_, size_ - offset_);
        offset_ = size_;
        return left;
    }

    bool empty() const { return offset_ >= size_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t offset_ = 0;
};

} // namespace crossrt::fuzz
