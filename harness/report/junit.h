// The JUnit XML report: one <testsuite> per scenario, one <testcase> per cell.
// As JUnit's consumers (Jenkins, GitLab, Azure DevOps) read the elements: a
// cell that ran and did not do what it must (fail, timeout, budget, xpass) is
// a <failure> whose type says which; one that could not be run or judged
// (error: a binary not built, an emulator that died, an interrupt) is an
// <error>; skip (a cell an interrupt kept from starting among them) and xfail
// are <skipped>. Each <testcase> has <properties>: backend, arch, os, the
// emulator and its version (when the backend runs one), the seed (seeded
// backends; "default" for the kernel's) and the command that repeats it.
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
