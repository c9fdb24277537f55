// unicorn_vs_qemu: the same static guest binaries natively, under qemu-user
// and under bare Unicorn, timed in one run; prints figures and ratios. Never
// asserts on time: timings are reported, only wrong guest output fails.
//
//   unicorn_vs_qemu [--guests DIR] [--arch amd64,arm] [--repeat N]
//                   [--cpu-n N] [--store-n PASSES] [--load-n PASSES]
//                   [--explore] [--explore-n PASSES] [--variants LIST]
//                   [--no-variants] [--shared-stores N]
//   unicorn_vs_qemu --one ARCH GUEST VARIANT [ARGS...]   (internal)
//
// Every measurement is one fresh process (fork+exec), timed from outside the
// same way for all three: CPU time (user+sys of the child, from wait4) and
// wall time. The Unicorn runs re-execute this program with --one, which loads
// the ELF's PT_LOAD segments itself, builds a stack (argc, argv, envp, auxv),
// and answers write and exit_group from a hook. VARIANT is a comma-separated
// list of key=value settings (see kVariantHelp) used by --explore to measure
// work-arounds for the Unicorn 2.0.1 store slowdown.

#include "measure.h"
#include "programs.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unicorn/unicorn.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using namespace bench;

constexpr const char* kVariantHelp = R"(VARIANT keys (comma-separated, default first):
  map=segments|one|pages   regions: one per run of pages with equal ELF perms,
                           one RWX region over all PT_LOADs, or one per page
  alloc=uc|ptr             uc_mem_map, or uc_mem_map_ptr on host mmap memory
  perms=elf|rwx            ELF segment permissions, or everything RWX
  hook=none|memw-far|memw-data|memr-data|code-far|code-all|block
                           one extra hook: memory write hook on an unused page
                           or on the data segment, read hook on data, code hook
                           on an unused range or everywhere, block hook
  count=0|big|slice:N      uc_emu_start count: none, 2^62, or slices of N
  pagesize=N               uc_ctl_set_page_size before mapping (arm only)
  flush=none|tlb|tb        uc_ctl_flush_tlb / UC_CTL_TB_FLUSH before the run
)";

std::string unicorn_version() {
    unsigned major = 0, minor = 0;
    uc_version(&major, &minor);
    return std::to_string(major) + "." + std::to_string(minor) + " (headers " +
           std::to_string(UC_VERSION_MAJOR) + "." + std::to_string(UC_VERSION_MINOR) + "." +
           std::to_string(UC_VERSION_PATCH) + ")";
}

// ---------------------------------------------------------------- Unicorn side

struct Segment {
    uint64_t vaddr, filesz, memsz, offset;
    uint32_t flags;
};

struct Elf {
    bool is64 = false;
    uint16_t machine = 0;
    uint64_t entry = 0;
    std::vector<Segment> loads;
    std::vector<uint8_t> bytes;
};

Elf read_elf(const std::string& path) {
    Elf elf;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        die("cannot open " + path + ": " + std::strerror(errno));
    std::fseek(f, 0, SEEK_END);
    elf.bytes.resize(static_cast<size_t>(std::ftell(f)));
    std::fseek(f, 0, SEEK_SET);
    if (std::fread(elf.bytes.data(), 1, elf.bytes.size(), f) != elf.bytes.size())
        die("short read on " + path);
    std::fclose(f);
    const auto* ident = elf.bytes.data();
    if (elf.bytes.size() < EI_NIDENT || std::memcmp(ident, ELFMAG, SELFMAG) != 0)
        die(path + ": not an ELF file");
    elf.is64 = ident[EI_CLASS] == ELFCLASS64;
    auto take = [&](auto& hdr, uint64_t off) {
        if (off + sizeof hdr > elf.bytes.size())
            die(path + ": truncated");
        std::memcpy(&hdr, elf.bytes.data() + off, sizeof hdr);
    };
    if (elf.is64) {
        Elf64_Ehdr eh;
        take(eh, 0);
        elf.machine = eh.e_machine;
        elf.entry = eh.e_entry;
        for (unsigned i = 0; i < eh.e_phnum; ++i) {
            Elf64_Phdr ph;
            take(ph, eh.e_phoff + uint64_t{i} * eh.e_phentsize);
            if (ph.p_type == PT_LOAD)
                elf.loads.push_back({ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_offset, ph.p_flags});
        }
    } else {
        Elf32_Ehdr eh;
        take(eh, 0);
        elf.machine = eh.e_machine;
        elf.entry = eh.e_entry;
        for (unsigned i = 0; i < eh.e_phnum; ++i) {
            Elf32_Phdr ph;
            take(ph, eh.e_phoff + uint64_t{i} * eh.e_phentsize);
            if (ph.p_type == PT_LOAD)
                elf.loads.push_back({ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_offset, ph.p_flags});
        }
    }
    if (elf.loads.empty())
        die(path + ": no PT_LOAD segment");
    return elf;
}

