// foreign-thread-callback: seed 003 (Go commit "runtime: diagnose callbacks
// on threads not created by Go") and its successor, needm/extra M.
//
// Foreign code (runtime/foreign, built without the runtime's register
// reservations) starts threads with a raw clone, so minit never ran on them
// and their TLS holds no g or m, and calls back into the runtime from them.
//   CROSSRT_CGO_CALLBACK=diagnose: the first such callback must end the
//     process with "runtime: cgo callback on thread not created by Go." and
//     exit status 2, never a bare SIGSEGV.
//   CROSSRT_CGO_CALLBACK=adopt: every callback runs on an extra M, from
//     several threads several times each; extra Ms are given back and reused.
#include "foreign.h"
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

constexpr int kThreads = 4;
constexpr int kCallsPerThread = 5;

uint32 calls;
uint32 bad;

// Runs in the runtime, called from foreign code.
void callback(void* arg) {
    (void)arg;
    M* mp = getm();
    G* gp = getg();
    bool ok = mp != nullptr && mp->magic == kMMagic && gp == mp->curg && mp->incallback == 1 &&
              mp->procid == os_thread_id();
    uint32 n = atomic::add(&calls, uint32{1});
    if (!ok) {
        atomic::add(&bad, uint32{1});
        eprintln("callback ", n, ": m or g not set up (m=", static_cast<void*>(mp), ")");
    }
}

void foreign_thread_body(void* arg) {
    (void)arg;
    for (int i = 0; i < kCallsPerThread; i++) {
        foreign_call_runtime(callback, nullptr);
    }
}

// Foreign: start the threads, wait for them.
intptr run_foreign_threads(void*) {
    ForeignThread threads[kThreads];
    for (auto& t : threads) {
        if (foreign_thread_start(&t, foreign_thread_body, nullptr) != 0) {
            return -1;
        }
    }
    for (auto& t : threads) {
        foreign_thread_join(&t);
    }
    return 0;
}

intptr call_back_on_this_thread(void*) {
    foreign_call_runtime(callback, nullptr);
    return 0;
}

} // namespace

int rt::main(int, char**) {
    bool adopt = cgo_callback_mode() == CgoCallbackMode::adopt;
    println("mode: ", adopt ? "adopt" : "diagnose");

    // A callback on a thread the runtime made always works.
    cgocall(call_back_on_this_thread, nullptr);
    println("callback on a runtime thread: ", bad == 0 ? "ok" : "BAD");

    println("callbacks from ", kThreads, " foreign threads, ", kCallsPerThread, " each");
    if (cgocall(run_foreign_threads, nullptr) != 0) {
        eprintln("could not start foreign threads");
        return 1;
    }
    uint32 foreign_calls = calls - 1;
    println("foreign callbacks completed: ", foreign_calls, ", bad: ", bad);

    // 20 callbacks must not have needed 20 Ms: an extra M goes back to the
    // list after each callback, and is taken again by the next.
    bool no_leak = extram_made() >= 1 && extram_made() <= kThreads;
    bool returned = extram_free() == extram_made();
    println("extra Ms: ", no_leak ? "at most one per thread" : "LEAKED",
            ", all returned: ", returned ? "yes" : "no");

    // A second round reuses them: still at most one per thread in total.
    cgocall(run_foreign_threads, nullptr);
    uint32 second = calls - 1 - foreign_calls;
    no_leak = no_leak && extram_made() <= kThreads;
    returned = returned && extram_free() == extram_made();
    println("second round: ", second,
            " callbacks, extra Ms still at most one per thread: ", no_leak ? "yes" : "no");
    bool ok = bad == 0 && foreign_calls == kThreads * kCallsPerThread &&
              second == kThreads * kCallsPerThread && no_leak && returned;
    println("foreign-thread-callback: ", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
