#include "backend/async_safe.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <initializer_list>
#include <sys/syscall.h>
#include <unistd.h>

namespace crossrt::async_safe {

bool write_file(const char* path, const char* text) noexcept {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    std::size_t length = std::strlen(text);
    bool written = write(fd, text, length) == static_cast<ssize_t>(length);
    int error = errno;
    close(fd);
    errno = error;
    return written;
}

const char* decimal(std::uint64_t value, char* buffer) noexcept {
    char* digit = buffer + 23;
    *digit = '\0';
    do {
        *--digit = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    return digit;
}

const char* proc_path(long pid, const char* name, char* buffer) noexcept {
    char digits[24];
    const char* number = decimal(static_cast<std::uint64_t>(pid), digits);
    char* end = buffer;
    for (const char* part : {"/proc/", number, "/", name}) {
        std::size_t length = std::strlen(part);
        if (end + length >= buffer + 63)
            break;
        std::memcpy(end, part, length);
        end += length;
    }
    *end = '\0';
    return buffer;
}

long keyed_value(const char* path, const char* key) noexcept {
    char buffer[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t count = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (count <= 0)
        return 0;
    buffer[count] = '\0';
    std::size_t key_length = std::strlen(key);
    for (char* line = buffer; line != nullptr && *line != '\0';) {
        char* end = std::strchr(line, '\n');
        if (std::strncmp(line, key, key_length) == 0 && line[key_length] == ' ') {
            long value = 0;
            for (char* digit = line + key_length + 1; *digit >= '0' && *digit <= '9'; ++digit)
                value = value * 10 + (*digit - '0');
            return value;
        }
        line = end != nullptr ? end + 1 : nullptr;
    }
    return 0;
}

namespace {

// The head of a getdents64 record; the name follows it.
struct LinuxDirent64 {
    std::uint64_t inode;
    std::int64_t offset;
    unsigned short length;
    unsigned char type;
};

// Empties the directory open as dir_fd; depth bounds the recursion (and the
// stack: each level holds one buffer).
void empty_directory(int dir_fd, int depth) noexcept {
    alignas(8) char buffer[2048];
    for (;;) {
        long count = syscall(SYS_getdents64, dir_fd, buffer, sizeof buffer);
        if (count <= 0)
            return;
        bool removed_any = false;
        for (long at = 0; at < count;) {
            auto* entry = reinterpret_cast<LinuxDirent64*>(buffer + at);
            const char* name = buffer + at + offsetof(LinuxDirent64, type) + 1;
            at += entry->length;
            if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0)
                continue;
            if (entry->type == DT_DIR && depth < 64) {
                int child = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (child >= 0) {
                    empty_directory(child, depth + 1);
                    close(child);
                }
                removed_any |= unlinkat(dir_fd, name, AT_REMOVEDIR) == 0;
            } else {
                removed_any |= unlinkat(dir_fd, name, 0) == 0;
            }
        }
        if (removed_any)
            lseek(dir_fd, 0, SEEK_SET); // the listing changed under us: read it again
    }
}

} // namespace

void remove_tree(const char* path) noexcept {
    int dir_fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir_fd >= 0) {
        empty_directory(dir_fd, 0);
        close(dir_fd);
    }
    rmdir(path);
}

} // namespace crossrt::async_safe
