#include "scenario/selection.h"

#include <algorithm>
#include <fnmatch.h>

namespace crossrt {
namespace {

bool has_glob(const std::string& pattern) {
    return pattern.find_first_of("*?[") != std::string::npos;
}

bool pattern_matches(const std::string& pattern, const std::string& name, bool exact_exists) {
    if (has_glob(pattern))
        return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
    if (exact_exists)
        return name == pattern;
    return name.rfind(pattern, 0) == 0;
}

bool in_filter(const std::vector<std::string>& values, const std::string& value) {
    return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

std::vector<bool> exact_name_exists(const std::vector<Cell>& cells,
                                    const std::vector<std::string>& patterns) {
    std::vector<bool> exists(patterns.size(), false);
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        exists[i] = std::any_of(cells.begin(), cells.end(),
                                [&](const Cell& cell) { return cell.name == patterns[i]; });
    }
    return exists;
}

} // namespace

std::vector<const Cell*> select_cells(const std::vector<Cell>& cells, const CellFilter& filter) {
    std::vector<bool> exact = exact_name_exists(cells, filter.patterns);
    std::vector<const Cell*> selected;
    for (const Cell& cell : cells) {
        if (!in_filter(filter.arch, cell.arch) || !in_filter(filter.os, cell.os) ||
            !in_filter(filter.backend, cell.backend)) {
            continue;
        }
        bool matched = filter.patterns.empty();
        for (std::size_t i = 0; !matched && i < filter.patterns.size(); ++i)
            matched = pattern_matches(filter.patterns[i], cell.name, exact[i]);
        if (matched)
            selected.push_back(&cell);
    }
    return selected;
}

std::vector<std::string> unmatched_patterns(const std::vector<Cell>& cells,
                                            const std::vector<std::string>& patterns) {
    std::vector<bool> exact = exact_name_exists(cells, patterns);
    std::vector<std::string> unmatched;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        bool any = std::any_of(cells.begin(), cells.end(), [&](const Cell& cell) {
            return pattern_matches(patterns[i], cell.name, exact[i]);
        });
        if (!any)
            unmatched.push_back(patterns[i]);
    }
    return unmatched;
}

} // namespace crossrt
