// One gdb connection served on a file descriptor: bytes in, packets
// (rsp.h) to the stub (stub.h), replies out, until gdb kills or detaches
// or goes away. The unicorn guest gets the connection's fd from crossrt,
// which listens (cli/gdb_listen.h): the sandboxed guest opens no socket.
#pragma once

#include "debug/target.h"

#include <string>

namespace crossrt::debug {

enum class SessionEnd { killed, detached, disconnected };

SessionEnd serve(int fd, DebugTarget& target, std::string& error);

} // namespace crossrt::debug
