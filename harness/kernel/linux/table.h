// The Linux personality as data: per arch, every system call number with its
// name (table_linux_<arch>.cc, generated from the kernel's UAPI headers), joined
// with what crossrt implements (handlers.cc): handler, support level, note.
// The table machinery is posix/'s (syscall_table.h).
#pragma once

#include "kernel/posix/syscall_table.h"

#include <string>
#include <vector>

namespace crossrt::kernel::lnx {

using posix::Handler;
using posix::Implementation;
using posix::kAllArches;
using posix::kAmd64;
using posix::kArm;
using posix::kI386;
using posix::Support;
using posix::support_name;
using posix::SyscallEntry;
using posix::SyscallName;
using posix::SysResult;

const std::vector<SyscallName>& syscall_names_amd64();
const std::vector<SyscallName>& syscall_names_i386();
const std::vector<SyscallName>& syscall_names_arm();

// Every implemented (or deliberately answered) call, by name (handlers.cc).
const std::vector<Implementation>& implementations();

// The Linux table of one arch: its numbers joined with implementations().
class SyscallTable : public posix::SyscallTable {
public:
    explicit SyscallTable(Arch arch);
};

// docs/linux-syscalls.md: one table per arch, generated from the above.
std::string compatibility_markdown();

} // namespace crossrt::kernel::lnx
