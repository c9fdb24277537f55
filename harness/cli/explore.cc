#include "cli/explore.h"

#include "backend/guest_protocol.h"
#include "kernel/policy.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <set>

namespace crossrt {
namespace {

using Clock = std::chrono::steady_clock;

// One run of the cell with a policy, judged, with what its decision points
// offered when asked for.
struct Probe {
    Outcome outcome;
    Judgement judgement;
    std::vector<kernel::PointRecord> points;
    std::optional<std::string> points_error;
};

struct ProbeRequest {
    std::uint64_t seed = 0;
    SchedulePolicyRequest policy;
    std::string points_file;
    std::string record_schedule_file;
    std::string schedule_file;
};

Probe probe(const PreparedCell& prepared, const ProbeRequest& asked) {
    RunRequest request = prepared.request;
    request.unicorn.seed = asked.seed;
    request.unicorn.policy = asked.policy;
    request.unicorn.points_file = asked.points_file;
    request.unicorn.record_schedule_file = asked.record_schedule_file;
    request.unicorn.schedule_file = asked.schedule_file;
    request.unicorn.trace_file.clear();
    request.unicorn.timeline_file.clear();
    Probe result;
    result.outcome = prepared.backend->run(request);
    result.judgement = prepared.judge(result.outcome);
    if (!asked.points_file.empty()) {
        std::ifstream file(asked.points_file);
        std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
        std::string why;
        if (auto points = kernel::parse_points(text, why))
            result.points = std::move(*points);
        else
            result.points_error = fmt::format("{}: {}", asked.points_file, why);
    }
    return result;
}

SchedulePolicyRequest nonpreemptive(std::vector<Deviation> deviations) {
    SchedulePolicyRequest policy;
    policy.strategy = "nonpreemptive";
    policy.deviations = std::move(deviations);
    return policy;
}

// The points where a run chose otherwise than the nonpreemptive default.
std::vector<Deviation> deviations_of(const std::vector<kernel::PointRecord>& points) {
    std::vector<Deviation> deviations;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (points[i].chosen != points[i].fallback)
            deviations.push_back({i, points[i].chosen.pid, points[i].chosen.lwp});
    }
    return deviations;
}

int preemptions_of(const std::vector<kernel::PointRecord>& points) {
    int count = 0;
    for (const kernel::PointRecord& point : points) {
        if (point.preemptible && point.current && point.chosen != *point.current)
            ++count;
    }
    return count;
}

// A shrunk run must fail as the found one did: a regression variant shows
// its symptom again (its expectation is the symptom); a fixed variant ends
// the same way with the same verdict.
bool same_symptom(const Cell& cell, const Probe& found, const Probe& candidate) {
    if (!shows_bug(cell, candidate.judgement))
        return false;
    if (cell.regress != nullptr)
        return true;
    return candidate.judgement.verdict == found.judgement.verdict &&
           candidate.outcome.end == found.outcome.end &&
           candidate.outcome.status == found.outcome.status;
}

std::string file_stem(const std::string& cell_name) {
    std::string stem = cell_name;
    std::replace(stem.begin(), stem.end(), '/', '_');
    return stem;
}

class Explorer {
public:
    Explorer(const Cell& cell, const PreparedCell& prepared, const ExploreSettings& settings,
             const ExploreProgress& progress, const std::atomic<bool>& cancel)
        : cell_(cell), prepared_(prepared), settings_(settings), progress_(progress),
          cancel_(cancel), start_(Clock::now()) {}

    ExploreResult run() {
        std::error_code failed;
        std::filesystem::create_directories(settings_.out_dir, failed);
        if (failed) {
            result_.error =
                fmt::format("cannot create {}: {}", settings_.out_dir.string(), failed.message());
            return result_;
        }
        switch (settings_.strategy) {
        case ExploreStrategy::random:
            explore_seeds(SchedulePolicyRequest{});
            break;
        case ExploreStrategy::pct:
            explore_pct();
            break;
        case ExploreStrategy::systematic:
            explore_systematic();
            break;
        }
        if (!result_.error && !result_.interrupted) {
            int shrunk = 0;
            for (ExploreFinding& finding : result_.findings) {
                if (cancel_.load())
                    break;
                finish(finding, shrunk++ < 3);
            }
        }
        result_.interrupted = result_.interrupted || cancel_.load();
        result_.wall_s = elapsed();
        return result_;
    }

private:
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

