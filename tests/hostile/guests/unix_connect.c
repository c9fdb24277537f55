/* Hostile guest: connects to the host's Unix socket at path argv[1] and to
 * the abstract one named argv[2], and sends a line on each that connects. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void try_connect(const char* label, const char* name, int abstract) {
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    size_t length = strlen(name);
    if (length + 2 > sizeof address.sun_path) {
        printf("%s name too long\n", label);
        return;
    }
    memcpy(address.sun_path + (abstract ? 1 : 0), name, length);
    socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length + (abstract ? 1 : 0));
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr*)&address, size) != 0) {
        printf("%s %s\n", label, strerror(errno));
    } else {
        ssize_t sent = write(fd, "hostile\n", 8);
        printf("%s connected, sent %zd bytes\n", label, sent);
    }
    close(fd);
}

int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: unix_connect PATH ABSTRACT-NAME\n");
        return 2;
    }
    try_connect("path", argv[1], 0);
    try_connect("abstract", argv[2], 1);
    return 0;
}
