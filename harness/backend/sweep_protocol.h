// What a signal sweep's guest process sends back on the report fd: first
// the plan (the region, its instructions, the points the first run
// reached), or a GuestReport when it cannot sweep at all; then one
// PointReport line per point, in the plan's order.
#pragma once

#include "backend/guest_protocol.h"
#include "base/signal_sweep.h"

#include <optional>
#include <string>
#include <string_view>

namespace crossrt {

struct PointReport {
    std::uint64_t index = 0; // into SweepPlan::points
    // Where the signal was delivered (the pc its frame saves); unset: it
    // never was (the run ended first).
    std::optional<std::uint64_t> landed_pc;
    int landed_lwp = 0;
    SeedReport run; // the point's fork, as a seed sweep's
};

std::string encode_sweep_plan(const SweepPlan& plan); // one line, with its '\n'
// nullopt (and why) when the line is not a plan.
std::optional<SweepPlan> decode_sweep_plan(std::string_view line, std::string& error);

std::string encode_point_report(const PointReport& report); // one line, with its '\n'
std::optional<PointReport> decode_point_report(std::string_view line, std::string& error);

} // namespace crossrt
