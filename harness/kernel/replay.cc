#include "kernel/replay.h"

#include "kernel/kernel.h"

namespace crossrt::kernel {

std::optional<ProgramRun> run_program(const ElfImage& image, KernelOptions options,
                                      std::string& error) {
    ProgramRun run;
    while (true) {
        ++run.attempts;
        Kernel kernel(options);
        if (!kernel.boot(image, error))
            return std::nullopt;
        run.end = kernel.run();
        const auto& replay = kernel.replay_request();
        if (!replay)
            return run;
        options.exact_ranges.push_back(*replay);
        if (run.attempts >= kMaxBlockAttempts)
            options.every_instruction = true;
        options.written_out = kernel.written_out();
        options.written_err = kernel.written_err();
    }
}

} // namespace crossrt::kernel
