// gostartcall for arm (Go's sys_arm.go): a call (bl) leaves the return pc in
// lr, so pretend fn was called from buf->pc by putting it in lr.
#include "rt/runtime.h"
#include "rt/throw.h"

namespace rt {

void gostartcall(Gobuf* buf, uintptr fn, void* ctxt) {
    if (buf->lr != 0) {
        throw_("invalid use of gostartcall: lr already set");
    }
#ifndef RT_REGRESS_GOSTARTCALL_NO_LR
    buf->lr = buf->pc;
#endif
    buf->pc = fn;
    buf->ctxt = ctxt;
}

} // namespace rt
