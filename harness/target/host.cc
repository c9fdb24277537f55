#include "target/host.h"

#include <sys/utsname.h>

namespace crossrt {

std::string host_arch() {
    utsname name{};
    if (uname(&name) != 0)
        return "unknown";
    std::string machine = name.machine;
    if (machine == "x86_64")
        return "amd64";
    if (machine == "i386" || machine == "i486" || machine == "i586" || machine == "i686")
        return "386";
    if (machine.rfind("armv", 0) == 0)
        return "arm";
    if (machine == "aarch64")
        return "arm64";
    return machine;
}

std::string host_os() {
    return "linux";
}

const std::vector<std::string>& supported_host_arches() {
    static const std::vector<std::string> arches = {"amd64"};
    return arches;
}

bool arch_may_execute(std::string_view host, std::string_view arch) {
    return arch == host || (host == "amd64" && arch == "386");
}

bool host_may_execute(std::string_view arch) {
    return arch_may_execute(host_arch(), arch);
}

} // namespace crossrt
