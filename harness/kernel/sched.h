// The deterministic scheduler: which runnable LWP runs next and for how many
// instructions, from a PRNG seeded by --seed. Nothing else decides.
#pragma once

#include "kernel/types.h"

#include <cstddef>

namespace crossrt::kernel {

// splitmix64: small, fast, and the same on every host.
class Prng {
public:
    explicit Prng(u64 seed) : state_(seed) {}
    u64 next();
    u64 below(u64 bound) { return bound == 0 ? 0 : next() % bound; }

private:
    u64 state_;
};

class Scheduler {
public:
    // Slices are never shorter than this: switching costs little then
    // (FACTS: keep slices >= 10k instructions).
    static constexpr u64 kMinSlice = 10'000;
    static constexpr u64 kSliceSpread = 50'000;

    explicit Scheduler(u64 seed) : prng_(seed) {}
    // Index into the runnable LWPs (in creation order) of the one to run.
    std::size_t pick(std::size_t runnable) {
        return static_cast<std::size_t>(prng_.below(runnable));
    }
    u64 slice() { return kMinSlice + prng_.below(kSliceSpread); }
    Prng& prng() { return prng_; }

private:
    Prng prng_;
};

} // namespace crossrt::kernel
