/* Hostile guest: every process forks forever. The task cap bounds it; the
 * run ends at its timeout, with nothing left behind. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("bombing\n");
    fflush(stdout);
    for (;;)
        fork();
}
