// Where the interrupted pc and sp are in a Linux 386 ucontext: uc_mcontext
// starts at byte 20; the pc is register slot 14 and the sp slot 7
// (4-byte slots; see the kernel's struct ucontext and struct sigcontext).
#include "rt/signal.h"

namespace rt {

namespace {
uintptr mcontext_slot(void* uctx, int slot) {
    return *reinterpret_cast<const uintptr*>(static_cast<const char*>(uctx) + 20 + slot * 4);
}
} // namespace

uintptr sigctxt_pc(void* uctx) {
    return mcontext_slot(uctx, 14);
}
uintptr sigctxt_sp(void* uctx) {
    return mcontext_slot(uctx, 7);
}

} // namespace rt
