// One status line on a terminal, redrawn in place ("\r", erase to the end
// of the line), cut to the terminal's width so that it never wraps: the
// live line of `crossrt run` and of `crossrt explore`.
#pragma once

#include <cstdio>
#include <string>

namespace crossrt {

class StatusLine {
public:
    explicit StatusLine(std::FILE* out) : out_(out) {}
    void show(const std::string& line);
    // Erases the line (when one is shown), so that plain lines can follow.
    void clear();

private:
    std::FILE* out_;
    bool shown_ = false;
};

} // namespace crossrt
