// How a cell is judged from its outcome.
#pragma once

#include "backend/outcome.h"
#include "scenario/matrix.h"

#include <string>
#include <string_view>

namespace crossrt {

// xfail: a cell marked [[xfail]] failed as expected; xpass: it passed, so
// the known failure is gone and the marking is stale (a failure).
enum class Verdict { pass, fail, skip, timeout, error, xfail, xpass };

std::string_view verdict_name(Verdict verdict); // "pass", "fail", ...
bool is_failure(Verdict verdict);               // fail, timeout, error, xpass

struct Judgement {
    Verdict verdict = Verdict::error;
    std::string detail;
};

// Fixed variant: pass when the expectation holds. Regress variant: pass when
// the re-injected bug shows its symptom ("regression caught: ...").
Judgement judge(const Cell& cell, const Outcome& outcome);

} // namespace crossrt
