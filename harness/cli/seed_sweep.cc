#include "cli/seed_sweep.h"

#include <chrono>
#include <fmt/format.h>

namespace crossrt {
namespace {

// Does this seed's verdict let the sweep go on to the next seed?
bool keeps_going(const SeedSweep& sweep, Verdict verdict) {
    if (sweep.regression)
        return verdict == Verdict::fail || verdict == Verdict::timeout ||
               verdict == Verdict::budget || verdict == Verdict::memory;
    return verdict == (sweep.known_failure ? Verdict::xpass : Verdict::pass);
}

std::string seed_range(const SeedSweep& sweep) {
    return fmt::format("{}..{}", sweep.first,
                       sweep.first + static_cast<std::uint64_t>(sweep.count) - 1);
}

} // namespace

SweepResult sweep_seeds(const SeedSweep& sweep, const RunAllSeeds& run_all,
                        const std::string& repeat_command,
                        const std::function<bool()>& should_stop) {
    SweepResult result;
    bool settled = false;
    bool interrupted = false;
    auto start = std::chrono::steady_clock::now();
    run_all([&](std::uint64_t seed, const SeedRun& once) {
        result.duration_s += once.duration_s;
        result.cpu_s += once.cpu_s;
        if (once.interrupted) {
            interrupted = true;
            return false;
        }
        result.judgement = once.judgement;
        result.seed = seed;
        result.tried += 1;
        if (!keeps_going(sweep, once.judgement.verdict)) {
            settled = true;
            return false;
        }
        if (result.tried < sweep.count && should_stop()) {
            interrupted = true;
            return false;
        }
        return result.tried < sweep.count;
    });
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string rate =
        result.wall_s > 0 ? fmt::format("{:.1f} seeds/s", result.tried / result.wall_s) : "";
    if (settled) {
        result.judgement.detail = fmt::format(
            "seed {} ({} of {} tried): {}; {}; repeat: {} {}", result.seed, result.tried,
            sweep.count, result.judgement.detail, rate, repeat_command, result.seed);
        return result;
    }
    if (interrupted || result.tried < sweep.count) {
        result.judgement.verdict = Verdict::error;
        result.judgement.detail = fmt::format("interrupted after {} of {} seeds (from {})",
                                              result.tried, sweep.count, sweep.first);
        return result;
    }
    std::string last = result.judgement.detail.empty() ? "" : ": " + result.judgement.detail;
    result.judgement.detail =
        sweep.regression
            ? fmt::format("regression not caught with any of {} seeds ({}), {}; last seed{}",
                          sweep.count, seed_range(sweep), rate, last)
            : fmt::format("passed with all {} seeds ({}), {}{}", sweep.count, seed_range(sweep),
                          rate, last);
    return result;
}

SweepResult run_seed_sweep(const SeedSweep& sweep, const RunWithSeed& run,
                           const std::string& repeat_command,
                           const std::function<bool()>& should_stop) {
    return sweep_seeds(
        sweep,
        [&](const TakeSeed& take) {
            for (int k = 0; k < sweep.count; ++k) {
                std::uint64_t seed = sweep.first + static_cast<std::uint64_t>(k);
                if (!take(seed, run(seed)))
                    return;
            }
        },
        repeat_command, should_stop);
}

} // namespace crossrt
