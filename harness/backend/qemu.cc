// The qemu backend: QEMU user mode runs the guest with real Linux semantics.
// qemu-user dies by the guest's fatal signal itself, so the outcome's signal
// is the guest's.
#include "backend/backend.h"
#include "backend/gdb_relay.h"
#include "target/host.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt {
namespace {

// TCG's translation buffer and qemu's own heap come on top of the guest's
// memory: RLIMIT_DATA (the fallback) counts what qemu reserves (measured with
// qemu 7.2: qemu-arm fails to map its JIT buffer under 128 MiB and starts
// under 256 MiB), a cgroup what it touches.
constexpr std::uint64_t qemu_memory_overhead = 512ull << 20;

// `qemu-<arch> --version`'s first line, asked once per binary (the answer
// does not change during a run; cells ask from several threads).
std::string version_output(const std::string& qemu) {
    static std::mutex mutex;
    static std::map<std::string, std::string> outputs;
    std::lock_guard lock(mutex);
    auto found = outputs.find(qemu);
    if (found != outputs.end())
        return found->second;
    std::string output;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) == 0) {
        pid_t child = fork();
        if (child == 0) {
            dup2(fds[1], 1);
            int null = open("/dev/null", O_RDWR);
            dup2(null, 0);
            dup2(null, 2);
            execl(qemu.c_str(), qemu.c_str(), "--version", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(fds[1]);
        char buffer[512];
        ssize_t count;
        while (output.size() < 4096 && (count = read(fds[0], buffer, sizeof buffer)) > 0)
            output.append(buffer, static_cast<std::size_t>(count));
        close(fds[0]);
        if (child > 0) {
            int status = 0;
            while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }
    output = output.substr(0, output.find('\n'));
    outputs.emplace(qemu, output);
    return output;
}

// qemu-user for each Linux target's arch that the host's kernel cannot
// execute itself (arm on amd64), found once: registered with binfmt_misc in
// every qemu guest's user namespace, so that a guest's execve of such a
// binary runs it under qemu again. Never for an arch the host executes: the
// kernel consults binfmt_misc before its own ELF loader, so such a
// registration would take a 386 guest's children off the host's CPU.
const std::vector<BinfmtInterpreter>& foreign_interpreters() {
    static const std::vector<BinfmtInterpreter> interpreters = [] {
        std::vector<BinfmtInterpreter> found;
        for (const Target& target : builtin_targets()) {
            if (target.os != "linux" || target.qemu.empty() || host_may_execute(target.arch))
                continue;
            bool known = std::any_of(found.begin(), found.end(), [&](const auto& interpreter) {
                return interpreter.name.ends_with("-" + target.arch);
            });
            auto qemu = find_in_path(target.qemu);
            if (known || !qemu)
                continue;
            if (auto interpreter = qemu_interpreter(target.arch, *qemu))
                found.push_back(std::move(*interpreter));
        }
        return found;
    }();
    return interpreters;
}

class QemuBackend : public Backend {
public:
    std::string name() const override { return "qemu"; }

    std::optional<Version> emulator_version(const Target& target) const override {
        if (cannot_run(target))
            return std::nullopt;
        auto qemu = find_in_path(target.qemu);
        return qemu ? version_in(version_output(*qemu)) : std::nullopt;
    }

    std::string emulator_description(const Target& target) const override {
        auto version = emulator_version(target);
        return version ? fmt::format("{} {}", target.qemu, version->text()) : "";
    }

    std::optional<std::string> never_runs(const Target& target) const override {
        if (target.os != "linux")
            return fmt::format("qemu-user runs only Linux guests, not {}", target.os);
        if (target.qemu.empty())
            return fmt::format("the target table names no qemu for {}", target.name());
        return std::nullopt;
    }

    // A missing qemu is the cell's error, naming the package (run), not a
    // skip: nothing here depends on this host.
    std::optional<std::string> cannot_run(const Target& target) const override {
        return never_runs(target);
    }

    std::vector<HostProgram> host_programs(const Target& target) const override {
        if (never_runs(target))
            return {};
        // ci/setup's minimum: Debian 12's QEMU 7.2 crashes every Go
        // linux/386 program (one GDT for all threads, fixed in 8.0).
        return {{target.qemu, "apt-get install -t bookworm-backports qemu-user",
                 Version::parse("10.0"),
                 "older QEMU crashes Go linux/386 programs; the suite expects bookworm-backports' "
                 "10.0"}};
    }

    std::optional<std::string> cannot_reexec(const Target& target) const override {
        // The host's kernel runs the child itself, as it would natively; a
        // target qemu cannot run at all is cannot_run's to explain.
        if (host_may_execute(target.arch) || cannot_run(target))
            return std::nullopt;
        const SandboxSupport& support = sandbox_support();
        if (support.binfmt_misc)
            return std::nullopt;
        return fmt::format("qemu-user follows a foreign-arch ({}) guest's execve only through "
                           "binfmt_misc, and {}",
                           target.arch, support.binfmt_why_not);
    }

    Outcome run(const RunRequest& request) const override {
        auto qemu = find_in_path(request.target.qemu);
        if (!qemu) {
            Outcome outcome;
            outcome.end = EndKind::error;
            outcome.detail = fmt::format("{} not found in PATH (install the package qemu-user)",
                                         request.target.qemu);
            return outcome;
        }
        SandboxRequest sandbox;
        sandbox.argv = {*qemu, request.binary};
        // --gdb: qemu's own stub, on a unix socket crossrt relays to.
        std::string gdb_dir;
        if (request.gdb_fd >= 0) {
            char dir[] = "/tmp/crossrt-gdb-XXXXXX";
            if (mkdtemp(dir) == nullptr) {
                Outcome outcome;
                outcome.end = EndKind::error;
                outcome.detail = fmt::format("--gdb: cannot make a directory for qemu's socket: {}",
                                             std::strerror(errno));
                return outcome;
            }
            gdb_dir = dir;
            sandbox.argv = {*qemu, "-g", gdb_dir + "/gdb.sock", request.binary};
        }
        sandbox.argv.insert(sandbox.argv.end(), request.args.begin(), request.args.end());
        sandbox.env = request.env;
        sandbox.timeout_s = request.timeout_s;
        sandbox.limits = request.limits;
        sandbox.emulator_reserved_bytes = qemu_memory_overhead;
        sandbox.emulator_resident_bytes = qemu_memory_overhead;
        sandbox.io = request.io;
        sandbox.share_stdin = request.share_stdin;
        sandbox.inherit_environment = request.inherit_environment;
        sandbox.readable = {*qemu, request.binary};
        sandbox.writable_dirs = request.writable_dirs;
        sandbox.interpreters = foreign_interpreters();
        sandbox.cancel = request.cancel;
        Outcome refused; // a mount this backend cannot show: the cell does not apply
        refused.end = EndKind::skip;
        if (!host_view_of_mounts(request, "qemu", sandbox, refused.detail))
            return refused;
        if (!request.sysroot.empty()) {
            // qemu-user's own -L: the guest's interpreter and libraries
            // are looked up below it first.
            sandbox.argv.insert(sandbox.argv.begin() + 1, {"-L", request.sysroot});
            sandbox.readable.push_back(request.sysroot);
        }
        if (request.gdb_fd < 0)
            return run_sandboxed(sandbox).outcome;
        sandbox.writable_dirs.push_back(gdb_dir);
        sandbox.timeout_s = 0; // a person at gdb takes their time
        Outcome outcome;
        {
            GdbRelay relay(request.gdb_fd, gdb_dir + "/gdb.sock");
            outcome = run_sandboxed(sandbox).outcome;
        }
        std::error_code ignored;
        std::filesystem::remove_all(gdb_dir, ignored);
        return outcome;
    }
};

} // namespace

std::unique_ptr<Backend> make_qemu_backend() {
    return std::make_unique<QemuBackend>();
}

} // namespace crossrt
