// The JSON report: {"results": [{scenario, arch, os, backend, variant, verdict, duration_s, cpu_s,
// detail, emulator (when the backend runs one, e.g. "qemu-i386 10.0.2"), seed and seeds_tried
// (seeded backends), repeat_command, trace and timeline (when written)}], "sandbox": {...}}
#pragma once

#include "report/result.h"

#include <map>
#include <string>
#include <vector>

namespace crossrt {

// sandbox: how the guests were contained ("memory_cap": "cgroup v1 ...", ...),
// as `crossrt sandbox` prints it; left out when empty.
std::string json_report(const std::vector<CellResult>& results,
                        const std::map<std::string, std::string>& sandbox = {});

} // namespace crossrt
