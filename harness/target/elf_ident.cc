#include "target/elf_ident.h"

#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <span>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace crossrt {
namespace {

struct FdCloser {
    int fd;
    ~FdCloser() {
        if (fd >= 0)
            close(fd);
    }
};

struct ElfEnder {
    void operator()(Elf* elf) const { elf_end(elf); }
};

// The arches crossrt knows, as an ELF header names them.
struct ArchMachine {
    const char* arch;
    ElfMachine elf;
};
constexpr ArchMachine kArchMachines[] = {
    {"amd64", {64, EM_X86_64}},
    {"386", {32, EM_386}},
    {"arm", {32, EM_ARM}},
};

std::optional<std::string> arch_of_machine(GElf_Half machine) {
    for (const ArchMachine& known : kArchMachines) {
        if (known.elf.machine == machine)
            return known.arch;
    }
    return std::nullopt;
}

const char* machine_name(GElf_Half machine) {
    switch (machine) {
    case EM_AARCH64:
        return "aarch64";
    case EM_RISCV:
        return "riscv";
    case EM_PPC:
        return "powerpc";
    case EM_PPC64:
        return "powerpc64";
    case EM_MIPS:
        return "mips";
    case EM_S390:
        return "s390";
    case EM_SPARC:
        return "sparc";
    default:
        return "unknown";
    }
}

const char* type_name(GElf_Half type) {
    switch (type) {
    case ET_REL:
        return "a relocatable object";
    case ET_CORE:
        return "a core dump";
    case ET_NONE:
        return "of no type";
    default:
        return "of an unknown type";
    }
}

// NetBSD binaries carry ELFOSABI_SYSV like Linux ones; the reliable mark is the
// .note.netbsd.ident note (name "NetBSD", type 1).
bool has_netbsd_note(Elf* elf) {
    Elf_Scn* section = nullptr;
    while ((section = elf_nextscn(elf, section)) != nullptr) {
        GElf_Shdr header;
        if (gelf_getshdr(section, &header) == nullptr || header.sh_type != SHT_NOTE)
            continue;
        Elf_Data* data = elf_getdata(section, nullptr);
        if (data == nullptr)
            continue;
        std::size_t offset = 0;
        GElf_Nhdr note;
        std::size_t name_offset = 0;
        std::size_t desc_offset = 0;
        while ((offset = gelf_getnote(data, offset, &note, &name_offset, &desc_offset)) > 0) {
            const char* base = static_cast<const char*>(data->d_buf);
            if (note.n_type == 1 && note.n_namesz == 7 &&
                std::memcmp(base + name_offset, "NetBSD", 7) == 0) {
                return true;
            }
        }
    }
    return false;
}

bool has_interpreter(Elf* elf) {
    std::size_t count = 0;
    if (elf_getphdrnum(elf, &count) != 0)
        return false;
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Phdr header;
        if (gelf_getphdr(elf, static_cast<int>(i), &header) != nullptr &&
            header.p_type == PT_INTERP) {
            return true;
        }
    }
    return false;
}

const char* segment_type_name(GElf_Word type) {
    switch (type) {
    case PT_LOAD:
        return "PT_LOAD";
    case PT_INTERP:
        return "PT_INTERP";
    case PT_DYNAMIC:
        return "PT_DYNAMIC";
    case PT_NOTE:
        return "PT_NOTE";
    case PT_TLS:
        return "PT_TLS";
    case PT_PHDR:
        return "PT_PHDR";
    default:
        return "a segment";
    }
}

