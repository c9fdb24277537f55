// `crossrt doctor`: what this host has of what crossrt needs (emulators,
// cross compilers, Go, the sandbox's kernel features, tools), and for each
// missing piece what it costs and the command that installs it.
#pragma once

#include "cli/context.h"

#include <string>
#include <vector>

namespace crossrt {

struct HostCheck {
    std::string name;     // "qemu-arm", "user namespaces"
    std::string found;    // what is there: "QEMU 10.0.2 (/usr/bin/qemu-arm)"
    std::string problem;  // why it does not do: missing, too old; empty when it does
    std::string costs;    // what the problem costs: cells, tests, containment
    std::string fix;      // the command that fixes it
    bool required = true; // a problem here fails the doctor (and ci/test)
};

// Every check, in a fixed order. `suite` gives the cells a problem costs;
// null when the scenarios did not load (the costs then say so).
std::vector<HostCheck> check_host(const Suite* suite);

} // namespace crossrt
