#include "scenario/gotest_judge.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <vector>

namespace crossrt {
namespace {

// Names in a detail line: the first few, then how many more.
std::string name_list(const std::vector<std::string>& names, std::size_t shown = 6) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i)
        text += (i == 0 ? "" : ", ") + names[i];
    if (names.size() > shown)
        text += fmt::format(" and {} more", names.size() - shown);
    return text;
}

std::string counts(const GoTestRun& run) {
    return fmt::format("{} pass, {} fail, {} skip", run.count(GoTestStatus::pass),
                       run.count(GoTestStatus::fail), run.count(GoTestStatus::skip));
}

const GoTestKnownFailure* known_failure(const Cell& cell, const std::string& test) {
    for (const GoTestKnownFailure& failure : cell.manifest->gotest->known_failures) {
        if (failure.test == test && !failure.skip &&
            failure.matches(cell.arch, cell.os, cell.backend) && lacks_select(failure.lacks, cell))
            return &failure;
    }
    return nullptr;
}

bool is_test_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

bool fails_in(const std::optional<GoTestReference>& reference, const std::string& test) {
    if (!reference)
        return false;
    auto found = reference->run.tests.find(test);
    return found != reference->run.tests.end() && found->second == GoTestStatus::fail;
}

struct Findings {
    std::vector<std::string> problems; // each one fails the cell
    std::vector<std::string> notes;    // recorded in the detail
};

void judge_tests(const Cell& cell, const GoTestRun& run,
                 const std::optional<GoTestReference>& reference, Findings& findings) {
    std::vector<std::string> new_failures, unreported, shared_failures, stale, known, skipped_here;
    for (const auto& [test, status] : run.tests) {
        const GoTestKnownFailure* entry = known_failure(cell, test);
        if (status == GoTestStatus::fail) {
            if (entry != nullptr)
                known.push_back(
                    fmt::format("{} ({})", test, rule_reason(entry->reason, entry->lacks, cell)));
            else if (fails_in(reference, test))
                shared_failures.push_back(test);
            else if (reference && !reference->run.tests.contains(test))
                unreported.push_back(test);
            else
                new_failures.push_back(test);
        } else if (status == GoTestStatus::pass && entry != nullptr && !entry->flaky) {
            stale.push_back(test);
        } else if (status == GoTestStatus::skip && reference) {
            auto there = reference->run.tests.find(test);
            if (there != reference->run.tests.end() && there->second == GoTestStatus::pass)
                skipped_here.push_back(test);
        }
    }
    if (!new_failures.empty())
        findings.problems.push_back(
            fmt::format("{} failed{}: {}", new_failures.size() == 1 ? "a test" : "tests",
                        reference ? " that pass on the reference" : "", name_list(new_failures)));
    if (!unreported.empty())
        findings.problems.push_back(fmt::format("failed, and the reference never reported {}: {}",
                                                unreported.size() == 1 ? "it" : "them",
                                                name_list(unreported)));
    if (!shared_failures.empty())
        findings.problems.push_back(
            fmt::format("failed here and on the reference, with no [[gotest.known_failure]] "
                        "entry giving the reason: {}",
                        name_list(shared_failures)));
    if (!stale.empty())
        findings.problems.push_back(
            fmt::format("known failures pass now (remove their entries): {}", name_list(stale)));
    if (!known.empty())
        findings.notes.push_back(fmt::format("known failures: {}", name_list(known, 4)));
    if (!skipped_here.empty())
        findings.notes.push_back(
            fmt::format("skipped here, pass on the reference: {}", name_list(skipped_here)));
}

