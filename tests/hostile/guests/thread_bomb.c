/* Hostile guest: creates threads until one is refused, then says how many
 * it got and why, and exits 0. The task cap must refuse it early. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void* park(void* unused) {
    (void)unused;
    for (;;)
        pause();
    return NULL;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (int threads = 0; threads < 100000; ++threads) {
        pthread_t thread;
        int error = pthread_create(&thread, &attr, park, NULL);
        if (error != 0) {
            printf("threads %d refused %s\n", threads, strerror(error));
            return 0;
        }
    }
    printf("threads 100000 refused none\n");
    return 0;
}
