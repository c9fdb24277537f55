// The Linux personality of the OS interface (rt/os.h), over the raw syscalls
// of sys_linux_<arch>.S. Those return the kernel's result: -errno on failure.
#include "rt/os.h"

#include "rt/runtime.h"

extern "C" {
rt::intptr rt_sys_write(int fd, const void* p, rt::uintptr n);
[[noreturn]] void rt_sys_exit_group(int code);
rt::intptr rt_sys_mmap(void* addr, rt::uintptr n, int prot, int flags, int fd, rt::uintptr off);
rt::intptr rt_sys_munmap(void* addr, rt::uintptr n);
rt::intptr rt_sys_mprotect(void* addr, rt::uintptr n, int prot);
rt::intptr rt_sys_settls(void* tp);
}

namespace rt {

namespace {
constexpr int kProtNone = 0;
constexpr int kProtRead = 1;
constexpr int kProtWrite = 2;
constexpr int kMapPrivate = 0x02;
constexpr int kMapAnonymous = 0x20;

bool is_error(intptr r) { return r < 0 && r > -4096; }
} // namespace

intptr sys_write(int fd, const void* p, uintptr n) { return rt_sys_write(fd, p, n); }

void sys_exit(int code) { rt_sys_exit_group(code); }

void* sys_alloc(uintptr n) {
    intptr r = rt_sys_mmap(nullptr, n, kProtRead | kProtWrite, kMapPrivate | kMapAnonymous, -1, 0);
    return is_error(r) ? nullptr : reinterpret_cast<void*>(r);
}

void sys_free(void* p, uintptr n) { rt_sys_munmap(p, n); }

bool sys_guard(void* p, uintptr n) { return !is_error(rt_sys_mprotect(p, n, kProtNone)); }

void settls(TlsBlock* tls) {
    if (is_error(rt_sys_settls(tls))) {
        // No TLS means no g: nothing else can work, and throw would need g.
        static const char msg[] = "fatal error: cannot set the thread pointer\n";
        rt_sys_write(2, msg, sizeof(msg) - 1);
        rt_sys_exit_group(2);
    }
}

void osinit() {}

} // namespace rt
