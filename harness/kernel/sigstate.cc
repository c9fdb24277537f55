#include "kernel/sigstate.h"

namespace crossrt::kernel {

void change_sigmask(Lwp& self, MaskHow how, u64 set) {
    switch (how) {
    case MaskHow::block:
        self.sigmask |= set;
        break;
    case MaskHow::unblock:
        self.sigmask &= ~set;
        break;
    case MaskHow::set:
        self.sigmask = set;
        break;
    }
    self.sigmask &= ~kUnmaskable;
}

i64 replace_altstack(Lwp& self, bool running_on_it, bool disable, u64 sp, u64 size, u64 min_size) {
    if (running_on_it)
        return -err::PERM;
    if (disable) {
        self.altstack = AltStack{};
        return 0;
    }
    if (size < min_size)
        return -err::NOMEM;
    self.altstack = AltStack{sp, size, false};
    return 0;
}

} // namespace crossrt::kernel
