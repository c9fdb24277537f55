#include "backend/binfmt_misc.h"

#include "target/elf_ident.h"

#include <cerrno>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mount.h>
#include <unistd.h>

namespace crossrt {
namespace {

// The longest mount point's register file path.
constexpr std::size_t kMaxPath = 256;

std::string escaped(const std::string& bytes) {
    std::string text;
    for (unsigned char byte : bytes)
        text += fmt::format("\\x{:02x}", byte);
    return text;
}

} // namespace

std::optional<BinfmtInterpreter> qemu_interpreter(std::string_view arch,
                                                  const std::string& qemu_path) {
    std::optional<ElfMachine> elf = elf_machine_of(arch);
    if (!elf)
        return std::nullopt;
    // e_ident, then e_type and e_machine (little-endian: crossrt's arches
    // are), as qemu's own qemu-binfmt-conf.sh matches them: any OS ABI
    // (Linux binaries say SYSV or GNU), the rest of e_ident zero, and
    // e_type's mask takes both ET_EXEC (2) and ET_DYN (3).
    std::string magic = {'\x7f', 'E', 'L', 'F'};
    std::string mask(4, '\xff');
    magic += static_cast<char>(elf->elf_class == 64 ? ELFCLASS64 : ELFCLASS32);
    magic += static_cast<char>(ELFDATA2LSB);
    magic += static_cast<char>(EV_CURRENT);
    mask += "\xff\xff\xff";
    magic += std::string(EI_NIDENT - EI_OSABI, '\0');
    mask += '\0'; // EI_OSABI
    mask += std::string(EI_NIDENT - EI_ABIVERSION, '\xff');
    magic += {static_cast<char>(ET_EXEC), '\0'};
    mask += {'\xfe', '\xff'};
    magic += {static_cast<char>(elf->machine & 0xff), static_cast<char>(elf->machine >> 8)};
    mask += {'\xff', '\xff'};
    return BinfmtInterpreter{fmt::format("crossrt-qemu-{}", arch), magic, mask, qemu_path};
}

std::string register_line(const BinfmtInterpreter& interpreter) {
    return fmt::format(":{}:M::{}:{}:{}:PF", interpreter.name, escaped(interpreter.magic),
                       escaped(interpreter.mask), interpreter.interpreter);
}

bool register_interpreters(const char* mount_point, const std::vector<std::string>& lines,
                           const char** failed) noexcept {
    constexpr unsigned long kFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    *failed = "mounting binfmt_misc";
    if (mount("binfmt_misc", mount_point, "binfmt_misc", kFlags, nullptr) != 0)
        return false;
    char register_path[kMaxPath];
    std::size_t length = std::strlen(mount_point);
    constexpr char kRegister[] = "/register";
    if (length + sizeof kRegister > sizeof register_path) {
        errno = ENAMETOOLONG;
        return false;
    }
    std::memcpy(register_path, mount_point, length);
    std::memcpy(register_path + length, kRegister, sizeof kRegister);
    for (const std::string& line : lines) {
        *failed = line.c_str();
        int fd = open(register_path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return false;
        // One write per entry: the kernel parses each write as a whole.
        bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
        int error = errno;
        close(fd);
        errno = error;
        if (!written)
            return false;
    }
    // Nothing may change the registrations from here on, not even a
    // process that held capabilities in this namespace.
    *failed = "making binfmt_misc read-only";
    return mount(nullptr, mount_point, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | kFlags,
                 nullptr) == 0;
}

} // namespace crossrt
