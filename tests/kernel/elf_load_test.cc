// The loader on ELF files written by the test: segments, permissions, bss,
// the initial stack and auxv, and what it refuses.
#include "kernel/elf_load.h"
#include "kernel_test_support.h"

#include <elf.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

namespace crossrt::kernel {
namespace {

struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::vector<u8>& bytes) {
        char name[] = "/tmp/crossrt-elf-XXXXXX";
        int fd = mkstemp(name);
        close(fd);
        path = name;
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    }
    ~TempFile() { std::filesystem::remove(path); }
};

// ELF64 amd64: text (R X) at 0x400000 with 0x40 bytes, data (R W) at 0x401000
// with 8 file bytes and 0x2000 of memory (bss); optionally PT_INTERP.
std::vector<u8> elf64(bool interp) {
    std::vector<u8> file(0x2000, 0);
    Elf64_Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS64;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_type = ET_EXEC;
    header.e_machine = EM_X86_64;
    header.e_version = EV_CURRENT;
    header.e_entry = 0x400078;
    header.e_phoff = sizeof header;
    header.e_ehsize = sizeof header;
    header.e_phentsize = sizeof(Elf64_Phdr);
    header.e_phnum = interp ? 3 : 2;
    std::memcpy(file.data(), &header, sizeof header);
    Elf64_Phdr text{PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x400000, 0x100, 0x100, 0x1000};
    Elf64_Phdr data{PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x401000, 8, 0x2000, 0x1000};
    Elf64_Phdr inter{PT_INTERP, PF_R, 0x100, 0x400100, 0x400100, 16, 16, 1};
    std::memcpy(file.data() + sizeof header, &text, sizeof text);
    std::memcpy(file.data() + sizeof header + sizeof text, &data, sizeof data);
    if (interp) {
        std::memcpy(file.data() + sizeof header + 2 * sizeof text, &inter, sizeof inter);
        std::memcpy(file.data() + 0x100, "/lib/ld-test.so", 16);
    }
    for (int i = 0; i < 8; ++i)
        file[0x1000 + static_cast<std::size_t>(i)] = static_cast<u8>(0xa0 + i);
    file[0x1008] = 0xee; // beyond filesz: must not appear in memory
    return file;
}

TEST(ElfLoad, SegmentsPermissionsAndBss) {
    TempFile file(elf64(false));
    ElfRead read = read_elf(file.path);
    ASSERT_TRUE(read.image) << read.error;
    EXPECT_EQ(read.image->arch, Arch::amd64);
    ASSERT_EQ(read.image->segments.size(), 2u);
    auto machine = test::boot(*read.image);
    AddressSpace& memory = machine->main_process().memory();
    EXPECT_EQ(memory.find(0x400000)->prot, kProtRead | kProtExec);
    EXPECT_EQ(memory.find(0x401000)->prot, kProtRead | kProtWrite);
    EXPECT_EQ(memory.find(0x402000)->prot, kProtRead | kProtWrite); // bss page
    EXPECT_EQ(memory.find(0x403000), nullptr);
    u8 bytes[16];
    ASSERT_TRUE(memory.read(0x401000, bytes, sizeof bytes));
    EXPECT_EQ(bytes[0], 0xa0);
    EXPECT_EQ(bytes[7], 0xa7);
    EXPECT_EQ(bytes[8], 0); // bss zeroed, the file's next byte not copied
    u32 guest_elf_magic = 0;
    ASSERT_TRUE(memory.read_value(0x400000, guest_elf_magic));
    EXPECT_EQ(guest_elf_magic, 0x464c457fu);
    EXPECT_FALSE(memory.write_value(0x400000, u32{0})); // text is not writable
}

