/* cpuid_probe: for every x86 feature CPUID advertises, run an instruction of
 * that feature on known inputs and compare with the architected result
 * computed here in plain C. A feature the CPU advertises but does not
 * execute (or executes wrongly) prints "BAD" and the probe exits 1; one it
 * cannot execute at all dies by SIGILL. Built static for amd64 and 386 and
 * run under the unicorn kernel and natively (tests/kernel/cpuid_test.cc). */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int bad;

static void report(const char* name, int advertised, int ok, unsigned long long got,
                   unsigned long long want) {
    if (!advertised) {
        printf("feature %s: not advertised\n", name);
    } else if (ok) {
        printf("feature %s: ok\n", name);
    } else {
        printf("feature %s: BAD got %#llx want %#llx\n", name, got, want);
        bad = 1;
    }
}
#define CHECK(name, advertised, expr_got, want)                                                  \
    do {                                                                                         \
        if (advertised) {                                                                        \
            unsigned long long got_ = (expr_got);                                               \
            report(name, 1, got_ == (unsigned long long)(want), got_, (unsigned long long)(want)); \
        } else {                                                                                 \
            report(name, 0, 0, 0, 0);                                                            \
        }                                                                                        \
    } while (0)

static uint32_t crc32c_byte(uint32_t crc, uint8_t byte) {
    crc ^= byte;
    for (int i = 0; i < 8; ++i)
        crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
    return crc;
}

typedef struct { uint32_t v[4]; } __attribute__((aligned(16))) vec4;

static unsigned long long sse2_paddd(void) {
    vec4 a = {{1, 2, 3, 4}}, b = {{10, 20, 30, 40}};
    __asm__("movdqa %1, %%xmm0\n\tpaddd %2, %%xmm0\n\tmovdqa %%xmm0, %0"
            : "=m"(a) : "m"(a), "m"(b) : "xmm0");
    return (unsigned long long)a.v[0] + a.v[1] + a.v[2] + a.v[3]; /* 110 */
}

static unsigned long long sse3_haddps(void) {
    float a[4] __attribute__((aligned(16))) = {1, 2, 3, 4};
    float b[4] __attribute__((aligned(16))) = {5, 6, 7, 8};
    __asm__("movaps %1, %%xmm0\n\thaddps %2, %%xmm0\n\tmovaps %%xmm0, %0"
            : "=m"(a) : "m"(a), "m"(b) : "xmm0");
    return (unsigned long long)(a[0] * 1000 + a[1] * 100 + a[2] * 10 + a[3]); /* 3,7,11,15 */
}

static unsigned long long ssse3_pshufb(void) {
    uint8_t data[16] __attribute__((aligned(16)));
    uint8_t mask[16] __attribute__((aligned(16)));
    for (int i = 0; i < 16; ++i) {
        data[i] = (uint8_t)i;
        mask[i] = (uint8_t)(15 - i);
    }
    __asm__("movdqa %1, %%xmm0\n\tpshufb %2, %%xmm0\n\tmovdqa %%xmm0, %0"
            : "=m"(data) : "m"(data), "m"(mask) : "xmm0");
    return data[0] * 256u + data[15]; /* 15 * 256 + 0 */
}

static unsigned long long sse41_pmulld(void) {
    vec4 a = {{2, 3, 4, 5}}, b = {{3, 3, 3, 3}};
    __asm__("movdqa %1, %%xmm0\n\tpmulld %2, %%xmm0\n\tmovdqa %%xmm0, %0"
            : "=m"(a) : "m"(a), "m"(b) : "xmm0");
    return (unsigned long long)a.v[0] << 48 | (unsigned long long)a.v[1] << 32 | a.v[2] << 16 | a.v[3];
}

static unsigned long long sse42_crc32(void) {
    uint32_t crc = 0xffffffffu;
    const char* text = "123456789";
    for (const char* p = text; *p; ++p) {
        uint8_t byte = (uint8_t)*p;
        __asm__("crc32b %1, %0" : "+r"(crc) : "rm"(byte));
    }
    return crc;
}

static unsigned long long sse42_crc32_want(void) {
    uint32_t crc = 0xffffffffu;
    for (const char* p = "123456789"; *p; ++p)
        crc = crc32c_byte(crc, (uint8_t)*p);
    return crc;
}

static unsigned long long sse42_pcmpestri(void) {
    char haystack[16] __attribute__((aligned(16))) = "xxxxxbxxxxxxxxx";
    char needle[16] __attribute__((aligned(16))) = "b";
    int index;
    /* equal any, unsigned bytes: the first byte of haystack that is in needle */
    __asm__("movdqu %1, %%xmm0\n\tmov $1, %%eax\n\tmov $15, %%edx\n\t"
            "pcmpestri $0x00, %2, %%xmm0\n\tmov %%ecx, %0"
            : "=r"(index) : "m"(needle), "m"(haystack) : "xmm0", "eax", "ecx", "edx", "cc");
    return (unsigned)index; /* 5 */
}