    // Runs that depend on one another's results go as batches of forks of
    // the booted guest, two per job, so that -j jobs stay busy.
    std::size_t batch_size() const {
        return static_cast<std::size_t>(std::max(settings_.parallel, 1)) * 2;
    }

    bool out_of_budget() const {
        return result_.tried >= settings_.runs ||
               (settings_.time_s > 0 && elapsed() >= settings_.time_s) || cancel_.load();
    }

    void report(const std::string& phase) {
        if (!progress_)
            return;
        progress_(ExploreStatus{result_.tried, distinct_.size(), result_.findings.size(), elapsed(),
                                phase});
    }

    std::string scratch(const std::string& name) const {
        return (settings_.out_dir / (file_stem(cell_.name) + "." + name)).string();
    }

    // Counts a run; true when it showed the bug (and is kept as a finding).
    bool take(std::uint64_t seed, const SchedulePolicyRequest& policy, const Outcome& outcome,
              const Judgement& judgement, std::vector<Deviation> deviations = {}) {
        ++result_.tried;
        if (outcome.schedule_hash)
            distinct_.insert(*outcome.schedule_hash);
        result_.distinct = distinct_.size();
        if (outcome.end == EndKind::interrupted) {
            result_.interrupted = true;
            return false;
        }
        bool bug = shows_bug(cell_, judgement);
        if (bug && outcome.end == EndKind::timeout) {
            // The wall clock's limit depends on the machine's load as well
            // as on the run: a timeout is a finding when the same run
            // (seed and policy: the same schedule) times out again.
            Probe again = probe(prepared_, {seed, policy, "", "", ""});
            if (!shows_bug(cell_, again.judgement)) {
                ++result_.unconfirmed_timeouts;
                bug = false;
            }
        }
        if (bug) {
            ExploreFinding finding;
            finding.run = result_.tried;
            finding.seed = seed;
            finding.policy = policy;
            finding.judgement = judgement;
            finding.deviations = std::move(deviations);
            finding.deviations_found = finding.deviations.size();
            result_.findings.push_back(std::move(finding));
        }
        report("exploring");
        return bug;
    }

    // random and pct: a block of seeds per shard, each in a fork of the
    // booted guest.
    // `used`: seeds of the block taken already.
    void explore_seeds(const SchedulePolicyRequest& policy, std::uint64_t used = 0) {
        std::uint64_t first = settings_.base_seed +
                              static_cast<std::uint64_t>(settings_.shard_index) * settings_.runs +
                              used;
        RunRequest request = prepared_.request;
        request.unicorn.policy = policy;
        request.unicorn.trace_file.clear();
        request.unicorn.timeline_file.clear();
        std::uint64_t budget = settings_.runs - std::min(settings_.runs, result_.tried);
        if (budget == 0)
            return;
        prepared_.backend->run_seeds(
            request, first, budget, settings_.parallel,
            [&](std::uint64_t seed, const Outcome& outcome) {
                bool bug = take(seed, policy, outcome, prepared_.judge(outcome));
                if (outcome.end == EndKind::error && !outcome.schedule_hash && !bug) {
                    // The sweep itself failed (no run behind this
                    // outcome).
                    result_.error = outcome.detail;
                    return false;
                }
                if (bug && !settings_.keep_going)
                    return false;
                return !out_of_budget();
            });
    }

    void explore_pct() {
        SchedulePolicyRequest policy;
        policy.strategy = "pct";
        policy.pct_depth = settings_.depth;
        // The first seed with the kernel's guess of K; it counts the
        // decision points a run of this program takes, the K of the rest.
        std::uint64_t first = settings_.base_seed +
                              static_cast<std::uint64_t>(settings_.shard_index) * settings_.runs;
        std::string points_file = scratch("first.points");
        Probe run = probe(prepared_, {first, policy, points_file, "", ""});
        std::filesystem::remove(points_file);
        result_.calibration_points = run.points.size();
        if (take(first, policy, run.outcome, run.judgement) && !settings_.keep_going)
            return;
        if (out_of_budget())
            return;
        // A run that wrote no points (it timed out) leaves the kernel's guess.
        policy.pct_steps = result_.calibration_points;
        explore_seeds(policy, 1);
    }