struct Variant {
    std::string map = "segments", alloc = "uc", perms = "elf", hook = "none", count = "0",
                flush = "none";
    uint32_t pagesize = 0;
};

Variant parse_variant(const std::string& spec) {
    Variant v;
    if (spec == "base" || spec.empty())
        return v;
    for (const auto& kv : split(spec, ',')) {
        auto eq = kv.find('=');
        if (eq == std::string::npos)
            die("bad variant setting '" + kv + "'\n" + kVariantHelp);
        std::string k = kv.substr(0, eq), val = kv.substr(eq + 1);
        if (k == "map")
            v.map = val;
        else if (k == "alloc")
            v.alloc = val;
        else if (k == "perms")
            v.perms = val;
        else if (k == "hook")
            v.hook = val;
        else if (k == "count")
            v.count = val;
        else if (k == "flush")
            v.flush = val;
        else if (k == "pagesize")
            v.pagesize = static_cast<uint32_t>(std::stoul(val));
        else
            die("unknown variant key '" + k + "'\n" + kVariantHelp);
    }
    return v;
}

struct Guest {
    uc_engine* uc = nullptr;
    bool arm = false;
    bool i386 = false;
    bool exited = false;
    int exit_status = 0;
    std::string out;
    uint64_t syscalls = 0;
};

void check(uc_err err, const char* what) {
    if (err != UC_ERR_OK)
        die(std::string(what) + ": " + uc_strerror(err));
}

// write(1|2, buf, n) and exit/exit_group; anything else gets -ENOSYS.
int64_t do_syscall(Guest& g, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2) {
    ++g.syscalls;
    const uint64_t nr_write = g.arm || g.i386 ? 4 : 1, nr_exit = g.arm || g.i386 ? 1 : 60,
                   nr_exit_group = g.arm    ? 248
                                   : g.i386 ? 252
                                            : 231;
    if (nr == nr_write && (a0 == 1 || a0 == 2)) {
        std::string buf(static_cast<size_t>(std::min<uint64_t>(a2, 1 << 20)), '\0');
        if (uc_mem_read(g.uc, a1, buf.data(), buf.size()) != UC_ERR_OK)
            return -EFAULT;
        if (a0 == 1)
            g.out += buf;
        else
            std::fwrite(buf.data(), 1, buf.size(), stderr);
        return static_cast<int64_t>(buf.size());
    }
    if (nr == nr_exit || nr == nr_exit_group) {
        g.exited = true;
        g.exit_status = static_cast<int>(a0 & 0xff);
        uc_emu_stop(g.uc);
        return 0;
    }
    return -ENOSYS;
}

void hook_syscall_x86(uc_engine* uc, void* user) {
    auto& g = *static_cast<Guest*>(user);
    uint64_t nr, a0, a1, a2;
    uc_reg_read(uc, UC_X86_REG_RAX, &nr);
    uc_reg_read(uc, UC_X86_REG_RDI, &a0);
    uc_reg_read(uc, UC_X86_REG_RSI, &a1);
    uc_reg_read(uc, UC_X86_REG_RDX, &a2);
    int64_t r = do_syscall(g, nr, a0, a1, a2);
    uc_reg_write(uc, UC_X86_REG_RAX, &r);
}

// The trap convention of a 32-bit guest: its interrupt number, and where
// the number, the three arguments and the result live.
struct Trap32 {
    uint32_t intno;
    int nr, a0, a1, a2, result;
};

void syscall_32(uc_engine* uc, uint32_t intno, Guest& g, const Trap32& trap) {
    if (intno != trap.intno) {
        std::fprintf(stderr, "unicorn: unexpected interrupt %u\n", intno);
        g.exited = true;
        g.exit_status = 128 + 11;
        uc_emu_stop(uc);
        return;
    }
    uint32_t nr, a0, a1, a2;
    uc_reg_read(uc, trap.nr, &nr);
    uc_reg_read(uc, trap.a0, &a0);
    uc_reg_read(uc, trap.a1, &a1);
    uc_reg_read(uc, trap.a2, &a2);
    auto r = static_cast<uint32_t>(do_syscall(g, nr, a0, a1, a2));
    uc_reg_write(uc, trap.result, &r);
}

