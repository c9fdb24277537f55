// crossrt: the cross-architecture test harness for language-runtime ports.
#include "cli/context.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/format.h>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc >= 2 && std::string(argv[1]) == "unicorn-guest")
        return crossrt::unicorn_guest_main(std::vector<std::string>(argv + 2, argv + argc));
    crossrt::GlobalOptions global;
    int exit_code = crossrt::exit_ok;
    CLI::App app("crossrt: run runtime regression scenarios on every target and backend",
                 "crossrt");
    app.fallthrough();
    app.require_subcommand(1);
    app.add_option("--scenarios", global.scenarios_dir, "the scenario directory");
    app.add_option("--build-dir", global.build_dir,
                   "the build directory holding targets/<target>/scenarios/");
    app.add_flag("--full", global.full,
                 "also the cells too costly for CI (Go test suites marked full)");
    crossrt::register_list_command(app, global, exit_code);
    crossrt::register_plan_command(app, global, exit_code);
    crossrt::register_run_command(app, global, exit_code);
    crossrt::register_explore_command(app, global, exit_code);
    crossrt::register_syscalls_command(app, exit_code);
    crossrt::register_sandbox_command(app, exit_code);
    crossrt::register_report_command(app, exit_code);
    crossrt::register_merge_command(app, exit_code);
    crossrt::register_new_command(app, global, exit_code);
    crossrt::register_doctor_command(app, global, exit_code);
    std::vector<std::string> args(argv + 1, argv + argc);
    crossrt::register_exec_command(app, crossrt::split_guest_command(args), exit_code);
    std::reverse(args.begin(), args.end()); // CLI11 takes a vector in reverse order
    try {
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        int status = app.exit(error);
        return status == 0 ? crossrt::exit_ok : crossrt::exit_usage;
    } catch (const std::exception& error) {
        fmt::print(stderr, "crossrt: {}\n", error.what());
        return crossrt::exit_usage;
    }
    return exit_code;
}
