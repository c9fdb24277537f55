// The Linux personality as the Linux handlers see it: the arch's Linux ABI
// (abi/linux.h) of the process they run in.
#pragma once

#include "kernel/abi/linux.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::lnx {

// The Linux ABI of a process whose personality is Linux's.
const LinuxAbi& linux_abi(const Process& process);

} // namespace crossrt::kernel::lnx
