#include "kernel/abi/checked.h"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

namespace crossrt::kernel {

bool checked(uc_err status, const char* what, std::string& error) {
    if (status == UC_ERR_OK)
        return true;
    error = fmt::format("{}: {}", what, uc_strerror(status));
    return false;
}

void unicorn_bug(uc_err status, const char* what, std::uint64_t argument) {
    fmt::print(stderr, "crossrt-kernel: internal error: {}({:#x}): {}\n", what, argument,
               uc_strerror(status));
    std::abort();
}

} // namespace crossrt::kernel
