// crossrt new NAME: a new scenario folder from cli/scenario_template.h, in
// the scenario directory, ready for the next build.
#include "cli/context.h"
#include "cli/scenario_template.h"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <system_error>

namespace crossrt {
namespace {

namespace fs = std::filesystem;

// Stricter than the loader's rule: the name also becomes a C define (the
// regression variant's), CMake targets and ctest tests.
std::optional<std::string> bad_scenario_name(const std::string& name) {
    bool ok = !name.empty() && name.size() <= 64 && name.front() >= 'a' && name.front() <= 'z' &&
              name.back() != '-' && std::all_of(name.begin(), name.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
              });
    if (ok)
        return std::nullopt;
    return fmt::format("'{}' is not a scenario name: use at most 64 lowercase letters, digits, "
                       "'-' and '_', starting with a letter and not ending with '-' (it names "
                       "the folder, CMake targets, ctest tests and a C define)",
                       name);
}

bool write_text(const fs::path& path, const std::string& text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    return static_cast<bool>(file);
}

int run_new(const GlobalOptions& global, const std::string& name) {
    if (auto why = bad_scenario_name(name)) {
        fmt::print(stderr, "crossrt new: {}\n", *why);
        return exit_usage;
    }
    fs::path scenarios = global.scenarios_dir;
    std::error_code error;
    if (!fs::is_directory(scenarios, error)) {
        fmt::print(stderr, "crossrt new: the scenario directory {} does not exist (--scenarios)\n",
                   scenarios.string());
        return exit_usage;
    }
    fs::path folder = scenarios / name;
    if (fs::exists(fs::symlink_status(folder, error))) {
        fmt::print(stderr,
                   "crossrt new: {} already exists: choose another name (crossrt new never "
                   "writes into an existing folder)\n",
                   folder.string());
        return exit_usage;
    }
    // Written aside and renamed into place, so that a build or a run never
    // sees half a scenario, and a failure leaves nothing behind.
    fs::path staging =
        scenarios / fmt::format(".{}.new-{}", name, std::random_device{}() % 1000000);
    if (!fs::create_directory(staging, error)) {
        fmt::print(stderr, "crossrt new: cannot create {}: {}\n", staging.string(),
                   error ? error.message() : "it exists");
        return exit_failures;
    }
    std::vector<TemplateFile> files = scenario_template(name);
    for (const TemplateFile& file : files) {
        if (!write_text(staging / file.path, file.text)) {
            fmt::print(stderr, "crossrt new: cannot write {}\n", (staging / file.path).string());
            fs::remove_all(staging, error);
            return exit_failures;
        }
    }
    // rename(2) refuses a non-empty folder made in between; an empty one it replaces.
    fs::rename(staging, folder, error);
    if (error) {
        fmt::print(stderr, "crossrt new: cannot create {}: {}\n", folder.string(), error.message());
        fs::remove_all(staging, error);
        return exit_failures;
    }
    fmt::print("created {}/ with", folder.string());
    for (const TemplateFile& file : files)
        fmt::print(" {}", file.path);
    fmt::print("\nnext: cmake --build --preset default && build/bin/crossrt run {}\n", name);
    return exit_ok;
}

} // namespace

void register_new_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto name = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand(
        "new", "create scenarios/NAME/: a manifest (a fixed and a regression variant), a "
               "program and a docs stub that build and pass at once (docs/writing-scenarios.md)");
    command->add_option("name", *name, "the scenario's name (its folder)")->required();
    command->callback([&global, &exit_code, name] { exit_code = run_new(global, *name); });
}

} // namespace crossrt
