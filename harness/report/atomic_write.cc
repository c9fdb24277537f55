#include "report/atomic_write.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <system_error>
#include <unistd.h>

namespace crossrt {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
    std::string temporary = fmt::format("{}.tmp.{}", path.string(), getpid());
    int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::system_error(errno, std::generic_category(), "cannot write " + temporary);
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t count = write(fd, content.data() + written, content.size() - written);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            int error = errno;
            close(fd);
            unlink(temporary.c_str());
            throw std::system_error(error, std::generic_category(), "cannot write " + temporary);
        }
        written += static_cast<std::size_t>(count);
    }
    fsync(fd);
    close(fd);
    if (rename(temporary.c_str(), path.c_str()) != 0) {
        int error = errno;
        unlink(temporary.c_str());
        throw std::system_error(error, std::generic_category(),
                                "cannot rename " + temporary + " to " + path.string());
    }
}

} // namespace crossrt
