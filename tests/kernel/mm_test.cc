#include "kernel/mm.h"

#include <gtest/gtest.h>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {
namespace {

class AddressSpaceTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(uc_open(UC_ARCH_X86, UC_MODE_64, &uc_), UC_ERR_OK);
        layout_.mmap_bottom = 0x10000;
        layout_.mmap_top = 0x100000;
        layout_.limit = 0x200000;
        memory_ = std::make_unique<AddressSpace>(uc_, layout_, 0x40000);
    }
    void TearDown() override {
        memory_.reset();
        uc_close(uc_);
    }
    uc_engine* uc_ = nullptr;
    AddressSpaceLayout layout_;
    std::unique_ptr<AddressSpace> memory_;
};

TEST_F(AddressSpaceTest, AllocatesTopDownAndHonoursFreeHints) {
    EXPECT_EQ(memory_->map_anywhere(0, 0x2000, kProtRead), 0xfe000);
    EXPECT_EQ(memory_->map_anywhere(0, 0x1000, kProtRead), 0xfd000);
    EXPECT_EQ(memory_->map_anywhere(0x50000, 0x1000, kProtRead), 0x50000); // free hint
    EXPECT_EQ(memory_->map_anywhere(0xfe000, 0x1000, kProtRead), 0xfc000); // taken hint
    EXPECT_EQ(memory_->mapped_bytes(), 0x5000u);
}

TEST_F(AddressSpaceTest, FillsAGapLeftByUnmap) {
    ASSERT_EQ(memory_->map_anywhere(0, 0x3000, kProtRead), 0xfd000);
    ASSERT_EQ(memory_->unmap(0xfe000, 0x1000), 0);
    EXPECT_EQ(memory_->find(0xfe000), nullptr);
    EXPECT_NE(memory_->find(0xfd000), nullptr);
    EXPECT_NE(memory_->find(0xff000), nullptr);
    EXPECT_EQ(memory_->map_anywhere(0, 0x1000, kProtRead), 0xfe000);
    EXPECT_EQ(memory_->mapped_bytes(), 0x3000u);
}

TEST_F(AddressSpaceTest, ProtectSplitsAndIsEnforcedForGuestAccess) {
    ASSERT_EQ(memory_->map_fixed(0x20000, 0x3000, kProtRead | kProtWrite), 0x20000);
    ASSERT_EQ(memory_->protect(0x21000, 0x1000, 0), 0);
    u32 value = 7;
    EXPECT_TRUE(memory_->write(0x20000, &value, 4));
    EXPECT_FALSE(memory_->write(0x21000, &value, 4)); // the guard page
    EXPECT_FALSE(memory_->read(0x21ffe, &value, 4));  // straddles it
    EXPECT_TRUE(memory_->write(0x22000, &value, 4));
    EXPECT_EQ(memory_->find(0x21000)->prot, 0);
    EXPECT_EQ(memory_->find(0x22000)->prot, kProtRead | kProtWrite);
    // Unicorn enforces it too: a guest store to the guard page faults.
    const u8 store[] = {0xc7, 0x04, 0x25, 0x00, 0x10, 0x02,
                        0x00, 0x01, 0,    0,    0}; // movl $1, 0x21000
    ASSERT_EQ(memory_->map_fixed(0x30000, 0x1000, kProtRead | kProtExec), 0x30000);
    ASSERT_TRUE(memory_->poke(0x30000, store, sizeof store));
    EXPECT_EQ(uc_emu_start(uc_, 0x30000, 0x30000 + sizeof store, 0, 1), UC_ERR_WRITE_PROT);
    EXPECT_EQ(memory_->protect(0x60000, 0x1000, kProtRead), -err::NOMEM); // unmapped
}

