/* Hostile guest: argv[1] processes, each touching argv[2] MiB of its own
 * heap, each under any per-process cap, together above the run's. The
 * parent waits for them all. Must end with the memory verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    int processes = argc > 1 ? atoi(argv[1]) : 4;
    long mib = argc > 2 ? atol(argv[2]) : 900;
    for (int i = 0; i < processes; ++i) {
        pid_t child = fork();
        if (child == 0) {
            /* volatile: the compiler must not drop stores nobody reads. */
            volatile char* block = malloc((size_t)mib << 20);
            if (block == NULL) {
                printf("process %d: malloc failed\n", i);
                return 3;
            }
            for (size_t at = 0; at < ((size_t)mib << 20); at += 4096)
                block[at] = 0x5a;
            printf("process %d touched %ld MiB\n", i, mib);
            fflush(stdout);
            pause();
            return 0;
        }
    }
    int status = 0;
    int failed = 0;
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("all children ended%s\n", failed ? " (some failed)" : "");
    return failed;
}
