#include "kernel/posix/fs.h"

#include "kernel/posix/fifo.h"
#include "kernel/posix/interp.h"
#include "kernel/posix/process.h"
#include "kernel/posix/socket.h"
#include "kernel/posix/vfs.h"
#include "kernel/process.h"

#include <algorithm>
#include <fmt/format.h>

namespace crossrt::kernel::posix {
namespace {

constexpr std::string_view kSelfExe = "/proc/self/exe";
constexpr std::string_view kCurprocExe = "/proc/curproc/exe"; // NetBSD's procfs name
constexpr std::string_view kSelfCwd = "/proc/self/cwd";
constexpr std::string_view kSelfFd = "/proc/self/fd/";

// A path with "//", "." and ".." taken out lexically: how the virtual
// files (which have no directories in the tree to walk) are matched.
std::string normalize(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t at = 0;
    while (at <= path.size()) {
        std::size_t slash = std::min(path.find('/', at), path.size());
        std::string_view part = path.substr(at, slash - at);
        if (part == "..") {
            if (!parts.empty())
                parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        at = slash + 1;
    }
    std::string out;
    for (std::string_view part : parts)
        out += "/" + std::string(part);
    return out.empty() ? "/" : out;
}

FileSystem& fs_of(Process& m) {
    return m.file_system();
}

// The directory a relative path starts from: the cwd, or dirfd's directory.
NodePtr start_dir(Process& m, i64 dirfd, const std::string& path, i64& error) {
    if ((!path.empty() && path.front() == '/') || dirfd == kAtCwd)
        return m.cwd();
    OpenFile* file = dirfd < 0 ? nullptr : m.files().find(static_cast<u64>(dirfd));
    if (file == nullptr) {
        error = -err::BADF;
        return nullptr;
    }
    if (file->kind != FileKind::tree || file->tree->node->type != NodeType::directory) {
        error = -err::NOTDIR;
        return nullptr;
    }
    return file->tree->node;
}

// The absolute, lexically normal path, for the virtual set and /proc/self.
std::string absolute(Process& m, const NodePtr& dir, const std::string& path) {
    if (!path.empty() && path.front() == '/')
        return normalize(path);
    return normalize(fs_of(m).tree.path_of(dir) + "/" + path);
}

bool is_virtual(Process& m, const std::string& absolute_path) {
    std::vector<std::string> paths = virtual_paths(fs_of(m).linux_files);
    return std::find(paths.begin(), paths.end(), absolute_path) != paths.end();
}

// Where a path resolves: the tree (dir and path to walk), or a file of the
// virtual set (absolute), after /proc/self/exe and /proc/self/cwd became
// what they name.
struct Target {
    NodePtr dir;
    std::string path;
    std::string virtual_path; // set: a virtual file
    bool proc_link = false;   // a /proc/self link (lstat: a symlink)
    i64 error = 0;
};

Target resolve(Process& m, i64 dirfd, const std::string& path) {
    Target target;
    if (path.empty()) {
        target.error = -err::NOENT;
        return target;
    }
    target.dir = start_dir(m, dirfd, path, target.error);
    if (target.error != 0)
        return target;
    target.path = path;
    std::string full = absolute(m, target.dir, path);
    if (is_virtual(m, full)) {
        target.virtual_path = full;
        return target;
    }
    FileSystem& fs = fs_of(m);
    if (full == (fs.linux_files ? kSelfExe : kCurprocExe) && !m.exe_path().empty()) {
        target.path = m.exe_path();
        target.proc_link = true;
    } else if (fs.linux_files && full == kSelfCwd) {
        target.path = ".";
        target.dir = m.cwd();
        target.proc_link = true;
    }
    return target;
}

// A path's node in the tree (a /proc/self link followed always, the last
// symlink when follow): nullptr with the error, or with virtual_path set
// when the path names a file of the virtual set.
struct Found {
    NodePtr node;
    i64 error = 0;
    std::string virtual_path;
};

Found find_node(Process& m, i64 dirfd, const std::string& path, bool follow) {
    Found found;
    Target target = resolve(m, dirfd, path);
    if (target.error != 0) {
        found.error = target.error;
    } else if (!target.virtual_path.empty()) {
        found.virtual_path = target.virtual_path;
    } else {
        found.node =
            fs_of(m).tree.find(target.path, target.dir, follow || target.proc_link, found.error);
    }
    return found;
}

// The stat of a file of the virtual set: the devices are character
// devices, the rest read-only regular files that report no size (as
// Linux's /proc and /sys files do).
FileStat virtual_stat(const std::string& path) {
    FileStat stat;
    stat.dev = kTreeDevice + 1;
    stat.ino = std::hash<std::string>{}(path)&0xffffff;
    bool device = path.starts_with("/dev/");
    stat.mode = device ? kModeCharDevice | 0666 : kModeRegular | 0444;
    stat.rdev = device ? 0x100 : 0;
    stat.uid = stat.gid = 0;
    return stat;
}

FileStat symlink_stat(const std::string& target) {
    FileStat stat;
    stat.dev = kTreeDevice + 1;
    stat.mode = kModeSymlink | 0777;
    stat.size = static_cast<i64>(target.size());
    stat.uid = stat.gid = kGuestUid;
    return stat;
}

// A tree fd's open file, or nullptr and EBADF (EINVAL for a directory
// where a file is needed).
TreeFile* tree_file(Process& m, u64 fd, i64& error) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr) {
        error = -err::BADF;
        return nullptr;
    }
    if (file->kind != FileKind::tree) {
        error = -err::INVAL;
        return nullptr;
    }
    return file->tree.get();
}

i64 permitted(const Node& node, bool read, bool write) {
    if (write && node.read_only)
        return -err::ROFS;
    u32 bits = guest_bits(node);
    if ((read && (bits & 4) == 0) || (write && (bits & 2) == 0))
        return -err::ACCES;
    return 0;
}

// Resizes a regular file within the file system's capacity.
i64 resize(FileSystem& fs, Node& node, u64 size) {
    if (size > kMaxFileSize)
        return -err::FBIG;
    u64 old = node.data.size();
    if (size > old && fs.used + (size - old) > fs.capacity)
        return -err::NOSPC;
    fs.used = size > old ? fs.used + (size - old) : fs.used - std::min(fs.used, old - size);
    node.data.resize(size);
    fs.tree.touch(node);
    return 0;
}

i64 install(Process& m, OpenFile file) {
    int fd = m.files().lowest_free();
    if (!m.files().within_limit(static_cast<u64>(fd)))
        return -err::MFILE;
    m.files().open[fd] = std::move(file);
    return fd;
}

// A file of the skeleton, made before its directory is root's.
void make_system_file(FileTree& tree, std::string_view path, std::string content) {
    i64 error = 0;
    NodePtr file = tree.open_file(path, tree.root(), true, true, 0644, false, error);
    if (!file)
        return;
    file->data = std::move(content);
    file->uid = file->gid = kRootOwner;
}

// What a Unix system has before anyone logs in, root's as on a real one:
// the directories programs expect (/usr/bin and /bin stay empty: the
// host's programs are not the guest's), /tmp (sticky, everyone's), and
// in /etc the files the users, groups and hosts are looked up in, which
// name the guest's user (1000, crossrt) and the machine (crossrt).
void make_skeleton(FileTree& tree) {
    NodePtr tmp = tree.make_directories("/tmp", 0777);
    tmp->mode = 01777;
    std::vector<NodePtr> system = {tree.root(), tmp};
    for (const char* dir : {"/dev", "/proc/self", "/proc/curproc", "/sys/devices/system/cpu",
                            "/etc", "/usr/bin", "/bin"}) {
        // Each directory of the path, not only its last.
        std::string_view path(dir);
        for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
            system.push_back(tree.make_directories(path.substr(0, slash), 0755));
            if (slash == std::string_view::npos)
                break;
        }
    }
    make_system_file(tree, "/etc/passwd",
                     "root:x:0:0:root:/root:/bin/sh\n"
                     "crossrt:x:1000:1000:crossrt guest:/tmp:/bin/sh\n");
    make_system_file(tree, "/etc/group", "root:x:0:\ncrossrt:x:1000:\n");
    make_system_file(tree, "/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
    make_system_file(tree, "/etc/hostname", std::string(kHostname) + "\n");
    for (const NodePtr& dir : system) {
        if (dir)
            dir->uid = dir->gid = kRootOwner;
    }
}

} // namespace

