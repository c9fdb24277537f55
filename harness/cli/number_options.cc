#include "cli/number_options.h"

#include "base/bounds.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace crossrt {

CLI::Validator seconds_option(double max_s) {
    std::string range = fmt::format("a number of seconds from 0 to {:g}", max_s);
    return CLI::Validator(
        [max_s, range](std::string& input) -> std::string {
            double value = 0;
            const char* end = input.data() + input.size();
            auto parsed = std::from_chars(input.data(), end, value);
            if (input.empty() || parsed.ec != std::errc() || parsed.ptr != end ||
                !std::isfinite(value) || value < 0 || value > max_s)
                return fmt::format("must be {}, not '{}'", range, input);
            return "";
        },
        fmt::format("SECONDS in [0, {:g}]", max_s));
}

CLI::Validator integer_option(std::uint64_t min, std::uint64_t max) {
    std::string range = fmt::format("an integer from {} to {}", min, max);
    return CLI::Validator(
        [min, max, range](std::string& input) -> std::string {
            std::uint64_t value = 0;
            const char* end = input.data() + input.size();
            auto parsed = std::from_chars(input.data(), end, value);
            // from_chars takes no sign, no 0x and no exponent, and fails on overflow.
            if (input.empty() || parsed.ec != std::errc() || parsed.ptr != end || value < min ||
                value > max)
                return fmt::format("must be {}, not '{}'", range, input);
            input = std::to_string(value);
            return "";
        },
        fmt::format("INT in [{}, {}]", min, max));
}

void add_cap_options(CLI::App& command, std::optional<std::uint64_t>& memory_mib,
                     std::optional<std::uint64_t>& tasks) {
    command
        .add_option("--memory", memory_mib,
                    "MiB: the cap on all of a guest's memory, every process of its tree "
                    "together (default 1024)")
        ->transform(integer_option(1, kMaxMemoryMib));
    command
        .add_option("--tasks", tasks,
                    "the cap on a guest's processes and threads at once (default 1024)")
        ->transform(integer_option(1, kMaxTasks));
}

} // namespace crossrt
