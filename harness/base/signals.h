// Signal names both ways, as manifests and reports spell them ("SIGSEGV").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crossrt {

std::string signal_name(int signal); // "SIGSEGV"; "signal 42" when it has no name

// Accepts "SIGSEGV", "SEGV" or a decimal number; nullopt when it is none of those.
std::optional<int> signal_number(std::string_view name);

} // namespace crossrt
