// The cgo-style bridge: calls from the runtime out to foreign code, and
// callbacks from foreign code into the runtime.
#pragma once

#include "rt/types.h"

namespace rt {

// What cgocallback does on a thread the runtime never created (no m in its
// TLS), chosen when the runtime starts from CROSSRT_CGO_CALLBACK:
//   diagnose (default): "runtime: cgo callback on thread not created by Go."
//                       on fd 2 and exit status 2 (Go's 2012 behaviour);
//   adopt:              take an M from the extra-M list (needm), run the
//                       callback, give the M back (dropm) (Go 1.1 on).
enum class CgoCallbackMode { diagnose, adopt };
CgoCallbackMode cgo_callback_mode();
void set_cgo_callback_mode(CgoCallbackMode mode);

// Calls foreign fn(arg) on g0's stack, aligned for the platform C ABI, and
// returns its result.
intptr cgocall(intptr (*fn)(void*), void* arg);
bool cgo_was_used();

// Extra Ms made so far, and how many are on the extra-M list now.
uint32 extram_made();
uint32 extram_free();

} // namespace rt

extern "C" {
// asm_<arch>.S: the stack switch under cgocall.
rt::intptr rt_asmcgocall(rt::intptr (*fn)(void*), void* arg);
// asm_<arch>.S: the entry foreign code calls to run fn(arg) in the runtime.
// On arm it saves the foreign r9/r10 and loads g and m from TLS first.
void crossrt_cgocallback(void (*fn)(void*), void* arg);
// asm_<arch>.S: calls fn(arg) with the stack pointer switched to sp.
void rt_call_on_stack(void (*fn)(void*), void* arg, rt::uintptr sp);
}
