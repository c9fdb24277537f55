#include "kernel/abi/cpu.h"

#include "kernel/abi/linux.h"

namespace crossrt::kernel {

std::unique_ptr<Cpu> make_cpu(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return make_cpu_amd64();
    case Arch::i386:
        return make_cpu_386();
    case Arch::arm:
        return make_cpu_arm();
    }
    return nullptr;
}

std::unique_ptr<LinuxAbi> make_linux_abi(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return make_linux_abi_amd64();
    case Arch::i386:
        return make_linux_abi_386();
    case Arch::arm:
        return make_linux_abi_arm();
    }
    return nullptr;
}

} // namespace crossrt::kernel
