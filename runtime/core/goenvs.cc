// The environment the runtime reads at start (every OS): the cgo callback
// mode from CROSSRT_CGO_CALLBACK.
#include "rt/cgo.h"
#include "rt/os.h"
#include "rt/throw.h"

namespace rt {

namespace {
CgoCallbackMode callback_mode = CgoCallbackMode::diagnose;

bool env_is(const char* entry, const char* name, const char** value) {
    uintptr i = 0;
    for (; name[i] != 0; i++) {
        if (entry[i] != name[i]) {
            return false;
        }
    }
    if (entry[i] != '=') {
        return false;
    }
    *value = entry + i + 1;
    return true;
}

bool str_eq(const char* a, const char* b) {
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}
} // namespace

void goenvs(char** envp) {
    for (char** e = envp; *e != nullptr; e++) {
        const char* v;
        if (env_is(*e, "CROSSRT_CGO_CALLBACK", &v)) {
            if (str_eq(v, "adopt")) {
                callback_mode = CgoCallbackMode::adopt;
            } else if (str_eq(v, "diagnose")) {
                callback_mode = CgoCallbackMode::diagnose;
            } else {
                throw_("CROSSRT_CGO_CALLBACK must be diagnose or adopt");
            }
        }
    }
}

CgoCallbackMode cgo_callback_mode() {
    return callback_mode;
}
void set_cgo_callback_mode(CgoCallbackMode mode) {
    callback_mode = mode;
}

} // namespace rt
