#include "kernel/posix/interp.h"

#include <fmt/format.h>
#include <memory>
#include <vector>

namespace crossrt::kernel::posix {

ElfRead read_node_elf(const Node& node, const std::string& path) {
    if (node.loaded || !node.host_path)
        return read_elf_bytes(path, std::vector<u8>(node.data.begin(), node.data.end()));
    ElfRead read = read_elf(*node.host_path);
    if (read.image)
        read.image->path = path;
    return read;
}

i64 attach_interpreter(FileTree& tree, ElfImage& program, std::string& why) {
    if (program.interpreter.empty() || program.interpreter_image)
        return 0; // static, or attached already (an image made in memory)
    const std::string& path = program.interpreter;
    i64 error = 0;
    // From the root, whatever the cwd: Linux opens PT_INTERP's path so
    // (a relative one from the cwd, which no toolchain writes).
    NodePtr node = tree.find(path, tree.root(), true, error);
    if (!node) {
        why = fmt::format("its interpreter {} is not in the guest's file tree (give the run a "
                          "--sysroot or a --mount that holds it)",
                          path);
        return error;
    }
    if (node->type != NodeType::regular) {
        why = fmt::format("its interpreter {} is not a regular file", path);
        return -err::ACCES;
    }
    ElfRead read = read_node_elf(*node, path);
    if (!read.image) {
        why = fmt::format("its interpreter: {}", read.error);
        return -err::LIBBAD;
    }
    if (read.image->arch != program.arch || read.image->os != program.os) {
        why = fmt::format("its interpreter {} is a {}-{} binary, and the program a {}-{} one", path,
                          arch_name(read.image->arch), read.image->os, arch_name(program.arch),
                          program.os);
        return -err::LIBBAD;
    }
    if (!read.image->interpreter.empty()) {
        why = fmt::format("its interpreter {} names an interpreter itself ({})", path,
                          read.image->interpreter);
        return -err::LIBBAD;
    }
    program.interpreter_image = std::make_shared<const ElfImage>(std::move(*read.image));
    return 0;
}

} // namespace crossrt::kernel::posix
