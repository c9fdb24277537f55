#include "kernel/lwp.h"

#include <algorithm>

namespace crossrt::kernel {

bool SignalContexts::push(u64 frame, CpuState state) {
    if (saved_.size() >= kLimit)
        return false;
    saved_.push_back({frame, std::move(state)});
    return true;
}

std::optional<CpuState> SignalContexts::take(u64 frame) {
    for (std::size_t i = saved_.size(); i-- > 0;) {
        if (saved_[i].frame != frame)
            continue;
        CpuState state = std::move(saved_[i].state);
        saved_.erase(saved_.begin() + static_cast<std::ptrdiff_t>(i), saved_.end());
        return state;
    }
    return std::nullopt;
}

void SignalContexts::drop_overwritten(u64 low, u64 high) {
    std::erase_if(saved_,
                  [&](const Saved& saved) { return saved.frame >= low && saved.frame < high; });
}

} // namespace crossrt::kernel