static unsigned long long aes_aesenc(void) {
    vec4 state = {{0, 0, 0, 0}}, key = {{0, 0, 0, 0}};
    __asm__("movdqa %1, %%xmm0\n\taesenc %2, %%xmm0\n\tmovdqa %%xmm0, %0"
            : "=m"(state) : "m"(state), "m"(key) : "xmm0");
    return state.v[0] ^ state.v[3]; /* 0x63636363 ^ 0x63636363 = 0, with v[0] checked below */
}

static unsigned long long aes_aesenc_word(void) {
    vec4 state = {{0, 0, 0, 0}}, key = {{0, 0, 0, 0}};
    __asm__("movdqa %1, %%xmm0\n\taesenc %2, %%xmm0\n\tmovdqa %%xmm0, %0"
            : "=m"(state) : "m"(state), "m"(key) : "xmm0");
    return state.v[1]; /* SubBytes(0) = 0x63; MixColumns keeps a uniform column */
}

static unsigned long long pclmul(void) {
    uint64_t a[2] __attribute__((aligned(16))) = {3, 0};
    uint64_t b[2] __attribute__((aligned(16))) = {3, 0};
    __asm__("movdqa %1, %%xmm0\n\tpclmulqdq $0, %2, %%xmm0\n\tmovdqa %%xmm0, %0"
            : "=m"(a) : "m"(a), "m"(b) : "xmm0");
    return a[0]; /* (x+1)^2 = x^2+1 */
}

static unsigned long long popcnt(void) {
    unsigned value = 0xf0f1u, count;
    __asm__("popcnt %1, %0" : "=r"(count) : "r"(value) : "cc");
    return count; /* 9 */
}

static unsigned long long movbe(void) {
    uint32_t memory = 0x11223344u, value;
    __asm__("movbe %1, %0" : "=r"(value) : "m"(memory));
    return value; /* 0x44332211 */
}

static unsigned long long lzcnt(void) {
    unsigned value = 1, count;
    __asm__("lzcnt %1, %0" : "=r"(count) : "r"(value) : "cc");
    return count; /* 31 */
}

static unsigned long long bmi1(void) {
    unsigned a = 0x0f0fu, b = 0xffffu, andn, tz, blsr, x = 8u, y = 12u;
    __asm__("andn %2, %1, %0" : "=r"(andn) : "r"(a), "r"(b) : "cc");
    __asm__("tzcnt %1, %0" : "=r"(tz) : "r"(x) : "cc");
    __asm__("blsr %1, %0" : "=r"(blsr) : "r"(y) : "cc");
    return (unsigned long long)andn << 16 | tz << 8 | blsr; /* 0xf0f0, 3, 8 */
}

static unsigned long long bmi2(void) {
    unsigned src = 0xffu, mask = 0xf0f0u, dep, ext, zhi, shl, four = 4, value = 0xf0f0u;
    __asm__("pdep %2, %1, %0" : "=r"(dep) : "r"(src), "r"(mask));
    __asm__("pext %2, %1, %0" : "=r"(ext) : "r"(value), "r"(0xff00u));
    __asm__("bzhi %2, %1, %0" : "=r"(zhi) : "r"(0xffffu), "r"(four) : "cc");
    __asm__("shlx %2, %1, %0" : "=r"(shl) : "r"(1u), "r"(four));
    return (unsigned long long)dep << 32 | ext << 16 | zhi << 8 | shl; /* f0f0, f0, f, 10 */
}

static unsigned long long adx(void) {
    unsigned a = 1, b = 1;
    /* stc; adcx: a + b + CF */
    __asm__("stc\n\tadcx %1, %0" : "+r"(a) : "r"(b) : "cc");
    return a; /* 3 */
}

static unsigned long long cmov(void) {
    unsigned a = 1, b = 2;
    __asm__("cmp %1, %1\n\tcmove %1, %0" : "+r"(a) : "r"(b) : "cc");
    return a; /* 2 */
}

static unsigned long long fxsr(void) {
    static uint8_t area[512] __attribute__((aligned(16)));
    memset(area, 0xff, sizeof area);
    __asm__ volatile("fninit\n\tfxsave %0" : "=m"(area));
    return area[0] | area[1] << 8; /* FCW after fninit: 0x037f */
}

