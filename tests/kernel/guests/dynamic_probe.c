// A dynamically linked guest (built without -static): the kernel loads it
// and its interpreter (ld.so), which maps libc and libm from the run's tree.
// It then uses threads, libm, and dlopen, which maps a library at run time.
// Arguments: none (the checks), "sh" (execs /bin/sh -c 'echo ...'), or
// "exec PATH" (execs PATH and reports the error).
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static void* twice(void* argument) {
    int* number = argument;
    *number *= 2;
    return NULL;
}

int main(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "sh") == 0) {
        execl("/bin/sh", "sh", "-c", "echo hi from /bin/sh", (char*)0);
        printf("execl /bin/sh: %s\n", strerror(errno));
        return 1;
    }
    if (argc > 2 && strcmp(argv[1], "exec") == 0) {
        execl(argv[2], argv[2], (char*)0);
        printf("execl %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    printf("dynamic probe: hello\n");
    volatile double two = 2.0;
    printf("sqrt(2) = %.6f\n", sqrt(two));
    pthread_t threads[4];
    int numbers[4];
    for (int i = 0; i < 4; ++i) {
        numbers[i] = i + 1;
        if (pthread_create(&threads[i], NULL, twice, &numbers[i]) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < 4; ++i)
        pthread_join(threads[i], NULL);
    printf("threads: %d %d %d %d\n", numbers[0], numbers[1], numbers[2], numbers[3]);
    void* library = dlopen("libm.so.6", RTLD_NOW);
    if (library == NULL) {
        printf("dlopen libm.so.6: %s\n", dlerror());
        return 1;
    }
    double (*cosine)(double) = (double (*)(double))dlsym(library, "cos");
    if (cosine == NULL) {
        printf("dlsym cos: %s\n", dlerror());
        return 1;
    }
    printf("cos(0) through dlopen = %.1f\n", cosine(0.0));
    dlclose(library);
    // What a real kernel gives a dynamic program: an interpreter base, the
    // program's entry and headers, a page size and 16 random bytes.
    printf("auxv: AT_BASE %s, AT_ENTRY %s, AT_PHDR %s, AT_PAGESZ %lu, AT_RANDOM %s\n",
           getauxval(AT_BASE) != 0 ? "set" : "zero", getauxval(AT_ENTRY) != 0 ? "set" : "zero",
           getauxval(AT_PHDR) != 0 ? "set" : "zero", getauxval(AT_PAGESZ),
           getauxval(AT_RANDOM) != 0 ? "set" : "zero");
    printf("dynamic probe: done\n");
    return 0;
}
