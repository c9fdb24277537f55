// lwp-unpark-procid: seeds 000 and 001 (Go's "runtime: always initialise
// procid on netbsd", 2012). On NetBSD an M sleeps in _lwp_park and is woken
// by _lwp_unpark(m->procid): procid must be the id of the M's own LWP. An M
// made by newosproc gets it from _lwp_create; an M adopted by a callback on
// a foreign LWP gets it only if minit asks _lwp_self.
//
// Foreign code makes an LWP with _lwp_create (not the runtime's newosproc)
// and calls into the runtime from it; the callback, on the adopted extra M,
// parks on that M's semaphore. The main goroutine, on m0, wakes it with
// semawakeup: _lwp_unpark(procid). With the right procid the callback
// returns and the program ends; with the historic bug (procid never set on
// the adopted M: _lwp_unpark(0) is ESRCH, ignored as Go ignores it) the
// wakeup is lost and every LWP is left parked: under unicorn, a deadlock.
#include "foreign.h"
#include "rt/atomic.h"
#include "rt/cgo.h"
#include "rt/lock.h"
#include "rt/os.h"
#include "rt/print.h"
#include "rt/runtime.h"

using namespace rt;

namespace {

M* sleeper; // the adopted M, once its callback is about to park
Note done;  // woken by the callback after its M was woken

void callback(void*) {
    M* mp = getm();
    int64 self = os_thread_id();
    println("adopted M parks: procid ", mp->procid, ", _lwp_self ", self);
    println("procid is its LWP: ", mp->procid == self ? "yes" : "no");
    atomic::store(&sleeper, mp);
    semasleep(-1); // until semawakeup(mp)
    println("adopted M woken");
    notewakeup(&done);
}

void foreign_body(void*) {
    foreign_call_runtime(callback, nullptr);
}

intptr start_foreign(void* t) {
    return foreign_thread_start(static_cast<ForeignThread*>(t), foreign_body, nullptr);
}

intptr join_foreign(void* t) {
    foreign_thread_join(static_cast<ForeignThread*>(t));
    return 0;
}

} // namespace

int rt::main(int, char**) {
    startm_count(2); // an idle runtime M too: every M parks in the lost case
    set_cgo_callback_mode(CgoCallbackMode::adopt);
    noteclear(&done);

    ForeignThread t;
    if (cgocall(start_foreign, &t) != 0) {
        eprintln("could not start a foreign LWP");
        return 1;
    }
    M* mp;
    while ((mp = atomic::load(&sleeper)) == nullptr) {
        usleep(100);
    }
    // Let it reach _lwp_park: the wakeup must come to a parked LWP, or a
    // semawakeup that lands first is seen in the count without any unpark.
    usleep(2000);
    println("waking the adopted M by its procid");
    semawakeup(mp);
    notesleep(&done);
    cgocall(join_foreign, &t);
    println("lwp-unpark-procid: ok");
    return 0;
}
