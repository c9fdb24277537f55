// Choosing cells: name patterns and arch/os/backend filters (CI shards: scenario/shard.h).
#pragma once

#include "scenario/matrix.h"

#include <optional>
#include <string>
#include <vector>

namespace crossrt {

struct CellFilter {
    std::vector<std::string> patterns; // fnmatch globs or plain prefixes; empty: all
    std::vector<std::string> arch;     // empty: any
    std::vector<std::string> os;
    std::vector<std::string> backend;
};

// A pattern without glob characters is a prefix; but when it names a cell
// exactly, it selects only that cell ("x/.../regress-a" must not also run
// "x/.../regress-ab").
std::vector<const Cell*> select_cells(const std::vector<Cell>& cells, const CellFilter& filter);

// The patterns that matched no cell at all, so that a typo is an error.
std::vector<std::string> unmatched_patterns(const std::vector<Cell>& cells,
                                            const std::vector<std::string>& patterns);

} // namespace crossrt
