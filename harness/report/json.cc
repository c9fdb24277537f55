#include "report/json.h"

#include "scenario/shard.h"

#include <nlohmann/json.hpp>

namespace crossrt {

ReportHeader whole_run_header(const std::vector<CellResult>& results,
                              const std::map<std::string, std::string>& sandbox) {
    std::vector<std::string> names;
    for (const CellResult& result : results)
        names.push_back(result.name());
    return {{results.size(), selection_digest(names)}, std::nullopt, sandbox};
}

std::string json_report(const std::vector<CellResult>& results,
                        const std::map<std::string, std::string>& sandbox) {
    return json_report(results, whole_run_header(results, sandbox));
}

std::string json_report(const std::vector<CellResult>& results, const ReportHeader& header) {
    nlohmann::json list = nlohmann::json::array();
    for (const CellResult& result : results) {
        nlohmann::json entry = {{"name", result.name()},
                                {"scenario", result.cell->scenario},
                                {"arch", result.cell->arch},
                                {"os", result.cell->os},
                                {"backend", result.cell->backend},
                                {"variant", result.cell->variant},
                                {"repeat", result.repeat},
                                {"verdict", std::string(verdict_name(result.verdict))},
                                {"duration_s", result.duration_s},
                                {"cpu_s", result.cpu_s},
                                {"detail", result.detail}};
        if (!result.emulator.empty())
            entry["emulator"] = result.emulator;
        if (result.seeded) {
            entry["seed"] = result.seed ? nlohmann::json(*result.seed) : nlohmann::json(nullptr);
            entry["seeds_tried"] = result.seeds_tried;
        }
        if (!result.sweep_table.empty())
            entry["signal_sweep"] = result.sweep_table;
        if (!result.repeat_command.empty())
            entry["repeat_command"] = result.repeat_command;
        if (!result.trace_file.empty())
            entry["trace"] = result.trace_file;
        if (!result.timeline_file.empty())
            entry["timeline"] = result.timeline_file;
        list.push_back(std::move(entry));
    }
    nlohmann::json report = {
        {"schema_version", kJsonReportSchemaVersion},
        {"selection", {{"cells", header.selection.cells}, {"digest", header.selection.digest}}}};
    if (header.shard) {
        report["shard"] = {{"index", header.shard->index},
                           {"total", header.shard->total},
                           {"costs", header.shard->costs}};
    }
    report["results"] = list;
    if (!header.sandbox.empty())
        report["sandbox"] = header.sandbox;
    // Guest output in details may be any bytes: replace invalid UTF-8.
    return report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace crossrt
