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
    case Verdict::budget:
        return "budget";
    case Verdict::memory:
        return "memory";
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
    return verdict == Verdict::fail || verdict == Verdict::timeout || verdict == Verdict::budget ||
           verdict == Verdict::memory || verdict == Verdict::error || verdict == Verdict::xpass;
}

namespace {

// A limit that ran out is its own verdict, unless the manifest expects it.
std::optional<Verdict> limit_verdict(const Expectation& expectation, const Outcome& outcome) {
    if (expectation.verdict == outcome.end)
        return std::nullopt;
    if (outcome.end == EndKind::timeout)
        return Verdict::timeout;
    if (outcome.end == EndKind::budget)
        return Verdict::budget;
    if (outcome.end == EndKind::memory)
        return Verdict::memory;
    return std::nullopt;
}

Judgement judge_fixed(const Expectation& expectation, const Outcome& outcome) {
    if (auto limit = limit_verdict(expectation, outcome)) {
        std::string detail = describe_outcome(outcome);
        if (!outcome.out.empty())
            detail += fmt::format("; stdout: {}", tail(outcome.out));
        if (!outcome.err.empty())
            detail += fmt::format("; stderr: {}", tail(outcome.err));
        return {*limit, detail};
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

Judgement apply_xfail(const Cell& cell, Judgement judgement) {
    if (!cell.xfail)
        return judgement;
    if (judgement.verdict == Verdict::fail || judgement.verdict == Verdict::timeout ||
        judgement.verdict == Verdict::budget || judgement.verdict == Verdict::memory) {
        return {Verdict::xfail,
                fmt::format("expected failure ({}): {}", *cell.xfail, judgement.detail)};
    }
    if (judgement.verdict == Verdict::pass) {
        return {Verdict::xpass,
                fmt::format("unexpectedly passed: the known failure is gone ({})", *cell.xfail)};
    }
    return judgement;
}

std::optional<Judgement> judge_unjudgeable(const Cell& cell, const Outcome& outcome) {
    if (cell.skip)
        return Judgement{Verdict::skip, *cell.skip};
    switch (outcome.end) {
    case EndKind::interrupted:
        return Judgement{Verdict::error, "interrupted"};
    case EndKind::error:
    case EndKind::unsupported:
        return Judgement{Verdict::error, outcome.detail};
    case EndKind::skip:
        return Judgement{Verdict::skip, outcome.detail};
    default:
        return std::nullopt;
    }
}

Judgement judge(const Cell& cell, const Outcome& outcome) {
    if (auto unjudgeable = judge_unjudgeable(cell, outcome))
        return *unjudgeable;
    if (cell.regress != nullptr)
        return apply_xfail(cell, judge_regress(*cell.regress, cell.expectation(), outcome));
    return apply_xfail(cell, judge_fixed(cell.expectation(), outcome));
}

} // namespace crossrt
