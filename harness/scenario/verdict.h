// How a cell is judged from its outcome.
#pragma once

#include "base/outcome.h"
#include "scenario/matrix.h"

#include <optional>
#include <string>
#include <string_view>

namespace crossrt {

// timeout: the wall clock ran out; budget: the unicorn kernel's instruction
// budget did (a verdict of its own: a guest that spins is not a slow host);
// memory: the sandbox's memory cap ended the run (the kernel killed a
// process of the guest's tree for it).
// xfail: a cell marked [[xfail]] failed as expected; xpass: it passed, so
// the known failure is gone and the marking is stale (a failure).
enum class Verdict { pass, fail, skip, timeout, budget, memory, error, xfail, xpass };

std::string_view verdict_name(Verdict verdict); // "pass", "fail", ...
bool is_failure(Verdict verdict);               // fail, timeout, budget, memory, error, xpass

struct Judgement {
    Verdict verdict = Verdict::error;
    std::string detail;
};

// Fixed variant: pass when the expectation holds. Regress variant: pass when
// the re-injected bug shows its symptom ("regression caught: ...").
Judgement judge(const Cell& cell, const Outcome& outcome);

// The ends that no expectation judges: a static skip, an interruption, the
// backend's error, unsupported call or skip. nullopt: the guest ran.
std::optional<Judgement> judge_unjudgeable(const Cell& cell, const Outcome& outcome);

// A cell's [[xfail]]: fail, timeout, budget and memory become xfail, pass xpass.
Judgement apply_xfail(const Cell& cell, Judgement judgement);

} // namespace crossrt
