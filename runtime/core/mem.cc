// The few libc memory functions the compiler may emit calls to even in a
// freestanding build (struct copies, zeroing). Built with
// -fno-tree-loop-distribute-patterns so these loops are not turned back into
// calls to themselves.
#include "rt/types.h"

extern "C" {

void* memset(void* dst, int c, rt::uintptr n) {
    auto* d = static_cast<unsigned char*>(dst);
    for (rt::uintptr i = 0; i < n; i++) {
        d[i] = static_cast<unsigned char>(c);
    }
    return dst;
}

void* memcpy(void* dst, const void* src, rt::uintptr n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    for (rt::uintptr i = 0; i < n; i++) {
        d[i] = s[i];
    }
    return dst;
}

void* memmove(void* dst, const void* src, rt::uintptr n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    if (d < s) {
        for (rt::uintptr i = 0; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (rt::uintptr i = n; i > 0; i--) {
            d[i - 1] = s[i - 1];
        }
    }
    return dst;
}

int memcmp(const void* a, const void* b, rt::uintptr n) {
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (rt::uintptr i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}
}
