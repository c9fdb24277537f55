// The guest's file system in namespace mode: a tmpfs made in its own mount
// namespace holds only what it may use, each host path bound at its own
// path (the system's libraries and programs read-only, the request's binary,
// directories and devices), a fresh /proc (/proc/sys read-only), and /tmp,
// its temp dir. Nothing else of the host is there to reach: no host Unix
// socket, no other file, whatever Landlock does or does not cover. The tmpfs
// vanishes with the namespace, so the guest's files never outlive the run,
// even when crossrt is SIGKILLed.
//
// Built in three steps: the entries in crossrt (before fork); detached
// copies of their mounts by the supervisor, in the host's namespaces
// (clone_trees: it can still reach every path, and on a host directory
// owned by another user than the guest's it makes an idmapped copy, so that
// the guest owns what the caller owns); the root itself by the namespace's
// init (enter). The last two make only async-signal-safe system calls.
#pragma once

#include "backend/user_namespace.h"

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace crossrt {

class GuestRoot {
public:
    enum class Access {
        read_only, // read and execute
        writable,  // read, write, create, remove
        device,    // a device node: read and write, nothing else
    };

    // A host path (absolute), shown at the same path. A path that is a
    // symlink is shown as that symlink and its target is added too; a
    // missing path is left out. request_path: one the request named (not a
    // system path), idmapped to the guest when the guest's host user is not
    // its owner.
    void add(const std::string& path, Access access, bool request_path);
    void add_symlink(const std::string& path, const std::string& target);
    // Orders the entries (parents first) and drops those another covers.
    // guest: the host ids the guest runs as. tmp_bytes: the size of the tmpfs.
    void finish(const IdMapping& guest, std::uint64_t tmp_bytes);

    // Supervisor: a detached copy of each entry's mount. False with errno
    // set, and *failed the path it could not copy (then it copied none, and
    // enter copies them all: an unprivileged process may copy mounts only
    // in a mount namespace of its own).
    bool clone_trees(const char** failed) noexcept;
    // init, in the new user and mount namespaces and pid 1 of the new pid
    // namespace: builds the root and makes it the process's root. False
    // with errno set, and *failed the step or path that failed.
    bool enter(const char** failed) noexcept;
    // Closes what clone_trees opened (enter closes them too).
    void close_trees() noexcept;

    // For tests and notes: "ro /usr", "rw /work/out", "link /bin -> usr/bin", ...
    std::vector<std::string> describe() const;

private:
    struct Entry {
        std::string path;
        Access access = Access::read_only;
        bool directory = false;
        std::string link_target; // set: a symlink
        bool request_path = false;
        uid_t owner_uid = 0;
        gid_t owner_gid = 0;
        int idmap = -1; // index in idmaps_
        int tree = -1;  // the detached copy (supervisor, then init)
    };
    struct Idmap {
        std::string uid_map;
        std::string gid_map;
        int userns = -1;
    };
    void add_entry(Entry entry);
    bool clone_tree(Entry& entry) noexcept;

    std::vector<Entry> entries_;
    std::vector<Idmap> idmaps_;
    std::string tmpfs_options_;
};

} // namespace crossrt