    // A schedule as deviations from the nonpreemptive one, and how many of
    // them preempt a runnable LWP.
    struct Node {
        std::vector<Deviation> deviations;
        int preemptions = 0;
    };

    // One run of a batch: its outcome (none when the batch was cut short)
    // and what its decision points offered.
    struct BatchRun {
        std::optional<Outcome> outcome;
        std::vector<kernel::PointRecord> points;
    };

    // Runs each node's schedule with `seed` as one batch of forks of the
    // booted guest (-j at once). False, with result_.error, when the sweep
    // itself failed or a points file does not parse.
    bool run_batch(std::uint64_t seed, const std::vector<Node>& batch,
                   std::vector<BatchRun>& runs) {
        std::string points_file = scratch("points");
        RunRequest request = prepared_.request;
        request.unicorn.trace_file.clear();
        request.unicorn.timeline_file.clear();
        request.unicorn.points_file = points_file;
        for (const Node& node : batch)
            request.unicorn.sweep_policies.push_back(nonpreemptive(node.deviations));
        runs.assign(batch.size(), {});
        prepared_.backend->run_seeds(request, seed, batch.size(), settings_.parallel,
                                     [&](std::uint64_t key, const Outcome& outcome) {
                                         runs[key - seed].outcome = outcome;
                                         return !cancel_.load();
                                     });
        bool ok = true;
        for (std::size_t k = 0; k < batch.size(); ++k) {
            std::string points_path = sweep_trace_file(points_file, seed + k);
            std::ifstream file(points_path);
            std::string text{std::istreambuf_iterator<char>(file),
                             std::istreambuf_iterator<char>()};
            std::filesystem::remove(points_path);
            if (!ok || !runs[k].outcome)
                continue;
            if (runs[k].outcome->end == EndKind::error && !runs[k].outcome->schedule_hash) {
                result_.error = runs[k].outcome->detail; // the sweep itself failed
                ok = false;
                continue;
            }
            std::string why;
            if (auto points = kernel::parse_points(text, why))
                runs[k].points = std::move(*points);
            else if (runs[k].outcome->schedule_hash) {
                result_.error = fmt::format("{}: {}", points_path, why);
                ok = false;
            }
        }
        return ok;
    }

    // Depth first over deviation sets with at most k preemptions, the
    // deepest alternative first (a run's last choices are tried before its
    // first ones, as a depth-first search backtracks). The top of the stack
    // runs as one batch of forks of the booted guest; each run's children
    // go on the stack in the batch's order, so the first node's subtree is
    // explored first, as one run at a time would.
    void explore_systematic() {
        std::vector<Node> stack{Node{}};
        std::set<std::uint64_t> expanded;
        while (!stack.empty() && !out_of_budget()) {
            std::vector<Node> batch;
            std::uint64_t room = settings_.runs - std::min(settings_.runs, result_.tried);
            while (!stack.empty() && batch.size() < batch_size() && batch.size() < room) {
                batch.push_back(std::move(stack.back()));
                stack.pop_back();
            }
            std::uint64_t seed = settings_.base_seed;
            std::vector<BatchRun> runs;
            if (!run_batch(seed, batch, runs))
                return;
            bool stop = false;
            std::vector<std::vector<Node>> children(batch.size());
            for (std::size_t k = 0; k < batch.size(); ++k) {
                if (!runs[k].outcome) {
                    result_.interrupted = result_.interrupted || cancel_.load();
                    stop = true;
                    break;
                }
                const Outcome& outcome = *runs[k].outcome;
                bool bug = take(seed, nonpreemptive(batch[k].deviations), outcome,
                                prepared_.judge(outcome), batch[k].deviations);
                if (result_.interrupted || (bug && !settings_.keep_going)) {
                    stop = true;
                    break;
                }
                // A schedule seen before (deviations that could not apply
                // make the same run) has its subtree explored already.
                if (!outcome.schedule_hash || !expanded.insert(*outcome.schedule_hash).second)
                    continue;
                children[k] = expand(batch[k], runs[k].points, settings_.preemptions, true);
            }
            for (std::size_t k = batch.size(); k-- > 0;) {
                for (Node& child : children[k])
                    stack.push_back(std::move(child));
            }
            if (stop)
                break;
        }
        result_.exhausted = stack.empty() && !result_.interrupted && result_.findings.empty();
    }

