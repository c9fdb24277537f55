#include "base/version.h"

#include <cctype>
#include <fmt/format.h>

namespace crossrt {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

} // namespace

std::optional<Version> Version::parse(std::string_view text) {
    Version version;
    if (text.empty())
        return std::nullopt;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t dot = text.find('.', at);
        std::string_view part =
            text.substr(at, dot == std::string_view::npos ? text.npos : dot - at);
        if (part.empty() || part.size() > 9)
            return std::nullopt;
        unsigned value = 0;
        for (char c : part) {
            if (!std::isdigit(static_cast<unsigned char>(c)))
                return std::nullopt;
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        version.parts.push_back(value);
        if (dot == std::string_view::npos)
            break;
        at = dot + 1;
    }
    return version;
}

std::string Version::text() const {
    std::string text;
    for (unsigned part : parts)
        text += fmt::format("{}{}", text.empty() ? "" : ".", part);
    return text;
}

int compare(const Version& a, const Version& b) {
    std::size_t length = std::max(a.parts.size(), b.parts.size());
    for (std::size_t i = 0; i < length; ++i) {
        unsigned x = i < a.parts.size() ? a.parts[i] : 0;
        unsigned y = i < b.parts.size() ? b.parts[i] : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

std::optional<VersionConstraint> VersionConstraint::parse(std::string_view text,
                                                          std::string& error) {
    VersionConstraint constraint;
    constraint.text_ = std::string(trim(text));
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t comma = text.find(',', at);
        std::string_view term =
            trim(text.substr(at, comma == std::string_view::npos ? text.npos : comma - at));
        Op op = Op::equal;
        std::size_t skip = 0;
        if (term.starts_with("<=")) {
            op = Op::less_equal, skip = 2;
        } else if (term.starts_with(">=")) {
            op = Op::greater_equal, skip = 2;
        } else if (term.starts_with("<")) {
            op = Op::less, skip = 1;
        } else if (term.starts_with(">")) {
            op = Op::greater, skip = 1;
        } else if (term.starts_with("=")) {
            op = Op::equal, skip = 1;
        } else {
            error = fmt::format("'{}' is not a comparison (<, <=, >, >= or = and a version, "
                                "e.g. \"<8.0\")",
                                term);
            return std::nullopt;
        }
        auto version = Version::parse(trim(term.substr(skip)));
        if (!version) {
            error = fmt::format("'{}' has no dotted version after its operator", term);
            return std::nullopt;
        }
        constraint.terms_.push_back({op, *version});
        if (comma == std::string_view::npos)
            break;
        at = comma + 1;
    }
    return constraint;
}

bool VersionConstraint::satisfied_by(const Version& version) const {
    for (const Term& term : terms_) {
        int order = compare(version, term.version);
        bool holds = term.op == Op::less            ? order < 0
                     : term.op == Op::less_equal    ? order <= 0
                     : term.op == Op::greater       ? order > 0
                     : term.op == Op::greater_equal ? order >= 0
                                                    : order == 0;
        if (!holds)
            return false;
    }
    return true;
}

std::optional<Version> version_in(std::string_view output) {
    for (std::size_t at = 0; at < output.size(); ++at) {
        if (!std::isdigit(static_cast<unsigned char>(output[at])))
            continue;
        if (at > 0 && (std::isalnum(static_cast<unsigned char>(output[at - 1])) ||
                       output[at - 1] == '.' || output[at - 1] == '-'))
            continue; // inside a word ("i386", "x86_64")
        std::size_t end = at;
        while (end < output.size() &&
               (std::isdigit(static_cast<unsigned char>(output[end])) || output[end] == '.'))
            ++end;
        std::string_view candidate = output.substr(at, end - at);
        while (candidate.ends_with('.'))
            candidate.remove_suffix(1);
        if (candidate.find('.') == std::string_view::npos) {
            at = end;
            continue;
        }
        if (auto version = Version::parse(candidate))
            return version;
        at = end;
    }
    return std::nullopt;
}

} // namespace crossrt
