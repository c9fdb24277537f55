/* Hostile guest: renames the host (sethostname and setdomainname) and
 * prints what it got. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char name[256] = "";
    gethostname(name, sizeof name - 1);
    printf("hostname %s\n", name);
    int set = sethostname("hostile-guest", 13);
    printf("sethostname %s\n", set == 0 ? "ok" : strerror(errno));
    int domain = setdomainname("hostile-guest", 13);
    printf("setdomainname %s\n", domain == 0 ? "ok" : strerror(errno));
    return 0;
}
