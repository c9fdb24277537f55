// A run's file system: an in-memory tree (the guest's /, its /tmp and cwd)
// with read-only binds of host directories grafted in (`--mount
// HOST:GUEST[:ro]`). Nothing is ever written to the host: a file under a
// bind is read from the host when it is first opened or listed, and a
// change to it (or a new file next to it) lives in memory from then on,
// unless the bind is read-only (EROFS). The host is reached only through
// a bind's own directory, one name at a time, never following a host
// symlink: a symlink is read and its target resolved in the guest's tree,
// so no path leads outside the binds.
//
// Errors are -err::X (types.h). Times come from the kernel's virtual clock
// (a function the tree is given), so a run stays a function of its seed.
#pragma once

#include "kernel/types.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::kernel::posix {

constexpr std::size_t kMaxPath = 4096;
constexpr std::size_t kMaxName = 255;
constexpr int kMaxSymlinks = 40; // as Linux's MAXSYMLINKS
// A file bigger than this is EFBIG: guest memory is bounded, so is this.
constexpr u64 kMaxFileSize = 256ull << 20;

enum class NodeType { directory, regular, symlink, fifo, socket };

// The user (and group) every node of the tree starts with: the guest's.
constexpr u32 kTreeOwner = 1000;

// The root user, who owns the system's part of the tree (/, /etc, /usr,
// /dev, /tmp): the guest may read it, and write only where its bits say.
constexpr u32 kRootOwner = 0;

struct Node;
using NodePtr = std::shared_ptr<Node>;

struct Node {
    NodeType type = NodeType::regular;
    u32 mode = 0644; // permission bits
    u64 ino = 0;
    u32 nlink = 1;
    // Nanoseconds since the epoch on the run's CLOCK_REALTIME (before it
    // too: utimensat may set any time). atime is set at creation and by
    // utimensat only: reads do not change a run's tree.
    i64 atime_ns = 0;
    i64 mtime_ns = 0;
    i64 ctime_ns = 0;
    // The owner: the guest's user unless chown gave it to one of its
    // groups (the guest is not root: it cannot give a file away).
    u32 uid = kTreeOwner;
    u32 gid = kTreeOwner;
    std::string data;                       // regular: the bytes; symlink: the target
    std::map<std::string, NodePtr> entries; // directory: by name (sorted: getdents is stable)
    std::weak_ptr<Node> parent;             // directory: for ".." and getcwd
    // Under a bind: the host path this node mirrors, and whether its
    // contents (a file's bytes, a directory's entries) were read yet.
    std::optional<std::string> host_path;
    bool loaded = true;
    bool read_only = false; // inside a read-only bind
    u64 size() const { return data.size(); }
};

// The permission bits (rwx) that apply to the guest's user: the owner's
// when it owns the node, the group's when the node is its group's, else
// the others'.
inline u32 guest_bits(const Node& node) {
    if (node.uid == kTreeOwner)
        return (node.mode >> 6) & 7;
    if (node.gid == kTreeOwner)
        return (node.mode >> 3) & 7;
    return node.mode & 7;
}

// A path's last component and the directory that holds (or would hold) it.
struct Lookup {
    NodePtr node;   // nullptr when the last component does not exist
    NodePtr parent; // the directory of the last component
    std::string name;
    i64 error = 0; // when even the parent could not be found
};

class FileTree {
public:
    using Clock = std::function<u64()>;
    explicit FileTree(Clock clock);

    NodePtr root() const { return root_; }

    // Resolves `path` (absolute, or relative to `cwd`). follow_last:
    // whether a symlink as the last component is followed.
    Lookup lookup(std::string_view path, const NodePtr& cwd, bool follow_last);
    // The node at path, or -errno (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG).
    NodePtr find(std::string_view path, const NodePtr& cwd, bool follow_last, i64& error);

