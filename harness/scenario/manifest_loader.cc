// Finds and parses every scenarios/<name>/scenario.toml.
#include "scenario/manifest.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace crossrt {
namespace {

namespace fs = std::filesystem;

// Error messages name the manifest relative to the working directory when it
// lies below it, as compilers do, so that editors can jump to it.
std::string display_path(const fs::path& path) {
    std::error_code error;
    fs::path cwd = fs::current_path(error);
    if (!error) {
        fs::path relative = fs::absolute(path, error).lexically_relative(cwd);
        if (!error && !relative.empty() && *relative.begin() != "..")
            return relative.string();
    }
    return path.string();
}

bool is_scenario_name(const std::string& name) {
    return !name.empty() && name[0] != '.' && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

} // namespace

ScenarioSet load_scenarios(const fs::path& dir, const std::vector<Target>& targets,
                           const std::vector<std::string>& backends) {
    ScenarioSet set;
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        set.errors.push_back({display_path(dir), 1, 1, "scenario directory does not exist"});
        return set;
    }
    std::vector<fs::path> scenario_dirs;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        if (entry.is_directory() && fs::exists(entry.path() / "scenario.toml"))
            scenario_dirs.push_back(entry.path());
    }
    std::sort(scenario_dirs.begin(), scenario_dirs.end());
    for (const fs::path& scenario_dir : scenario_dirs) {
        fs::path file = scenario_dir / "scenario.toml";
        std::string name = scenario_dir.filename().string();
        if (!is_scenario_name(name)) {
            set.errors.push_back({display_path(file), 1, 1,
                                  fmt::format("scenario folder name '{}' may use only letters, "
                                              "digits, '-', '_' and '.'",
                                              name)});
            continue;
        }
        std::ifstream stream(file);
        std::stringstream text;
        text << stream.rdbuf();
        if (!stream) {
            set.errors.push_back({display_path(file), 1, 1, "cannot read the manifest"});
            continue;
        }
        ManifestContext context{display_path(file), name, fs::absolute(scenario_dir), &targets,
                                backends};
        ManifestParse parse = parse_manifest(text.str(), context);
        set.errors.insert(set.errors.end(), parse.errors.begin(), parse.errors.end());
        if (parse.manifest)
            set.manifests.push_back(std::move(*parse.manifest));
    }
    return set;
}

} // namespace crossrt
