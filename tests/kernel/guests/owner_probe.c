/* What an ordinary user (not root) meets in a file system: permission
 * bits of files and directories, chown to its own group only, its ids and
 * groups, file times set by utimensat (before 1970 too), a symlink with a
 * trailing slash, RLIMIT_NOFILE, FIFOs, mknod, copy_file_range, and the
 * files every system has (/etc/passwd, /proc/self/cmdline). Printed as
 * facts that hold on any machine; OwnerTest runs it on the host kernel as
 * uid 1000 (setpriv) and under the unicorn kernel (whose guest is user
 * 1000) and compares the outputs line by line.
 *
 *   owner_probe DIR    DIR: an empty directory of the user's */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char* format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (write(1, line, (size_t)n) < 0)
        _exit(99);
}

static const char* err_name(int e) {
    switch (e) {
    case 0:
        return "ok";
    case EACCES:
        return "EACCES";
    case EPERM:
        return "EPERM";
    case EINVAL:
        return "EINVAL";
    case ENXIO:
        return "ENXIO";
    case EMFILE:
        return "EMFILE";
    case ENOTDIR:
        return "ENOTDIR";
    case EEXIST:
        return "EEXIST";
    case EBADF:
        return "EBADF";
    default:
        return "other";
    }
}

/* The result of a call that returns 0 or -1: "ok" or its errno's name. */
static const char* result(int r) {
    return r == 0 ? "ok" : err_name(errno);
}

