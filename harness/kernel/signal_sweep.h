// The first run of a signal sweep (base/signal_sweep.h): from a booted
// kernel whose options hook the region (KernelOptions::exact_ranges), a
// fork runs the guest and notes each instruction of the region the first
// time it runs: its address, the instructions of the run before it, and
// the LWP. The sweep then delivers the signal at each of those counts, in
// forks of a snapshot taken where the region was first reached.
#pragma once

#include "kernel/code_region.h"
#include "kernel/fork_sweep.h"
#include "kernel/kernel.h"

#include <optional>
#include <string>
#include <vector>

namespace crossrt::kernel {

struct PointDiscovery {
    std::vector<SignalPoint> points; // by address
    std::string ended;               // how that run ended ("exit 0", ...)
};

// Runs a fork of `booted` (not run yet) to its end, or until every
// instruction of the region has run. Nothing, and why, when the fork could
// not be made or said nothing.
std::optional<PointDiscovery> discover_signal_points(Kernel& booted, const CodeRegion& region,
                                                     const ForkSweepOptions& options,
                                                     std::string& error);

} // namespace crossrt::kernel
