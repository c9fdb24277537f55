// The protocol between the unicorn backend and the process it runs in its
// sandbox, `crossrt unicorn-guest REQUEST`: what to run (the request, one
// JSON argument) and how the kernel's run ended (the report, one JSON line
// on the report fd). Both directions are built and parsed only here.
#pragma once

#include "base/end_kind.h"
#include "base/injection.h"
#include "base/mount.h"
#include "base/outcome.h"
#include "base/schedule_policy.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct GuestRequest {
    std::vector<std::string> argv;     // argv[0]: the binary to load, as the guest sees it
    std::optional<std::uint64_t> seed; // unset: the kernel's fixed seed
    bool strict = false;               // an unsupported syscall ends the run
    std::string trace_file;            // empty: no trace
    std::string timeline_file;         // empty: no timeline
    std::string schedule_file;         // decisions to replay (kernel/schedule.h); empty: the seed's
    std::string record_schedule_file;  // where the run's decisions go; empty: not kept
    SchedulePolicyRequest policy;      // who decides (base/schedule_policy.h)
    std::string points_file;           // where each decision point's offer goes; empty: not kept
    std::vector<Injection> inject;     // signals at exact instructions
    std::optional<std::uint64_t> max_insns; // unset: the kernel's budget
    std::optional<std::uint64_t> max_memory;
    std::optional<int> cpus;        // unset: the kernel's default
    bool every_instruction = false; // count with an instruction hook
    // The guest's environment ("K=V"); unset: the guest process's own.
    std::optional<std::vector<std::string>> env;
    std::vector<Mount> mounts; // host directories in the run's file tree
    std::string sysroot;       // a host directory seen at / (read-only); empty: none
    std::string cwd;           // empty: the kernel's default (/tmp)
    // A seed sweep from one boot: the guest boots once and each seed runs
    // in a fork of it (kernel/fork_sweep.h); each one's SeedReport comes
    // back as a line on the report fd, in seed order.
    struct Sweep {
        std::uint64_t first = 0;
        std::uint64_t count = 0;
        int parallel = 1;
        double timeout_s = 0;                  // per seed; 0: none
        std::uint64_t output_bytes = 4u << 20; // kept per stream and seed
        // Set: run k (key first + k) has policy k and seed `first`, and
        // writes its decision points to sweep_trace_file(points_file, key).
        std::vector<SchedulePolicyRequest> policies;
    };
    std::optional<Sweep> sweep;
    // A signal sweep (base/signal_sweep.h): the spec as written; the plan
    // and then each point's PointReport come back as lines on the report fd
    // (backend/sweep_protocol.h).
    struct SignalSweep {
        std::string spec;
        int parallel = 1;
        double timeout_s = 0; // per point; 0: none
        std::uint64_t output_bytes = 4u << 20;
    };
    std::optional<SignalSweep> signal_sweep;
    // Where the report goes; unset: a line on stderr, and only for ends
    // that are not the guest's own exit or signal (a person at a terminal).
    std::optional<int> report_fd;
    // A gdb connection on this fd: the run is served to it (debug/server.h)
    // from before its first instruction.
    std::optional<int> gdb_fd;
};

// The kernel's RunEnd, as it crosses the process boundary.
struct GuestReport {
    EndKind end = EndKind::error;
    int status = 0; // exited: the exit code; signaled: the signal
    std::string detail;
    std::optional<std::uint64_t> schedule_hash; // Kernel::schedule_hash()
};

// The report of a run that ended by the emulator's error, not the guest's.
inline GuestReport error_report(std::string detail) {
    return {EndKind::error, 0, std::move(detail), {}};
}

// One seed of a sweep: how its fork ended, and what it wrote.
struct SeedReport {
    std::uint64_t seed = 0;
    Outcome outcome;    // the fork's own end (exited, signaled, timeout, output_limit)
    std::string report; // the fork's GuestReport line, when it wrote one
    double cpu_s = 0;   // the fork's user + system time
};

// nullopt when a string in it is not UTF-8, which JSON cannot carry.
std::optional<std::string> encode_request(const GuestRequest& request, std::string& error);
// nullopt on a malformed request, with what is wrong in `error`.
std::optional<GuestRequest> decode_request(std::string_view text, std::string& error);

std::string encode_report(const GuestReport& report); // one line, with its '\n'
// Reads the first line; nullopt (and `error`) when it is not a report.
std::optional<GuestReport> decode_report(std::string_view text, std::string& error);

// The Outcome of a guest process that ended by itself (exited or signaled)
// and wrote `report`: the kernel's end from the report. The process is the
// guest, so an exit or signal the report gives must be the process's own;
// when it is not, or there is no report, the emulator itself died (a crash,
// the CPU limit, a bad request) and the outcome is an error saying so.
Outcome apply_guest_report(Outcome process, std::string_view report);

// Where a sweep's fork for `seed` writes the trace asked for at `trace`.
std::string sweep_trace_file(const std::string& trace, std::uint64_t seed);

std::string encode_seed_report(const SeedReport& report); // one line, with its '\n'
std::optional<SeedReport> decode_seed_report(std::string_view line, std::string& error);
// A seed's Outcome as one run's would be (apply_guest_report on the fork).
Outcome seed_outcome(const SeedReport& report);

} // namespace crossrt