static void times_of(const char* path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        say("stat %s: %s\n", path, err_name(errno));
        return;
    }
    say("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
        (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(int argc, char** argv) {
    if (argc != 2 || chdir(argv[1]) != 0) {
        say("usage: owner_probe DIR\n");
        return 2;
    }
    umask(022);

    /* The open that creates a read-only file may write it; later opens not. */
    int fd = open("ro.txt", O_WRONLY | O_CREAT | O_EXCL, 0444);
    say("create a 0444 file for writing: %s\n", fd >= 0 ? "ok" : err_name(errno));
    say("write to it: %s\n", write(fd, "text\n", 5) == 5 ? "ok" : err_name(errno));
    close(fd);
    fd = open("ro.txt", O_WRONLY);
    say("open it again for writing: %s\n", fd >= 0 ? "ok" : err_name(errno));
    if (fd >= 0)
        close(fd);
    say("access(W_OK): %s\n", result(access("ro.txt", W_OK)));
    say("chmod 0644 by its owner: %s\n", result(chmod("ro.txt", 0644)));

    /* A directory's write bit decides what may be made or removed in it. */
    mkdir("locked", 0755);
    close(open("locked/inside", O_WRONLY | O_CREAT, 0644));
    chmod("locked", 0555);
    say("create in a 0555 directory: %s\n",
        open("locked/new", O_WRONLY | O_CREAT, 0644) >= 0 ? "ok" : err_name(errno));
    say("unlink in it: %s\n", result(unlink("locked/inside")));
    say("mkdir in it: %s\n", result(mkdir("locked/sub", 0755)));
    say("rename out of it: %s\n", result(rename("locked/inside", "moved")));
    chmod("locked", 0755);
    say("unlink after chmod 0755: %s\n", result(unlink("locked/inside")));

    /* Ids and groups: the user may keep its ids, not take root's. */
    gid_t groups[8];
    int count = getgroups(0, NULL);
    say("getgroups(0): %d\n", count);
    say("its group is its gid: %s\n",
        getgroups(8, groups) == 1 && groups[0] == getgid() ? "yes" : "no");
    say("setuid(own uid): %s\n", result(setuid(getuid())));
    say("setuid(0): %s\n", result(setuid(0)));
    say("setgid(0): %s\n", result(setgid(0)));
    say("setresuid(-1, -1, -1): %s\n", result(setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1)));
    say("setgroups: %s\n", result(setgroups(1, groups)));

    /* chown: to its own group, never to root or another owner. */
    say("chown to its own gid: %s\n", result(chown("ro.txt", (uid_t)-1, getgid())));
    say("chown to gid 0: %s\n", result(chown("ro.txt", (uid_t)-1, 0)));
    say("chown to uid 0: %s\n", result(chown("ro.txt", 0, (gid_t)-1)));
    fd = open("ro.txt", O_RDONLY);
    say("fchown to its own ids: %s\n", result(fchown(fd, getuid(), getgid())));
    close(fd);
    symlink("ro.txt", "link");
    say("lchown of a symlink: %s\n", result(lchown("link", (uid_t)-1, getgid())));
    struct stat st;
    stat("ro.txt", &st);
    say("the file is the user's: %s\n",
        st.st_uid == getuid() && st.st_gid == getgid() ? "yes" : "no");

    /* utimensat: times set exactly, before the epoch too; OMIT keeps one. */
    struct timespec set[2] = {{1000, 500000000}, {-2, 250}};
    say("utimensat with times: %s\n", result(utimensat(AT_FDCWD, "ro.txt", set, 0)));
    times_of("ro.txt");
    struct timespec keep[2] = {{0, UTIME_OMIT}, {86400, 0}};
    say("utimensat with UTIME_OMIT: %s\n", result(utimensat(AT_FDCWD, "ro.txt", keep, 0)));
    times_of("ro.txt");
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    say("utimensat with tv_nsec 1e9: %s\n", result(utimensat(AT_FDCWD, "ro.txt", bad, 0)));
    struct timeval tv[2] = {{7, 1}, {8, 2}};
    say("utimes: %s\n", result(utimes("ro.txt", tv)));
    times_of("ro.txt");

    /* A trailing slash follows a symlink to a directory. */
    mkdir("dir", 0755);
    symlink("dir", "dirlink");
    say("lstat(\"dirlink\") is a symlink: %s\n",
        lstat("dirlink", &st) == 0 && S_ISLNK(st.st_mode) ? "yes" : "no");
    say("lstat(\"dirlink/\") is a directory: %s\n",
        lstat("dirlink/", &st) == 0 && S_ISDIR(st.st_mode) ? "yes" : "no");
    say("lstat(\"ro.txt/\"): %s\n", result(lstat("ro.txt/", &st)));

    /* RLIMIT_NOFILE: the soft limit bounds the fds, the user may lower
     * its hard one but never raise it. */
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    struct rlimit small = {64, limit.rlim_max};
    say("setrlimit(NOFILE, 64): %s\n", result(setrlimit(RLIMIT_NOFILE, &small)));
    int last = -1, opened;
    while ((opened = open(".", O_RDONLY)) >= 0)
        last = opened;
    say("the last fd is 63 and then: %s %s\n", last == 63 ? "yes" : "no", err_name(errno));
    for (int i = 3; i <= last; ++i)
        close(i);
    say("dup2 to fd 64: %s\n", dup2(0, 64) < 0 ? err_name(errno) : "ok");
    struct rlimit lower = {64, 128};
    say("lower the hard limit to 128: %s\n", result(setrlimit(RLIMIT_NOFILE, &lower)));
    struct rlimit raise = {64, 129};
    say("raise it again: %s\n", result(setrlimit(RLIMIT_NOFILE, &raise)));
    struct rlimit above = {200, 128};
    say("soft above hard: %s\n", result(setrlimit(RLIMIT_NOFILE, &above)));

    /* FIFOs: an open waits for the other end; the data goes through. */
    say("mkfifo: %s\n", result(mkfifo("fifo", 0600)));
    stat("fifo", &st);
    say("it is a FIFO: %s\n", S_ISFIFO(st.st_mode) ? "yes" : "no");
    say("open for writing, O_NONBLOCK, no reader: %s\n",
        open("fifo", O_WRONLY | O_NONBLOCK) >= 0 ? "ok" : err_name(errno));
    pid_t child = fork();
    if (child == 0) {
        int w = open("fifo", O_WRONLY); /* waits for the parent's open */
        if (w < 0 || write(w, "through the fifo", 16) != 16)
            _exit(3);
        _exit(0);
    }
    int r = open("fifo", O_RDONLY); /* waits for the child's */
    char buffer[64] = {0};
    ssize_t total = 0, n;
    while (r >= 0 && (n = read(r, buffer + total, sizeof buffer - 1 - (size_t)total)) > 0)
        total += n;
    int status = 0;
    waitpid(child, &status, 0);
    say("read until EOF: [%s], the writer exited %d\n", buffer, WEXITSTATUS(status));
    close(r);
    say("mknod of a regular file: %s\n", result(mknod("plain", S_IFREG | 0600, 0)));
    say("mknod of a character device: %s\n", result(mknod("dev", S_IFCHR | 0600, makedev(1, 3))));
    say("mkfifo over a file: %s\n", result(mkfifo("plain", 0600)));

    /* copy_file_range between two files, with and without offsets. */
    int in = open("source", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (write(in, "0123456789abcdef", 16) != 16)
        return 2;
    int out = open("target", O_RDWR | O_CREAT | O_TRUNC, 0644);
    loff_t from = 4;
    ssize_t copied = copy_file_range(in, &from, out, NULL, 6, 0);
    say("copy_file_range: %zd, from moved to %lld, source offset %lld\n", copied, (long long)from,
        (long long)lseek(in, 0, SEEK_CUR));
    lseek(out, 0, SEEK_SET);
    memset(buffer, 0, sizeof buffer);
    n = read(out, buffer, sizeof buffer - 1);
    say("target holds: [%s]\n", buffer);
    close(in);
    close(out);

    /* The files every system has. */
    FILE* passwd = fopen("/etc/passwd", "r");
    char line[256];
    int root = 0;
    while (passwd && fgets(line, sizeof line, passwd))
        root |= strncmp(line, "root:x:0:0:", 11) == 0;
    say("/etc/passwd has root: %s\n", root ? "yes" : "no");
    if (passwd)
        fclose(passwd);
    fd = open("/proc/self/cmdline", O_RDONLY);
    memset(line, 0, sizeof line);
    n = read(fd, line, sizeof line);
    close(fd);
    size_t first = strlen(line);
    say("/proc/self/cmdline holds argv[1] after argv[0]: %s\n",
        n > 0 && (size_t)n > first + 1 && strcmp(line + first + 1, argv[1]) == 0 ? "yes" : "no");
    say("owner probe: done\n");
    return 0;
}
