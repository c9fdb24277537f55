// Number formatting for the freestanding runtime: pure functions on caller
// buffers, so the host tests can check them.
#pragma once

#include "rt/types.h"

namespace rt {

// Longest output of format_uint (64-bit value in base 2) plus a sign.
constexpr int kFormatMax = 66;

// Writes v in base (2..16) ending just before end; returns the first char.
char* format_uint(char* end, uint64 v, unsigned base);
// Same, with a leading '-' for negative values.
char* format_int(char* end, int64 v);

} // namespace rt
