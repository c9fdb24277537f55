#include "cli/gdb_listen.h"

#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace crossrt {

std::optional<GdbEndpoint> parse_gdb_endpoint(const std::string& spec, std::string& error) {
    GdbEndpoint endpoint;
    if (spec.starts_with("unix:")) {
        endpoint.unix_path = spec.substr(5);
        if (endpoint.unix_path.empty() ||
            endpoint.unix_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
            error = fmt::format("--gdb {}: a unix socket path of 1 to {} bytes", spec,
                                sizeof(sockaddr_un{}.sun_path) - 1);
            return std::nullopt;
        }
        return endpoint;
    }
    int port = 0;
    auto [end, failed] = std::from_chars(spec.data(), spec.data() + spec.size(), port);
    if (failed != std::errc{} || end != spec.data() + spec.size() || port < 1 || port > 65535) {
        error = fmt::format("--gdb {}: want a TCP port (1-65535) or unix:PATH", spec);
        return std::nullopt;
    }
    endpoint.port = port;
    return endpoint;
}

int accept_gdb(const GdbEndpoint& endpoint, std::string& error) {
    int listener = -1;
    std::string where;
    if (endpoint.port) {
        listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(*endpoint.port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (listener < 0 ||
            bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            error = fmt::format("--gdb {}: cannot listen on 127.0.0.1:{}: {}", *endpoint.port,
                                *endpoint.port, std::strerror(errno));
            if (listener >= 0)
                close(listener);
            return -1;
        }
        where = fmt::format("localhost:{}", *endpoint.port);
    } else {
        listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, endpoint.unix_path.data(), endpoint.unix_path.size());
        unlink(endpoint.unix_path.c_str()); // a stale socket of an earlier run
        if (listener < 0 ||
            bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            error = fmt::format("--gdb unix:{}: cannot listen there: {}", endpoint.unix_path,
                                std::strerror(errno));
            if (listener >= 0)
                close(listener);
            return -1;
        }
        where = endpoint.unix_path;
    }
    if (listen(listener, 1) != 0) {
        error = fmt::format("--gdb: listen: {}", std::strerror(errno));
        close(listener);
        return -1;
    }
    fmt::print(stderr, "crossrt: waiting for gdb: target remote {}\n", where);
    std::fflush(stderr);
    int connection = -1;
    do {
        connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    } while (connection < 0 && errno == EINTR);
    if (connection < 0)
        error = fmt::format("--gdb: accept: {}", std::strerror(errno));
    close(listener);
    if (!endpoint.unix_path.empty())
        unlink(endpoint.unix_path.c_str());
    return connection;
}

} // namespace crossrt
