#include "base/end_kind.h"

namespace crossrt {

std::string_view end_kind_name(EndKind kind) {
    switch (kind) {
    case EndKind::exited:
        return "exited";
    case EndKind::signaled:
        return "signaled";
    case EndKind::deadlock:
        return "deadlock";
    case EndKind::budget:
        return "budget";
    case EndKind::unsupported:
        return "unsupported";
    case EndKind::error:
        return "error";
    case EndKind::timeout:
        return "timeout";
    case EndKind::output_limit:
        return "output-limit";
    case EndKind::memory:
        return "memory";
    case EndKind::interrupted:
        return "interrupted";
    case EndKind::skip:
        return "skip";
    }
    return "error";
}

std::optional<EndKind> end_kind_from_name(std::string_view name) {
    for (int value = 0; value <= static_cast<int>(kLastEndKind); ++value) {
        auto kind = static_cast<EndKind>(value);
        if (end_kind_name(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace crossrt
