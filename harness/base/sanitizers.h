// Whether this build of crossrt is instrumented with AddressSanitizer (the
// sanitize and fuzz presets, cmake/Sanitizers.cmake): what must differ for
// it is decided by this constant, in the open.
#pragma once

namespace crossrt {

#if defined(__SANITIZE_ADDRESS__) // gcc
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature) // clang
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

} // namespace crossrt
