// What the hostile-guest tests see from outside the sandbox: crossrt run as
// a child with a bound on its run time, the host's processes (by a marker
// in their command line), its cgroups and its temp dir, and what
// `crossrt sandbox` says this host offers.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace crossrt::test {

// A hostile guest program built for arch ("amd64", "386", "arm"); nullopt
// when its cross compiler was missing.
std::optional<std::filesystem::path> hostile_guest(const std::string& name,
                                                   const std::string& arch);

// A word no other process of the host has in its command line.
std::string unique_marker();

// build/bin/crossrt with args, its TMPDIR a directory of its own.
class Crossrt {
public:
    Crossrt(const std::vector<std::string>& args, const std::filesystem::path& scratch);
    ~Crossrt(); // kills it if still running
    Crossrt(const Crossrt&) = delete;
    Crossrt& operator=(const Crossrt&) = delete;

    pid_t pid() const { return pid_; }
    const std::filesystem::path& temp_dir() const { return temp_dir_; }
    // Waits for it; false when it had not ended after bound_s seconds (then
    // it is killed: a run that is not bounded is a failure of its own).
    bool wait(double bound_s);
    int status() const { return status_; } // the exit status, or 1000 + the signal
    std::string out() const;
    std::string err() const;

private:
    pid_t pid_ = -1;
    int status_ = -1;
    std::filesystem::path out_path_, err_path_, temp_dir_;
};

// The host's processes whose command line contains marker (crossrt's own
// processes too: the marker is in its arguments), and of them those whose
// program and first argument ("qemu-arm /path", "crossrt unicorn-guest")
// contain `program`.
std::vector<pid_t> processes_with(const std::string& marker, const std::string& program = "");
// Polls until no process has marker in its command line; false after bound_s.
bool none_left(const std::string& marker, double bound_s);
// Polls until at least count processes of program have marker; false after bound_s.
bool started(const std::string& marker, const std::string& program, std::size_t count,
             double bound_s);

// A line of /proc/PID/status ("CapEff", "Uid", ...), its value trimmed;
// empty when the process is gone.
std::string status_field(pid_t pid, const std::string& field);
// The processes in the same cgroup as pid (in its memory or pids
// hierarchy), read from the host's cgroup file system; empty without one.
std::vector<pid_t> cgroup_members(pid_t pid);

// The per-run cgroups of the crossrt process crossrt_pid still on the host.
std::vector<std::string> leftover_cgroups(pid_t crossrt_pid);

// `crossrt sandbox`: "namespaces", "seccomp", "memory_cap", "tasks_cap", ...
const std::map<std::string, std::string>& sandbox_info();
bool caps_by_cgroup(const std::string& key); // "memory_cap" or "tasks_cap"

// Whether the host has qemu-user for the arch's target.
bool has_qemu(const std::string& arch);

} // namespace crossrt::test
