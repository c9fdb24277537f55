// Where the interrupted pc and sp are in a Linux ucontext. The layout per arch
// (struct ucontext and struct sigcontext in the kernel's uapi headers) is in
// defs_linux_<arch>.h.
#include "defs_linux.h"
#include "rt/signal.h"

namespace rt {

namespace {
uintptr mcontext_slot(void* uctx, int slot) {
    const char* mcontext = static_cast<const char*>(uctx) + RT_UC_MCONTEXT_OFFSET;
    return reinterpret_cast<const uintptr*>(mcontext)[slot];
}
} // namespace

uintptr sigctxt_pc(void* uctx) {
    return mcontext_slot(uctx, RT_UC_PC_SLOT);
}
uintptr sigctxt_sp(void* uctx) {
    return mcontext_slot(uctx, RT_UC_SP_SLOT);
}

} // namespace rt
