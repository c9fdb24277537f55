// What `crossrt unicorn-guest` (cmd_unicorn_guest.cc) shares with the
// sweeps it serves: the kernel's options from the request, the report, and
// how a run's end becomes the process's own.
#pragma once

#include "backend/guest_protocol.h"
#include "kernel/elf_load.h"
#include "kernel/fork_sweep.h"
#include "kernel/options.h"
#include "kernel/run_end.h"

#include <functional>
#include <optional>
#include <string>

namespace crossrt {

// The exit status of a guest process whose end is not the guest's own.
constexpr int exit_verdict = 125;

kernel::KernelOptions guest_kernel_options(const GuestRequest& request);
// The report as a line on fd; without one, a line on stderr for ends that
// are not the guest's own.
void send_report(std::optional<int> fd, const GuestReport& report);
GuestReport out_of_memory(const std::string& what);
// The run's end as this process's: its exit status, or death by its signal.
int guest_status(const kernel::RunEnd& end);

// A sweep's variant, in its fork: run() or, when it throws, a report of
// what it threw on side_fd and exit_verdict.
int guarded_variant(int side_fd, const std::function<int()>& run);
// How a variant's fork ended, as one run's Outcome (before its report).
Outcome forked_outcome(const kernel::ForkedRun& run);
// The whole line to fd; false when it cannot be written (nobody reads).
bool write_line(int fd, const std::string& line);

// A signal sweep (signal_sweep_guest.cc): the plan, then one PointReport
// per point on the report fd.
int serve_signal_sweep(const GuestRequest& request, const kernel::ElfImage& image);
// A run under gdb (debug_guest.cc), on the connection at request.gdb_fd.
int serve_debugger(const GuestRequest& request, const kernel::ElfImage& image,
                   kernel::KernelOptions options);

} // namespace crossrt
