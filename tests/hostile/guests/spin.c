/* Hostile guest: forks a child, and both spin forever (the arguments, a
 * marker the test finds them by, are ignored). Kill crossrt and both must
 * die with it. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    pid_t child = fork();
    printf("%s spinning\n", child == 0 ? "child" : "parent");
    fflush(stdout);
    for (volatile unsigned long n = 0;; ++n) {
    }
}
