// What the machine running crossrt is, in the target table's names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

// amd64, 386, arm, arm64, or the kernel's machine name when crossrt has no name for it.
std::string host_arch();
std::string host_os(); // "linux": crossrt only runs on Linux hosts

// The arches of the hosts crossrt builds and runs on: x86-64 Linux only.
// The amd64 target is built with the host's own gcc
// (targets/toolchain-amd64-linux.cmake) and the guests' seccomp filter
// names the x86 ABIs (backend/seccomp_filter.cc): on any other host the
// build or the sandbox would have to change first, and then this list.
const std::vector<std::string>& supported_host_arches();

// Whether a host of arch `host` may execute binaries of arch itself: its
// own arch, and 386 on amd64 (IA-32 emulation, which only an execve can
// confirm).
bool arch_may_execute(std::string_view host, std::string_view arch);

// arch_may_execute for this host.
bool host_may_execute(std::string_view arch);

} // namespace crossrt
