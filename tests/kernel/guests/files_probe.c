/* The file system a guest sees, through libc: files, directories, links,
 * offsets, descriptors and the errors of each call, printed as facts that
 * do not depend on the machine (no inode numbers, no times, names sorted).
 * FilesTest runs it on the host kernel and under the unicorn kernel and
 * compares the two outputs line for line.
 *
 *   files_probe DATA WORK
 *     DATA: a directory holding hello.txt ("hello, files\n") and sub/,
 *           read only (the probe never writes there);
 *     WORK: an empty writable directory, which becomes the cwd. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *err_name(int e) {
    switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
    case EROFS: return "EROFS";
    case EACCES: return "EACCES";
    default: return "other";
    }
}

/* "name: ok" or "name: ENOENT", for a call that returns -1 on error. */
static long check(const char *name, long result) {
    printf("%s: %s", name, result < 0 ? err_name(errno) : "ok");
    if (result >= 0 && strstr(name, "=") != NULL)
        printf(" %ld", result);
    printf("\n");
    return result;
}

static const char *type_of(mode_t mode) {
    return S_ISDIR(mode) ? "dir" : S_ISREG(mode) ? "file" : S_ISLNK(mode) ? "link" : "other";
}

static void print_stat(const char *what, const char *path, int follow) {
    struct stat st;
    int r = follow ? stat(path, &st) : lstat(path, &st);
    if (r < 0) {
        printf("%s %s: %s\n", what, path, err_name(errno));
        return;
    }
    printf("%s %s: %s size %lld nlink %lu mode %o\n", what, path, type_of(st.st_mode),
           S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, (unsigned long)st.st_nlink,
           (unsigned)(st.st_mode & 0777));
}

static int compare(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's names, sorted (the host's order is its own). */
static void list(const char *path) {
    DIR *dir = opendir(path);
    if (dir == NULL) {
        printf("list %s: %s\n", path, err_name(errno));
        return;
    }
    char *names[512];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 512)
        names[count++] = strdup(entry->d_name);
    closedir(dir);
    qsort(names, count, sizeof names[0], compare);
    printf("list %s:", path);
    for (int i = 0; i < count; ++i) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0)
            perror("write");
        close(fd);
    }
}

