#include "base/injection.h"

#include "base/signals.h"

#include <charconv>

namespace crossrt {

std::optional<Injection> parse_injection(std::string_view text) {
    auto at = text.find('@');
    if (at == std::string_view::npos)
        return std::nullopt;
    // signal_number gives 1..64 at most, the kernel's signal range.
    auto signo = signal_number(text.substr(0, at));
    if (!signo)
        return std::nullopt;
    Injection injection;
    injection.signo = *signo;
    std::string_view rest = text.substr(at + 1);
    auto colon = rest.find(':');
    std::string_view count = rest.substr(0, colon);
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), injection.at);
    if (error != std::errc() || end != count.data() + count.size() || count.empty())
        return std::nullopt;
    if (colon != std::string_view::npos) {
        std::string_view lwp = rest.substr(colon + 1);
        auto [lwp_end, lwp_error] =
            std::from_chars(lwp.data(), lwp.data() + lwp.size(), injection.lwp);
        if (lwp_error != std::errc() || lwp_end != lwp.data() + lwp.size() || injection.lwp < 1)
            return std::nullopt;
    }
    return injection;
}

} // namespace crossrt