void hook_intr_386(uc_engine* uc, uint32_t intno, void* user) {
    syscall_32(
        uc, intno, *static_cast<Guest*>(user),
        {0x80, UC_X86_REG_EAX, UC_X86_REG_EBX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EAX});
}

void hook_intr_arm(uc_engine* uc, uint32_t intno, void* user) {
    syscall_32(uc, intno, *static_cast<Guest*>(user),
               {2 /* EXCP_SWI */, UC_ARM_REG_R7, UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,
                UC_ARM_REG_R0});
}

uint64_t g_hook_hits = 0;
void hook_code_count(uc_engine*, uint64_t, uint32_t, void*) {
    ++g_hook_hits;
}
bool hook_mem_count(uc_engine*, uc_mem_type, uint64_t, int, int64_t, void*) {
    ++g_hook_hits;
    return true;
}

uint32_t uc_perms(uint32_t pf) {
    return ((pf & PF_R) ? UC_PROT_READ : 0) | ((pf & PF_W) ? UC_PROT_WRITE : 0) |
           ((pf & PF_X) ? UC_PROT_EXEC : 0);
}

// Runs GUEST under Unicorn in this process; prints the guest's stdout, then
// one "@@" line with the emulation time and counters. Returns the exit status.
int run_one(const std::string& arch, const std::string& path, const std::string& variant_spec,
            std::span<char*> guest_args) {
    Variant v = parse_variant(variant_spec);
    Elf elf = read_elf(path);
    Guest g;
    g.arm = arch == "arm";
    g.i386 = arch == "386";
    unsigned machine = g.arm ? EM_ARM : g.i386 ? EM_386 : EM_X86_64;
    if (elf.machine != machine)
        die(path + ": ELF machine does not match --arch " + arch);
    check(g.arm    ? uc_open(UC_ARCH_ARM, UC_MODE_ARM, &g.uc)
          : g.i386 ? uc_open(UC_ARCH_X86, UC_MODE_32, &g.uc)
                   : uc_open(UC_ARCH_X86, UC_MODE_64, &g.uc),
          "uc_open");
    uc_engine* uc = g.uc;
    if (v.pagesize)
        check(uc_ctl_set_page_size(uc, v.pagesize), "uc_ctl_set_page_size");
    uint32_t page = 0;
    check(uc_ctl_get_page_size(uc, &page), "uc_ctl_get_page_size");
    const uint64_t pmask = ~uint64_t{page - 1};

    // Page permissions: the union over the PT_LOADs touching each page.
    std::map<uint64_t, uint32_t> pages;
    for (const auto& s : elf.loads) {
        for (uint64_t p = s.vaddr & pmask; p < s.vaddr + s.memsz; p += page)
            pages[p] |= v.perms == "rwx" ? uint32_t{UC_PROT_ALL} : uc_perms(s.flags);
    }
    struct Region {
        uint64_t base, size;
        uint32_t perms;
    };
    std::vector<Region> regions;
    if (v.map == "one") {
        uint64_t lo = pages.begin()->first, hi = pages.rbegin()->first + page;
        regions.push_back({lo, hi - lo, UC_PROT_ALL});
    } else if (v.map == "pages") {
        for (auto [p, perms] : pages)
            regions.push_back({p, page, perms});
    } else if (v.map == "segments") {
        for (auto [p, perms] : pages) {
            if (!regions.empty() && regions.back().base + regions.back().size == p &&
                regions.back().perms == perms)
                regions.back().size += page;
            else
                regions.push_back({p, page, perms});
        }
    } else {
        die("bad map=" + v.map);
    }

    // Stack: 1 MiB below a fixed top, and an unused guard page below it (the
    // target of hook=memw-far).
    const uint64_t stack_top = g.arm || g.i386 ? 0xbf000000u : 0x7ffff0000000u;
    const uint64_t stack_size = 1 << 20;
    const uint64_t guard = stack_top - stack_size - page;
    regions.push_back({stack_top - stack_size, stack_size, UC_PROT_READ | UC_PROT_WRITE});
    regions.push_back({guard, page, UC_PROT_READ | UC_PROT_WRITE});

    for (const auto& r : regions) {
        if (v.alloc == "ptr") {
            void* host =
                mmap(nullptr, r.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (host == MAP_FAILED)
                die("mmap failed");
            check(uc_mem_map_ptr(uc, r.base, r.size, r.perms, host), "uc_mem_map_ptr");
        } else if (v.alloc == "uc") {
            check(uc_mem_map(uc, r.base, r.size, r.perms), "uc_mem_map");
        } else {
            die("bad alloc=" + v.alloc);
        }
    }
    for (const auto& s : elf.loads)
        if (s.filesz)
            check(uc_mem_write(uc, s.vaddr, elf.bytes.data() + s.offset, s.filesz), "uc_mem_write");

    // The initial stack as Linux builds it: argc, argv[], NULL, envp NULL,
    // auxv (AT_PAGESZ, AT_ENTRY, AT_NULL); the strings above it.
    const unsigned wsize = elf.is64 ? 8 : 4;
    std::vector<uint64_t> words;
    std::vector<std::string> args{path};
    for (char* a : guest_args)
        args.emplace_back(a);
    uint64_t strp = stack_top - 256;
    std::vector<uint64_t> argv_addrs;
    for (const auto& a : args) {
        strp -= a.size() + 1;
        check(uc_mem_write(uc, strp, a.c_str(), a.size() + 1), "uc_mem_write argv");
        argv_addrs.push_back(strp);
    }
    words.push_back(args.size());
    for (auto a : argv_addrs)
        words.push_back(a);
    words.push_back(0); // end of argv
    words.push_back(0); // end of envp
    for (uint64_t w : {uint64_t{AT_PAGESZ}, uint64_t{4096}, uint64_t{AT_ENTRY}, elf.entry,
                       uint64_t{AT_NULL}, uint64_t{0}})
        words.push_back(w);
    uint64_t sp = ((strp - words.size() * wsize) & ~uint64_t{15});
    for (size_t i = 0; i < words.size(); ++i)
        check(uc_mem_write(uc, sp + i * wsize, &words[i], wsize), "uc_mem_write stack");

    uc_hook h;
    if (g.arm) {
        check(uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(hook_intr_arm), &g, 1, 0),
              "hook intr");
        uint32_t sp32 = static_cast<uint32_t>(sp);
        uc_reg_write(uc, UC_ARM_REG_SP, &sp32);
        // VFP on (FPEXC.EN), as the Linux ABI promises.
        uint32_t fpexc = 0x40000000;
        uc_reg_write(uc, UC_ARM_REG_FPEXC, &fpexc);
    } else if (g.i386) {
        check(uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(hook_intr_386), &g, 1, 0),
              "hook intr");
        uint32_t sp32 = static_cast<uint32_t>(sp);
        uc_reg_write(uc, UC_X86_REG_ESP, &sp32);
    } else {
        check(uc_hook_add(uc, &h, UC_HOOK_INSN, reinterpret_cast<void*>(hook_syscall_x86), &g, 1, 0,
                          UC_X86_INS_SYSCALL),
              "hook syscall");
        uc_reg_write(uc, UC_X86_REG_RSP, &sp);
    }

    const auto& data = *std::find_if(elf.loads.begin(), elf.loads.end(),
                                     [](const Segment& s) { return (s.flags & PF_W) != 0; });
    const uint64_t data_lo = data.vaddr, data_hi = data.vaddr + data.memsz - 1;
    auto add = [&](int type, void* cb, uint64_t lo, uint64_t hi) {
        check(uc_hook_add(uc, &h, type, cb, nullptr, lo, hi), "uc_hook_add");
    };
    if (v.hook == "memw-far")
        add(UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(hook_mem_count), guard, guard + page - 1);
    else if (v.hook == "memw-data")
        add(UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(hook_mem_count), data_lo, data_hi);
    else if (v.hook == "memr-data")
        add(UC_HOOK_MEM_READ, reinterpret_cast<void*>(hook_mem_count), data_lo, data_hi);
    else if (v.hook == "code-far")
        add(UC_HOOK_CODE, reinterpret_cast<void*>(hook_code_count), guard, guard + page - 1);
    else if (v.hook == "code-all")
        add(UC_HOOK_CODE, reinterpret_cast<void*>(hook_code_count), 1, 0);
    else if (v.hook == "block")
        add(UC_HOOK_BLOCK, reinterpret_cast<void*>(hook_code_count), 1, 0);
    else if (v.hook != "none")
        die("bad hook=" + v.hook);

    if (v.flush == "tlb")
        check(uc_ctl_flush_tlb(uc), "uc_ctl_flush_tlb");
    else if (v.flush == "tb")
        check(uc_ctl(uc, UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0)), "UC_CTL_TB_FLUSH");
    else if (v.flush != "none")
        die("bad flush=" + v.flush);

    uint64_t count = 0;
    bool slices = false;
    if (v.count == "big")
        count = uint64_t{1} << 62;
    else if (v.count.starts_with("slice:"))
        count = std::stoull(v.count.substr(6)), slices = true;
    else if (v.count != "0")
        die("bad count=" + v.count);

    uint64_t pc = elf.entry;
    uint64_t runs = 0;
    auto t0 = Clock::now();
    for (;;) {
        ++runs;
        uc_err err = uc_emu_start(uc, pc, 0, 0, count);
        if (err != UC_ERR_OK) {
            std::fprintf(stderr, "unicorn: %s at run %" PRIu64 "\n", uc_strerror(err), runs);
            g.exit_status = 128 + 11;
            break;
        }
        if (g.exited || !slices)
            break;
        if (g.arm) {
            uint32_t pc32;
            uc_reg_read(uc, UC_ARM_REG_PC, &pc32);
            pc = pc32;
        } else if (g.i386) {
            uint32_t pc32;
            uc_reg_read(uc, UC_X86_REG_EIP, &pc32);
            pc = pc32;
        } else {
            uc_reg_read(uc, UC_X86_REG_RIP, &pc);
        }
    }
    double emu = std::chrono::duration<double>(Clock::now() - t0).count();
    std::fwrite(g.out.data(), 1, g.out.size(), stdout);
    std::printf("@@ emu_seconds=%.6f runs=%" PRIu64 " syscalls=%" PRIu64 " hook_hits=%" PRIu64
                " page=%u regions=%zu\n",
                emu, runs, g.syscalls, g_hook_hits, page, regions.size());
    std::fflush(stdout);
    uc_close(uc);
    return g.exited ? g.exit_status : 128 + 11;
}

