#include "debug/server.h"

#include "debug/rsp.h"
#include "debug/stub.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>
#include <utility>

namespace crossrt::debug {
namespace {

bool write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

SessionEnd serve(int fd, DebugTarget& target, std::string& error) {
    Stub stub(target);
    PacketReader reader;
    // While the program runs, gdb may send only ^C; anything else that
    // arrives is kept for afterwards.
    std::string held;
    bool interrupt = false;
    stub.set_interrupt_check([&] {
        pollfd watch{fd, POLLIN, 0};
        while (poll(&watch, 1, 0) > 0 && (watch.revents & POLLIN) != 0) {
            char buffer[256];
            ssize_t n = read(fd, buffer, sizeof buffer);
            if (n <= 0)
                return true; // gone: stop and find out at the next read
            for (ssize_t i = 0; i < n; ++i) {
                if (buffer[i] == '\x03')
                    interrupt = true;
                else
                    held += buffer[i];
            }
        }
        return std::exchange(interrupt, false);
    });
    char buffer[4096];
    while (true) {
        if (!held.empty()) {
            reader.feed(held);
            held.clear();
        }
        while (auto incoming = reader.next()) {
            switch (incoming->kind) {
            case Incoming::Kind::ack:
            case Incoming::Kind::nak: // gdb's retransmission request: never seen on a stream
            case Incoming::Kind::interrupt:
                continue;
            case Incoming::Kind::bad_checksum:
                if (!stub.no_ack() && !write_all(fd, "-"))
                    return SessionEnd::disconnected;
                continue;
            case Incoming::Kind::packet:
                break;
            }
            bool acked = !stub.no_ack();
            if (acked && !write_all(fd, "+"))
                return SessionEnd::disconnected;
            std::vector<std::string> console;
            std::string reply = stub.handle(incoming->payload, console);
            std::string out;
            for (const std::string& line : console)
                out += frame_packet(line);
            out += frame_packet(reply);
            if (!write_all(fd, out))
                return SessionEnd::disconnected;
            if (stub.finished())
                return stub.detached() ? SessionEnd::detached : SessionEnd::killed;
        }
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = "reading from gdb failed";
            return SessionEnd::disconnected;
        }
        if (n == 0)
            return SessionEnd::disconnected;
        reader.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
}

} // namespace crossrt::debug