static unsigned long long x87_fadd(void) {
    int sum = 0;
    __asm__("fld1\n\tfld1\n\tfaddp\n\tfistpl %0" : "=m"(sum));
    return (unsigned long long)sum; /* 1 + 1 */
}

/* fxrstor brings back the XMM registers fxsave stored (glibc's lazy
   binding saves a call's SSE arguments so). */
static unsigned long long fxsr_xmm(void) {
    static uint8_t area[512] __attribute__((aligned(16)));
    uint32_t in[4] = {15, 0, 0, 0}, out[4] = {0, 0, 0, 0};
    __asm__ volatile("movdqu %2, %%xmm0\n\tfxsave %1\n\tpxor %%xmm0, %%xmm0\n\t"
                     "fxrstor %1\n\tmovdqu %%xmm0, %0"
                     : "=m"(out), "+m"(area) : "m"(in) : "xmm0");
    return out[0]; /* 15 */
}

static unsigned long long clflush(void) {
    static volatile unsigned word = 7;
    __asm__ volatile("clflush %0" : "+m"(word));
    return word; /* 7 */
}

static unsigned long long amd_3dnow(void) {
    float a[2] = {1.5f, 2.0f}, b[2] = {2.5f, 3.0f};
    __asm__("movq %1, %%mm0\n\tpfadd %2, %%mm0\n\tmovq %%mm0, %0\n\tfemms"
            : "=m"(a) : "m"(a), "m"(b) : "mm0");
    return (unsigned long long)(a[0] + a[1]); /* 4 + 5 */
}

static unsigned long long mmx_paddw(void) {
    uint16_t a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40};
    __asm__("movq %1, %%mm0\n\tpaddw %2, %%mm0\n\tmovq %%mm0, %0\n\temms"
            : "=m"(a) : "m"(a), "m"(b) : "mm0");
    return (unsigned long long)a[0] + a[1] + a[2] + a[3]; /* 110 */
}

static unsigned long long rdtscp(void) {
    unsigned low, high, aux;
    __asm__ volatile("rdtscp" : "=a"(low), "=d"(high), "=c"(aux));
    (void)low;
    (void)high;
    return 1; /* it ran */
}

__attribute__((target("avx"))) static unsigned long long avx_vaddps(void) {
    float a[8] __attribute__((aligned(32))) = {1, 1, 1, 1, 1, 1, 1, 1};
    float b[8] __attribute__((aligned(32))) = {2, 2, 2, 2, 2, 2, 2, 2};
    __asm__("vmovaps %1, %%ymm0\n\tvaddps %2, %%ymm0, %%ymm0\n\tvmovaps %%ymm0, %0\n\tvzeroupper"
            : "=m"(a) : "m"(a), "m"(b) : "xmm0");
    float sum = 0;
    for (int i = 0; i < 8; ++i)
        sum += a[i];
    return (unsigned long long)sum;
}

__attribute__((target("avx,fma"))) static unsigned long long fma_vfmadd(void) {
    float a[8] __attribute__((aligned(32))) = {1, 1, 1, 1, 1, 1, 1, 1};
    float b[8] __attribute__((aligned(32))) = {2, 2, 2, 2, 2, 2, 2, 2};
    float c[8] __attribute__((aligned(32))) = {3, 3, 3, 3, 3, 3, 3, 3};
    /* a = b * c + a */
    __asm__("vmovaps %1, %%ymm0\n\tvmovaps %2, %%ymm1\n\tvfmadd231ps %3, %%ymm1, %%ymm0\n\t"
            "vmovaps %%ymm0, %0\n\tvzeroupper"
            : "=m"(a) : "m"(a), "m"(b), "m"(c) : "xmm0", "xmm1");
    float sum = 0;
    for (int i = 0; i < 8; ++i)
        sum += a[i];
    return (unsigned long long)sum;
}

__attribute__((target("avx2"))) static unsigned long long avx2_vpaddd(void) {
    uint32_t a[8] __attribute__((aligned(32))) = {2, 2, 2, 2, 2, 2, 2, 2};
    uint32_t b[8] __attribute__((aligned(32))) = {3, 3, 3, 3, 3, 3, 3, 3};
    __asm__("vmovdqa %1, %%ymm0\n\tvpaddd %2, %%ymm0, %%ymm0\n\tvmovdqa %%ymm0, %0\n\tvzeroupper"
            : "=m"(a) : "m"(a), "m"(b) : "xmm0");
    unsigned long long sum = 0;
    for (int i = 0; i < 8; ++i)
        sum += a[i];
    return sum;
}

