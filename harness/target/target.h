// The target table: which (arch, os) pairs crossrt knows and how to reach them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct Target {
    std::string arch;         // amd64, 386, arm
    std::string os;           // linux, netbsd
    std::string triple;       // the cross toolchain triple
    std::string qemu;         // qemu-user binary name, empty when none
    std::string unicorn_arch; // empty when none
    std::string unicorn_mode; // empty when none
    std::vector<std::string> cflags;

    std::string name() const { return arch + "-" + os; }
};

// Parses targets/targets.tsv text. Throws std::runtime_error naming the line on
// a malformed row or a duplicated target.
std::vector<Target> parse_target_table(std::string_view text);

// The table compiled in at build time (generated from targets/targets.tsv).
std::string_view builtin_target_table_text();
const std::vector<Target>& builtin_targets();

const Target* find_target(const std::vector<Target>& targets, std::string_view arch,
                          std::string_view os);

} // namespace crossrt
