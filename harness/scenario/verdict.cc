#include "scenario/verdict.h"

#include <fmt/format.h>

namespace crossrt {

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass:
        return "pass";
    case Verdict::fail:
        return "fail";
    case Verdict::skip:
        return "skip";
    case Verdict::timeout:
        return "timeout";
    case Verdict::error:
        return "error";
    case Verdict::xfail:
        return "xfail";
    case Verdict::xpass:
        return "xpass";
    }
    return "error";
}

bool is_failure(Verdict verdict) {
    return verdict == Verdict::fail || verdict == Verdict::timeout || verdict == Verdict::error ||
           verdict == Verdict::xpass;
}

namespace {

Judgement judge_fixed(const Expectation& expectation, const Outcome& outcome) {
    if (outcome.timed_out && !expectation.expects_timeout()) {
        std::string detail = describe_outcome(outcome);
        if (!outcome.out.empty())
            detail += fmt::format("; stdout: {}", tail(outcome.out));
        if (!outcome.err.empty())
            detail += fmt::format("; stderr: {}", tail(outcome.err));
        return {Verdict::timeout, detail};
    }
    if (auto failure = check_expectation(expectation, outcome))
        return {Verdict::fail, *failure};
    return {Verdict::pass, ""};
}

Judgement judge_regress(const RegressVariant& regress, const Expectation& symptom,
                        const Outcome& outcome) {
    auto failure = check_expectation(symptom, outcome);
    if (!failure)
        return {Verdict::pass, fmt::format("regression caught: {}", regress.symptom)};
    std::string seen = status_matches(symptom, outcome)
                           ? fmt::format("{}; {}", describe_outcome(outcome), *failure)
                           : describe_outcome(outcome) + status_context(outcome);
    return {Verdict::fail, fmt::format("regression not caught: expected symptom {} ({}), saw {}",
                                       regress.symptom, describe_expectation(symptom), seen)};
}

} // namespace

namespace {

// A known failure turns fail/timeout into xfail and pass into xpass.
Judgement apply_xfail(const Cell& cell, Judgement judgement) {
    if (!cell.xfail)
        return judgement;
    if (judgement.verdict == Verdict::fail || judgement.verdict == Verdict::timeout) {
        return {Verdict::xfail,
                fmt::format("expected failure ({}): {}", *cell.xfail, judgement.detail)};
    }
    if (judgement.verdict == Verdict::pass) {
        return {Verdict::xpass,
                fmt::format("unexpectedly passed: the known failure is gone ({})", *cell.xfail)};
    }
    return judgement;
}

} // namespace

Judgement judge(const Cell& cell, const Outcome& outcome) {
    if (cell.skip)
        return {Verdict::skip, *cell.skip};
    if (outcome.interrupted)
        return {Verdict::error, "interrupted"};
    if (outcome.error)
        return {Verdict::error, *outcome.error};
    if (outcome.skip)
        return {Verdict::skip, *outcome.skip};
    if (cell.regress != nullptr)
        return apply_xfail(cell, judge_regress(*cell.regress, cell.expectation(), outcome));
    return apply_xfail(cell, judge_fixed(cell.expectation(), outcome));
}

} // namespace crossrt
