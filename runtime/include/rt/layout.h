// Offsets of the fields that assembly touches. This header is included from
// both C++ (where static_asserts in runtime.h check every number against the
// real struct) and GNU assembler .S files, so it may only hold #defines.
#pragma once

#if defined(__x86_64__)
#define RT_PTRSIZE 8
#else
#define RT_PTRSIZE 4
#endif

// Gobuf {sp, pc, g, ret, ctxt, lr}: one word each.
#define GOBUF_SP (0 * RT_PTRSIZE)
#define GOBUF_PC (1 * RT_PTRSIZE)
#define GOBUF_G (2 * RT_PTRSIZE)
#define GOBUF_RET (3 * RT_PTRSIZE)
#define GOBUF_CTXT (4 * RT_PTRSIZE)
#define GOBUF_LR (5 * RT_PTRSIZE)
#define GOBUF_SIZE (6 * RT_PTRSIZE)

// G: stack bounds, then sched, then m.
#define G_STACK_LO (0 * RT_PTRSIZE)
#define G_STACK_HI (1 * RT_PTRSIZE)
#define G_SCHED (2 * RT_PTRSIZE)
#define G_M (G_SCHED + GOBUF_SIZE)

// M: g0 first, then curg.
#define M_G0 (0 * RT_PTRSIZE)
#define M_CURG (1 * RT_PTRSIZE)
// M.tls, after gsignal, magic, id and the 64-bit procid (which i386 aligns
// to 4 bytes, arm and amd64 to 8). runtime.h checks it.
#if defined(__x86_64__)
#define M_TLS 40
#elif defined(__i386__)
#define M_TLS 28
#else
#define M_TLS 32
#endif

// The per-thread TLS block the thread pointer (%fs, %gs, TPIDRURO) points at.
#define TLS_G (0 * RT_PTRSIZE)
#define TLS_M (1 * RT_PTRSIZE)
