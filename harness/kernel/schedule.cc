#include "kernel/schedule.h"

#include <charconv>
#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

constexpr std::string_view kHeader = "crossrt-schedule 1";

// The whitespace-separated words of a line.
std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < line.size()) {
        std::size_t start = line.find_first_not_of(" \t", at);
        if (start == std::string_view::npos)
            break;
        std::size_t end = line.find_first_of(" \t", start);
        end = end == std::string_view::npos ? line.size() : end;
        out.push_back(line.substr(start, end - start));
        at = end;
    }
    return out;
}

template <typename Number>
bool number(std::string_view text, Number& value) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size();
}

} // namespace

std::string format_schedule(const Schedule& schedule) {
    std::string text = fmt::format("{}\n", kHeader);
    text += fmt::format("program {}\nprogram-size {}\nseed {}\ncpus {}\n", schedule.program,
                        schedule.program_size, schedule.seed, schedule.cpus);
    if (schedule.strategy == "pct")
        text += fmt::format("strategy pct {} {}\n", schedule.pct_depth, schedule.pct_steps);
    else
        text += fmt::format("strategy {}\n", schedule.strategy);
    text += "# pid lwp length: one line per slice, in order\n";
    for (const Decision& decision : schedule.decisions)
        text += fmt::format("{} {} {}\n", decision.pid, decision.lwp, decision.length);
    return text;
}

std::optional<Schedule> parse_schedule(std::string_view text, std::string& error) {
    Schedule schedule;
    bool header = false;
    int line_number = 0;
    std::size_t at = 0;
    while (at <= text.size() && at < text.size()) {
        std::size_t end = text.find('\n', at);
        end = end == std::string_view::npos ? text.size() : end;
        std::string_view line = text.substr(at, end - at);
        at = end + 1;
        ++line_number;
        if (std::size_t hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        std::vector<std::string_view> parts = words(line);
        if (parts.empty())
            continue;
        auto fail = [&](std::string_view why) {
            error = fmt::format("line {}: {}", line_number, why);
            return std::nullopt;
        };
        if (!header) {
            if (parts.size() != 2 || parts[0] != "crossrt-schedule" || parts[1] != "1")
                return fail(fmt::format("expected \"{}\" (not a crossrt schedule file)", kHeader));
            header = true;
            continue;
        }
        if (parts[0] == "program") {
            if (parts.size() != 2)
                return fail("\"program\" takes one path (no spaces)");
            schedule.program = std::string(parts[1]);
        } else if (parts[0] == "program-size") {
            if (parts.size() != 2 || !number(parts[1], schedule.program_size))
                return fail("\"program-size\" takes a number of bytes");
        } else if (parts[0] == "seed") {
            if (parts.size() != 2 || !number(parts[1], schedule.seed))
                return fail("\"seed\" takes a number");
        } else if (parts[0] == "cpus") {
            if (parts.size() != 2 || !number(parts[1], schedule.cpus))
                return fail("\"cpus\" takes a number");
        } else if (parts[0] == "strategy") {
            bool pct = parts.size() == 4 && parts[1] == "pct" &&
                       number(parts[2], schedule.pct_depth) && number(parts[3], schedule.pct_steps);
            bool other = parts.size() == 2 && (parts[1] == "random" || parts[1] == "nonpreemptive");
            if (!pct && !other)
                return fail("\"strategy\" is random, nonpreemptive, or pct DEPTH STEPS");
            schedule.strategy = std::string(parts[1]);
        } else {
            Decision decision;
            if (parts.size() != 3 || !number(parts[0], decision.pid) ||
                !number(parts[1], decision.lwp) || !number(parts[2], decision.length))
                return fail("a decision is three numbers: pid lwp length");
            if (decision.length == 0)
                return fail("a slice's length is at least one instruction");
            schedule.decisions.push_back(decision);
        }
    }
    if (!header) {
        error = "empty file: not a crossrt schedule file";
        return std::nullopt;
    }
    return schedule;
}

} // namespace crossrt::kernel
