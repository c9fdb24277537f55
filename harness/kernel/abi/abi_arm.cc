#include "kernel/abi/abi.h"

namespace crossrt::kernel {

std::unique_ptr<Abi> make_abi_arm() {
    return nullptr;
}

} // namespace crossrt::kernel
