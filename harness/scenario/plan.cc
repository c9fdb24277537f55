#include "scenario/plan.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <set>
#include <tuple>

namespace crossrt {

std::vector<BinaryPlan> plan_binaries(const std::vector<Cell>& cells) {
    std::vector<BinaryPlan> plans;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const Cell& cell : cells) {
        if (cell.skip)
            continue;
        if (!seen.emplace(cell.scenario, cell.variant, cell.target_name()).second)
            continue;
        plans.push_back(
            {cell.scenario, cell.variant, cell.target_name(), cell.manifest->dir,
             cell.manifest->sources, cell.regress ? cell.regress->define : "",
             cell.manifest->gotest ? cell.manifest->gotest->package : "",
             cell.manifest->gotest ? cell.manifest->gotest->tags : std::vector<std::string>{}});
    }
    return plans;
}

std::string cmake_argument(const std::string& value) {
    bool safe = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("_./+-=:,@").find(c) != std::string_view::npos;
    });
    if (safe)
        return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\' || c == '$' || c == ';')
            quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

std::string cmake_plan_line(const BinaryPlan& plan) {
    std::string sources;
    // fmt, not " " + string: GCC 12 at -O3 warns (-Wrestrict) on the
    // temporary's insert, a false positive (GCC bug 105329).
    for (const std::string& source : plan.sources)
        sources += fmt::format(" {}", cmake_argument(source));
    std::string defines =
        plan.define.empty() ? "" : fmt::format(" {}", cmake_argument(plan.define));
    std::string gotest =
        plan.gotest.empty() ? "" : fmt::format(" GOTEST {}", cmake_argument(plan.gotest));
    if (!plan.gotest_tags.empty()) {
        gotest += " GOTEST_TAGS";
        for (const std::string& tag : plan.gotest_tags)
            gotest += fmt::format(" {}", cmake_argument(tag));
    }
    return fmt::format("crossrt_scenario_binary(SCENARIO {} VARIANT {} TARGET {} DIR {} SOURCES{} "
                       "DEFINES{}{})",
                       cmake_argument(plan.scenario), cmake_argument(plan.variant),
                       cmake_argument(plan.target), cmake_argument(plan.dir.string()), sources,
                       defines, gotest);
}

std::filesystem::path binary_path(const std::filesystem::path& build_dir, const Cell& cell) {
    return build_dir / "targets" / cell.target_name() / "scenarios" / cell.scenario / cell.variant;
}

std::filesystem::path goroot_file(const std::filesystem::path& binary) {
    return binary.string() + ".goroot";
}

} // namespace crossrt
