// crossrt run: run the selected cells in parallel, judge them, report.
#include "backend/sandbox.h"
#include "base/bounds.h"
#include "base/signal_sweep.h"
#include "cli/cell_runner.h"
#include "cli/context.h"
#include "cli/gdb_listen.h"
#include "cli/interrupt.h"
#include "cli/number_options.h"
#include "cli/run_shard.h"
#include "kernel/options.h"
#include "report/report_files.h"

#include <algorithm>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <thread>
#include <unistd.h>

namespace crossrt {
namespace {

struct RunOptions {
    CellFilter filter;
    unsigned jobs = 0; // 0: the number of CPUs
    std::string junit;
    std::string json;
    std::string tap;
    std::string shard; // K/N
    std::string shard_costs;
    bool quiet = false;
    bool verbose = false;
    int repeat = 1;
    std::optional<std::uint64_t> seed;
    std::optional<int> seeds;
    bool strict = false;
    std::optional<int> cpus;
    std::string trace_dir;
    std::string schedule_file;
    std::string timeline_dir;
    std::optional<std::uint64_t> memory_mib;
    std::optional<std::uint64_t> tasks;
    std::string signal_sweep;
    std::string gdb; // --gdb PORT or unix:PATH
};

// CTest and GoogleTest-aware CI touch this file to learn that sharding is understood.
void touch_shard_status_file() {
    const char* path = std::getenv("GTEST_SHARD_STATUS_FILE");
    if (path == nullptr || *path == '\0')
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
}

bool write_reports(const RunOptions& options, const std::vector<CellResult>& results,
                   const RunSelection& run) {
    return write_report_files({options.json, options.junit, options.tap}, results,
                              {run.selection, run.shard, describe_sandbox(sandbox_support())}, "");
}

// Each job's expected seconds by its result's name, for the time left.
std::map<std::string, double> expected_job_costs(const std::vector<CellJob>& jobs,
                                                 const RunSelection& run) {
    std::map<const Cell*, double> by_cell;
    for (std::size_t i = 0; i < run.cells.size(); ++i)
        by_cell[run.cells[i]] = run.costs[i];
    std::map<std::string, double> costs;
    for (const CellJob& job : jobs) {
        costs[job.show_repeat ? fmt::format("{}#{}", job.cell->name, job.repeat) : job.cell->name] =
            by_cell[job.cell];
    }
    return costs;
}

int run_run(const GlobalOptions& global, const RunOptions& options) {
    install_interrupt_handlers();
    auto suite = load_suite(global);
    if (!suite)
        return exit_usage;
    if (!check_cell_filter(*suite, options.filter))
        return exit_usage;
    touch_shard_status_file();
    auto run = select_run(select_cells(suite->cells, options.filter), options.repeat, options.shard,
                          options.shard_costs);
    if (!run)
        return exit_usage;
    const std::vector<const Cell*>& cells = run->cells;

    if (!options.signal_sweep.empty()) {
        std::string why;
        if (!parse_signal_sweep(options.signal_sweep, why)) {
            fmt::print(stderr, "crossrt: --signal-sweep {}\n", why);
            return exit_usage;
        }
        if (options.seeds && *options.seeds > 1) {
            fmt::print(stderr, "crossrt: --signal-sweep and --seeds: a cell sweeps seeds or "
                               "signal points, not both\n");
            return exit_usage;
        }
    }
    for (const auto& [dir, what] :
         {std::pair{&options.trace_dir, "trace"}, std::pair{&options.timeline_dir, "timeline"}}) {
        if (dir->empty())
            continue;
        std::error_code error;
        std::filesystem::create_directories(*dir, error);
        if (error) {
            fmt::print(stderr, "crossrt: cannot create the {} directory {}: {}\n", what, *dir,
                       error.message());
            return exit_usage;
        }
    }
    int gdb_fd = -1;
    if (!options.gdb.empty()) {
        // One run, of one unicorn cell, for a person at gdb.
        if (cells.size() != 1 || options.repeat != 1 || !options.signal_sweep.empty() ||
            (options.seeds && *options.seeds > 1)) {
            fmt::print(stderr,
                       "crossrt: --gdb debugs one run of one cell; the selection has {} cells "
                       "(name one: crossrt run SCENARIO/ARCH-OS/unicorn/VARIANT --gdb ...), and "
                       "takes no --repeat, --seeds or --signal-sweep\n",
                       cells.size());
            return exit_usage;
        }
        if (cells.front()->backend != "unicorn" && cells.front()->backend != "qemu") {
            fmt::print(stderr,
                       "crossrt: --gdb: {} runs on the {} backend, which has no gdb stub "
                       "(unicorn and qemu have)\n",
                       cells.front()->name, cells.front()->backend);
            return exit_usage;
        }
        std::string why;
        auto endpoint = parse_gdb_endpoint(options.gdb, why);
        gdb_fd = endpoint ? accept_gdb(*endpoint, why) : -1;
        if (gdb_fd < 0) {
            fmt::print(stderr, "crossrt: {}\n", why);
            return exit_usage;
        }
    }
    std::vector<CellJob> jobs = make_jobs(cells, options.repeat);
    // The command a sweep prints to repeat one seed: global options only where
    // they differ from the defaults, so it stays short enough to paste.
    std::string repeat_command = crossrt_executable().string();
    if (global.scenarios_dir != default_scenarios_dir())
        repeat_command +=
            " --scenarios " + std::filesystem::absolute(global.scenarios_dir).string();
    if (!global.build_dir.empty())
        repeat_command += " --build-dir " + std::filesystem::absolute(global.build_dir).string();
    if (global.full)
        repeat_command += " --full";
    repeat_command += options.strict ? " run --strict" : " run";
    if (options.cpus)
        repeat_command += fmt::format(" --cpus {}", *options.cpus);
    unsigned parallelism =
        options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    std::filesystem::path build = build_dir(global);
    std::atomic<bool>& cancel = interrupt_flag();
    ConsoleReporter reporter(stdout, isatty(STDOUT_FILENO) != 0, jobs.size(),
                             options.quiet     ? ConsoleMode::quiet
                             : options.verbose ? ConsoleMode::verbose
                                               : ConsoleMode::normal);
    reporter.set_expected_costs(expected_job_costs(jobs, *run));
    std::vector<CellResult> results = run_jobs(
        jobs, parallelism,
        [&](const CellJob& job) {
            CellRunSettings settings;
            settings.seed = options.seed;
            settings.seeds = options.seeds;
            settings.signal_sweep = options.signal_sweep;
            settings.repeat_command = repeat_command;
            settings.strict = options.strict;
            settings.cpus = options.cpus;
            settings.trace_dir = options.trace_dir;
            settings.schedule_file = options.schedule_file;
            settings.timeline_dir = options.timeline_dir;
            settings.memory_mib = options.memory_mib;
            settings.tasks = options.tasks;
            settings.gdb_fd = gdb_fd;
            settings.repeat = job.show_repeat ? job.repeat : 1;
            settings.all_cells = &suite->cells;
            // The -j workers: a lone sweep gets them all, cells running side
            // by side share them.
            settings.seed_parallelism = static_cast<int>(std::max<std::size_t>(
                1, parallelism /
                       std::max<std::size_t>(1, std::min<std::size_t>(parallelism, jobs.size()))));
            return run_cell(*job.cell, build, cancel, settings);
        },
        &reporter, cancel);
    reporter.summary(results);
    bool reports_written = write_reports(options, results, *run);
    if (cancel.load()) {
        fmt::print(stderr, "crossrt: interrupted\n");
        return exit_interrupted;
    }
    bool failures = std::any_of(results.begin(), results.end(), [](const CellResult& result) {
        return is_failure(result.verdict);
    });
    return failures || !reports_written ? exit_failures : exit_ok;
}

} // namespace

void register_run_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* command = app.add_subcommand("run", "run cells and judge them");
    add_cell_filter_options(*command, options->filter);
    command->add_option("-j,--jobs", options->jobs, "cells run at once (default: CPUs)")
        ->transform(integer_option(1, kMaxJobs));
    command->add_option("--junit", options->junit, "write a JUnit XML report here");
    command->add_option("--json", options->json,
                        "write a JSON report here (docs/report.schema.json)");
    command->add_option("--tap", options->tap, "write a TAP (version 13) report here");
    command->add_option("--shard", options->shard,
                        "run shard K of N (1 <= K <= N) of the selected cells, split by "
                        "expected cost (docs/ci.md); default: GTEST_SHARD_INDEX (0-based) of "
                        "GTEST_TOTAL_SHARDS when set");
    command
        ->add_option("--shard-costs", options->shard_costs,
                     "a previous JSON report whose durations weigh the cells for --shard and "
                     "the time left (default: the manifests' timeouts); every shard must get "
                     "the same")
        ->check(CLI::ExistingFile);
    auto* quiet =
        command->add_flag("-q,--quiet", options->quiet, "print only failing cells and the summary");
    command
        ->add_flag("-v,--verbose", options->verbose,
                   "print every cell, with its emulator, seed and the command that repeats it")
        ->excludes(quiet);
    command->add_option("--repeat", options->repeat, "run every cell N times")
        ->transform(integer_option(1, kMaxRepeat));
    command
        ->add_option("--seed", options->seed,
                     "unicorn: the scheduling seed (default: the manifest's, else a fixed one)")
        ->transform(integer_option(0, UINT64_MAX));
    command
        ->add_option("--seeds", options->seeds,
                     "unicorn: sweep N consecutive seeds from --seed (or the manifest's) "
                     "per cell, stopping at the first that settles the verdict; overrides "
                     "the manifest's `seeds`")
        ->transform(integer_option(1, kMaxSeeds));
    command->add_flag("--strict", options->strict,
                      "unicorn: an unsupported syscall ends the cell with verdict error");
    command
        ->add_option("--cpus", options->cpus,
                     "unicorn: the CPUs the kernel presents (overrides the manifest's `cpus`)")
        ->transform(integer_option(1, kernel::kMaxCpus));
    command->add_option(
        "--signal-sweep", options->signal_sweep,
        "unicorn: SIG@SYMBOL or SIG@BEGIN-END; each cell runs to the region, then once per "
        "instruction of it with SIG delivered there, from that snapshot (overrides the "
        "manifest's `signal_sweep`; cells of other backends are skipped)");
    command->add_option("--trace", options->trace_dir,
                        "unicorn: write one trace per cell into this directory");
    command
        ->add_option("--schedule", options->schedule_file,
                     "unicorn: replay this schedule file (--record-schedule, crossrt explore) "
                     "with its seed (--seed); no seed sweep")
        ->check(CLI::ExistingFile);
    command->add_option("--timeline", options->timeline_dir,
                        "unicorn: write one timeline per cell (Chrome trace-event JSON, "
                        "NAME.timeline.json) into this directory");
    command->add_option("--gdb", options->gdb,
                        "debug the one selected cell (unicorn: crossrt's stub; qemu: "
                        "qemu-user's -g) with gdb on this TCP port (127.0.0.1) or unix:PATH, "
                        "stopped before its first instruction");
    add_cap_options(*command, options->memory_mib, options->tasks);
    command->callback([&global, &exit_code, options] { exit_code = run_run(global, *options); });
}

} // namespace crossrt
