// crossrt explore CELL...: search a unicorn cell's schedules for a bug
// (cli/explore.h), shrink what fails, and hand back a schedule file and
// the command that replays it.
#include "cli/cell_runner.h"
#include "cli/context.h"
#include "cli/explore.h"
#include "cli/interrupt.h"
#include "cli/number_options.h"
#include "report/atomic_write.h"
#include "report/status_line.h"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

namespace crossrt {
namespace {

constexpr std::uint64_t kMaxRuns = 10'000'000;

struct ExploreOptions {
    CellFilter filter;
    std::string strategy = "pct";
    int depth = 3;
    int preemptions = 2;
    std::uint64_t runs = 100;
    double time_s = 0;
    bool keep_going = false;
    std::string shard;
    std::optional<std::uint64_t> seed;
    bool no_shrink = false;
    int shrink_runs = 300;
    std::string out_dir = "crossrt-explore";
    std::string json;
    unsigned jobs = 0;
};

std::optional<ExploreStrategy> parse_explore_strategy(const std::string& name) {
    if (name == "random")
        return ExploreStrategy::random;
    if (name == "pct")
        return ExploreStrategy::pct;
    if (name == "systematic")
        return ExploreStrategy::systematic;
    return std::nullopt;
}

// "K/N", 1 <= K <= N.
bool parse_shard(const std::string& text, int& index, int& count) {
    unsigned k = 0;
    unsigned n = 0;
    char slash = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%u%c%u%c", &k, &slash, &n, &extra) != 3 || slash != '/' ||
        k < 1 || n < 1 || k > n || n > 10000)
        return false;
    index = static_cast<int>(k - 1);
    count = static_cast<int>(n);
    return true;
}

std::string strategy_description(const ExploreOptions& options) {
    if (options.strategy == "pct")
        return fmt::format("pct depth {}", options.depth);
    if (options.strategy == "systematic")
        return fmt::format("systematic, at most {} preemptions", options.preemptions);
    return "random";
}

// One status line on a terminal, rewritten in place; plain lines every
// ten seconds otherwise.
class ProgressLine {
public:
    explicit ProgressLine(std::string cell)
        : cell_(std::move(cell)), tty_(isatty(1) != 0), status_(stdout) {}
    void update(const ExploreStatus& status) {
        double rate =
            status.elapsed_s > 0 ? static_cast<double>(status.tried) / status.elapsed_s : 0;
        std::string line = fmt::format("{}: {} {} runs, {} distinct, {:.1f}/s, {} failing, {:.0f}s",
                                       cell_, status.phase, status.tried, status.distinct, rate,
                                       status.failures, status.elapsed_s);
        if (tty_) {
            status_.show(line);
        } else if (status.elapsed_s >= next_plain_s_) {
            fmt::print("{}\n", line);
            std::fflush(stdout);
            next_plain_s_ = status.elapsed_s + 10;
        }
    }
    void clear() { status_.clear(); }

private:
    std::string cell_;
    bool tty_;
    StatusLine status_;
    double next_plain_s_ = 10;
};

nlohmann::json finding_json(const ExploreFinding& finding) {
    nlohmann::json deviations = nlohmann::json::array();
    for (const Deviation& deviation : finding.deviations)
        deviations.push_back({deviation.point, deviation.pid, deviation.lwp});
    return {{"run", finding.run},
            {"seed", finding.seed},
            {"verdict", std::string(verdict_name(finding.judgement.verdict))},
            {"detail", finding.judgement.detail},
            {"deviations_found", finding.deviations_found},
            {"deviations", deviations},
            {"preemptions", finding.preemptions},
            {"shrunk", finding.shrunk},
            {"shrink_runs", finding.shrink_runs},
            {"schedule_file", finding.schedule_file},
            {"replay_command", finding.replay_command},
            {"replay_verified", finding.replay_verified},
            {"note", finding.note}};
}

int run_explore(const GlobalOptions& global, const ExploreOptions& options) {
    install_interrupt_handlers();
    auto strategy = parse_explore_strategy(options.strategy);
    if (!strategy) {
        fmt::print(stderr, "crossrt: --strategy '{}': random, pct or systematic\n",
                   options.strategy);
        return exit_usage;
    }
    int shard_index = 0;
    int shard_count = 1;
    if (!options.shard.empty() && !parse_shard(options.shard, shard_index, shard_count)) {
        fmt::print(stderr, "crossrt: --shard '{}' is not K/N with 1 <= K <= N\n", options.shard);
        return exit_usage;
    }
    auto suite = load_suite(global);
    if (!suite)
        return exit_usage;
    if (!check_cell_filter(*suite, options.filter))
        return exit_usage;
    std::vector<const Cell*> selected = select_cells(suite->cells, options.filter);
    std::vector<const Cell*> cells;
    std::size_t left_out = 0;
    for (const Cell* cell : selected) {
        const Backend* backend = find_backend(cell->backend);
        if (backend != nullptr && backend->schedules_from_seed())
            cells.push_back(cell);
        else
            ++left_out;
    }
    if (cells.empty()) {
        fmt::print(stderr, "crossrt: explore runs unicorn cells, and the selection has none\n");
        return exit_usage;
    }
    if (left_out > 0)
        fmt::print("explore: {} selected cells of other backends left out (no seeded schedule)\n",
                   left_out);

    ExploreSettings settings;
    settings.strategy = *strategy;
    settings.depth = options.depth;
    settings.preemptions = options.preemptions;
    settings.runs = options.runs;
    settings.time_s = options.time_s;
    settings.keep_going = options.keep_going;
    settings.shard_index = shard_index;
    settings.shard_count = shard_count;
    settings.shrink = !options.no_shrink;
    settings.shrink_runs = options.shrink_runs;
    settings.out_dir = std::filesystem::absolute(options.out_dir);
    settings.parallel = static_cast<int>(
        options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));
    settings.replay_prefix = crossrt_executable().string();
    if (global.scenarios_dir != default_scenarios_dir())
        settings.replay_prefix +=
            " --scenarios " + std::filesystem::absolute(global.scenarios_dir).string();
    if (!global.build_dir.empty())
        settings.replay_prefix +=
            " --build-dir " + std::filesystem::absolute(global.build_dir).string();
    settings.replay_prefix += " run";

