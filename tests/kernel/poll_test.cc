// pipe2 and epoll through the handlers: in-kernel buffers, O_NONBLOCK's
// EAGAIN, EOF and EPIPE, level-triggered readiness, the epoll_event layout
// by arch, blocking epoll_wait and read woken by a write, virtual timeouts.
#include "kernel/linux/sys.h"
#include "kernel_test_support.h"

#include <gtest/gtest.h>

namespace crossrt::kernel {
namespace {

constexpr u64 kNonblock = 04000;
constexpr u64 kCloexec = 02000000;
constexpr u32 kEpollIn = 1;
constexpr u32 kEpollHup = 0x10;

class PollTest : public ::testing::TestWithParam<Arch> {
protected:
    void SetUp() override {
        machine_ = test::boot(test::code_image(GetParam(), test::spin_code(GetParam())));
        page_ = static_cast<u64>(
            machine_->main_process().memory().map_anywhere(0, 4096, kProtRead | kProtWrite));
        Lwp* lwp = machine_->main_process().create_lwp();
        lwp->state = LwpState::runnable;
        other_ = lwp;
    }
    Lwp& self() { return machine_->main_process().current(); }
    SyscallArgs args(u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0) {
        SyscallArgs result;
        result.a = {a0, a1, a2, a3, a4, 0};
        return result;
    }
    std::pair<u64, u64> pipe(u64 flags) {
        EXPECT_EQ(lnx::sys_pipe2(machine_->main_process(), self(), args(page_, flags)).value, 0);
        u32 r = 0, w = 0;
        EXPECT_TRUE(machine_->main_process().memory().read_value(page_, r));
        EXPECT_TRUE(machine_->main_process().memory().read_value(page_ + 4, w));
        return {r, w};
    }
    i64 write(u64 fd, std::string_view text) {
        EXPECT_TRUE(
            machine_->main_process().memory().write(page_ + 1024, text.data(), text.size()));
        return lnx::sys_write(machine_->main_process(), self(), args(fd, page_ + 1024, text.size()))
            .value;
    }
    lnx::SysResult read(Lwp& lwp, u64 fd, u64 length) {
        return lnx::sys_read(machine_->main_process(), lwp, args(fd, page_ + 2048, length));
    }
    std::string read_back(u64 length) {
        std::string text(length, '\0');
        EXPECT_TRUE(machine_->main_process().memory().read(page_ + 2048, text.data(), length));
        return text;
    }
    i64 ctl(u64 epfd, u64 op, u64 fd, u32 events, u64 data) {
        u64 event = page_ + 512;
        u64 data_at = GetParam() == Arch::arm ? 8 : 4;
        EXPECT_TRUE(machine_->main_process().memory().write_value(event, events));
        EXPECT_TRUE(machine_->main_process().memory().write_value(event + data_at, data));
        return lnx::sys_epoll_ctl(machine_->main_process(), self(), args(epfd, op, fd, event))
            .value;
    }
    lnx::SysResult wait(Lwp& lwp, u64 epfd, u64 max, i64 timeout) {
        return lnx::sys_epoll_pwait(machine_->main_process(), lwp,
                                    args(epfd, page_ + 3072, max, static_cast<u64>(timeout)));
    }
    std::pair<u32, u64> event(int index) {
        u64 size = GetParam() == Arch::arm ? 16 : 12;
        u64 at = page_ + 3072 + static_cast<u64>(index) * size;
        u32 events = 0;
        u64 data = 0;
        EXPECT_TRUE(machine_->main_process().memory().read_value(at, events));
        EXPECT_TRUE(machine_->main_process().memory().read_value(
            at + (GetParam() == Arch::arm ? 8 : 4), data));
        return {events, data};
    }
    std::unique_ptr<Kernel> machine_;
    u64 page_ = 0;
    Lwp* other_ = nullptr;
};

TEST_P(PollTest, PipeFdsAreTheLowestFreeAndCarryTheirFlags) {
    auto [r, w] = pipe(kNonblock | kCloexec);
    EXPECT_EQ(r, 3u);
    EXPECT_EQ(w, 4u);
    EXPECT_TRUE(machine_->main_process().files().find(r)->nonblock);
    EXPECT_TRUE(machine_->main_process().files().find(w)->cloexec);
    EXPECT_EQ(lnx::sys_pipe2(machine_->main_process(), self(), args(page_, 1)).value, -err::INVAL);
    EXPECT_EQ(lnx::sys_close(machine_->main_process(), self(), args(r)).value, 0);
    EXPECT_EQ(lnx::sys_close(machine_->main_process(), self(), args(r)).value, -err::BADF);
    auto [r2, w2] = pipe(0);
    EXPECT_EQ(r2, 3u);
    EXPECT_EQ(w2, 5u);
}

TEST_P(PollTest, NonblockingReadAndWrite) {
    auto [r, w] = pipe(kNonblock);
    EXPECT_EQ(read(self(), r, 16).value, -err::AGAIN);
    EXPECT_EQ(write(w, "hello"), 5);
    lnx::SysResult got = read(self(), r, 3);
    EXPECT_EQ(got.value, 3);
    EXPECT_EQ(read_back(3), "hel");
    EXPECT_EQ(read(self(), r, 16).value, 2);
    EXPECT_EQ(read_back(2), "lo");
    EXPECT_EQ(read(self(), w, 16).value, -err::BADF); // the write end
    for (std::size_t i = 0; i < posix::kPipeCapacity; ++i)
        machine_->main_process().files().find(w)->pipe->data.push_back('x');
    EXPECT_EQ(write(w, "y"), -err::AGAIN); // full
}

TEST_P(PollTest, EofAndEpipe) {
    auto [r, w] = pipe(0);
    EXPECT_EQ(write(w, "ab"), 2);
    EXPECT_EQ(lnx::sys_close(machine_->main_process(), self(), args(w)).value, 0);
    EXPECT_EQ(read(self(), r, 16).value, 2);
    EXPECT_EQ(read(self(), r, 16).value, 0); // EOF, not a block
    auto [r2, w2] = pipe(0);
    EXPECT_EQ(lnx::sys_close(machine_->main_process(), self(), args(r2)).value, 0);
    EXPECT_EQ(write(w2, "x"), -err::PIPE);
    EXPECT_NE(self().pending & sigbit(sig::PIPE), 0u);
}

TEST_P(PollTest, BlockingReadIsWokenByAWrite) {
    auto [r, w] = pipe(0);
    EXPECT_EQ(read(*other_, r, 16).kind, lnx::SysResult::Kind::blocked);
    EXPECT_EQ(other_->state, LwpState::blocked);
    EXPECT_TRUE(other_->wait.restartable);
    EXPECT_EQ(write(w, "wake"), 4);
    EXPECT_EQ(other_->state, LwpState::runnable);
    EXPECT_EQ(other_->resume_result, 4);
    EXPECT_EQ(read_back(4), "wake");
}

TEST_P(PollTest, EpollCtlErrors) {
    auto [r, w] = pipe(kNonblock);
    i64 epfd = lnx::sys_epoll_create1(machine_->main_process(), self(), args(kCloexec)).value;
    EXPECT_EQ(epfd, 5);
    EXPECT_EQ(lnx::sys_epoll_create1(machine_->main_process(), self(), args(1)).value, -err::INVAL);
    EXPECT_EQ(lnx::sys_epoll_create(machine_->main_process(), self(), args(0)).value, -err::INVAL);
    auto e = static_cast<u64>(epfd);
    EXPECT_EQ(ctl(e, 1, r, kEpollIn, 7), 0);
    EXPECT_EQ(ctl(e, 1, r, kEpollIn, 7), -err::EXIST);
    EXPECT_EQ(ctl(e, 3, w, kEpollIn, 7), -err::NOENT);
    EXPECT_EQ(ctl(e, 2, w, 0, 0), -err::NOENT);
    EXPECT_EQ(ctl(e, 1, e, kEpollIn, 0), -err::INVAL);
    EXPECT_EQ(ctl(e, 1, 99, kEpollIn, 0), -err::BADF);
    EXPECT_EQ(ctl(r, 1, w, kEpollIn, 0), -err::INVAL); // not an epoll fd
    EXPECT_EQ(ctl(e, 1, 1, kEpollIn, 0), -err::PERM);
    EXPECT_EQ(ctl(e, 2, r, 0, 0), 0);
    EXPECT_EQ(wait(self(), e, 0, 0).value, -err::INVAL);
}

TEST_P(PollTest, LevelTriggeredReadinessWithTheArchLayout) {
    auto [r, w] = pipe(kNonblock);
    auto e =
        static_cast<u64>(lnx::sys_epoll_create1(machine_->main_process(), self(), args(0)).value);
    EXPECT_EQ(ctl(e, 1, r, kEpollIn, 0x1122334455667788ull), 0);
    EXPECT_EQ(wait(self(), e, 8, 0).value, 0);
    EXPECT_EQ(write(w, "z"), 1);
    EXPECT_EQ(wait(self(), e, 8, 0).value, 1);
    EXPECT_EQ(event(0), std::make_pair(kEpollIn, u64{0x1122334455667788ull}));
    EXPECT_EQ(wait(self(), e, 8, 0).value, 1); // still readable: level-triggered
    EXPECT_EQ(read(self(), r, 16).value, 1);
    EXPECT_EQ(wait(self(), e, 8, 0).value, 0);
    EXPECT_EQ(lnx::sys_close(machine_->main_process(), self(), args(w)).value, 0);
    EXPECT_EQ(wait(self(), e, 8, 0).value, 1);
    EXPECT_EQ(event(0).first, kEpollHup);
}

TEST_P(PollTest, BlockingWaitIsWokenByAWriteOrTimesOut) {
    auto [r, w] = pipe(kNonblock);
    auto e =
        static_cast<u64>(lnx::sys_epoll_create1(machine_->main_process(), self(), args(0)).value);
    EXPECT_EQ(ctl(e, 1, r, kEpollIn, 42), 0);
    EXPECT_EQ(wait(*other_, e, 8, 1500).kind, lnx::SysResult::Kind::blocked);
    ASSERT_TRUE(other_->wait.deadline);
    EXPECT_EQ(*other_->wait.deadline, machine_->main_process().now_ns() + 1'500'000'000u);
    EXPECT_FALSE(other_->wait.restartable); // EINTR after a handler, as Linux
    EXPECT_EQ(write(w, "!"), 1);
    EXPECT_EQ(other_->state, LwpState::runnable);
    EXPECT_EQ(other_->resume_result, 1);
    EXPECT_EQ(event(0), std::make_pair(kEpollIn, u64{42}));
    EXPECT_EQ(read(self(), r, 16).value, 1);
    // -1 (as a 32-bit int in a wider register) waits with no deadline.
    EXPECT_EQ(wait(*other_, e, 8, 0xffffffff).kind, lnx::SysResult::Kind::blocked);
    EXPECT_FALSE(other_->wait.deadline);
}

INSTANTIATE_TEST_SUITE_P(Arches, PollTest, ::testing::Values(Arch::amd64, Arch::i386, Arch::arm),
                         [](const auto& param_info) {
                             return std::string(param_info.param == Arch::amd64  ? "amd64"
                                                : param_info.param == Arch::i386 ? "i386"
                                                                                 : "arm");
                         });

} // namespace
} // namespace crossrt::kernel
