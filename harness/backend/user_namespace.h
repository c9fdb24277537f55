// User namespaces for the sandbox, and the small ones that idmapped mounts
// use to show a host directory as the guest's own.
//
// The sandbox has two, nested. The outer one is init's: it owns the pid,
// mount, network, IPC and UTS namespaces, and its uid 0 is the guest's
// unprivileged host user, so that what belongs to the namespace's root (a
// binfmt_misc instance's files) has an owner there. The inner one, its
// child, is the guest's: uid and gid 1000 there are the outer root, the same
// host user, and it owns no namespace, so not even a capability in it would
// reach a mount or the network. init enters it before it forks the guest.
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
// The outer namespace's one id: its root, the guest's host user.
IdMapping outer_namespace_mapping();
// The guest's namespace's one id inside the outer one: the guest's uid and
// gid, which are the outer root.
IdMapping inner_namespace_mapping();

// Writes the maps of the process pid's new user namespace (with setgroups
// denied, as an unprivileged writer must); async-signal-safe.
bool write_id_maps(pid_t pid, const char* uid_map, const char* gid_map) noexcept;

// Moves the calling process into a new user namespace, a child of its own,
// with the given maps (written through /proc/self: the caller must be the
// only process that could trace it, for it is dumpable for that moment).
// Called with CAP_SETFCAP in the current namespace, as only then may the
// maps name its uid 0. False with errno set. Async-signal-safe.
bool enter_child_user_namespace(const char* uid_map, const char* gid_map) noexcept;

// A user namespace with only the given maps, as a file descriptor (for
// MOUNT_ATTR_IDMAP); -1 with errno set on failure. Async-signal-safe: a
// helper child makes the namespace and is killed once it is open.
int make_user_namespace(const char* uid_map, const char* gid_map) noexcept;

} // namespace crossrt
