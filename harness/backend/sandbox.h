// The sandboxed process runner shared by every backend (the unicorn
// backend's emulator process too): a hostile guest runs as an unprivileged
// user in its own user, pid, mount, network, IPC and UTS namespaces, in a
// root of its own (guest_root.h), under seccomp (seccomp_filter.h) and
// Landlock, with a cgroup that caps all of its memory and tasks
// (guest_cgroup.h), an output cap and a wall-clock limit; everything it
// made dies with the run or with crossrt. Where the host refuses a
// mechanism, the best one left, with a note. docs/security-model.md.
#pragma once

#include "backend/binfmt_misc.h"
#include "base/outcome.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace crossrt {

struct Limits {
    std::size_t output_bytes = 4u << 20; // per stream, capture mode only
    // All of the guest's memory: every process of its tree, shared and
    // tmpfs pages included (a cgroup); where no cgroup is available, each
    // process's RLIMIT_DATA.
    std::uint64_t memory_bytes = 1ull << 30;
    std::uint64_t file_bytes = 64ull << 20; // RLIMIT_FSIZE
    // Processes and threads of the guest's tree, alive at once (a cgroup's
    // pids.max; without one, RLIMIT_NPROC in its user namespace).
    std::uint64_t tasks = 1024;
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
    // An emulator's own memory beyond the guest's (qemu's translated code
    // and heap, unicorn's engines), added to the caps: what it touches
    // (counted by the cgroup), and what it reserves (RLIMIT_DATA counts
    // that, in the fallback).
    std::uint64_t emulator_resident_bytes = 0;
    std::uint64_t emulator_reserved_bytes = 0;
    // false: no RLIMIT_DATA where no cgroup caps memory (an emulator built
    // with AddressSanitizer reserves terabytes of shadow as it starts).
    bool data_limit = true;
    // Copies of the guest that run at once (a unicorn sweep's forks): the
    // cgroup's cap is this many times the guest's memory and the emulator's.
    int guests_at_once = 1;
    IoMode io = IoMode::capture;
    // passthrough: the guest reads crossrt's stdin (else /dev/null, always
    // when capturing).
    bool share_stdin = false;
    // The environment under `env`: a clean one (PATH=/usr/bin:/bin, HOME and
    // TMPDIR the private temp dir, LANG=C), or crossrt's own with TMPDIR
    // the temp dir.
    bool inherit_environment = false;
    std::string cwd_path;                   // set: the guest's cwd (readable); else its temp dir
    std::vector<std::string> readable;      // files the guest must read and execute
    std::vector<std::string> writable_dirs; // beyond its temp dir
    // Registered with binfmt_misc in the guest's user namespace where the
    // host allows it (SandboxSupport::binfmt_misc), else left out: qemu-user
    // for the arches the host's kernel cannot execute.
    std::vector<BinfmtInterpreter> interpreters;
    const std::atomic<bool>* cancel = nullptr; // set: kill the guest, outcome.interrupted
    // A side channel: the guest gets a pipe as fd 3 and what it writes there
    // comes back in SandboxResult::report (the unicorn kernel's verdicts),
    // so its stderr stays the guest's own.
    bool report_channel = false;
    // Set: each line from the side channel as it arrives, instead of all of
    // it in SandboxResult::report; false stops the guest (a sweep settled).
    std::function<bool(const std::string& line)> report_line;
    // An open descriptor the guest gets as fd 4 (kPassedFd), e.g. a gdb
    // connection crossrt accepted: the guest opens no socket itself.
    int pass_fd = -1;
};

constexpr int kPassedFd = 4;

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
    // A user namespace with pid, mount, network, IPC and UTS namespaces and
    // the guest's own root; else only a session and process group.
    bool namespaces = false;
    int landlock_abi = 0;
    bool seccomp = false;
    // How memory and tasks are capped: "cgroup v1 memory.limit_in_bytes ...",
    // "RLIMIT_DATA per process (no cgroup: ...)".
    std::string memory_cap;
    std::string tasks_cap;
    bool memory_cgroup = false;
    bool tasks_cgroup = false;
    // Interpreters may be registered with a binfmt_misc of the guest's user
    // namespace (Linux 6.7+ in namespace mode); else why not.
    bool binfmt_misc = false;
    std::string binfmt_why_not;
};
const SandboxSupport& sandbox_support();

// The mechanisms, one per line ("namespaces: user, pid, ..."), for reports.
std::map<std::string, std::string> describe_sandbox(const SandboxSupport& support);

} // namespace crossrt