// The same checks on a file's bytes (libelf reads them in place).
std::optional<std::string> defect_of(const std::string& path, std::span<char> bytes) {
    std::uint64_t size = bytes.size();
    if (size < SELFMAG || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
        return std::nullopt; // not ELF: identify_elf's to say
    // Before EI_CLASS is known (a file of fewer bytes), the smaller header.
    std::uint64_t header_size =
        size > EI_CLASS && bytes[EI_CLASS] == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    std::string incomplete = fmt::format("{} is not a complete ELF file", path);
    if (size < header_size) {
        return fmt::format("{}: it has {} bytes, less than its {}-byte ELF header (truncated?)",
                           incomplete, size, header_size);
    }
    std::unique_ptr<Elf, ElfEnder> elf(elf_memory(bytes.data(), bytes.size()));
    GElf_Ehdr header;
    if (!elf || gelf_getehdr(elf.get(), &header) == nullptr)
        return fmt::format("{} is not a valid ELF file: {}", path, elf_errmsg(-1));
    // e_phnum as written: libelf's elf_getphdrnum clamps it to what fits in
    // the file, which would hide exactly the headers a cut took away.
    std::size_t count = header.e_phnum;
    if (count == PN_XNUM && elf_getphdrnum(elf.get(), &count) != 0)
        return fmt::format("{} is not a valid ELF file: {}", path, elf_errmsg(-1));
    if (count == 0)
        return std::nullopt;
    // No overflow when e_phoff is within the file: the table's size is
    // below 2^48 (a 16-bit entry size, a 32-bit count).
    std::uint64_t table_end = header.e_phoff > size
                                  ? header.e_phoff
                                  : header.e_phoff + std::uint64_t{header.e_phentsize} * count;
    if (table_end > size) {
        return fmt::format("{}: its {} program headers end at byte {}, but the file has {} bytes "
                           "(truncated?)",
                           incomplete, count, table_end, size);
    }
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Phdr phdr;
        if (gelf_getphdr(elf.get(), static_cast<int>(i), &phdr) == nullptr)
            return fmt::format("{}: program header {} is unreadable: {}", incomplete, i,
                               elf_errmsg(-1));
        if (phdr.p_offset > size || phdr.p_filesz > size - phdr.p_offset) {
            return fmt::format("{}: program header {} ({}) needs bytes up to {} (p_offset {:#x}, "
                               "p_filesz {:#x}), but the file has {} bytes (truncated?)",
                               incomplete, i, segment_type_name(phdr.p_type),
                               phdr.p_offset + phdr.p_filesz, phdr.p_offset, phdr.p_filesz, size);
        }
        if (phdr.p_type == PT_LOAD && phdr.p_filesz > phdr.p_memsz) {
            return fmt::format("{} is not a valid ELF file: program header {} (PT_LOAD) has more "
                               "file bytes ({:#x}) than memory ({:#x})",
                               path, i, phdr.p_filesz, phdr.p_memsz);
        }
    }
    return std::nullopt;
}

// The whole file, or nullopt with errno set.
std::optional<std::vector<char>> read_whole(const std::string& path) {
    FdCloser file{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    struct stat status;
    if (file.fd < 0 || fstat(file.fd, &status) != 0)
        return std::nullopt;
    std::vector<char> bytes;
    bytes.reserve(static_cast<std::size_t>(status.st_size));
    char buffer[1 << 16];
    ssize_t count = 0;
    while ((count = read(file.fd, buffer, sizeof buffer)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + count);
    if (count < 0)
        return std::nullopt;
    return bytes;
}

} // namespace

std::optional<std::string> elf_defect(const std::string& path) {
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fmt::format("libelf is unusable: {}", elf_errmsg(-1));
    std::optional<std::vector<char>> bytes = read_whole(path);
    if (!bytes)
        return std::nullopt; // unreadable: identify_elf and execve say why
    return defect_of(path, *bytes);
}

ElfIdentification identify_elf(const std::string& path) {
    std::optional<std::vector<char>> bytes = read_whole(path);
    if (!bytes)
        return {std::nullopt, fmt::format("cannot open {}: {}", path, std::strerror(errno))};
    ElfIdentification result = identify_elf_bytes(path, *bytes);
    if (result.identity && access(path.c_str(), X_OK) != 0)
        return {std::nullopt, fmt::format("{} is not executable (no execute permission)", path)};
    return result;
}

ElfIdentification identify_elf_bytes(const std::string& path, std::span<char> bytes) {
    if (elf_version(EV_CURRENT) == EV_NONE)
        return {std::nullopt, fmt::format("libelf is unusable: {}", elf_errmsg(-1))};
    // A file cut short first: libelf would only say that the header is unreadable.
    if (auto defect = defect_of(path, bytes))
        return {std::nullopt, *defect};
    std::unique_ptr<Elf, ElfEnder> elf(elf_memory(bytes.data(), bytes.size()));
    if (!elf || elf_kind(elf.get()) != ELF_K_ELF)
        return {std::nullopt, fmt::format("{} is not an ELF file", path)};
    GElf_Ehdr header;
    if (gelf_getehdr(elf.get(), &header) == nullptr)
        return {std::nullopt, fmt::format("{}: unreadable ELF header: {}", path, elf_errmsg(-1))};
    if (header.e_type != ET_EXEC && header.e_type != ET_DYN)
        return {std::nullopt,
                fmt::format("{} is not an executable (it is {})", path, type_name(header.e_type))};
    auto arch = arch_of_machine(header.e_machine);
    if (!arch) {
        return {std::nullopt,
                fmt::format("{} is for machine {} (e_machine {}), which crossrt cannot run", path,
                            machine_name(header.e_machine), header.e_machine)};
    }
    ElfIdentity identity;
    identity.arch = *arch;
    identity.elf_class = header.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
    identity.os = header.e_ident[EI_OSABI] == ELFOSABI_NETBSD || has_netbsd_note(elf.get())
                      ? "netbsd"
                      : "linux";
    identity.has_interpreter = has_interpreter(elf.get());
    return {identity, ""};
}

std::optional<ElfMachine> elf_machine_of(std::string_view arch) {
    for (const ArchMachine& known : kArchMachines) {
        if (arch == known.arch)
            return known.elf;
    }
    return std::nullopt;
}

} // namespace crossrt
