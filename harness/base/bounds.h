// The largest numbers crossrt takes from a user (command line, manifest):
// each has a documented maximum, so that a typo or a hostile manifest is
// refused by name instead of overflowing somewhere below (a deadline of
// 1e10 s wrapped to the past and "timed out after 0.0s").
#pragma once

namespace crossrt {

// A wall-clock timeout: one week.
constexpr double kMaxTimeoutSeconds = 7 * 24 * 3600.0;
// `crossrt run --repeat`.
constexpr int kMaxRepeat = 100000;
// `crossrt run -j`: cells (and a sweep's seeds) at once.
constexpr unsigned kMaxJobs = 1024;
// `--memory MIB`: a guest's memory cap (1 TiB).
constexpr unsigned kMaxMemoryMib = 1u << 20;
// `--tasks N`: a guest's processes and threads at once (Linux's own pid_max
// is at most 4194304).
constexpr unsigned kMaxTasks = 1u << 20;

} // namespace crossrt
