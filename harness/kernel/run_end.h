// How a run ends, as the kernel reports it to whoever started it.
#pragma once

#include <string>

namespace crossrt::kernel {

enum class EndKind { exited, signaled, deadlock, budget, unsupported, error };

struct RunEnd {
    EndKind kind = EndKind::error;
    int status = 0; // exit status or signal
    std::string detail;
};

} // namespace crossrt::kernel
