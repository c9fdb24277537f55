#include "rt/throw.h"

#include "rt/os.h"
#include "rt/print.h"

namespace rt {

void throw_(const char* msg) {
    eprintln("fatal error: ", msg);
    sys_exit(2);
}

} // namespace rt

// Called from mcall in asm_<arch>.S when it is misused.
extern "C" [[noreturn]] void rt_badmcall() {
    rt::throw_("runtime: mcall called on m->g0 stack");
}
extern "C" [[noreturn]] void rt_badmcall2() {
    rt::throw_("runtime: mcall function returned");
}
