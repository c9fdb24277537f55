#include "rt/print.h"

#include "rt/os.h"

namespace rt {

void PrintBuffer::put(const char* s) {
    uintptr n = 0;
    while (s[n] != 0) {
        n++;
    }
    put(s, n);
}

void PrintBuffer::put(const char* s, uintptr n) {
    for (uintptr i = 0; i < n; i++) {
        if (len_ == sizeof(buf_)) {
            flush();
        }
        buf_[len_++] = s[i];
    }
}

void PrintBuffer::put(const void* p) {
    put_hex(reinterpret_cast<uintptr>(p));
}

void PrintBuffer::put_hex(uint64 v) {
    put("0x");
    put_uint(v, 16);
}

void PrintBuffer::put_int(int64 v) {
    char tmp[kFormatMax];
    char* end = tmp + sizeof(tmp);
    char* start = format_int(end, v);
    put(start, static_cast<uintptr>(end - start));
}

void PrintBuffer::put_uint(uint64 v, unsigned base) {
    char tmp[kFormatMax];
    char* end = tmp + sizeof(tmp);
    char* start = format_uint(end, v, base);
    put(start, static_cast<uintptr>(end - start));
}

void PrintBuffer::flush() {
    if (len_ > 0) {
        sys_write(fd_, buf_, len_);
        len_ = 0;
    }
}

} // namespace rt
