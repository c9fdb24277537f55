#include "report/json.h"

#include <nlohmann/json.hpp>

namespace crossrt {

std::string json_report(const std::vector<CellResult>& results,
                        const std::map<std::string, std::string>& sandbox) {
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
    nlohmann::json report = {{"results", list}};
    if (!sandbox.empty())
        report["sandbox"] = sandbox;
    // Guest output in details may be any bytes: replace invalid UTF-8.
    return report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace crossrt
