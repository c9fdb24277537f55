// Helpers shared by the harness tests.
#pragma once

#include "scenario/manifest.h"
#include "scratch_dir.h"
#include "target/target.h"

#include <cstdint>
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

// A static Linux executable for `machine` (EM_X86_64: ELF64; EM_386, EM_ARM:
// ELF32): its header, one PT_LOAD program header (read and execute, the
// whole file at 0x400000, p_memsz `memsz` or the file's size) and `code`,
// where it starts.
std::string static_executable(unsigned machine, const std::string& code = "",
                              std::uint64_t memsz = 0);

// amd64 code that prints its cwd (getcwd, write) and exits 0 when it can
// open "secret" there, else 3: what a guest sees of its working directory.
std::string print_cwd_code();

} // namespace crossrt::test
