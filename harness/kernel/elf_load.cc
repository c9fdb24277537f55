#include "kernel/elf_load.h"

#include "target/elf_ident.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <gelf.h>
#include <iterator>
#include <libelf.h>
#include <map>
#include <memory>
#include <span>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

struct ElfEnder {
    void operator()(Elf* elf) const { elf_end(elf); }
};

int prot_of(GElf_Word flags) {
    int prot = 0;
    if ((flags & PF_R) != 0)
        prot |= kProtRead;
    if ((flags & PF_W) != 0)
        prot |= kProtWrite;
    if ((flags & PF_X) != 0)
        prot |= kProtExec;
    return prot;
}

} // namespace

ElfRead read_elf(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return {std::nullopt, fmt::format("cannot open {}: {}", path, std::strerror(errno))};
    std::vector<u8> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    ElfRead result = read_elf_bytes(path, std::move(bytes));
    if (result.image && access(path.c_str(), X_OK) != 0)
        return {std::nullopt, fmt::format("{} is not executable (no execute permission)", path)};
    return result;
}

ElfRead read_elf_bytes(const std::string& path, std::vector<u8> bytes) {
    ElfRead result;
    ElfIdentification ident = identify_elf_bytes(
        path, std::span<char>(reinterpret_cast<char*>(bytes.data()), bytes.size()));
    if (!ident.identity) {
        result.error = ident.error;
        return result;
    }
    if (ident.identity->has_interpreter && ident.identity->os != "linux") {
        result.error = fmt::format("{} is dynamically linked (PT_INTERP): the unicorn kernel's {} "
                                   "personality runs static executables only",
                                   path, ident.identity->os);
        return result;
    }
    ElfImage image;
    image.path = path;
    image.os = ident.identity->os;
    const std::string& arch = ident.identity->arch;
    image.arch = arch == "amd64" ? Arch::amd64 : arch == "386" ? Arch::i386 : Arch::arm;
    image.bytes = std::move(bytes);
    if (elf_version(EV_CURRENT) == EV_NONE) {
        result.error = "libelf is unusable";
        return result;
    }
    std::unique_ptr<Elf, ElfEnder> elf(
        elf_memory(reinterpret_cast<char*>(image.bytes.data()), image.bytes.size()));
    GElf_Ehdr header;
    if (!elf || gelf_getehdr(elf.get(), &header) == nullptr) {
        result.error = fmt::format("{}: not a readable ELF file", path);
        return result;
    }
    if (header.e_type != ET_EXEC && header.e_type != ET_DYN) {
        result.error = fmt::format("{} is not an executable", path);
        return result;
    }
    image.pie = header.e_type == ET_DYN;
    image.entry = header.e_entry;
    image.phoff = header.e_phoff;
    image.phentsize = header.e_phentsize;
    std::size_t count = 0;
    if (elf_getphdrnum(elf.get(), &count) != 0) {
        result.error = fmt::format("{}: cannot read the program headers", path);
        return result;
    }
    image.phnum = count;
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Phdr phdr;
        if (gelf_getphdr(elf.get(), static_cast<int>(i), &phdr) == nullptr)
            continue;
        if (phdr.p_type == PT_INTERP) {
            if (phdr.p_offset > image.bytes.size() ||
                phdr.p_filesz > image.bytes.size() - phdr.p_offset || phdr.p_filesz < 2) {
                result.error = fmt::format("{}: its PT_INTERP lies outside the file", path);
                return result;
            }
            // The path is NUL-terminated inside the segment.
            const char* text = reinterpret_cast<const char*>(image.bytes.data() + phdr.p_offset);
            image.interpreter.assign(text, strnlen(text, phdr.p_filesz));
            continue;
        }
        if (phdr.p_type != PT_LOAD || phdr.p_memsz == 0)
            continue;
        // As a subtraction: p_offset + p_filesz may wrap around.
        if (phdr.p_filesz > phdr.p_memsz || phdr.p_offset > image.bytes.size() ||
            phdr.p_filesz > image.bytes.size() - phdr.p_offset) {
            result.error = fmt::format("{}: PT_LOAD segment {} lies outside the file", path, i);
            return result;
        }
        image.segments.push_back(
            {phdr.p_vaddr, phdr.p_memsz, phdr.p_filesz, phdr.p_offset, prot_of(phdr.p_flags)});
    }
    if (image.segments.empty()) {
        result.error = fmt::format("{} has no PT_LOAD segment", path);
        return result;
    }
    result.image = std::move(image);
    return result;
}

namespace {

// "64 GiB", "1.5 MiB", "300 bytes": sizes in errors a person reads.
std::string size_text(u64 bytes) {
    constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024)
        return fmt::format("{} bytes", bytes);
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    for (value /= 1024; value >= 1024 && unit + 1 < std::size(units); value /= 1024)
        ++unit;
    return fmt::format("{:.4g} {}", value, units[unit]);
}

