// Emulator versions and the constraints a manifest puts on them
// (`versions = "<8.0"` in a [[skip]] or [[xfail]]: the entry applies only
// to cells whose emulator's version satisfies it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

// A dotted version, "10.0.2": compared part by part, missing parts are 0.
struct Version {
    std::vector<unsigned> parts;
    static std::optional<Version> parse(std::string_view text);
    std::string text() const;
    friend int compare(const Version& a, const Version& b);
};

// Comma-separated comparisons, all of which must hold: "<8.0",
// ">=7.0, <8.0", "=10.0.2". Operators: < <= > >= =.
class VersionConstraint {
public:
    // nullopt and the reason in `error` when the text is not one.
    static std::optional<VersionConstraint> parse(std::string_view text, std::string& error);
    bool satisfied_by(const Version& version) const;
    const std::string& text() const { return text_; }

private:
    enum class Op { less, less_equal, greater, greater_equal, equal };
    struct Term {
        Op op;
        Version version;
    };
    std::vector<Term> terms_;
    std::string text_;
};

// The first dotted version in a program's --version output
// ("qemu-i386 version 10.0.2 (Debian 1:10.0.2+ds-2...)" gives 10.0.2).
std::optional<Version> version_in(std::string_view output);

} // namespace crossrt
