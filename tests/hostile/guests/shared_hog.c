/* Hostile guest: touches MiB of MAP_SHARED memory (argv[1]), which no
 * per-process limit counts, in 16 MiB steps, printing how far it got.
 * Must end with the memory verdict when the cap is below it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char** argv) {
    long mib = argc > 1 ? atol(argv[1]) : 4096;
    for (long done = 0; done < mib; done += 16) {
        char* block = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (block == MAP_FAILED) {
            perror("mmap");
            return 3;
        }
        memset(block, 0x5a, 16 << 20);
        printf("touched %ld MiB\n", done + 16);
        fflush(stdout);
    }
    printf("all %ld MiB touched\n", mib);
    return 0;
}
