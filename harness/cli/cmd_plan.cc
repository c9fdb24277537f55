// crossrt plan: the binaries the build must make (--cmake: as CMake calls).
#include "cli/context.h"
#include "scenario/plan.h"

#include <fmt/format.h>

namespace crossrt {
namespace {

// `crossrt --full plan` (a build configured with -DCROSSRT_FULL=ON) adds
// the full selection's binaries; CI's build leaves them out.
int run_plan(const GlobalOptions& global, bool cmake) {
    auto suite = load_suite(global);
    if (!suite)
        return exit_usage;
    std::filesystem::path build = build_dir(global);
    for (const BinaryPlan& plan : plan_binaries(suite->cells)) {
        if (cmake) {
            fmt::print("{}\n", cmake_plan_line(plan));
        } else {
            fmt::print(
                "{}  {}  {}  -> {}\n", plan.target, plan.scenario, plan.variant,
                (build / "targets" / plan.target / "scenarios" / plan.scenario / plan.variant)
                    .string());
        }
    }
    return exit_ok;
}

} // namespace

void register_plan_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto cmake = std::make_shared<bool>(false);
    CLI::App* command = app.add_subcommand("plan", "print the scenario binaries the build needs");
    command->add_flag("--cmake", *cmake, "print crossrt_scenario_binary(...) CMake calls");
    command->callback([&global, &exit_code, cmake] { exit_code = run_plan(global, *cmake); });
}

} // namespace crossrt
