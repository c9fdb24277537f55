// crossrt list: the cells, as names, JSON, or CTest tests.
#include "cli/context.h"
#include "report/ctest.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

struct ListOptions {
    CellFilter filter;
    bool json = false;
    bool ctest = false;
};

std::string list_json(const std::vector<const Cell*>& cells) {
    nlohmann::json list = nlohmann::json::array();
    for (const Cell* cell : cells) {
        list.push_back({{"name", cell->name},
                        {"scenario", cell->scenario},
                        {"arch", cell->arch},
                        {"os", cell->os},
                        {"backend", cell->backend},
                        {"variant", cell->variant},
                        {"skip", cell->skip ? nlohmann::json(*cell->skip) : nlohmann::json()}});
    }
    return nlohmann::json{{"cells", list}}.dump(2) + "\n";
}

int run_list(const GlobalOptions& global, const ListOptions& options) {
    auto suite = load_suite(global);
    if (!suite)
        return exit_usage;
    if (!check_cell_filter(*suite, options.filter))
        return exit_usage;
    std::vector<const Cell*> cells = select_cells(suite->cells, options.filter);
    if (options.ctest) {
        fmt::print("{}",
                   ctest_script(cells, crossrt_executable().string(), global_arguments(global)));
    } else if (options.json) {
        fmt::print("{}", list_json(cells));
    } else {
        for (const Cell* cell : cells) {
            if (cell->skip)
                fmt::print("{}  (skipped: {})\n", cell->name, *cell->skip);
            else
                fmt::print("{}\n", cell->name);
        }
    }
    return exit_ok;
}

} // namespace

void register_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto options = std::make_shared<ListOptions>();
    CLI::App* command = app.add_subcommand("list", "list the cells of the matrix");
    add_cell_filter_options(*command, options->filter);
    auto* json = command->add_flag("--json", options->json, "print JSON");
    command->add_flag("--ctest", options->ctest, "print CTest add_test() lines")->excludes(json);
    command->callback([&global, &exit_code, options] { exit_code = run_list(global, *options); });
}

} // namespace crossrt