    // A random finding's schedule switches at slice ends, which deviations
    // at synchronisation points cannot express. Shrinking re-expresses it:
    // the nonpreemptive schedules of its seed with at most --preemptions
    // preemptions, fewest deviations first (every schedule of n deviations
    // is tried before any of n+1; within n, the later points first, as the
    // systematic search goes), each batch from the booted guest. The first
    // that shows the same symptom is the result: no schedule with fewer
    // deviations within the bound showed it.
    std::optional<std::vector<Deviation>> fewest_deviations(std::uint64_t seed, const Probe& found,
                                                            int budget, int& tried) {
        std::vector<std::vector<Node>> stacks(1);
        stacks[0].push_back(Node{});
        std::set<std::uint64_t> expanded;
        tried = 0;
        for (std::size_t level = 0; level < stacks.size(); ++level) {
            while (!stacks[level].empty() && tried < budget && !cancel_.load()) {
                std::vector<Node> batch;
                while (!stacks[level].empty() && batch.size() < batch_size() &&
                       tried + static_cast<int>(batch.size()) < budget) {
                    batch.push_back(std::move(stacks[level].back()));
                    stacks[level].pop_back();
                }
                std::vector<BatchRun> runs;
                if (!run_batch(seed, batch, runs))
                    return std::nullopt;
                std::vector<std::vector<Node>> children(batch.size());
                for (std::size_t k = 0; k < batch.size(); ++k) {
                    if (!runs[k].outcome)
                        return std::nullopt; // interrupted
                    ++tried;
                    Probe run{*runs[k].outcome, prepared_.judge(*runs[k].outcome), {}, {}};
                    if (same_symptom(cell_, found, run))
                        return batch[k].deviations;
                    if (!run.outcome.schedule_hash ||
                        !expanded.insert(*run.outcome.schedule_hash).second)
                        continue;
                    children[k] = expand(batch[k], runs[k].points, settings_.preemptions, false);
                }
                if (stacks.size() == level + 1)
                    stacks.emplace_back();
                for (std::size_t k = batch.size(); k-- > 0;) {
                    for (Node& child : children[k])
                        stacks[level + 1].push_back(std::move(child));
                }
            }
        }
        return std::nullopt;
    }

    // The schedules one deviation further than `node`, after its last one,
    // in stack order (the deepest last, to be popped first).
    // ddmin's tester: the candidates in order, in batches of forks of the
    // booted guest, up to the first batch that holds one with the same
    // symptom as `found`.
    FirstFailing first_failing(std::uint64_t seed, const Probe& found,
                               const std::vector<std::vector<Deviation>>& candidates) {
        FirstFailing result;
        for (std::size_t from = 0; from < candidates.size() && !cancel_.load();
             from += batch_size()) {
            std::vector<Node> batch;
            for (std::size_t k = from; k < std::min(candidates.size(), from + batch_size()); ++k)
                batch.push_back(Node{candidates[k], 0});
            std::vector<BatchRun> runs;
            if (!run_batch(seed, batch, runs))
                return result;
            for (std::size_t k = 0; k < batch.size(); ++k) {
                if (!runs[k].outcome)
                    return result; // interrupted
                ++result.ran;
                Probe run{*runs[k].outcome, prepared_.judge(*runs[k].outcome), {}, {}};
                if (!result.index && same_symptom(cell_, found, run))
                    result.index = from + k;
            }
            if (result.index)
                return result;
        }
        return result;
    }

