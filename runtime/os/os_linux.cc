// The Linux personality of the OS interface (rt/os.h), over the raw syscalls
// of sys_linux_<arch>.S. Those return the kernel's result: -errno on failure.
#include "defs_linux.h"
#include "rt/os.h"
#include "rt/runtime.h"
#include "rt/syscall.h"

extern "C" rt::intptr rt_sys_settls(void* tp);

namespace rt {

namespace {
constexpr int kProtNone = 0;
constexpr int kProtRead = 1;
constexpr int kProtWrite = 2;
constexpr int kMapPrivate = 0x02;
constexpr int kMapAnonymous = 0x20;

bool is_error(intptr r) {
    return r < 0 && r > -4096;
}
} // namespace

intptr sys_write(int fd, const void* p, uintptr n) {
    return syscall(SYS_write, fd, p, n);
}

void sys_exit(int code) {
    for (;;) {
        syscall(SYS_exit_group, code);
    }
}

void* sys_alloc(uintptr n) {
    constexpr uintptr offset = 0;
    intptr r = syscall(SYS_mmap, nullptr, n, kProtRead | kProtWrite, kMapPrivate | kMapAnonymous,
                       -1, offset >> RT_MMAP_OFFSET_SHIFT);
    return is_error(r) ? nullptr : reinterpret_cast<void*>(r);
}

void sys_free(void* p, uintptr n) {
    syscall(SYS_munmap, p, n);
}

bool sys_guard(void* p, uintptr n) {
    return !is_error(syscall(SYS_mprotect, p, n, kProtNone));
}

void settls(TlsBlock* tls) {
    if (is_error(rt_sys_settls(tls))) {
        // No TLS means no g: nothing else can work, and throw would need g.
        static const char msg[] = "fatal error: cannot set the thread pointer\n";
        sys_write(2, msg, sizeof(msg) - 1);
        sys_exit(2);
    }
}

void osinit() {}

} // namespace rt
