#include "cli/seed_sweep.h"

#include <fmt/format.h>

namespace crossrt {
namespace {

// Does this seed's verdict let the sweep go on to the next seed?
bool keeps_going(const SeedSweep& sweep, Verdict verdict) {
    if (sweep.regression)
        return verdict == Verdict::fail || verdict == Verdict::timeout ||
               verdict == Verdict::budget;
    return verdict == (sweep.known_failure ? Verdict::xpass : Verdict::pass);
}

std::string seed_range(const SeedSweep& sweep) {
    return fmt::format("{}..{}", sweep.first,
                       sweep.first + static_cast<std::uint64_t>(sweep.count) - 1);
}

} // namespace

SweepResult run_seed_sweep(const SeedSweep& sweep, const RunWithSeed& run,
                           const std::string& repeat_command,
                           const std::function<bool()>& should_stop) {
    SweepResult result;
    for (int k = 0; k < sweep.count; ++k) {
        std::uint64_t seed = sweep.first + static_cast<std::uint64_t>(k);
        SeedRun once = run(seed);
        result.judgement = once.judgement;
        result.seed = seed;
        result.tried = k + 1;
        result.duration_s += once.duration_s;
        if (!keeps_going(sweep, once.judgement.verdict)) {
            result.judgement.detail =
                fmt::format("seed {} ({} of {} tried): {}; repeat: {} {}", seed, result.tried,
                            sweep.count, once.judgement.detail, repeat_command, seed);
            return result;
        }
        if (k + 1 < sweep.count && should_stop()) {
            result.judgement.verdict = Verdict::error;
            result.judgement.detail = fmt::format("interrupted after {} of {} seeds (from {})",
                                                  result.tried, sweep.count, sweep.first);
            return result;
        }
    }
    std::string last = result.judgement.detail.empty() ? "" : ": " + result.judgement.detail;
    result.judgement.detail =
        sweep.regression
            ? fmt::format("regression not caught with any of {} seeds ({}); last seed{}",
                          sweep.count, seed_range(sweep), last)
            : fmt::format("passed with all {} seeds ({}){}", sweep.count, seed_range(sweep), last);
    return result;
}

} // namespace crossrt
