// Helpers shared by the harness tests.
#pragma once

#include "scenario/manifest.h"
#include "scratch_dir.h"
#include "target/target.h"

#include <filesystem>
#include <string>
#include <vector>

namespace crossrt::test {

// The table the tests use, independent of targets/targets.tsv.
const std::vector<Target>& test_targets();

// Parses a manifest named "scenarios/x/scenario.toml" for scenario "x".
ManifestParse parse(const std::string& text, const std::filesystem::path& dir = {});

// "file:line:col: message" of every error, for readable assertion failures.
std::vector<std::string> error_strings(const ManifestParse& parse);

// An outcome that ended as `kind`; status is the exit code or the signal.
Outcome ended(EndKind kind, int status = 0, std::string detail = "");

} // namespace crossrt::test
