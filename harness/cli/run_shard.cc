#include "cli/run_shard.h"

#include "report/html.h"

#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace crossrt {

MeasuredDurations read_measured_durations(const std::string& report) {
    std::ifstream in(report);
    if (!in)
        throw std::runtime_error(fmt::format("--shard-costs: cannot read {}", report));
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::string error;
    auto cells = parse_json_report(text, report, error);
    if (!cells)
        throw std::runtime_error(fmt::format("--shard-costs: {}", error));
    // A repeated cell ("name#k") weighs the mean of its runs; a skipped
    // one (not run, or skipped then) says nothing about its cost.
    std::map<std::string, std::pair<double, int>> sums;
    for (const ReportedCell& cell : *cells) {
        if (cell.verdict == "skip" || !cell.duration_s)
            continue;
        auto& [seconds, runs] = sums[cell.name.substr(0, cell.name.find('#'))];
        seconds += *cell.duration_s;
        ++runs;
    }
    MeasuredDurations durations;
    for (const auto& [name, sum] : sums)
        durations[name] = sum.first / sum.second;
    return durations;
}

std::optional<RunSelection> select_run(const std::vector<const Cell*>& selected, int repeat,
                                       const std::string& shard_spec,
                                       const std::string& costs_report) {
    RunSelection run;
    std::optional<Shard> shard;
    MeasuredDurations measured;
    try {
        if (!shard_spec.empty()) {
            std::string error;
            shard = parse_shard(shard_spec, error);
            if (!shard)
                throw std::runtime_error(fmt::format("--shard {}", error));
        } else {
            shard = shard_from_environment();
        }
        if (!costs_report.empty())
            measured = read_measured_durations(costs_report);
    } catch (const std::exception& error) {
        fmt::print(stderr, "crossrt: {}\n", error.what());
        return std::nullopt;
    }
    std::vector<std::string> names;
    for (const Cell* cell : selected) {
        for (int k = 1; k <= std::max(repeat, 1); ++k)
            names.push_back(repeat > 1 ? fmt::format("{}#{}", cell->name, k) : cell->name);
    }
    run.selection = {names.size(), selection_digest(names)};
    std::vector<double> costs = expected_costs(selected, measured);
    if (!shard) {
        run.cells = selected;
        run.costs = costs;
        return run;
    }
    std::vector<unsigned> shard_of = assign_shards(costs, shard->total);
    for (std::size_t i = 0; i < selected.size(); ++i) {
        if (shard_of[i] == shard->index) {
            run.cells.push_back(selected[i]);
            run.costs.push_back(costs[i]);
        }
    }
    std::size_t known = 0;
    for (const Cell* cell : selected)
        known += measured.count(cell->name);
    run.shard = ReportShard{
        shard->index + 1, shard->total,
        costs_report.empty()
            ? std::string("manifest timeouts")
            : fmt::format("durations in {} ({} of {} cells; the others by scaled timeouts)",
                          costs_report, known, selected.size())};
    return run;
}

} // namespace crossrt
