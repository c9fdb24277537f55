// The run's file system as the path syscalls see it: the tree (fs_tree.h)
// with its binds, the virtual file set (vfs.h) in front of it, the
// program's own binary, every process's cwd and umask, and a cap on the
// bytes the guest's files may hold. Each personality decodes its flags and
// structures and calls these; errors are -err::X (types.h).
#pragma once

#include "base/mount.h"
#include "kernel/elf_load.h"
#include "kernel/posix/files.h"
#include "kernel/posix/fs_tree.h"
#include "kernel/posix/stat.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/types.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// The dirfd that means "the cwd": -100 in both personalities.
constexpr i64 kAtCwd = -100;

struct FileSystem {
    explicit FileSystem(FileTree::Clock clock) : tree(std::move(clock)) {}
    FileTree tree;
    // Where the guest finds the program it runs (/proc/self/exe's target).
    std::string executable;
    bool linux_files = false; // /proc and /sys files (vfs.h) are there too
    // Bytes the guest may make its files hold, in all (ENOSPC past it):
    // the tree is host memory.
    u64 capacity = 0;
    u64 used = 0;
    // The pipes of the FIFOs that have an end open (or an open waiting),
    // by inode: gone with the last end, and their data with them.
    std::map<u64, std::shared_ptr<Pipe>> fifos;
};

// Builds the tree a run starts with: /, /tmp (sticky, everyone's), /dev,
// /proc and /sys (holding the virtual files), the binds, the cwd (made if
// absent) and the program at executable_path. False and why in error.
struct FileSystemSetup {
    std::string sysroot; // --sysroot: its entries at /, below the mounts (empty: none)
    std::vector<Mount> mounts;
    std::string cwd = "/tmp";
    std::string executable_host; // the program's host file
    std::string executable_path; // where the guest sees it (absolute), or ""
    u64 capacity = 0;
};
bool setup_file_system(FileSystem& fs, const FileSystemSetup& setup, NodePtr& cwd,
                       std::string& error);

// open(2)'s flags, as the caller's personality decoded them.
struct OpenFlags {
    bool read = true;
    bool write = false;
    bool create = false;
    bool exclusive = false;
    bool truncate = false;
    bool append = false;
    bool directory = false; // O_DIRECTORY: ENOTDIR unless it is one
    bool nofollow = false;  // O_NOFOLLOW: ELOOP on a symlink
    bool nonblock = false;
    bool cloexec = false;
    bool path_only = false; // Linux's O_PATH: a handle for *at and fstat
    u32 mode = 0666;        // for a new file, before the umask
};

// The new fd, or -errno; an open of a FIFO may wait for its other end
// (fifo.h).
SysResult open_at(Process& m, Lwp& self, i64 dirfd, const std::string& path,
                  const OpenFlags& flags);
// mkfifo/mknod: a FIFO node; mknod's other types as an ordinary user gets
// them (a regular file; EPERM for devices, directories and sockets, which
// the tree does not hold).
enum class NodeKind { regular, fifo, device, socket, directory };
// mknod's mode: S_IFMT's type (the same numbers on Linux and NetBSD).
NodeKind node_kind(u32 mode);
i64 mknod_at(Process& m, i64 dirfd, const std::string& path, NodeKind kind, u32 mode);

// An AF_UNIX socket's name (socket.h): bind makes the node at path
// (EADDRINUSE when the name exists), connect and sendto find it
// (ECONNREFUSED for a file that is no socket, EACCES without the write
// bit). nullptr and the error when not.
NodePtr make_socket_node(Process& m, const std::string& path, i64& error);
NodePtr socket_node(Process& m, const std::string& path, i64& error);

// stat of a path (follow: stat, else lstat), or of an open fd.
i64 stat_at(Process& m, i64 dirfd, const std::string& path, bool follow, FileStat& out);
i64 stat_fd(Process& m, u64 fd, FileStat& out);