// Refuses segments that cannot fit before anything is allocated for them:
// a hostile p_memsz (64 GiB of bss) made the page map below gigabytes of
// host memory, and the run died of std::bad_alloc, long before map_fixed's
// cap would have said no.
bool segments_fit(const ElfImage& image, const AddressSpace& memory, u64 bias, std::string& error) {
    std::vector<std::pair<u64, u64>> spans; // page-aligned [start, end)
    for (const ElfSegment& segment : image.segments) {
        u64 start = segment.vaddr + bias;
        u64 end = start + segment.memsz;
        if (start < segment.vaddr || end < start || page_up(end) < end ||
            page_up(end) > memory.limit()) {
            error = fmt::format("{}: the PT_LOAD segment at {:#x} (p_memsz {:#x}, {}) lies outside "
                                "the guest's address space, which ends at {:#x}",
                                image.path, segment.vaddr, segment.memsz, size_text(segment.memsz),
                                memory.limit());
            return false;
        }
        if (segment.memsz > memory.cap_bytes()) {
            error = fmt::format("{}: the PT_LOAD segment at {:#x} needs {} of memory (p_memsz "
                                "{:#x}), more than the run's memory cap of {}",
                                image.path, segment.vaddr, size_text(segment.memsz), segment.memsz,
                                size_text(memory.cap_bytes()));
            return false;
        }
        spans.emplace_back(page_down(start), page_up(end));
    }
    // Together, counting a page two segments share once.
    std::sort(spans.begin(), spans.end());
    u64 total = 0;
    u64 covered = 0; // the end of what is counted so far
    for (const auto& [start, end] : spans) {
        u64 from = std::max(start, covered);
        if (end > from)
            total += end - from;
        covered = std::max(covered, end);
    }
    if (total > memory.cap_bytes()) {
        error = fmt::format("{}: the PT_LOAD segments need {} of memory together, more than the "
                            "run's memory cap of {}",
                            image.path, size_text(total), size_text(memory.cap_bytes()));
        return false;
    }
    return true;
}

} // namespace

namespace {

// One ELF file's PT_LOAD segments at bias.
std::optional<LoadedProgram> load_segments(const ElfImage& image, AddressSpace& memory, u64 bias,
                                           std::string& error) {
    LoadedProgram program;
    program.bias = bias;
    if (!segments_fit(image, memory, program.bias, error))
        return std::nullopt;
    // Permissions per page: a page two segments share gets both.
    std::map<u64, int> page_prot;
    for (const ElfSegment& segment : image.segments) {
        u64 start = page_down(segment.vaddr + program.bias);
        u64 end = page_up(segment.vaddr + program.bias + segment.memsz);
        for (u64 page = start; page < end; page += kPageSize)
            page_prot[page] |= segment.prot;
        program.brk = std::max(program.brk, end);
    }
    // Map runs of pages with the same permissions, writable first.
    for (auto it = page_prot.begin(); it != page_prot.end();) {
        u64 start = it->first;
        u64 end = start;
        while (it != page_prot.end() && it->first == end) {
            end += kPageSize;
            ++it;
        }
        if (memory.map_fixed(start, end - start, kProtRead | kProtWrite, image.path) < 0) {
            error = fmt::format("{}: cannot map [{:#x}, {:#x})", image.path, start, end);
            return std::nullopt;
        }
    }
    for (const ElfSegment& segment : image.segments) {
        if (!memory.poke(segment.vaddr + program.bias, image.bytes.data() + segment.offset,
                         segment.filesz)) {
            error = fmt::format("{}: cannot copy a segment to {:#x}", image.path, segment.vaddr);
            return std::nullopt;
        }
    }
    // One mprotect per run of pages with equal permissions: a protect per
    // page would split a 4 MiB bss into a thousand Unicorn regions, which is
    // slow and, past TARGET_PAGE_SIZE sections (1024 on arm), aborts inside
    // Unicorn (phys_section_add).
    for (auto it = page_prot.begin(); it != page_prot.end();) {
        u64 start = it->first;
        u64 end = start;
        int prot = it->second;
        while (it != page_prot.end() && it->first == end && it->second == prot) {
            end += kPageSize;
            ++it;
        }
        memory.protect(start, end - start, prot);
    }
    program.entry = image.entry + program.bias;
    program.phent = image.phentsize;
    program.phnum = image.phnum;
    for (const ElfSegment& segment : image.segments) {
        if (image.phoff >= segment.offset && image.phoff < segment.offset + segment.filesz)
            program.phdr = segment.vaddr + program.bias + (image.phoff - segment.offset);
    }
    return program;
}

} // namespace

