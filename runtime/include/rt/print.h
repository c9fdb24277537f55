// print(...) in the style of the Go runtime's print: each call formats all
// its arguments into one buffer and writes it with a single write(2), so
// lines from different threads do not interleave.
#pragma once

#include "rt/format.h"
#include "rt/types.h"

namespace rt {

class PrintBuffer {
public:
    explicit PrintBuffer(int fd) : fd_(fd) {}
    void put(const char* s);
    void put(const char* s, uintptr n);
    void put(char c) { put(&c, 1); }
    void put(bool b) { put(b ? "true" : "false"); }
    void put(int v) { put_int(v); }
    void put(long v) { put_int(v); }
    void put(long long v) { put_int(v); }
    void put(unsigned v) { put_uint(v, 10); }
    void put(unsigned long v) { put_uint(v, 10); }
    void put(unsigned long long v) { put_uint(v, 10); }
    void put(const void* p);
    void put_hex(uint64 v);
    // Writes what is buffered; a longer message is written in pieces.
    void flush();

private:
    void put_int(int64 v);
    void put_uint(uint64 v, unsigned base);
    int fd_;
    char buf_[512];
    uintptr len_ = 0;
};

// Wraps a value so print() shows it in hex with a 0x prefix.
struct Hex {
    uint64 v;
};
inline void print_one(PrintBuffer& b, Hex h) {
    b.put_hex(h.v);
}
template <typename T>
inline void print_one(PrintBuffer& b, T v) {
    b.put(v);
}

template <typename... Args>
void fprint(int fd, Args... args) {
    PrintBuffer b(fd);
    (print_one(b, args), ...);
    b.flush();
}

template <typename... Args>
void print(Args... args) {
    fprint(1, args...);
}

template <typename... Args>
void println(Args... args) {
    fprint(1, args..., "\n");
}

template <typename... Args>
void eprintln(Args... args) {
    fprint(2, args..., "\n");
}

} // namespace rt
