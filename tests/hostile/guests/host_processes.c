/* Hostile guest: looks for the host's process argv[1] in /proc, counts the
 * processes it sees, signals it, then kill(-1, SIGKILL)s all it may. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: host_processes HOST-PID\n");
        return 2;
    }
    int count = 0;
    DIR* proc = opendir("/proc");
    for (struct dirent* entry; proc != NULL && (entry = readdir(proc)) != NULL;)
        count += isdigit((unsigned char)entry->d_name[0]) != 0;
    if (proc != NULL)
        closedir(proc);
    char path[64];
    snprintf(path, sizeof path, "/proc/%s", argv[1]);
    printf("processes %d\n", count);
    printf("host process %s\n", access(path, F_OK) == 0 ? "visible" : "hidden");
    int signaled = kill((pid_t)atoi(argv[1]), SIGKILL);
    printf("kill host %s\n", signaled == 0 ? "ok" : strerror(errno));
    fflush(stdout);
    /* Linux spares the caller; everything else of ours (and more, if it can) goes. */
    int all = kill(-1, SIGKILL);
    printf("kill -1 %s\n", all == 0 ? "ok" : strerror(errno));
    return 0;
}
