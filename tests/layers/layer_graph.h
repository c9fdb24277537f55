// The harness's layers as harness/layers.txt gives them, and the check that
// every #include "dir/..." in a harness file stays on an allowed edge.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::layers {

struct LayerGraph {
    std::map<std::string, std::string> layer_of_dir;      // "target" -> "base"
    std::map<std::string, std::set<std::string>> may_use; // "report" -> {"scenario", "base"}
};

// Parses the table; nullopt with the reason (and line) when it is malformed,
// names a layer it does not define, gives a directory twice, or has a cycle.
std::optional<LayerGraph> parse_layer_graph(std::string_view table, std::string& error);

struct Violation {
    int line = 0;
    std::string message;
};

// The includes of one file, `path` relative to harness/ ("scenario/x.cc"),
// that cross a forbidden edge or name a directory in no layer.
std::vector<Violation> check_includes(const LayerGraph& graph, const std::string& path,
                                      std::string_view content);

} // namespace crossrt::layers
