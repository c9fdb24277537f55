// Not hostile: a guest that executes itself once, as Go's tests re-execute
// their test binary, and prints what the child was given. Under qemu-user
// the child is a foreign-arch binary to the host's kernel, which runs it
// under qemu again only through binfmt_misc (else: Exec format error).
// argv: [MARKER]; the child gets [renamed-by-parent, child, MARKER].
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        printf("child: argv[0]=%s marker=%s uid=%d\n", argv[0], argv[2], (int)getuid());
        return 3;
    }
    // The binary's path, as Go's os.Executable finds it.
    char self[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length < 0) {
        printf("readlink /proc/self/exe: %s\n", strerror(errno));
        return 1;
    }
    self[length] = '\0';
    printf("parent: executing %s\n", self);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char* args[] = {"renamed-by-parent", "child", argc > 1 ? argv[1] : "", NULL};
        execv(self, args);
        printf("execve %s: %s\n", self, strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) {
        printf("fork or wait: %s\n", strerror(errno));
        return 1;
    }
    printf("parent: child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 0 : 1;
}
