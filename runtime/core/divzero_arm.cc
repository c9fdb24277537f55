// libgcc's arm division helpers report a division by zero by calling
// raise(SIGFPE) (__aeabi_idiv0 in _dvmd_lnx.o). There is no libc to provide
// raise, so the runtime does, as Go does: a division by zero is fatal.
#include "rt/throw.h"

extern "C" int raise(int) {
    rt::throw_("integer divide by zero");
}
