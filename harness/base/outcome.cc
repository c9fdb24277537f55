#include "base/outcome.h"

#include "base/signals.h"

#include <fmt/format.h>

namespace crossrt {

std::optional<int> Outcome::exit_code() const {
    if (end != EndKind::exited)
        return std::nullopt;
    return status;
}

std::optional<int> Outcome::signal() const {
    if (end != EndKind::signaled)
        return std::nullopt;
    return status;
}

std::string describe_outcome(const Outcome& outcome) {
    // What the sandbox noted about a run it did not end (the task cap refused forks).
    std::string note = outcome.detail.empty() ? "" : fmt::format(" ({})", outcome.detail);
    switch (outcome.end) {
    case EndKind::exited:
        return fmt::format("exit {}{}", outcome.status, note);
    case EndKind::signaled:
        return fmt::format("signal {} ({}){}", signal_name(outcome.status), outcome.status, note);
    case EndKind::deadlock:
        return fmt::format("deadlock: {}", outcome.detail);
    case EndKind::budget:
        return outcome.detail.empty() ? "instruction budget exhausted" : outcome.detail;
    case EndKind::unsupported:
    case EndKind::error:
        return fmt::format("error: {}", outcome.detail);
    case EndKind::timeout:
        return fmt::format("timeout after {:.1f}s{}", outcome.duration_s, note);
    case EndKind::output_limit:
        return "output limit exceeded";
    case EndKind::memory:
        return outcome.detail.empty() ? "memory cap reached" : outcome.detail;
    case EndKind::interrupted:
        return "interrupted";
    case EndKind::skip:
        return fmt::format("skipped: {}", outcome.detail);
    }
    return "no status";
}

std::string tail(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text;
    return "..." + text.substr(text.size() - max_bytes);
}

} // namespace crossrt