bool setup_file_system(FileSystem& fs, const FileSystemSetup& setup, NodePtr& cwd,
                       std::string& error) {
    fs.capacity = setup.capacity;
    FileTree& tree = fs.tree;
    make_skeleton(tree);
    // The run's own: what the skeleton holds files in, and the virtual
    // file sets; everything else at / may come from the sysroot.
    if (!setup.sysroot.empty() &&
        !tree.bind_root(setup.sysroot, {"dev", "etc", "proc", "sys", "tmp"}, error))
        return false;
    for (const Mount& mount : setup.mounts) {
        if (!tree.bind(mount.host, mount.guest, mount.read_only, error))
            return false;
    }
    // The program, when its host file can be shown (a kernel booted from an
    // image in memory, as tests do, has none: /proc/self/exe is ENOENT).
    std::string unshown;
    if (!setup.executable_path.empty() &&
        tree.bind_file(setup.executable_host, setup.executable_path, unshown))
        fs.executable = setup.executable_path;
    // A cwd that exists (through a bind's symlinks too) is taken as it is.
    i64 missing = 0;
    cwd = tree.find(setup.cwd, tree.root(), true, missing);
    if (!cwd || cwd->type != NodeType::directory)
        cwd = tree.make_directories(setup.cwd, 0755);
    if (!cwd) {
        error = fmt::format("--cwd {}: a file of the guest's tree is in the way", setup.cwd);
        return false;
    }
    return true;
}

