// The native backend: the host executes the binary itself.
#include "backend/backend.h"
#include "target/elf_ident.h"
#include "target/host.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace crossrt {
namespace {

class NativeBackend : public Backend {
public:
    std::string name() const override { return "native"; }

    // Only a host that executes the target's binaries itself runs them:
    // anything else would need binfmt_misc, which is not native. crossrt
    // runs on Linux hosts of supported_host_arches() alone, so a NetBSD
    // target or an arch none of them executes never runs natively
    // (docs/backends.md).
    std::optional<std::string> never_runs(const Target& target) const override {
        if (target.os != host_os())
            return fmt::format("crossrt runs on {} hosts only, which cannot execute {} binaries",
                               host_os(), target.os);
        const std::vector<std::string>& hosts = supported_host_arches();
        if (std::any_of(hosts.begin(), hosts.end(), [&](const std::string& host) {
                return arch_may_execute(host, target.arch);
            }))
            return std::nullopt;
        return fmt::format("no host crossrt runs on ({}) executes {} binaries itself",
                           fmt::join(hosts, ", "), target.arch);
    }

    std::optional<std::string> cannot_run(const Target& target) const override {
        if (auto never = never_runs(target))
            return never;
        if (host_may_execute(target.arch))
            return std::nullopt;
        return fmt::format("host ({}) cannot execute {}", host_arch(), target.arch);
    }

    Outcome run(const RunRequest& request) const override {
        SandboxRequest sandbox;
        sandbox.argv.push_back(request.binary);
        sandbox.argv.insert(sandbox.argv.end(), request.args.begin(), request.args.end());
        sandbox.env = request.env;
        sandbox.timeout_s = request.timeout_s;
        sandbox.limits = request.limits;
        sandbox.io = request.io;
        sandbox.share_stdin = request.share_stdin;
        sandbox.inherit_environment = request.inherit_environment;
        sandbox.readable = {request.binary};
        sandbox.writable_dirs = request.writable_dirs;
        sandbox.cancel = request.cancel;
        Outcome refused; // a mount this backend cannot show: the cell does not apply
        refused.end = EndKind::skip;
        if (!host_view_of_mounts(request, "native", sandbox, refused.detail))
            return refused;
        if (!request.sysroot.empty() && request.sysroot != "/") {
            refused.detail = fmt::format("--sysroot {}: the native backend runs the host's own "
                                         "loader and libraries, so only / applies there",
                                         request.sysroot);
            return refused;
        }
        SandboxResult result = run_sandboxed(sandbox);
        // A refused execve may be the file's fault, not the host's: the
        // kernel refuses a cut ELF with ENOEXEC as it does a foreign arch,
        // and a broken file is no reason to skip the cell.
        std::optional<std::string> defect;
        if (result.exec_errno != 0)
            defect = elf_defect(request.binary);
        if (defect) {
            result.outcome.end = EndKind::error;
            result.outcome.detail = *defect;
        } else if (result.exec_errno == ENOEXEC) {
            result.outcome.end = EndKind::skip;
            result.outcome.detail = fmt::format("host cannot execute {} (execve: {})",
                                                request.target.arch, std::strerror(ENOEXEC));
        }
        return result.outcome;
    }
};

} // namespace

std::unique_ptr<Backend> make_native_backend() {
    return std::make_unique<NativeBackend>();
}

} // namespace crossrt
