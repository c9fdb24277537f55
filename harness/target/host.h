// What the machine running crossrt is, in the target table's names.
#pragma once

#include <string>
#include <string_view>

namespace crossrt {

// amd64, 386, arm, arm64, or the kernel's machine name when crossrt has no name for it.
std::string host_arch();
std::string host_os(); // "linux": crossrt only runs on Linux hosts

// Whether the host's kernel may execute binaries of arch itself: its own
// arch, and 386 on amd64 (IA-32 emulation, which only an execve can confirm).
bool host_may_execute(std::string_view arch);

} // namespace crossrt
