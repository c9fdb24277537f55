// The sandboxed process runner shared by the native and qemu backends: a
// hostile guest gets a private temp dir, its own pid/net/mount namespaces
// (or at least its own session), Landlock, rlimits, an output cap and a
// wall-clock limit.
#pragma once

#include "base/outcome.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace crossrt {

struct Limits {
    std::size_t output_bytes = 4u << 20;     // per stream, capture mode only
    std::uint64_t memory_bytes = 1ull << 30; // RLIMIT_DATA
    std::uint64_t file_bytes = 64ull << 20;  // RLIMIT_FSIZE
};

enum class IoMode {
    capture,     // stdin /dev/null, stdout and stderr stored in the outcome
    passthrough, // the guest writes to crossrt's stdout and stderr (exec)
};

struct SandboxRequest {
    std::vector<std::string> argv;          // argv[0] is the program to execve (a path)
    std::map<std::string, std::string> env; // added to (or replacing) the base environment
    double timeout_s = 0;                   // 0 (or 1e9 and more): no limit
    Limits limits;
    IoMode io = IoMode::capture;
    // passthrough: the guest reads crossrt's stdin (else /dev/null, always
    // when capturing).
    bool share_stdin = false;
    // The environment under `env`: a clean one (PATH=/usr/bin:/bin, HOME and
    // TMPDIR the private temp dir, LANG=C), or crossrt's own with TMPDIR
    // the temp dir.
    bool inherit_environment = false;
    std::string cwd_path;                      // set: the guest's cwd (readable); else its temp dir
    std::vector<std::string> readable;         // files the guest must read and execute
    std::vector<std::string> writable_dirs;    // beyond its temp dir
    const std::atomic<bool>* cancel = nullptr; // set: kill the guest, outcome.interrupted
    // A side channel: the guest gets a pipe as fd 3 and what it writes there
    // comes back in SandboxResult::report (the unicorn kernel's verdicts),
    // so its stderr stays the guest's own.
    bool report_channel = false;
    // Set: each line from the side channel as it arrives, instead of all of
    // it in SandboxResult::report; false stops the guest (a sweep settled).
    std::function<bool(const std::string& line)> report_line;
};

struct SandboxResult {
    Outcome outcome;
    int exec_errno = 0;             // the guest's execve failed with this errno
    std::string report;             // what the guest wrote to fd 3 (report_channel)
    bool stopped_by_caller = false; // report_line returned false
};

SandboxResult run_sandboxed(const SandboxRequest& request);

// What containment this host allows; probed once, with a note on stderr (once
// per run) for each weaker fallback.
struct SandboxSupport {
    bool namespaces = false;
    int landlock_abi = 0;
};
const SandboxSupport& sandbox_support();

} // namespace crossrt
