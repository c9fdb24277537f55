#include "rt/format.h"

namespace rt {

char* format_uint(char* end, uint64 v, unsigned base) {
    static const char digits[] = "0123456789abcdef";
    if (base < 2 || base > 16) {
        base = 10;
    }
    char* p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v != 0);
    return p;
}

char* format_int(char* end, int64 v) {
    // Negate in unsigned arithmetic: -INT64_MIN does not fit an int64.
    uint64 magnitude = v < 0 ? 0 - static_cast<uint64>(v) : static_cast<uint64>(v);
    char* p = format_uint(end, magnitude, 10);
    if (v < 0) {
        *--p = '-';
    }
    return p;
}

} // namespace rt
