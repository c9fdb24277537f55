#include "scenario/stream_check.h"

#include "base/outcome.h"

#include <fmt/format.h>
#include <re2/re2.h>

namespace crossrt {

StreamCheck StreamCheck::contains(std::string text) {
    return StreamCheck{Kind::contains, std::move(text), nullptr};
}

StreamCheck StreamCheck::regex(std::string source) {
    // Latin-1: the pattern and the output are matched byte by byte, as a
    // guest's output need not be valid UTF-8 (a "." is one byte).
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    auto pattern = std::make_shared<const RE2>(source, options);
    if (!pattern->ok())
        throw BadRegex(pattern->error());
    return StreamCheck{Kind::regex, std::move(source), std::move(pattern)};
}

StreamCheck StreamCheck::absent(std::string text) {
    return StreamCheck{Kind::absent, std::move(text), nullptr};
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

namespace {

// Where the regex first matches in text[offset..]: the end of the match
// relative to offset. The rest of the text is the whole subject, so "^"
// matches at offset, right after the previous check's match.
std::optional<std::size_t> regex_match_end(const StreamCheck& check, const std::string& text,
                                           std::size_t offset) {
    if (check.pattern == nullptr)
        throw std::logic_error(fmt::format("{} has no compiled pattern", check.describe()));
    re2::StringPiece rest(text.data() + offset, text.size() - offset);
    re2::StringPiece match;
    if (!check.pattern->Match(rest, 0, rest.size(), RE2::UNANCHORED, &match, 1))
        return std::nullopt;
    return static_cast<std::size_t>(match.data() - rest.data()) + match.size();
}

} // namespace

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
            if (auto end = regex_match_end(check, text, offset))
                offset += *end;
            else
                failure = fmt::format("did not match after offset {}", offset);
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
