#include "cli/context.h"

#include "backend/backend.h"

#include <algorithm>
#include <fmt/format.h>

namespace crossrt {

namespace fs = std::filesystem;

std::string default_scenarios_dir() {
    return CROSSRT_SOURCE_DIR "/scenarios";
}

fs::path crossrt_executable() {
    return fs::read_symlink("/proc/self/exe");
}

fs::path build_dir(const GlobalOptions& options) {
    if (!options.build_dir.empty())
        return fs::absolute(options.build_dir);
    // <build>/bin/crossrt
    return crossrt_executable().parent_path().parent_path();
}

BackendSkip registered_backend_skips() {
    return [](const std::string& backend, const Target& target) -> std::optional<std::string> {
        const Backend* found = find_backend(backend);
        if (found == nullptr)
            return fmt::format("crossrt has no backend '{}'", backend);
        return found->cannot_run(target);
    };
}

BackendSkip registered_backend_impossibilities() {
    return [](const std::string& backend, const Target& target) -> std::optional<std::string> {
        const Backend* found = find_backend(backend);
        if (found == nullptr)
            return fmt::format("crossrt has no backend '{}'", backend);
        return found->never_runs(target);
    };
}

EmulatorVersion registered_emulator_versions() {
    return [](const std::string& backend, const Target& target) -> std::optional<Version> {
        const Backend* found = find_backend(backend);
        return found != nullptr ? found->emulator_version(target) : std::nullopt;
    };
}

MissingCapability registered_missing_capabilities() {
    return [](const std::string& backend, const Target& target,
              const std::string& capability) -> std::optional<std::string> {
        const Backend* found = find_backend(backend);
        if (found == nullptr)
            return fmt::format("crossrt has no backend '{}'", backend);
        if (capability == "reexec")
            return found->cannot_reexec(target);
        return fmt::format("crossrt does not know the capability '{}'", capability);
    };
}

std::unique_ptr<Suite> load_suite(const GlobalOptions& options) {
    auto suite = std::make_unique<Suite>();
    suite->targets = builtin_targets();
    ScenarioSet set = load_scenarios(options.scenarios_dir, suite->targets, backend_names());
    for (const ManifestError& error : set.errors)
        fmt::print(stderr, "{}\n", error.to_string());
    if (!set.errors.empty()) {
        fmt::print(stderr, "crossrt: {} manifest error{}\n", set.errors.size(),
                   set.errors.size() == 1 ? "" : "s");
        return nullptr;
    }
    suite->manifests = std::move(set.manifests);
    suite->cells = expand_matrix(suite->manifests, suite->targets, registered_backend_skips(),
                                 registered_emulator_versions(), registered_missing_capabilities());
    suite->left_out = leave_out_impossible(suite->cells, registered_backend_impossibilities());
    if (!options.full) {
        for (Cell& cell : suite->cells) {
            if (!cell.skip && cell.manifest->gotest && cell.manifest->gotest->full)
                cell.skip = "in the full selection only (too costly for CI): crossrt --full run";
        }
    }
    return suite;
}

void add_cell_filter_options(CLI::App& command, CellFilter& filter) {
    command.add_option("patterns", filter.patterns,
                       "cell name globs (fnmatch) or prefixes; default: every cell");
    // One value per flag, so that "--arch arm PATTERN" leaves PATTERN a pattern.
    command.add_option("--arch", filter.arch, "only these arches (repeatable)")
        ->allow_extra_args(false);
    command.add_option("--os", filter.os, "only these OSes (repeatable)")->allow_extra_args(false);
    command.add_option("--backend", filter.backend, "only these backends (repeatable)")
        ->allow_extra_args(false);
}

namespace {

bool check_names(const std::vector<std::string>& given, const std::vector<std::string>& known,
                 std::string_view what) {
    bool ok = true;
    for (const std::string& name : given) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            fmt::print(stderr, "crossrt: unknown {} '{}' (known: {})\n", what, name,
                       fmt::join(known, ", "));
            ok = false;
        }
    }
    return ok;
}

} // namespace

bool check_cell_filter(const Suite& suite, const CellFilter& filter) {
    std::vector<std::string> arches, oses;
    for (const Target& target : suite.targets) {
        if (std::find(arches.begin(), arches.end(), target.arch) == arches.end())
            arches.push_back(target.arch);
        if (std::find(oses.begin(), oses.end(), target.os) == oses.end())
            oses.push_back(target.os);
    }
    bool ok = check_names(filter.arch, arches, "arch");
    ok = check_names(filter.os, oses, "os") && ok;
    ok = check_names(filter.backend, backend_names(), "backend") && ok;
    for (const std::string& pattern : unmatched_patterns(suite.cells, filter.patterns)) {
        CellFilter named;
        named.patterns = {pattern};
        std::vector<const Cell*> impossible = select_cells(suite.left_out, named);
        if (impossible.empty())
            fmt::print(stderr, "crossrt: no cell matches '{}'\n", pattern);
        else
            fmt::print(stderr,
                       "crossrt: no cell matches '{}': it names only combinations left out of "
                       "the matrix (crossrt list --all), as {}: {}\n",
                       pattern, impossible.front()->name, *impossible.front()->skip);
        ok = false;
    }
    return ok;
}

std::vector<std::string> global_arguments(const GlobalOptions& options) {
    std::vector<std::string> args = {"--scenarios", fs::absolute(options.scenarios_dir).string()};
    if (!options.build_dir.empty()) {
        args.push_back("--build-dir");
        args.push_back(fs::absolute(options.build_dir).string());
    }
    if (options.full)
        args.push_back("--full");
    return args;
}

} // namespace crossrt
