#include "report/result.h"

#include <fmt/format.h>

namespace crossrt {

std::string CellResult::name() const {
    return show_repeat ? fmt::format("{}#{}", cell->name, repeat) : cell->name;
}

Tally tally(const std::vector<CellResult>& results) {
    Tally counts;
    for (const CellResult& result : results) {
        ++counts.total;
        switch (result.verdict) {
        case Verdict::pass:
            ++counts.passed;
            break;
        case Verdict::fail:
            ++counts.failed;
            break;
        case Verdict::skip:
            ++counts.skipped;
            break;
        case Verdict::timeout:
            ++counts.timeout;
            break;
        case Verdict::budget:
            ++counts.budget;
            break;
        case Verdict::memory:
            ++counts.memory;
            break;
        case Verdict::error:
            ++counts.error;
            break;
        case Verdict::xfail:
            ++counts.xfail;
            break;
        case Verdict::xpass:
            ++counts.xpass;
            break;
        }
    }
    return counts;
}

std::string summary_line(const Tally& counts) {
    std::string line = fmt::format(
        "{} cells: {} passed, {} failed, {} skipped, {} timeout, {} error", counts.total,
        counts.passed, counts.failed, counts.skipped, counts.timeout, counts.error);
    if (counts.budget != 0)
        line += fmt::format(", {} budget", counts.budget);
    if (counts.memory != 0)
        line += fmt::format(", {} memory", counts.memory);
    if (counts.xfail != 0 || counts.xpass != 0)
        line += fmt::format(", {} xfail, {} xpass", counts.xfail, counts.xpass);
    return line;
}

} // namespace crossrt
