#include "kernel_test_support.h"

#include <array>
#include <cstdio>
#include <gtest/gtest.h>
#include <sstream>

namespace crossrt::kernel::test {

u64 code_address(Arch arch) {
    return arch == Arch::amd64 ? 0x400000 : 0x10000;
}

ElfImage code_image(Arch arch, std::vector<u8> code) {
    ElfImage image;
    image.path = "test-guest";
    image.arch = arch;
    image.os = "linux";
    image.entry = code_address(arch);
    image.phentsize = arch == Arch::amd64 ? 56 : 32;
    image.phnum = 1;
    image.segments.push_back(
        {code_address(arch), code.size(), code.size(), 0, kProtRead | kProtExec});
    image.bytes = std::move(code);
    return image;
}

std::vector<u8> spin_code(Arch arch) {
    if (arch == Arch::arm)
        return {0xfe, 0xff, 0xff, 0xea}; // b .
    return {0xeb, 0xfe};                 // jmp .
}

std::unique_ptr<Kernel> boot(ElfImage image, KernelOptions options) {
    if (options.argv.empty())
        options.argv = {"test-guest"};
    auto kernel = std::make_unique<Kernel>(std::move(options));
    std::string error;
    EXPECT_TRUE(kernel->boot(std::move(image), error)) << error;
    return kernel;
}

CommandOutput run_command(const std::string& command) {
    CommandOutput result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr)
        return result;
    std::array<char, 4096> buffer;
    std::size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        result.out.append(buffer.data(), n);
    result.status = pclose(pipe);
    return result;
}

void expect_same_lines(const std::string& want, const std::string& got) {
    std::istringstream wanted(want), seen(got);
    std::string want_line, got_line;
    int line = 0;
    while (std::getline(wanted, want_line)) {
        ++line;
        std::getline(seen, got_line);
        ASSERT_EQ(got_line, want_line) << "line " << line << " of\n" << got;
    }
}

std::string without_kernel_notes(const std::string& output) {
    std::istringstream lines(output);
    std::string kept;
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("crossrt-kernel: "))
            kept += line + "\n";
    }
    return kept;
}

} // namespace crossrt::kernel::test
