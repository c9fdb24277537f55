#include "backend/gdb_relay.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace crossrt {
namespace {

// One read from `from` written whole to `to`; false at the end or an error.
bool pass_on(int from, int to) {
    char buffer[4096];
    ssize_t n = read(from, buffer, sizeof buffer);
    if (n <= 0)
        return false;
    ssize_t done = 0;
    while (done < n) {
        ssize_t written = write(to, buffer + done, static_cast<std::size_t>(n - done));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        done += written;
    }
    return true;
}

} // namespace

GdbRelay::GdbRelay(int gdb_fd, std::string socket_path)
    : gdb_fd_(gdb_fd), socket_path_(std::move(socket_path)), thread_([this] { relay(); }) {}

GdbRelay::~GdbRelay() {
    stop_ = true;
    thread_.join();
}

void GdbRelay::relay() {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path_.c_str(), sizeof address.sun_path - 1);
    int qemu = -1;
    // qemu makes its socket as it starts: try until it is there.
    while (!stop_) {
        qemu = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (connect(qemu, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
            break;
        close(qemu);
        qemu = -1;
        usleep(20000);
    }
    if (qemu < 0)
        return;
    pollfd fds[2] = {{gdb_fd_, POLLIN, 0}, {qemu, POLLIN, 0}};
    while (!stop_) {
        int ready = poll(fds, 2, 100);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !pass_on(gdb_fd_, qemu))
            break;
        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !pass_on(qemu, gdb_fd_))
            break;
    }
    close(qemu);
    shutdown(gdb_fd_, SHUT_RDWR); // gdb learns that the program is gone
}

} // namespace crossrt