// The binary must end by itself: exit 0 (PASS) or 1 (FAIL) after its summary.
void judge_end(const GoTestRun& run, const Outcome& outcome,
               const std::optional<GoTestReference>& reference, Findings& findings) {
    std::optional<int> code = outcome.exit_code();
    bool ended = !run.summary.empty() && code && (*code == 0 || *code == 1);
    if (ended) {
        if (*code == 1 && run.count(GoTestStatus::fail) == 0)
            findings.problems.push_back(
                fmt::format("the binary says FAIL but no test failed: {}", tail(outcome.out, 300)));
        if (run.tests.empty())
            findings.problems.push_back("no test ran (does gotest.run match any test?)");
        return;
    }
    std::string why = describe_outcome(outcome);
    if (!run.crash.empty())
        why += fmt::format(" ({})", run.crash);
    else if (!run.last_words.empty())
        why += fmt::format(" (its last words: {})", run.last_words.substr(0, 200));
    if (!run.unfinished.empty())
        why += fmt::format(" while running {}", name_list(run.unfinished, 3));
    if (reference) {
        std::size_t lost = 0;
        for (const auto& entry : reference->run.tests)
            lost += run.tests.contains(entry.first) ? 0 : 1;
        why += fmt::format("; {} of the reference's {} tests never reported", lost,
                           reference->run.tests.size());
    }
    findings.problems.push_back(fmt::format("the test binary did not finish: {}", why));
}

} // namespace

std::vector<const GoTestKnownFailure*> gotest_skipped(const Cell& cell) {
    std::vector<const GoTestKnownFailure*> skipped;
    for (const GoTestKnownFailure& failure : cell.manifest->gotest->known_failures) {
        if (failure.skip && failure.matches(cell.arch, cell.os, cell.backend) &&
            lacks_select(failure.lacks, cell))
            skipped.push_back(&failure);
    }
    return skipped;
}

std::string gotest_run_without(std::string_view listing,
                               const std::vector<const GoTestKnownFailure*>& skipped) {
    std::string names;
    while (!listing.empty()) {
        std::size_t end = listing.find('\n');
        std::string_view name = listing.substr(0, end);
        listing.remove_prefix(end == std::string_view::npos ? listing.size() : end + 1);
        if (!is_test_name(name) || name == "ok")
            continue;
        bool skip = std::any_of(skipped.begin(), skipped.end(),
                                [name](const GoTestKnownFailure* f) { return f->test == name; });
        if (!skip)
            names += (names.empty() ? "" : "|") + std::string(name);
    }
    return "^(" + names + ")$";
}

Judgement judge_gotest(const Cell& cell, const Outcome& outcome,
                       const std::optional<GoTestReference>& reference,
                       const std::string& no_reference_reason) {
    if (auto unjudgeable = judge_unjudgeable(cell, outcome))
        return *unjudgeable;
    GoTestRun run = parse_gotest_output(outcome.out, outcome.err);
    Findings findings;
    judge_tests(cell, run, reference, findings);
    judge_end(run, outcome, reference, findings);

    std::string summary = fmt::format("{}: {}", cell.manifest->gotest->package, counts(run));
    if (reference && reference->source != cell.name)
        summary += fmt::format(" (reference {}: {})", reference->source, counts(reference->run));
    else if (!reference)
        summary += fmt::format(" (no reference: {})", no_reference_reason);
    std::string detail = summary;
    for (const std::string& note : findings.notes)
        detail += "; " + note;
    std::vector<std::string> not_run;
    for (const GoTestKnownFailure* failure : gotest_skipped(cell))
        not_run.push_back(fmt::format("{} ({})", failure->test,
                                      rule_reason(failure->reason, failure->lacks, cell)));
    if (!not_run.empty())
        detail += fmt::format("; not run: {}", name_list(not_run, 4));

    Verdict verdict = Verdict::pass;
    if (!findings.problems.empty()) {
        std::string problems;
        for (const std::string& problem : findings.problems)
            problems += (problems.empty() ? "" : "; ") + problem;
        detail = problems + "; " + detail;
        verdict = outcome.end == EndKind::timeout  ? Verdict::timeout
                  : outcome.end == EndKind::budget ? Verdict::budget
                  : outcome.end == EndKind::memory ? Verdict::memory
                                                   : Verdict::fail;
    }
    return apply_xfail(cell, {verdict, detail});
}

} // namespace crossrt
