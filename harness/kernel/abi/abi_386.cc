#include "kernel/abi/abi_386.h"

#include "kernel/abi/abi.h"

namespace crossrt::kernel {

std::unique_ptr<Abi> make_abi_386() {
    return nullptr;
}
i64 i386_set_thread_area(Machine&, Lwp&, u64) {
    return -err::NOSYS;
}
i64 i386_modify_ldt(Machine&, u64, u64, u64) {
    return -err::NOSYS;
}

} // namespace crossrt::kernel
