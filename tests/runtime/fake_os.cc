#include "fake_os.h"

#include "rt/os.h"
#include "rt/throw.h"

namespace fake_os {

namespace {
std::string out[3];
}

std::string& written(int fd) {
    return out[fd];
}

void reset() {
    for (auto& s : out) {
        s.clear();
    }
}

} // namespace fake_os

namespace rt {

intptr sys_write(int fd, const void* p, uintptr n) {
    if (fd < 0 || fd > 2) {
        return -9; // EBADF
    }
    fake_os::written(fd).append(static_cast<const char*>(p), n);
    return static_cast<intptr>(n);
}

void sys_exit(int code) {
    throw fake_os::Thrown("exit " + std::to_string(code));
}

void throw_(const char* msg) {
    throw fake_os::Thrown(msg);
}

} // namespace rt
