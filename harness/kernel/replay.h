// A run to its end, repeated from the start when it must be.
//
// Unicorn 2.0.1 keeps no exact pc for a faulting memory access inside a
// block that runs without an instruction hook: it leaves pc at the block's
// start (FACTS.md; measured in docs/backends.md). The kernel then ends that
// attempt, and the run starts again on a fresh kernel with the faulting
// block hooked from the beginning. A run is a pure function of its inputs
// (the seed, the injections, the program), so the new attempt reaches the
// same fault, now at its exact instruction; output the earlier attempt
// wrote is not written again. Each distinct faulting block costs one
// attempt; after kMaxBlockAttempts, the last attempt hooks every
// instruction.
#pragma once

#include "kernel/elf_load.h"
#include "kernel/options.h"
#include "kernel/run_end.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crossrt::kernel {

constexpr int kMaxBlockAttempts = 8;

struct ProgramRun {
    RunEnd end;
    int attempts = 0;
    // The last attempt's scheduling decisions (KernelOptions::record_schedule).
    std::vector<Decision> decisions;
    // And what each decision point offered (KernelOptions::record_points).
    std::vector<PointRecord> points;
    u64 schedule_hash = 0; // Kernel::schedule_hash()
};

class Kernel;

// Boots the image and runs it to its end. Nothing when it cannot boot (the
// reason in error).
std::optional<ProgramRun> run_program(const ElfImage& image, KernelOptions options,
                                      std::string& error);

// After kernel->run() (the first attempt, booted from image): the end, or
// the attempts a replay takes (a sweep's fork runs its first attempt on the
// kernel it inherited). The kernel goes before the next attempt boots: two
// engines would need two translation buffers.
std::optional<ProgramRun> finish_program(std::unique_ptr<Kernel> kernel, RunEnd end,
                                         const ElfImage& image, std::string& error);

} // namespace crossrt::kernel