std::map<u64, u64> read_auxv(Process& machine, u64 sp, std::vector<std::string>& argv) {
    u64 word = static_cast<u64>(machine.word_size());
    u64 argc = 0;
    machine.read_word(sp, argc);
    for (u64 i = 0; i < argc; ++i) {
        u64 at = 0;
        machine.read_word(sp + word * (1 + i), at);
        std::string text;
        machine.memory().read_string(at, text);
        argv.push_back(text);
    }
    u64 at = sp + word * (argc + 2);
    for (u64 value = 1; value != 0; at += word)
        machine.read_word(at, value); // skip envp
    std::map<u64, u64> auxv;
    for (;; at += 2 * word) {
        u64 key = 0, value = 0;
        machine.read_word(at, key);
        machine.read_word(at + word, value);
        if (key == auxv::NUL)
            break;
        auxv[key] = value;
    }
    return auxv;
}

TEST(ElfLoad, InitialStackAndAuxv) {
    TempFile file(elf64(false));
    ElfRead read = read_elf(file.path);
    ASSERT_TRUE(read.image);
    KernelOptions options;
    options.argv = {"prog", "one", "two"};
    options.envp = {"A=1"};
    options.seed = 1234;
    auto machine = test::boot(*read.image, options);
    u64 sp = machine->main_process().cpu().sp(machine->main_process().uc());
    EXPECT_EQ(sp % 16, 0u);
    std::vector<std::string> argv;
    auto aux = read_auxv(machine->main_process(), sp, argv);
    EXPECT_EQ(argv, (std::vector<std::string>{"prog", "one", "two"}));
    EXPECT_EQ(aux[auxv::PHDR], 0x400000u + sizeof(Elf64_Ehdr));
    EXPECT_EQ(aux[auxv::PHENT], sizeof(Elf64_Phdr));
    EXPECT_EQ(aux[auxv::PHNUM], 2u);
    EXPECT_EQ(aux[auxv::PAGESZ], 4096u);
    EXPECT_EQ(aux[auxv::ENTRY], 0x400078u);
    std::string execfn;
    ASSERT_TRUE(machine->main_process().memory().read_string(aux[auxv::EXECFN], execfn));
    EXPECT_EQ(execfn, "prog");
    ASSERT_NE(aux[auxv::RANDOM], 0u);
    u8 random[16];
    ASSERT_TRUE(machine->main_process().memory().read(aux[auxv::RANDOM], random, 16));
    EXPECT_EQ(machine->main_process().cpu().pc(machine->main_process().uc()), 0x400078u);

    // The same seed gives the same AT_RANDOM bytes, another seed others.
    auto again = test::boot(*read.image, options);
    u8 random_again[16];
    ASSERT_TRUE(again->main_process().memory().read(aux[auxv::RANDOM], random_again, 16));
    EXPECT_EQ(std::memcmp(random, random_again, 16), 0);
    options.seed = 1235;
    auto other = test::boot(*read.image, options);
    u8 random_other[16];
    ASSERT_TRUE(other->main_process().memory().read(aux[auxv::RANDOM], random_other, 16));
    EXPECT_NE(std::memcmp(random, random_other, 16), 0);
}

TEST(ElfLoad, ArmGetsHwcap) {
    auto machine = test::boot(test::code_image(Arch::arm, test::spin_code(Arch::arm)));
    std::vector<std::string> argv;
    auto aux = read_auxv(machine->main_process(),
                         machine->main_process().cpu().sp(machine->main_process().uc()), argv);
    EXPECT_NE(aux[auxv::HWCAP] & 64, 0u);    // VFP
    EXPECT_NE(aux[auxv::HWCAP] & 32768, 0u); // TLS
    EXPECT_EQ(aux.count(auxv::HWCAP), 1u);
}

TEST(ElfLoad, ReadsTheInterpreterOfADynamicProgram) {
    TempFile dynamic(elf64(true));
    ElfRead read = read_elf(dynamic.path);
    ASSERT_TRUE(read.image) << read.error;
    EXPECT_EQ(read.image->interpreter, "/lib/ld-test.so");
    TempFile linked_static(elf64(false));
    read = read_elf(linked_static.path);
    ASSERT_TRUE(read.image) << read.error;
    EXPECT_EQ(read.image->interpreter, "");
}

