#include "backend/guest_cgroup.h"

#include "backend/async_safe.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace crossrt {
namespace {

namespace fs = std::filesystem;

// Per-run cgroups are "crossrt-<pid of crossrt>-<sequence>": a leftover can
// be told from a live run by its pid.
constexpr const char* kPrefix = "crossrt-";

std::string read_line(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

bool has_word(const std::string& list, const std::string& word) {
    std::istringstream words(list);
    for (std::string each; words >> each;) {
        if (each == word)
            return true;
    }
    return false;
}

struct CgroupMount {
    std::string point;
    std::string root;
    std::string options; // super options: "rw,memory" for v1
};

// /proc/self/mountinfo's cgroup and cgroup2 mounts, by version.
std::multimap<int, CgroupMount> cgroup_mounts() {
    std::multimap<int, CgroupMount> mounts;
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
        // id parent major:minor root point options [optional...] - fstype source super
        std::istringstream fields(line);
        std::string id, parent, device, root, point, options, field;
        fields >> id >> parent >> device >> root >> point >> options;
        while (fields >> field && field != "-") {
        }
        std::string type, source, super;
        fields >> type >> source >> super;
        if (type == "cgroup2")
            mounts.emplace(2, CgroupMount{point, root, super});
        else if (type == "cgroup")
            mounts.emplace(1, CgroupMount{point, root, super});
    }
    return mounts;
}

// crossrt's own cgroup per hierarchy: "" for the v2 one, the controllers
// ("memory", "pids", ...) for v1 ones.
std::map<std::string, std::string> own_cgroups() {
    std::map<std::string, std::string> own;
    std::ifstream in("/proc/self/cgroup");
    for (std::string line; std::getline(in, line);) {
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (controllers.empty()) {
            own[""] = path;
            continue;
        }
        std::istringstream names(controllers);
        for (std::string name; std::getline(names, name, ',');)
            own[name] = path;
    }
    return own;
}

// The directory of cgroup `path` under a mount of its hierarchy; "" when
// the mount does not show it (mounted from a cgroup below).
std::string cgroup_dir(const CgroupMount& mount, const std::string& path) {
    fs::path relative = fs::path(path).lexically_relative(mount.root);
    if (relative.empty() || *relative.begin() == "..")
        return "";
    std::string dir = (fs::path(mount.point) / relative).lexically_normal().string();
    if (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

// Removes empty per-run cgroups whose crossrt is gone (SIGKILLed with its
// supervisor). A cgroup that still holds a process refuses (EBUSY).
void remove_leftovers(const std::string& parent) {
    std::error_code failed;
    for (const auto& entry : fs::directory_iterator(parent, failed)) {
        std::string name = entry.path().filename().string();
        if (!name.starts_with(kPrefix))
            continue;
        long pid = std::atol(name.c_str() + std::strlen(kPrefix));
        if (pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH))
            continue;
        rmdir(entry.path().c_str());
    }
}

// Makes a test cgroup under parent and writes one limit in it.
bool try_child(const std::string& parent, const char* file, const char* value) {
    std::string probe = fmt::format("{}/{}{}-probe", parent, kPrefix, getpid());
    if (mkdir(probe.c_str(), 0755) != 0 && errno != EEXIST)
        return false;
    bool written = async_safe::write_file((probe + "/" + file).c_str(), value);
    rmdir(probe.c_str());
    return written;
}

// cgroup v2: the controller must be enabled for crossrt's cgroup's children
// (delegated); enabling it ourselves works only where no process sits in
// crossrt's cgroup (its root, or an empty delegated one).
CgroupController v2_controller(const std::string& dir, const std::string& name,
                               const char* limit_file) {
    CgroupController controller;
    if (dir.empty() || !has_word(read_line(dir + "/cgroup.controllers"), name))
        return controller;
    if (!has_word(read_line(dir + "/cgroup.subtree_control"), name))
        async_safe::write_file((dir + "/cgroup.subtree_control").c_str(), ("+" + name).c_str());
    if (!has_word(read_line(dir + "/cgroup.subtree_control"), name))
        return controller;
    remove_leftovers(dir);
    if (!try_child(dir, limit_file, "max"))
        return controller;
    controller.version = 2;
    controller.parent = dir;
    return controller;
}

CgroupController v1_controller(const std::string& dir, const char* limit_file, const char* value) {
    CgroupController controller;
    if (dir.empty())
        return controller;
    remove_leftovers(dir);
    if (!try_child(dir, limit_file, value))
        return controller;
    controller.version = 1;
    controller.parent = dir;
    return controller;
}

CgroupSupport probe_cgroups() {
    CgroupSupport support;
    auto mounts = cgroup_mounts();
    auto own = own_cgroups();
    std::string v2_dir;
    if (own.count("") != 0) {
        auto range = mounts.equal_range(2);
        for (auto it = range.first; it != range.second && v2_dir.empty(); ++it)
            v2_dir = cgroup_dir(it->second, own[""]);
    }
    auto v1_dir = [&](const std::string& name) {
        if (own.count(name) == 0)
            return std::string();
        auto range = mounts.equal_range(1);
        for (auto it = range.first; it != range.second; ++it) {
            std::istringstream options(it->second.options);
            for (std::string option; std::getline(options, option, ',');) {
                if (option == name)
                    return cgroup_dir(it->second, own[name]);
            }
        }
        return std::string();
    };

    support.memory = v2_controller(v2_dir, "memory", "memory.max");
    if (support.memory.version == 2) {
        support.memory.swap =
            fs::exists(v2_dir + "/memory.swap.max") || fs::exists(v2_dir + "/memory.swap.current");
        support.memory_mechanism = fmt::format("cgroup v2 memory.max (in {})", v2_dir);
    } else {
        support.memory = v1_controller(v1_dir("memory"), "memory.limit_in_bytes", "-1");
        if (support.memory.version == 1) {
            support.memory.memsw =
                fs::exists(support.memory.parent + "/memory.memsw.limit_in_bytes");
            support.memory_mechanism =
                fmt::format("cgroup v1 memory.limit_in_bytes{} (in {})",
                            support.memory.memsw ? " and memsw" : "", support.memory.parent);
        }
    }
    support.tasks = v2_controller(v2_dir, "pids", "pids.max");
    if (support.tasks.version == 2) {
        support.tasks_mechanism = fmt::format("cgroup v2 pids.max (in {})", v2_dir);
    } else {
        support.tasks = v1_controller(v1_dir("pids"), "pids.max", "max");
        if (support.tasks.version == 1) {
            support.tasks_mechanism =
                fmt::format("cgroup v1 pids.max (in {})", support.tasks.parent);
        }
    }
    return support;
}

std::atomic<unsigned> run_sequence{0};

} // namespace

const CgroupSupport& cgroup_support() {
    static const CgroupSupport support = probe_cgroups();
    return support;
}

RunCgroup::RunCgroup(const CgroupSupport& support, std::uint64_t memory_bytes,
                     std::uint64_t tasks) {
    std::string name = fmt::format("{}{}-{}", kPrefix, getpid(), run_sequence++);
    auto dir_under = [&](const CgroupController& controller) {
        std::string dir = controller.parent + "/" + name;
        if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end())
            dirs_.push_back(dir);
        return dir;
    };
    const CgroupController& memory = support.memory;
    std::string bytes = std::to_string(memory_bytes);
    if (memory.version == 1) {
        std::string dir = dir_under(memory);
        // memsw (memory + swap) may not be below the memory limit: set after it.
        settings_.push_back({dir + "/memory.limit_in_bytes", bytes});
        if (memory.memsw)
            settings_.push_back({dir + "/memory.memsw.limit_in_bytes", bytes});
        oom_file_ = dir + "/memory.oom_control";
    } else if (memory.version == 2) {
        std::string dir = dir_under(memory);
        settings_.push_back({dir + "/memory.max", bytes});
        if (memory.swap)
            settings_.push_back({dir + "/memory.swap.max", "0"});
        // One process killed for the cap takes the whole tree with it.
        settings_.push_back({dir + "/memory.oom.group", "1"});
        oom_file_ = dir + "/memory.events";
    }
    if (support.tasks.version != 0) {
        std::string dir = dir_under(support.tasks);
        settings_.push_back({dir + "/pids.max", std::to_string(tasks)});
        tasks_events_ = dir + "/pids.events";
    }
}