// ------------------------------------------------------------ measuring side

std::string self_exe() {
    std::array<char, 4096> buf{};
    ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0)
        die("cannot read /proc/self/exe");
    return std::string(buf.data(), static_cast<size_t>(n));
}

struct Options {
    std::string guests;
    std::vector<std::string> arches{"amd64", "386", "arm"};
    int repeat = 3;
    std::string cpu_n = "100000000", store_n = "32", load_n = "32", explore_n = "16",
                shared_stores = "65536";
    bool explore = false, variants_table = true, programs = true;
    std::vector<std::string> program_arches{"amd64", "386", "arm"};
    std::string go_n = "100000";
    int sweep_seeds = 20;
    std::vector<std::string> variants;
};

std::string qemu_for(const std::string& arch) {
    return arch == "arm" ? "qemu-arm" : arch == "386" ? "qemu-i386" : "qemu-x86_64";
}

bool host_runs(const std::string& arch) {
#if defined(__x86_64__)
    return arch == "amd64" || arch == "386"; // the host kernel runs i386 binaries
#else
    (void)arch;
    return false;
#endif
}

int compare(const Options& o) {
    const std::string self = self_exe();
    struct Row {
        std::string arch, workload;
        Series native, qemu, uc, crossrt;
    };
    std::vector<Row> rows;
    int bad = 0;
    for (const auto& arch : o.arches) {
        // "start" is cpu_loop with N=0: process start-up and loading only.
        for (const std::string wl : {"start", "cpu", "store", "load"}) {
            Row r{arch, wl, {}, {}, {}, {}};
            std::string guest = o.guests + "/" + (wl == "start" ? "cpu" : wl) + "_loop-" + arch;
            std::string n = wl == "start"   ? "0"
                            : wl == "cpu"   ? o.cpu_n
                            : wl == "store" ? o.store_n
                                            : o.load_n;
            std::fprintf(stderr, "measuring %s %s (x%d)...\n", arch.c_str(), wl.c_str(), o.repeat);
            // Interleave the three so that load from other processes on the
            // machine spreads over all of them.
            for (int i = 0; i < o.repeat; ++i) {
                if (host_runs(arch))
                    sample_into(r.native, {guest, n});
                sample_into(r.qemu, {qemu_for(arch), guest, n});
                sample_into(r.uc, {self, "--one", arch, guest, "base", n});
                // The same guest through crossrt's own unicorn backend: the
                // kernel, its hooks, scheduler and sandbox included.
                sample_into(r.crossrt,
                            {CROSSRT_EXE, "exec", "--backend", "unicorn", "--", guest, n});
            }
            std::string ref = host_runs(arch) ? r.native.out : r.qemu.out;
            bool same = r.qemu.out == ref && r.uc.out == ref && r.crossrt.out == ref && r.qemu.ok &&
                        r.uc.ok && r.crossrt.ok && (!host_runs(arch) || r.native.ok);
            if (!same) {
                ++bad;
                std::fprintf(
                    stderr, "  ! outputs differ: native '%s' qemu '%s' unicorn '%s' crossrt '%s'\n",
                    r.native.out.c_str(), r.qemu.out.c_str(), r.uc.out.c_str(),
                    r.crossrt.out.c_str());
            }
            rows.push_back(std::move(r));
        }
    }
    for (const char* clock : {"cpu", "wall"}) {
        bool cpu = std::string_view(clock) == "cpu";
        std::printf("\n%s time in seconds, median [min-max] of %d runs; ratios of medians\n",
                    cpu ? "CPU (user+sys)" : "Wall", o.repeat);
        std::printf("%-6s %-6s %-24s %-24s %-24s %-24s %8s %8s %8s %8s\n", "arch", "guest",
                    "native", "qemu-user", "unicorn", "crossrt-unicorn", "uc/qemu", "cr/qemu",
                    "uc/nat", "qemu/nat");
        for (const auto& r : rows) {
            Stats nat = stats(cpu ? r.native.cpu : r.native.wall);
            Stats qe = stats(cpu ? r.qemu.cpu : r.qemu.wall);
            Stats un = stats(cpu ? r.uc.cpu : r.uc.wall);
            // The sandboxed guest is not a waited-for descendant of the
            // crossrt process (it lives in its own PID namespace), so wait4
            // does not see its CPU time: crossrt is compared by wall time only.
            Stats cr = cpu ? Stats{} : stats(r.crossrt.wall);
            std::printf("%-6s %-6s %-24s %-24s %-24s %-24s %8s %8s %8s %8s\n", r.arch.c_str(),
                        r.workload.c_str(), fmt_stats(nat).c_str(), fmt_stats(qe).c_str(),
                        fmt_stats(un).c_str(), fmt_stats(cr).c_str(), fmt_ratio(un, qe).c_str(),
                        fmt_ratio(cr, qe).c_str(), fmt_ratio(un, nat).c_str(),
                        fmt_ratio(qe, nat).c_str());
        }
    }
    std::printf("\ncrossrt-unicorn: `crossrt exec --backend unicorn` (kernel counting by block, "
                "sandbox and process start included); wall time only, see above.\n");
    std::printf("\nguest output (checksums) %s\n",
                bad ? "DIFFER (see stderr)" : "identical in every run");
    return bad ? 1 : 0;
}