TEST_F(AddressSpaceTest, ProtNoneReservationsCostNothingUntilMadeAccessible) {
    // Go reserves large ranges PROT_NONE and later maps or mprotects parts.
    ASSERT_EQ(memory_->map_fixed(0x40000, 0x40000, 0), 0x40000);
    EXPECT_EQ(memory_->mapped_bytes(), 0u);
    EXPECT_FALSE(memory_->find(0x40000)->backed);
    u32 value = 7;
    EXPECT_FALSE(memory_->write(0x41000, &value, 4));
    // mprotect: only the part made accessible gets memory, zeroed.
    ASSERT_EQ(memory_->protect(0x42000, 0x2000, kProtRead | kProtWrite), 0);
    EXPECT_EQ(memory_->mapped_bytes(), 0x2000u);
    u32 read = 1;
    ASSERT_TRUE(memory_->read_value(0x43ffc, read));
    EXPECT_EQ(read, 0u);
    EXPECT_TRUE(memory_->write(0x42000, &value, 4));
    EXPECT_FALSE(memory_->write(0x44000, &value, 4)); // still reserved
    // A guest load from the reserved part faults as an unmapped access.
    const u8 load[] = {0x8b, 0x04, 0x25, 0x00, 0x10, 0x04, 0x00}; // movl 0x41000, %eax
    ASSERT_EQ(memory_->map_fixed(0x30000, 0x1000, kProtRead | kProtExec), 0x30000);
    ASSERT_TRUE(memory_->poke(0x30000, load, sizeof load));
    EXPECT_EQ(uc_emu_start(uc_, 0x30000, 0x30000 + sizeof load, 0, 1), UC_ERR_READ_UNMAPPED);
    // MAP_FIXED over the reservation and munmap keep the accounting right.
    ASSERT_EQ(memory_->map_fixed(0x50000, 0x1000, kProtRead), 0x50000);
    EXPECT_EQ(memory_->mapped_bytes(), 0x4000u); // 0x2000 made accessible, code, this page
    ASSERT_EQ(memory_->unmap(0x40000, 0x40000), 0);
    EXPECT_EQ(memory_->mapped_bytes(), 0x1000u); // the code page
    // Back to PROT_NONE keeps the memory (and its contents) behind it.
    ASSERT_EQ(memory_->map_fixed(0x60000, 0x1000, kProtRead | kProtWrite), 0x60000);
    ASSERT_TRUE(memory_->write_value(0x60000, value));
    ASSERT_EQ(memory_->protect(0x60000, 0x1000, 0), 0);
    ASSERT_EQ(memory_->protect(0x60000, 0x1000, kProtRead), 0);
    ASSERT_TRUE(memory_->read_value(0x60000, read));
    EXPECT_EQ(read, 7u);
}

TEST_F(AddressSpaceTest, MapFixedReplacesAndFreshPagesAreZero) {
    ASSERT_EQ(memory_->map_fixed(0x20000, 0x2000, kProtRead | kProtWrite), 0x20000);
    u64 value = 0x1122334455667788;
    ASSERT_TRUE(memory_->write_value(0x21000, value));
    ASSERT_EQ(memory_->map_fixed(0x21000, 0x1000, kProtRead | kProtWrite), 0x21000);
    u64 read = 1;
    ASSERT_TRUE(memory_->read_value(0x21000, read));
    EXPECT_EQ(read, 0u);
    EXPECT_EQ(memory_->mapped_bytes(), 0x2000u);
}

TEST_F(AddressSpaceTest, CapIsEnforcedAndRefusesWhatIsOutside) {
    EXPECT_EQ(memory_->map_anywhere(0, 0x41000, kProtRead), -err::NOMEM);
    EXPECT_EQ(memory_->map_anywhere(0, 0x40000, kProtRead), 0xc0000);
    EXPECT_EQ(memory_->map_anywhere(0, 0x1000, kProtRead), -err::NOMEM);
    EXPECT_EQ(memory_->map_fixed(0x1ff000, 0x2000, kProtRead), -err::INVAL); // past the limit
    EXPECT_EQ(memory_->map_fixed(0x20001, 0x1000, kProtRead), -err::INVAL);  // unaligned
}

TEST_F(AddressSpaceTest, BrkGrowsAndShrinksPageWise) {
    memory_->set_brk_start(0x40100);
    EXPECT_EQ(memory_->brk(0), 0x40100u);
    EXPECT_EQ(memory_->brk(0x42000), 0x42000u);
    EXPECT_NE(memory_->find(0x41000), nullptr);
    EXPECT_EQ(memory_->find(0x42000), nullptr);
    EXPECT_EQ(memory_->brk(0x40800), 0x40800u);
    EXPECT_EQ(memory_->find(0x41000), nullptr);
    EXPECT_EQ(memory_->brk(0x10), 0x40800u); // below the start: unchanged
}

} // namespace
} // namespace crossrt::kernel
