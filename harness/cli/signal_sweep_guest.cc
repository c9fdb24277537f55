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

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <functional>
#include <sstream>
#include <sys/mman.h>
#include <unistd.h>

namespace crossrt {
namespace {

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

// What the guest writes to fds 1 and 2 while run() runs, kept instead of
// written: the output of the run up to the snapshot, which every variant's
// own output starts with. False (and why) when the fds cannot be swapped.
bool capture_output(const std::function<void()>& run, std::string (&kept)[2], std::string& error) {
    int saved[2] = {-1, -1};
    int files[2] = {-1, -1};
    bool ok = true;
    for (int i = 0; i < 2 && ok; ++i) {
        files[i] = memfd_create(i == 0 ? "out" : "err", MFD_CLOEXEC);
        saved[i] = dup(i + 1);
        ok = files[i] >= 0 && saved[i] >= 0 && dup2(files[i], i + 1) >= 0;
    }
    if (ok)
        run();
    for (int i = 0; i < 2; ++i) {
        if (saved[i] >= 0) {
            dup2(saved[i], i + 1);
            close(saved[i]);
        }
        if (files[i] < 0)
            continue;
        char buffer[65536];
        ssize_t n = 0;
        lseek(files[i], 0, SEEK_SET);
        while ((n = read(files[i], buffer, sizeof buffer)) > 0)
            kept[i].append(buffer, static_cast<std::size_t>(n));
        close(files[i]);
    }
    if (!ok)
        error = fmt::format("cannot keep the guest's output up to the snapshot: {}",
                            std::strerror(errno));
    return ok;
}

} // namespace

int serve_signal_sweep(const GuestRequest& request, const kernel::ElfImage& image) {
    const GuestRequest::SignalSweep& sweep = *request.signal_sweep;
    std::string error;
    auto fail = [&](const std::string& why) {
        send_report(request.report_fd, error_report(why));
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
    if (!request.report_fd || !write_line(*request.report_fd, encode_sweep_plan(plan)))
        return exit_verdict;
    if (plan.points.empty())
        return 0; // the harness says the region was never reached

    // The snapshot: this process, paused before the region's first
    // instruction runs; each variant forks from here.
    std::uint64_t entry = plan.points.front().count;
    for (const SignalPoint& point : plan.points)
        entry = std::min(entry, point.count);
    std::optional<kernel::RunEnd> ended;
    std::string before[2]; // the guest's stdout and stderr up to the snapshot
    if (!capture_output([&] { ended = booted->run_until(entry); }, before, error))
        return fail(error);
    if (ended)
        return fail(fmt::format("the run ended ({}) before the region's first instruction, "
                                "which the sweep's first run reached after {} instructions",
                                ended->detail, entry));

    std::vector<std::uint64_t> keys;
    for (std::uint64_t k = 0; k < plan.points.size(); ++k)
        keys.push_back(k);
    auto run_variant = [&](std::uint64_t index, int side_fd) {
        const SignalPoint& point = plan.points[index];
        // The fork's fds 1 and 2 are its own: the run's output so far first.
        if (!write_line(1, before[0]) || !write_line(2, before[1]))
            return exit_verdict;
        booted->add_injection(Injection{spec->signo, point.count, 0});
        kernel::RunEnd end = booted->run();
        const Injection& injection = booted->options().injections.back();
        std::string landed = injection.done ? fmt::format("landed {} {}\n", injection.landed_pc,
                                                          injection.landed_lwp)
                                            : "";
        std::string why;
        auto run = kernel::finish_program(std::move(booted), std::move(end), image, why);
        GuestReport report =
            run ? GuestReport{run->end.kind, run->end.status, run->end.detail, run->schedule_hash}
                : error_report(why);
        write_line(side_fd, encode_report(report) + landed);
        return run ? guest_status(run->end) : exit_verdict;
    };
    auto variant = [&](std::uint64_t index, int side_fd) {
        return guarded_variant(side_fd, [&] { return run_variant(index, side_fd); });
    };
    auto done = [&](kernel::ForkedRun run) {
        VariantSide side = read_side(run.side);
        PointReport point;
        point.index = run.key;
        point.landed_pc = side.landed_pc;
        point.landed_lwp = side.landed_lwp;
        point.run.seed = run.key;
        point.run.outcome = forked_outcome(run);
        point.run.report = side.report;
        point.run.cpu_s = run.cpu_s;
        return write_line(*request.report_fd, encode_point_report(point));
    };
    if (!kernel::fork_each(keys, fork_options, variant, done, error)) {
        fmt::print(stderr, "crossrt unicorn-guest: signal sweep: {}\n", error);
        return exit_verdict;
    }
    return 0;
}

} // namespace crossrt
