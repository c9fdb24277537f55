#include "rt/runq.h"

#include <gtest/gtest.h>
#include <vector>

namespace {

TEST(RunQueue, FifoOrder) {
    std::vector<rt::G> gs(4);
    rt::RunQueue q;
    EXPECT_TRUE(q.empty());
    for (auto& g : gs) {
        q.push_back(&g);
    }
    EXPECT_EQ(q.size(), 4u);
    for (auto& g : gs) {
        EXPECT_EQ(q.pop_front(), &g);
    }
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.pop_front(), nullptr);
}

TEST(RunQueue, ReusableAfterDraining) {
    rt::G a{}, b{};
    rt::RunQueue q;
    q.push_back(&a);
    EXPECT_EQ(q.pop_front(), &a);
    q.push_back(&b);
    q.push_back(&a);
    EXPECT_EQ(q.pop_front(), &b);
    EXPECT_EQ(q.pop_front(), &a);
    EXPECT_EQ(a.schedlink, nullptr);
    EXPECT_EQ(q.size(), 0u);
}

TEST(RunQueue, RequeueingTheSameGKeepsOneEntry) {
    rt::G a{}, b{};
    rt::RunQueue q;
    q.push_back(&a);
    q.push_back(&b);
    q.push_back(q.pop_front()); // what gosched does
    EXPECT_EQ(q.pop_front(), &b);
    EXPECT_EQ(q.pop_front(), &a);
    EXPECT_TRUE(q.empty());
}

} // namespace
