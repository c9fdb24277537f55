// The cap on the LWPs alive in a run (kMaxLwps): a thread clone, an
// _lwp_create and a fork past it answer EAGAIN, and an LWP that exits
// makes room again, on 386 its GDT page too. (The syscall fuzz target's
// NetBSD LWP seed, whose LWPs each made LWPs, grew thousands of them
// without it, slower and slower: tests/fuzz/corpus/syscall/seed-netbsd-*-lwps.)
#include "kernel/linux/sys.h"
#include "kernel/netbsd/sys.h"
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM
constexpr u64 kThreadFlags = 0x50f00;
constexpr u64 kLwpDetached = 0x40;

std::size_t live_lwps(const Kernel& machine) {
    return machine.live_lwps();
}

SyscallArgs args(u64 a0 = 0, u64 a1 = 0, u64 a2 = 0) {
    SyscallArgs result;
    result.a = {a0, a1, a2, 0, 0, 0, 0, 0};
    return result;
}

TEST(LwpLimitTest, ThreadsPastTheCapAreEagainAndAnExitMakesRoom) {
    auto machine = test::boot(test::code_image(Arch::amd64, test::spin_code(Arch::amd64)));
    Process& process = machine->main_process();
    Lwp& self = process.current();
    u64 stack = static_cast<u64>(process.memory().map_anywhere(0, 1 << 16, kProtRead | kProtWrite));
    int made = 0;
    lnx::SysResult result;
    while ((result = lnx::sys_clone(process, self, args(kThreadFlags, stack + (1 << 16)))).value >
               0 &&
           made <= kMaxLwps)
        ++made;
    EXPECT_EQ(result.value, -err::AGAIN);
    EXPECT_EQ(made, kMaxLwps - 1); // the main LWP counts
    EXPECT_EQ(live_lwps(*machine), static_cast<std::size_t>(kMaxLwps));

    process.exit_lwp(*process.lwps().back(), 0);
    EXPECT_GT(lnx::sys_clone(process, self, args(kThreadFlags, stack + (1 << 16))).value, 0);
    EXPECT_EQ(lnx::sys_clone(process, self, args(kThreadFlags, stack + (1 << 16))).value,
              -err::AGAIN);
}

TEST(LwpLimitTest, AForkPastTheCapIsEagain) {
    auto machine = test::boot(test::code_image(Arch::arm, test::spin_code(Arch::arm)));
    Process& process = machine->main_process();
    while (process.create_lwp() != nullptr) {
    }
    EXPECT_EQ(live_lwps(*machine), static_cast<std::size_t>(kMaxLwps));
    EXPECT_EQ(lnx::sys_fork(process, process.current(), args()).value, -err::AGAIN);
    EXPECT_EQ(machine->processes().size(), 1u);
}

u64 gdt_of(const Lwp& lwp) {
    uc_x86_mmr gdtr{};
    EXPECT_TRUE(lwp.cpu.read(UC_X86_REG_GDTR, &gdtr));
    return gdtr.base;
}

// Each 386 LWP has a GDT page of its own; one that exited gives it to the
// next. (Pages were never given back: past 3840 LWPs in a process's life,
// however few at once, the next one could not be made.)
TEST(LwpLimitTest, A386LwpThatExitedLeavesItsGdtPageToTheNext) {
    auto machine = test::boot(test::code_image(Arch::i386, test::spin_code(Arch::i386)));
    Process& process = machine->main_process();
    Lwp& self = process.current();
    u64 stack = static_cast<u64>(process.memory().map_anywhere(0, 1 << 16, kProtRead | kProtWrite));
    auto clone = [&]() -> Lwp* {
        i64 tid = lnx::sys_clone(process, self, args(kThreadFlags, stack + (1 << 16))).value;
        return tid > 0 ? process.find_lwp(static_cast<int>(tid)) : nullptr;
    };
    Lwp* first = clone();
    Lwp* second = clone();
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    u64 first_gdt = gdt_of(*first);
    EXPECT_NE(first_gdt, gdt_of(self));
    EXPECT_NE(first_gdt, gdt_of(*second));
    process.exit_lwp(*first, 0);
    Lwp* third = clone();
    ASSERT_NE(third, nullptr);
    EXPECT_EQ(gdt_of(*third), first_gdt);
    for (int i = 0; i < 4 * kMaxLwps; ++i) {
        Lwp* lwp = clone();
        ASSERT_NE(lwp, nullptr) << "LWP " << i;
        process.exit_lwp(*lwp, 0);
    }
}

class NetbsdLwpLimitTest : public ::testing::TestWithParam<Arch> {};

TEST_P(NetbsdLwpLimitTest, LwpCreatePastTheCapIsEagain) {
    ElfImage image = test::code_image(GetParam(), test::spin_code(GetParam()));
    image.os = "netbsd";
    auto machine = test::boot(std::move(image));
    Process& process = machine->main_process();
    Lwp& self = process.current();
    u64 page = static_cast<u64>(process.memory().map_anywhere(0, 8192, kProtRead | kProtWrite));
    u64 uc = page;
    u64 lid = page + 4096;
    ASSERT_EQ(nbsd::sys_getcontext(process, self, args(uc)).value, 0);
    int made = 0;
    nbsd::SysResult result;
    while ((result = nbsd::sys_lwp_create(process, self, args(uc, kLwpDetached, lid))).value == 0 &&
           made <= kMaxLwps)
        ++made;
    EXPECT_EQ(result.value, -nbsd::err::AGAIN);
    EXPECT_EQ(made, kMaxLwps - 1);
}

// 386 as well: each of its LWPs has a GDT of its own.
INSTANTIATE_TEST_SUITE_P(Arches, NetbsdLwpLimitTest,
                         ::testing::Values(Arch::amd64, Arch::i386, Arch::arm));

} // namespace
} // namespace crossrt::kernel