std::optional<LoadedProgram> load_elf(const ElfImage& image, AddressSpace& memory, u64 pie_base,
                                      std::string& error, u64 interpreter_base) {
    auto program = load_segments(image, memory, image.pie ? pie_base : 0, error);
    if (!program || !image.interpreter_image)
        return program;
    const ElfImage& interpreter = *image.interpreter_image;
    auto loaded = load_segments(interpreter, memory, interpreter.pie ? interpreter_base : 0, error);
    if (!loaded)
        return std::nullopt;
    program->interpreter_base = loaded->bias;
    program->interpreter_entry = loaded->entry;
    return program;
}

std::optional<InitialStack> build_initial_stack(AddressSpace& memory, int word_size, u64 stack_top,
                                                const LoadedProgram& program,
                                                const StackSpec& spec) {
    u64 sp = stack_top;
    // NetBSD: struct ps_strings { argv, nargv, envp, nenv } at the very top,
    // filled in once the arrays' addresses are known.
    u64 ps_strings = 0;
    if (spec.netbsd) {
        sp -= 4 * static_cast<u64>(word_size);
        ps_strings = sp;
    }
    auto push_bytes = [&](const void* data, std::size_t length) {
        sp -= length;
        return memory.write(sp, data, length);
    };
    auto push_string = [&](const std::string& text) -> std::optional<u64> {
        if (!push_bytes(text.c_str(), text.size() + 1))
            return std::nullopt;
        return sp;
    };
    auto execfn = push_string(spec.execfn);
    std::vector<u64> argv, envp;
    for (const std::string& arg : spec.argv) {
        auto at = push_string(arg);
        if (!at)
            return std::nullopt;
        argv.push_back(*at);
    }
    for (const std::string& entry : spec.envp) {
        auto at = push_string(entry);
        if (!at)
            return std::nullopt;
        envp.push_back(*at);
    }
    std::optional<u64> platform;
    if (!spec.platform.empty())
        platform = push_string(spec.platform);
    sp &= ~u64{15};
    if (!execfn || !push_bytes(spec.random.data(), spec.random.size()))
        return std::nullopt;
    u64 random = sp;

    std::vector<u64> words;
    words.push_back(argv.size());
    words.insert(words.end(), argv.begin(), argv.end());
    words.push_back(0);
    words.insert(words.end(), envp.begin(), envp.end());
    words.push_back(0);
    auto aux = [&](u64 key, u64 value) {
        words.push_back(key);
        words.push_back(value);
    };
    aux(auxv::PHDR, program.phdr);
    aux(auxv::PHENT, program.phent);
    aux(auxv::PHNUM, program.phnum);
    aux(auxv::PAGESZ, kPageSize);
    aux(auxv::BASE, program.interpreter_base);
    aux(auxv::FLAGS, 0);
    aux(auxv::ENTRY, program.entry);
    if (spec.netbsd) {
        aux(nb_auxv::STACKBASE, stack_top);
        aux(nb_auxv::EUID, 1000);
        aux(nb_auxv::RUID, 1000);
        aux(nb_auxv::EGID, 1000);
        aux(nb_auxv::RGID, 1000);
        aux(nb_auxv::EXECNAME, *execfn);
    } else {
        aux(auxv::UID, 1000);
        aux(auxv::EUID, 1000);
        aux(auxv::GID, 1000);
        aux(auxv::EGID, 1000);
        aux(auxv::CLKTCK, 100);
        aux(auxv::SECURE, 0);
        if (spec.hwcap != 0)
            aux(auxv::HWCAP, spec.hwcap);
        aux(auxv::HWCAP2, spec.hwcap2);
        if (platform)
            aux(auxv::PLATFORM, *platform);
        aux(auxv::RANDOM, random);
        aux(auxv::EXECFN, *execfn);
    }
    aux(auxv::NUL, 0);

    u64 size = words.size() * static_cast<u64>(word_size);
    sp = (sp - size) & ~u64{15};
    std::vector<u8> block(size);
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (word_size == 8) {
            std::memcpy(block.data() + i * 8, &words[i], 8);
        } else {
            u32 word = static_cast<u32>(words[i]);
            std::memcpy(block.data() + i * 4, &word, 4);
        }
    }
    if (!memory.write(sp, block.data(), block.size()))
        return std::nullopt;
    InitialStack result{sp, ps_strings, random};
    if (spec.netbsd) {
        auto word = static_cast<u64>(word_size);
        u64 argv_at = sp + word;
        u64 envp_at = argv_at + (argv.size() + 1) * word;
        u64 fields[4] = {argv_at, argv.size(), envp_at, envp.size()};
        for (u64 i = 0; i < 4; ++i) {
            bool ok = word_size == 8
                          ? memory.write_value(ps_strings + i * 8, fields[i])
                          : memory.write_value(ps_strings + i * 4, static_cast<u32>(fields[i]));
            if (!ok)
                return std::nullopt;
        }
    }
    return result;
}

} // namespace crossrt::kernel
