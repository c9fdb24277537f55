#include "kernel/replay.h"

#include "kernel/kernel.h"

namespace crossrt::kernel {

namespace {

// What the next attempt after `kernel`'s is told: what it was told (its
// seed too, which a sweep's fork changed), with the injections not yet made.
KernelOptions next_attempt(const Kernel& kernel, int attempts) {
    KernelOptions options = kernel.options();
    for (Injection& injection : options.injections)
        injection.done = false;
    options.exact_ranges.push_back(*kernel.replay_request());
    if (attempts >= kMaxBlockAttempts)
        options.every_instruction = true;
    options.written_out = kernel.written_out();
    options.written_err = kernel.written_err();
    return options;
}

} // namespace

std::optional<ProgramRun> finish_program(std::unique_ptr<Kernel> kernel, RunEnd end,
                                         const ElfImage& image, std::string& error) {
    ProgramRun run{std::move(end), 1, {}, {}, 0};
    while (kernel->replay_request()) {
        KernelOptions options = next_attempt(*kernel, run.attempts);
        kernel.reset();
        ++run.attempts;
        kernel = std::make_unique<Kernel>(std::move(options));
        if (!kernel->boot(image, error))
            return std::nullopt;
        run.end = kernel->run();
    }
    run.decisions = kernel->decisions();
    run.points = kernel->points();
    run.schedule_hash = kernel->schedule_hash();
    return run;
}

std::optional<ProgramRun> run_program(const ElfImage& image, KernelOptions options,
                                      std::string& error) {
    auto kernel = std::make_unique<Kernel>(std::move(options));
    if (!kernel->boot(image, error))
        return std::nullopt;
    RunEnd end = kernel->run();
    return finish_program(std::move(kernel), std::move(end), image, error);
}

} // namespace crossrt::kernel
