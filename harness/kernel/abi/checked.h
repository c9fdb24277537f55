// Unicorn calls whose failure must not pass unnoticed: a hook that is not
// installed or a register that cannot be read means the kernel would run
// the guest wrong, so a failure is reported (checked) or, where no caller
// can recover because the register id is fixed in the code, is a kernel bug
// that stops the process with the call named (unicorn_bug).
#pragma once

#include <cstdint>
#include <string>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {

// True when status is UC_ERR_OK; else error = "what: Unicorn's reason".
bool checked(uc_err status, const char* what, std::string& error);

// what(argument): the call and the register id or address it was given.
[[noreturn]] void unicorn_bug(uc_err status, const char* what, std::uint64_t argument);

} // namespace crossrt::kernel
