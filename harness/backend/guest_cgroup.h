// The per-run cgroup that caps a guest's whole process tree: all of its
// memory (every process, MAP_SHARED and tmpfs pages included) and the
// number of its tasks (processes and threads). cgroup v2 where the host
// delegates the memory and pids controllers to crossrt's own cgroup,
// otherwise cgroup v1's memory and pids hierarchies, each controller on its
// own; a host with neither leaves the caps to rlimits (sandbox.cc).
//
// The plan is made before fork; create, add, evidence and remove make only
// async-signal-safe system calls, so the sandbox's supervisor (a child of a
// multi-threaded crossrt) can run them.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace crossrt {

// Where one controller's per-run cgroups are made.
struct CgroupController {
    int version = 0;    // 0: not available, 1 or 2
    std::string parent; // crossrt's own cgroup in that hierarchy (a directory)
    bool memsw = false; // v1 memory: memory.memsw.limit_in_bytes exists (swap is counted)
    bool swap = false;  // v2 memory: memory.swap.max exists
};

struct CgroupSupport {
    CgroupController memory;
    CgroupController tasks; // the pids controller
    // "cgroup v1 memory (memory.limit_in_bytes, memsw)", "cgroup v2 pids (pids.max)",
    // or why there is none; for notes and reports.
    std::string memory_mechanism;
    std::string tasks_mechanism;
};

// Probed once (a test cgroup made and removed in each candidate), with
// leftovers of crossrt runs whose process is gone removed on the way.
const CgroupSupport& cgroup_support();

// What the caps did during a run, read before the cgroup is removed.
struct CgroupEvidence {
    long oom_kills = 0;     // processes the kernel killed for the memory cap
    long task_refusals = 0; // forks and clones refused for the task cap
};

class RunCgroup {
public:
    RunCgroup() = default;
    // Per-run cgroups for the available controllers, named after crossrt's
    // pid and a sequence number. memory_bytes, tasks: the caps.
    RunCgroup(const CgroupSupport& support, std::uint64_t memory_bytes, std::uint64_t tasks);

    bool caps_memory() const { return !oom_file_.empty(); }
    bool caps_tasks() const { return !tasks_events_.empty(); }

    // Makes the cgroups and writes their limits; false (errno set) on failure.
    bool create() const noexcept;
    // Moves a process (and what it forks later) into them.
    bool add(pid_t pid) const noexcept;
    CgroupEvidence evidence() const noexcept;
    // Kills every process still in them (one that left the guest's process
    // group in session mode), until they are empty or about two seconds passed.
    void kill_all() const noexcept;
    // Removes the cgroups once their processes are gone (it waits for them
    // to be released, up to about two seconds).
    void remove() const noexcept;

private:
    struct Setting {
        std::string file; // full path
        std::string value;
    };
    std::vector<std::string> dirs_; // one per hierarchy (v2: one for both)
    std::vector<Setting> settings_; // in the order they must be written
    std::string oom_file_;          // memory.oom_control (v1) or memory.events (v2)
    std::string tasks_events_;      // pids.events
};

} // namespace crossrt
