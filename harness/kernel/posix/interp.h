// A dynamic executable's interpreter (PT_INTERP, the dynamic loader such as
// /lib64/ld-linux-x86-64.so.2), found in the run's file tree as the guest
// sees it: its binds and --sysroot, never a host path outside them.
#pragma once

#include "kernel/elf_load.h"
#include "kernel/posix/fs_tree.h"
#include "kernel/types.h"

#include <string>

namespace crossrt::kernel::posix {

// A file of the tree read as ELF, named `path` in the sentences: a file the
// run wrote (or changed) from the tree's bytes, one only mirrored from a
// bind from its host file (read once, not kept in the tree).
ElfRead read_node_elf(const Node& node, const std::string& path);

// Sets program.interpreter_image when program names an interpreter (a
// static program, or one whose interpreter is attached already, is left as
// it is). 0, or -errno and why: -ENOENT (and the
// like) when the path is not in the tree, as Linux's execve answers,
// -EACCES for what is not a regular file, -ELIBBAD for a file that is no
// loader of the program's arch (not ELF, another arch, itself dynamic).
i64 attach_interpreter(FileTree& tree, ElfImage& program, std::string& why);

} // namespace crossrt::kernel::posix
