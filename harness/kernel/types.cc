#include "kernel/types.h"

namespace crossrt::kernel {

std::string_view arch_name(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return "amd64";
    case Arch::i386:
        return "386";
    case Arch::arm:
        return "arm";
    }
    return "?";
}

} // namespace crossrt::kernel