TEST(ElfLoad, ADynamicProgramStartsAtItsInterpreter) {
    TempFile dynamic(elf64(true));
    ElfRead program = read_elf(dynamic.path);
    ASSERT_TRUE(program.image) << program.error;
    // The interpreter: the same segments, position-independent (ET_DYN at 0).
    std::vector<u8> loader = elf64(false);
    loader[16] = ET_DYN;
    TempFile interpreter(loader);
    ElfRead read = read_elf(interpreter.path);
    ASSERT_TRUE(read.image) << read.error;
    for (ElfSegment& segment : read.image->segments)
        segment.vaddr -= 0x400000;
    read.image->entry -= 0x400000;
    program.image->interpreter_image = std::make_shared<const ElfImage>(*read.image);
    auto machine = test::boot(*program.image);
    Process& process = machine->main_process();
    std::vector<std::string> argv;
    auto aux = read_auxv(process, process.cpu().sp(process.uc()), argv);
    constexpr u64 kBase = 0x7ffff7fc0000; // amd64's interpreter base
    EXPECT_EQ(aux[auxv::BASE], kBase);
    EXPECT_EQ(aux[auxv::ENTRY], 0x400078u); // the program's
    EXPECT_EQ(aux[auxv::PHDR], 0x400000u + sizeof(Elf64_Ehdr));
    EXPECT_EQ(aux[auxv::PHNUM], 3u);
    EXPECT_EQ(process.cpu().pc(process.uc()), kBase + 0x78); // the interpreter's
    EXPECT_EQ(process.memory().find(kBase)->prot, kProtRead | kProtExec);
    // x86's AT_HWCAP is CPUID leaf 1's EDX: FPU and SSE2 at least.
    EXPECT_EQ(aux[auxv::HWCAP] & 1, 1u);
    EXPECT_NE(aux[auxv::HWCAP] & (1u << 26), 0u);
    EXPECT_EQ(aux.count(auxv::HWCAP2), 1u);
}

TEST(ElfLoad, ADynamicProgramWithoutItsInterpreterDoesNotBoot) {
    TempFile dynamic(elf64(true));
    ElfRead read = read_elf(dynamic.path);
    ASSERT_TRUE(read.image) << read.error;
    KernelOptions options;
    options.argv = {"test-guest"};
    Kernel kernel(options);
    std::string error;
    EXPECT_FALSE(kernel.boot(std::move(*read.image), error));
    EXPECT_NE(error.find("is dynamically linked and its interpreter /lib/ld-test.so is not in "
                         "the guest's file tree"),
              std::string::npos)
        << error;
}

TEST(ElfLoad, RefusesADynamicNetbsdProgramAndNonElf) {
    std::vector<u8> netbsd = elf64(true);
    netbsd[EI_OSABI] = ELFOSABI_NETBSD;
    TempFile dynamic(netbsd);
    ElfRead read = read_elf(dynamic.path);
    EXPECT_FALSE(read.image);
    EXPECT_NE(read.error.find("dynamically linked (PT_INTERP): the unicorn kernel's netbsd "
                              "personality runs static executables only"),
              std::string::npos)
        << read.error;
    TempFile text(std::vector<u8>{'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n'});
    read = read_elf(text.path);
    EXPECT_FALSE(read.image);
    EXPECT_FALSE(read.error.empty());
    std::vector<u8> riscv = elf64(false);
    riscv[18] = EM_RISCV;
    TempFile other(riscv);
    read = read_elf(other.path);
    EXPECT_FALSE(read.image);
    EXPECT_NE(read.error.find("riscv"), std::string::npos) << read.error;
}

} // namespace
} // namespace crossrt::kernel
