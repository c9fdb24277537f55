#include "backend/guest_root.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace crossrt {
namespace {

namespace fs = std::filesystem;

// Where init builds the root: mounted over the /tmp of its private copy of
// the host's mounts (every entry was copied before, so nothing under the
// host's /tmp is lost), then made the root.
constexpr const char* kStaging = "/tmp";

bool is_under(const std::string& path, const std::string& dir) {
    return path == dir ||
           (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

// Makes the directories leading to relative path (not the last component).
void make_parents(const char* path) noexcept {
    char buffer[4096];
    std::size_t length = std::strlen(path);
    if (length >= sizeof buffer)
        return;
    std::memcpy(buffer, path, length + 1);
    for (char* slash = std::strchr(buffer, '/'); slash != nullptr;
         slash = std::strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(buffer, 0755);
        *slash = '/';
    }
}

unsigned attributes_for(GuestRoot::Access access) {
    switch (access) {
    case GuestRoot::Access::read_only:
        return MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    case GuestRoot::Access::writable:
        return MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    case GuestRoot::Access::device:
        return MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
    }
    return MOUNT_ATTR_RDONLY;
}

} // namespace

void GuestRoot::add_entry(Entry entry) {
    entries_.push_back(std::move(entry));
}

void GuestRoot::add(const std::string& given, Access access, bool request_path) {
    std::error_code failed;
    fs::path absolute = fs::absolute(given, failed).lexically_normal();
    if (!absolute.has_filename())
        absolute = absolute.parent_path(); // "/a/b/" is "/a/b"
    // Its folder without symlinks, which would lead out of the root being
    // built (an absolute one, to the host's tree); the last component as
    // it is, so that a symlink there is shown as one.
    fs::path folder = fs::canonical(absolute.parent_path(), failed);
    std::string path = (folder / absolute.filename()).string();
    struct stat info {};
    // The host's root is never shown whole: the guest's / is its own.
    if (failed || path == "/" || lstat(path.c_str(), &info) != 0)
        return;
    if (S_ISLNK(info.st_mode)) {
        fs::path target = fs::read_symlink(path, failed);
        if (failed)
            return;
        add_symlink(path, target.string());
        // The target, where the symlink leads (relative to its folder).
        fs::path resolved = fs::canonical(path, failed);
        if (!failed)
            add(resolved.string(), access, request_path);
        return;
    }
    Entry entry;
    entry.path = path;
    entry.access = access;
    entry.directory = S_ISDIR(info.st_mode);
    entry.request_path = request_path;
    entry.owner_uid = info.st_uid;
    entry.owner_gid = info.st_gid;
    add_entry(std::move(entry));
}

void GuestRoot::add_symlink(const std::string& path, const std::string& target) {
    Entry entry;
    entry.path = path;
    entry.link_target = target;
    add_entry(std::move(entry));
}

void GuestRoot::finish(const IdMapping& guest, std::uint64_t tmp_bytes) {
    tmpfs_options_ = fmt::format("size={},mode=0755", tmp_bytes);
    // Parents first; of two entries for one path, the one that gives more.
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
        if (a.path != b.path)
            return a.path < b.path;
        return a.access == Access::writable && b.access != Access::writable;
    });
    std::vector<Entry> kept;
    for (Entry& entry : entries_) {
        bool covered = std::any_of(kept.begin(), kept.end(), [&](const Entry& outer) {
            if (!outer.link_target.empty() || !is_under(entry.path, outer.path))
                return false;
            if (!entry.link_target.empty())
                return entry.path == outer.path;
            // Inside a bind that gives as much, with the same owner mapping.
            bool as_much = outer.access == entry.access ||
                           (outer.access == Access::writable && entry.access == Access::read_only);
            return as_much && outer.request_path == entry.request_path;
        });
        if (!covered)
            kept.push_back(std::move(entry));
    }
    entries_ = std::move(kept);
    // The caller's files appear as the guest's own where another host user
    // (root's files, when crossrt runs as root) owns them.
    // Only a privileged crossrt maps the guest to another host user (and
    // may make idmapped mounts).
    bool privileged = guest.host_uid != geteuid();
    for (Entry& entry : entries_) {
        if (!privileged || !entry.request_path || !entry.link_target.empty() ||
            (entry.owner_uid == guest.host_uid && entry.owner_gid == guest.host_gid))
            continue;
        IdMapping owner{entry.owner_uid, guest.host_uid, entry.owner_gid, guest.host_gid};
        Idmap idmap{owner.uid_map(), owner.gid_map(), -1};
        auto found = std::find_if(idmaps_.begin(), idmaps_.end(), [&](const Idmap& each) {
            return each.uid_map == idmap.uid_map && each.gid_map == idmap.gid_map;
        });
        entry.idmap = static_cast<int>(found - idmaps_.begin());
        if (found == idmaps_.end())
            idmaps_.push_back(std::move(idmap));
    }
}

