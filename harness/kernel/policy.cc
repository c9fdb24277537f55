#include "kernel/policy.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kDefaultPctSteps = 10'000;

std::optional<std::size_t> index_of(const std::vector<LwpId>& lwps, LwpId lwp) {
    auto found = std::find(lwps.begin(), lwps.end(), lwp);
    if (found == lwps.end())
        return std::nullopt;
    return static_cast<std::size_t>(found - lwps.begin());
}

std::string lwp_text(LwpId lwp) {
    return fmt::format("{}:{}", lwp.pid, lwp.lwp);
}

std::optional<LwpId> parse_lwp(std::string_view text) {
    LwpId lwp;
    std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    auto first = std::from_chars(text.data(), text.data() + colon, lwp.pid);
    auto second = std::from_chars(text.data() + colon + 1, text.data() + text.size(), lwp.lwp);
    if (first.ec != std::errc{} || first.ptr != text.data() + colon || second.ec != std::errc{} ||
        second.ptr != text.data() + text.size())
        return std::nullopt;
    return lwp;
}

} // namespace

std::string format_points(const std::vector<PointRecord>& points) {
    std::string text;
    for (const PointRecord& point : points) {
        text +=
            fmt::format("{} {} {} {} {} ", point_kind_name(point.kind),
                        point.current ? lwp_text(*point.current) : "-", lwp_text(point.fallback),
                        lwp_text(point.chosen), point.preemptible ? 1 : 0);
        for (std::size_t i = 0; i < point.runnable.size(); ++i)
            text += (i == 0 ? "" : ",") + lwp_text(point.runnable[i]);
        text += "\n";
    }
    return text;
}

