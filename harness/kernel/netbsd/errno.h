// NetBSD errno numbers (sys/errno.h) where handlers need them. The first 34
// agree with Linux; the rest do not, so the NetBSD handlers use these.
#pragma once

#include "kernel/types.h"

namespace crossrt::kernel::nbsd::err {
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
} // namespace crossrt::kernel::nbsd::err
