#include "scenario/expectation.h"

#include "base/signals.h"

#include <algorithm>
#include <fmt/format.h>

namespace crossrt {

bool CellSelector::matches(std::string_view cell_arch, std::string_view cell_os,
                           std::string_view cell_backend) const {
    auto key_matches = [](const std::vector<std::string>& values, std::string_view value) {
        return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
    };
    return key_matches(arch, cell_arch) && key_matches(os, cell_os) &&
           key_matches(backend, cell_backend);
}

Expectation Expectation::for_cell(std::string_view arch, std::string_view os,
                                  std::string_view backend) const {
    Expectation resolved = *this;
    resolved.overrides.clear();
    for (const ExpectationOverride& entry : overrides) {
        if (!entry.selector.matches(arch, os, backend))
            continue;
        if (entry.replaces_status) {
            resolved.exit_code = entry.replacement.exit_code;
            resolved.signal = entry.replacement.signal;
            resolved.verdict = entry.replacement.verdict;
        }
        if (entry.replaces_stdout)
            resolved.stdout_checks = entry.replacement.stdout_checks;
        if (entry.replaces_stderr)
            resolved.stderr_checks = entry.replacement.stderr_checks;
    }
    return resolved;
}

namespace {

std::string describe_status(const Expectation& expectation) {
    if (expectation.verdict)
        return fmt::format("verdict {}", end_kind_name(*expectation.verdict));
    if (expectation.signal)
        return fmt::format("signal {} ({})", signal_name(*expectation.signal), *expectation.signal);
    return fmt::format("exit {}", expectation.expected_exit());
}

} // namespace

std::string status_context(const Outcome& outcome) {
    if (!outcome.err.empty())
        return fmt::format("; stderr: {}", tail(outcome.err));
    if (!outcome.out.empty())
        return fmt::format("; stdout: {}", tail(outcome.out));
    return "";
}

bool status_matches(const Expectation& expectation, const Outcome& outcome) {
    if (expectation.verdict)
        return outcome.end == *expectation.verdict;
    if (expectation.signal)
        return outcome.signal() == expectation.signal;
    return outcome.exit_code() == expectation.expected_exit();
}

namespace {

constexpr EndKind kExpectable[] = {EndKind::timeout, EndKind::deadlock, EndKind::budget,
                                   EndKind::memory};

} // namespace

std::optional<EndKind> expectable_verdict(std::string_view name) {
    for (EndKind kind : kExpectable) {
        if (end_kind_name(kind) == name)
            return kind;
    }
    return std::nullopt;
}

std::vector<std::string> expectable_verdict_names() {
    std::vector<std::string> names;
    for (EndKind kind : kExpectable)
        names.emplace_back(end_kind_name(kind));
    return names;
}

std::string describe_expectation(const Expectation& expectation) {
    std::string text = describe_status(expectation);
    for (const StreamCheck& check : expectation.stdout_checks)
        text += fmt::format(", stdout {}", check.describe());
    for (const StreamCheck& check : expectation.stderr_checks)
        text += fmt::format(", stderr {}", check.describe());
    return text;
}

std::optional<std::string> check_expectation(const Expectation& expectation,
                                             const Outcome& outcome) {
    if (!status_matches(expectation, outcome)) {
        return fmt::format("expected {}, saw {}{}", describe_status(expectation),
                           describe_outcome(outcome), status_context(outcome));
    }
    if (auto failure = run_stream_checks(expectation.stdout_checks, "stdout", outcome.out))
        return failure;
    if (auto failure = run_stream_checks(expectation.stderr_checks, "stderr", outcome.err))
        return failure;
    return std::nullopt;
}

} // namespace crossrt