std::optional<std::vector<PointRecord>> parse_points(std::string_view text, std::string& error) {
    std::vector<PointRecord> points;
    int line_number = 0;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++line_number;
        std::vector<std::string_view> parts;
        for (std::size_t at = 0; at <= line.size();) {
            std::size_t space = line.find(' ', at);
            parts.push_back(
                line.substr(at, space == std::string_view::npos ? line.npos : space - at));
            if (space == std::string_view::npos)
                break;
            at = space + 1;
        }
        PointRecord point;
        bool ok = parts.size() == 6;
        if (ok) {
            std::optional<PointKind> kind;
            for (PointKind each : {PointKind::start, PointKind::slice_end, PointKind::blocked,
                                   PointKind::yield, PointKind::sync}) {
                if (point_kind_name(each) == parts[0])
                    kind = each;
            }
            auto fallback = parse_lwp(parts[2]);
            auto chosen = parse_lwp(parts[3]);
            ok = kind && fallback && chosen && (parts[4] == "0" || parts[4] == "1");
            if (ok) {
                point.kind = *kind;
                point.fallback = *fallback;
                point.chosen = *chosen;
                point.preemptible = parts[4] == "1";
                if (parts[1] != "-") {
                    point.current = parse_lwp(parts[1]);
                    ok = point.current.has_value();
                }
            }
            for (std::size_t at = 0; ok && at <= parts[5].size();) {
                std::size_t comma = parts[5].find(',', at);
                auto lwp = parse_lwp(parts[5].substr(
                    at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
                ok = lwp.has_value();
                if (ok)
                    point.runnable.push_back(*lwp);
                if (comma == std::string_view::npos)
                    break;
                at = comma + 1;
            }
        }
        if (!ok) {
            error = fmt::format("line {}: not a decision point", line_number);
            return std::nullopt;
        }
        points.push_back(std::move(point));
    }
    return points;
}

std::string_view strategy_name(Strategy strategy) {
    switch (strategy) {
    case Strategy::random:
        return "random";
    case Strategy::pct:
        return "pct";
    case Strategy::nonpreemptive:
        return "nonpreemptive";
    }
    return "?";
}

std::optional<Strategy> parse_strategy(std::string_view name) {
    for (Strategy strategy : {Strategy::random, Strategy::pct, Strategy::nonpreemptive}) {
        if (strategy_name(strategy) == name)
            return strategy;
    }
    return std::nullopt;
}

bool is_synchronisation_call(std::string_view name) {
    static constexpr std::string_view kCalls[] = {
        // Linux
        "futex", "futex_time64", "futex_waitv", "clone", "clone3", "fork", "vfork", "exit",
        "exit_group", "kill", "tkill", "tgkill",
        // NetBSD
        "___lwp_park50", "___lwp_park60", "compat_50__lwp_park", "_lwp_unpark", "_lwp_unpark_all",
        "_lwp_wakeup", "_lwp_create", "_lwp_exit", "_lwp_kill"};
    return std::find(std::begin(kCalls), std::end(kCalls), name) != std::end(kCalls);
}

std::string_view point_kind_name(PointKind kind) {
    switch (kind) {
    case PointKind::start:
        return "start";
    case PointKind::slice_end:
        return "slice-end";
    case PointKind::blocked:
        return "blocked";
    case PointKind::yield:
        return "yield";
    case PointKind::sync:
        return "sync";
    }
    return "?";
}

SchedulePolicy::SchedulePolicy(PolicyOptions options, u64 seed)
    : options_(std::move(options)), scheduler_(seed) {
    if (options_.strategy == Strategy::pct) {
        options_.pct_depth = std::max(options_.pct_depth, 1);
        u64 steps = options_.pct_steps != 0 ? options_.pct_steps : kDefaultPctSteps;
        for (int i = 1; i < options_.pct_depth; ++i)
            change_points_.push_back(1 + scheduler_.prng().below(steps));
        std::sort(change_points_.begin(), change_points_.end());
    }
}

std::size_t SchedulePolicy::fallback(const PointView& view, int kept_quanta) {
    std::optional<std::size_t> current;
    if (view.current)
        current = index_of(view.runnable, *view.current);
    bool starving = view.kind == PointKind::slice_end && kept_quanta >= kStarvationQuanta &&
                    view.runnable.size() > 1;
    if (current && view.kind != PointKind::yield && !starving)
        return *current;
    if (!view.current)
        return 0;
    // Round robin: the first runnable LWP after the current one.
    for (std::size_t i = 0; i < view.runnable.size(); ++i) {
        if (*view.current < view.runnable[i])
            return i;
    }
    return 0;
}

std::pair<std::size_t, u64> SchedulePolicy::choose(const PointView& view) {
    u64 step = steps_++;
    switch (options_.strategy) {
    case Strategy::random: {
        // The draws of every earlier crossrt: a seed's schedule stays.
        std::size_t index = scheduler_.pick(view.runnable.size());
        return {index, scheduler_.slice()};
    }
    case Strategy::pct:
        return {choose_pct(view), kQuantum};
    case Strategy::nonpreemptive: {
        if (auto deviation = options_.deviations.find(step);
            deviation != options_.deviations.end()) {
            if (auto index = index_of(view.runnable, deviation->second))
                return {*index, kQuantum};
        }
        return {choose_nonpreemptive(view), kQuantum};
    }
    }
    return {0, kQuantum};
}

void SchedulePolicy::note_choice(const PointView& view, LwpId chosen) {
    last_ran_[chosen] = steps_;
    bool kept = view.current && chosen == *view.current;
    if (!kept)
        kept_ = 0;
    else if (view.kind == PointKind::slice_end && view.runnable.size() > 1)
        ++kept_;
}

std::size_t SchedulePolicy::choose_nonpreemptive(const PointView& view) const {
    return fallback(view);
}

u64 SchedulePolicy::priority(LwpId lwp) {
    auto [at, inserted] = priorities_.try_emplace(lwp, 0);
    if (inserted) {
        // Above every changed priority (1 .. d-1), random among the others.
        at->second = static_cast<u64>(options_.pct_depth) + 1 + (scheduler_.prng().next() >> 8);
    }
    return at->second;
}

std::size_t SchedulePolicy::longest_waiting(const PointView& view, std::size_t current) const {
    std::size_t oldest = view.runnable.size();
    std::optional<u64> oldest_step;
    for (std::size_t i = 0; i < view.runnable.size(); ++i) {
        if (i == current)
            continue;
        auto ran = last_ran_.find(view.runnable[i]);
        // Never run yet: older than any that ran; the kernel's order breaks ties.
        std::optional<u64> step;
        if (ran != last_ran_.end())
            step = ran->second;
        if (oldest == view.runnable.size() || (oldest_step && (!step || *step < *oldest_step))) {
            oldest = i;
            oldest_step = step;
        }
    }
    return oldest;
}

std::size_t SchedulePolicy::choose_pct(const PointView& view) {
    // Change points: the LWP that ran up to this step drops below all.
    while (changes_done_ < static_cast<int>(change_points_.size()) &&
           change_points_[static_cast<std::size_t>(changes_done_)] <= steps_) {
        ++changes_done_;
        if (view.current)
            priorities_[*view.current] = static_cast<u64>(options_.pct_depth - changes_done_);
    }
    std::optional<std::size_t> current;
    if (view.current)
        current = index_of(view.runnable, *view.current);
    bool others = view.runnable.size() > 1;
    bool pass_over_current = false;
    if (current && others) {
        if (view.kind == PointKind::yield)
            pass_over_current = true;
        // PCT keeps the highest-priority LWP on the CPU; one that spins
        // waiting for a lower one would keep it for ever. The guard gives
        // the quantum to the LWP that has waited longest, not to the next
        // priority: that one may spin too (an idle M looking for work),
        // and the LWP both wait for would never run.
        if (view.kind == PointKind::slice_end && kept_ >= kStarvationQuanta)
            return longest_waiting(view, *current);
    }
    std::size_t best = view.runnable.size();
    u64 best_priority = 0;
    for (std::size_t i = 0; i < view.runnable.size(); ++i) {
        if (pass_over_current && current && i == *current)
            continue;
        u64 p = priority(view.runnable[i]);
        if (best == view.runnable.size() || p > best_priority) {
            best = i;
            best_priority = p;
        }
    }
    return best;
}

} // namespace crossrt::kernel