SysResult open_at(Process& m, Lwp& self, i64 dirfd, const std::string& path,
                  const OpenFlags& flags) {
    Target target = resolve(m, dirfd, path);
    if (target.error != 0)
        return SysResult::of(target.error);
    if (!target.virtual_path.empty()) {
        if (flags.create && flags.exclusive)
            return SysResult::of(-err::EXIST);
        if (flags.directory)
            return SysResult::of(-err::NOTDIR);
        OpenRequest request;
        request.path = target.virtual_path;
        request.read = flags.read;
        request.write = flags.write;
        request.nonblock = flags.nonblock;
        request.cloexec = flags.cloexec;
        request.linux_files = fs_of(m).linux_files;
        return SysResult::of(open_virtual(m, request));
    }
    FileSystem& fs = fs_of(m);
    i64 error = 0;
    bool follow = !flags.nofollow || target.proc_link;
    NodePtr node;
    bool created = false;
    if (flags.create && !flags.directory) {
        u32 mode = flags.mode & ~m.umask() & 07777;
        node = fs.tree.open_file(target.path, target.dir, true, flags.exclusive, mode, follow,
                                 error, &created);
    } else {
        node = fs.tree.find(target.path, target.dir, follow, error);
    }
    if (!node)
        return SysResult::of(error);
    if (node->type == NodeType::symlink && !flags.path_only)
        return SysResult::of(-err::LOOP); // O_NOFOLLOW met one
    if (node->type == NodeType::directory && !flags.path_only) {
        if (flags.write || flags.truncate)
            return SysResult::of(-err::ISDIR);
    } else if (flags.directory && node->type != NodeType::directory) {
        return SysResult::of(-err::NOTDIR);
    }
    if (node->type == NodeType::socket && !flags.path_only)
        return SysResult::of(-err::NXIO); // a socket is connected to, not opened
    if (node->type == NodeType::fifo && !flags.path_only) {
        if (i64 denied = permitted(*node, flags.read, flags.write); denied != 0)
            return SysResult::of(denied);
        return fifo_open(m, self, *node, flags);
    }
    if (!flags.path_only) {
        // The open that creates a file may use it as asked, whatever its mode.
        if (i64 denied = created ? 0 : permitted(*node, flags.read, flags.write); denied != 0)
            return SysResult::of(denied);
        if (node->type == NodeType::regular) {
            if (i64 failed = fs.tree.load(*node); failed != 0)
                return SysResult::of(failed);
        }
    }
    if (flags.truncate && flags.write && node->type == NodeType::regular) {
        if (i64 failed = resize(fs, *node, 0); failed != 0)
            return SysResult::of(failed);
    }
    auto open = std::make_shared<TreeFile>();
    open->node = node;
    open->path = node->type == NodeType::directory ? fs.tree.path_of(node)
                                                   : absolute(m, target.dir, target.path);
    open->readable = flags.read && !flags.path_only;
    open->writable = flags.write && !flags.path_only;
    open->append = flags.append;
    OpenFile file;
    file.kind = FileKind::tree;
    file.tree = std::move(open);
    file.nonblock = flags.nonblock;
    file.cloexec = flags.cloexec;
    return SysResult::of(install(m, std::move(file)));
}

