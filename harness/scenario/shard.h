// Splitting the selected cells among CI jobs: `crossrt run --shard K/N`, or
// GoogleTest's GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX.
//
// The rule (docs/ci.md): every cell has an expected cost in seconds; the
// cells go, most costly first (ties: in name order), each to the shard
// with the least expected cost so far (ties: the one with fewer cells,
// then the lower index); the cells that cost nothing (static skips) then
// go each to the shard with the fewest cells. Every shard computes the same assignment from the
// same selection and costs, so the N shards together run each cell once.
#pragma once

#include "scenario/matrix.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct Shard {
    unsigned total = 1;
    unsigned index = 0; // 0-based; `--shard K/N` shows it 1-based
};

// "K/N" with 1 <= K <= N; nullopt with why in `error` otherwise.
std::optional<Shard> parse_shard(std::string_view spec, std::string& error);

// GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX (0-based) from the environment;
// nullopt when not sharded. Throws std::runtime_error on malformed values.
std::optional<Shard> shard_from_environment();

// A previous run's durations: cell name (without "#k") -> seconds per run,
// the mean over the run's repeats of it.
using MeasuredDurations = std::map<std::string, double>;

// Each cell's expected cost, for one run of it: 0 for a static skip; its
// measured duration when `measured` has it; else its manifest's timeout,
// scaled by what the measured cells took against their timeouts (so that
// a new cell weighs like its neighbours, not like a worst case).
std::vector<double> expected_costs(const std::vector<const Cell*>& cells,
                                   const MeasuredDurations& measured);

// The shard (0-based) of each item by the rule above.
std::vector<unsigned> assign_shards(const std::vector<double>& costs, unsigned total);

// A stable fingerprint of a selection (FNV-1a 64 of the names, in order, in
// hex): shards of one selection carry the same one, and a merge checks that
// the cells it gathered make exactly that selection.
std::string selection_digest(const std::vector<std::string>& names);

} // namespace crossrt
