#include "kernel/posix/fs_tree.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crossrt::kernel::posix {
namespace {

// The components of a path, without empty ones and ".".
std::vector<std::string_view> components(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t at = 0;
    while (at < path.size()) {
        std::size_t slash = path.find('/', at);
        std::size_t end = slash == std::string_view::npos ? path.size() : slash;
        std::string_view part = path.substr(at, end - at);
        if (!part.empty() && part != ".")
            parts.push_back(part);
        at = end + 1;
    }
    return parts;
}

bool is_directory(const NodePtr& node) {
    return node && node->type == NodeType::directory;
}

// Whether `node` is `ancestor` or lies below it.
bool within(const NodePtr& node, const NodePtr& ancestor) {
    for (NodePtr at = node; at; at = at->parent.lock()) {
        if (at == ancestor)
            return true;
        if (at->parent.lock() == at)
            break; // the root is its own parent
    }
    return false;
}

} // namespace

FileTree::FileTree(Clock clock) : clock_(std::move(clock)), boot_ns_(now()) {
    root_ = new_node(NodeType::directory, 0755);
    root_->parent = root_;
}

NodePtr FileTree::new_node(NodeType type, u32 mode) {
    auto node = std::make_shared<Node>();
    node->type = type;
    node->mode = mode & 07777;
    node->ino = next_ino_++;
    node->nlink = type == NodeType::directory ? 2 : 1;
    node->atime_ns = node->mtime_ns = node->ctime_ns = now();
    return node;
}

i64 FileTree::may_change_entries(const Node& directory) {
    if (directory.read_only)
        return -err::ROFS;
    return (guest_bits(directory) & 3) == 3 ? 0 : -err::ACCES;
}

void FileTree::touch(Node& node) {
    node.mtime_ns = node.ctime_ns = now();
}

// A node mirroring a host file, directory or symlink; nullptr for what the
// guest cannot use (devices, sockets, FIFOs) or cannot read.
NodePtr FileTree::host_node(const std::string& host_path, bool read_only) {
    struct stat info {};
    if (lstat(host_path.c_str(), &info) != 0)
        return nullptr;
    NodePtr node;
    if (S_ISDIR(info.st_mode)) {
        node = new_node(NodeType::directory, info.st_mode);
    } else if (S_ISREG(info.st_mode)) {
        node = new_node(NodeType::regular, info.st_mode);
    } else if (S_ISLNK(info.st_mode)) {
        node = new_node(NodeType::symlink, 0777);
        char target[kMaxPath];
        ssize_t length = readlink(host_path.c_str(), target, sizeof target);
        if (length < 0)
            return nullptr;
        node->data.assign(target, static_cast<std::size_t>(length));
    } else {
        return nullptr;
    }
    // Host times would make a run depend on the machine: the tree's boot
    // time, until the guest changes the file.
    node->atime_ns = node->mtime_ns = node->ctime_ns = boot_ns_;
    node->host_path = host_path;
    node->loaded = node->type == NodeType::symlink;
    node->read_only = read_only;
    return node;
}

void FileTree::load_host_directory(const NodePtr& directory) {
    directory->loaded = true;
    DIR* stream = opendir(directory->host_path->c_str());
    if (stream == nullptr)
        return;
    std::vector<std::string> names;
    while (dirent* entry = readdir(stream)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..")
            names.push_back(std::move(name));
    }
    closedir(stream);
    // Sorted, so that inode numbers do not depend on the host's order.
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        if (directory->entries.count(name) != 0)
            continue;
        NodePtr node = host_node(*directory->host_path + "/" + name, directory->read_only);
        if (!node)
            continue;
        if (node->type == NodeType::directory)
            ++directory->nlink;
        node->parent = directory;
        directory->entries.emplace(name, std::move(node));
    }
}

NodePtr FileTree::parent_of(const NodePtr& directory) {
    NodePtr parent = directory->parent.lock();
    return parent ? parent : directory;
}

