// The shard rule (scenario/shard.h): K/N, the GoogleTest variables, the
// expected costs and the split by them.
#include "scenario/shard.h"

#include <cstdlib>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <numeric>

namespace crossrt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseShard, KOfNIsOneBased) {
    std::string error;
    auto shard = parse_shard("2/4", error);
    ASSERT_TRUE(shard) << error;
    EXPECT_EQ(shard->index, 1u);
    EXPECT_EQ(shard->total, 4u);
    shard = parse_shard("1/1", error);
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->index, 0u);
    for (const char* bad : {"0/4", "5/4", "1/0", "2", "a/b", "2/", "/2", "1/2/3", "-1/2", ""}) {
        error.clear();
        EXPECT_FALSE(parse_shard(bad, error)) << bad;
        EXPECT_THAT(error, HasSubstr(std::string("'") + bad + "'")) << bad;
    }
}

class ShardEnvironment : public ::testing::Test {
protected:
    void TearDown() override {
        unsetenv("GTEST_TOTAL_SHARDS");
        unsetenv("GTEST_SHARD_INDEX");
    }
};

TEST_F(ShardEnvironment, ReadsBothVariables) {
    unsetenv("GTEST_TOTAL_SHARDS");
    unsetenv("GTEST_SHARD_INDEX");
    EXPECT_FALSE(shard_from_environment());
    setenv("GTEST_TOTAL_SHARDS", "4", 1);
    setenv("GTEST_SHARD_INDEX", "3", 1);
    auto shard = shard_from_environment();
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->total, 4u);
    EXPECT_EQ(shard->index, 3u);
    setenv("GTEST_SHARD_INDEX", "4", 1);
    EXPECT_THROW(shard_from_environment(), std::runtime_error);
    setenv("GTEST_SHARD_INDEX", "x", 1);
    EXPECT_THROW(shard_from_environment(), std::runtime_error);
    unsetenv("GTEST_SHARD_INDEX");
    EXPECT_THROW(shard_from_environment(), std::runtime_error);
}

// The most costly first, each to the least loaded shard (ties: fewer
// cells, then the lower index): 8 | 5+2+1 | 4+3+1.
TEST(AssignShards, LongestFirstToTheLeastLoaded) {
    std::vector<double> costs = {1, 8, 3, 5, 4, 2, 1};
    EXPECT_THAT(assign_shards(costs, 3), ElementsAre(1, 0, 2, 1, 2, 1, 2));
    std::vector<double> load(3, 0);
    std::vector<unsigned> shard_of = assign_shards(costs, 3);
    for (std::size_t i = 0; i < costs.size(); ++i)
        load[shard_of[i]] += costs[i];
    EXPECT_THAT(load, ElementsAre(8, 8, 8));
    // One shard: everything in it; more shards than cells: some empty.
    EXPECT_THAT(assign_shards(costs, 1), ElementsAre(0, 0, 0, 0, 0, 0, 0));
    EXPECT_THAT(assign_shards({2, 1}, 4), ElementsAre(0, 1));
}

TEST(AssignShards, EqualCostsInNameOrderAndFreeCellsByCount) {
    // Equal costs: in order, round the shards.
    EXPECT_THAT(assign_shards({1, 1, 1, 1, 1}, 2), ElementsAre(0, 1, 0, 1, 0));
    // Skips cost nothing: they even out the counts, not the loads.
    EXPECT_THAT(assign_shards({0, 0, 0, 9, 1, 1, 0}, 2), ElementsAre(0, 0, 1, 0, 1, 1, 0));
}

class ExpectedCosts : public ::testing::Test {
protected:
    void SetUp() override {
        slow.timeout_s = 100;
        fast.timeout_s = 10;
        for (const char* name : {"a", "b", "c", "d"}) {
            Cell cell;
            cell.name = name;
            cell.manifest = &fast;
            cells.push_back(cell);
        }
        cells[1].manifest = &slow;
        cells[3].skip = "host (amd64) cannot execute arm";
        for (const Cell& cell : cells)
            selected.push_back(&cell);
    }
    Manifest slow, fast;
    std::vector<Cell> cells;
    std::vector<const Cell*> selected;
};

TEST_F(ExpectedCosts, TimeoutsWithoutMeasurementsAndNothingForSkips) {
    EXPECT_THAT(expected_costs(selected, {}), ElementsAre(10, 100, 10, 0));
}

// A measured cell weighs its duration; the others their timeout scaled by
// measured / timeouts over the measured cells that run: (2 + 3) / (10 + 10).
TEST_F(ExpectedCosts, MeasuredDurationsAndScaledTimeouts) {
    MeasuredDurations measured = {{"a", 2.0}, {"c", 3.0}, {"d", 7.0}};
    EXPECT_THAT(expected_costs(selected, measured), ElementsAre(2.0, 25.0, 3.0, 0));
}

TEST(SelectionDigest, StableAndOrderSensitive) {
    EXPECT_EQ(selection_digest({}), "cbf29ce484222325");
    EXPECT_EQ(selection_digest({"a", "b"}), selection_digest({"a", "b"}));
    EXPECT_NE(selection_digest({"a", "b"}), selection_digest({"b", "a"}));
    EXPECT_NE(selection_digest({"ab"}), selection_digest({"a", "b"}));
}

} // namespace
} // namespace crossrt