struct ExploreCase {
    std::string name, variant;
    std::vector<std::string> env;
};

int explore(const Options& o) {
    const std::string self = self_exe();
    std::vector<ExploreCase> cases;
    if (!o.variants.empty()) {
        cases.push_back({"base", "base", {}});
        for (const auto& v : o.variants)
            cases.push_back({v, v, {}});
    } else {
        cases = {
            {"base (uc_mem_map per segment, ELF perms)", "base", {}},
            {"uc_mem_map_ptr (host mmap memory)", "alloc=ptr", {}},
            {"one RWX region for all PT_LOADs", "map=one", {}},
            {"one region per page", "map=pages", {}},
            {"all regions RWX (data executable)", "perms=rwx", {}},
            {"UC_HOOK_MEM_WRITE on an unused page", "hook=memw-far", {}},
            {"UC_HOOK_MEM_WRITE on the data", "hook=memw-data", {}},
            {"UC_HOOK_MEM_READ on the data", "hook=memr-data", {}},
            {"UC_HOOK_CODE on an unused range", "hook=code-far", {}},
            {"UC_HOOK_CODE everywhere", "hook=code-all", {}},
            {"UC_HOOK_BLOCK everywhere", "hook=block", {}},
            {"count=2^62", "count=big", {}},
            {"slices of 100k instructions", "count=slice:100000", {}},
            {"uc_ctl_flush_tlb (= TB flush) before start", "flush=tlb", {}},
            // 2.0.1 doubles the size it is given (unicorn#2025): 2048 -> 4 KiB.
            {"arm: 4 KiB pages (set_page_size 2048)", "pagesize=2048", {}},
            {"arm: 4 KiB pages, one region per page", "pagesize=2048,map=pages", {}},
            {"arm: 8 KiB pages (set_page_size 4096)", "pagesize=4096", {}},
        };
    }
    std::printf("\nUnicorn %s; work-around candidates; CPU seconds, median [min-max] of %d runs\n",
                unicorn_version().c_str(), o.repeat);
    int bad = 0;
    for (const auto& arch : o.arches) {
        if (!o.variants_table)
            break;
        std::string store = o.guests + "/store_loop-" + arch,
                    load = o.guests + "/load_loop-" + arch;
        std::vector<const ExploreCase*> mine;
        for (const auto& c : cases)
            if (arch == "arm" || c.variant.find("pagesize") == std::string::npos)
                mine.push_back(&c);
        // Repeat-major order: every variant (and qemu) once per round, so a
        // change in the load of the shared machine spreads over all of them.
        Series qs, ql;
        std::vector<Series> s(mine.size()), l(mine.size());
        for (int i = 0; i < o.repeat; ++i) {
            std::fprintf(stderr, "explore %s: round %d of %d\n", arch.c_str(), i + 1, o.repeat);
            sample_into(qs, {qemu_for(arch), store, o.explore_n});
            sample_into(ql, {qemu_for(arch), load, o.explore_n});
            for (size_t k = 0; k < mine.size(); ++k) {
                sample_into(s[k], {self, "--one", arch, store, mine[k]->variant, o.explore_n},
                            mine[k]->env);
                sample_into(l[k], {self, "--one", arch, load, mine[k]->variant, o.explore_n},
                            mine[k]->env);
            }
        }
        Stats qst = stats(qs.cpu), qlt = stats(ql.cpu);
        Stats bst = stats(s[0].cpu), blt = stats(l[0].cpu);
        std::printf("\n%s, %s passes over 4 MiB; qemu-user: store %s, load %s\n", arch.c_str(),
                    o.explore_n.c_str(), fmt_stats(qst).c_str(), fmt_stats(qlt).c_str());
        std::printf("%-42s %-22s %6s %6s %-22s %6s %6s\n", "variant (first row: base)", "store",
                    "/qemu", "/base", "load", "/qemu", "/base");
        for (size_t k = 0; k < mine.size(); ++k) {
            if (!s[k].ok || !l[k].ok || s[k].out != qs.out || l[k].out != ql.out) {
                ++bad;
                std::fprintf(stderr, "  ! %s: wrong output or status\n", mine[k]->name.c_str());
            }
            Stats st = stats(s[k].cpu), lt = stats(l[k].cpu);
            bool sb = s[k].bad_status != 0, lb = l[k].bad_status != 0;
            std::printf("%-42s %-22s %6s %6s %-22s %6s %6s\n", mine[k]->name.c_str(),
                        fmt_series(s[k], st).c_str(), sb ? "" : fmt_ratio(st, qst).c_str(),
                        sb ? "" : fmt_ratio(st, bst).c_str(), fmt_series(l[k], lt).c_str(),
                        lb ? "" : fmt_ratio(lt, qlt).c_str(), lb ? "" : fmt_ratio(lt, blt).c_str());
        }
        std::fflush(stdout);
    }

    // Code and data on one page: stores into 64 words that share a page with
    // the loop's own translated code (store_loop_shared, linked with -N) or
    // that live on a data page of their own (store_loop). Few stores for
    // qemu-user (each one write-faults and retranslates there), and 64 times
    // more for Unicorn so that the per-store cost shows above start-up.
    const unsigned long long words = 64, passes = std::stoull(o.shared_stores) / words;
    std::printf("\nStores to a page holding translated code, into %llu words; CPU seconds, "
                "median [min-max] of %d runs\n",
                words, o.repeat);
    std::printf("%-6s %-18s %-24s %-24s %-24s\n", "arch", "binary",
                ("qemu " + std::to_string(passes * words) + " st").c_str(),
                ("unicorn " + std::to_string(passes * words) + " st").c_str(),
                ("unicorn " + std::to_string(64 * passes * words) + " st").c_str());
    for (const auto& arch : o.arches) {
        for (const std::string bin : {"store_loop", "store_loop_shared"}) {
            std::string guest = o.guests + "/" + bin + "-" + arch;
            Series q, u, u64;
            for (int i = 0; i < o.repeat; ++i) {
                sample_into(q,
                            {qemu_for(arch), guest, std::to_string(passes), std::to_string(words)});
                sample_into(u, {self, "--one", arch, guest, "base", std::to_string(passes),
                                std::to_string(words)});
                sample_into(u64, {self, "--one", arch, guest, "base", std::to_string(64 * passes),
                                  std::to_string(words)});
            }
            if (!q.ok || !u.ok || !u64.ok || q.out != u.out) {
                ++bad;
                std::fprintf(stderr, "  ! %s-%s: wrong output or status\n", bin.c_str(),
                             arch.c_str());
            }
            std::printf("%-6s %-18s %-24s %-24s %-24s\n", arch.c_str(), bin.c_str(),
                        fmt_series(q, stats(q.cpu)).c_str(), fmt_series(u, stats(u.cpu)).c_str(),
                        fmt_series(u64, stats(u64.cpu)).c_str());
            std::fflush(stdout);
        }
    }
    return bad ? 1 : 0;
}

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: unicorn_vs_qemu [--guests DIR] [--arch amd64,arm] [--repeat N]\n"
                 "         [--cpu-n N] [--store-n PASSES] [--load-n PASSES]\n"
                 "         [--explore] [--explore-n PASSES] [--variants V1;V2;...]\n"
                 "         [--no-variants] [--shared-stores N]\n"
                 "         [--no-programs] [--program-arch amd64,386,arm] [--go-n N]\n"
                 "         [--sweep-seeds N]\n"
                 "       unicorn_vs_qemu --one ARCH GUEST VARIANT [GUEST-ARGS...]\n\n%s",
                 kVariantHelp);
    std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "--one") {
        if (args.size() < 4)
            usage();
        return run_one(args[1], args[2], args[3], std::span<char*>(argv + 5, argv + argc));
    }
    Options o;
