/* Hostile guest: one stdout line of argv[1] bytes, "A...Z", the input that
 * overflowed std::regex's stack. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
    long length = argc > 1 ? atol(argv[1]) : 1 << 20;
    putchar('A');
    for (long i = 2; i < length; ++i)
        putchar('m');
    puts("Z");
    return 0;
}
