/* stat_offsets: where this toolchain's libc puts each field of the struct
 * stat the Linux kernel fills (struct stat on amd64, struct stat64 on 386
 * and arm) and of struct statx, one "name offset" pair per line, for
 * StatLayoutTest to compare with the unicorn kernel's encoders. */
#define _GNU_SOURCE
#define _LARGEFILE64_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#if defined(__x86_64__)
#define STAT stat
#else
#define STAT stat64
#endif

#define STAT_FIELD(f) printf("stat.%s %zu\n", #f, offsetof(struct STAT, f))
#define STATX_FIELD(f) printf("statx.%s %zu\n", #f, offsetof(struct statx, f))

int main(void) {
    printf("stat.size %zu\n", sizeof(struct STAT));
    STAT_FIELD(st_dev);
    STAT_FIELD(st_ino);
    STAT_FIELD(st_mode);
    STAT_FIELD(st_nlink);
    STAT_FIELD(st_uid);
    STAT_FIELD(st_gid);
    STAT_FIELD(st_rdev);
    STAT_FIELD(st_size);
    STAT_FIELD(st_blksize);
    STAT_FIELD(st_blocks);
    STAT_FIELD(st_atim);
    STAT_FIELD(st_mtim);
    STAT_FIELD(st_ctim);
    printf("statx.size %zu\n", sizeof(struct statx));
    STATX_FIELD(stx_mask);
    STATX_FIELD(stx_blksize);
    STATX_FIELD(stx_nlink);
    STATX_FIELD(stx_uid);
    STATX_FIELD(stx_gid);
    STATX_FIELD(stx_mode);
    STATX_FIELD(stx_ino);
    STATX_FIELD(stx_size);
    STATX_FIELD(stx_blocks);
    STATX_FIELD(stx_atime);
    STATX_FIELD(stx_ctime);
    STATX_FIELD(stx_mtime);
    STATX_FIELD(stx_dev_major);
    STATX_FIELD(stx_dev_minor);
    return 0;
}