// The *at calls. flags: what the personality decoded (remove_directory is
// unlinkat's AT_REMOVEDIR).
i64 mkdir_at(Process& m, i64 dirfd, const std::string& path, u32 mode);
i64 unlink_at(Process& m, i64 dirfd, const std::string& path, bool remove_directory);
i64 rename_at(Process& m, i64 from_dirfd, const std::string& from, i64 to_dirfd,
              const std::string& to);
i64 link_at(Process& m, i64 from_dirfd, const std::string& from, i64 to_dirfd,
            const std::string& to, bool follow);
i64 symlink_at(Process& m, const std::string& target, i64 dirfd, const std::string& path);
// The link's target, or -errno (EINVAL: not a symlink).
i64 readlink_at(Process& m, i64 dirfd, const std::string& path, std::string& target);
// access(2): 0 when the file exists and the modes (R 4, W 2, X 1) are
// allowed to the guest's user (the owner of every file in the tree).
i64 access_at(Process& m, i64 dirfd, const std::string& path, u32 modes, bool follow);
i64 chmod_at(Process& m, i64 dirfd, const std::string& path, u32 mode);
i64 chmod_fd(Process& m, u64 fd, u32 mode);
i64 truncate_at(Process& m, i64 dirfd, const std::string& path, i64 length);
i64 truncate_fd(Process& m, u64 fd, i64 length);
// utimensat and the utimes family: each time is now (on the run's
// CLOCK_REALTIME), left as it is, or set (any time, before 1970 too).
struct FileTime {
    enum class Kind { now, omit, set };
    Kind kind = Kind::now;
    i64 ns = 0; // set: since the epoch
};
i64 set_times_at(Process& m, i64 dirfd, const std::string& path, bool follow, FileTime atime,
                 FileTime mtime);
i64 set_times_fd(Process& m, u64 fd, FileTime atime, FileTime mtime);
// chown: uid and gid, or -1 to keep. The guest is not root: it may give a
// file of its own to its own user and to one of its groups (EPERM else).
i64 chown_at(Process& m, i64 dirfd, const std::string& path, bool follow, i64 uid, i64 gid);
i64 chown_fd(Process& m, u64 fd, i64 uid, i64 gid);

// execve's file: a regular file of the tree the guest may execute, read
// as an ELF for the caller's target, with its interpreter when it is
// dynamic (interp.h). -ENOENT and the like for the path (or for the
// interpreter's), -EACCES for what is not an executable file, -ENOEXEC
// (and why) for what the kernel cannot run: another arch or OS (as a real
// kernel without binfmt_misc refuses it), what is not ELF; -ELIBBAD for an
// unusable interpreter.
i64 executable_at(Process& m, const std::string& path, ElfImage& image, std::string& why);

// The cwd.
i64 chdir_path(Process& m, const std::string& path);
i64 chdir_fd(Process& m, u64 fd);
std::string cwd_path(Process& m);

// The umask: the old one.
u32 set_umask(Process& m, u32 mask);

// One directory entry as getdents reports it.
enum class DirType : u8 { unknown = 0, fifo = 1, chr = 2, dir = 4, reg = 8, lnk = 10, sock = 12 };
struct DirEntry {
    u64 ino = 0;
    std::string name;
    DirType type = DirType::unknown;
    u64 cookie = 0; // d_off: where the next entry starts (lseek to it)
};
// How a personality lays out one entry (struct dirent / linux_dirent64).
using DirentEncoder = std::function<std::vector<u8>(const DirEntry&)>;
// getdents: as many whole entries as fit in size bytes, from where the
// last call stopped: the bytes written, 0 at the end, EINVAL when even one
// does not fit, ENOTDIR for a file, EBADF for what is not of the tree.
i64 read_directory(Process& m, u64 fd, u64 buffer, u64 size, const DirentEncoder& encode);

} // namespace crossrt::kernel::posix