    // With `sharded`, the first deviation is this shard's only.
    std::vector<Node> expand(const Node& node, const std::vector<kernel::PointRecord>& points,
                             int bound, bool sharded) {
        std::vector<Node> children;
        std::size_t from = node.deviations.empty() ? 0 : node.deviations.back().point + 1;
        for (std::size_t j = from; j < points.size(); ++j) {
            const kernel::PointRecord& point = points[j];
            for (const kernel::LwpId& other : point.runnable) {
                if (other == point.chosen)
                    continue;
                bool preempts = point.preemptible && point.current && other != *point.current;
                int preemptions = node.preemptions + (preempts ? 1 : 0);
                if (preemptions > bound)
                    continue;
                Deviation deviation{j, other.pid, other.lwp};
                if (sharded && node.deviations.empty() && settings_.shard_count > 1 &&
                    shard_of(deviation) != settings_.shard_index)
                    continue;
                Node child{node.deviations, preemptions};
                child.deviations.push_back(deviation);
                children.push_back(std::move(child));
            }
        }
        return children;
    }

    int shard_of(const Deviation& deviation) const {
        std::uint64_t h = deviation.point * 0x9e3779b97f4a7c15ull ^
                          static_cast<std::uint64_t>(deviation.pid) * 0xbf58476d1ce4e5b9ull ^
                          static_cast<std::uint64_t>(deviation.lwp);
        return static_cast<int>(h % static_cast<std::uint64_t>(settings_.shard_count));
    }

    // A finding's schedule: as deviations (pct: from its recorded points),
    // shrunk, written as a schedule file, and replayed from that file.
    void finish(ExploreFinding& finding, bool shrink) {
        std::string stem = file_stem(cell_.name);
        if (finding.run != result_.findings.front().run)
            stem += fmt::format(".run-{}", finding.run);
        finding.schedule_file = (settings_.out_dir / (stem + ".schedule")).string();
        finding.replay_command =
            fmt::format("{} {} --seed {} --schedule {}", settings_.replay_prefix, cell_.name,
                        finding.seed, finding.schedule_file);
        std::string points_file = scratch("points");
        Probe found;
        bool as_found = false;
        int budget = settings_.shrink_runs;
        if (settings_.strategy == ExploreStrategy::random) {
            // The run as found, its schedule written: the result unless a
            // nonpreemptive schedule with the same symptom turns up.
            found = probe(prepared_, {finding.seed, {}, "", finding.schedule_file, ""});
            as_found = true;
            if (!shrink || !settings_.shrink) {
                finding.note = "a random schedule decides at slice ends: kept as found";
            } else if (same_symptom(cell_, found, found)) {
                report("shrinking");
                int tried = 0;
                auto deviations = fewest_deviations(finding.seed, found, budget, tried);
                budget -= tried;
                finding.shrink_runs = tried;
                if (deviations) {
                    finding.deviations = std::move(*deviations);
                    finding.deviations_found = finding.deviations.size();
                    as_found = false;
                    finding.note =
                        fmt::format("re-expressed as a nonpreemptive schedule of its seed, fewest "
                                    "deviations first (at most {} preemptions): found in {} runs",
                                    settings_.preemptions, tried);
                } else {
                    finding.note = fmt::format(
                        "no nonpreemptive schedule of its seed with at most {} preemptions "
                        "showed the same symptom in {} runs: kept as found",
                        settings_.preemptions, tried);
                }
            } else {
                finding.note = "it did not fail again when run alone: kept as found";
            }
        } else if (settings_.strategy == ExploreStrategy::pct) {
            Probe pct = probe(prepared_, {finding.seed, finding.policy, points_file, "", ""});
            finding.deviations = deviations_of(pct.points);
            finding.deviations_found = finding.deviations.size();
        }
        if (!as_found) {
            found = probe(prepared_, {finding.seed, nonpreemptive(finding.deviations), "", "", ""});
            if (!same_symptom(cell_, found, found)) {
                finding.note = "its schedule as deviations did not fail again: not shrunk";
                shrink = false;
            }
            if (shrink && settings_.shrink && budget > 0) {
                report("shrinking");
                int tests = 0;
                finding.deviations = minimize_deviations(
                    finding.deviations,
                    [&](const std::vector<std::vector<Deviation>>& candidates) {
                        return first_failing(finding.seed, found, candidates);
                    },
                    budget, tests);
                finding.shrink_runs += tests;
                finding.shrunk = true;
            }
            Probe final_run = probe(prepared_, {finding.seed, nonpreemptive(finding.deviations),
                                                points_file, finding.schedule_file, ""});
            finding.preemptions = preemptions_of(final_run.points);
            if (shows_bug(cell_, final_run.judgement))
                finding.judgement = final_run.judgement;
            found = std::move(final_run);
        }
        std::filesystem::remove(points_file);
        Probe replayed = probe(prepared_, {finding.seed, {}, "", "", finding.schedule_file});
        finding.replay_verified = same_symptom(cell_, found, replayed);
    }

