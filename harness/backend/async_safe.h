// Small helpers for the sandbox's forked processes (children of a
// multi-threaded crossrt): only system calls, no allocation, no locks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace crossrt::async_safe {

// Writes text to an existing file (a /proc or cgroup file); false with
// errno set when it cannot.
bool write_file(const char* path, const char* text) noexcept;

// The decimal digits of value, written at the end of buffer (at least 24
// bytes); returns where they start.
const char* decimal(std::uint64_t value, char* buffer) noexcept;

// "/proc/<pid>/<name>" into buffer (at least 64 bytes).
const char* proc_path(long pid, const char* name, char* buffer) noexcept;

// The number after "key " on a line of a flat keyed file (memory.events,
// memory.oom_control, pids.events); 0 when absent or unreadable.
long keyed_value(const char* path, const char* key) noexcept;

// Removes a directory tree it may write (the fallback's host temp dir),
// without following symlinks; best effort.
void remove_tree(const char* path) noexcept;

} // namespace crossrt::async_safe
