// Freestanding integer types for the runtime core: no libc headers anywhere.
#pragma once

namespace rt {

using int8 = signed char;
using uint8 = unsigned char;
using int16 = short;
using uint16 = unsigned short;
using int32 = int;
using uint32 = unsigned int;
using int64 = long long;
using uint64 = unsigned long long;
using uintptr = __UINTPTR_TYPE__;
using intptr = __INTPTR_TYPE__;

static_assert(sizeof(uintptr) == sizeof(void*));

} // namespace rt