// A detached copy of the entry's mount, with the entry's access.
bool GuestRoot::clone_tree(Entry& entry) noexcept {
    entry.tree =
        open_tree(AT_FDCWD, entry.path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (entry.tree < 0)
        return false;
    if (entry.idmap >= 0 && idmaps_[static_cast<std::size_t>(entry.idmap)].userns >= 0) {
        // A file system without idmapped mounts keeps the host's owners:
        // the guest then has what its host user has.
        mount_attr idmapped{};
        idmapped.attr_set = MOUNT_ATTR_IDMAP;
        idmapped.userns_fd =
            static_cast<std::uint64_t>(idmaps_[static_cast<std::size_t>(entry.idmap)].userns);
        mount_setattr(entry.tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &idmapped, sizeof idmapped);
    }
    mount_attr attributes{};
    attributes.attr_set = attributes_for(entry.access);
    return mount_setattr(entry.tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attributes,
                         sizeof attributes) == 0;
}

bool GuestRoot::clone_trees(const char** failed) noexcept {
    for (Idmap& idmap : idmaps_)
        idmap.userns = make_user_namespace(idmap.uid_map.c_str(), idmap.gid_map.c_str());
    bool cloned = true;
    for (Entry& entry : entries_) {
        if (!entry.link_target.empty())
            continue;
        *failed = entry.path.c_str();
        if (!clone_tree(entry)) {
            cloned = false;
            break;
        }
    }
    int error = errno;
    for (Idmap& idmap : idmaps_) {
        if (idmap.userns >= 0)
            close(idmap.userns);
        idmap.userns = -1;
    }
    if (!cloned)
        close_trees();
    errno = error;
    return cloned;
}

void GuestRoot::close_trees() noexcept {
    for (Entry& entry : entries_) {
        if (entry.tree >= 0)
            close(entry.tree);
        entry.tree = -1;
    }
}

bool GuestRoot::enter(const char** failed) noexcept {
    auto fail = [&](const char* what) {
        int error = errno;
        *failed = what;
        close_trees();
        errno = error;
        return false;
    };
    // Nothing mounted from here on reaches the host's namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return fail("making the mounts private");
    // What the supervisor could not copy (an unprivileged crossrt may not
    // in the host's mount namespace), from this one; before the tmpfs
    // hides the host's /tmp.
    for (Entry& entry : entries_) {
        if (entry.link_target.empty() && entry.tree < 0 && !clone_tree(entry))
            return fail(entry.path.c_str());
    }
    if (mount("tmpfs", kStaging, "tmpfs", MS_NOSUID | MS_NODEV, tmpfs_options_.c_str()) != 0)
        return fail("mounting the root's tmpfs");
    if (chdir(kStaging) != 0)
        return fail("entering the root's tmpfs");
    for (const char* dir : {"tmp", "proc", "dev"}) {
        if (mkdir(dir, 0755) != 0)
            return fail(dir);
    }
    // The guest's temp dir, as a host's /tmp is.
    if (chmod("tmp", 01777) != 0)
        return fail("tmp");
    for (Entry& entry : entries_) {
        const char* relative = entry.path.c_str() + 1;
        make_parents(relative);
        if (!entry.link_target.empty()) {
            symlink(entry.link_target.c_str(), relative); // may exist inside a bind
            continue;
        }
        if (entry.tree < 0)
            continue;
        // The mount point: the directory or file is there already when the
        // entry lies inside another bind.
        if (entry.directory)
            mkdir(relative, 0755);
        else
            close(open(relative, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        if (move_mount(entry.tree, "", AT_FDCWD, relative, MOVE_MOUNT_F_EMPTY_PATH) != 0)
            return fail(entry.path.c_str());
        close(entry.tree);
        entry.tree = -1;
    }
    // The names a guest resolves without a resolver: localhost on its own
    // loopback (Go's tests listen on "localhost:0"), as the unicorn kernel's
    // tree has them. Not where a bind shows a host's /etc.
    bool etc_bound = false;
    for (const Entry& entry : entries_)
        etc_bound = etc_bound || std::strcmp(entry.path.c_str(), "/etc") == 0;
    if (!etc_bound) {
        make_parents("etc/hosts");
        int hosts = open("etc/hosts", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (hosts >= 0) {
            static const char kHosts[] = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n";
            if (write(hosts, kHosts, sizeof kHosts - 1) != sizeof kHosts - 1) {
                close(hosts);
                return fail("writing /etc/hosts");
            }
            close(hosts);
        }
    }
    // A /proc of the guest's pid namespace; its sysctls read-only (they
    // would be the host's where not namespaced).
    if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        return fail("mounting /proc");
    if (mount("proc/sys", "proc/sys", nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
        mount(nullptr, "proc/sys", nullptr,
              MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        return fail("making /proc/sys read-only");
    // What shells and libc expect next to the devices.
    symlink("/proc/self/fd", "dev/fd");
    symlink("/proc/self/fd/0", "dev/stdin");
    symlink("/proc/self/fd/1", "dev/stdout");
    symlink("/proc/self/fd/2", "dev/stderr");
    // The tmpfs becomes the root; the host's tree, stacked under it, goes.
    if (syscall(SYS_pivot_root, ".", ".") != 0)
        return fail("pivot_root");
    if (umount2(".", MNT_DETACH) != 0)
        return fail("detaching the host's tree");
    if (chdir("/") != 0)
        return fail("chdir /");
    return true;
}

std::vector<std::string> GuestRoot::describe() const {
    std::vector<std::string> lines;
    for (const Entry& entry : entries_) {
        if (!entry.link_target.empty()) {
            lines.push_back(fmt::format("link {} -> {}", entry.path, entry.link_target));
            continue;
        }
        const char* access = entry.access == Access::writable ? "rw"
                             : entry.access == Access::device ? "dev"
                                                              : "ro";
        lines.push_back(
            fmt::format("{} {}{}", access, entry.path, entry.idmap >= 0 ? " (idmapped)" : ""));
    }
    return lines;
}

} // namespace crossrt
