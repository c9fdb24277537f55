#include "report/ctest.h"

#include "scenario/plan.h"

#include <fmt/format.h>

namespace crossrt {

std::string ctest_script(const std::vector<const Cell*>& cells, const std::string& crossrt,
                         const std::vector<std::string>& global_args) {
    std::string command = cmake_argument(crossrt);
    for (const std::string& arg : global_args)
        command += fmt::format(" {}", cmake_argument(arg)); // not " " + string: see plan.cc
    std::string script;
    for (const Cell* cell : cells) {
        std::string name = cmake_argument(cell->name);
        // The CTestTestfile form, add_test(<name> <command> <args>...), not
        // CMake's add_test(NAME ... COMMAND ...): ctest includes this file.
        script += fmt::format("add_test({} {} run {})\n", name, command, name);
        // A skipped cell exits 0; the regex lets CTest show it as skipped, not passed.
        script += fmt::format("set_tests_properties({} PROPERTIES LABELS "
                              "\"arch={};os={};backend={};scenario={}\" "
                              "SKIP_REGULAR_EXPRESSION \"(^|\\n)SKIP  \")\n",
                              name, cell->arch, cell->os, cell->backend, cell->scenario);
    }
    return script;
}

} // namespace crossrt
