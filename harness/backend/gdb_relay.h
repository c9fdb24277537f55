// qemu-user's own gdb stub (-g) reached through crossrt's --gdb: qemu runs
// in the sandbox's network namespace, where a TCP port is out of gdb's
// reach, so it listens on a unix socket in a directory shared with the
// sandbox, and crossrt relays the connection it accepted to that socket.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace crossrt {

class GdbRelay {
public:
    // Relays between gdb_fd (not owned) and the socket qemu makes at
    // socket_path, from when it appears until either side closes.
    GdbRelay(int gdb_fd, std::string socket_path);
    ~GdbRelay(); // stops and joins
    GdbRelay(const GdbRelay&) = delete;
    GdbRelay& operator=(const GdbRelay&) = delete;

private:
    void relay();

    int gdb_fd_;
    std::string socket_path_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace crossrt
