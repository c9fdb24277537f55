#include "base/mount.h"

namespace crossrt {

std::optional<Mount> parse_mount(std::string_view text, std::string& error) {
    Mount mount;
    std::string_view rest = text;
    for (std::string_view mode : {":ro", ":rw"}) {
        if (rest.size() > mode.size() && rest.substr(rest.size() - mode.size()) == mode) {
            mount.read_only = mode == ":ro";
            rest.remove_suffix(mode.size());
            break;
        }
    }
    // The guest path is absolute and has no ':', so the last ':' splits.
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
        error = "is not HOST:GUEST[:ro]";
        return std::nullopt;
    }
    mount.host = std::string(rest.substr(0, colon));
    mount.guest = std::string(rest.substr(colon + 1));
    if (mount.host.empty()) {
        error = "has no host directory (HOST:GUEST[:ro])";
        return std::nullopt;
    }
    if (mount.guest.empty() || mount.guest.front() != '/') {
        error = "needs an absolute guest path (HOST:GUEST[:ro])";
        return std::nullopt;
    }
    if (text.find('\0') != std::string_view::npos) {
        error = "has a NUL byte";
        return std::nullopt;
    }
    return mount;
}

std::string mount_spec(const Mount& mount) {
    return mount.host + ":" + mount.guest + (mount.read_only ? ":ro" : "");
}

} // namespace crossrt
