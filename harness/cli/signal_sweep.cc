#include "cli/signal_sweep.h"

#include <fmt/format.h>
#include <set>

namespace crossrt {
namespace {

// "foreign_clobber_loop+0x8" (the region's own name, up to its " [").
std::string where(const SweepPlan& plan, std::uint64_t address) {
    std::string name = plan.region.substr(0, plan.region.find(" ["));
    if (name.find('-') != std::string::npos)
        name = name.substr(0, name.find('-'));
    return address == plan.begin ? name : fmt::format("{}+{:#x}", name, address - plan.begin);
}

std::string hex_list(const std::vector<std::uint64_t>& addresses, std::size_t most) {
    std::string text;
    for (std::size_t i = 0; i < addresses.size() && i < most; ++i)
        text += fmt::format("{}{:#x}", i == 0 ? "" : ", ", addresses[i]);
    if (addresses.size() > most)
        text += fmt::format(", ... ({} more)", addresses.size() - most);
    return text;
}

// A row holds one line: the detail's newlines (it may quote guest output)
// as \n, and at most `most` characters of it.
std::string one_line(const std::string& text, std::size_t most) {
    std::string line;
    for (char c : text) {
        if (line.size() >= most) {
            line += "...";
            break;
        }
        if (c == '\n')
            line += "\\n";
        else if (c == '\r' || c == '\t')
            line += ' ';
        else
            line += c;
    }
    return line;
}

void settle(SignalSweepResult& result, bool regression, bool interrupted) {
    const SweepPlan& plan = *result.plan;
    std::set<std::uint64_t> exact;
    std::vector<std::uint64_t> shown;
    std::vector<std::uint64_t> missed; // delivered elsewhere, or never
    const PointResult* first_bad = nullptr;
    for (const PointResult& point : result.points) {
        result.duration_s += point.duration_s;
        result.cpu_s += point.cpu_s;
        if (point.exact())
            exact.insert(point.point.address);
        else
            missed.push_back(point.point.address);
        if (point.judgement.verdict == Verdict::pass)
            shown.push_back(point.point.address);
        else if (first_bad == nullptr)
            first_bad = &point;
    }
    std::vector<std::uint64_t> unreached;
    for (const RegionInstruction& instruction : plan.instructions) {
        if (exact.count(instruction.address) != 0)
            ++result.covered;
        else
            unreached.push_back(instruction.address);
    }
    result.shown = shown.size();
    std::string counts = fmt::format("{} of {} instructions of {} covered", result.covered,
                                     plan.instructions.size(), plan.region);
    Judgement& judgement = result.judgement;
    if (interrupted) {
        judgement = {Verdict::error, fmt::format("interrupted after {} of {} points; {}",
                                                 result.points.size(), plan.points.size(), counts)};
        return;
    }
    if (plan.points.empty()) {
        judgement = {Verdict::error, fmt::format("the run never reached {} (it ended: {})",
                                                 plan.region, plan.discovery)};
        return;
    }
    if (regression) {
        if (!shown.empty()) {
            judgement = {Verdict::pass,
                         fmt::format("regression caught at {} of {} points ({}); {}", shown.size(),
                                     result.points.size(), hex_list(shown, 8), counts)};
        } else {
            judgement = {Verdict::fail, fmt::format("regression not caught at any of {} points; {}",
                                                    result.points.size(), counts)};
        }
        return;
    }
    if (first_bad != nullptr) {
        judgement = first_bad->judgement;
        judgement.detail = fmt::format(
            "{} of {} points do not pass; first at {:#x} ({}): {}; {}",
            result.points.size() - shown.size(), result.points.size(), first_bad->point.address,
            where(plan, first_bad->point.address), first_bad->judgement.detail, counts);
        return;
    }
    if (!unreached.empty()) {
        judgement = {Verdict::fail,
                     fmt::format("every point passed, but {}: no signal landed on {} (the first "
                                 "run ended: {})",
                                 counts, hex_list(unreached, 8), plan.discovery)};
        return;
    }
    judgement = {Verdict::pass,
                 fmt::format("all {} points passed; {}", result.points.size(), counts)};
}

} // namespace

Judgement judge_exit_zero(const Outcome& outcome) {
    bool ok = outcome.end == EndKind::exited && outcome.status == 0;
    return {ok ? Verdict::pass : Verdict::fail, describe_outcome(outcome)};
}

SignalSweepResult sweep_signal_points(const Backend& backend, const RunRequest& request,
                                      const std::string& spec, int parallel, bool regression,
                                      const JudgeOutcome& judge,
                                      const std::function<bool()>& should_stop) {
    SignalSweepResult result;
    bool interrupted = false;
    result.regression = regression;
    auto run = backend.run_signal_sweep(request, spec, parallel,
                                        [&](std::size_t index, std::optional<std::uint64_t> landed,
                                            int lwp, const Outcome& outcome) {
                                            (void)index; // reported in order
                                            if (outcome.end == EndKind::interrupted) {
                                                interrupted = true;
                                                return false;
                                            }
                                            PointResult point;
                                            point.landed_pc = landed;
                                            point.landed_lwp = lwp;
                                            point.judgement = judge(outcome);
                                            point.outcome = describe_outcome(outcome);
                                            point.duration_s = outcome.duration_s;
                                            point.cpu_s = outcome.cpu_s;
                                            result.points.push_back(std::move(point));
                                            if (should_stop()) {
                                                interrupted = true;
                                                return false;
                                            }
                                            return true;
                                        });
    if (!run.plan) {
        result.judgement = {Verdict::error, run.failed.detail.empty() ? describe_outcome(run.failed)
                                                                      : run.failed.detail};
        return result;
    }
    result.plan = std::move(run.plan);
    // Each point reported in the plan's order: its place there.
    for (std::size_t i = 0; i < result.points.size() && i < result.plan->points.size(); ++i)
        result.points[i].point = result.plan->points[i];
    settle(result, regression, interrupted || result.points.size() < result.plan->points.size());
    return result;
}

std::string format_sweep_table(const SignalSweepResult& result) {
    if (!result.plan)
        return "";
    const SweepPlan& plan = *result.plan;
    std::string table =
        fmt::format("signal sweep over {}: {} instructions, {} reached; first "
                    "run: {}\n",
                    plan.region, plan.instructions.size(), plan.points.size(), plan.discovery);
    table += fmt::format("  {:<12} {:<28} {:<28} {:>10} {:>4}  {}\n", "address", "where",
                         "instruction", "count", "lwp", "verdict");
    for (const PointResult& point : result.points) {
        std::string verdict =
            fmt::format("{} ({})", verdict_name(point.judgement.verdict), point.outcome);
        if (!point.judgement.detail.empty() && point.judgement.detail != point.outcome)
            verdict += ": " + one_line(point.judgement.detail, 160);
        if (!point.landed_pc)
            verdict = "not delivered (the run ended first); " + verdict;
        else if (!point.exact())
            verdict = fmt::format("landed at {:#x}, not here; {}", *point.landed_pc, verdict);
        table += fmt::format("  {:<#12x} {:<28} {:<28} {:>10} {:>4}  {}\n", point.point.address,
                             where(plan, point.point.address),
                             instruction_text(plan, point.point.address), point.point.count,
                             point.point.lwp, verdict);
    }
    std::set<std::uint64_t> reached;
    for (const SignalPoint& point : plan.points)
        reached.insert(point.address);
    for (const RegionInstruction& instruction : plan.instructions) {
        if (reached.count(instruction.address) == 0)
            table += fmt::format("  {:<#12x} {:<28} {:<28} {:>10} {:>4}  never reached\n",
                                 instruction.address, where(plan, instruction.address),
                                 instruction.text, "-", "-");
    }
    table += fmt::format("  covered {} of {} instructions; {} of {} points {}\n", result.covered,
                         plan.instructions.size(), result.shown, result.points.size(),
                         result.regression ? "show the bug (pass)" : "pass");
    return table;
}

} // namespace crossrt