const std::map<std::string, NodePtr>* FileTree::entries(const NodePtr& directory, i64& error) {
    if (!is_directory(directory)) {
        error = -err::NOTDIR;
        return nullptr;
    }
    if (!directory->loaded && directory->host_path)
        load_host_directory(directory);
    return &directory->entries;
}

NodePtr FileTree::child(const NodePtr& directory, std::string_view name, i64& error) {
    const auto* list = entries(directory, error);
    if (list == nullptr)
        return nullptr;
    auto found = list->find(std::string(name));
    if (found == list->end()) {
        error = -err::NOENT;
        return nullptr;
    }
    return found->second;
}

i64 FileTree::load(Node& node) {
    if (node.loaded || !node.host_path || node.type != NodeType::regular)
        return 0;
    // O_NOFOLLOW: host_node saw a regular file here; if that changed, the
    // guest gets an error, never what a new symlink points at.
    int fd = ::open(node.host_path->c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -err::ACCES;
    std::string bytes;
    char buffer[65536];
    ssize_t count;
    while ((count = ::read(fd, buffer, sizeof buffer)) > 0) {
        bytes.append(buffer, static_cast<std::size_t>(count));
        if (bytes.size() > kMaxFileSize) {
            ::close(fd);
            return -err::FBIG;
        }
    }
    ::close(fd);
    if (count < 0)
        return -err::ACCES;
    node.data = std::move(bytes);
    node.loaded = true;
    return 0;
}

Lookup FileTree::walk(std::string_view path, const NodePtr& cwd, bool follow_last, int& symlinks) {
    Lookup result;
    if (path.size() >= kMaxPath) {
        result.error = -err::NAMETOOLONG;
        return result;
    }
    if (path.empty()) {
        result.error = -err::NOENT;
        return result;
    }
    NodePtr at = path.front() == '/' || !cwd ? root_ : cwd;
    std::vector<std::string_view> parts = components(path);
    if (parts.empty()) {
        // "/", ".": the directory itself.
        result.node = at;
        result.parent = parent_of(at);
        result.name = ".";
        return result;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string_view name = parts[i];
        bool last = i + 1 == parts.size();
        if (name.size() > kMaxName) {
            result.error = -err::NAMETOOLONG;
            return result;
        }
        if (!is_directory(at)) {
            result.error = -err::NOTDIR;
            return result;
        }
        if (name == "..") {
            at = parent_of(at);
            if (last) {
                result.node = at;
                result.parent = parent_of(at);
                result.name = "..";
            }
            continue;
        }
        i64 error = 0;
        NodePtr next = child(at, name, error);
        if (!next) {
            if (error != -err::NOENT || !last) {
                result.error = error;
                return result;
            }
            result.parent = at;
            result.name = std::string(name);
            return result; // the last component does not exist
        }
        if (next->type == NodeType::symlink && (!last || follow_last)) {
            if (++symlinks > kMaxSymlinks) {
                result.error = -err::LOOP;
                return result;
            }
            // The target is a guest path: relative to the symlink's directory.
            Lookup target = walk(next->data, at, true, symlinks);
            if (target.error != 0 || (!target.node && !last)) {
                result.error = target.error != 0 ? target.error : -err::NOENT;
                return result;
            }
            if (last) {
                return target; // may name a missing file, which open may create
            }
            next = target.node;
        }
        if (last) {
            result.node = next;
            result.parent = at;
            result.name = std::string(name);
            return result;
        }
        at = next;
    }
    return result;
}

Lookup FileTree::lookup(std::string_view path, const NodePtr& cwd, bool follow_last) {
    int symlinks = 0;
    // "link/" names what the link points at, as a directory.
    if (!path.empty() && path.back() == '/')
        follow_last = true;
    return walk(path, cwd, follow_last, symlinks);
}

NodePtr FileTree::find(std::string_view path, const NodePtr& cwd, bool follow_last, i64& error) {
    Lookup found = lookup(path, cwd, follow_last);
    if (found.error != 0) {
        error = found.error;
        return nullptr;
    }
    if (!found.node) {
        error = -err::NOENT;
        return nullptr;
    }
    // "name/" must be a directory.
    if (!path.empty() && path.back() == '/' && !is_directory(found.node)) {
        error = -err::NOTDIR;
        return nullptr;
    }
    return found.node;
}

// 0 when the lookup found its node, else why not.
i64 FileTree::existing(const Lookup& found) {
    if (found.error != 0)
        return found.error;
    return found.node ? 0 : -err::NOENT;
}

// 0 for an empty directory, else -ENOTEMPTY (or why its entries are unknown).
i64 FileTree::require_empty(const NodePtr& directory) {
    i64 error = 0;
    const auto* list = entries(directory, error);
    if (list == nullptr)
        return error;
    return list->empty() ? 0 : -err::NOTEMPTY;
}

// Links a new node as the lookup's missing last component.
i64 FileTree::add_entry(const Lookup& at, const NodePtr& node) {
    if (i64 error = may_change_entries(*at.parent); error != 0)
        return error;
    node->read_only = at.parent->read_only;
    if (node->type == NodeType::directory) {
        node->parent = at.parent;
        ++at.parent->nlink;
    }
    at.parent->entries.emplace(at.name, node);
    touch(*at.parent);
    return 0;
}

i64 FileTree::mkdir(std::string_view path, const NodePtr& cwd, u32 mode) {
    Lookup found = lookup(path, cwd, false);
    if (found.error != 0)
        return found.error;
    if (found.node)
        return -err::EXIST;
    return add_entry(found, new_node(NodeType::directory, mode));
}

i64 FileTree::rmdir(std::string_view path, const NodePtr& cwd) {
    Lookup found = lookup(path, cwd, false);
    if (i64 error = existing(found); error != 0)
        return error;
    if (found.node == root_)
        return -err::BUSY;
    if (found.name == ".")
        return -err::INVAL;
    if (found.name == "..")
        return -err::NOTEMPTY;
    if (!is_directory(found.node))
        return -err::NOTDIR;
    if (i64 error = require_empty(found.node); error != 0)
        return error;
    if (i64 denied = may_change_entries(*found.parent); denied != 0)
        return denied;
    found.parent->entries.erase(found.name);
    --found.parent->nlink;
    found.node->nlink = 0;
    touch(*found.parent);
    return 0;
}

i64 FileTree::unlink(std::string_view path, const NodePtr& cwd) {
    Lookup found = lookup(path, cwd, false);
    if (i64 error = existing(found); error != 0)
        return error;
    if (is_directory(found.node))
        return -err::ISDIR;
    if (i64 error = may_change_entries(*found.parent); error != 0)
        return error;
    found.parent->entries.erase(found.name);
    --found.node->nlink;
    found.node->ctime_ns = now();
    touch(*found.parent);
    return 0;
}

i64 FileTree::rename(std::string_view from, std::string_view to, const NodePtr& cwd) {
    Lookup source = lookup(from, cwd, false);
    if (i64 error = existing(source); error != 0)
        return error;
    if (source.name == "." || source.name == "..")
        return -err::BUSY;
    Lookup target = lookup(to, cwd, false);
    if (target.error != 0)
        return target.error;
    if (target.name == "." || target.name == "..")
        return -err::BUSY;
    if (target.node == source.node)
        return 0;
    if (i64 error = may_change_entries(*source.parent); error != 0)
        return error;
    if (i64 error = may_change_entries(*target.parent); error != 0)
        return error;
    bool moving_directory = is_directory(source.node);
    // A directory cannot move below itself.
    if (moving_directory && within(target.parent, source.node))
        return -err::INVAL;
    if (target.node) {
        if (moving_directory && !is_directory(target.node))
            return -err::NOTDIR;
        if (!moving_directory && is_directory(target.node))
            return -err::ISDIR;
        if (is_directory(target.node)) {
            if (i64 error = require_empty(target.node); error != 0)
                return error;
            --target.parent->nlink;
        }
        --target.node->nlink;
    }
    NodePtr node = source.node;
    source.parent->entries.erase(source.name);
    target.parent->entries[target.name] = node;
    if (moving_directory) {
        --source.parent->nlink;
        ++target.parent->nlink;
        node->parent = target.parent;
    }
    touch(*source.parent);
    touch(*target.parent);
    node->ctime_ns = now();
    return 0;
}

i64 FileTree::symlink(std::string_view target, std::string_view path, const NodePtr& cwd) {
    if (target.empty())
        return -err::NOENT;
    if (target.size() >= kMaxPath)
        return -err::NAMETOOLONG;
    Lookup found = lookup(path, cwd, false);
    if (found.error != 0)
        return found.error;
    if (found.node)
        return -err::EXIST;
    NodePtr link = new_node(NodeType::symlink, 0777);
    link->data = std::string(target);
    return add_entry(found, link);
}

i64 FileTree::mkfifo(std::string_view path, const NodePtr& cwd, u32 mode) {
    Lookup found = lookup(path, cwd, false);
    if (found.error != 0)
        return found.error;
    if (found.node)
        return -err::EXIST;
    return add_entry(found, new_node(NodeType::fifo, mode));
}

NodePtr FileTree::mksocket(std::string_view path, const NodePtr& cwd, u32 mode, i64& error) {
    Lookup found = lookup(path, cwd, false);
    error = found.error != 0 ? found.error : found.node ? -err::ADDRINUSE : 0;
    if (error != 0)
        return nullptr;
    NodePtr node = new_node(NodeType::socket, mode);
    error = add_entry(found, node);
    return error == 0 ? node : nullptr;
}

i64 FileTree::link(std::string_view from, std::string_view to, const NodePtr& cwd) {
    Lookup source = lookup(from, cwd, false);
    if (i64 error = existing(source); error != 0)
        return error;
    if (is_directory(source.node))
        return -err::PERM;
    Lookup target = lookup(to, cwd, false);
    if (target.error != 0)
        return target.error;
    if (target.node)
        return -err::EXIST;
    if (i64 error = may_change_entries(*target.parent); error != 0)
        return error;
    target.parent->entries.emplace(target.name, source.node);
    ++source.node->nlink;
    touch(*target.parent);
    return 0;
}

NodePtr FileTree::open_file(std::string_view path, const NodePtr& cwd, bool create, bool exclusive,
                            u32 mode, bool follow_last, i64& error, bool* created) {
    Lookup found = lookup(path, cwd, follow_last && !(create && exclusive));
    if (found.error != 0) {
        error = found.error;
        return nullptr;
    }
    if (found.node) {
        if (create && exclusive) {
            error = -err::EXIST;
            return nullptr;
        }
        if (found.node->type == NodeType::symlink) {
            error = -err::LOOP; // O_NOFOLLOW on a symlink
            return nullptr;
        }
        if (found.node->type == NodeType::regular) {
            if (i64 failed = load(*found.node); failed != 0) {
                error = failed;
                return nullptr;
            }
        }
        return found.node;
    }
    if (!create) {
        error = -err::NOENT;
        return nullptr;
    }
    if (!path.empty() && path.back() == '/') {
        error = -err::ISDIR;
        return nullptr;
    }
    NodePtr file = new_node(NodeType::regular, mode);
    if (i64 denied = add_entry(found, file); denied != 0) {
        error = denied;
        return nullptr;
    }
    if (created != nullptr)
        *created = true;
    return file;
}

std::string FileTree::path_of(const NodePtr& directory) const {
    std::vector<std::string> names;
    for (NodePtr at = directory; at && at != root_;) {
        NodePtr parent = parent_of(at);
        std::string name;
        for (const auto& [entry, node] : parent->entries) {
            if (node == at) {
                name = entry;
                break;
            }
        }
        if (name.empty())
            return "(unreachable)"; // removed from the tree while it was the cwd
        names.push_back(std::move(name));
        at = parent;
    }
    std::string path;
    for (auto it = names.rbegin(); it != names.rend(); ++it)
        path += "/" + *it;
    return path.empty() ? "/" : path;
}

NodePtr FileTree::make_directories(std::string_view path, u32 mode) {
    NodePtr at = root_;
    for (std::string_view part : components(path)) {
        if (part == "..") {
            at = parent_of(at);
            continue;
        }
        i64 error = 0;
        NodePtr next = child(at, part, error);
        if (!next) {
            next = new_node(NodeType::directory, mode);
            next->parent = at;
            next->read_only = at->read_only;
            at->entries.emplace(std::string(part), next);
            ++at->nlink;
        } else if (!is_directory(next)) {
            return nullptr;
        }
        at = next;
    }
    return at;
}

bool FileTree::bind(const std::string& host_dir, std::string_view guest_path, bool read_only,
                    std::string& error) {
    struct stat info {};
    if (stat(host_dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) ||
        access(host_dir.c_str(), R_OK | X_OK) != 0) {
        error = fmt::format("--mount: {} is not a readable directory", host_dir);
        return false;
    }
    std::vector<std::string_view> parts = components(guest_path);
    if (parts.empty()) {
        error = "--mount: the guest path must not be /";
        return false;
    }
    std::string parent_path;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        parent_path += "/" + std::string(parts[i]);
    NodePtr parent = make_directories(parent_path, 0755);
    if (!parent) {
        error = fmt::format("--mount: {} is below a file in the guest's tree", guest_path);
        return false;
    }
    std::string name(parts.back());
    auto existing = parent->entries.find(name);
    if (existing != parent->entries.end() && !is_directory(existing->second)) {
        error = fmt::format("--mount: {} is a file in the guest's tree", guest_path);
        return false;
    }
    NodePtr mounted = new_node(NodeType::directory, info.st_mode);
    mounted->atime_ns = mounted->mtime_ns = mounted->ctime_ns = boot_ns_;
    mounted->host_path = host_dir;
    mounted->loaded = false;
    mounted->read_only = read_only;
    mounted->parent = parent;
    if (existing == parent->entries.end())
        ++parent->nlink;
    parent->entries[name] = mounted;
    return true;
}

bool FileTree::bind_root(const std::string& host_dir, const std::vector<std::string>& own,
                         std::string& error) {
    // Its entries as a bind's directory lists them (sorted, so inode
    // numbers do not depend on the host), then each put at the root.
    NodePtr listing = host_node(host_dir, true);
    if (!listing || listing->type != NodeType::directory ||
        access(host_dir.c_str(), R_OK | X_OK) != 0) {
        error = fmt::format("--sysroot: {} is not a readable directory", host_dir);
        return false;
    }
    load_host_directory(listing);
    for (auto& [name, node] : listing->entries) {
        if (std::find(own.begin(), own.end(), name) != own.end())
            continue;
        // Called on the skeleton: what is there and not the run's own is
        // an empty placeholder (/usr/bin, /bin), which the sysroot's
        // entry replaces.
        auto existing = root_->entries.find(name);
        bool was_directory = existing != root_->entries.end() && is_directory(existing->second);
        bool is_a_directory = node->type == NodeType::directory;
        if (was_directory && !is_a_directory)
            --root_->nlink;
        else if (!was_directory && is_a_directory)
            ++root_->nlink;
        node->parent = root_;
        root_->entries[name] = node;
    }
    return true;
}

bool FileTree::bind_file(const std::string& host_file, std::string_view guest_path,
                         std::string& error) {
    Lookup found = lookup(guest_path, root_, true);
    if (found.node && found.node->type == NodeType::regular)
        return true;
    std::vector<std::string_view> parts = components(guest_path);
    std::string parent_path;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        parent_path += "/" + std::string(parts[i]);
    NodePtr parent = parts.empty() ? nullptr : make_directories(parent_path, 0755);
    NodePtr file = host_node(host_file, true);
    if (!parent || !file || file->type != NodeType::regular || found.node) {
        error = fmt::format("the program {} cannot be shown at {} in the guest's tree", host_file,
                            guest_path);
        return false;
    }
    parent->entries[std::string(parts.back())] = file;
    return true;
}

} // namespace crossrt::kernel::posix
