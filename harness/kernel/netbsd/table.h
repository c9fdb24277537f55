// The NetBSD personality as data: every system call number with its name
// (syscall_names.cc, from NetBSD's machine-independent syscalls.master, so
// one list serves amd64, 386 and arm), joined with what crossrt implements
// (handlers.cc). The table machinery is posix/'s (syscall_table.h);
// handlers return -errno in NetBSD numbers.
#pragma once

#include "kernel/posix/syscall_table.h"

#include <memory>
#include <string>
#include <vector>

namespace crossrt::kernel::nbsd {

using posix::Handler;
using posix::Implementation;
using posix::Support;
using posix::SyscallName;
using posix::SysResult;

const std::vector<SyscallName>& syscall_names();
const std::vector<Implementation>& implementations();
std::unique_ptr<posix::SyscallTable> make_syscall_table(Arch arch);

// docs/netbsd-syscalls.md.
std::string compatibility_markdown();

} // namespace crossrt::kernel::nbsd
