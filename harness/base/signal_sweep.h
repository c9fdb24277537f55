// --signal-sweep SIG@SYMBOL or SIG@BEGIN-END: one signal delivered at each
// instruction of a code region, each time from a snapshot taken where the
// guest first reaches the region (the unicorn backend only). Parsed where a
// user writes it (a manifest, crossrt exec, crossrt run) and carried as
// text to the unicorn guest process, which resolves the names in the
// binary's symbol table; what comes back is a SweepPlan and one outcome per
// point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

// One end of a region: a hex address ("0x1f000") or a symbol's value.
struct RegionEnd {
    std::optional<std::uint64_t> address;
    std::string symbol;
};

struct SignalSweepSpec {
    int signo = 0;
    // A symbol alone: [st_value, st_value + st_size). A range: [first, last).
    RegionEnd first;
    std::optional<RegionEnd> last;
    std::string text; // as written, for messages
};

// "SIGUSR1@foreign_clobber_loop", "SIGUSR1@0x10000-0x10040",
// "SIGUSR1@foreign_clobber_begin-foreign_clobber_end". Addresses are hex
// with 0x; anything else is a symbol. nullopt and why on a bad spec.
std::optional<SignalSweepSpec> parse_signal_sweep(std::string_view text, std::string& error);

// One instruction of the region, as the binary holds it.
struct RegionInstruction {
    std::uint64_t address = 0;
    std::string text; // "movw r9, #0xb09" (Capstone); empty when it cannot decode it
};

// A signal point: an instruction of the region the guest reached, and where.
struct SignalPoint {
    std::uint64_t address = 0;
    std::uint64_t count = 0; // instructions of the run before it first ran
    int lwp = 0;             // the LWP that ran it (ordinal; 1 = main thread)
    int pid = 0;
};

// What the sweep found before it ran a single variant.
struct SweepPlan {
    std::string region;      // "foreign_clobber_loop [0x10a30, 0x10a6c)"
    std::uint64_t begin = 0; // [begin, end)
    std::uint64_t end = 0;
    std::vector<RegionInstruction> instructions; // by address
    std::vector<SignalPoint> points;             // reached ones, by address
    std::string discovery;                       // how the run that found the points ended
};

// The region's instruction at `address`' text, or "".
std::string instruction_text(const SweepPlan& plan, std::uint64_t address);

} // namespace crossrt