bool RunCgroup::create() const noexcept {
    for (const std::string& dir : dirs_) {
        if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
            return false;
    }
    for (const Setting& setting : settings_) {
        if (!async_safe::write_file(setting.file.c_str(), setting.value.c_str()))
            return false;
    }
    return true;
}

bool RunCgroup::add(pid_t pid) const noexcept {
    char buffer[24];
    const char* text = async_safe::decimal(static_cast<std::uint64_t>(pid), buffer);
    char path[4096];
    constexpr char procs[] = "/cgroup.procs";
    for (const std::string& dir : dirs_) {
        if (dir.size() + sizeof procs > sizeof path)
            return false;
        std::memcpy(path, dir.c_str(), dir.size());
        std::memcpy(path + dir.size(), procs, sizeof procs);
        if (!async_safe::write_file(path, text))
            return false;
    }
    return true;
}

CgroupEvidence RunCgroup::evidence() const noexcept {
    CgroupEvidence evidence;
    if (!oom_file_.empty())
        evidence.oom_kills = async_safe::keyed_value(oom_file_.c_str(), "oom_kill");
    if (!tasks_events_.empty())
        evidence.task_refusals = async_safe::keyed_value(tasks_events_.c_str(), "max");
    return evidence;
}

void RunCgroup::kill_all() const noexcept {
    if (dirs_.empty())
        return;
    char path[4096];
    constexpr char procs[] = "/cgroup.procs";
    const std::string& dir = dirs_.front();
    if (dir.size() + sizeof procs > sizeof path)
        return;
    std::memcpy(path, dir.c_str(), dir.size());
    std::memcpy(path + dir.size(), procs, sizeof procs);
    for (int attempt = 0; attempt < 200; ++attempt) {
        char buffer[4096];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        ssize_t count = read(fd, buffer, sizeof buffer - 1);
        close(fd);
        if (count <= 0)
            return; // empty
        buffer[count] = '\0';
        for (char* line = buffer; *line != '\0';) {
            long pid = 0;
            for (; *line >= '0' && *line <= '9'; ++line)
                pid = pid * 10 + (*line - '0');
            if (pid > 0)
                kill(static_cast<pid_t>(pid), SIGKILL);
            while (*line != '\0' && (*line < '0' || *line > '9'))
                ++line;
        }
        timespec pause{0, 10'000'000};
        nanosleep(&pause, nullptr);
    }
}

void RunCgroup::remove() const noexcept {
    for (const std::string& dir : dirs_) {
        // A killed process leaves its cgroup a moment after it was reaped.
        for (int attempt = 0; attempt < 200; ++attempt) {
            if (rmdir(dir.c_str()) == 0 || errno != EBUSY)
                break;
            timespec pause{0, 10'000'000};
            nanosleep(&pause, nullptr);
        }
    }
}

} // namespace crossrt
