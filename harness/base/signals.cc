#include "base/signals.h"

#include <csignal>
#include <cstring>
#include <fmt/format.h>

namespace crossrt {

std::string signal_name(int signal) {
    const char* abbreviation = sigabbrev_np(signal);
    if (abbreviation == nullptr)
        return fmt::format("signal {}", signal);
    return fmt::format("SIG{}", abbreviation);
}

std::optional<int> signal_number(std::string_view name) {
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string_view::npos) {
        if (name.size() > 3)
            return std::nullopt;
        int number = std::stoi(std::string(name));
        if (number >= 1 && number < NSIG)
            return number;
        return std::nullopt;
    }
    if (name.substr(0, 3) == "SIG")
        name.remove_prefix(3);
    for (int number = 1; number < NSIG; ++number) {
        const char* abbreviation = sigabbrev_np(number);
        if (abbreviation != nullptr && name == abbreviation)
            return number;
    }
    return std::nullopt;
}

} // namespace crossrt
