#include "kernel/abi/abi.h"

namespace crossrt::kernel {

std::unique_ptr<Abi> make_abi(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return make_abi_amd64();
    case Arch::i386:
        return make_abi_386();
    case Arch::arm:
        return make_abi_arm();
    }
    return nullptr;
}

} // namespace crossrt::kernel
