#include "kernel/cpu_state.h"

#include <fmt/format.h>

namespace crossrt::kernel {

std::optional<CpuState> CpuState::allocate(uc_engine* uc, std::string& error) {
    uc_context* context = nullptr;
    uc_err status = uc_context_alloc(uc, &context);
    if (status != UC_ERR_OK) {
        error = fmt::format("uc_context_alloc: {}", uc_strerror(status));
        return std::nullopt;
    }
    return CpuState(context);
}

bool CpuState::save(uc_engine* uc, std::string& error) {
    uc_err status = uc_context_save(uc, context_.get());
    if (status != UC_ERR_OK) {
        error = fmt::format("uc_context_save: {}", uc_strerror(status));
        return false;
    }
    return true;
}

bool CpuState::restore(uc_engine* uc, std::string& error) const {
    uc_err status = uc_context_restore(uc, context_.get());
    if (status != UC_ERR_OK) {
        error = fmt::format("uc_context_restore: {}", uc_strerror(status));
        return false;
    }
    return true;
}

bool CpuState::write(int regid, const void* value) {
    return uc_context_reg_write(context_.get(), regid, value) == UC_ERR_OK;
}

bool CpuState::read(int regid, void* value) const {
    return uc_context_reg_read(context_.get(), regid, value) == UC_ERR_OK;
}

} // namespace crossrt::kernel