    const Cell& cell_;
    const PreparedCell& prepared_;
    const ExploreSettings& settings_;
    const ExploreProgress& progress_;
    const std::atomic<bool>& cancel_;
    Clock::time_point start_;
    ExploreResult result_;
    std::set<std::uint64_t> distinct_;
};

} // namespace

bool shows_bug(const Cell& cell, const Judgement& judgement) {
    if (cell.regress != nullptr)
        return judgement.verdict == Verdict::pass;
    return is_failure(judgement.verdict);
}

ExploreResult explore_cell(const Cell& cell, const PreparedCell& prepared,
                           const ExploreSettings& settings, const ExploreProgress& progress,
                           const std::atomic<bool>& cancel) {
    return Explorer(cell, prepared, settings, progress, cancel).run();
}

std::vector<Deviation> minimize_deviations(std::vector<Deviation> deviations,
                                           const FailingTester& first_failing, int max_tests,
                                           int& tests) {
    tests = 0;
    // The first of `candidates` that fails, within what is left of the budget.
    auto first = [&](std::vector<std::vector<Deviation>> candidates) -> std::optional<std::size_t> {
        std::size_t room = static_cast<std::size_t>(std::max(max_tests - tests, 0));
        if (candidates.size() > room)
            candidates.resize(room);
        if (candidates.empty())
            return std::nullopt;
        FirstFailing found = first_failing(candidates);
        tests += found.ran;
        return found.index;
    };
    if (deviations.empty() || first({{}}))
        return {};
    std::size_t parts = 2;
    while (deviations.size() >= 2 && tests < max_tests) {
        std::size_t chunk = (deviations.size() + parts - 1) / parts;
        // The complement of each chunk: everything but it.
        std::vector<std::vector<Deviation>> complements;
        for (std::size_t start = 0; start < deviations.size(); start += chunk) {
            std::vector<Deviation> rest(deviations.begin(),
                                        deviations.begin() + static_cast<std::ptrdiff_t>(start));
            std::size_t end = std::min(deviations.size(), start + chunk);
            rest.insert(rest.end(), deviations.begin() + static_cast<std::ptrdiff_t>(end),
                        deviations.end());
            complements.push_back(std::move(rest));
        }
        if (auto failing = first(complements)) {
            deviations = std::move(complements[*failing]);
            parts = std::max<std::size_t>(parts - 1, 2);
            continue;
        }
        if (parts >= deviations.size())
            break;
        parts = std::min(deviations.size(), parts * 2);
    }
    return deviations;
}

std::vector<Deviation>
minimize_deviations(std::vector<Deviation> deviations,
                    const std::function<bool(const std::vector<Deviation>&)>& still_fails,
                    int max_tests, int& tests) {
    return minimize_deviations(
        std::move(deviations),
        [&](const std::vector<std::vector<Deviation>>& candidates) {
            FirstFailing found;
            for (std::size_t i = 0; i < candidates.size() && !found.index; ++i) {
                ++found.ran;
                if (still_fails(candidates[i]))
                    found.index = i;
            }
            return found;
        },
        max_tests, tests);
}

} // namespace crossrt
