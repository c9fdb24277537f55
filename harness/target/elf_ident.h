// Reads an ELF header to learn which target a binary is for (crossrt exec).
#pragma once

#include <optional>
#include <string>

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

// Never throws: every refusal is a readable sentence naming the file.
ElfIdentification identify_elf(const std::string& path);

} // namespace crossrt
