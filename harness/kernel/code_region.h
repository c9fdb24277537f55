// A signal sweep's region in the binary: a symbol's extent or a range whose
// ends are addresses or symbols, from the ELF symbol table (libelf), and
// its instructions as Capstone decodes them from the file's bytes.
#pragma once

#include "base/signal_sweep.h"
#include "kernel/elf_load.h"

#include <optional>
#include <string>

namespace crossrt::kernel {

struct CodeRegion {
    u64 begin = 0; // [begin, end), Thumb bit cleared
    u64 end = 0;
    std::string name; // "foreign_clobber_loop [0x10a30, 0x10a6c)"
    std::vector<RegionInstruction> instructions;
};

// Nothing, and why (naming the spec and the binary), when a symbol is not
// in the binary, has no size where one is needed, the range is empty or
// lies outside the executable segments.
std::optional<CodeRegion> resolve_region(const ElfImage& image, const SignalSweepSpec& spec,
                                         std::string& error);

} // namespace crossrt::kernel
