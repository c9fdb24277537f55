// Which binaries the build must make, and where it puts them.
#pragma once

#include "scenario/matrix.h"

#include <filesystem>
#include <string>
#include <vector>

namespace crossrt {

// One binary per (scenario, variant, target), shared by every backend.
struct BinaryPlan {
    std::string scenario;
    std::string variant;
    std::string target; // <arch>-<os>
    std::filesystem::path dir;
    std::vector<std::string> sources;
    std::string define; // empty for the fixed variant
    std::string gotest; // a [gotest] package: `go test -c` it, no sources
    std::vector<std::string> gotest_tags;
};

// The binaries that cells not statically skipped need, in cell-name order.
std::vector<BinaryPlan> plan_binaries(const std::vector<Cell>& cells);

// crossrt_scenario_binary(SCENARIO s VARIANT v TARGET t DIR d SOURCES a b DEFINES x
// [GOTEST package [GOTEST_TAGS a b]])
std::string cmake_plan_line(const BinaryPlan& plan);

// <build>/targets/<arch>-<os>/scenarios/<scenario>/<variant>
std::filesystem::path binary_path(const std::filesystem::path& build_dir, const Cell& cell);

// A [gotest] binary's GOROOT, as the build wrote it next to the binary
// (<binary>.goroot): the tests' package directory is <GOROOT>/src/<package>.
std::filesystem::path goroot_file(const std::filesystem::path& binary);

// A CMake argument: bare when it is plainly safe, quoted otherwise.
std::string cmake_argument(const std::string& value);

} // namespace crossrt
