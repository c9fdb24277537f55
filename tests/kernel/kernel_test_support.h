// Tiny guests for kernel tests: an ElfImage built in memory around a few
// bytes of machine code, and a booted Process on it.
#pragma once

#include "kernel/kernel.h"

#include <memory>
#include <string>
#include <vector>

namespace crossrt::kernel::test {

// One R+X segment holding code at a fixed address; entry at its start.
ElfImage code_image(Arch arch, std::vector<u8> code);
u64 code_address(Arch arch);

// "jmp ." / "b ." for the arch.
std::vector<u8> spin_code(Arch arch);

std::unique_ptr<Kernel> boot(ElfImage image, KernelOptions options = {});

// A shell command's stdout and raw wait status (for tests that run the
// crossrt executable on real guest binaries).
struct CommandOutput {
    int status = -1;
    std::string out;
};
CommandOutput run_command(const std::string& command);

// got has want's lines, in order (a failure names the first that differs,
// and shows all of got).
void expect_same_lines(const std::string& want, const std::string& got);
// The guest's output without the kernel's notes ("crossrt-kernel: ..." on
// stderr, mixed in by 2>&1), which say why a call failed where a host
// kernel says nothing.
std::string without_kernel_notes(const std::string& output);

} // namespace crossrt::kernel::test
