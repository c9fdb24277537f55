// What a build must do when run: the [expect] / [regress.expect] tables.
#pragma once

#include "base/outcome.h"
#include "scenario/stream_check.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

// Which cells a [[skip]] or an [[expect.on]] entry applies to: every key it
// gives must match; an empty key matches anything.
struct CellSelector {
    std::vector<std::string> arch;
    std::vector<std::string> os;
    std::vector<std::string> backend;

    bool matches(std::string_view cell_arch, std::string_view cell_os,
                 std::string_view cell_backend) const;
};

struct ExpectationOverride;

struct Expectation {
    // At most one of these three; none means "exit 0".
    std::optional<int> exit_code;
    std::optional<int> signal;
    std::optional<EndKind> verdict; // a harness verdict: timeout, deadlock, budget, memory

    std::vector<StreamCheck> stdout_checks;
    std::vector<StreamCheck> stderr_checks;

    // [[expect.on]]: per-target differences, applied in order to the cells
    // they select (the lit/FileCheck -check-prefix idea, without a copy).
    std::vector<ExpectationOverride> overrides;

    int expected_exit() const { return exit_code.value_or(0); }

    // This expectation with every override that selects the cell applied.
    Expectation for_cell(std::string_view arch, std::string_view os,
                         std::string_view backend) const;
};

// An [[expect.on]] entry: the keys it gives replace the base's. exit, signal
// and verdict are one group: giving any of them replaces the status.
struct ExpectationOverride {
    CellSelector selector;
    Expectation replacement;
    bool replaces_status = false;
    bool replaces_stdout = false;
    bool replaces_stderr = false;
};

// The harness verdicts a manifest may expect, by the name it writes:
// "timeout" (the wall clock), "memory" (the sandbox's memory cap), and from
// the unicorn kernel "deadlock" (every LWP blocked with no timer pending) and
// "budget" (its instruction budget ran out). nullopt for any other name.
std::optional<EndKind> expectable_verdict(std::string_view name);
std::vector<std::string> expectable_verdict_names();

// "exit 0", "signal SIGSEGV, stderr absent \"x\"", ...
std::string describe_expectation(const Expectation& expectation);

// Whether the exit status / signal / harness verdict is the expected one.
bool status_matches(const Expectation& expectation, const Outcome& outcome);

// "; stderr: <tail>" (or stdout when stderr is empty): what explains a status.
std::string status_context(const Outcome& outcome);

// Checks a finished run (not an error or skip) against the expectation. nullopt
// when it holds, otherwise what was expected and what was seen.
std::optional<std::string> check_expectation(const Expectation& expectation,
                                             const Outcome& outcome);

} // namespace crossrt
