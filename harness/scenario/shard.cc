#include "scenario/shard.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>
#include <numeric>
#include <stdexcept>

namespace crossrt {
namespace {

std::optional<unsigned> parse_number(std::string_view text) {
    unsigned value = 0;
    auto [end, failed] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || failed != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

unsigned environment_number(const char* name, const char* value) {
    auto number = parse_number(value);
    if (!number)
        throw std::runtime_error(fmt::format("{}='{}' is not a number", name, value));
    return *number;
}

} // namespace

std::optional<Shard> parse_shard(std::string_view spec, std::string& error) {
    auto slash = spec.find('/');
    std::optional<unsigned> k, n;
    if (slash != std::string_view::npos) {
        k = parse_number(spec.substr(0, slash));
        n = parse_number(spec.substr(slash + 1));
    }
    if (!k || !n) {
        error = fmt::format("'{}' is not K/N (shard K of N, 1 <= K <= N)", spec);
        return std::nullopt;
    }
    unsigned index = k.value_or(0), total = n.value_or(0);
    if (total == 0 || index == 0 || index > total) {
        error = fmt::format("'{}': K must be 1 to N (shard K of N) and N at least 1", spec);
        return std::nullopt;
    }
    return Shard{total, index - 1};
}

std::optional<Shard> shard_from_environment() {
    const char* total = std::getenv("GTEST_TOTAL_SHARDS");
    const char* index = std::getenv("GTEST_SHARD_INDEX");
    if (total == nullptr && index == nullptr)
        return std::nullopt;
    if (total == nullptr || index == nullptr)
        throw std::runtime_error("set both GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX, or neither");
    Shard shard{environment_number("GTEST_TOTAL_SHARDS", total),
                environment_number("GTEST_SHARD_INDEX", index)};
    if (shard.total == 0 || shard.index >= shard.total) {
        throw std::runtime_error(fmt::format(
            "GTEST_SHARD_INDEX={} is not below GTEST_TOTAL_SHARDS={}", shard.index, shard.total));
    }
    return shard;
}

std::vector<double> expected_costs(const std::vector<const Cell*>& cells,
                                   const MeasuredDurations& measured) {
    double measured_s = 0, their_timeouts_s = 0;
    for (const Cell* cell : cells) {
        auto found = measured.find(cell->name);
        if (!cell->skip && found != measured.end()) {
            measured_s += found->second;
            their_timeouts_s += cell->manifest->timeout_s;
        }
    }
    double scale = measured_s > 0 && their_timeouts_s > 0 ? measured_s / their_timeouts_s : 1.0;
    std::vector<double> costs;
    for (const Cell* cell : cells) {
        auto found = measured.find(cell->name);
        if (cell->skip)
            costs.push_back(0);
        else if (found != measured.end())
            costs.push_back(found->second);
        else
            costs.push_back(cell->manifest->timeout_s * scale);
    }
    return costs;
}

std::vector<unsigned> assign_shards(const std::vector<double>& costs, unsigned total) {
    std::vector<std::size_t> order(costs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
    std::vector<double> load(total, 0);
    std::vector<std::size_t> count(total, 0);
    std::vector<unsigned> shard_of(costs.size(), 0);
    for (std::size_t item : order) {
        // A cell that costs nothing (a static skip) would always join the
        // same least loaded shard: it goes where the fewest cells are.
        bool free = costs[item] <= 0;
        unsigned best = 0;
        for (unsigned s = 1; s < total; ++s) {
            bool fewer = count[s] < count[best];
            if (free ? fewer : load[s] < load[best] || (load[s] == load[best] && fewer))
                best = s;
        }
        shard_of[item] = best;
        load[best] += costs[item];
        ++count[best];
    }
    return shard_of;
}

std::string selection_digest(const std::vector<std::string>& names) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    auto add = [&](unsigned char byte) {
        hash ^= byte;
        hash *= 0x100000001b3ull;
    };
    for (const std::string& name : names) {
        for (char c : name)
            add(static_cast<unsigned char>(c));
        add('\n');
    }
    return fmt::format("{:016x}", hash);
}

} // namespace crossrt
