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
        case Verdict::error:
            ++counts.error;
            break;
        }
    }
    return counts;
}

std::string summary_line(const Tally& counts) {
    return fmt::format("{} cells: {} passed, {} failed, {} skipped, {} timeout, {} error",
                       counts.total, counts.passed, counts.failed, counts.skipped, counts.timeout,
                       counts.error);
}

} // namespace crossrt
