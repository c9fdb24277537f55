// What the machine running crossrt is, in the target table's names.
#pragma once

#include <string>

namespace crossrt {

// amd64, 386, arm, arm64, or the kernel's machine name when crossrt has no name for it.
std::string host_arch();
std::string host_os(); // "linux": crossrt only runs on Linux hosts

} // namespace crossrt
