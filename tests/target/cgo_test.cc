// The cgo-style bridge on the target: cgocall out, callbacks in on runtime
// threads and on foreign threads (adopt mode), extra Ms reused.
#include "check.h"
#include "foreign.h"
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/os.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

// ---- foreign functions, called through cgocall ----

intptr add_one(void* arg) {
    return reinterpret_cast<intptr>(arg) + 1;
}

struct CallbackCount {
    uint32 calls;
    uint32 bad_m;
    uint32 bad_procid;
};
CallbackCount counts;

// Runs in the runtime, called from foreign code.
void callback(void* arg) {
    auto* c = static_cast<CallbackCount*>(arg);
    M* mp = getm();
    if (mp == nullptr || mp->magic != kMMagic || getg() != mp->curg) {
        atomic::add(&c->bad_m, uint32{1});
    } else if (mp->procid != os_thread_id()) {
        atomic::add(&c->bad_procid, uint32{1});
    }
    atomic::add(&c->calls, uint32{1});
}

intptr call_back_here(void* arg) {
    foreign_call_runtime(callback, arg);
    return 0;
}

void foreign_thread_body(void* arg) {
    for (int i = 0; i < 3; i++) {
        foreign_call_runtime(callback, arg);
    }
}

intptr run_foreign_threads(void* arg) {
    ForeignThread threads[3];
    for (auto& t : threads) {
        if (foreign_thread_start(&t, foreign_thread_body, arg) != 0) {
            return -1;
        }
    }
    for (auto& t : threads) {
        foreign_thread_join(&t);
    }
    return 0;
}

} // namespace

int rt::main(int, char**) {
    G* me = getg();
    CHECK_EQ(cgocall(add_one, reinterpret_cast<void*>(41)), 42);
    CHECK(getg() == me);
    CHECK(cgo_was_used());

    // A callback on a runtime thread (inside a cgocall) runs on this G.
    CHECK_EQ(cgocall(call_back_here, &counts), 0);
    CHECK_EQ(counts.calls, 1u);
    CHECK_EQ(counts.bad_m, 0u);
    CHECK(getg() == me);

    // Callbacks from threads the runtime never created: adopted.
    set_cgo_callback_mode(CgoCallbackMode::adopt);
    CHECK_EQ(cgocall(run_foreign_threads, &counts), 0);
    CHECK_EQ(counts.calls, 1u + 9u);
    CHECK_EQ(counts.bad_m, 0u);
    CHECK_EQ(counts.bad_procid, 0u);
    CHECK(extram_made() >= 1u);
    CHECK(extram_made() <= 3u);             // at most one per concurrent thread
    CHECK_EQ(extram_free(), extram_made()); // every one given back

    // A second round reuses them.
    uint32 made = extram_made();
    CHECK_EQ(cgocall(run_foreign_threads, &counts), 0);
    CHECK_EQ(counts.calls, 1u + 18u);
    CHECK(extram_made() <= 3u);
    CHECK(extram_made() >= made);
    CHECK_EQ(extram_free(), extram_made());

    println("selftest cgo: ok");
    return 0;
}
