#include "backend/backend.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <sstream>
#include <unistd.h>

namespace crossrt {
namespace {

// A new backend is one file with its make_*_backend() plus one line here.
const std::vector<std::unique_ptr<Backend>>& registry() {
    static const std::vector<std::unique_ptr<Backend>> backends = [] {
        std::vector<std::unique_ptr<Backend>> list;
        list.push_back(make_native_backend());
        list.push_back(make_qemu_backend());
        list.push_back(make_unicorn_backend());
        return list;
    }();
    return backends;
}

} // namespace

const Backend* find_backend(std::string_view name) {
    for (const auto& backend : registry()) {
        if (backend->name() == name)
            return backend.get();
    }
    return nullptr;
}

const std::vector<std::string>& backend_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const auto& backend : registry())
            list.push_back(backend->name());
        return list;
    }();
    return names;
}

std::optional<std::string> find_in_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty())
            continue;
        std::string candidate = dir + "/" + program;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

bool host_view_of_mounts(const RunRequest& request, std::string_view backend,
                         SandboxRequest& sandbox, std::string& error) {
    namespace fs = std::filesystem;
    for (const Mount& mount : request.mounts) {
        std::error_code code;
        fs::path host = fs::canonical(mount.host, code);
        if (code || !fs::is_directory(host, code)) {
            error = fmt::format("--mount {}: {} is not a directory", mount_spec(mount), mount.host);
            return false;
        }
        fs::path guest = fs::path(mount.guest).lexically_normal();
        if (!guest.has_filename() && guest != "/")
            guest = guest.parent_path(); // "/a/b/" is "/a/b"
        if (guest != host) {
            error =
                fmt::format("--mount {}: the {} backend shows the guest the host's own files, so "
                            "a directory can only be mounted at its own path ({}); the unicorn "
                            "backend mounts it anywhere",
                            mount_spec(mount), backend, host.string());
            return false;
        }
        sandbox.readable.push_back(host.string());
    }
    if (!request.guest_cwd.empty()) {
        std::error_code code;
        if (!fs::is_directory(request.guest_cwd, code)) {
            error = fmt::format("--cwd {}: not a directory on the host", request.guest_cwd);
            return false;
        }
        sandbox.cwd_path = fs::absolute(request.guest_cwd).lexically_normal().string();
    }
    return true;
}

void Backend::run_seeds(const RunRequest& request, std::uint64_t first, std::uint64_t count, int,
                        const SeedOutcome& each) const {
    for (std::uint64_t k = 0; k < count; ++k) {
        RunRequest one = request;
        one.unicorn.seed = first + k;
        if (!each(first + k, run(one)))
            return;
    }
}

Backend::SignalSweepRun Backend::run_signal_sweep(const RunRequest&, const std::string& spec, int,
                                                  const PointOutcome&) const {
    SignalSweepRun sweep;
    sweep.failed.end = EndKind::error;
    sweep.failed.detail = fmt::format("--signal-sweep {}: the {} backend cannot put a signal on an "
                                      "exact instruction; only the unicorn backend sweeps",
                                      spec, name());
    return sweep;
}

} // namespace crossrt
