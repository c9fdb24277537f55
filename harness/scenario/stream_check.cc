#include "scenario/stream_check.h"

#include "base/outcome.h"

#include <fmt/format.h>

namespace crossrt {

StreamCheck StreamCheck::contains(std::string text) {
    return StreamCheck{Kind::contains, std::move(text), {}};
}

StreamCheck StreamCheck::regex(std::string source) {
    std::regex pattern(source, std::regex::ECMAScript);
    return StreamCheck{Kind::regex, std::move(source), std::move(pattern)};
}

StreamCheck StreamCheck::absent(std::string text) {
    return StreamCheck{Kind::absent, std::move(text), {}};
}

std::string StreamCheck::describe() const {
    switch (kind) {
    case Kind::contains:
        return fmt::format("\"{}\"", text);
    case Kind::regex:
        return fmt::format("regex \"{}\"", text);
    case Kind::absent:
        return fmt::format("absent \"{}\"", text);
    }
    return text;
}

std::optional<std::string> run_stream_checks(const std::vector<StreamCheck>& checks,
                                             const std::string& stream_name,
                                             const std::string& text) {
    std::size_t offset = 0;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const StreamCheck& check = checks[i];
        std::string failure;
        switch (check.kind) {
        case StreamCheck::Kind::contains: {
            std::size_t found = text.find(check.text, offset);
            if (found == std::string::npos)
                failure = fmt::format("not found after offset {}", offset);
            else
                offset = found + check.text.size();
            break;
        }
        case StreamCheck::Kind::regex: {
            std::smatch match;
            if (!std::regex_search(text.cbegin() + static_cast<std::ptrdiff_t>(offset), text.cend(),
                                   match, check.pattern)) {
                failure = fmt::format("did not match after offset {}", offset);
            } else {
                offset += static_cast<std::size_t>(match.position(0) + match.length(0));
            }
            break;
        }
        case StreamCheck::Kind::absent: {
            std::size_t found = text.find(check.text);
            if (found != std::string::npos)
                failure = fmt::format("found at offset {}", found);
            break;
        }
        }
        if (!failure.empty()) {
            return fmt::format("{} check {} ({}) {}; {}: {}", stream_name, i + 1, check.describe(),
                               failure, stream_name, tail(text));
        }
    }
    return std::nullopt;
}

} // namespace crossrt
