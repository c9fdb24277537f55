#include "cli/cell_runner.h"

#include "backend/backend.h"
#include "cli/gotest_cell.h"
#include "cli/seed_sweep.h"
#include "cli/signal_sweep.h"
#include "kernel/options.h"
#include "kernel/types.h"
#include "scenario/plan.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <thread>

namespace crossrt {

static_assert(kMaxManifestCpus == kernel::kMaxCpus, "a manifest's cpus is the kernel's limit");

namespace {

std::string cell_file_stem(const std::string& cell_name, int repeat) {
    std::string name = cell_name;
    std::replace(name.begin(), name.end(), '/', '_');
    if (repeat > 1)
        name += fmt::format("#{}", repeat);
    return name;
}

} // namespace

std::string trace_file_name(const std::string& cell_name, int repeat) {
    return cell_file_stem(cell_name, repeat) + ".trace";
}

std::string timeline_file_name(const std::string& cell_name, int repeat) {
    return cell_file_stem(cell_name, repeat) + ".timeline.json";
}

namespace {

// A judgement that throws (a check that cannot be applied, memory) is the
// cell's error, not the end of the run: the other cells' results and the
// reports must survive it.
template <typename Judge>
Judgement judge_or_error(const Judge& judge_outcome, const Outcome& outcome) {
    try {
        return judge_outcome(outcome);
    } catch (const std::exception& error) {
        return {Verdict::error, fmt::format("cannot judge the outcome: {}", error.what())};
    }
}

// The cell's run as its manifest and `crossrt run` describe it.
RunRequest cell_request(const Cell& cell, const std::filesystem::path& binary,
                        const std::atomic<bool>& cancel, const CellRunSettings& settings) {
    RunRequest request;
    request.target = *cell.target;
    request.binary = binary.string();
    request.args = cell.manifest->args;
    request.env = cell.manifest->env;
    request.timeout_s = cell.manifest->timeout_s;
    request.io = IoMode::capture;
    request.mounts = cell.manifest->mounts;
    request.guest_cwd = cell.manifest->cwd;
    request.cancel = &cancel;
    request.unicorn.seed = settings.seed ? settings.seed : cell.manifest->seed;
    request.unicorn.strict = settings.strict;
    request.unicorn.cpus = settings.cpus ? settings.cpus : cell.manifest->cpus;
    request.unicorn.inject = cell.manifest->inject;
    if (settings.memory_mib)
        request.limits.memory_bytes = *settings.memory_mib << 20;
    if (settings.tasks)
        request.limits.tasks = *settings.tasks;
    return request;
}

// Why the cell cannot run at all (no binary, no backend); nullopt: it can.
std::optional<std::string> cannot_start(const Cell& cell, const std::filesystem::path& binary,
                                        const Backend* backend) {
    std::error_code error;
    if (!std::filesystem::exists(binary, error)) {
        bool full = cell.manifest->gotest && cell.manifest->gotest->full;
        return fmt::format("binary not built: {}{}", binary.string(),
                           full ? " (the full selection is built by a build configured with "
                                  "-DCROSSRT_FULL=ON)"
                                : "");
    }
    if (backend == nullptr)
        return fmt::format("crossrt has no backend '{}'", cell.backend);
    return std::nullopt;
}

// A [gotest] cell: the reference's tests, from the cell's own run when it is
// the reference, else from the cache or a run of the reference cell.
Judgement judge_gotest_cell(const Cell& cell, const Outcome& outcome,
                            const std::filesystem::path& build_dir, const std::atomic<bool>& cancel,
                            const CellRunSettings& settings) {
    const Cell* reference_cell =
        settings.all_cells ? gotest_reference_cell(cell, *settings.all_cells) : nullptr;
    if (reference_cell == nullptr)
        return judge_gotest(cell, outcome, std::nullopt,
                            "the suite has no native or qemu cell of its linux build");
    if (reference_cell == &cell) {
        store_gotest_reference(cell, build_dir, outcome);
        GoTestReference own{cell.name, parse_gotest_output(outcome.out, outcome.err)};
        return judge_gotest(cell, outcome, own);
    }
    ReferenceRun reference = gotest_reference(*reference_cell, build_dir, [&](const Cell& other) {
        std::filesystem::path binary = binary_path(build_dir, other);
        const Backend* backend = find_backend(other.backend);
        Outcome failed;
        failed.end = EndKind::error;
        if (auto why = cannot_start(other, binary, backend)) {
            failed.detail = *why;
            return failed;
        }
        RunRequest request = cell_request(other, binary, cancel, CellRunSettings{});
        if (!prepare_gotest_request(other, binary, request, failed.detail) ||
            !apply_gotest_skips(other, *backend, request, failed.detail))
            return failed;
        return backend->run(request);
    });
    return judge_gotest(cell, outcome, reference.reference, reference.why_not);
}

} // namespace

std::optional<PreparedCell> prepare_cell(const Cell& cell, const std::filesystem::path& build_dir,
                                         const std::atomic<bool>& cancel,
                                         const CellRunSettings& settings, CellResult& result) {
    result.cell = &cell;
    const Backend* backend = find_backend(cell.backend);
    result.seeded = backend != nullptr && backend->schedules_from_seed();
    if (cell.skip) {
        result.verdict = Verdict::skip;
        result.detail = *cell.skip;
        return std::nullopt;
    }
    std::filesystem::path binary = binary_path(build_dir, cell);
    if (auto why = cannot_start(cell, binary, backend)) {
        result.verdict = Verdict::error;
        result.detail = *why;
        return std::nullopt;
    }
    result.emulator = backend->emulator_description(*cell.target);
    PreparedCell prepared;
    prepared.backend = backend;
    prepared.request = cell_request(cell, binary, cancel, settings);
    RunRequest& request = prepared.request;
    if (result.seeded && !settings.trace_dir.empty())
        request.unicorn.trace_file =
            (settings.trace_dir / trace_file_name(cell.name, settings.repeat)).string();
    if (result.seeded && !settings.timeline_dir.empty())
        request.unicorn.timeline_file =
            (settings.timeline_dir / timeline_file_name(cell.name, settings.repeat)).string();
    request.unicorn.schedule_file = settings.schedule_file;
    request.gdb_fd = settings.gdb_fd;
    result.trace_file = request.unicorn.trace_file;
    result.timeline_file = request.unicorn.timeline_file;
    result.repeat_command = fmt::format("{} {}", settings.repeat_command, cell.name);
    if (cell.manifest->gotest && (!prepare_gotest_request(cell, binary, request, result.detail) ||
                                  !apply_gotest_skips(cell, *backend, request, result.detail))) {
        result.verdict = Verdict::error;
        return std::nullopt;
    }
    prepared.judge = [&cell, build_dir, &cancel, settings](const Outcome& outcome) {
        return judge_or_error(
            [&](const Outcome& judged) {
                if (cell.manifest->gotest)
                    return judge_gotest_cell(cell, judged, build_dir, cancel, settings);
                return judge(cell, judged);
            },
            outcome);
    };
    return prepared;
}

CellResult run_cell(const Cell& cell, const std::filesystem::path& build_dir,
                    const std::atomic<bool>& cancel, const CellRunSettings& settings) {
    CellResult result;
    auto prepared = prepare_cell(cell, build_dir, cancel, settings, result);
    if (!prepared)
        return result;
    const Backend* backend = prepared->backend;
    const RunRequest& request = prepared->request;
    auto judge_outcome = prepared->judge;

    std::string signal_sweep =
        settings.signal_sweep.empty() ? cell.manifest->signal_sweep : settings.signal_sweep;
    if (!signal_sweep.empty()) {
        if (!result.seeded) {
            result.verdict = Verdict::skip;
            result.detail =
                fmt::format("--signal-sweep needs the unicorn backend, not {}", cell.backend);
            return result;
        }
        SignalSweepResult swept = sweep_signal_points(
            *backend, request, signal_sweep, settings.seed_parallelism, cell.regress != nullptr,
            judge_outcome, [&cancel] { return cancel.load(); });
        result.verdict = swept.judgement.verdict;
        result.detail = fmt::format("signal sweep {}: {}", signal_sweep, swept.judgement.detail);
        result.sweep_table = format_sweep_table(swept);
        result.duration_s = swept.duration_s;
        result.cpu_s = swept.cpu_s;
        result.seed = request.unicorn.seed;
        return result;
    }

    // A replayed schedule was made with one seed: no sweep.
    // Under gdb: the one run gdb attached to.
    int seeds = settings.schedule_file.empty() && settings.gdb_fd < 0
                    ? settings.seeds.value_or(cell.manifest->seeds)
                    : 1;
    if (!result.seeded || seeds <= 1) {
        Outcome outcome = backend->run(request);
        Judgement judgement = judge_outcome(outcome);
        result.verdict = judgement.verdict;
        result.detail = judgement.detail;
        result.duration_s = outcome.duration_s;
        result.cpu_s = outcome.cpu_s;
        result.seed = request.unicorn.seed;
        if (result.seeded && result.seed)
            result.repeat_command += fmt::format(" --seeds 1 --seed {}", *result.seed);
        return result;
    }

    // A sweep: each seed's trace overwrites the last, so the trace left is
    // the one of the seed that settled the verdict.
    SeedSweep sweep;
    sweep.first = request.unicorn.seed.value_or(kernel::kDefaultSeed);
    sweep.count = seeds;
    sweep.known_failure = cell.xfail.has_value();
    sweep.regression = cell.regress != nullptr;
    SweepResult swept = sweep_seeds(
        sweep,
        [&](const TakeSeed& take) {
            backend->run_seeds(
                request, sweep.first, static_cast<std::uint64_t>(sweep.count),
                settings.seed_parallelism, [&](std::uint64_t seed, const Outcome& outcome) {
                    return take(seed, SeedRun{judge_outcome(outcome), outcome.duration_s,
                                              outcome.cpu_s, outcome.end == EndKind::interrupted});
                });
        },
        fmt::format("{} {} --seeds 1 --seed", settings.repeat_command, cell.name),
        [&cancel] { return cancel.load(); });
    result.verdict = swept.judgement.verdict;
    result.detail = swept.judgement.detail;
    result.duration_s = swept.duration_s;
    result.cpu_s = swept.cpu_s;
    result.seed = swept.seed;
    result.seeds_tried = swept.tried;
    result.repeat_command += fmt::format(" --seeds 1 --seed {}", swept.seed);
    return result;
}

std::vector<CellJob> make_jobs(const std::vector<const Cell*>& cells, int repeat) {
    std::vector<CellJob> jobs;
    for (const Cell* cell : cells) {
        for (int k = 1; k <= std::max(repeat, 1); ++k)
            jobs.push_back({cell, k, repeat > 1});
    }
    return jobs;
}

std::vector<CellResult> run_jobs(const std::vector<CellJob>& jobs, unsigned parallelism,
                                 const CellRunFunction& run, ConsoleReporter* reporter,
                                 const std::atomic<bool>& cancel) {
    std::vector<std::optional<CellResult>> slots(jobs.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        while (!cancel.load()) {
            std::size_t index = next.fetch_add(1);
            if (index >= jobs.size())
                return;
            const CellJob& job = jobs[index];
            std::string name =
                job.show_repeat ? fmt::format("{}#{}", job.cell->name, job.repeat) : job.cell->name;
            if (reporter != nullptr)
                reporter->started(name);
            CellResult result;
            try {
                result = run(job);
            } catch (const std::exception& error) {
                // Out of a worker thread it would end crossrt and every
                // result with it: one cell's error instead.
                result.verdict = Verdict::error;
                result.detail = fmt::format("crossrt could not run the cell: {}", error.what());
            }
            result.cell = job.cell;
            result.repeat = job.repeat;
            result.show_repeat = job.show_repeat;
            slots[index] = result;
            if (reporter != nullptr)
                reporter->finished(result);
        }
    };
    unsigned threads =
        std::max(1u, std::min<unsigned>(parallelism, static_cast<unsigned>(jobs.size())));
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads; ++i)
        pool.emplace_back(worker);
    for (std::thread& thread : pool)
        thread.join();

    std::vector<CellResult> results;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (slots[i]) {
            results.push_back(std::move(*slots[i]));
            continue;
        }
        CellResult not_run;
        not_run.cell = jobs[i].cell;
        not_run.repeat = jobs[i].repeat;
        not_run.show_repeat = jobs[i].show_repeat;
        // Skipped, not an error: it did not run, so it neither failed nor
        // broke, and JUnit's consumers show a <skipped> test as not run
        // (an <error> or a <failure> would count it against the code). The
        // run's exit status (130) says that it is incomplete.
        not_run.verdict = Verdict::skip;
        not_run.detail = "not run (interrupted)";
        results.push_back(std::move(not_run));
    }
    return results;
}

} // namespace crossrt
