#include "report/status_line.h"

#include <fmt/format.h>
#include <sys/ioctl.h>

namespace crossrt {
namespace {

std::size_t terminal_width(std::FILE* out) {
    winsize size{};
    if (ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
        return size.ws_col;
    return 100;
}

} // namespace

void StatusLine::show(const std::string& line) {
    std::size_t width = terminal_width(out_) - 1;
    std::string cut = line.size() > width ? line.substr(0, width - 3) + "..." : line;
    fmt::print(out_, "\r\033[K{}", cut);
    std::fflush(out_);
    shown_ = true;
}

void StatusLine::clear() {
    if (shown_)
        fmt::print(out_, "\r\033[K");
    shown_ = false;
}

} // namespace crossrt
