// Fatal runtime errors. Named throw_ because throw is a C++ keyword.
#pragma once

namespace rt {

// Writes "fatal error: <msg>" to fd 2 and exits the process with status 2,
// as the Go runtime's throw does.
[[noreturn]] void throw_(const char* msg);

} // namespace rt
