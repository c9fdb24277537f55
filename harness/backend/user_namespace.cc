#include "backend/user_namespace.h"

#include "backend/async_safe.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt {

std::string IdMapping::uid_map() const {
    return fmt::format("{} {} 1\n", inside_uid, host_uid);
}

std::string IdMapping::gid_map() const {
    return fmt::format("{} {} 1\n", inside_gid, host_gid);
}

IdMapping guest_id_mapping() {
    constexpr uid_t nobody = 65534;
    constexpr gid_t nogroup = 65534;
    IdMapping mapping{kGuestUid, geteuid(), kGuestGid, getegid()};
    if (mapping.host_uid == 0) {
        mapping.host_uid = nobody;
        mapping.host_gid = nogroup;
    }
    return mapping;
}

IdMapping outer_namespace_mapping() {
    IdMapping guest = guest_id_mapping();
    return {0, guest.host_uid, 0, guest.host_gid};
}

IdMapping inner_namespace_mapping() {
    return {kGuestUid, 0, kGuestGid, 0};
}

bool write_id_maps(pid_t pid, const char* uid_map, const char* gid_map) noexcept {
    char path[64];
    // "deny" must come before gid_map for an unprivileged writer; it also
    // keeps the guest from dropping a group to get past a file's mode.
    return async_safe::write_file(async_safe::proc_path(pid, "uid_map", path), uid_map) &&
           async_safe::write_file(async_safe::proc_path(pid, "setgroups", path), "deny") &&
           async_safe::write_file(async_safe::proc_path(pid, "gid_map", path), gid_map);
}

bool enter_child_user_namespace(const char* uid_map, const char* gid_map) noexcept {
    // A process that is not dumpable may not open its own /proc/self/*_map
    // (they belong to root then, who is not mapped in the new namespace).
    int dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    bool entered = unshare(CLONE_NEWUSER) == 0 &&
                   async_safe::write_file("/proc/self/uid_map", uid_map) &&
                   async_safe::write_file("/proc/self/setgroups", "deny") &&
                   async_safe::write_file("/proc/self/gid_map", gid_map);
    int error = errno;
    prctl(PR_SET_DUMPABLE, dumpable > 0 ? dumpable : 0, 0, 0, 0);
    errno = error;
    return entered;
}

int make_user_namespace(const char* uid_map, const char* gid_map) noexcept {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0)
        return -1;
    pid_t helper = fork();
    if (helper == 0) {
        close(ready[0]);
        char done = unshare(CLONE_NEWUSER) == 0 ? 1 : 0;
        ssize_t ignored = write(ready[1], &done, 1);
        (void)ignored;
        pause(); // until killed: its namespace lives while the fd is open
        _exit(0);
    }
    close(ready[1]);
    int fd = -1;
    int error = EAGAIN;
    char done = 0;
    if (helper > 0 && read(ready[0], &done, 1) == 1 && done == 1) {
        char path[64];
        if (write_id_maps(helper, uid_map, gid_map))
            fd = open(async_safe::proc_path(helper, "ns/user", path), O_RDONLY | O_CLOEXEC);
        error = errno;
    }
    close(ready[0]);
    if (helper > 0) {
        kill(helper, SIGKILL);
        while (waitpid(helper, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    errno = error;
    return fd;
}

} // namespace crossrt
