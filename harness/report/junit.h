// The JUnit XML report: one <testsuite> per scenario, one <testcase> per cell;
// fail, timeout and error are all <failure> (type says which), skip is <skipped>.
#pragma once

#include "report/result.h"

#include <string>
#include <vector>

namespace crossrt {

std::string junit_report(const std::vector<CellResult>& results);

// Escapes for XML text and attributes, dropping what XML 1.0 cannot hold
// (control characters, invalid UTF-8) so that guest output cannot break it.
std::string xml_escape(const std::string& text);

} // namespace crossrt
