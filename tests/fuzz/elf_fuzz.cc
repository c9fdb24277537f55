// Fuzz target: a file handed to the harness as a program. The input is
// the file: identify_elf and elf_defect read it as `crossrt exec` does,
// read_elf as the unicorn backend does, and a file they accept is booted
// by the kernel under a 64 MiB memory cap (load_elf's segments, the
// personality's pages, build_initial_stack's argv, envp and auxv). It is
// not run: what a program's code does to the emulator is another matter
// (Unicorn 2.0.1 itself aborts translating `ff /3` or `ff /5` with a
// register operand, docs/fuzzing-and-sanitizers.md), and the system calls
// it could make are the syscall target's.
#include "fuzz_guest.h"
#include "kernel/kernel.h"
#include "target/elf_ident.h"

#include <cstddef>
#include <cstdint>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

using namespace crossrt;

// The input as a file with a path (the readers open a path): one memfd,
// rewritten for each input.
const std::string& input_file(const std::uint8_t* data, std::size_t size) {
    static const int fd = memfd_create("crossrt-elf-fuzz", 0);
    static const std::string path = fmt::format("/proc/self/fd/{}", fd);
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
        fuzz::fail("cannot write the input to a memfd");
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = input_file(data, size);
    identify_elf(path);
    elf_defect(path);
    kernel::ElfRead read = kernel::read_elf(path);
    if (!read.image)
        return 0;
    kernel::KernelOptions options = fuzz::guest_options();
    options.argv = {path, "--flag", ""};
    options.envp = {"HOME=/tmp", "LANG=C"};
    kernel::Kernel machine(options);
    std::string error;
    machine.boot(std::move(*read.image), error);
    return 0;
}
