/* Freestanding guest programs for bench/unicorn_vs_qemu: no libc, a tiny
 * _start and raw system calls (write, exit_group), so that the same static
 * binary runs natively, under qemu-user and under bare Unicorn with a
 * three-syscall "kernel".
 *
 * One source, one binary per workload (-DWORKLOAD=...):
 *   cpu    arithmetic in registers, no memory traffic in the loop;
 *   store  writes a large array again and again (one store per element);
 *   load   reads the same array again and again (control for "store").
 *
 * Usage: GUEST [N [WORDS]]
 *   N      iterations (cpu) or passes over the array (store, load);
 *   WORDS  array words touched per pass (store, load; at most ARRAY_WORDS).
 * Prints "<workload> <hex checksum>\n" so the work cannot be optimised away
 * and the three runs can be compared.
 */
typedef unsigned long word; /* 64-bit on amd64, 32-bit on arm */
typedef unsigned int u32;

#define WORKLOAD_cpu 1
#define WORKLOAD_store 2
#define WORKLOAD_load 3
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define THIS_WORKLOAD XCAT(WORKLOAD_, WORKLOAD)
#define STR(x) #x
#define XSTR(x) STR(x)

#define ARRAY_WORDS (1u << 20) /* 4 MiB of u32 */

#if defined(__x86_64__)
#define NR_write 1
#define NR_exit_group 231
static long raw_syscall3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call guest_main\n"
        "  hlt\n");
#elif defined(__i386__)
#define NR_write 4
#define NR_exit_group 252
static long raw_syscall3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %esp, %eax\n"
        "  and $-16, %esp\n"
        "  sub $12, %esp\n"
        "  push %eax\n"
        "  call guest_main\n"
        "  hlt\n");
#elif defined(__arm__)
#define NR_write 4
#define NR_exit_group 248
static long raw_syscall3(long n, long a, long b, long c) {
    register long r7 __asm__("r7") = n;
    register long r0 __asm__("r0") = a;
    register long r1 __asm__("r1") = b;
    register long r2 __asm__("r2") = c;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
    return r0;
}
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mov r0, sp\n"
        "  bic sp, sp, #7\n"
        "  bl guest_main\n"
        "1: b 1b\n");
#else
#error "unsupported architecture"
#endif

#if THIS_WORKLOAD != WORKLOAD_cpu
static u32 array[ARRAY_WORDS];
#endif

static word parse(const char* s, word dflt) {
    if (!s || !*s)
        return dflt;
    word v = 0;
    for (; *s >= '0' && *s <= '9'; ++s)
        v = v * 10 + (word)(*s - '0');
    return v;
}

static void put_line(const char* name, word sum) {
    char buf[64];
    int n = 0;
    while (*name)
        buf[n++] = *name++;
    buf[n++] = ' ';
    for (int shift = (int)sizeof(word) * 8 - 4; shift >= 0; shift -= 4)
        buf[n++] = "0123456789abcdef"[(sum >> shift) & 15];
    buf[n++] = '\n';
    raw_syscall3(NR_write, 1, (long)buf, n);
}

/* The compiler must assume the array is read between passes, so no pass is a
 * dead store and no pass can be merged with the next one. */
#define MEMORY_BARRIER() __asm__ volatile("" ::: "memory")

__attribute__((used, noreturn)) void guest_main(long* sp) {
    long argc = sp[0];
    char** argv = (char**)(sp + 1);
    word sum = 0;
#if THIS_WORKLOAD == WORKLOAD_cpu
    word n = parse(argc > 1 ? argv[1] : 0, 100000000);
    word x = 0x9E3779B9u, y = 1;
    for (word i = 0; i < n; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        y = y * 5 + (x ^ i);
    }
    sum = x ^ y;
#else
    word passes = parse(argc > 1 ? argv[1] : 0, 32);
    word words = parse(argc > 2 ? argv[2] : 0, ARRAY_WORDS);
    if (words > ARRAY_WORDS)
        words = ARRAY_WORDS;
#if THIS_WORKLOAD == WORKLOAD_store
    for (word p = 0; p < passes; ++p) {
        for (word i = 0; i < words; ++i)
            array[i] = (u32)(i * 2654435761u) ^ (u32)p;
        MEMORY_BARRIER();
    }
    for (word i = 0; i < words; ++i)
        sum = sum * 31 + array[i];
#else /* load */
    for (word i = 0; i < words; ++i)
        array[i] = (u32)(i * 2654435761u);
    for (word p = 0; p < passes; ++p) {
        MEMORY_BARRIER();
        for (word i = 0; i < words; ++i)
            sum += array[i] ^ (u32)p;
    }
#endif
#endif
    put_line(XSTR(WORKLOAD), sum);
    raw_syscall3(NR_exit_group, 0, 0, 0);
    for (;;) {
    }
}
