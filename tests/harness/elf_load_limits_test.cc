// The unicorn kernel's loader on hostile program headers: what it refuses
// before allocating anything for them. (The loader's other tests, in
// tests/kernel, run on ELF images of their own.)
#include "kernel/kernel.h"
#include "test_support.h"

#include <chrono>
#include <elf.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

class ElfLoadLimitsTest : public ::testing::Test {
protected:
    // Boots a static amd64 program whose one PT_LOAD has p_memsz memsz;
    // the error boot gives, empty when it boots.
    std::string boot_error(std::uint64_t memsz, std::uint64_t max_memory) {
        path = (dir.path() / "program").string();
        test::write_file(path, test::static_executable(EM_X86_64, std::string(16, '\x90'), memsz),
                         true);
        kernel::ElfRead read = kernel::read_elf(path);
        if (!read.image)
            return "read_elf: " + read.error;
        kernel::KernelOptions options;
        options.max_memory = max_memory;
        options.argv = {path};
        kernel::Kernel kernel(options);
        std::string error;
        return kernel.boot(*read.image, error) ? "" : error;
    }
    test::ScratchDir dir;
    std::string path;
};

// 64 GiB of bss made a map of every page (2.6 GB of host memory for 7.8 s)
// before the cap said no, and std::bad_alloc ended the run.
TEST_F(ElfLoadLimitsTest, ASegmentPastTheMemoryCapIsRefusedBeforeAnythingIsAllocated) {
    auto start = std::chrono::steady_clock::now();
    std::string error = boot_error(64ull << 30, 1ull << 30);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(error, path + ": the PT_LOAD segment at 0x400000 needs 64 GiB of memory (p_memsz "
                            "0x1000000000), more than the run's memory cap of 1 GiB");
    EXPECT_LT(seconds, 5.0) << "refused before allocating, not after";
}

TEST_F(ElfLoadLimitsTest, TheCapIsTheRunsOwn) {
    std::string error = boot_error(48ull << 20, 32ull << 20);
    EXPECT_EQ(error, path + ": the PT_LOAD segment at 0x400000 needs 48 MiB of memory (p_memsz "
                            "0x3000000), more than the run's memory cap of 32 MiB");
    // Below it (with the 8 MiB stack), the program boots.
    EXPECT_EQ(boot_error(16ull << 20, 32ull << 20), "");
}

TEST_F(ElfLoadLimitsTest, ASegmentPastTheAddressSpaceIsRefused) {
    // Past amd64's 47-bit user space, and wrapping around 2^64.
    for (std::uint64_t memsz : {1ull << 47, ~0ull - 0x1000}) {
        EXPECT_THAT(
            boot_error(memsz, 1ull << 30),
            HasSubstr(": the PT_LOAD segment at 0x400000 (p_memsz " + fmt::format("{:#x}", memsz)))
            << memsz;
        EXPECT_THAT(boot_error(memsz, 1ull << 30), HasSubstr("lies outside the guest's address "
                                                             "space, which ends at 0x"));
    }
}

} // namespace
} // namespace crossrt
