// Pieces shared by the Linux signal frames (frame_linux_<arch>.cc).
#pragma once

#include "kernel/signal/action.h"
#include "kernel/types.h"

#include <cstring>
#include <optional>
#include <vector>

namespace crossrt::kernel {

// arm: sigreturn / rt_sigreturn trampolines in the kuser helper page.
constexpr u64 kArmSigreturnTrampoline = 0xffff0500;
constexpr u64 kArmRtSigreturnTrampoline = 0xffff0508;

class Process;

// A frame assembled in host memory, then written to the guest in one go.
class FrameBuffer {
public:
    explicit FrameBuffer(std::size_t size) : bytes_(size, 0) {}
    template <typename T>
    void put(std::size_t offset, T value) {
        std::memcpy(bytes_.data() + offset, &value, sizeof value);
    }
    template <typename T>
    T get(std::size_t offset) const {
        T value;
        std::memcpy(&value, bytes_.data() + offset, sizeof value);
        return value;
    }
    u8* data() { return bytes_.data(); }
    std::size_t size() const { return bytes_.size(); }

private:
    std::vector<u8> bytes_;
};

constexpr std::size_t kSiginfoSize = 128;
constexpr int kSsOnstack = 1;
constexpr int kSsDisable = 2;

// siginfo as the kernel fills it (si_signo, si_errno, si_code, then the
// union: si_pid/si_uid for kill and tgkill, si_addr for faults).
void put_siginfo(FrameBuffer& frame, std::size_t offset, const SigInfo& info, int word_size);
// uc_stack's ss_flags for the interrupted code.
int altstack_flags(const SignalDelivery& delivery);

} // namespace crossrt::kernel

namespace crossrt::kernel {

// Per arch (frame_linux_<arch>.cc): rt frames, and the old sigreturn frames on
// 386 and arm.
bool push_frame_amd64(Process& machine, Lwp& lwp, const SignalDelivery& delivery);
u64 sigreturn_frame_amd64(uc_engine* uc, bool rt);
std::optional<u64> sigreturn_amd64(Process& machine, Lwp& lwp, bool rt, u64 frame);

bool push_frame_386(Process& machine, Lwp& lwp, const SignalDelivery& delivery);
u64 sigreturn_frame_386(uc_engine* uc, bool rt);
std::optional<u64> sigreturn_386(Process& machine, Lwp& lwp, bool rt, u64 frame);

bool push_frame_arm(Process& machine, Lwp& lwp, const SignalDelivery& delivery);
u64 sigreturn_frame_arm(uc_engine* uc, bool rt);
std::optional<u64> sigreturn_arm(Process& machine, Lwp& lwp, bool rt, u64 frame);

} // namespace crossrt::kernel