NodeKind node_kind(u32 mode) {
    switch (mode & 0170000) {
    case 0:
    case kModeRegular:
        return NodeKind::regular;
    case kModeFifo:
        return NodeKind::fifo;
    case kModeDirectory:
        return NodeKind::directory;
    case 0140000:
        return NodeKind::socket;
    default:
        return NodeKind::device;
    }
}

i64 mknod_at(Process& m, i64 dirfd, const std::string& path, NodeKind kind, u32 mode) {
    Target target = resolve(m, dirfd, path);
    if (target.error != 0)
        return target.error;
    if (!target.virtual_path.empty() || target.proc_link)
        return -err::EXIST;
    FileTree& tree = fs_of(m).tree;
    u32 permissions = mode & ~m.umask() & 07777;
    switch (kind) {
    case NodeKind::fifo:
        return tree.mkfifo(target.path, target.dir, permissions);
    case NodeKind::regular: {
        i64 error = 0;
        NodePtr node =
            tree.open_file(target.path, target.dir, true, true, permissions, false, error);
        return node ? 0 : error;
    }
    case NodeKind::directory: // mkdir's, not mknod's
    case NodeKind::device:    // a privileged call
    case NodeKind::socket:    // bind makes a socket's node (socket.h), not mknod
        break;
    }
    return -err::PERM;
}

NodePtr make_socket_node(Process& m, const std::string& path, i64& error) {
    Target target = resolve(m, kAtCwd, path);
    error = target.error != 0 ? target.error : target.virtual_path.empty() ? 0 : -err::ADDRINUSE;
    if (error != 0)
        return nullptr;
    // As Linux's unix_bind: the node's bits are 0777 less the umask.
    return fs_of(m).tree.mksocket(target.path, target.dir, 0777 & ~m.umask(), error);
}

NodePtr socket_node(Process& m, const std::string& path, i64& error) {
    Found found = find_node(m, kAtCwd, path, true);
    error = found.error;
    if (!found.node) {
        if (error == 0)
            error = -err::CONNREFUSED; // a file of the virtual set
        return nullptr;
    }
    if (found.node->type != NodeType::socket) {
        error = -err::CONNREFUSED; // a file, but nobody listens there
        return nullptr;
    }
    if ((guest_bits(*found.node) & 2) == 0) {
        error = -err::ACCES; // connecting needs the write bit, as Linux says
        return nullptr;
    }
    return found.node;
}

i64 stat_at(Process& m, i64 dirfd, const std::string& path, bool follow, FileStat& out) {
    Target target = resolve(m, dirfd, path);
    if (target.error != 0)
        return target.error;
    if (!target.virtual_path.empty()) {
        out = virtual_stat(target.virtual_path);
        return 0;
    }
    if (target.proc_link && !follow) {
        std::string link;
        readlink_at(m, dirfd, path, link);
        out = symlink_stat(link);
        return 0;
    }
    i64 error = 0;
    NodePtr node = fs_of(m).tree.find(target.path, target.dir, follow || target.proc_link, error);
    if (!node)
        return error;
    out = stat_of(*node);
    return 0;
}

i64 stat_fd(Process& m, u64 fd, FileStat& out) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr)
        return -err::BADF;
    out = FileStat{};
    out.uid = out.gid = kGuestUid;
    out.ino = fd + 1;
    switch (file->kind) {
    case FileKind::tree:
        out = stat_of(*file->tree->node);
        return 0;
    case FileKind::virtual_file:
        out = virtual_stat(file->vfile->path);
        return 0;
    case FileKind::stream:
        // stdin reads as /dev/null does; stdout and stderr are pipes to
        // the harness.
        out.mode = file->stream == Stream::in ? kModeCharDevice | 0666 : kModeFifo | 0600;
        out.rdev = file->stream == Stream::in ? 0x103 : 0;
        return 0;
    case FileKind::pipe_read:
    case FileKind::pipe_write:
        out.mode = kModeFifo | 0600;
        return 0;
    case FileKind::epoll:
    case FileKind::kqueue:
        out.mode = 0600; // an anonymous inode: no file type
        return 0;
    case FileKind::socket:
        out.mode = kModeSocket | 0777;
        out.ino = file->socket->id;
        return 0;
    }
    return -err::BADF;
}

