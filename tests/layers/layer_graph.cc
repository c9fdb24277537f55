#include "layer_graph.h"

#include <functional>
#include <regex>
#include <sstream>

namespace crossrt::layers {
namespace {

std::vector<std::string> words(const std::string& text) {
    std::istringstream stream(text);
    std::vector<std::string> list;
    for (std::string word; stream >> word;)
        list.push_back(word);
    return list;
}

std::string top_dir(const std::string& path) {
    auto slash = path.find('/');
    return slash == std::string::npos ? "" : path.substr(0, slash);
}

// Depth-first: a layer reached again while it is still being visited closes a cycle.
bool has_cycle(const LayerGraph& graph, std::string& cycle) {
    std::map<std::string, int> state; // 0 unseen, 1 visiting, 2 done
    std::function<bool(const std::string&)> visit = [&](const std::string& layer) {
        if (state[layer] == 1) {
            cycle = layer;
            return true;
        }
        if (state[layer] == 2)
            return false;
        state[layer] = 1;
        for (const std::string& used : graph.may_use.at(layer)) {
            if (visit(used))
                return true;
        }
        state[layer] = 2;
        return false;
    };
    for (const auto& entry : graph.may_use) {
        if (visit(entry.first))
            return true;
    }
    return false;
}

} // namespace

std::optional<LayerGraph> parse_layer_graph(std::string_view table, std::string& error) {
    // The same form harness/CMakeLists.txt reads: "layer: dirs... -> layers...".
    static const std::regex line_form(R"(^([a-z]+):([a-z ]*)->([a-z ]*)$)");
    LayerGraph graph;
    std::istringstream lines{std::string(table)};
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (line.empty() || line[0] < 'a' || line[0] > 'z')
            continue; // comments and blank lines, as CMake's REGEX "^[a-z]"
        std::smatch match;
        if (!std::regex_match(line, match, line_form)) {
            error = "line " + std::to_string(number) + ": not 'layer: dirs -> layers'";
            return std::nullopt;
        }
        std::string layer = match[1];
        if (graph.may_use.count(layer) != 0) {
            error = "line " + std::to_string(number) + ": layer " + layer + " given twice";
            return std::nullopt;
        }
        graph.may_use[layer];
        for (const std::string& dir : words(match[2])) {
            if (!graph.layer_of_dir.emplace(dir, layer).second) {
                error = "line " + std::to_string(number) + ": directory " + dir + " given twice";
                return std::nullopt;
            }
        }
        for (const std::string& used : words(match[3]))
            graph.may_use[layer].insert(used);
    }
    for (const auto& [layer, used] : graph.may_use) {
        for (const std::string& name : used) {
            if (graph.may_use.count(name) == 0) {
                error = "layer " + layer + " uses " + name + ", which is no layer";
                return std::nullopt;
            }
        }
    }
    std::string cycle;
    if (has_cycle(graph, cycle)) {
        error = "the layers form a cycle through " + cycle;
        return std::nullopt;
    }
    return graph;
}

std::vector<Violation> check_includes(const LayerGraph& graph, const std::string& path,
                                      std::string_view content) {
    static const std::regex include_form(R"re(^\s*#\s*include\s*"([^"]+)")re");
    std::vector<Violation> violations;
    auto own = graph.layer_of_dir.find(top_dir(path));
    if (own == graph.layer_of_dir.end()) {
        violations.push_back({0, path + " is in no layer of harness/layers.txt"});
        return violations;
    }
    const std::string& layer = own->second;
    std::istringstream lines{std::string(content)};
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        std::smatch match;
        if (!std::regex_search(line, match, include_form))
            continue;
        std::string included = match[1];
        auto target = graph.layer_of_dir.find(top_dir(included));
        if (target == graph.layer_of_dir.end()) {
            violations.push_back(
                {number, "#include \"" + included + "\" names a directory in no layer"});
            continue;
        }
        if (target->second != layer && graph.may_use.at(layer).count(target->second) == 0) {
            violations.push_back({number, "#include \"" + included + "\": layer " + layer +
                                              " may not use layer " + target->second});
        }
    }
    return violations;
}

} // namespace crossrt::layers
