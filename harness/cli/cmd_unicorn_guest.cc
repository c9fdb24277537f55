// crossrt unicorn-guest REQUEST (hidden): the process the unicorn backend
// runs in its sandbox. REQUEST is the guest protocol's request
// (backend/guest_protocol.h), one JSON argument. It boots the kernel on the
// binary and becomes the guest as far as the outside can tell: the guest's
// output on fds 1 and 2, its exit status, or death by its fatal signal. How
// the run ended also goes to the request's report fd as the protocol's
// report; an end that is not the guest's own exits with status 125.
#include "backend/backend.h"
#include "backend/guest_protocol.h"
#include "cli/context.h"
#include "cli/unicorn_guest.h"
#include "kernel/fork_sweep.h"
#include "kernel/kernel.h"
#include "kernel/replay.h"
#include "kernel/schedule.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

static_assert(crossrt::kernel::kMaxProcesses <= crossrt::kUnicornEngines,
              "the unicorn backend's memory limit must have room for every guest process");

namespace crossrt {

void send_report(std::optional<int> fd, const GuestReport& report) {
    if (fd) {
        std::string line = encode_report(report);
        ssize_t ignored = write(*fd, line.data(), line.size());
        (void)ignored;
    } else if (report.end != EndKind::exited && report.end != EndKind::signaled) {
        fmt::print(stderr, "crossrt: {}: {}\n", end_kind_name(report.end), report.detail);
    }
}

[[noreturn]] static void die_by_signal(int signo) {
    std::signal(signo, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(signo);
    _exit(128 + signo);
}

// The harness's policy request in the kernel's terms (its strategy name was
// checked where the user gave it).
kernel::PolicyOptions policy_options(const SchedulePolicyRequest& request) {
    kernel::PolicyOptions policy;
    policy.strategy = kernel::parse_strategy(request.strategy).value_or(kernel::Strategy::random);
    policy.pct_depth = request.pct_depth;
    policy.pct_steps = request.pct_steps;
    for (const Deviation& deviation : request.deviations)
        policy.deviations[deviation.point] = {deviation.pid, deviation.lwp};
    return policy;
}

kernel::KernelOptions guest_kernel_options(const GuestRequest& request) {
    kernel::KernelOptions options;
    if (request.seed)
        options.seed = *request.seed;
    options.strict = request.strict;
    options.trace_path = request.trace_file;
    options.policy = policy_options(request.policy);
    options.record_points = !request.points_file.empty();
    options.timeline_path = request.timeline_file;
    options.injections = request.inject;
    if (request.max_insns)
        options.max_insns = *request.max_insns;
    if (request.max_memory)
        options.max_memory = *request.max_memory;
    options.every_instruction = request.every_instruction;
    if (request.cpus)
        options.cpus = *request.cpus;
    options.argv = request.argv;
    options.mounts = request.mounts;
    options.sysroot = request.sysroot;
    if (!request.cwd.empty())
        options.cwd = request.cwd;
    options.executable = request.argv.front();
    if (request.env) {
        options.envp = *request.env;
    } else {
        for (char** entry = environ; *entry != nullptr; ++entry)
            options.envp.emplace_back(*entry);
    }
    return options;
}

namespace {

// The schedule file's decisions into options, after checking that they
// were made for this program and these options; false and why if not.
bool take_schedule(const std::string& path, const kernel::ElfImage& image,
                   kernel::KernelOptions& options, std::string& error) {
    std::ifstream file(path);
    if (!file) {
        error = fmt::format("--schedule {}: cannot read it", path);
        return false;
    }
    std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    std::string why;
    auto schedule = kernel::parse_schedule(text, why);
    if (!schedule) {
        error = fmt::format("--schedule {}: {}", path, why);
        return false;
    }
    std::string name = std::filesystem::path(image.path).filename().string();
    std::string recorded = std::filesystem::path(schedule->program).filename().string();
    if (recorded != name || schedule->program_size != image.bytes.size()) {
        error =
            fmt::format("--schedule {}: made for {} ({} bytes), not for {} ({} bytes)", path,
                        schedule->program, schedule->program_size, image.path, image.bytes.size());
        return false;
    }
    if (schedule->seed != options.seed || schedule->cpus != options.cpus) {
        error = fmt::format("--schedule {}: made with seed {} and {} CPUs; this run has seed {} "
                            "and {} CPUs (--seed, --cpus)",
                            path, schedule->seed, schedule->cpus, options.seed, options.cpus);
        return false;
    }
    // The decisions were made where the strategy decides: the replay
    // decides at the same points, and the strategy goes on after them.
    auto strategy = kernel::parse_strategy(schedule->strategy);
    bool asked = options.policy.strategy != kernel::Strategy::random;
    if (asked && strategy != options.policy.strategy) {
        error = fmt::format("--schedule {}: made by strategy {}, and this run asks for {}", path,
                            schedule->strategy, kernel::strategy_name(options.policy.strategy));
        return false;
    }
    options.policy.strategy = strategy.value_or(kernel::Strategy::random);
    options.policy.pct_depth = schedule->pct_depth;
    options.policy.pct_steps = schedule->pct_steps;
    options.replay_schedule = std::move(schedule->decisions);
    return true;
}

bool write_schedule(const std::string& path, const kernel::ElfImage& image,
                    const kernel::KernelOptions& options,
                    const std::vector<kernel::Decision>& decisions, std::string& error) {
    kernel::Schedule schedule;
    schedule.program = image.path;
    schedule.program_size = image.bytes.size();
    schedule.seed = options.seed;
    schedule.cpus = options.cpus;
    schedule.strategy = std::string(kernel::strategy_name(options.policy.strategy));
    schedule.pct_depth = options.policy.pct_depth;
    schedule.pct_steps = options.policy.pct_steps;
    schedule.decisions = decisions;
    std::ofstream file(path, std::ios::trunc);
    file << kernel::format_schedule(schedule);
    file.close();
    if (!file) {
        error = fmt::format("--record-schedule {}: cannot write it", path);
        return false;
    }
    return true;
}

} // namespace

// What a run that ran out of host memory reports: a verdict, not the
// SIGABRT of an uncaught exception, which would read as the guest's signal.
GuestReport out_of_memory(const std::string& what) {
    return error_report(fmt::format("the emulator ran out of host memory ({})", what));
}

int guest_status(const kernel::RunEnd& end) {
    if (end.kind == EndKind::exited)
        return end.status;
    if (end.kind == EndKind::signaled)
        die_by_signal(end.status);
    return exit_verdict;
}

int guarded_variant(int side_fd, const std::function<int()>& run) {
    // Each variant runs in a fork of its own: what it throws must end that
    // fork with a report, not unwind into the sweep's code.
    try {
        return run();
    } catch (const std::bad_alloc& failure) {
        send_report(side_fd, out_of_memory(failure.what()));
    } catch (const std::exception& failure) {
        send_report(side_fd, error_report(failure.what()));
    }
    return exit_verdict;
}

Outcome forked_outcome(const kernel::ForkedRun& run) {
    Outcome outcome;
    if (run.timed_out) {
        outcome.end = EndKind::timeout;
    } else if (run.output_over) {
        outcome.end = EndKind::output_limit;
    } else if (WIFEXITED(run.wait_status)) {
        outcome.end = EndKind::exited;
        outcome.status = WEXITSTATUS(run.wait_status);
    } else {
        outcome.end = EndKind::signaled;
        outcome.status = WTERMSIG(run.wait_status);
    }
    outcome.out = run.out;
    outcome.err = run.err;
    outcome.duration_s = run.duration_s;
    return outcome;
}

bool write_line(int fd, const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
        ssize_t n = write(fd, line.data() + done, line.size() - done);
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

namespace {

// A sweep: boot once, then each seed in a fork of the booted kernel, its
// SeedReport on the report fd.
int serve_sweep(const GuestRequest& request, const kernel::ElfImage& image) {
    const GuestRequest::Sweep& sweep = *request.sweep;
    kernel::KernelOptions options = guest_kernel_options(request);
    options.seed = sweep.first;
    options.trace_path.clear(); // each fork opens its own
    options.timeline_path.clear();
    auto booted = std::make_unique<kernel::Kernel>(options);
    std::string error;
    if (!booted->boot(image, error)) {
        send_report(request.report_fd, error_report(error));
        return exit_verdict;
    }
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t k = 0; k < sweep.count; ++k)
        seeds.push_back(sweep.first + k);
    kernel::ForkSweepOptions fork_options;
    fork_options.parallel = sweep.parallel;
    fork_options.timeout_s = sweep.timeout_s;
    fork_options.output_bytes = sweep.output_bytes;
    auto run_variant = [&](std::uint64_t key, int side_fd) {
        std::string why;
        std::string trace =
            request.trace_file.empty() ? "" : sweep_trace_file(request.trace_file, key);
        std::optional<kernel::ProgramRun> run;
        // A sweep of policies: each with its own, all with the first seed.
        bool policies = !sweep.policies.empty();
        std::uint64_t seed = policies ? sweep.first : key;
        bool ready = booted->reseed(seed, trace, why) &&
                     (request.timeline_file.empty() ||
                      booted->open_timeline(sweep_trace_file(request.timeline_file, seed), why));
        if (ready && policies)
            booted->set_policy(policy_options(sweep.policies[key - sweep.first]));
        if (ready) {
            kernel::RunEnd end = booted->run();
            run = kernel::finish_program(std::move(booted), std::move(end), image, why);
        }
        GuestReport report =
            run ? GuestReport{run->end.kind, run->end.status, run->end.detail, run->schedule_hash}
                : error_report(why);
        if (run && !request.points_file.empty()) {
            std::ofstream points(sweep_trace_file(request.points_file, key), std::ios::trunc);
            points << kernel::format_points(run->points);
        }
        send_report(side_fd, report);
        return run ? guest_status(run->end) : exit_verdict;
    };
    auto variant = [&](std::uint64_t seed, int side_fd) {
        return guarded_variant(side_fd, [&] { return run_variant(seed, side_fd); });
    };
    auto done = [&](kernel::ForkedRun run) {
        SeedReport seed;
        seed.seed = run.key;
        seed.outcome = forked_outcome(run);
        seed.report = std::move(run.side);
        seed.cpu_s = run.cpu_s;
        // Nobody reads: stop.
        return !request.report_fd || write_line(*request.report_fd, encode_seed_report(seed));
    };
    if (!kernel::fork_each(seeds, fork_options, variant, done, error)) {
        fmt::print(stderr, "crossrt unicorn-guest: sweep: {}\n", error);
        return exit_verdict;
    }
    return 0;
}

// The command; report_fd is set as soon as the request names it.
int unicorn_guest(const std::vector<std::string>& args, std::optional<int>& report_fd) {
    if (args.size() != 1) {
        fmt::print(stderr, "crossrt unicorn-guest: want one argument, the request (JSON)\n");
        return exit_usage;
    }
    std::string why;
    auto request = decode_request(args[0], why);
    if (!request) {
        fmt::print(stderr, "crossrt unicorn-guest: bad request: {}\n", why);
        return exit_usage;
    }
    report_fd = request->report_fd;
    kernel::ElfRead elf = kernel::read_elf(request->argv.front());
    if (!elf.image) {
        send_report(request->report_fd, error_report(elf.error));
        return exit_verdict;
    }
    if (request->sweep)
        return serve_sweep(*request, *elf.image);
    if (request->signal_sweep)
        return serve_signal_sweep(*request, *elf.image);
    std::string error;
    kernel::KernelOptions options = guest_kernel_options(*request);
    if (!request->schedule_file.empty() &&
        !take_schedule(request->schedule_file, *elf.image, options, error)) {
        send_report(request->report_fd, error_report(error));
        return exit_verdict;
    }
    if (request->gdb_fd)
        return serve_debugger(*request, *elf.image, std::move(options));
    options.record_schedule = !request->record_schedule_file.empty();
    auto run = kernel::run_program(*elf.image, options, error);
    if (!run) {
        send_report(request->report_fd, error_report(error));
        return exit_verdict;
    }
    kernel::RunEnd end = run->end;
    if (options.record_schedule &&
        !write_schedule(request->record_schedule_file, *elf.image, options, run->decisions, error))
        end = {EndKind::error, 0, error};
    if (options.record_points) {
        std::ofstream points(request->points_file, std::ios::trunc);
        points << kernel::format_points(run->points);
        points.close();
        if (!points)
            end = {EndKind::error, 0, fmt::format("cannot write {}", request->points_file)};
    }
    send_report(request->report_fd, {end.kind, end.status, end.detail, run->schedule_hash});
    return guest_status(end);
}

} // namespace

int unicorn_guest_main(const std::vector<std::string>& args) {
    // Anywhere in the kernel or the loader: the run's end, with a report,
    // instead of std::terminate's SIGABRT.
    std::optional<int> report_fd;
    try {
        return unicorn_guest(args, report_fd);
    } catch (const std::bad_alloc& error) {
        send_report(report_fd, out_of_memory(error.what()));
    } catch (const std::exception& error) {
        send_report(report_fd, error_report(fmt::format("the emulator failed: {}", error.what())));
    }
    return exit_verdict;
}

} // namespace crossrt
