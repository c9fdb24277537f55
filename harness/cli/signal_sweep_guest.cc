// The unicorn guest's side of a signal sweep: resolve the region in the
// binary, boot once with the region hooked, let a first run find the
// region's points (kernel/signal_sweep.h), pause the booted kernel where
// the region is first reached, and from that snapshot fork one variant per
// point that delivers the signal at the point's instruction count.
#include "backend/sweep_protocol.h"
#include "base/signal_sweep.h"
#include "cli/unicorn_guest.h"
#include "kernel/kernel.h"
#include "kernel/replay.h"
#include "kernel/signal_sweep.h"

#include <fmt/format.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt {
namespace {

bool write_all(int fd, const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
        ssize_t n = write(fd, line.data() + done, line.size() - done);
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// What a variant writes on its side fd: its GuestReport line, then where
// the signal landed ("landed PC LWP"; absent: never delivered).
struct VariantSide {
    std::string report;
    std::optional<std::uint64_t> landed_pc;
    int landed_lwp = 0;
};

VariantSide read_side(const std::string& side) {
    VariantSide parsed;
    std::istringstream lines(side);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.starts_with("landed ")) {
            std::istringstream words(line.substr(7));
            std::uint64_t pc = 0;
            if (words >> pc >> parsed.landed_lwp)
                parsed.landed_pc = pc;
        } else if (parsed.report.empty()) {
            parsed.report = line + "\n";
        }
    }
    return parsed;
}

Outcome fork_outcome(const kernel::ForkedRun& run) {
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

} // namespace

int serve_signal_sweep(const GuestRequest& request, const kernel::ElfImage& image) {
    const GuestRequest::SignalSweep& sweep = *request.signal_sweep;
    std::string error;
    auto fail = [&](const std::string& why) {
        send_report(request.report_fd, {EndKind::error, 0, why});
        return exit_verdict;
    };
    auto spec = parse_signal_sweep(sweep.spec, error);
    if (!spec)
        return fail(fmt::format("--signal-sweep {}", error));
    auto region = kernel::resolve_region(image, *spec, error);
    if (!region)
        return fail(error);

    kernel::KernelOptions options = guest_kernel_options(request);
    options.trace_path.clear(); // each variant's run is its own
    // The region runs with an instruction hook from the start: the first
    // run sees each of its instructions, and a fault in it needs no replay.
    options.exact_ranges.emplace_back(region->begin, region->end);
    auto booted = std::make_unique<kernel::Kernel>(options);
    if (!booted->boot(image, error))
        return fail(error);
    kernel::ForkSweepOptions fork_options;
    fork_options.parallel = sweep.parallel;
    fork_options.timeout_s = sweep.timeout_s;
    fork_options.output_bytes = sweep.output_bytes;
    auto found = kernel::discover_signal_points(*booted, *region, fork_options, error);
    if (!found)
        return fail(fmt::format("the sweep's first run: {}", error));

    SweepPlan plan;
    plan.region = region->name;
    plan.begin = region->begin;
    plan.end = region->end;
    plan.instructions = region->instructions;
    plan.points = found->points;
    plan.discovery = found->ended;
    if (!request.report_fd || !write_all(*request.report_fd, encode_sweep_plan(plan)))
        return exit_verdict;
    if (plan.points.empty())
        return 0; // the harness says the region was never reached

    // The snapshot: this process, paused before the region's first
    // instruction runs; each variant forks from here.
    std::uint64_t entry = plan.points.front().count;
    for (const SignalPoint& point : plan.points)
        entry = std::min(entry, point.count);
    if (auto ended = booted->run_until(entry))
        return fail(fmt::format("the run ended ({}) before the region's first instruction, "
                                "which the sweep's first run reached after {} instructions",
                                ended->detail, entry));

    std::vector<std::uint64_t> keys;
    for (std::uint64_t k = 0; k < plan.points.size(); ++k)
        keys.push_back(k);
    auto run_variant = [&](std::uint64_t index, int side_fd) {
        const SignalPoint& point = plan.points[index];
        booted->add_injection(Injection{spec->signo, point.count, 0});
        kernel::RunEnd end = booted->run();
        const Injection& injection = booted->options().injections.back();
        std::string landed = injection.done ? fmt::format("landed {} {}\n", injection.landed_pc,
                                                          injection.landed_lwp)
                                            : "";
        std::string why;
        auto run = kernel::finish_program(std::move(booted), std::move(end), image, why);
        GuestReport report = run ? GuestReport{run->end.kind, run->end.status, run->end.detail}
                                 : GuestReport{EndKind::error, 0, why};
        write_all(side_fd, encode_report(report) + landed);
        return run ? guest_status(run->end) : exit_verdict;
    };
    auto variant = [&](std::uint64_t index, int side_fd) {
        try {
            return run_variant(index, side_fd);
        } catch (const std::bad_alloc& failure) {
            send_report(side_fd, out_of_memory(failure.what()));
        } catch (const std::exception& failure) {
            send_report(side_fd, {EndKind::error, 0, failure.what()});
        }
        return exit_verdict;
    };
    auto done = [&](kernel::ForkedRun run) {
        VariantSide side = read_side(run.side);
        PointReport point;
        point.index = run.key;
        point.landed_pc = side.landed_pc;
        point.landed_lwp = side.landed_lwp;
        point.run.seed = run.key;
        point.run.outcome = fork_outcome(run);
        point.run.report = side.report;
        point.run.cpu_s = run.cpu_s;
        return write_all(*request.report_fd, encode_point_report(point));
    };
    if (!kernel::fork_each(keys, fork_options, variant, done, error)) {
        fmt::print(stderr, "crossrt unicorn-guest: signal sweep: {}\n", error);
        return exit_verdict;
    }
    return 0;
}

} // namespace crossrt