#ifdef __x86_64__
static unsigned long long cx16(void) {
    static __int128 slot __attribute__((aligned(16)));
    slot = 5;
    uint64_t expected_low = 5, expected_high = 0, low = 9, high = 1;
    unsigned char swapped;
    __asm__ volatile("lock cmpxchg16b %1\n\tsete %0"
                     : "=q"(swapped), "+m"(slot), "+a"(expected_low), "+d"(expected_high)
                     : "b"(low), "c"(high)
                     : "cc");
    return swapped && slot == (((__int128)1 << 64) | 9);
}

static unsigned long long lahf64(void) {
    unsigned long long flags;
    __asm__("xor %%eax, %%eax\n\tstc\n\tlahf\n\tmovzbl %%ah, %%eax\n\tmov %%rax, %0"
            : "=r"(flags) : : "rax", "cc");
    return flags & 1; /* CF */
}
#endif

int main(void) {
    unsigned a, b, c, d, max;
    __cpuid(0, max, b, c, d);
    __cpuid(1, a, b, c, d);
    unsigned ecx1 = c, edx1 = d, ebx7 = 0, ecx80 = 0, edx80 = 0;
    if (max >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        ebx7 = b;
    }
    __cpuid(0x80000000, a, b, c, d);
    if (a >= 0x80000001) {
        __cpuid(0x80000001, a, b, c, d);
        ecx80 = c;
        edx80 = d;
    }
    CHECK("fpu", edx1 & 1u, x87_fadd(), 2);
    CHECK("cmov", edx1 & bit_CMOV, cmov(), 2);
    CHECK("clflush", edx1 & (1u << 19), clflush(), 7);
    CHECK("fxsr", edx1 & bit_FXSAVE, fxsr(), 0x037f);
    CHECK("fxsr xmm", edx1 & bit_FXSAVE, fxsr_xmm(), 15);
    CHECK("sse2", edx1 & bit_SSE2, sse2_paddd(), 110);
    CHECK("sse3", ecx1 & bit_SSE3, sse3_haddps(), 3000 + 700 + 110 + 15);
    CHECK("pclmulqdq", ecx1 & bit_PCLMUL, pclmul(), 5);
    CHECK("ssse3", ecx1 & bit_SSSE3, ssse3_pshufb(), 15 * 256);
    CHECK("sse4.1", ecx1 & bit_SSE4_1, sse41_pmulld(), 6ull << 48 | 9ull << 32 | 12u << 16 | 15);
    CHECK("sse4.2 crc32", ecx1 & bit_SSE4_2, sse42_crc32(), sse42_crc32_want());
    CHECK("sse4.2 pcmpestri", ecx1 & bit_SSE4_2, sse42_pcmpestri(), 5);
    CHECK("movbe", ecx1 & bit_MOVBE, movbe(), 0x44332211u);
    CHECK("popcnt", ecx1 & bit_POPCNT, popcnt(), 9);
    CHECK("aes", ecx1 & bit_AES, aes_aesenc() == 0 ? aes_aesenc_word() : 0, 0x63636363u);
    CHECK("bmi1", ebx7 & bit_BMI, bmi1(), 0xf0f0ull << 16 | 3u << 8 | 8);
    CHECK("bmi2", ebx7 & bit_BMI2, bmi2(), 0xf0f0ull << 32 | 0xf0u << 16 | 0xfu << 8 | 0x10);
    CHECK("adx", ebx7 & bit_ADX, adx(), 3);
    CHECK("lzcnt", ecx80 & bit_ABM, lzcnt(), 31);
    CHECK("rdtscp", edx80 & (1u << 27), rdtscp(), 1);
    CHECK("mmx", edx1 & (1u << 23), mmx_paddw(), 110);
    CHECK("3dnow", edx80 & (1u << 31), amd_3dnow(), 9);
#ifdef __x86_64__
    CHECK("cmpxchg16b", ecx1 & bit_CMPXCHG16B, cx16(), 1);
    CHECK("lahf64", ecx80 & bit_LAHF_LM, lahf64(), 1);
#endif
    /* AVX needs the OS to have enabled the YMM state too (OSXSAVE, XCR0). */
    int ymm = 0;
    if ((ecx1 & bit_OSXSAVE) != 0) {
        unsigned xcr0_low, xcr0_high;
        __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
        ymm = (xcr0_low & 6) == 6;
    }
    CHECK("avx", (ecx1 & bit_AVX) && ymm, avx_vaddps(), 8 * 3);
    CHECK("fma", (ecx1 & bit_FMA) && ymm, fma_vfmadd(), 8 * 7);
    CHECK("avx2", (ebx7 & bit_AVX2) && ymm, avx2_vpaddd(), 8 * 5);
    puts(bad ? "cpuid probe: BAD" : "cpuid probe: all advertised features execute");
    return bad;
}
