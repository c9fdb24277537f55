// User namespaces for the sandbox: the guest's own (its uid and gid 1000
// stand for an unprivileged host user), and the small ones that idmapped
// mounts use to show a host directory as the guest's own.
#pragma once

#include <string>
#include <sys/types.h>

namespace crossrt {

// The uid and gid a guest has inside its user namespace (the unicorn
// kernel's guest user is the same).
constexpr uid_t kGuestUid = 1000;
constexpr gid_t kGuestGid = 1000;

// One id of a namespace and the host id it stands for.
struct IdMapping {
    uid_t inside_uid = 0;
    uid_t host_uid = 0;
    gid_t inside_gid = 0;
    gid_t host_gid = 0;
    // "inside host 1\n", as /proc/PID/uid_map and gid_map take them.
    std::string uid_map() const;
    std::string gid_map() const;
};

// The host user a guest runs as: crossrt's own when it is not root (an
// unprivileged process can map only its own ids), else nobody (65534).
IdMapping guest_id_mapping();

// Writes the maps of the process pid's new user namespace (with setgroups
// denied, as an unprivileged writer must); async-signal-safe.
bool write_id_maps(pid_t pid, const char* uid_map, const char* gid_map) noexcept;

// A user namespace with only the given maps, as a file descriptor (for
// MOUNT_ATTR_IDMAP); -1 with errno set on failure. Async-signal-safe: a
// helper child makes the namespace and is killed once it is open.
int make_user_namespace(const char* uid_map, const char* gid_map) noexcept;

} // namespace crossrt
