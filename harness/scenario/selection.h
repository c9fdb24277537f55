// Choosing cells: name patterns, arch/os/backend filters, and CI sharding.
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

struct Shard {
    unsigned total = 1;
    unsigned index = 0;
};

// GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX from the environment; nullopt when not
// sharded. Throws std::runtime_error on malformed values.
std::optional<Shard> shard_from_environment();

// Keeps the elements whose index i satisfies i % total == index.
template <typename T>
std::vector<T> take_shard(const std::vector<T>& items, const Shard& shard) {
    std::vector<T> kept;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i % shard.total == shard.index)
            kept.push_back(items[i]);
    }
    return kept;
}

} // namespace crossrt
