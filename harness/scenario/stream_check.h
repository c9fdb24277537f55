// Ordered checks over one output stream, in the manner of FileCheck.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace crossrt {

// A regex RE2 cannot compile; what() is RE2's reason.
class BadRegex : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct StreamCheck {
    enum class Kind { contains, regex, absent };
    Kind kind = Kind::contains;
    std::string text; // the substring, the regex source, or the absent substring
    // Compiled when kind == regex. RE2, not std::regex: a guest controls the
    // text, and std::regex recurses once per character (a 50 KB line against
    // "A.*Z" overflows the stack), where RE2 runs in linear time and bounded
    // memory. Shared: checks are copied into every cell's expectation.
    std::shared_ptr<const re2::RE2> pattern;

    static StreamCheck contains(std::string text);
    static StreamCheck regex(std::string source); // throws BadRegex
    static StreamCheck absent(std::string text);

    std::string describe() const; // `"x"`, `regex "ok [0-9]+"`, `absent "panic"`
};

// Applies the checks in order: contains/regex must match at or after the end of
// the previous match; absent must not occur anywhere. Returns a description of
// the first failing check, or nullopt when all hold. Throws std::logic_error
// for a regex check without a compiled pattern.
std::optional<std::string> run_stream_checks(const std::vector<StreamCheck>& checks,
                                             const std::string& stream_name,
                                             const std::string& text);

} // namespace crossrt
