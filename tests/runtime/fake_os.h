// The host stand-in for the runtime's OS layer.
#pragma once

#include <stdexcept>
#include <string>

namespace fake_os {

// Everything written through rt::sys_write, per fd (1 and 2).
std::string& written(int fd);
void reset();

// What rt::throw_ raises on the host.
struct Thrown : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace fake_os
