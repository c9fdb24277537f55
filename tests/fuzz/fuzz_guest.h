// What the kernel fuzz targets share: the six (os, arch) guests, a guest
// program built in memory (a code segment and a data segment that holds
// the fuzzed bytes), and the machine code that makes a system call the way
// each OS's convention wants it (the number and arguments in registers,
// on NetBSD also on the stack), so that a call reaches the kernel through
// its real trap, ABI decoding and dispatch.
#pragma once

#include "kernel/kernel.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::fuzz {

using kernel::Arch;
using kernel::u64;
using kernel::u8;

// A setup failure of the fuzzer itself (not a finding): says so and aborts.
[[noreturn]] void fail(std::string_view what);

struct GuestTarget {
    std::string os; // "linux", "netbsd"
    Arch arch;
    std::string name() const;
};
// linux-amd64, linux-386, linux-arm, netbsd-amd64, netbsd-386, netbsd-arm.
const std::array<GuestTarget, 6>& guest_targets();

// The guest's segments: code (read, execute) and data (read, write).
u64 code_base(Arch arch);
u64 data_base(Arch arch);
constexpr u64 kDataSize = 64 * 1024;
// The data segment: the fuzzed bytes from 0, room for signal frames, and
// the call stacks (one slot per call) at its top.
constexpr u64 kArenaSize = 32 * 1024;
constexpr u64 kStackSlots = 56 * 1024;
constexpr u64 kStackSlotSize = 128;
constexpr int kMaxCalls = 32;

// A guest word written to memory before the call that needs it.
struct StackWord {
    u64 address = 0;
    u64 value = 0;
};

// Machine code for one (os, arch): system calls, then an exit.
class CallWriter {
public:
    explicit CallWriter(const GuestTarget& target);

    // sp = stack, then the call `nr` with args as the convention passes
    // them (a word each, truncated to the word size of 32-bit arches).
    void call(u64 nr, const std::array<u64, 8>& args, u64 stack);
    // The call `nr` with every other register as it is (the number where
    // the convention wants it, then the trap).
    void trap_only(u64 nr);
    // exit_group(status) on Linux, exit(status) on NetBSD.
    void exit(int status);

    const std::vector<u8>& code() const { return code_; }
    // The arguments the convention passes on the stack, to be written to
    // the data segment (or guest memory) before the code runs.
    const std::vector<StackWord>& stack_words() const { return stack_words_; }

private:
    void load(int reg, u64 value);
    void put32(std::uint32_t word);
    void trap(u64 nr);

    GuestTarget target_;
    u64 word_;
    std::vector<u8> code_;
    std::vector<StackWord> stack_words_;
};

// The number the target's syscall table gives `name` (fails when none).
u64 syscall_number(const GuestTarget& target, std::string_view name);

// A static program for the target: the code at code_base, the data
// segment (kDataSize, `data` at its start, the stack words written in).
kernel::ElfImage guest_image(const GuestTarget& target, const CallWriter& writer,
                             std::span<const u8> data);

// A run's options for a fuzzed guest: a fixed seed, a 64 MiB memory cap,
// output to /dev/null.
kernel::KernelOptions guest_options();

} // namespace crossrt::fuzz
