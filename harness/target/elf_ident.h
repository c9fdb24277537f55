// Reads an ELF header to learn which target a binary is for (crossrt exec).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace crossrt {

struct ElfIdentity {
    std::string arch;             // amd64, 386, arm
    std::string os;               // linux or netbsd
    int elf_class = 0;            // 32 or 64
    bool has_interpreter = false; // a dynamic executable (PT_INTERP)
};

struct ElfIdentification {
    std::optional<ElfIdentity> identity;
    std::string error; // why the file cannot be run, when identity is empty
};

// Never throws: every refusal is a readable sentence naming the file. A
// file cut short (elf_defect) is refused too.
ElfIdentification identify_elf(const std::string& path);
// The same for a file's bytes (a file the unicorn kernel's guest wrote),
// named `path` in the sentences; no execute permission is checked. libelf
// reads the bytes in place.
ElfIdentification identify_elf_bytes(const std::string& path, std::span<char> bytes);

// What a loader would find missing or impossible in the ELF file at path: a
// header cut short, program headers past the end of the file, a segment's
// file bytes past it, a PT_LOAD with more file bytes than memory. The
// sentence names the file. nullopt when the headers keep their promises,
// or when the file is not ELF at all (identify_elf says that).
std::optional<std::string> elf_defect(const std::string& path);

// How an ELF header names an arch's executables: EI_CLASS (32 or 64 bits)
// and e_machine (EM_ARM, ...). nullopt for an arch crossrt does not know.
struct ElfMachine {
    int elf_class = 0;
    int machine = 0;
};
std::optional<ElfMachine> elf_machine_of(std::string_view arch);

} // namespace crossrt