    std::filesystem::path build = build_dir(global);
    std::atomic<bool>& cancel = interrupt_flag();
    nlohmann::json report = nlohmann::json::array();
    // The same cells as a run report's results, for `crossrt report`: pass
    // when the exploration went as the variant wants (a regression caught,
    // a fixed variant surviving the budget), with the shrunk schedule.
    nlohmann::json results = nlohmann::json::array();
    auto result_entry = [&](const Cell& cell, std::string_view verdict, const std::string& detail,
                            double wall_s) {
        nlohmann::json entry = {{"name", cell.name},
                                {"verdict", std::string(verdict)},
                                {"detail", detail},
                                {"duration_s", wall_s}};
        results.push_back(std::move(entry));
        return &results.back();
    };
    bool unexpected = false;
    bool errors = false;
    for (const Cell* cell : cells) {
        if (cancel.load())
            break;
        CellResult unable;
        CellRunSettings run_settings;
        run_settings.all_cells = &suite->cells;
        auto prepared = prepare_cell(*cell, build, cancel, run_settings, unable);
        nlohmann::json entry = {{"cell", cell->name}, {"strategy", options.strategy}};
        if (prepared && !cell->manifest->signal_sweep.empty()) {
            // Its bug is in where a signal lands, not in a schedule: the
            // cell's run is its signal sweep (crossrt run).
            prepared.reset();
            unable.verdict = Verdict::skip;
            unable.detail = "a signal-sweep cell: crossrt run sweeps its signal points";
        }
        if (!prepared) {
            fmt::print("{}: {}: {}\n", cell->name, verdict_name(unable.verdict), unable.detail);
            entry["error"] = unable.detail;
            errors = errors || unable.verdict == Verdict::error;
            report.push_back(entry);
            result_entry(*cell, verdict_name(unable.verdict), unable.detail, 0);
            continue;
        }
        settings.base_seed = options.seed.value_or(prepared->request.unicorn.seed.value_or(0));
        ProgressLine line(cell->name);
        ExploreResult result = explore_cell(
            *cell, *prepared, settings, [&](const ExploreStatus& status) { line.update(status); },
            cancel);
        line.clear();
        entry["runs"] = result.tried;
        entry["distinct"] = result.distinct;
        entry["wall_s"] = result.wall_s;
        entry["base_seed"] = settings.base_seed;
        if (result.calibration_points != 0)
            entry["pct_steps"] = result.calibration_points;
        entry["unconfirmed_timeouts"] = result.unconfirmed_timeouts;
        entry["exhausted"] = result.exhausted;
        entry["interrupted"] = result.interrupted;
        nlohmann::json findings = nlohmann::json::array();
        for (const ExploreFinding& finding : result.findings)
            findings.push_back(finding_json(finding));
        entry["findings"] = findings;
        std::string what = cell->regress != nullptr ? "caught" : "failed";
        if (result.error) {
            errors = true;
            entry["error"] = *result.error;
            fmt::print("{}: error: {}\n", cell->name, *result.error);
            result_entry(*cell, "error", *result.error, result.wall_s);
        } else if (result.findings.empty()) {
            bool regress = cell->regress != nullptr;
            unexpected = unexpected || regress;
            fmt::print("{}: {}: {} after {} runs ({} distinct schedules) in {:.1f}s{}{}\n",
                       cell->name, strategy_description(options),
                       regress ? "NOT caught" : "survived", result.tried, result.distinct,
                       result.wall_s, result.exhausted ? ", every schedule within the bound" : "",
                       result.interrupted ? " (interrupted)" : "");
            if (result.unconfirmed_timeouts != 0)
                fmt::print("  note: {} runs hit the wall-clock timeout and ran to an end when run "
                           "again (the machine's load): not counted as failures\n",
                           result.unconfirmed_timeouts);
            result_entry(*cell, regress ? "fail" : "pass",
                         fmt::format("{}: {} after {} runs ({} distinct schedules)",
                                     strategy_description(options),
                                     regress ? "not caught" : "survived", result.tried,
                                     result.distinct),
                         result.wall_s);
        } else {
            const ExploreFinding& first = result.findings.front();
            unexpected = unexpected || cell->regress == nullptr;
            fmt::print("{}: {}: {} at run {} of {} ({} distinct schedules) in {:.1f}s: {}\n",
                       cell->name, strategy_description(options), what, first.run, result.tried,
                       result.distinct, result.wall_s, first.judgement.detail);
            nlohmann::json* row = result_entry(
                *cell, cell->regress != nullptr ? "pass" : "fail",
                fmt::format("{}: {} at run {} of {}: {}", strategy_description(options), what,
                            first.run, result.tried, first.judgement.detail),
                result.wall_s);
            (*row)["seed"] = first.seed;
            if (!first.schedule_file.empty()) {
                (*row)["schedule_file"] = first.schedule_file;
                (*row)["replay_command"] = first.replay_command;
            }
            for (const ExploreFinding& finding : result.findings) {
                if (finding.schedule_file.empty())
                    continue;
                if (finding.shrunk)
                    fmt::print("  shrunk: {} deviations from the nonpreemptive schedule -> {} "
                               "({} preemptions) in {} runs\n",
                               finding.deviations_found, finding.deviations.size(),
                               finding.preemptions, finding.shrink_runs);
                else if (finding.preemptions >= 0)
                    fmt::print("  {} deviations ({} preemptions), not shrunk\n",
                               finding.deviations.size(), finding.preemptions);
                if (!finding.note.empty())
                    fmt::print("  note: {}\n", finding.note);
                fmt::print("  schedule: {}\n  replay: {}{}\n", finding.schedule_file,
                           finding.replay_command,
                           finding.replay_verified ? ""
                                                   : "  (WARNING: the replay did not fail again)");
            }
        }
        report.push_back(entry);
    }
    if (!options.json.empty()) {
        try {
            write_file_atomically(
                options.json,
                nlohmann::json{{"explore", report}, {"results", results}}.dump(2) + "\n");
        } catch (const std::exception& error) {
            fmt::print(stderr, "crossrt: {}\n", error.what());
            errors = true;
        }
    }
    if (cancel.load()) {
        fmt::print(stderr, "crossrt: interrupted\n");
        return exit_interrupted;
    }
    if (errors)
        return exit_usage;
    return unexpected ? exit_failures : exit_ok;
}

} // namespace

