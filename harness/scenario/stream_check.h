// Ordered checks over one output stream, in the manner of FileCheck.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace crossrt {

struct StreamCheck {
    enum class Kind { contains, regex, absent };
    Kind kind = Kind::contains;
    std::string text;   // the substring, the regex source, or the absent substring
    std::regex pattern; // compiled when kind == regex

    static StreamCheck contains(std::string text);
    static StreamCheck regex(std::string source); // throws std::regex_error on a bad regex
    static StreamCheck absent(std::string text);

    std::string describe() const; // `"x"`, `regex "ok [0-9]+"`, `absent "panic"`
};

// Applies the checks in order: contains/regex must match at or after the end of
// the previous match; absent must not occur anywhere. Returns a description of
// the first failing check, or nullopt when all hold.
std::optional<std::string> run_stream_checks(const std::vector<StreamCheck>& checks,
                                             const std::string& stream_name,
                                             const std::string& text);

} // namespace crossrt
