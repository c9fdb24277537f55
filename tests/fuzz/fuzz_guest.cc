#include "fuzz_guest.h"

#include "kernel/abi/cpu.h"
#include "kernel/personality.h"
#include "kernel/posix/syscall_table.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>

namespace crossrt::fuzz {

void fail(std::string_view what) {
    std::fprintf(stderr, "fuzzer setup failed: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
}

std::string GuestTarget::name() const {
    return fmt::format("{}-{}", os, kernel::arch_name(arch));
}

const std::array<GuestTarget, 6>& guest_targets() {
    static const std::array<GuestTarget, 6> targets = {{{"linux", Arch::amd64},
                                                        {"linux", Arch::i386},
                                                        {"linux", Arch::arm},
                                                        {"netbsd", Arch::amd64},
                                                        {"netbsd", Arch::i386},
                                                        {"netbsd", Arch::arm}}};
    return targets;
}

u64 code_base(Arch arch) {
    return arch == Arch::amd64 ? 0x400000 : 0x10000;
}

u64 data_base(Arch arch) {
    return code_base(arch) + 0x100000;
}

namespace {

// Register numbers as the instruction encodings use them.
namespace x86 {
constexpr int ax = 0, cx = 1, dx = 2, bx = 3, sp = 4, bp = 5, si = 6, di = 7;
constexpr int r8 = 8, r9 = 9, r10 = 10;
} // namespace x86
namespace arm {
constexpr int r7 = 7, sp = 13;
}

} // namespace

CallWriter::CallWriter(const GuestTarget& target)
    : target_(target), word_(target.arch == Arch::amd64 ? 8 : 4) {}

void CallWriter::put32(std::uint32_t word) {
    for (int i = 0; i < 4; ++i)
        code_.push_back(static_cast<u8>(word >> (8 * i)));
}

// reg = value: movabs (amd64), mov r32, imm32 (386), movw + movt (arm).
void CallWriter::load(int reg, u64 value) {
    switch (target_.arch) {
    case Arch::amd64:
        code_.push_back(static_cast<u8>(0x48 | (reg >= 8 ? 1 : 0)));
        code_.push_back(static_cast<u8>(0xb8 + (reg & 7)));
        for (int i = 0; i < 8; ++i)
            code_.push_back(static_cast<u8>(value >> (8 * i)));
        break;
    case Arch::i386:
        code_.push_back(static_cast<u8>(0xb8 + reg));
        put32(static_cast<std::uint32_t>(value));
        break;
    case Arch::arm: {
        auto half = [&](std::uint32_t opcode, std::uint32_t imm) {
            put32(opcode | ((imm >> 12) & 0xf) << 16 | static_cast<std::uint32_t>(reg) << 12 |
                  (imm & 0xfff));
        };
        half(0xe3000000, static_cast<std::uint32_t>(value) & 0xffff);         // movw
        half(0xe3400000, (static_cast<std::uint32_t>(value) >> 16) & 0xffff); // movt
        break;
    }
    }
}

// The trap itself; on NetBSD/arm the number is the svc immediate.
void CallWriter::trap(u64 nr) {
    switch (target_.arch) {
    case Arch::amd64:
        code_.insert(code_.end(), {0x0f, 0x05}); // syscall
        break;
    case Arch::i386:
        code_.insert(code_.end(), {0xcd, 0x80}); // int $0x80
        break;
    case Arch::arm:
        put32(target_.os == "netbsd" ? 0xef000000 | 0xa00000 | (nr & 0xfffff) // svc 0xa00000|n
                                     : 0xef000000);                           // svc 0
        break;
    }
}

void CallWriter::call(u64 nr, const std::array<u64, 8>& args, u64 stack) {
    u64 mask = word_ == 8 ? ~u64{0} : 0xffffffffull;
    auto on_stack = [&](u64 offset, u64 value) {
        stack_words_.push_back({stack + offset, value & mask});
    };
    bool netbsd = target_.os == "netbsd";
    switch (target_.arch) {
    case Arch::amd64: {
        // Both: rdi rsi rdx r10 r8 r9; NetBSD's 7th and 8th from 8(%rsp).
        const int regs[6] = {x86::di, x86::si, x86::dx, x86::r10, x86::r8, x86::r9};
        for (std::size_t i = 0; i < 6; ++i)
            load(regs[i], args[i]);
        if (netbsd) {
            on_stack(8, args[6]);
            on_stack(16, args[7]);
        }
        load(x86::sp, stack);
        load(x86::ax, nr);
        break;
    }
    case Arch::i386:
        if (netbsd) { // every argument from 4(%esp)
            for (std::size_t i = 0; i < args.size(); ++i)
                on_stack(4 * (i + 1), args[i]);
        } else {
            const int regs[6] = {x86::bx, x86::cx, x86::dx, x86::si, x86::di, x86::bp};
            for (std::size_t i = 0; i < 6; ++i)
                load(regs[i], args[i]);
        }
        load(x86::sp, stack);
        load(x86::ax, nr);
        break;
    case Arch::arm: {
        // Linux: r0-r5 and the number in r7; NetBSD: r0-r3, then the stack.
        std::size_t in_registers = netbsd ? 4 : 6;
        for (std::size_t i = 0; i < in_registers; ++i)
            load(static_cast<int>(i), args[i]);
        for (std::size_t i = in_registers; netbsd && i < args.size(); ++i)
            on_stack(4 * (i - in_registers), args[i]);
        load(arm::sp, stack);
        if (!netbsd)
            load(arm::r7, nr);
        break;
    }
    }
    trap(nr);
}

void CallWriter::trap_only(u64 nr) {
    if (target_.arch != Arch::arm)
        load(x86::ax, nr);
    else if (target_.os != "netbsd")
        load(arm::r7, nr);
    trap(nr);
}

void CallWriter::exit(int status) {
    bool netbsd = target_.os == "netbsd";
    std::array<u64, 8> args{};
    args[0] = static_cast<u64>(status);
    call(syscall_number(target_, netbsd ? "exit" : "exit_group"), args,
         data_base(target_.arch) + kDataSize - kStackSlotSize);
}

u64 syscall_number(const GuestTarget& target, std::string_view name) {
    // One table per target, made once.
    static std::map<std::string, std::unique_ptr<kernel::posix::SyscallTable>> tables;
    auto& table = tables[target.name()];
    if (!table) {
        std::unique_ptr<kernel::Cpu> cpu = kernel::make_cpu(target.arch);
        std::unique_ptr<kernel::Personality> personality =
            cpu ? kernel::make_personality(target.os, *cpu) : nullptr;
        if (!personality)
            fail(fmt::format("no personality for {}", target.name()));
        table = personality->make_syscall_table();
    }
    for (const auto& [number, entry] : table->entries()) {
        if (entry.name == name)
            return number;
    }
    fail(fmt::format("{} has no system call {}", target.name(), name));
}

kernel::ElfImage guest_image(const GuestTarget& target, const CallWriter& writer,
                             std::span<const u8> data) {
    Arch arch = target.arch;
    kernel::ElfImage image;
    image.path = "/fuzz-guest";
    image.arch = arch;
    image.os = target.os;
    image.entry = code_base(arch);
    image.phentsize = arch == Arch::amd64 ? 56 : 32;
    image.phnum = 2;
    image.bytes = writer.code();
    u64 code_size = image.bytes.size();
    std::vector<u8> segment(kDataSize, 0);
    std::copy_n(data.begin(), std::min<u64>(data.size(), kArenaSize), segment.begin());
    u64 word = arch == Arch::amd64 ? 8 : 4;
    for (const StackWord& stack_word : writer.stack_words()) {
        u64 offset = stack_word.address - data_base(arch);
        if (stack_word.address < data_base(arch) || offset + word > kDataSize)
            fail("a stack word outside the data segment");
        for (u64 i = 0; i < word; ++i)
            segment[offset + i] = static_cast<u8>(stack_word.value >> (8 * i));
    }
    image.bytes.insert(image.bytes.end(), segment.begin(), segment.end());
    image.segments.push_back(
        {code_base(arch), code_size, code_size, 0, kernel::kProtRead | kernel::kProtExec});
    image.segments.push_back(
        {data_base(arch), kDataSize, kDataSize, code_size, kernel::kProtRead | kernel::kProtWrite});
    return image;
}

kernel::KernelOptions guest_options() {
    static const int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd < 0)
        fail("cannot open /dev/null");
    kernel::KernelOptions options;
    options.max_memory = 64ull << 20;
    options.argv = {"/fuzz-guest"};
    options.out_fd = null_fd;
    options.err_fd = null_fd;
    return options;
}

} // namespace crossrt::fuzz
