// CHECK for the on-target self-tests: a failed check names itself and exits 1.
#pragma once

#include "rt/os.h"
#include "rt/print.h"

template <typename T>
rt::uint64 check_as_u64(T* p) {
    return reinterpret_cast<rt::uintptr>(p);
}
template <typename T>
rt::uint64 check_as_u64(T v) {
    return static_cast<rt::uint64>(v);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            rt::eprintln("selftest ", __FILE__, ":", __LINE__, ": check failed: ", #cond);         \
            rt::sys_exit(1);                                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        auto check_a_ = (a);                                                                       \
        auto check_b_ = (b);                                                                       \
        if (!(check_a_ == check_b_)) {                                                             \
            rt::eprintln("selftest ", __FILE__, ":", __LINE__, ": check failed: ", #a, " == ", #b, \
                         " (", rt::Hex{check_as_u64(check_a_)}, " vs ",                            \
                         rt::Hex{check_as_u64(check_b_)}, ")");                                    \
            rt::sys_exit(1);                                                                       \
        }                                                                                          \
    } while (0)
