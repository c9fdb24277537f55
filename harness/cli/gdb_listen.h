// --gdb PORT or --gdb unix:PATH: crossrt listens, says where, and waits for
// gdb's one connection before the run starts; the connection is handed to
// the sandboxed guest (which may open no socket of its own).
#pragma once

#include <optional>
#include <string>

namespace crossrt {

struct GdbEndpoint {
    std::optional<int> port; // TCP on 127.0.0.1
    std::string unix_path;   // else a unix socket here
};

// nullopt and why when the spec is neither a port nor unix:PATH.
std::optional<GdbEndpoint> parse_gdb_endpoint(const std::string& spec, std::string& error);
// Listens, prints "waiting for gdb" to stderr, accepts one connection:
// its fd (close-on-exec), or -1 and why.
int accept_gdb(const GdbEndpoint& endpoint, std::string& error);

} // namespace crossrt
