// --mount HOST:GUEST[:ro] (and a manifest's `mounts`): a host directory the
// guest sees at GUEST. Parsed where a user writes it and carried as this
// struct to the backends; the unicorn kernel grafts it into the run's file
// tree (kernel/posix/fs_tree.h), the native and qemu backends, which show
// the guest the host's own files, only at its own path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crossrt {

struct Mount {
    std::string host;  // a directory on the host
    std::string guest; // absolute, where the guest sees it
    // Read-only: a write under it is EROFS. Otherwise the guest may change
    // what it sees, in memory: nothing is ever written to the host.
    bool read_only = false;
};

// "HOST:GUEST" or "HOST:GUEST:ro" (":rw" is the default, said aloud).
// nullopt and the reason in `error` when HOST is empty or GUEST is not an
// absolute path.
std::optional<Mount> parse_mount(std::string_view text, std::string& error);

// The spec parse_mount reads back.
std::string mount_spec(const Mount& mount);

} // namespace crossrt
