// A signal's disposition as sigaction(2) sets it, in the kernel's own terms
// (Linux numbers and flag bits; the NetBSD personality translates its own).
#pragma once

#include "kernel/lwp.h"
#include "kernel/types.h"

namespace crossrt::kernel {

// The two handler values that are not addresses.
constexpr u64 kSigDfl = 0;
constexpr u64 kSigIgn = 1;

constexpr u64 kSaSiginfo = 0x4;
constexpr u64 kSaOnstack = 0x08000000;
constexpr u64 kSaRestart = 0x10000000;
constexpr u64 kSaNodefer = 0x40000000;
constexpr u64 kSaResethand = 0x80000000;
constexpr u64 kSaRestorer = 0x04000000;

struct SigAction {
    u64 handler = kSigDfl; // kSigDfl, kSigIgn or the handler's address
    u64 flags = 0;
    u64 restorer = 0;
    u64 mask = 0;
    u64 trampoline = 0; // NetBSD: __sigaction_sigtramp's tramp (the handler's return address)

    bool catches() const { return handler != kSigDfl && handler != kSigIgn; }
};

// A signal about to run a handler.
struct SignalDelivery {
    int signo = 0;
    SigInfo info;
    u64 handler = 0;
    u64 flags = 0;
    u64 restorer = 0;
    u64 old_mask = 0; // the mask to restore at sigreturn
    u64 sp = 0;       // where the frame goes below (the altstack top or the current sp)
    AltStack altstack;
    bool on_altstack = false; // the interrupted code ran on the altstack
};

// The signals whose default action is to do nothing (or to stop, which
// the kernel treats as nothing: it has no job control).
constexpr bool default_ignores(int signo) {
    return signo == sig::CHLD || signo == sig::URG || signo == sig::WINCH || signo == sig::CONT ||
           signo == sig::STOP || signo == sig::TSTP || signo == sig::TTIN || signo == sig::TTOU;
}

} // namespace crossrt::kernel
