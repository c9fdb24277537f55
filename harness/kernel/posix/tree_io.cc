#include "kernel/posix/tree_io.h"

#include "kernel/posix/fd.h"
#include "kernel/posix/fs.h"
#include "kernel/process.h"

#include <algorithm>

namespace crossrt::kernel::posix {

i64 tree_read(Process& m, TreeFile& file, u64 buffer, u64 length, std::optional<u64> at) {
    Node& node = *file.node;
    if (node.type == NodeType::directory)
        return -err::ISDIR;
    if (!file.readable)
        return -err::BADF;
    u64 offset = at.value_or(file.offset);
    length = std::min(length, kMaxIo);
    if (offset >= node.data.size() || length == 0)
        return 0;
    u64 count = std::min<u64>(length, node.data.size() - offset);
    if (!m.memory().write(buffer, node.data.data() + offset, count))
        return -err::FAULT;
    if (!at)
        file.offset = offset + count;
    return static_cast<i64>(count);
}

i64 tree_write(Process& m, TreeFile& file, u64 buffer, u64 length, std::optional<u64> at) {
    if (!file.writable)
        return -err::BADF;
    if (i64 denied = FileTree::writable(*file.node); denied != 0)
        return denied;
    length = std::min(length, kMaxIo);
    std::string bytes(length, '\0');
    if (length > 0 && !m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    return tree_write_bytes(m, file, bytes, at);
}

i64 tree_write_bytes(Process& m, TreeFile& file, std::string_view bytes, std::optional<u64> at) {
    Node& node = *file.node;
    if (!file.writable)
        return -err::BADF;
    if (i64 denied = FileTree::writable(node); denied != 0)
        return denied;
    u64 length = bytes.size();
    // O_APPEND writes at the end, even a pwrite (as Linux does).
    u64 offset = file.append ? node.data.size() : at.value_or(file.offset);
    if (offset > kMaxFileSize || length > kMaxFileSize - offset)
        return -err::FBIG;
    if (length == 0)
        return 0;
    FileSystem& fs = m.file_system();
    u64 end = offset + length;
    if (end > node.data.size()) {
        u64 grow = end - node.data.size();
        if (fs.used + grow > fs.capacity)
            return -err::NOSPC;
        fs.used += grow;
        node.data.resize(end);
    }
    std::copy(bytes.begin(), bytes.end(), node.data.begin() + static_cast<std::ptrdiff_t>(offset));
    fs.tree.touch(node);
    if (!at || file.append)
        file.offset = end;
    return static_cast<i64>(length);
}

i64 copy_file_range(Process& m, u64 in_fd, std::optional<u64> in_at, u64 out_fd,
                    std::optional<u64> out_at, u64 length) {
    OpenFile* in = m.files().find(in_fd);
    OpenFile* out = m.files().find(out_fd);
    if (in == nullptr || out == nullptr)
        return -err::BADF;
    if (in->kind != FileKind::tree || out->kind != FileKind::tree ||
        in->tree->node->type != NodeType::regular || out->tree->node->type != NodeType::regular)
        return -err::INVAL; // the caller copies by read and write, as Linux lets it
    TreeFile& source = *in->tree;
    TreeFile& target = *out->tree;
    if (!source.readable || !target.writable || target.append)
        return -err::BADF;
    const std::string& data = source.node->data;
    u64 offset = in_at.value_or(source.offset);
    if (offset >= data.size())
        return 0;
    u64 count = std::min({length, kMaxIo, data.size() - offset});
    // A copy first: the source and the target may be one file.
    std::string bytes = data.substr(offset, count);
    i64 written = tree_write_bytes(m, target, bytes, out_at);
    if (written > 0 && !in_at)
        source.offset = offset + static_cast<u64>(written);
    return written;
}

i64 tree_seek(Process& m, TreeFile& file, i64 offset, int whence) {
    Node& node = *file.node;
    if (node.type == NodeType::directory) {
        // getdents' cookies count entries: a seek to one lists again from
        // there (0: the start, as rewinddir).
        if (whence != 0 || offset < 0)
            return -err::INVAL;
        file.listed = 0;
        file.listed_after.clear();
        i64 error = 0;
        const auto* entries = m.file_system().tree.entries(file.node, error);
        u64 wanted = static_cast<u64>(offset);
        file.listed = std::min<u64>(wanted, 2);
        for (auto it = entries ? entries->begin() : decltype(entries->begin()){};
             entries && it != entries->end() && file.listed < wanted; ++it) {
            file.listed_after = it->first;
            ++file.listed;
        }
        return static_cast<i64>(file.listed);
    }
    i64 size = static_cast<i64>(node.data.size());
    i64 base = 0;
    switch (whence) {
    case 0:
        break;
    case 1:
        base = static_cast<i64>(file.offset);
        break;
    case 2:
        base = size;
        break;
    case 3: // SEEK_DATA: all of a file is data
    case 4: // SEEK_HOLE: the one hole is at its end
        if (offset < 0 || offset >= size)
            return -err::NXIO;
        file.offset = static_cast<u64>(whence == 3 ? offset : size);
        return static_cast<i64>(file.offset);
    default:
        return -err::INVAL;
    }
    if (offset > 0 && base > std::numeric_limits<i64>::max() - offset)
        return -err::OVERFLOW;
    if (base + offset < 0)
        return -err::INVAL;
    file.offset = static_cast<u64>(base + offset);
    return static_cast<i64>(file.offset);
}

} // namespace crossrt::kernel::posix
