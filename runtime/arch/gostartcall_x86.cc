// gostartcall for amd64 and 386 (Go's sys_x86.go): a call instruction pushes
// the return pc, so pretend fn was called from buf->pc by pushing it.
#include "rt/runtime.h"

namespace rt {

void gostartcall(Gobuf* buf, uintptr fn, void* ctxt) {
    uintptr* sp = reinterpret_cast<uintptr*>(buf->sp);
#ifndef RT_REGRESS_GOSTARTCALL_NO_RETPUSH
    *--sp = buf->pc;
#endif
    buf->sp = reinterpret_cast<uintptr>(sp);
    buf->pc = fn;
    buf->ctxt = ctxt;
}

} // namespace rt
