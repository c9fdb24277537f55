/* Processes through libc: fork, pipes and files across it, exit statuses,
 * signals between processes, SIGCHLD, waitpid's options, execve of the
 * probe itself with close-on-exec, kill's targets. Printed as facts that
 * do not depend on the machine (no pid values); ProcessTest compares the
 * host kernel's output with the unicorn kernel's line for line.
 *
 *   process_probe         the checks
 *   process_probe exec N  what the execve'd child does: report and exit N
 *   process_probe bomb    forks until the kernel refuses
 *   process_probe alone   also kill(-1, 0) (where no other process is) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char chunk_for_child[8192];
static char big[200000];

/* write(2), not stdio: nothing buffered is copied into a child. */
static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (write(1, line, (size_t)n) < 0)
        _exit(99);
}

static const char *err_name(int e) {
    switch (e) {
    case 0: return "ok";
    case ECHILD: return "ECHILD";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case EAGAIN: return "EAGAIN";
    default: return "other";
    }
}

static void describe(const char *what, int status) {
    if (WIFEXITED(status))
        say("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        say("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        say("%s: status %#x\n", what, status);
}

static volatile sig_atomic_t chld_seen = 0;
static void on_chld(int signo) {
    (void)signo;
    chld_seen++;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "exec") == 0) {
        /* The execve'd child: fd 5 was close-on-exec, fd 6 was not. */
        say("exec child: argv[2] %s, fd 5 %s, fd 6 %s, env CROSSRT_PROBE=%s\n", argv[2],
            fcntl(5, F_GETFD) < 0 ? err_name(errno) : "open",
            fcntl(6, F_GETFD) < 0 ? err_name(errno) : "open", getenv("CROSSRT_PROBE"));
        return atoi(argv[2]);
    }
    int status = 0;
    if (argc == 2 && strcmp(argv[1], "bomb") == 0) {
        /* Children that wait forever, until fork refuses (the kernel's limit). */
        pid_t children[256];
        int count = 0;
        while (count < 256) {
            pid_t child = fork();
            if (child == 0) {
                for (;;)
                    pause();
            }
            if (child < 0)
                break;
            children[count++] = child;
        }
        say("fork refused after %d children: %s\n", count, err_name(errno));
        for (int i = 0; i < count; ++i)
            kill(children[i], SIGKILL);
        int reaped = 0;
        while (waitpid(-1, &status, 0) > 0)
            reaped += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
        say("reaped %d killed children; fork works again: %s\n", reaped, (children[0] = fork()) == 0 ? (_exit(0), "") : children[0] > 0 ? "yes" : "no");
        return 0;
    }
    errno = 0;
    say("wait with no children: %s\n", waitpid(-1, &status, 0) < 0 ? err_name(errno) : "ok");

    /* A child talks through a pipe and exits with a code. */
    int fds[2];
    if (pipe(fds) != 0)
        return 2;
    pid_t me = getpid();
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        const char *text = getppid() == me ? "hello from the child" : "wrong parent";
        if (write(fds[1], text, strlen(text)) < 0)
            _exit(98);
        _exit(7);
    }
    say("fork returned a new pid: %s\n", child > 0 && child != me ? "yes" : "no");
    close(fds[1]);
    char buffer[128] = {0};
    ssize_t total = 0, n;
    while ((n = read(fds[0], buffer + total, sizeof buffer - 1 - (size_t)total)) > 0)
        total += n;
    close(fds[0]);
    say("read from the child until EOF: [%s]\n", buffer);
    say("waitpid returned the child: %s\n", waitpid(child, &status, 0) == child ? "yes" : "no");
    describe("child", status);
    say("the child is reaped: %s\n", waitpid(child, &status, WNOHANG) < 0 ? err_name(errno) : "no");

    /* WNOHANG while the child runs, then a signal ends it. */
    if (pipe(fds) != 0)
        return 2;
    child = fork();
    if (child == 0) {
        close(fds[1]);
        char c;
        ssize_t got = read(fds[0], &c, 1); /* blocks until the parent writes or dies */
        (void)got;
        for (;;)
            pause();
    }
    close(fds[0]);
    say("WNOHANG on a live child: %d\n", (int)waitpid(child, &status, WNOHANG));
    say("kill the child: %s\n", kill(child, SIGTERM) == 0 ? "ok" : err_name(errno));
    waitpid(child, &status, 0);
    describe("signalled child", status);
    close(fds[1]);

    /* SIGCHLD reaches a handler. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_chld;
    sigaction(SIGCHLD, &action, NULL);
    child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, &status, 0);
    say("SIGCHLD handled: %s\n", chld_seen > 0 ? "yes" : "no");

    /* A file written by the child, read by the parent after it ended;
     * the offset of an inherited fd is shared. */
    int file = open("shared.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    child = fork();
    if (child == 0) {
        if (write(file, "child wrote this\n", 17) < 0)
            _exit(98);
        _exit(0);
    }
    waitpid(child, &status, 0);
    say("offset after the child's write: %ld\n", (long)lseek(file, 0, SEEK_CUR));
    lseek(file, 0, SEEK_SET);
    memset(buffer, 0, sizeof buffer);
    n = read(file, buffer, sizeof buffer - 1);
    say("file from the child: %zd [%s]\n", n, strtok(buffer, "\n"));
    close(file);

    /* execve of this program, with a close-on-exec fd and one that stays. */
    int gone = open("shared.txt", O_RDONLY | O_CLOEXEC);
    int kept = open("shared.txt", O_RDONLY);
    dup2(gone, 5);
    dup2(kept, 6);
    fcntl(5, F_SETFD, FD_CLOEXEC);
    child = fork();
    if (child == 0) {
        char *args[] = {argv[0], "exec", "3", NULL};
        char *env[] = {"CROSSRT_PROBE=yes", NULL};
        execve("/proc/self/exe", args, env);
        say("execve failed: %s\n", err_name(errno));
        _exit(97);
    }
    waitpid(child, &status, 0);
    describe("exec'd child", status);
    errno = 0;
    char *none[] = {"x", NULL};
    say("execve of a missing file: %s\n",
        execve("/no/such/program", none, none) < 0 ? err_name(errno) : "ok");
    say("execve of a directory: %s\n", execve(".", none, none) < 0 ? err_name(errno) : "ok");

    /* An epoll registration watches the open file description: a child's
     * close of its copy of the fd leaves it alone (Go's netpoller lost a
     * pipe's EOF when a concurrently forked child moved its fds around);
     * it goes when the last fd of the description is closed. */
    int queue = epoll_create1(EPOLL_CLOEXEC);
    if (pipe(fds) != 0)
        return 2;
    struct epoll_event watch;
    memset(&watch, 0, sizeof watch);
    watch.events = EPOLLIN;
    watch.data.u32 = 7;
    epoll_ctl(queue, EPOLL_CTL_ADD, fds[0], &watch);
    child = fork();
    if (child == 0) {
        dup2(fds[1], fds[0]); /* closes the child's copy of the read end */
        _exit(0);
    }
    waitpid(child, &status, 0);
    if (write(fds[1], "x", 1) != 1)
        return 2;
    struct epoll_event seen;
    memset(&seen, 0, sizeof seen);
    n = epoll_wait(queue, &seen, 1, 0);
    say("epoll after a child closed its copy: %zd event(s), data %u\n", n, n > 0 ? seen.data.u32 : 0u);
    int moved = dup(fds[0]);
    close(fds[0]);
    n = epoll_wait(queue, &seen, 1, 0);
    say("epoll while a dup of the fd stays open: %zd event(s)\n", n);
    close(moved);
    say("epoll_ctl DEL after the last close: %s\n",
        epoll_ctl(queue, EPOLL_CTL_DEL, fds[0], &watch) < 0 ? err_name(errno) : "ok");
    close(fds[1]);
    close(queue);

    /* A pipe holds 64 KiB: non-blocking writes stop there; a blocking one
     * waits while a reader drains it, and writes all it was given. */
    if (pipe(fds) != 0)
        return 2;
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    static char page[4096];
    long held = 0;
    while (write(fds[1], page, sizeof page) == (ssize_t)sizeof page)
        held += (long)sizeof page;
    say("a pipe holds %ld bytes, then: %s\n", held, err_name(errno));
    fcntl(fds[1], F_SETFL, 0);
    child = fork();
    if (child == 0) {
        close(fds[1]);
        long drained = 0;
        while ((n = read(fds[0], chunk_for_child, sizeof chunk_for_child)) > 0)
            drained += n;
        _exit(drained == held + 200000 ? 0 : 1);
    }
    close(fds[0]);
    n = write(fds[1], big, sizeof big);
    close(fds[1]);
    waitpid(child, &status, 0);
    say("a blocking write of 200000 bytes: %zd; the reader saw all: %s\n", n,
        WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");

    /* A writer to a full pipe nobody reads waits (the pipe never grows). */
    if (pipe(fds) != 0)
        return 2;
    child = fork();
    if (child == 0) {
        close(fds[0]);
        n = write(fds[1], big, sizeof big);
        _exit(n == (ssize_t)sizeof big ? 0 : 1);
    }
    close(fds[1]);
    usleep(50000);
    say("the writer waits while the pipe is full: %s\n",
        waitpid(child, &status, WNOHANG) == 0 ? "yes" : "no");
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    close(fds[0]);

    /* Many more processes in a run's life than are alive at once. */
    int ended = 0;
    for (int i = 0; i < 40; ++i) {
        child = fork();
        if (child == 0)
            _exit(i & 0x7f);
        if (child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
            WEXITSTATUS(status) == (i & 0x7f))
            ended++;
    }
    say("40 children forked and reaped one after another: %d\n", ended);

    /* A program this run wrote: a copy of the probe, then a file that is
     * not a program, then one without execute permission. */
    int from = open("/proc/self/exe", O_RDONLY);
    int to = open("probe-copy", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    struct stat from_stat;
    fstat(from, &from_stat);
    char chunk[65536];
    off_t copied = 0;
    while ((n = read(from, chunk, sizeof chunk)) > 0 && write(to, chunk, (size_t)n) == n)
        copied += n;
    close(from);
    close(to);
    say("copied the probe: %s\n", copied == from_stat.st_size ? "whole" : "short");
    child = fork();
    if (child == 0) {
        char *args[] = {"./probe-copy", "exec", "4", NULL};
        char *env[] = {"CROSSRT_PROBE=copy", NULL};
        execve("./probe-copy", args, env);
        say("execve of the copy failed: %s\n", err_name(errno));
        _exit(97);
    }
    waitpid(child, &status, 0);
    describe("the copy's child", status);
    int text = open("not-a-program", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (write(text, "just text, no #! line\n", 22) != 22)
        return 2;
    close(text);
    say("execve of a text file: %s\n",
        execve("./not-a-program", none, none) < 0 ? err_name(errno) : "ok");
    chmod("probe-copy", 0644);
    say("execve without execute permission: %s\n",
        execve("./probe-copy", none, none) < 0 ? err_name(errno) : "ok");

    /* kill's targets. */
    if (argc == 2 && strcmp(argv[1], "alone") == 0) /* only where no other process is */
        say("kill(-1, 0) with no other process: %s\n", kill(-1, 0) == 0 ? "ok" : err_name(errno));
    say("kill(own pid, 0): %s\n", kill(getpid(), 0) == 0 ? "ok" : err_name(errno));
    say("kill(0, 0): %s\n", kill(0, 0) == 0 ? "ok" : err_name(errno));
    say("process probe: done\n");
    return 0;
}
