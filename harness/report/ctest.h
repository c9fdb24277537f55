// `crossrt list --ctest`: one CTest test per cell, included by the build's test file.
#pragma once

#include "scenario/matrix.h"

#include <string>
#include <vector>

namespace crossrt {

// add_test(NAME <cell> COMMAND <crossrt> <global_args...> run <cell>) and
// set_tests_properties(<cell> PROPERTIES LABELS "arch=..;os=..;backend=..;scenario=.."
// SKIP_REGULAR_EXPRESSION ...) for each cell.
std::string ctest_script(const std::vector<const Cell*>& cells, const std::string& crossrt,
                         const std::vector<std::string>& global_args);

} // namespace crossrt
