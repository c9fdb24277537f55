// The TAP report (Test Anything Protocol, version 13): one test point per
// cell, in run order. pass is "ok"; skip is "ok ... # SKIP reason"; xfail,
// a known failure, is "not ok ... # TODO reason" (TAP's expected failure);
// every other failure verdict, xpass included, is "not ok". Each point but
// a pass carries a YAML block with the verdict, the detail and the command
// that repeats the cell.
#pragma once

#include "report/result.h"

#include <string>
#include <vector>

namespace crossrt {

std::string tap_report(const std::vector<CellResult>& results);

} // namespace crossrt
