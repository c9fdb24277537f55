// Where the interrupted pc and sp are in a Linux amd64 ucontext: uc_mcontext
// starts at byte 40; the pc is register slot 16 and the sp slot 15
// (8-byte slots; see the kernel's struct ucontext and struct sigcontext).
#include "rt/signal.h"

namespace rt {

namespace {
uintptr mcontext_slot(void* uctx, int slot) {
    return *reinterpret_cast<const uintptr*>(static_cast<const char*>(uctx) + 40 + slot * 8);
}
} // namespace

uintptr sigctxt_pc(void* uctx) {
    return mcontext_slot(uctx, 16);
}
uintptr sigctxt_sp(void* uctx) {
    return mcontext_slot(uctx, 15);
}

} // namespace rt
