// What a run of the kernel is told: the seed, the limits, the injections,
// the trace, the program's arguments and where its output goes.
#pragma once

#include "base/injection.h"
#include "base/mount.h"
#include "kernel/policy.h"
#include "kernel/schedule.h"
#include "kernel/types.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crossrt::kernel {

constexpr u64 kDefaultMaxInsns = 50'000'000'000ull;
constexpr u64 kDefaultMaxMemory = 1ull << 30;
// The CPUs the kernel presents (sched_getaffinity, /proc/cpuinfo, hw.ncpu):
// a program sizes its parallelism by them. The LWPs still run one at a time,
// interleaved by the seeded scheduler.
constexpr int kDefaultCpus = 4;
constexpr int kMaxCpus = 64;
// Processes alive or unreaped at once (fork past it: EAGAIN). Each is an
// engine with its own 1 GiB translation buffer in Unicorn 2.0.1.
constexpr int kMaxProcesses = 16;
// LWPs alive at once in a run, every process's together (one more by
// clone, _lwp_create or fork: EAGAIN, as Linux's RLIMIT_NPROC and NetBSD's
// maxlwp answer). Each is a saved context of host memory (and on 386 a GDT
// page, a Unicorn region of its own): without a cap a guest whose threads
// make threads made them by the thousand, each slower than the last.
constexpr int kMaxLwps = 1024;

// --inject SIG@N[:LWP] (base/injection.h).
using Injection = crossrt::Injection;

struct KernelOptions {
    u64 seed = kDefaultSeed;
    bool strict = false;
    std::string trace_path;
    std::string timeline_path; // --timeline: Chrome trace-event JSON (timeline.h)
    std::vector<Injection> injections;
    u64 max_insns = kDefaultMaxInsns;
    u64 max_memory = kDefaultMaxMemory;
    int cpus = kDefaultCpus;       // 1..kMaxCpus
    std::vector<std::string> argv; // argv[0] as the guest sees it
    std::vector<std::string> envp;
    // The run's file system (posix/fs_tree.h): host directories grafted into
    // the in-memory tree, the guest's cwd (made if absent), and the host
    // path of the program, which the guest finds at argv[0] when that is
    // absolute (and as /proc/self/exe), to read or to execute again.
    std::vector<Mount> mounts;
    // --sysroot: a host directory whose entries the guest sees at / beneath
    // the run's own /tmp, /etc, /dev, /proc and /sys, read-only (where a
    // dynamic program's interpreter and libraries are); empty: none.
    std::string sysroot;
    std::string cwd = "/tmp";
    std::string executable;
    int out_fd = 1;
    int err_fd = 2;
    // Count every instruction with a code hook instead of by block (about
    // 10x slower; the schedule is the same).
    bool every_instruction = false;
    // Code ranges [begin, end) run with an instruction hook from the start:
    // the blocks an earlier attempt of this run faulted in without an exact
    // pc (replay.h).
    std::vector<std::pair<u64, u64>> exact_ranges;
    // Output an earlier attempt already wrote: not written again.
    u64 written_out = 0;
    u64 written_err = 0;
    // Scheduling decisions to take instead of the seed's (schedule.h): as
    // many as there are, then the seed's again. The PRNG is drawn from all
    // the same, so a schedule that holds a run's every decision replays it
    // exactly and a prefix goes on as the seed would have gone on.
    std::vector<Decision> replay_schedule;
    // Keep every decision made (Kernel::decisions()).
    bool record_schedule = false;
    // Who decides beyond the replayed decisions, and where (policy.h).
    PolicyOptions policy;
    // Keep what each decision point offered (Kernel::points()), for the
    // explorer.
    bool record_points = false;
};

} // namespace crossrt::kernel
