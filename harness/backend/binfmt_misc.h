// binfmt_misc in the sandbox's own user namespace: qemu-user registered as
// the interpreter of a foreign arch's executables, so that a qemu guest's
// execve of a binary of its own arch (Go's tests re-execute themselves) runs
// under qemu again instead of failing with ENOEXEC.
//
// Since Linux 6.7 every user namespace may mount a binfmt_misc instance of
// its own (the first mount makes it); the kernel looks a binary up in the
// instance of the executing process's user namespace or, without one, of the
// nearest ancestor's, and before its own ELF loader. The namespace's init
// mounts one at the guest's /proc/sys/fs/binfmt_misc, registers the
// interpreters and makes the mount read-only; it vanishes with the
// namespace, and the host's registrations are neither used nor touched.
// The instance's files belong to the namespace's uid 0, which must be mapped
// for anyone to register (user_namespace.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct BinfmtInterpreter {
    std::string name;        // the entry's name: "crossrt-qemu-arm"
    std::string magic;       // the header bytes it matches ...
    std::string mask;        // ... under this mask (as long as magic)
    std::string interpreter; // an absolute path
};

// qemu_path as the interpreter of arch's ELF executables, static or dynamic
// (the header's class, byte order, version, type and machine; any OS ABI);
// nullopt for an arch crossrt cannot name in ELF terms.
std::optional<BinfmtInterpreter> qemu_interpreter(std::string_view arch,
                                                  const std::string& qemu_path);

// What the register file takes for it: ":name:M::magic:mask:interpreter:PF",
// bytes as \xNN. P: the guest's argv[0] stays its own (the kernel tells
// qemu-user so with AT_FLAGS_PRESERVE_ARGV0, which qemu reads since 5.2);
// F: the interpreter is opened now, by init, so that it need not be visible
// to the guest at exec time. No O or C: the guest's credentials stay its
// own, whatever the binary's mode.
std::string register_line(const BinfmtInterpreter& interpreter);

// init, with CAP_SYS_ADMIN in the user namespace that owns its mount
// namespace and as that namespace's uid 0: mounts binfmt_misc at mount_point
// (an existing directory), writes each line to its register file, then makes
// the mount read-only. False with errno set and *failed the step or line.
// Only system calls: init is a fork of a multi-threaded crossrt.
bool register_interpreters(const char* mount_point, const std::vector<std::string>& lines,
                           const char** failed) noexcept;

} // namespace crossrt
