#include "test_support.h"

#include <cstring>
#include <elf.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace crossrt::test {

const std::vector<Target>& test_targets() {
    static const std::vector<Target> targets =
        parse_target_table("# arch os triple qemu unicorn_arch unicorn_mode cflags\n"
                           "amd64 linux x86_64-linux-gnu qemu-x86_64 x86 64 -m64\n"
                           "386   linux i686-linux-gnu   qemu-i386   x86 32 -m32;-march=i686\n"
                           "arm   linux arm-linux-gnueabihf qemu-arm arm arm -marm\n"
                           "arm   netbsd arm--netbsdelf  -  arm arm -marm\n");
    return targets;
}

ManifestParse parse(const std::string& text, const std::filesystem::path& dir) {
    ManifestContext context{
        "scenarios/x/scenario.toml", "x", dir, &test_targets(), {"native", "qemu", "unicorn"}};
    return parse_manifest(text, context);
}

std::vector<std::string> error_strings(const ManifestParse& parse) {
    std::vector<std::string> errors;
    for (const ManifestError& error : parse.errors)
        errors.push_back(error.to_string());
    return errors;
}

Outcome ended(EndKind kind, int status, std::string detail) {
    Outcome outcome;
    outcome.end = kind;
    outcome.status = status;
    outcome.detail = std::move(detail);
    return outcome;
}

namespace {

constexpr std::uint64_t kLoadAddress = 0x400000;

template <typename Ehdr, typename Phdr>
std::string executable(unsigned char elf_class, unsigned machine, const std::string& code,
                       std::uint64_t memsz) {
    Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = elf_class;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_type = ET_EXEC;
    header.e_machine = static_cast<decltype(header.e_machine)>(machine);
    header.e_version = EV_CURRENT;
    header.e_entry = kLoadAddress + sizeof(Ehdr) + sizeof(Phdr);
    header.e_phoff = sizeof(Ehdr);
    header.e_ehsize = sizeof(Ehdr);
    header.e_phentsize = sizeof(Phdr);
    header.e_phnum = 1;
    std::uint64_t size = sizeof(Ehdr) + sizeof(Phdr) + code.size();
    Phdr load{};
    load.p_type = PT_LOAD;
    load.p_flags = PF_R | PF_X;
    load.p_vaddr = kLoadAddress;
    load.p_paddr = kLoadAddress;
    load.p_filesz = size;
    load.p_memsz = static_cast<decltype(load.p_memsz)>(memsz != 0 ? memsz : size);
    load.p_align = 0x1000;
    std::string file(reinterpret_cast<const char*>(&header), sizeof header);
    file.append(reinterpret_cast<const char*>(&load), sizeof load);
    return file + code;
}

} // namespace

std::string static_executable(unsigned machine, const std::string& code, std::uint64_t memsz) {
    if (machine == EM_X86_64)
        return executable<Elf64_Ehdr, Elf64_Phdr>(ELFCLASS64, machine, code, memsz);
    return executable<Elf32_Ehdr, Elf32_Phdr>(ELFCLASS32, machine, code, memsz);
}

std::string print_cwd_code() {
    // Assembled (GNU as, Intel syntax) from, position-independent:
    //   sub rsp, 256; mov rdi, rsp; mov esi, 256; mov eax, 79; syscall  (getcwd)
    //   lea rdx, [rax-1]; mov rsi, rsp; mov edi, 1; mov eax, 1; syscall (write)
    //   lea rdi, [rip+name]; xor esi, esi; mov eax, 2; syscall           (open)
    //   mov edi, 3; test rax, rax; js 1f; xor edi, edi
    //   1: mov eax, 60; syscall                                         (exit)
    //   name: .asciz "secret"
    static const unsigned char code[] = {
        0x48, 0x81, 0xec, 0x00, 0x01, 0x00, 0x00, 0x48, 0x89, 0xe7, 0xbe, 0x00, 0x01, 0x00,
        0x00, 0xb8, 0x4f, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x48, 0x8d, 0x50, 0xff, 0x48, 0x89,
        0xe6, 0xbf, 0x01, 0x00, 0x00, 0x00, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x48,
        0x8d, 0x3d, 0x1c, 0x00, 0x00, 0x00, 0x31, 0xf6, 0xb8, 0x02, 0x00, 0x00, 0x00, 0x0f,
        0x05, 0xbf, 0x03, 0x00, 0x00, 0x00, 0x48, 0x85, 0xc0, 0x78, 0x02, 0x31, 0xff, 0xb8,
        0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x00};
    return std::string(reinterpret_cast<const char*>(code), sizeof code);
}

} // namespace crossrt::test
