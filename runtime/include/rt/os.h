// What the portable core needs from an OS personality (os_<os>.cc and
// sys_<os>_<arch>.S implement it).
#pragma once

#include "rt/types.h"

namespace rt {

struct TlsBlock;

intptr sys_write(int fd, const void* p, uintptr n);
[[noreturn]] void sys_exit(int code);
// Anonymous private read-write memory; nullptr on failure.
void* sys_alloc(uintptr n);
void sys_free(void* p, uintptr n);
// Makes [p, p+n) inaccessible (a stack guard).
bool sys_guard(void* p, uintptr n);
// Points this thread's thread pointer (%fs, %gs, TPIDRURO) at tls.
void settls(TlsBlock* tls);
void osinit();

} // namespace rt
