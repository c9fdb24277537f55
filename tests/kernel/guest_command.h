// `crossrt unicorn-guest REQUEST` as a shell command, for the tests that run
// real guest binaries through the guest process exactly as the unicorn
// backend does: the request is built and encoded by the guest protocol.
#pragma once

#include "backend/guest_protocol.h"

#include <filesystem>
#include <string>
#include <vector>

namespace crossrt::kernel::test {

// The request's argv becomes {binary, args...}; no report fd, so a harness
// verdict is a line on stderr and the exit status is the guest's (125 for a
// verdict).
std::string unicorn_guest_command(GuestRequest request, const std::filesystem::path& binary,
                                  const std::vector<std::string>& args = {});

} // namespace crossrt::kernel::test