static void print_file(const char *path) {
    char buffer[256] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("read %s: %s\n", path, err_name(errno));
        return;
    }
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    printf("read %s: %zd [%s]\n", path, n, n > 0 ? strtok(buffer, "\n") : "");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: files_probe DATA WORK\n");
        return 2;
    }
    const char *data = argv[1];
    if (chdir(argv[2]) != 0) {
        perror("chdir");
        return 2;
    }
    char path[PATH_MAX];

    /* The data directory, read. */
    snprintf(path, sizeof path, "%s/hello.txt", data);
    print_file(path);
    print_stat("stat", path, 1);
    snprintf(path, sizeof path, "%s/sub", data);
    print_stat("stat", path, 1);
    snprintf(path, sizeof path, "%s/missing", data);
    print_stat("stat", path, 1);
    list(data);

    /* Files: create, exclusive, write, offsets, pread/pwrite, append. */
    int fd = (int)check("open new", open("a.txt", O_RDWR | O_CREAT | O_EXCL, 0640));
    check("open exclusive again", open("a.txt", O_RDWR | O_CREAT | O_EXCL, 0640));
    check("write=", write(fd, "0123456789", 10));
    check("lseek cur=", lseek(fd, 0, SEEK_CUR));
    check("lseek set=", lseek(fd, 2, SEEK_SET));
    char buffer[64] = {0};
    check("read=", read(fd, buffer, 4));
    printf("read bytes: %s\n", buffer);
    check("pwrite=", pwrite(fd, "AB", 2, 8));
    memset(buffer, 0, sizeof buffer);
    check("pread=", pread(fd, buffer, 20, 6));
    printf("pread bytes: %s\n", buffer);
    check("lseek after pread=", lseek(fd, 0, SEEK_CUR));
    check("lseek end=", lseek(fd, 0, SEEK_END));
    check("lseek past end=", lseek(fd, 100, SEEK_SET));
    check("write past end=", write(fd, "Z", 1));
    struct stat st;
    check("fstat", fstat(fd, &st));
    printf("fstat size %lld %s\n", (long long)st.st_size, type_of(st.st_mode));
    check("ftruncate", ftruncate(fd, 5));
    check("fstat", fstat(fd, &st));
    printf("fstat size %lld\n", (long long)st.st_size);
    int copy = (int)check("dup", dup(fd));
    check("lseek via dup=", lseek(copy, 1, SEEK_SET));
    check("lseek shared=", lseek(fd, 0, SEEK_CUR));
    check("dup2=", dup2(fd, 20));
    check("fcntl getfl=", fcntl(20, F_GETFL) & O_ACCMODE);
    close(20);
    close(copy);
    close(fd);
    check("close closed", close(fd));
    fd = (int)check("open append", open("a.txt", O_WRONLY | O_APPEND));
    check("write append=", write(fd, "xyz", 3));
    close(fd);
    print_file("a.txt");
    check("open missing", open("missing.txt", O_RDONLY));
    check("open dir for write", open(".", O_WRONLY));
    check("open file as dir", open("a.txt", O_RDONLY | O_DIRECTORY));
    check("open below a file", open("a.txt/x", O_RDONLY));
    check("truncate", truncate("a.txt", 2));
    print_stat("stat", "a.txt", 1);

    /* Directories. */
    check("mkdir", mkdir("d", 0755));
    check("mkdir again", mkdir("d", 0755));
    check("mkdir nested", mkdir("d/e", 0700));
    write_text("d/e/f.txt", "in e\n");
    print_stat("stat", "d", 1);
    list("d");
    check("rmdir nonempty", rmdir("d"));
    check("rmdir file", rmdir("a.txt"));
    check("unlink dir", unlink("d/e"));
    check("chdir", chdir("d/e"));
    if (getcwd(path, sizeof path) != NULL)
        printf("cwd ends in /d/e: %s\n", strlen(path) > 4 && strcmp(path + strlen(path) - 4, "/d/e") == 0 ? "yes" : "no");
    print_file("f.txt");
    check("chdir up", chdir("../.."));
    check("chdir to a file", chdir("a.txt"));

    /* Links, renames. */
    check("link", link("a.txt", "hard.txt"));
    print_stat("stat", "a.txt", 1);
    check("symlink", symlink("a.txt", "soft"));
    print_stat("lstat", "soft", 0);
    print_stat("stat", "soft", 1);
    memset(buffer, 0, sizeof buffer);
    check("readlink=", readlink("soft", buffer, sizeof buffer));
    printf("readlink: %s\n", buffer);
    check("readlink of a file", readlink("a.txt", buffer, sizeof buffer));
    check("symlink loop", symlink("loop", "loop"));
    check("open loop", open("loop", O_RDONLY));
    check("open nofollow", open("soft", O_RDONLY | O_NOFOLLOW));
    check("symlink dangling", symlink("nowhere", "dangling"));
    check("open dangling", open("dangling", O_RDONLY));
    fd = (int)check("create through dangling", open("dangling", O_WRONLY | O_CREAT, 0600));
    close(fd);
    print_stat("stat", "nowhere", 1);
    check("rename", rename("hard.txt", "d/moved.txt"));
    print_stat("stat", "d/moved.txt", 1);
    check("rename over", rename("d/moved.txt", "nowhere"));
    check("rename dir into itself", rename("d", "d/e/inner"));
    check("rename missing", rename("missing", "x"));
    list(".");

    /* The *at calls, relative to a directory fd. */
    int dirfd = (int)check("open dir", open("d", O_RDONLY | O_DIRECTORY));
    check("mkdirat", mkdirat(dirfd, "g", 0755));
    fd = (int)check("openat", openat(dirfd, "g/h.txt", O_WRONLY | O_CREAT, 0644));
    check("write=", write(fd, "hhh", 3));
    close(fd);
    check("fstatat", fstatat(dirfd, "g/h.txt", &st, 0));
    printf("fstatat size %lld\n", (long long)st.st_size);
    check("renameat", renameat(dirfd, "g/h.txt", AT_FDCWD, "h.txt"));
    check("unlinkat dir", unlinkat(dirfd, "g", AT_REMOVEDIR));
    check("unlinkat file as dir", unlinkat(AT_FDCWD, "h.txt", AT_REMOVEDIR));
    check("unlinkat", unlinkat(AT_FDCWD, "h.txt", 0));
    check("openat on a file fd", openat(open("a.txt", O_RDONLY), "x", O_RDONLY));
    close(dirfd);

    /* Many entries, a big file. */
    check("mkdir many", mkdir("many", 0755));
    for (int i = 0; i < 300; ++i) {
        snprintf(path, sizeof path, "many/entry-%03d", i);
        close(open(path, O_WRONLY | O_CREAT, 0644));
    }
    DIR *dir = opendir("many");
    int entries = 0;
    while (dir != NULL && readdir(dir) != NULL)
        ++entries;
    if (dir != NULL)
        closedir(dir);
    printf("many entries: %d\n", entries);
    /* Removing while listing, as rm -r does. */
    dir = opendir("many");
    int removed = 0;
    struct dirent *entry;
    while (dir != NULL && (entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "many/%s", entry->d_name);
        removed += unlink(path) == 0;
    }
    if (dir != NULL)
        closedir(dir);
    printf("removed while listing: %d\n", removed);
    check("rmdir many", rmdir("many"));
    fd = (int)check("open big", open("big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644));
    static char block[65536];
    unsigned int sum = 0; /* 32 bits on every arch */
    for (int i = 0; i < 32; ++i) {
        memset(block, 'a' + i % 26, sizeof block);
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
            printf("big write %d failed\n", i);
    }
    lseek(fd, 0, SEEK_SET);
    ssize_t n;
    long long total = 0;
    while ((n = read(fd, block, sizeof block)) > 0) {
        total += n;
        for (ssize_t i = 0; i < n; ++i)
            sum = sum * 31 + (unsigned char)block[i];
    }
    close(fd);
    printf("big file: %lld bytes, checksum %x\n", total, sum);
    check("unlink big", unlink("big.bin"));

    /* Descriptors of other kinds. */
    check("lseek stdout", lseek(1, 0, SEEK_CUR));
    check("fstat bad fd", fstat(999, &st));
    int pipes[2];
    check("pipe", pipe(pipes));
    check("lseek pipe", lseek(pipes[0], 0, SEEK_SET));
    check("pread pipe", pread(pipes[0], buffer, 1, 0));
    check("fstat pipe", fstat(pipes[0], &st));
    printf("pipe is a fifo: %s\n", S_ISFIFO(st.st_mode) ? "yes" : "no");
    check("umask=", umask(077));
    fd = (int)check("open under umask", open("private.txt", O_WRONLY | O_CREAT, 0666));
    close(fd);
    print_stat("stat", "private.txt", 1);
    printf("files probe: done\n");
    return 0;
}