#ifdef BENCH_GUEST_DIR
    o.guests = BENCH_GUEST_DIR;
#endif
    for (size_t i = 0; i < args.size(); ++i) {
        auto next = [&]() -> std::string {
            if (i + 1 >= args.size())
                usage();
            return args[++i];
        };
        const auto& a = args[i];
        if (a == "--guests")
            o.guests = next();
        else if (a == "--arch")
            o.arches = split(next(), ',');
        else if (a == "--repeat")
            o.repeat = std::max(1, std::stoi(next()));
        else if (a == "--cpu-n")
            o.cpu_n = next();
        else if (a == "--store-n")
            o.store_n = next();
        else if (a == "--load-n")
            o.load_n = next();
        else if (a == "--explore")
            o.explore = true;
        else if (a == "--explore-n")
            o.explore_n = next();
        else if (a == "--variants")
            o.variants = split(next(), ';');
        else if (a == "--shared-stores")
            o.shared_stores = next();
        else if (a == "--no-variants")
            o.variants_table = false;
        else if (a == "--no-programs")
            o.programs = false;
        else if (a == "--program-arch")
            o.program_arches = split(next(), ',');
        else if (a == "--go-n")
            o.go_n = next();
        else if (a == "--sweep-seeds")
            o.sweep_seeds = std::max(2, std::stoi(next()));
        else
            usage();
    }
    if (o.guests.empty())
        die("no guest directory: pass --guests DIR");
    std::printf("unicorn_vs_qemu: Unicorn %s, guests in %s, %d run(s) each\n",
                unicorn_version().c_str(), o.guests.c_str(), o.repeat);
    std::fflush(stdout);
    if (o.explore)
        return explore(o);
    int bad = compare(o);
    if (o.programs) {
        ProgramOptions p;
        p.arches = o.program_arches;
        p.repeat = o.repeat;
        p.crossrt = CROSSRT_EXE;
        p.build_dir = CROSSRT_BUILD_DIR;
        p.work_dir = BENCH_GO_DIR;
        p.goprog_source = BENCH_GOPROG_SOURCE;
        p.goprog_n = o.go_n;
        p.sweep_seeds = o.sweep_seeds;
        bad |= programs(p);
    }
    return bad;
}
