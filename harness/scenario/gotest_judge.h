// How a [gotest] cell is judged: its tests' verdicts, against the reference
// run of the same package on linux and the manifest's known failures.
#pragma once

#include "base/outcome.h"
#include "scenario/gotest_output.h"
#include "scenario/matrix.h"
#include "scenario/verdict.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct GoTestReference {
    std::string source; // the cell that ran it: "sort/amd64-linux/native/fixed"
    GoTestRun run;
};

// Pass when every test passes or skips, or fails as a known failure of this
// cell, and the binary ended by itself. A failure the reference shares but
// the manifest does not record (with its reason) fails the cell too, as does
// a known failure that now passes (unless flaky), and a binary that died.
// Without a reference (its backend cannot run here), the cell is judged on
// its own and the detail says so.
// The known failures of the cell that are not run (skip = true).
std::vector<const GoTestKnownFailure*> gotest_skipped(const Cell& cell);

// The -test.run pattern that runs every listed test (-test.list's output)
// but the skipped ones: "^(TestA|TestB)$". Names that are no test's (a
// "ok" line) are ignored.
std::string gotest_run_without(std::string_view listing,
                               const std::vector<const GoTestKnownFailure*>& skipped);

Judgement judge_gotest(const Cell& cell, const Outcome& outcome,
                       const std::optional<GoTestReference>& reference,
                       const std::string& no_reference_reason = "");

} // namespace crossrt