i64 mkdir_at(Process& m, i64 dirfd, const std::string& path, u32 mode) {
    Target target = resolve(m, dirfd, path);
    if (target.error != 0)
        return target.error;
    if (!target.virtual_path.empty() || target.proc_link)
        return -err::EXIST;
    return fs_of(m).tree.mkdir(target.path, target.dir, mode & ~m.umask() & 07777);
}

i64 unlink_at(Process& m, i64 dirfd, const std::string& path, bool remove_directory) {
    Target target = resolve(m, dirfd, path);
    if (target.error != 0)
        return target.error;
    if (!target.virtual_path.empty() || target.proc_link)
        return -err::ACCES;
    FileSystem& fs = fs_of(m);
    if (remove_directory)
        return fs.tree.rmdir(target.path, target.dir);
    Lookup found = fs.tree.lookup(target.path, target.dir, false);
    i64 result = fs.tree.unlink(target.path, target.dir);
    // The bytes of a file no name holds any more are given back (an fd
    // still open on it keeps them readable; they are not counted twice).
    if (result == 0 && found.node && found.node->nlink == 0)
        fs.used -= std::min(fs.used, found.node->size());
    return result;
}

namespace {

// A second path of a two-path *at call, made absolute (FileTree's two-path
// operations walk both from one directory).
i64 absolute_at(Process& m, i64 dirfd, const std::string& path, std::string& out) {
    Target target = resolve(m, dirfd, path);
    if (target.error != 0)
        return target.error;
    if (!target.virtual_path.empty() || target.proc_link)
        return -err::ACCES;
    if (path.front() == '/') {
        out = path;
        return 0;
    }
    std::string dir = fs_of(m).tree.path_of(target.dir);
    if (dir.front() != '/')
        return -err::NOENT; // the directory was removed
    out = (dir == "/" ? "" : dir) + "/" + path;
    return 0;
}

} // namespace

i64 rename_at(Process& m, i64 from_dirfd, const std::string& from, i64 to_dirfd,
              const std::string& to) {
    std::string source, target;
    if (i64 error = absolute_at(m, from_dirfd, from, source); error != 0)
        return error;
    if (i64 error = absolute_at(m, to_dirfd, to, target); error != 0)
        return error;
    FileSystem& fs = fs_of(m);
    Lookup replaced = fs.tree.lookup(target, m.cwd(), false);
    i64 result = fs.tree.rename(source, target, m.cwd());
    if (result == 0 && replaced.node && replaced.node->nlink == 0 &&
        replaced.node->type == NodeType::regular)
        fs.used -= std::min(fs.used, replaced.node->size());
    return result;
}

i64 link_at(Process& m, i64 from_dirfd, const std::string& from, i64 to_dirfd,
            const std::string& to, bool follow) {
    std::string source, target;
    if (i64 error = absolute_at(m, from_dirfd, from, source); error != 0)
        return error;
    if (i64 error = absolute_at(m, to_dirfd, to, target); error != 0)
        return error;
    FileTree& tree = fs_of(m).tree;
    if (follow) {
        // linkat's AT_SYMLINK_FOLLOW: the link names what the symlink does.
        i64 error = 0;
        NodePtr node = tree.find(source, m.cwd(), true, error);
        if (!node)
            return error;
        if (node->type == NodeType::directory)
            return -err::PERM;
        Lookup at = tree.lookup(target, m.cwd(), false);
        if (at.error != 0)
            return at.error;
        if (at.node)
            return -err::EXIST;
        if (i64 denied = FileTree::writable(*at.parent); denied != 0)
            return denied;
        at.parent->entries.emplace(at.name, node);
        ++node->nlink;
        tree.touch(*at.parent);
        return 0;
    }
    return tree.link(source, target, m.cwd());
}

