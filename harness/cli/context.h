// What every command shares: global options, loading the suite, filters.
#pragma once

#include "scenario/manifest.h"
#include "scenario/matrix.h"
#include "scenario/selection.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace crossrt {

// Exit statuses shared by the commands.
constexpr int exit_ok = 0;
constexpr int exit_failures = 1;
constexpr int exit_usage = 2;
constexpr int exit_interrupted = 130;

// The source tree's scenarios/, compiled in.
std::string default_scenarios_dir();

struct GlobalOptions {
    std::string scenarios_dir = default_scenarios_dir();
    std::string build_dir; // empty: the parent of the directory holding crossrt
    // --full: also the cells too costly for CI ([gotest] full = true), which
    // are otherwise visible skips. The build plan always has their binaries.
    bool full = false;
};

// The running crossrt, from /proc/self/exe.
std::filesystem::path crossrt_executable();
std::filesystem::path build_dir(const GlobalOptions& options);

// The manifests and their cells; cells point into manifests, so a suite never moves.
struct Suite {
    std::vector<Target> targets;
    std::vector<Manifest> manifests;
    std::vector<Cell> cells;
    // The combinations no host could run (leave_out_impossible), with why.
    std::vector<Cell> left_out;
};

// Prints every manifest error to stderr and returns null when there is any.
std::unique_ptr<Suite> load_suite(const GlobalOptions& options);

// The registry's static skips, for matrix expansion.
BackendSkip registered_backend_skips();
// Why a registered backend can run a target on no host (Backend::never_runs).
BackendSkip registered_backend_impossibilities();
// Each backend's emulator_version, for the matrix.
EmulatorVersion registered_emulator_versions();
// What each backend's guests cannot do here (Backend::cannot_reexec), for
// the manifests' `lacks`.
MissingCapability registered_missing_capabilities();

// PATTERN... --arch --os --backend, shared by list and run.
void add_cell_filter_options(CLI::App& command, CellFilter& filter);

// Unknown arch/os/backend names or patterns matching nothing: prints why and
// returns false.
bool check_cell_filter(const Suite& suite, const CellFilter& filter);

// The global options as arguments, for commands that re-invoke crossrt.
std::vector<std::string> global_arguments(const GlobalOptions& options);

void register_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_plan_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_run_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_explore_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
// exec's guest command (BINARY ARGS...) must not be parsed as crossrt options:
// this removes it from args (crossrt's arguments after argv[0]) and returns it.
std::vector<std::string> split_guest_command(std::vector<std::string>& args);
void register_exec_command(CLI::App& app, std::vector<std::string> guest_command, int& exit_code);
void register_syscalls_command(CLI::App& app, int& exit_code);
void register_sandbox_command(CLI::App& app, int& exit_code);
void register_report_command(CLI::App& app, int& exit_code);
void register_merge_command(CLI::App& app, int& exit_code);
void register_new_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_doctor_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
// The seccomp filter's table, as docs/security-model.md shows it.
std::string seccomp_markdown();
// crossrt unicorn-guest REQUEST (hidden, outside CLI11: its one argument is
// the guest protocol's JSON request): the sandboxed process of the unicorn
// backend.
int unicorn_guest_main(const std::vector<std::string>& args);

} // namespace crossrt
