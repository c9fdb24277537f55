/* Hostile guest: the system calls that reach past a guest's namespaces to
 * the host's kernel, each printed as "name result" (ok or the errno name). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char* name, long result) {
    const char* text = result >= 0 ? "ok" : errno == EPERM ? "EPERM" : errno == ENOSYS ? "ENOSYS" : strerror(errno);
    printf("%s %s\n", name, text);
}

int main(void) {
    show("add_key", syscall(SYS_add_key, "user", "hostile", "x", 1, -2 /* KEY_SPEC_PROCESS_KEYRING */));
    show("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -4 /* KEY_SPEC_USER_KEYRING */, 1));
    show("bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0));
    show("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
    show("unshare_user", syscall(SYS_unshare, CLONE_NEWUSER));
    show("unshare_net", syscall(SYS_unshare, CLONE_NEWNET));
    show("ptrace_attach", syscall(SYS_ptrace, PTRACE_ATTACH, 1, 0, 0));
    show("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
    show("clone3", syscall(SYS_clone3, NULL, 0));
    show("setns", syscall(SYS_setns, -1, 0));
    show("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
    show("syslog", syscall(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, NULL, 0));
    return 0;
}
