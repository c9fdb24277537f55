// crossrt list: the cells, as names, JSON, or CTest tests.
#include "cli/context.h"
#include "report/ctest.h"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>

namespace crossrt {
namespace {

struct ListOptions {
    CellFilter filter;
    bool json = false;
    bool ctest = false;
    bool all = false; // also the combinations left out of the matrix
};

nlohmann::json cells_json(const std::vector<const Cell*>& cells, const char* reason_key) {
    nlohmann::json list = nlohmann::json::array();
    for (const Cell* cell : cells) {
        list.push_back({{"name", cell->name},
                        {"scenario", cell->scenario},
                        {"arch", cell->arch},
                        {"os", cell->os},
                        {"backend", cell->backend},
                        {"variant", cell->variant},
                        {reason_key, cell->skip ? nlohmann::json(*cell->skip) : nlohmann::json()}});
    }
    return list;
}

std::string list_json(const std::vector<const Cell*>& cells,
                      const std::optional<std::vector<const Cell*>>& left_out) {
    nlohmann::json list{{"cells", cells_json(cells, "skip")}};
    if (left_out)
        list["left_out"] = cells_json(*left_out, "reason");
    return list.dump(2) + "\n";
}

// The cells and, with --all, the combinations left out, in name order.
void print_plain(const std::vector<const Cell*>& cells, const std::vector<const Cell*>& left_out) {
    std::vector<std::pair<const Cell*, bool>> lines; // the cell, whether it is left out
    for (const Cell* cell : cells)
        lines.emplace_back(cell, false);
    for (const Cell* cell : left_out)
        lines.emplace_back(cell, true);
    std::sort(lines.begin(), lines.end(),
              [](const auto& a, const auto& b) { return a.first->name < b.first->name; });
    for (const auto& [cell, is_left_out] : lines) {
        if (is_left_out)
            fmt::print("{}  (left out: {})\n", cell->name, *cell->skip);
        else if (cell->skip)
            fmt::print("{}  (skipped: {})\n", cell->name, *cell->skip);
        else
            fmt::print("{}\n", cell->name);
    }
}

int run_list(const GlobalOptions& global, const ListOptions& options) {
    auto suite = load_suite(global);
    if (!suite)
        return exit_usage;
    // With --all, a pattern may name only left-out combinations.
    CellFilter checked = options.filter;
    if (options.all) {
        std::erase_if(checked.patterns, [&](const std::string& pattern) {
            return unmatched_patterns(suite->left_out, {pattern}).empty();
        });
    }
    if (!check_cell_filter(*suite, checked))
        return exit_usage;
    std::vector<const Cell*> cells = select_cells(suite->cells, options.filter);
    std::vector<const Cell*> left_out;
    if (options.all)
        left_out = select_cells(suite->left_out, options.filter);
    if (options.ctest) {
        fmt::print("{}",
                   ctest_script(cells, crossrt_executable().string(), global_arguments(global)));
    } else if (options.json) {
        fmt::print("{}", list_json(cells, options.all ? std::optional(left_out) : std::nullopt));
    } else {
        print_plain(cells, left_out);
    }
    return exit_ok;
}

} // namespace

void register_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto options = std::make_shared<ListOptions>();
    CLI::App* command = app.add_subcommand("list", "list the cells of the matrix");
    add_cell_filter_options(*command, options->filter);
    auto* json = command->add_flag("--json", options->json, "print JSON");
    auto* ctest = command->add_flag("--ctest", options->ctest, "print CTest add_test() lines")
                      ->excludes(json);
    command
        ->add_flag("--all", options->all,
                   "also the combinations left out of the matrix (no host could run them), "
                   "with why")
        ->excludes(ctest);
    command->callback([&global, &exit_code, options] { exit_code = run_list(global, *options); });
}

} // namespace crossrt
