// How a run ends, as the kernel reports it to whoever started it.
#pragma once

#include "base/end_kind.h"

#include <string>

namespace crossrt::kernel {

// The harness's one vocabulary (base/end_kind.h); the kernel ends a run as
// exited, signaled, deadlock, budget, unsupported or error.
using EndKind = crossrt::EndKind;

struct RunEnd {
    EndKind kind = EndKind::error;
    int status = 0; // exit status or signal
    std::string detail;
};

} // namespace crossrt::kernel