i64 symlink_at(Process& m, const std::string& target, i64 dirfd, const std::string& path) {
    Target at = resolve(m, dirfd, path);
    if (at.error != 0)
        return at.error;
    if (!at.virtual_path.empty() || at.proc_link)
        return -err::EXIST;
    return fs_of(m).tree.symlink(target, at.path, at.dir);
}

i64 readlink_at(Process& m, i64 dirfd, const std::string& path, std::string& target) {
    i64 error = 0;
    NodePtr dir = start_dir(m, dirfd, path, error);
    if (error != 0)
        return error;
    if (path.empty())
        return -err::NOENT;
    FileSystem& fs = fs_of(m);
    std::string full = absolute(m, dir, path);
    if (full == (fs.linux_files ? kSelfExe : kCurprocExe) && !m.exe_path().empty()) {
        target = m.exe_path();
        return 0;
    }
    if (fs.linux_files && full == kSelfCwd) {
        target = cwd_path(m);
        return 0;
    }
    if (fs.linux_files && full.starts_with(kSelfFd)) {
        std::string number = full.substr(kSelfFd.size());
        u64 fd = 0;
        for (char c : number)
            fd = c >= '0' && c <= '9' && fd < (1u << 20) ? fd * 10 + static_cast<u64>(c - '0')
                                                         : (1u << 21);
        OpenFile* file = number.empty() ? nullptr : m.files().find(fd);
        if (file == nullptr)
            return -err::NOENT;
        switch (file->kind) {
        case FileKind::tree:
            target = file->tree->path;
            break;
        case FileKind::virtual_file:
            target = file->vfile->path;
            break;
        case FileKind::stream:
            target = file->stream == Stream::in ? "/dev/null" : fmt::format("pipe:[{}]", fd);
            break;
        case FileKind::socket:
            target = fmt::format("socket:[{}]", file->socket->id);
            break;
        default:
            target = fmt::format("anon_inode:[{}]", fd);
            break;
        }
        return 0;
    }
    if (is_virtual(m, full))
        return -err::INVAL;
    Lookup found = fs.tree.lookup(path, dir, false);
    if (found.error != 0)
        return found.error;
    if (!found.node)
        return -err::NOENT;
    if (found.node->type != NodeType::symlink)
        return -err::INVAL;
    target = found.node->data;
    return 0;
}

i64 access_at(Process& m, i64 dirfd, const std::string& path, u32 modes, bool follow) {
    Found found = find_node(m, dirfd, path, follow);
    if (!found.virtual_path.empty()) {
        bool device = found.virtual_path.starts_with("/dev/");
        return (modes & 1) != 0 || ((modes & 2) != 0 && !device) ? -err::ACCES : 0;
    }
    if (!found.node)
        return found.error;
    if ((modes & 2) != 0 && found.node->read_only)
        return -err::ROFS;
    return (modes & 7 & ~guest_bits(*found.node)) != 0 ? -err::ACCES : 0;
}

namespace {

i64 chmod_node(FileSystem& fs, Node& node, u32 mode) {
    if (i64 denied = FileTree::writable(node); denied != 0)
        return denied;
    node.mode = mode & 07777;
    fs.tree.touch(node);
    return 0;
}

} // namespace

i64 chmod_at(Process& m, i64 dirfd, const std::string& path, u32 mode) {
    Found found = find_node(m, dirfd, path, true);
    if (!found.virtual_path.empty())
        return -err::PERM;
    return found.node ? chmod_node(fs_of(m), *found.node, mode) : found.error;
}

i64 chmod_fd(Process& m, u64 fd, u32 mode) {
    i64 error = 0;
    TreeFile* file = tree_file(m, fd, error);
    if (file == nullptr)
        return error == -err::INVAL ? -err::PERM : error;
    return chmod_node(fs_of(m), *file->node, mode);
}

