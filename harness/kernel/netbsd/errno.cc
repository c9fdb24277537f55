#include "kernel/netbsd/errno.h"

namespace crossrt::kernel::nbsd {
namespace {

// A Linux errno NetBSD has no name for (the STREAMS, key and medium
// errors, Linux's unused 41 and 58): the kernel never gives them.
constexpr u8 kNone = 22; // EINVAL

// Index: the kernel's errno (Linux's numbers, asm-generic/errno*.h); value:
// NetBSD's (sys/errno.h; 97 and 98 as NetBSD 8 added them).
constexpr posix::ErrnoTable kNetbsdErrno = {
    0,     // 0: not an error
    1,     // 1 EPERM
    2,     // 2 ENOENT
    3,     // 3 ESRCH
    4,     // 4 EINTR
    5,     // 5 EIO
    6,     // 6 ENXIO
    7,     // 7 E2BIG
    8,     // 8 ENOEXEC
    9,     // 9 EBADF
    10,    // 10 ECHILD
    35,    // 11 EAGAIN
    12,    // 12 ENOMEM
    13,    // 13 EACCES
    14,    // 14 EFAULT
    15,    // 15 ENOTBLK
    16,    // 16 EBUSY
    17,    // 17 EEXIST
    18,    // 18 EXDEV
    19,    // 19 ENODEV
    20,    // 20 ENOTDIR
    21,    // 21 EISDIR
    22,    // 22 EINVAL
    23,    // 23 ENFILE
    24,    // 24 EMFILE
    25,    // 25 ENOTTY
    26,    // 26 ETXTBSY
    27,    // 27 EFBIG
    28,    // 28 ENOSPC
    29,    // 29 ESPIPE
    30,    // 30 EROFS
    31,    // 31 EMLINK
    32,    // 32 EPIPE
    33,    // 33 EDOM
    34,    // 34 ERANGE
    11,    // 35 EDEADLK
    63,    // 36 ENAMETOOLONG
    77,    // 37 ENOLCK
    78,    // 38 ENOSYS
    66,    // 39 ENOTEMPTY
    62,    // 40 ELOOP
    kNone, // 41 (unused)
    83,    // 42 ENOMSG
    82,    // 43 EIDRM
    kNone, // 44 ECHRNG
    kNone, // 45 EL2NSYNC
    kNone, // 46 EL3HLT
    kNone, // 47 EL3RST
    kNone, // 48 ELNRNG
    kNone, // 49 EUNATCH
    kNone, // 50 ENOCSI
    kNone, // 51 EL2HLT
    kNone, // 52 EBADE
    kNone, // 53 EBADR
    kNone, // 54 EXFULL
    kNone, // 55 ENOANO
    kNone, // 56 EBADRQC
    kNone, // 57 EBADSLT
    kNone, // 58 (unused)
    kNone, // 59 EBFONT
    91,    // 60 ENOSTR
    89,    // 61 ENODATA
    92,    // 62 ETIME
    90,    // 63 ENOSR
    kNone, // 64 ENONET
    kNone, // 65 ENOPKG
    71,    // 66 EREMOTE
    95,    // 67 ENOLINK
    kNone, // 68 EADV
    kNone, // 69 ESRMNT
    kNone, // 70 ECOMM
    96,    // 71 EPROTO
    94,    // 72 EMULTIHOP
    kNone, // 73 EDOTDOT
    88,    // 74 EBADMSG
    84,    // 75 EOVERFLOW
    kNone, // 76 ENOTUNIQ
    kNone, // 77 EBADFD
    kNone, // 78 EREMCHG
    kNone, // 79 ELIBACC
    kNone, // 80 ELIBBAD
    kNone, // 81 ELIBSCN
    kNone, // 82 ELIBMAX
    kNone, // 83 ELIBEXEC
    85,    // 84 EILSEQ
    kNone, // 85 ERESTART
    kNone, // 86 ESTRPIPE
    68,    // 87 EUSERS
    38,    // 88 ENOTSOCK
    39,    // 89 EDESTADDRREQ
    40,    // 90 EMSGSIZE
    41,    // 91 EPROTOTYPE
    42,    // 92 ENOPROTOOPT
    43,    // 93 EPROTONOSUPPORT
    44,    // 94 ESOCKTNOSUPPORT
    45,    // 95 EOPNOTSUPP
    46,    // 96 EPFNOSUPPORT
    47,    // 97 EAFNOSUPPORT
    48,    // 98 EADDRINUSE
    49,    // 99 EADDRNOTAVAIL
    50,    // 100 ENETDOWN
    51,    // 101 ENETUNREACH
    52,    // 102 ENETRESET
    53,    // 103 ECONNABORTED
    54,    // 104 ECONNRESET
    55,    // 105 ENOBUFS
    56,    // 106 EISCONN
    57,    // 107 ENOTCONN
    58,    // 108 ESHUTDOWN
    59,    // 109 ETOOMANYREFS
    60,    // 110 ETIMEDOUT
    61,    // 111 ECONNREFUSED
    64,    // 112 EHOSTDOWN
    65,    // 113 EHOSTUNREACH
    37,    // 114 EALREADY
    36,    // 115 EINPROGRESS
    70,    // 116 ESTALE
    kNone, // 117 EUCLEAN
    kNone, // 118 ENOTNAM
    kNone, // 119 ENAVAIL
    kNone, // 120 EISNAM
    kNone, // 121 EREMOTEIO
    69,    // 122 EDQUOT
    kNone, // 123 ENOMEDIUM
    kNone, // 124 EMEDIUMTYPE
    87,    // 125 ECANCELED
    kNone, // 126 ENOKEY
    kNone, // 127 EKEYEXPIRED
    kNone, // 128 EKEYREVOKED
    kNone, // 129 EKEYREJECTED
    97,    // 130 EOWNERDEAD
    98,    // 131 ENOTRECOVERABLE
    kNone, // 132 ERFKILL
    kNone, // 133 EHWPOISON
};

// The names the NetBSD handlers use (errno.h) are the table's numbers.
static_assert(kNetbsdErrno[kernel::err::AGAIN] == err::AGAIN);
static_assert(kNetbsdErrno[kernel::err::NOSYS] == err::NOSYS);
static_assert(kNetbsdErrno[kernel::err::TIMEDOUT] == err::TIMEDOUT);
static_assert(kNetbsdErrno[kernel::err::ALREADY] == err::ALREADY);
static_assert(kNetbsdErrno[kernel::err::OPNOTSUPP] == err::OPNOTSUPP);
// posix/ wakes blocked LWPs with a count, -EFAULT or -EINTR (the machine's
// EINTR for a signal) without asking the personality: both must agree.
static_assert(kNetbsdErrno[kernel::err::FAULT] == kernel::err::FAULT);
static_assert(kNetbsdErrno[kernel::err::INTR] == kernel::err::INTR);

} // namespace

i64 encode_errno(i64 result) {
    return posix::encode_errno(result, kNetbsdErrno);
}

posix::SysResult encode(posix::SysResult result) {
    if (result.kind == posix::SysResult::Kind::value ||
        result.kind == posix::SysResult::Kind::yield)
        result.value = encode_errno(result.value);
    return result;
}

} // namespace crossrt::kernel::nbsd
