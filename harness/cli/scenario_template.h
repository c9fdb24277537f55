// The files `crossrt new NAME` writes: a scenario that builds and passes at
// once, for its author to turn into the real one.
#pragma once

#include <string>
#include <vector>

namespace crossrt {

struct TemplateFile {
    std::string path; // relative to the scenario's folder
    std::string text;
};

// The regression variant's compile define for the scenario NAME:
// RT_REGRESS_<NAME>_NO_WAIT, NAME upper-cased with '-' as '_'.
std::string template_define(const std::string& name);

// scenario.toml (one fixed and one regression variant, every key
// commented), main.cc (the program) and README.md (the docs stub).
std::vector<TemplateFile> scenario_template(const std::string& name);

} // namespace crossrt