void register_explore_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto options = std::make_shared<ExploreOptions>();
    CLI::App* command = app.add_subcommand(
        "explore", "search unicorn cells' schedules for a bug, shrink it, write a schedule file");
    add_cell_filter_options(*command, options->filter);
    command->add_option("--strategy", options->strategy,
                        "random (consecutive seeds), pct (default) or systematic");
    command->add_option("--depth", options->depth, "pct: the bug depth d (d-1 change points)")
        ->transform(integer_option(1, 64));
    command
        ->add_option("--preemptions", options->preemptions,
                     "systematic (and shrinking a random finding): at most this many preemptions "
                     "per schedule")
        ->transform(integer_option(0, 64));
    command->add_option("--runs", options->runs, "runs per cell (and shard); default 100")
        ->transform(integer_option(1, kMaxRuns));
    command->add_option("--time", options->time_s, "seconds per cell at most (0: no limit)")
        ->transform(seconds_option(7 * 24 * 3600));
    command->add_flag("--keep-going", options->keep_going,
                      "do not stop at the first failing schedule");
    command->add_option("--shard", options->shard,
                        "K/N: explore the K-th of N disjoint parts (one per CI job)");
    command->add_option("--seed", options->seed, "the first seed (default: the manifest's)")
        ->transform(integer_option(0, UINT64_MAX));
    command->add_flag("--no-shrink", options->no_shrink, "keep a failing schedule as found");
    command
        ->add_option("--shrink-runs", options->shrink_runs,
                     "runs shrinking may take per failing schedule (default 300)")
        ->transform(integer_option(1, 100000));
    command->add_option("-o,--out", options->out_dir,
                        "where schedule files go (default ./crossrt-explore)");
    command->add_option("--json", options->json, "write the results as JSON here");
    command->add_option("-j,--jobs", options->jobs, "random and pct: runs at once (default: CPUs)")
        ->transform(integer_option(1, 1024));
    command->callback(
        [&global, &exit_code, options] { exit_code = run_explore(global, *options); });
}

} // namespace crossrt
