// NetBSD's errno numbers (sys/errno.h): the names its handlers use for
// errors they find themselves, and the encoding of posix/'s results, whose
// errno values are the kernel's (posix/errno.h). The first 34 agree with
// Linux; the rest do not (EAGAIN is 35, ENOSYS 78, ETIMEDOUT 60).
#pragma once

#include "kernel/posix/errno.h"
#include "kernel/posix/syscall_table.h"
#include "kernel/types.h"

namespace crossrt::kernel::nbsd {

namespace err {
constexpr i64 PERM = 1;
constexpr i64 NOENT = 2;
constexpr i64 SRCH = 3;
constexpr i64 INTR = 4;
constexpr i64 BADF = 9;
constexpr i64 NOMEM = 12;
constexpr i64 ACCES = 13;
constexpr i64 FAULT = 14;
constexpr i64 EXIST = 17;
constexpr i64 INVAL = 22;
constexpr i64 MFILE = 24;
constexpr i64 NOTTY = 25;
constexpr i64 SPIPE = 29;
constexpr i64 PIPE = 32;
constexpr i64 AGAIN = 35;
constexpr i64 ALREADY = 37;
constexpr i64 OPNOTSUPP = 45;
constexpr i64 TIMEDOUT = 60;
constexpr i64 NOSYS = 78;
} // namespace err

// A value or -errno in the kernel's numbering, in NetBSD's (errno.cc).
i64 encode_errno(i64 result);
// The same for a handler's result (values and yields; the rest carry none).
posix::SysResult encode(posix::SysResult result);

} // namespace crossrt::kernel::nbsd