i64 truncate_at(Process& m, i64 dirfd, const std::string& path, i64 length) {
    if (length < 0)
        return -err::INVAL;
    Found found = find_node(m, dirfd, path, true);
    if (!found.virtual_path.empty())
        return -err::ACCES;
    if (!found.node)
        return found.error;
    Node& node = *found.node;
    if (node.type == NodeType::directory)
        return -err::ISDIR;
    if (i64 denied = permitted(node, false, true); denied != 0)
        return denied;
    if (i64 failed = fs_of(m).tree.load(node); failed != 0)
        return failed;
    return resize(fs_of(m), node, static_cast<u64>(length));
}

i64 truncate_fd(Process& m, u64 fd, i64 length) {
    i64 error = 0;
    TreeFile* file = tree_file(m, fd, error);
    if (file == nullptr)
        return error;
    if (length < 0 || !file->writable || file->node->type != NodeType::regular)
        return -err::INVAL;
    if (i64 denied = FileTree::writable(*file->node); denied != 0)
        return denied;
    return resize(fs_of(m), *file->node, static_cast<u64>(length));
}

namespace {

// The node a path or an fd names for a metadata change (chown,
// utimensat), or nullptr and the error; the virtual files refuse (EPERM).
NodePtr node_at(Process& m, i64 dirfd, const std::string& path, bool follow, i64& error) {
    Found found = find_node(m, dirfd, path, follow);
    if (!found.virtual_path.empty()) {
        error = -err::PERM;
        return nullptr;
    }
    error = found.error;
    return found.node;
}

NodePtr node_of_fd(Process& m, u64 fd, i64& error) {
    OpenFile* file = m.files().find(fd);
    if (file == nullptr) {
        error = -err::BADF;
        return nullptr;
    }
    if (file->kind != FileKind::tree) {
        error = -err::PERM; // pipes, queues, the host's streams, devices
        return nullptr;
    }
    return file->tree->node;
}

i64 set_times(FileSystem& fs, Node& node, FileTime atime, FileTime mtime) {
    if (i64 denied = FileTree::writable(node); denied != 0)
        return denied;
    i64 now = fs.tree.now();
    auto apply = [now](i64& field, FileTime time) {
        if (time.kind != FileTime::Kind::omit)
            field = time.kind == FileTime::Kind::now ? now : time.ns;
    };
    apply(node.atime_ns, atime);
    apply(node.mtime_ns, mtime);
    node.ctime_ns = now;
    return 0;
}

i64 change_owner(FileSystem& fs, Node& node, i64 uid, i64 gid) {
    if ((uid != -1 && uid != node.uid) || (gid != -1 && gid != kGuestUid))
        return -err::PERM;
    if (i64 denied = FileTree::writable(node); denied != 0)
        return denied;
    if (gid != -1)
        node.gid = static_cast<u32>(gid);
    node.ctime_ns = fs.tree.now();
    return 0;
}

} // namespace

i64 set_times_at(Process& m, i64 dirfd, const std::string& path, bool follow, FileTime atime,
                 FileTime mtime) {
    i64 error = 0;
    NodePtr node = node_at(m, dirfd, path, follow, error);
    return node ? set_times(fs_of(m), *node, atime, mtime) : error;
}

i64 set_times_fd(Process& m, u64 fd, FileTime atime, FileTime mtime) {
    i64 error = 0;
    NodePtr node = node_of_fd(m, fd, error);
    return node ? set_times(fs_of(m), *node, atime, mtime) : error;
}

i64 chown_at(Process& m, i64 dirfd, const std::string& path, bool follow, i64 uid, i64 gid) {
    i64 error = 0;
    NodePtr node = node_at(m, dirfd, path, follow, error);
    return node ? change_owner(fs_of(m), *node, uid, gid) : error;
}

i64 chown_fd(Process& m, u64 fd, i64 uid, i64 gid) {
    i64 error = 0;
    NodePtr node = node_of_fd(m, fd, error);
    return node ? change_owner(fs_of(m), *node, uid, gid) : error;
}

