// crossrt doctor: checks the host (cli/doctor.h) and prints each piece, and
// for each missing one what it costs and how to fix it. Exits 1 when a
// required piece is missing.
#include "cli/context.h"
#include "cli/doctor.h"

#include <fmt/format.h>

namespace crossrt {
namespace {

int run_doctor(const GlobalOptions& global) {
    // The costs are counted in cells; the checks do without them.
    std::unique_ptr<Suite> suite = load_suite(global);
    std::vector<HostCheck> checks = check_host(suite.get());
    std::size_t width = 0;
    for (const HostCheck& check : checks)
        width = std::max(width, check.name.size());
    int missing_required = 0, missing_optional = 0;
    for (const HostCheck& check : checks) {
        if (check.problem.empty()) {
            fmt::print("ok       {:<{}}  {}\n", check.name, width, check.found);
            continue;
        }
        (check.required ? missing_required : missing_optional)++;
        fmt::print("{:<8} {:<{}}  {}\n", check.required ? "MISSING" : "warning", check.name, width,
                   check.problem);
        if (!check.costs.empty())
            fmt::print("         {:<{}}  costs: {}\n", "", width, check.costs);
        if (!check.fix.empty())
            fmt::print("         {:<{}}  fix:   {}\n", "", width, check.fix);
    }
    if (missing_required > 0) {
        fmt::print("crossrt doctor: {} required piece{} missing, {} optional (ci/setup installs "
                   "every package)\n",
                   missing_required, missing_required == 1 ? "" : "s", missing_optional);
        return exit_failures;
    }
    fmt::print("crossrt doctor: everything required is here ({} optional piece{} missing)\n",
               missing_optional, missing_optional == 1 ? "" : "s");
    return exit_ok;
}

} // namespace

void register_doctor_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    CLI::App* command = app.add_subcommand(
        "doctor", "check this host: emulators, compilers, Go, sandbox features, tools; what a "
                  "missing piece costs and how to install it");
    command->callback([&global, &exit_code] { exit_code = run_doctor(global); });
}

} // namespace crossrt
