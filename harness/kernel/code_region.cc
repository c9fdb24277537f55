#include "kernel/code_region.h"

#include "kernel/abi/disassembler.h"

#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>

namespace crossrt::kernel {
namespace {

struct ElfEnder {
    void operator()(Elf* elf) const { elf_end(elf); }
};

struct Symbol {
    u64 value = 0; // Thumb bit cleared
    u64 size = 0;
    bool thumb = false;
};

// The symbol table's entry for `name` (a defined symbol; .symtab, else .dynsym).
std::optional<Symbol> find_symbol(Elf* elf, Arch arch, const std::string& name) {
    for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr;
         section = elf_nextscn(elf, section)) {
        GElf_Shdr header;
        if (gelf_getshdr(section, &header) == nullptr ||
            (header.sh_type != SHT_SYMTAB && header.sh_type != SHT_DYNSYM) ||
            header.sh_entsize == 0)
            continue;
        Elf_Data* data = elf_getdata(section, nullptr);
        if (data == nullptr)
            continue;
        std::size_t count = header.sh_size / header.sh_entsize;
        for (std::size_t i = 0; i < count; ++i) {
            GElf_Sym symbol;
            if (gelf_getsym(data, static_cast<int>(i), &symbol) == nullptr ||
                symbol.st_shndx == SHN_UNDEF)
                continue;
            const char* text = elf_strptr(elf, header.sh_link, symbol.st_name);
            if (text == nullptr || name != text)
                continue;
            // On arm a Thumb function's value has bit 0 set; the code is at
            // the even address.
            bool thumb = arch == Arch::arm && GELF_ST_TYPE(symbol.st_info) == STT_FUNC &&
                         (symbol.st_value & 1) != 0;
            return Symbol{symbol.st_value & ~u64{thumb ? 1u : 0u}, symbol.st_size, thumb};
        }
    }
    return std::nullopt;
}

// The file bytes of [begin, end), when one executable segment holds them.
const u8* code_bytes(const ElfImage& image, u64 begin, u64 end) {
    for (const ElfSegment& segment : image.segments) {
        if ((segment.prot & kProtExec) == 0 || begin < segment.vaddr ||
            end > segment.vaddr + segment.filesz)
            continue;
        return image.bytes.data() + segment.offset + (begin - segment.vaddr);
    }
    return nullptr;
}

Disassembler::Mode mode_of(Arch arch, bool thumb) {
    switch (arch) {
    case Arch::amd64:
        return Disassembler::Mode::x86_64;
    case Arch::i386:
        return Disassembler::Mode::x86_32;
    case Arch::arm:
        break;
    }
    return thumb ? Disassembler::Mode::thumb : Disassembler::Mode::arm;
}

} // namespace

std::optional<CodeRegion> resolve_region(const ElfImage& image, const SignalSweepSpec& spec,
                                         std::string& error) {
    if (image.pie) {
        error = fmt::format("--signal-sweep {}: {} is static-PIE, whose symbols move with its "
                            "load address; sweeps take ET_EXEC binaries only",
                            spec.text, image.path);
        return std::nullopt;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        error = "libelf is unusable";
        return std::nullopt;
    }
    std::unique_ptr<Elf, ElfEnder> elf(elf_memory(
        reinterpret_cast<char*>(const_cast<u8*>(image.bytes.data())), image.bytes.size()));
    if (!elf) {
        error = fmt::format("{}: not a readable ELF file", image.path);
        return std::nullopt;
    }
    bool thumb = false;
    auto value_of = [&](const RegionEnd& end, bool is_start) -> std::optional<Symbol> {
        if (end.address)
            return Symbol{*end.address, 0, false};
        auto symbol = find_symbol(elf.get(), image.arch, end.symbol);
        if (!symbol) {
            error = fmt::format("--signal-sweep {}: {} has no symbol '{}'", spec.text, image.path,
                                end.symbol);
            return std::nullopt;
        }
        if (is_start)
            thumb = symbol->thumb;
        return symbol;
    };
    auto first = value_of(spec.first, true);
    if (!first)
        return std::nullopt;
    CodeRegion region;
    region.begin = first->value;
    if (spec.last) {
        auto last = value_of(*spec.last, false);
        if (!last)
            return std::nullopt;
        region.end = last->value;
    } else {
        if (first->size == 0) {
            error = fmt::format("--signal-sweep {}: the symbol '{}' of {} has no size; give a "
                                "range (SIG@BEGIN-END)",
                                spec.text, spec.first.symbol, image.path);
            return std::nullopt;
        }
        region.end = first->value + first->size;
    }
    if (region.end <= region.begin) {
        error = fmt::format("--signal-sweep {}: the region [{:#x}, {:#x}) is empty", spec.text,
                            region.begin, region.end);
        return std::nullopt;
    }
    const u8* bytes = code_bytes(image, region.begin, region.end);
    if (bytes == nullptr) {
        error = fmt::format("--signal-sweep {}: [{:#x}, {:#x}) is not inside one executable "
                            "segment of {}",
                            spec.text, region.begin, region.end, image.path);
        return std::nullopt;
    }
    std::string where = spec.text.substr(spec.text.find('@') + 1);
    region.name = fmt::format("{} [{:#x}, {:#x})", where, region.begin, region.end);
    Disassembler disassembler(mode_of(image.arch, thumb), false);
    bool whole = disassembler.decode(bytes, region.end - region.begin, region.begin,
                                     [&](const cs_insn& instruction) {
                                         std::string text = instruction.mnemonic;
                                         if (instruction.op_str[0] != '\0')
                                             text += fmt::format(" {}", instruction.op_str);
                                         region.instructions.push_back({instruction.address, text});
                                     });
    if (!whole) {
        error = fmt::format("--signal-sweep {}: Capstone cannot decode [{:#x}, {:#x}) of {} as "
                            "instructions (a bad range, or data in it) after {:#x}",
                            spec.text, region.begin, region.end, image.path,
                            region.instructions.empty() ? region.begin
                                                        : region.instructions.back().address);
        return std::nullopt;
    }
    return region;
}

} // namespace crossrt::kernel
