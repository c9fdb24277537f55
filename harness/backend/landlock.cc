#include "backend/landlock.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

// Rights newer than the Debian 12 kernel headers; used only when the ABI has them.
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

namespace crossrt {
namespace {

constexpr std::uint64_t file_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                      LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;

constexpr std::uint64_t abi1_rights = (1ULL << 13) - 1; // EXECUTE .. MAKE_SYM

constexpr std::uint64_t read_rights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;

// ABI 6 (Linux 6.12) scopes IPC to the domain: a guest may connect to the
// abstract Unix sockets and signal the processes of its own domain only.
// Without namespaces (the fallback) this is what keeps it from the host's
// abstract sockets and processes; with them, a second wall. The Debian 12
// headers predate it: the ruleset attribute as the kernel reads it.
constexpr std::uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
constexpr std::uint64_t kScopeSignal = 1ULL << 1;
struct RulesetAttr {
    std::uint64_t handled_access_fs;
    std::uint64_t handled_access_net;
    std::uint64_t scoped;
};

} // namespace

int landlock_abi() {
    long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : static_cast<int>(abi);
}

LandlockPolicy::LandlockPolicy(int abi) : abi_(abi) {
    if (abi >= 1)
        handled_ = abi1_rights;
    if (abi >= 2)
        handled_ |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3)
        handled_ |= LANDLOCK_ACCESS_FS_TRUNCATE;
}

void LandlockPolicy::add(const std::string& path, std::uint64_t access) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0)
        return; // e.g. no /lib64 on this host: nothing to allow
    if (!S_ISDIR(info.st_mode))
        access &= file_rights; // the kernel refuses directory rights on a file
    rules_.push_back({path, access & handled_});
}

void LandlockPolicy::allow_read_execute(const std::string& path) {
    add(path, read_rights | LANDLOCK_ACCESS_FS_EXECUTE);
}

void LandlockPolicy::allow_read(const std::string& path) {
    add(path, read_rights);
}

void LandlockPolicy::allow_read_write(const std::string& path) {
    add(path, read_rights | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE);
}

void LandlockPolicy::allow_everything(const std::string& dir) {
    add(dir, ~0ULL);
}

bool LandlockPolicy::apply() const noexcept {
    if (abi_ <= 0)
        return true;
    RulesetAttr ruleset{handled_, 0, kScopeAbstractUnixSocket | kScopeSignal};
    // Before ABI 6 the kernel reads only the fields it knows.
    std::size_t size = abi_ >= 6 ? sizeof ruleset : sizeof ruleset.handled_access_fs;
    long ruleset_fd = syscall(SYS_landlock_create_ruleset, &ruleset, size, 0);
    if (ruleset_fd < 0)
        return false;
    for (const Rule& rule : rules_) {
        int fd = open(rule.path.c_str(), O_PATH | O_CLOEXEC);
        if (fd < 0)
            continue;
        landlock_path_beneath_attr beneath{};
        beneath.allowed_access = rule.access;
        beneath.parent_fd = fd;
        syscall(SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0);
        close(fd);
    }
    bool restricted = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                      syscall(SYS_landlock_restrict_self, ruleset_fd, 0) == 0;
    close(static_cast<int>(ruleset_fd));
    return restricted;
}

} // namespace crossrt
