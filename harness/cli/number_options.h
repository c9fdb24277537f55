// Validators for the numeric command-line options. CLI11's own Range lets
// "nan" through (every comparison with it is false), takes "inf", reads
// "-1" into an unsigned option as 2^64-1 and "010" as octal 8.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>

namespace crossrt {

// A finite number of seconds from 0 to max_s.
CLI::Validator seconds_option(double max_s);

// A decimal integer from min to max (digits only: no sign, no exponent, no
// 0x), passed on to CLI11 without leading zeros. A transform, not a check:
// CLI11 keeps a check's rewriting of the text to itself.
CLI::Validator integer_option(std::uint64_t min, std::uint64_t max);

// --memory MIB and --tasks N, the sandbox's caps for a guest (exec) or for
// each cell (run); unset: the defaults (Limits).
void add_cap_options(CLI::App& command, std::optional<std::uint64_t>& memory_mib,
                     std::optional<std::uint64_t>& tasks);

} // namespace crossrt
