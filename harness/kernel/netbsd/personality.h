// The NetBSD personality as the NetBSD handlers see it: the arch's NetBSD
// conventions (abi/netbsd.h) of the process they run in.
#pragma once

#include "kernel/abi/netbsd.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::nbsd {

// The NetBSD ABI of a process whose personality is NetBSD's.
const NetbsdAbi& netbsd_abi(const Process& process);

} // namespace crossrt::kernel::nbsd
