#include "outside.h"

#include "scratch_dir.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace crossrt::test {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

template <typename Predicate>
bool poll_until(Predicate done, double bound_s) {
    auto end = Clock::now() + std::chrono::duration<double>(bound_s);
    while (!done()) {
        if (Clock::now() >= end)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

} // namespace

std::optional<fs::path> hostile_guest(const std::string& name, const std::string& arch) {
    fs::path path = fs::path(CROSSRT_HOSTILE_GUESTS) / (name + "-" + arch);
    if (!fs::exists(path))
        return std::nullopt;
    return path;
}

std::string unique_marker() {
    std::random_device random;
    return "hostile-marker-" + std::to_string(getpid()) + "-" + std::to_string(random());
}

Crossrt::Crossrt(const std::vector<std::string>& args, const fs::path& scratch)
    : out_path_(scratch / "crossrt.out"), err_path_(scratch / "crossrt.err"),
      temp_dir_(scratch / "tmp") {
    fs::create_directories(temp_dir_);
    std::string tmpdir = "TMPDIR=" + temp_dir_.string();
    pid_ = fork();
    if (pid_ == 0) {
        int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, 1);
        dup2(err, 2);
        putenv(tmpdir.data());
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(CROSSRT_TEST_BINARY));
        for (const std::string& arg : args)
            argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
}

Crossrt::~Crossrt() {
    if (pid_ > 0 && status_ < 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

bool Crossrt::wait(double bound_s) {
    int status = 0;
    bool ended = poll_until([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, bound_s);
    if (!ended) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
    }
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
    return ended;
}

std::string Crossrt::out() const {
    return read_all(out_path_);
}

std::string Crossrt::err() const {
    return read_all(err_path_);
}

std::vector<pid_t> processes_with(const std::string& marker, const std::string& program) {
    std::vector<pid_t> found;
    std::error_code failed;
    for (const auto& entry : fs::directory_iterator("/proc", failed)) {
        std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::string cmdline = read_all(entry.path() / "cmdline");
        // argv[0] and argv[1]: "crossrt unicorn-guest" is the unicorn
        // backend's guest, "crossrt exec" crossrt itself.
        std::size_t first_end = cmdline.find('\0');
        std::string head = cmdline.substr(0, cmdline.find('\0', first_end + 1));
        std::replace(head.begin(), head.end(), '\0', ' ');
        if (cmdline.find(marker) != std::string::npos && head.find(program) != std::string::npos)
            found.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return found;
}

bool none_left(const std::string& marker, double bound_s) {
    return poll_until([&] { return processes_with(marker).empty(); }, bound_s);
}

bool started(const std::string& marker, const std::string& program, std::size_t count,
             double bound_s) {
    return poll_until([&] { return processes_with(marker, program).size() >= count; }, bound_s);
}

std::string status_field(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(field + ":", 0) == 0) {
            std::string value = line.substr(field.size() + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            return value;
        }
    }
    return "";
}

std::vector<pid_t> cgroup_members(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
    for (std::string line; std::getline(in, line);) {
        // "4:memory:/path" (v1) or "0::/path" (v2)
        auto first = line.find(':');
        auto second = line.find(':', first + 1);
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (path.find("crossrt-") == std::string::npos)
            continue;
        fs::path procs =
            controllers.empty()
                ? fs::path("/sys/fs/cgroup/unified") / path.substr(1) / "cgroup.procs"
                : fs::path("/sys/fs/cgroup") / controllers / path.substr(1) / "cgroup.procs";
        if (controllers.empty() && !fs::exists(procs))
            procs = fs::path("/sys/fs/cgroup") / path.substr(1) / "cgroup.procs";
        std::ifstream list(procs);
        std::vector<pid_t> members;
        for (long member; list >> member;)
            members.push_back(static_cast<pid_t>(member));
        if (!members.empty())
            return members;
    }
    return {};
}

std::vector<std::string> leftover_cgroups(pid_t crossrt_pid) {
    std::string prefix = "crossrt-" + std::to_string(crossrt_pid) + "-";
    std::vector<std::string> found;
    std::error_code failed;
    auto options = fs::directory_options::skip_permission_denied;
    for (fs::recursive_directory_iterator it("/sys/fs/cgroup", options, failed), end; it != end;
         it.increment(failed)) {
        if (failed)
            break;
        if (it.depth() > 4) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_directory(failed) && it->path().filename().string().rfind(prefix, 0) == 0)
            found.push_back(it->path().string());
    }
    return found;
}

const std::map<std::string, std::string>& sandbox_info() {
    static const std::map<std::string, std::string> info = [] {
        ScratchDir scratch;
        Crossrt sandbox({"sandbox"}, scratch.path());
        sandbox.wait(60);
        std::map<std::string, std::string> fields;
        std::istringstream lines(sandbox.out());
        for (std::string line; std::getline(lines, line);) {
            auto colon = line.find(": ");
            if (colon != std::string::npos)
                fields[line.substr(0, colon)] = line.substr(colon + 2);
        }
        return fields;
    }();
    return info;
}

bool caps_by_cgroup(const std::string& key) {
    auto found = sandbox_info().find(key);
    return found != sandbox_info().end() && found->second.rfind("cgroup", 0) == 0;
}

bool has_qemu(const std::string& arch) {
    std::string program = arch == "arm" ? "qemu-arm" : arch == "386" ? "qemu-i386" : "qemu-x86_64";
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        if (access((std::string(dir) + "/" + program).c_str(), X_OK) == 0)
            return true;
    }
    return false;
}

} // namespace crossrt::test
