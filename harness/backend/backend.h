// A backend runs a target binary somewhere (the host, qemu-user, later
// unicorn). One implementation per file, found by name in the registry.
#pragma once

#include "backend/sandbox.h"
#include "base/injection.h"
#include "base/mount.h"
#include "base/outcome.h"
#include "base/schedule_policy.h"
#include "base/signal_sweep.h"
#include "base/version.h"
#include "target/target.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

// The guest processes the unicorn backend's sandbox has room for (each is
// a Unicorn engine): the kernel's limit must not exceed it.
constexpr int kUnicornEngines = 16;

// Options only the unicorn backend understands (the others ignore them).
struct UnicornOptions {
    std::optional<std::uint64_t> seed; // default: the kernel's fixed seed
    bool strict = false;               // an unsupported syscall ends the run with verdict error
    std::string trace_file;            // empty: no trace
    std::string timeline_file;         // empty: no timeline (kernel/timeline.h)
    std::string schedule_file;         // decisions to replay (kernel/schedule.h)
    std::string record_schedule_file;  // where the run's decisions are written
    std::vector<Injection> inject;     // signals at exact instructions
    std::optional<std::uint64_t> max_insns;
    bool every_instruction = false; // count with an instruction hook, not by block
    std::optional<int> cpus;        // the CPUs the kernel presents (default 4)
    SchedulePolicyRequest policy;   // who decides (base/schedule_policy.h)
    std::string points_file;        // where each decision point's offer is written (explore)
    // run_seeds: run k gets policy k (and the first seed), when set.
    std::vector<SchedulePolicyRequest> sweep_policies;
};

struct RunRequest {
    Target target;
    std::string binary;
    std::vector<std::string> args; // argv[1..]
    std::map<std::string, std::string> env;
    double timeout_s = 0; // 0: no limit
    Limits limits;
    IoMode io = IoMode::capture;
    bool share_stdin = false;               // SandboxRequest::share_stdin
    bool inherit_environment = false;       // SandboxRequest::inherit_environment
    std::vector<std::string> writable_dirs; // beyond the private temp dir
    // Host directories the guest sees (--mount). The unicorn kernel grafts
    // them into the run's tree; native and qemu guests see the host's files,
    // so there each must be at its own path (GUEST = HOST), read-only.
    std::vector<Mount> mounts;
    // --sysroot: a host directory holding the guest's system files (lib/,
    // usr/lib/: a dynamic program's interpreter and libraries), as
    // qemu-user's -L. The unicorn kernel shows its entries read-only at the
    // guest's / (beneath the run's own /tmp, /etc, /dev, /proc, /sys); the
    // qemu backend passes -L; native guests use the host's own loader, so
    // there only "/" (the host itself) applies. Empty: none.
    std::string sysroot;
    // The guest's cwd (--cwd); empty: a fresh temp dir (unicorn: the tree's /tmp).
    std::string guest_cwd;
    const std::atomic<bool>* cancel = nullptr;
    UnicornOptions unicorn;
    // A gdb connection crossrt accepted (--gdb): the run is debugged through
    // it, with no time limit: unicorn's own stub (debug/), qemu-user's -g
    // (relayed). -1: none.
    int gdb_fd = -1;
};

// A program a backend needs on PATH, and where it comes from.
struct HostProgram {
    std::string program;            // "qemu-arm"
    std::string install;            // "apt-get install -t bookworm-backports qemu-user"
    std::optional<Version> minimum; // the oldest version that works
    std::string why_minimum;        // what goes wrong below it
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    // Why no host crossrt runs on (target/host.h: supported_host_arches)
    // could run the target with this backend, as qemu-user a NetBSD binary:
    // the matrix leaves such combinations out (`crossrt list --all` shows
    // them); nullopt when some host can.
    virtual std::optional<std::string> never_runs(const Target& target) const = 0;
    // Why this backend can never run the target on this host: never_runs's
    // reason, or what only this host lacks (a static skip of the cell).
    virtual std::optional<std::string> cannot_run(const Target& target) const = 0;
    // The programs on PATH this backend runs the target's binaries with,
    // and the Debian package of each (`crossrt doctor` checks them).
    virtual std::vector<HostProgram> host_programs(const Target&) const { return {}; }
    // The version of the emulator that runs the target's binaries (qemu-user's,
    // asked once per binary); nullopt when the backend has none or it is
    // missing. Reports record it, and manifests' `versions` select by it.
    virtual std::optional<Version> emulator_version(const Target&) const { return std::nullopt; }
    // "qemu-i386 10.0.2": the emulator and its version, for reports; empty
    // when emulator_version is nullopt.
    virtual std::string emulator_description(const Target&) const { return ""; }
    // Why a guest of the target cannot execve a binary of its own target
    // (itself, as Go's tests re-execute their test binary); nullopt when it
    // can, or when the backend cannot run the target at all (cannot_run
    // says why). Manifests select by it (`lacks = ["reexec"]`).
    virtual std::optional<std::string> cannot_reexec(const Target&) const { return std::nullopt; }
    virtual Outcome run(const RunRequest& request) const = 0;
    // Whether RunRequest::unicorn.seed fixes the whole run (its schedule and
    // everything that follows from it): then another seed is another
    // schedule worth sweeping, and the seed belongs in the cell's report.
    virtual bool schedules_from_seed() const { return false; }
    // The request run with seeds first, first+1, ... (count of them), at
    // most `parallel` at once; each outcome goes to `each` in seed order,
    // which returns false to stop the sweep. The unicorn backend boots the
    // guest once and forks it per seed; this default runs one after another.
    using SeedOutcome = std::function<bool(std::uint64_t seed, const Outcome& outcome)>;
    virtual void run_seeds(const RunRequest& request, std::uint64_t first, std::uint64_t count,
                           int parallel, const SeedOutcome& each) const;
    // A signal sweep of the request (base/signal_sweep.h, the spec as
    // written): the plan, with each point's run given to `each` in the
    // plan's order (until it returns false): where the signal landed (unset:
    // never delivered) and the outcome. Without a plan, `failed` says why
    // the sweep could not start. Only the unicorn backend sweeps.
    struct SignalSweepRun {
        std::optional<SweepPlan> plan;
        Outcome failed;
    };
    using PointOutcome =
        std::function<bool(std::size_t index, std::optional<std::uint64_t> landed_pc,
                           int landed_lwp, const Outcome& outcome)>;
    virtual SignalSweepRun run_signal_sweep(const RunRequest& request, const std::string& spec,
                                            int parallel, const PointOutcome& each) const;
};

// The native and qemu backends: the request's mounts and cwd as the host's
// own paths in the sandbox (readable, never writable). False and the
// reason when a mount's guest path is not its host path.
bool host_view_of_mounts(const RunRequest& request, std::string_view backend,
                         SandboxRequest& sandbox, std::string& error);

// The first PROGRAM in $PATH that may be executed; nullopt when none is.
std::optional<std::string> find_in_path(const std::string& program);

std::unique_ptr<Backend> make_native_backend();
std::unique_ptr<Backend> make_qemu_backend();
std::unique_ptr<Backend> make_unicorn_backend();

// The registry: every backend crossrt has, by name.
const Backend* find_backend(std::string_view name);
const std::vector<std::string>& backend_names();

} // namespace crossrt