i64 executable_at(Process& m, const std::string& path, ElfImage& image, std::string& why) {
    Found found = find_node(m, kAtCwd, path, true);
    if (!found.virtual_path.empty())
        return -err::ACCES;
    if (!found.node)
        return found.error;
    const NodePtr& node = found.node;
    if (node->type != NodeType::regular || (node->mode & 0100) == 0)
        return -err::ACCES;
    // A file the run wrote (or changed) is executed from the tree's bytes;
    // one only mirrored from a bind, from its host file.
    std::string full = path.front() == '/' ? normalize(path) : normalize(cwd_path(m) + "/" + path);
    ElfRead read = read_node_elf(*node, full);
    if (!read.image) {
        why = read.error;
        return -err::NOEXEC;
    }
    const ElfImage& own = m.image();
    if (read.image->arch != own.arch || read.image->os != own.os) {
        why = fmt::format("a {}-{} binary, and this process runs {}-{} ones",
                          arch_name(read.image->arch), read.image->os, arch_name(own.arch), own.os);
        return -err::NOEXEC;
    }
    // A missing interpreter is the execve's error (ENOENT), before the
    // point of no return, as Linux has it.
    if (i64 error = attach_interpreter(fs_of(m).tree, *read.image, why); error != 0)
        return error;
    image = std::move(*read.image);
    // Where the guest finds it again (/proc/self/exe): the path it named,
    // or the program that link names.
    if (full == (fs_of(m).linux_files ? kSelfExe : kCurprocExe))
        full = m.exe_path();
    image.path = full;
    return 0;
}

i64 chdir_path(Process& m, const std::string& path) {
    Found found = find_node(m, kAtCwd, path, true);
    if (!found.virtual_path.empty())
        return -err::NOTDIR;
    if (!found.node)
        return found.error;
    if (found.node->type != NodeType::directory)
        return -err::NOTDIR;
    if ((found.node->mode & 0100) == 0)
        return -err::ACCES;
    m.cwd() = found.node;
    return 0;
}

i64 chdir_fd(Process& m, u64 fd) {
    i64 error = 0;
    TreeFile* file = tree_file(m, fd, error);
    if (file == nullptr)
        return error == -err::INVAL ? -err::NOTDIR : error;
    if (file->node->type != NodeType::directory)
        return -err::NOTDIR;
    m.cwd() = file->node;
    return 0;
}

std::string cwd_path(Process& m) {
    return fs_of(m).tree.path_of(m.cwd());
}

u32 set_umask(Process& m, u32 mask) {
    u32 old = m.umask();
    m.umask() = mask & 0777;
    return old;
}

namespace {

DirType type_of(const Node& node) {
    switch (node.type) {
    case NodeType::directory:
        return DirType::dir;
    case NodeType::regular:
        return DirType::reg;
    case NodeType::symlink:
        return DirType::lnk;
    case NodeType::fifo:
        return DirType::fifo;
    case NodeType::socket:
        return DirType::sock;
    }
    return DirType::unknown;
}

} // namespace

i64 read_directory(Process& m, u64 fd, u64 buffer, u64 size, const DirentEncoder& encode) {
    i64 error = 0;
    TreeFile* file = tree_file(m, fd, error);
    if (file == nullptr)
        return error == -err::INVAL ? -err::NOTDIR : error;
    const NodePtr& dir = file->node;
    if (dir->type != NodeType::directory)
        return -err::NOTDIR;
    const auto* entries = fs_of(m).tree.entries(dir, error);
    if (entries == nullptr)
        return error;
    std::vector<u8> out;
    auto add = [&](const DirEntry& entry) {
        std::vector<u8> bytes = encode(entry);
        if (out.size() + bytes.size() > size)
            return false;
        out.insert(out.end(), bytes.begin(), bytes.end());
        return true;
    };
    while (file->listed < 2) {
        // "." and "..", first, as every kernel lists them.
        const NodePtr& node = file->listed == 0 ? dir : FileTree::parent_of(dir);
        if (!add({node->ino, file->listed == 0 ? "." : "..", DirType::dir, file->listed + 1}))
            return out.empty() ? -err::INVAL : static_cast<i64>(out.size());
        ++file->listed;
    }
    for (auto it = entries->upper_bound(file->listed_after); it != entries->end(); ++it) {
        if (!add({it->second->ino, it->first, type_of(*it->second), file->listed + 1})) {
            if (out.empty())
                return -err::INVAL;
            break;
        }
        ++file->listed;
        file->listed_after = it->first;
    }
    if (out.empty())
        return 0;
    if (!m.memory().write(buffer, out.data(), out.size()))
        return -err::FAULT;
    return static_cast<i64>(out.size());
}

} // namespace crossrt::kernel::posix
