// The offsets assembly uses (rt/layout.h) against the real structs, on the
// host's word size; runtime.h checks them again on every target at compile
// time.
#include "rt/runtime.h"

#include <cstddef>
#include <gtest/gtest.h>

namespace {

TEST(Layout, GobufFieldsInGoOrder) {
    EXPECT_EQ(offsetof(rt::Gobuf, sp), 0u);
    EXPECT_EQ(offsetof(rt::Gobuf, pc), sizeof(void*));
    EXPECT_EQ(offsetof(rt::Gobuf, g), 2 * sizeof(void*));
    EXPECT_EQ(offsetof(rt::Gobuf, ret), 3 * sizeof(void*));
    EXPECT_EQ(offsetof(rt::Gobuf, ctxt), 4 * sizeof(void*));
    EXPECT_EQ(offsetof(rt::Gobuf, lr), 5 * sizeof(void*));
    EXPECT_EQ(sizeof(rt::Gobuf), static_cast<size_t>(GOBUF_SIZE));
}

TEST(Layout, GAndMOffsets) {
    EXPECT_EQ(offsetof(rt::G, sched), static_cast<size_t>(G_SCHED));
    EXPECT_EQ(offsetof(rt::G, m), static_cast<size_t>(G_M));
    EXPECT_EQ(offsetof(rt::M, g0), static_cast<size_t>(M_G0));
    EXPECT_EQ(offsetof(rt::M, curg), static_cast<size_t>(M_CURG));
    EXPECT_EQ(offsetof(rt::TlsBlock, g), static_cast<size_t>(TLS_G));
    EXPECT_EQ(offsetof(rt::TlsBlock, m), static_cast<size_t>(TLS_M));
}

} // namespace