    // The operations, as their syscalls: 0 or -errno.
    i64 mkdir(std::string_view path, const NodePtr& cwd, u32 mode);
    i64 rmdir(std::string_view path, const NodePtr& cwd);
    i64 unlink(std::string_view path, const NodePtr& cwd);
    i64 rename(std::string_view from, std::string_view to, const NodePtr& cwd);
    i64 symlink(std::string_view target, std::string_view path, const NodePtr& cwd);
    // mkfifo: a named pipe's node (its pipe is the file system's: fifo.h).
    i64 mkfifo(std::string_view path, const NodePtr& cwd, u32 mode);
    // bind(2) of an AF_UNIX socket to a path: its node (the socket itself
    // is the network's, socket.h), or nullptr and -errno (EADDRINUSE when
    // the name exists, as bind says it).
    NodePtr mksocket(std::string_view path, const NodePtr& cwd, u32 mode, i64& error);
    i64 link(std::string_view from, std::string_view to, const NodePtr& cwd);
    // A regular file at path, made if absent when create; exclusive: EEXIST
    // if it exists. The node, or nullptr and -errno in error.
    // created (when given) says whether this call made it: the call that
    // creates a file may write it whatever mode it gets.
    NodePtr open_file(std::string_view path, const NodePtr& cwd, bool create, bool exclusive,
                      u32 mode, bool follow_last, i64& error, bool* created = nullptr);
    // A file's contents, read from the host first when it mirrors one.
    i64 load(Node& node);
    // A directory's parent (the root's is the root).
    static NodePtr parent_of(const NodePtr& directory);
    // Whether the node may change (not inside a read-only bind).
    static i64 writable(const Node& node) { return node.read_only ? -err::ROFS : 0; }
    // Whether entries may be added to or removed from the directory: not
    // in a read-only bind (EROFS), and the guest's write and search bits
    // set (EACCES: the guest is not root).
    static i64 may_change_entries(const Node& directory);
    // A file's bytes changed: its mtime and ctime move.
    void touch(Node& node);
    // The clock's now, as node times are kept.
    i64 now() const { return clock_ ? static_cast<i64>(clock_()) : 0; }
    // A directory's entries, loaded from the host first when it mirrors one.
    const std::map<std::string, NodePtr>* entries(const NodePtr& directory, i64& error);
    // The absolute guest path of a directory ("/" for the root).
    std::string path_of(const NodePtr& directory) const;

    // Grafts the host directory at guest_path (made, with its parents, if
    // absent). False and the reason in error when the host path is not a
    // readable directory or guest_path is taken by a file.
    bool bind(const std::string& host_dir, std::string_view guest_path, bool read_only,
              std::string& error);

    // --sysroot: the host directory's entries, read-only, at the guest's /
    // beneath the run's own tree: a name in `own` (the run's /tmp, /etc,
    // /dev, /proc, /sys) stays the run's, every other one (lib, usr, a
    // symlink like lib64 -> usr/lib64) is the host directory's, replacing
    // the skeleton's empty /usr/bin and /bin. Called on the skeleton,
    // before any bind. False and why in error when host_dir is not a
    // readable directory.
    bool bind_root(const std::string& host_dir, const std::vector<std::string>& own,
                   std::string& error);

    // Puts the host file at guest_path, read-only (made with its parent
    // directories if absent; kept when a bind shows it there already).
    bool bind_file(const std::string& host_file, std::string_view guest_path, std::string& error);

    // Makes a directory chain (mkdir -p) at boot: the guest's /tmp, its cwd.
    NodePtr make_directories(std::string_view path, u32 mode);

private:
    NodePtr new_node(NodeType type, u32 mode);
    NodePtr child(const NodePtr& directory, std::string_view name, i64& error);
    void load_host_directory(const NodePtr& directory);
    NodePtr host_node(const std::string& host_path, bool read_only);
    Lookup walk(std::string_view path, const NodePtr& cwd, bool follow_last, int& symlinks);
    static i64 existing(const Lookup& found);
    i64 require_empty(const NodePtr& directory);
    i64 add_entry(const Lookup& at, const NodePtr& node);

    Clock clock_;
    i64 boot_ns_ = 0; // the clock when the tree was made: host files' times
    NodePtr root_;
    u64 next_ino_ = 1;
};

} // namespace crossrt::kernel::posix
