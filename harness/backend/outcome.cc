#include "backend/outcome.h"

#include "backend/signals.h"

#include <fmt/format.h>

namespace crossrt {

std::string describe_outcome(const Outcome& outcome) {
    if (outcome.error)
        return fmt::format("error: {}", *outcome.error);
    if (outcome.skip)
        return fmt::format("skipped: {}", *outcome.skip);
    if (outcome.interrupted)
        return "interrupted";
    if (outcome.harness_verdict)
        return fmt::format("{}: {}", *outcome.harness_verdict, outcome.verdict_detail);
    if (outcome.timed_out && !outcome.verdict_detail.empty())
        return fmt::format("timeout: {}", outcome.verdict_detail);
    if (outcome.timed_out)
        return fmt::format("timeout after {:.1f}s", outcome.duration_s);
    if (outcome.output_truncated)
        return "output limit exceeded";
    if (outcome.signal)
        return fmt::format("signal {} ({})", signal_name(*outcome.signal), *outcome.signal);
    if (outcome.exit_code)
        return fmt::format("exit {}", *outcome.exit_code);
    return "no status";
}

std::string tail(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text;
    return "..." + text.substr(text.size() - max_bytes);
}

} // namespace crossrt
