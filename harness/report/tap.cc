#include "report/tap.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

// A YAML scalar: a JSON string is a valid YAML double-quoted one.
std::string yaml_string(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

// TAP's directives end a line at '#'; a description must not hold one or a
// line break.
std::string one_line(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r')
            c = ' ';
        else if (c == '#')
            c = '_';
    }
    return text;
}

} // namespace

std::string tap_report(const std::vector<CellResult>& results) {
    std::string tap = fmt::format("TAP version 13\n1..{}\n", results.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const CellResult& result = results[i];
        std::string verdict(verdict_name(result.verdict));
        // A repeat's "#k" would read as a directive: "name (repeat k)".
        std::string description =
            result.show_repeat ? fmt::format("{} (repeat {})", result.cell->name, result.repeat)
                               : result.cell->name;
        std::string reason = one_line(result.detail.empty() ? verdict : result.detail);
        std::string line;
        switch (result.verdict) {
        case Verdict::pass:
            line = fmt::format("ok {} - {}", i + 1, description);
            break;
        case Verdict::skip:
            line = fmt::format("ok {} - {} # SKIP {}", i + 1, description, reason);
            break;
        case Verdict::xfail:
            line = fmt::format("not ok {} - {} # TODO {}", i + 1, description, reason);
            break;
        default:
            line = fmt::format("not ok {} - {}", i + 1, description);
            break;
        }
        tap += line + "\n";
        if (result.verdict == Verdict::pass)
            continue;
        tap += fmt::format("  ---\n  verdict: {}\n", verdict);
        if (!result.detail.empty())
            tap += fmt::format("  detail: {}\n", yaml_string(result.detail));
        tap += fmt::format("  duration_s: {:.3f}\n", result.duration_s);
        if (result.seeded && result.seed)
            tap += fmt::format("  seed: {}\n", *result.seed);
        if (!result.repeat_command.empty())
            tap += fmt::format("  repeat_command: {}\n", yaml_string(result.repeat_command));
        tap += "  ...\n";
    }
    return tap;
}

} // namespace crossrt
