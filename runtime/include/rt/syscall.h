// rt::syscall(nr, args...): a raw system call through the arch's one stub
// (rt_syscall6 in sys_<os>_<arch>.S). Any argument that fits a register is
// passed as an intptr; the result is the kernel's (Linux: -errno on failure).
#pragma once

#include "rt/types.h"

extern "C" rt::intptr rt_syscall6(rt::intptr nr, rt::intptr a1, rt::intptr a2, rt::intptr a3,
                                  rt::intptr a4, rt::intptr a5, rt::intptr a6);

namespace rt {

template <typename T>
inline intptr syscall_arg(T v) {
    return static_cast<intptr>(v);
}
template <typename T>
inline intptr syscall_arg(T* p) {
    return reinterpret_cast<intptr>(p);
}
inline intptr syscall_arg(decltype(nullptr)) {
    return 0;
}

template <typename... Args>
inline intptr syscall(intptr nr, Args... args) {
    static_assert(sizeof...(Args) <= 6, "a system call has at most 6 arguments");
    intptr a[6] = {syscall_arg(args)...};
    return rt_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

} // namespace rt
