// An LWP's saved CPU state: one Unicorn context, owned. Whoever is not
// running keeps its registers here; a signal delivery keeps a copy of the
// interrupted state here until sigreturn. Every Unicorn call is checked:
// a context that cannot be allocated, saved or restored ends the run with
// an error instead of running on with the wrong registers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unicorn/unicorn.h>

namespace crossrt::kernel {

class CpuState {
public:
    // A context sized for this engine, or nullopt with the reason in error.
    static std::optional<CpuState> allocate(uc_engine* uc, std::string& error);

    // The live registers into this state, and back. False (with the
    // reason in error) when Unicorn refuses.
    bool save(uc_engine* uc, std::string& error);
    bool restore(uc_engine* uc, std::string& error) const;
    // Frees the context before its engine closes (an ended process lets
    // its engine go); a released state is never saved or restored again.
    void release() { context_.reset(); }
    // One register of the saved state (its Unicorn id), without restoring
    // it; false when Unicorn cannot read it there.
    bool read(int regid, void* value) const;
    // One register of the saved state changed (a debugger's write).
    bool write(int regid, const void* value);

private:
    struct Free {
        void operator()(uc_context* context) const { uc_context_free(context); }
    };
    explicit CpuState(uc_context* context) : context_(context) {}
    std::unique_ptr<uc_context, Free> context_;
};

} // namespace crossrt::kernel
