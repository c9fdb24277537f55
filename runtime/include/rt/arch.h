// Picks the arch header for the compiler's target. Generic code includes this
// and never names an arch itself.
#pragma once

#if defined(__x86_64__)
#include "arch_amd64.h"
#elif defined(__i386__)
#include "arch_386.h"
#elif defined(__arm__)
#include "arch_arm.h"
#else
#error "crossrt runtime core: unsupported architecture"
#endif
