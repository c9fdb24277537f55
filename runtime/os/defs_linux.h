// Picks defs_linux_<arch>.h for the compiler's target.
#pragma once

#if defined(__x86_64__)
#include "defs_linux_amd64.h"
#elif defined(__i386__)
#include "defs_linux_386.h"
#elif defined(__arm__)
#include "defs_linux_arm.h"
#endif
