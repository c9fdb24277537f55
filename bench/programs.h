// The bench's second half: real programs and sweeps. A Go program
// (guest/goprog) and Go std test binaries (`go test -c`, run with
// -test.short), built here for each arch with the Debian Go toolchain, run
// natively (amd64), under qemu-user and through crossrt's unicorn backend;
// and a seed sweep from one boot against one process per seed.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct ProgramOptions {
    std::vector<std::string> arches;
    int repeat = 3;
    std::string crossrt;   // the crossrt executable
    std::string build_dir; // crossrt's build (targets/ for the sweep's cell)
    std::string work_dir;  // where the Go binaries are built (and cached)
    std::string goprog_source;
    std::string goprog_n = "100000";
    std::vector<std::string> test_packages{"sort", "strings"};
    int sweep_seeds = 20;
};

// Prints the tables; 1 when a backend's output differed from the others'.
int programs(const ProgramOptions& options);

} // namespace bench
