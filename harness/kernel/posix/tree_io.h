// Reading and writing the open files of the run's tree (files.h's
// TreeFile): at the shared offset, or at a given one (pread/pwrite),
// O_APPEND, lseek with SEEK_DATA/SEEK_HOLE's plain-file answers, and a
// directory's rewind. Errors are -err::X.
#pragma once

#include "kernel/posix/files.h"
#include "kernel/types.h"

#include <optional>
#include <string_view>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// Bytes read (0 at the end), or -errno. at: pread's offset (the shared
// one does not move).
i64 tree_read(Process& m, TreeFile& file, u64 buffer, u64 length, std::optional<u64> at);
// Bytes written, or -errno (ENOSPC past the file system's capacity).
i64 tree_write(Process& m, TreeFile& file, u64 buffer, u64 length, std::optional<u64> at);
// The same with the bytes in hand.
i64 tree_write_bytes(Process& m, TreeFile& file, std::string_view bytes, std::optional<u64> at);
// copy_file_range between two regular files of the tree: the bytes copied
// (0 at the source's end), -EINVAL when either fd is not one (the caller
// copies by read and write, as Linux lets it), or -errno. An offset given
// is used instead of the fd's, which then stays.
i64 copy_file_range(Process& m, u64 in_fd, std::optional<u64> in_at, u64 out_fd,
                    std::optional<u64> out_at, u64 length);
// lseek: whence SET 0, CUR 1, END 2, DATA 3, HOLE 4. A directory's offset
// is its getdents position: 0 rewinds it.
i64 tree_seek(Process& m, TreeFile& file, i64 offset, int whence);

} // namespace crossrt::kernel::posix
