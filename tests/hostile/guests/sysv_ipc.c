/* Hostile guest: tries to remove the host's System V shared memory
 * segment argv[1] (an id) and to leave a segment of key argv[2] behind.
 * Prints what each call did; the test checks the host afterwards. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: sysv_ipc HOST-SHMID NEW-KEY\n");
        return 2;
    }
    int host_id = atoi(argv[1]);
    key_t key = (key_t)strtol(argv[2], NULL, 0);
    int removed = shmctl(host_id, IPC_RMID, NULL);
    printf("remove %s\n", removed == 0 ? "ok" : strerror(errno));
    int made = shmget(key, 4096, IPC_CREAT | 0666);
    printf("create %s\n", made >= 0 ? "ok" : strerror(errno));
    return 0;
}
