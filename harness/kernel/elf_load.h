// The ELF loader: ELF32/ELF64 executables, ET_EXEC and PIE (ET_DYN),
// static or dynamic (PT_INTERP: the interpreter is loaded beside the
// program), PT_LOAD segments with their permissions and bss, and the initial
// stack (argc, argv, envp, auxv) as the Linux or NetBSD kernel lays it out.
#pragma once

#include "kernel/mm.h"
#include "kernel/types.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrt::kernel {

struct ElfSegment {
    u64 vaddr = 0;
    u64 memsz = 0;
    u64 filesz = 0;
    u64 offset = 0;
    int prot = 0;
};

struct ElfImage {
    std::string path;
    Arch arch = Arch::amd64;
    std::string os; // "linux" or "netbsd"
    bool pie = false;
    u64 entry = 0;
    u64 phoff = 0;
    u64 phentsize = 0;
    u64 phnum = 0;
    std::vector<ElfSegment> segments;
    std::vector<u8> bytes; // the whole file
    // PT_INTERP: the dynamic loader's path in the guest's tree (empty: a
    // static executable), and that loader, once found (posix/interp.h).
    std::string interpreter;
    std::shared_ptr<const ElfImage> interpreter_image;
};

struct ElfRead {
    std::optional<ElfImage> image;
    std::string error; // why it cannot be run, naming the file
};

// Refuses what the kernel cannot run: not ELF, an unknown machine,
// relocatable objects, no PT_LOAD, a dynamic NetBSD executable (the NetBSD
// personality runs static ones only).
ElfRead read_elf(const std::string& path);
// The same for a file's bytes named `path` (a file of the run's tree), with
// no execute permission checked: the tree's mode bits are the kernel's.
ElfRead read_elf_bytes(const std::string& path, std::vector<u8> bytes);

struct LoadedProgram {
    u64 bias = 0; // added to every vaddr (static-PIE)
    u64 entry = 0;
    u64 phdr = 0; // where the program headers are in guest memory
    u64 phent = 0;
    u64 phnum = 0;
    u64 brk = 0; // the end of the highest segment, page-aligned
    // A dynamic program: where its interpreter was loaded (AT_BASE) and the
    // interpreter's entry, where the CPU starts (0: none, start at entry).
    u64 interpreter_base = 0;
    u64 interpreter_entry = 0;
    u64 start() const { return interpreter_entry != 0 ? interpreter_entry : entry; }
};

// Maps every PT_LOAD segment (pages shared by two segments get both
// permissions), copies file bytes and leaves bss zeroed. A PIE (ET_DYN)
// goes at pie_base. A dynamic program's interpreter (interpreter_image)
// goes at interpreter_base, and the program starts at its entry.
std::optional<LoadedProgram> load_elf(const ElfImage& image, AddressSpace& memory, u64 pie_base,
                                      std::string& error, u64 interpreter_base = 0);

// Linux auxv keys used here.
namespace auxv {
constexpr u64 NUL = 0;
constexpr u64 PHDR = 3;
constexpr u64 PHENT = 4;
constexpr u64 PHNUM = 5;
constexpr u64 PAGESZ = 6;
constexpr u64 BASE = 7;
constexpr u64 FLAGS = 8;
constexpr u64 ENTRY = 9;
constexpr u64 UID = 11;
constexpr u64 EUID = 12;
constexpr u64 GID = 13;
constexpr u64 EGID = 14;
constexpr u64 PLATFORM = 15;
constexpr u64 HWCAP = 16;
constexpr u64 CLKTCK = 17;
constexpr u64 SECURE = 23;
constexpr u64 RANDOM = 25;
constexpr u64 HWCAP2 = 26;
constexpr u64 EXECFN = 31;
} // namespace auxv

// NetBSD's keys (sys/exec_elf.h) where they differ from Linux's.
namespace nb_auxv {
constexpr u64 STACKBASE = 13;
constexpr u64 EUID = 2000;
constexpr u64 RUID = 2001;
constexpr u64 EGID = 2002;
constexpr u64 RGID = 2003;
constexpr u64 EXECNAME = 2014; // AT_SUN_EXECNAME
} // namespace nb_auxv

struct StackSpec {
    std::vector<std::string> argv;
    std::vector<std::string> envp;
    std::string execfn;
    std::array<u8, 16> random{};
    u64 hwcap = 0;
    u64 hwcap2 = 0;       // AT_HWCAP2 (Linux gives it on every arch)
    std::string platform; // AT_PLATFORM; empty: none
    // NetBSD: its AT_* keys, no AT_RANDOM, and struct ps_strings above the
    // strings (its address goes to a register at the entry point).
    bool netbsd = false;
};

struct InitialStack {
    u64 sp = 0;           // pointing at argc
    u64 ps_strings = 0;   // NetBSD only
    u64 random_bytes = 0; // where StackSpec::random went
};

// Writes strings, AT_RANDOM bytes, auxv, envp, argv and argc below stack_top
// and returns the initial stack pointer (16-byte aligned, pointing at argc).
std::optional<InitialStack> build_initial_stack(AddressSpace& memory, int word_size, u64 stack_top,
                                                const LoadedProgram& program,
                                                const StackSpec& spec);

} // namespace crossrt::kernel
