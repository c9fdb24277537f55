// The unicorn backend: crossrt's own kernel (harness/kernel/) runs the guest
// on Unicorn, deterministically. The emulation runs in a sandboxed child,
// `crossrt unicorn-guest REQUEST`, so a hostile guest cannot crash or hang
// crossrt. The request and the kernel's report of how the run ended are the
// guest protocol (guest_protocol.h); the report comes back on fd 3.
#include "backend/backend.h"
#include "backend/guest_protocol.h"
#include "backend/sweep_protocol.h"
#include "base/sanitizers.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <unistd.h>

namespace crossrt {
namespace {

// Unicorn 2.0.1 maps a 1 GiB translation buffer per engine (one per guest
// process), which RLIMIT_DATA (the fallback) counts on top of the guest's
// memory; it exits when it cannot, so the limit leaves room for every
// process the kernel allows (kernel::kMaxProcesses, checked in
// cmd_unicorn_guest.cc). The pages really used, which a cgroup counts, are
// the guest's (the kernel caps them itself), the code translated and the
// emulator's own heap.
constexpr std::uint64_t kEnginesAllowed = kUnicornEngines;
constexpr std::uint64_t unicorn_reserved_overhead = (kEnginesAllowed << 30) + (512ull << 20);
constexpr std::uint64_t unicorn_resident_overhead = 1ull << 30;

// The sandbox's report channel (SandboxRequest::report_channel) is fd 3.
constexpr int report_fd = 3;

// The guest's environment: a native guest's, but for the paths, which name
// the kernel's tree: its temp dir is the tree's /tmp, not the sandbox's.
std::vector<std::string> guest_environment(const RunRequest& request) {
    std::map<std::string, std::string> env;
    if (request.inherit_environment) {
        for (char** entry = environ; *entry != nullptr; ++entry) {
            std::string_view text = *entry;
            auto equals = text.find('=');
            if (equals != std::string_view::npos)
                env[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
        }
    } else {
        env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LANG", "C"}};
    }
    env["TMPDIR"] = "/tmp";
    for (const auto& [key, value] : request.env)
        env[key] = value;
    std::vector<std::string> list;
    for (const auto& [key, value] : env)
        list.push_back(key + "=" + value);
    return list;
}

GuestRequest guest_request(const RunRequest& request, std::vector<std::string>& writable_dirs) {
    const UnicornOptions& options = request.unicorn;
    GuestRequest guest;
    guest.argv.push_back(request.binary);
    guest.argv.insert(guest.argv.end(), request.args.begin(), request.args.end());
    guest.seed = options.seed;
    guest.strict = options.strict;
    if (!options.trace_file.empty()) {
        std::filesystem::path trace = std::filesystem::absolute(options.trace_file);
        guest.trace_file = trace.string();
        writable_dirs.push_back(trace.parent_path().string());
    }
    if (!options.timeline_file.empty()) {
        std::filesystem::path timeline = std::filesystem::absolute(options.timeline_file);
        guest.timeline_file = timeline.string();
        writable_dirs.push_back(timeline.parent_path().string());
    }
    if (!options.schedule_file.empty())
        guest.schedule_file = std::filesystem::absolute(options.schedule_file).string();
    if (!options.record_schedule_file.empty()) {
        std::filesystem::path record = std::filesystem::absolute(options.record_schedule_file);
        guest.record_schedule_file = record.string();
        writable_dirs.push_back(record.parent_path().string());
    }
    if (!options.points_file.empty()) {
        std::filesystem::path points = std::filesystem::absolute(options.points_file);
        guest.points_file = points.string();
        writable_dirs.push_back(points.parent_path().string());
    }
    guest.policy = options.policy;
    guest.inject = options.inject;
    guest.max_insns = options.max_insns;
    guest.every_instruction = options.every_instruction;
    guest.cpus = options.cpus;
    guest.mounts = request.mounts;
    guest.sysroot = request.sysroot;
    guest.cwd = request.guest_cwd;
    guest.env = guest_environment(request);
    guest.max_memory = request.limits.memory_bytes;
    guest.report_fd = report_fd;
    if (request.gdb_fd >= 0)
        guest.gdb_fd = kPassedFd;
    return guest;
}

class UnicornBackend : public Backend {
public:
    std::string name() const override { return "unicorn"; }

    bool schedules_from_seed() const override { return true; }

    // The Unicorn Engine crossrt was built with (the guest is crossrt
    // itself), for the reports; not an emulator_version, which the
    // manifests' `versions` rules would then match.
    std::string emulator_description(const Target& target) const override {
        return cannot_run(target) ? "" : "unicorn " CROSSRT_UNICORN_VERSION;
    }

    // Every reason is the target table's or the kernel's, the same on every host.
    std::optional<std::string> cannot_run(const Target& target) const override {
        return never_runs(target);
    }

    std::optional<std::string> never_runs(const Target& target) const override {
        if (target.unicorn_arch.empty())
            return fmt::format("the target table gives no unicorn mode for {}", target.name());
        if (target.os != "linux" && target.os != "netbsd")
            return fmt::format("the unicorn kernel has no {} personality", target.os);
        return std::nullopt;
    }

    Outcome run(const RunRequest& request) const override {
        Outcome failed;
        failed.end = EndKind::error;
        SandboxRequest sandbox;
        if (!sandbox_for(request, std::nullopt, sandbox, failed.detail))
            return failed;
        SandboxResult result = run_sandboxed(sandbox);
        // Only a process that ended by itself has a report to read; a
        // timeout, an interrupt, the output cap or a sandbox error stand.
        if (result.outcome.end != EndKind::exited && result.outcome.end != EndKind::signaled)
            return std::move(result.outcome);
        return apply_guest_report(std::move(result.outcome), result.report);
    }

    // One sandboxed guest boots once and forks itself per seed
    // (kernel/fork_sweep.h); its SeedReports stream back on the report fd.
    void run_seeds(const RunRequest& request, std::uint64_t first, std::uint64_t count,
                   int parallel, const SeedOutcome& each) const override {
        GuestRequest::Sweep sweep;
        sweep.first = first;
        sweep.count = count;
        sweep.parallel = std::max(parallel, 1);
        sweep.timeout_s = request.timeout_s;
        sweep.output_bytes = request.limits.output_bytes;
        sweep.policies = request.unicorn.sweep_policies;
        Outcome failed;
        failed.end = EndKind::error;
        SandboxRequest sandbox;
        if (!sandbox_for(request, sweep, sandbox, failed.detail)) {
            each(first, failed);
            return;
        }
        // The server enforces each seed's timeout; this one only catches a
        // server that hangs.
        sandbox.timeout_s =
            request.timeout_s > 0
                ? request.timeout_s *
                          (static_cast<double>(count) / static_cast<double>(sweep.parallel) + 1) +
                      30
                : 0;
        // Each seed writes its own trace and timeline; the files left are
        // the settling seed's (or the last seed's), as with one run per seed.
        std::vector<std::string> per_seed_files;
        for (const std::string* file :
             {&request.unicorn.trace_file, &request.unicorn.timeline_file})
            if (!file->empty())
                per_seed_files.push_back(*file);
        std::uint64_t next = first;
        bool settled = false;
        sandbox.report_line = [&](const std::string& line) {
            std::string why;
            auto report = decode_seed_report(line, why);
            Outcome outcome;
            if (!report || report->seed != next) {
                outcome.end = EndKind::error;
                outcome.detail = report ? fmt::format("the sweep reported seed {} for seed {}",
                                                      report->seed, next)
                                        : fmt::format("the sweep's report: {}", why);
            } else {
                outcome = seed_outcome(*report);
            }
            std::uint64_t seed = next++;
            bool more = each(seed, outcome);
            bool last = !more || next == first + count;
            for (const std::string& file : per_seed_files) {
                std::error_code ignored;
                if (last)
                    std::filesystem::rename(sweep_trace_file(file, seed), file, ignored);
                else
                    std::filesystem::remove(sweep_trace_file(file, seed), ignored);
            }
            settled = last;
            return more;
        };
        SandboxResult result = run_sandboxed(sandbox);
        for (const std::string& file : per_seed_files) {
            std::error_code ignored;
            for (std::uint64_t seed = next; seed < first + count; ++seed)
                std::filesystem::remove(sweep_trace_file(file, seed), ignored);
        }
        if (settled)
            return;
        // The server ended before every seed reported: the next seed gets
        // how it ended.
        Outcome outcome = result.outcome;
        if (outcome.end == EndKind::exited || outcome.end == EndKind::signaled) {
            outcome.end = EndKind::error;
            outcome.detail = fmt::format(
                "the unicorn sweep ended ({}) after {} of {} seeds{}",
                describe_outcome(result.outcome), next - first, count,
                result.outcome.err.empty() ? "" : "; stderr: " + tail(result.outcome.err));
        }
        each(next, outcome);
    }

    // One sandboxed guest finds the points, pauses where the region is
    // first reached and forks itself per point (cli/signal_sweep_guest.cc).
    SignalSweepRun run_signal_sweep(const RunRequest& request, const std::string& spec,
                                    int parallel, const PointOutcome& each) const override {
        SignalSweepRun sweep;
        sweep.failed.end = EndKind::error;
        GuestRequest::SignalSweep points;
        points.spec = spec;
        points.parallel = std::max(parallel, 1);
        points.timeout_s = request.timeout_s;
        points.output_bytes = request.limits.output_bytes;
        SandboxRequest sandbox;
        if (!sandbox_for(request, std::nullopt, sandbox, sweep.failed.detail, points))
            return sweep;
        std::string first_line;
        std::size_t next = 0;
        bool stopped = false;
        sandbox.report_line = [&](const std::string& line) {
            if (!sweep.plan) {
                std::string why;
                sweep.plan = decode_sweep_plan(line, why);
                if (!sweep.plan)
                    first_line = line; // the GuestReport of a sweep that could not start
                return true;
            }
            std::string why;
            auto report = decode_point_report(line, why);
            Outcome outcome;
            std::optional<std::uint64_t> landed;
            int lwp = 0;
            if (!report || report->index != next) {
                outcome.end = EndKind::error;
                outcome.detail = report ? fmt::format("the sweep reported point {} for point {}",
                                                      report->index, next)
                                        : fmt::format("the sweep's report: {}", why);
            } else {
                outcome = seed_outcome(report->run);
                landed = report->landed_pc;
                lwp = report->landed_lwp;
            }
            bool more = each(next++, landed, lwp, outcome);
            stopped = !more;
            return more && next < sweep.plan->points.size();
        };
        // The server enforces each point's timeout (and the first run's);
        // the number of points is not known yet, so no overall one.
        sandbox.timeout_s = 0;
        SandboxResult result = run_sandboxed(sandbox);
        if (!sweep.plan) {
            Outcome process = result.outcome;
            if (process.end == EndKind::exited || process.end == EndKind::signaled)
                sweep.failed = apply_guest_report(process, first_line);
            else
                sweep.failed = process;
            if (sweep.failed.end != EndKind::error && sweep.failed.end != EndKind::timeout &&
                sweep.failed.end != EndKind::interrupted) {
                sweep.failed.detail = fmt::format("the signal sweep ended ({}) without a plan",
                                                  describe_outcome(sweep.failed));
                sweep.failed.end = EndKind::error;
            }
            return sweep;
        }
        if (stopped || next >= sweep.plan->points.size())
            return sweep;
        // The server ended before every point reported: the next point gets
        // how it ended.
        Outcome outcome = result.outcome;
        if (outcome.end == EndKind::exited || outcome.end == EndKind::signaled) {
            outcome.end = EndKind::error;
            outcome.detail = fmt::format(
                "the unicorn sweep ended ({}) after {} of {} points{}",
                describe_outcome(result.outcome), next, sweep.plan->points.size(),
                result.outcome.err.empty() ? "" : "; stderr: " + tail(result.outcome.err));
        }
        each(next, std::nullopt, 0, outcome);
        return sweep;
    }

private:
    static bool sandbox_for(const RunRequest& request, std::optional<GuestRequest::Sweep> sweep,
                            SandboxRequest& sandbox, std::string& error,
                            std::optional<GuestRequest::SignalSweep> signal_sweep = {}) {
        std::error_code failed;
        std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", failed);
        if (failed) {
            error = "cannot find the crossrt executable (/proc/self/exe)";
            return false;
        }
        GuestRequest guest = guest_request(request, sandbox.writable_dirs);
        guest.sweep = sweep;
        guest.signal_sweep = signal_sweep;
        if (!guest.sysroot.empty()) {
            std::filesystem::path host = std::filesystem::canonical(guest.sysroot, failed);
            if (failed || !std::filesystem::is_directory(host, failed)) {
                error = fmt::format("--sysroot {}: not a directory", guest.sysroot);
                return false;
            }
            guest.sysroot = host.string();
        }
        if (guest.sysroot == "/") {
            // The host's own system: inside the sandbox the kernel's
            // process sees the host's /usr, /lib, /lib64 and /bin and
            // nothing else of / (Landlock refuses to list it), so those are
            // bound, read-only, before the run's own mounts.
            std::vector<Mount> system;
            for (const char* dir : {"/usr", "/lib", "/lib64", "/bin"}) {
                if (std::filesystem::is_directory(dir, failed))
                    system.push_back({dir, dir, true});
            }
            guest.mounts.insert(guest.mounts.begin(), system.begin(), system.end());
            guest.sysroot.clear();
        }
        // The kernel reads a bind's host files from inside the sandbox (its
        // cwd is not the caller's): each by its real path, readable there.
        std::vector<std::string> bound;
        for (Mount& mount : guest.mounts) {
            std::filesystem::path host = std::filesystem::canonical(mount.host, failed);
            if (failed || !std::filesystem::is_directory(host, failed)) {
                error =
                    fmt::format("--mount {}: {} is not a directory", mount_spec(mount), mount.host);
                return false;
            }
            mount.host = host.string();
            bound.push_back(mount.host);
        }
        if (!guest.sysroot.empty())
            bound.push_back(guest.sysroot);
        auto encoded = encode_request(guest, error);
        if (!encoded)
            return false;
        sandbox.argv = {self.string(), "unicorn-guest", *encoded};
        sandbox.env = request.env;
        sandbox.timeout_s = request.timeout_s;
        sandbox.limits = request.limits;
        sandbox.emulator_reserved_bytes = unicorn_reserved_overhead;
        sandbox.emulator_resident_bytes = unicorn_resident_overhead;
        // A sweep runs `parallel` forks of the booted guest at once, each
        // with its own copy of the guest's memory.
        if (sweep)
            sandbox.guests_at_once = sweep->parallel;
        if (signal_sweep)
            sandbox.guests_at_once = signal_sweep->parallel;
        // crossrt built with AddressSanitizer reserves terabytes of shadow
        // memory as it starts, which any RLIMIT_DATA refuses: its guest
        // process gets none, and where no cgroup counts memory the guest's
        // is capped by the kernel's own count of its pages (max_memory).
        sandbox.data_limit = !kAddressSanitizer;
        // LeakSanitizer stops the world with PTRACE_ATTACH, which the
        // sandbox's seccomp filter refuses ("LeakSanitizer has encountered
        // a fatal error" at every exit): the sandboxed kernel process of a
        // sanitizer build runs without it. The kernel's leaks are checked
        // where it runs in-process, in the kernel tests. (sandbox.env is
        // this process's own: the guest's environment is in the request.)
        if (kAddressSanitizer)
            sandbox.env["ASAN_OPTIONS"] = "detect_leaks=0";
        sandbox.io = request.io;
        // The kernel's process needs none of the caller's environment (the
        // guest's is in the request) and runs in its temp dir: the guest's
        // cwd is in the run's tree.
        sandbox.share_stdin = request.share_stdin;
        sandbox.readable = {self.string(), request.binary};
        if (!guest.schedule_file.empty())
            sandbox.readable.push_back(guest.schedule_file);
        sandbox.readable.insert(sandbox.readable.end(), bound.begin(), bound.end());
        sandbox.writable_dirs.insert(sandbox.writable_dirs.end(), request.writable_dirs.begin(),
                                     request.writable_dirs.end());
        sandbox.cancel = request.cancel;
        sandbox.report_channel = true;
        if (request.gdb_fd >= 0) {
            // A person at gdb takes their time: no wall clock, no CPU limit.
            sandbox.pass_fd = request.gdb_fd;
            sandbox.timeout_s = 0;
        }
        return true;
    }
};

} // namespace

std::unique_ptr<Backend> make_unicorn_backend() {
    return std::make_unique<UnicornBackend>();
}

} // namespace crossrt
