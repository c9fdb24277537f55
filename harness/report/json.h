// The JSON report: {"results": [{scenario, arch, os, backend, variant, verdict, duration_s, cpu_s,
// detail, emulator (when the backend runs one, e.g. "qemu-i386 10.0.2")}]}
#pragma once

#include "report/result.h"

#include <string>
#include <vector>

namespace crossrt {

std::string json_report(const std::vector<CellResult>& results);

} // namespace crossrt
