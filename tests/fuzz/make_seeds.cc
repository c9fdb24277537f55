// Writes the seeds of the syscall and sigreturn fuzz targets:
//   crossrt_fuzz_seeds DIR   ->  DIR/syscall/seed-<target>-<topic>
//                                DIR/sigreturn/seed-<variant>-{delivered,made-up}
// Syscall seeds are small programs in the fuzz target's input format
// (syscall_fuzz.cc): real calls by name, with the structures they read
// (paths, iovecs, argv arrays, 64-bit pairs, timespecs, sigactions, stat
// buffers, ucontexts, kevents) laid out in the data segment as each
// target's ABI has them. Sigreturn seeds are the frames the kernel itself
// writes when it delivers a signal, one per arch and personality.
#include "frame_guest.h"
#include "fuzz_guest.h"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::fuzz {
namespace {

namespace fs = std::filesystem;
using kernel::i64;
using kernel::u32;

struct Arg {
    u8 tag;
    u64 value;
};
Arg I(i64 value) {
    return {0, static_cast<u64>(value)};
}
Arg P(u64 offset) {
    return {1, offset};
}
Arg W(u64 value) {
    return {2, value};
}
const Arg Z{3, 0};

// One syscall seed: calls by name and the data segment they point into.
class SyscallSeed {
public:
    explicit SyscallSeed(std::size_t target) : index_(target) {}

    const GuestTarget& target() const { return guest_targets()[index_]; }
    bool netbsd() const { return target().os == "netbsd"; }
    Arch arch() const { return target().arch; }
    u64 word() const { return arch() == Arch::amd64 ? 8 : 4; }

    // Data: each item 8-aligned; the offset it starts at.
    u64 bytes(std::string_view text) {
        align();
        u64 at = data_.size();
        data_.insert(data_.end(), text.begin(), text.end());
        return at;
    }
    u64 str(std::string_view text) {
        u64 at = bytes(text);
        data_.push_back(0);
        return at;
    }
    u64 zeros(std::size_t count) { return bytes(std::string(count, '\0')); }
    // Guest words (pointers into the data are data_at(offset)).
    u64 words(std::initializer_list<u64> values) {
        std::string text;
        for (u64 value : values)
            append(text, value, word());
        return bytes(text);
    }
    u64 u32s(std::initializer_list<u32> values) {
        std::string text;
        for (u32 value : values)
            append(text, value, 4);
        return bytes(text);
    }
    u64 u64s(std::initializer_list<u64> values) {
        std::string text;
        for (u64 value : values)
            append(text, value, 8);
        return bytes(text);
    }
    u64 data_at(u64 offset) const { return data_base(arch()) + offset; }

    // A timespec as this target's kernel reads it: Linux's native one
    // (words), or the 64-bit one of the *_time64 calls and of NetBSD
    // (time_t is 64-bit there, tv_nsec a long).
    u64 timespec(i64 sec, i64 nsec, bool time64 = false) {
        if (netbsd() || time64)
            return bytes(pack({{static_cast<u64>(sec), 8}, {static_cast<u64>(nsec), 8}}));
        return words({static_cast<u64>(sec), static_cast<u64>(nsec)});
    }

    // A 64-bit argument: one word on amd64, (lo, hi) elsewhere.
    void pair(std::vector<Arg>& args, u64 value) const {
        if (word() == 8) {
            args.push_back(W(value));
        } else {
            args.push_back(I(static_cast<i64>(value & 0xffffffff)));
            args.push_back(I(static_cast<i64>(value >> 32)));
        }
    }

    void call(std::string_view name, std::vector<Arg> args) {
        if (args.size() > 8)
            fail(fmt::format("{}: more than 8 arguments", name));
        args.resize(8, Z);
        calls_.push_back({syscall_number(target(), name), std::move(args)});
    }

    std::vector<u8> encode() const {
        if (calls_.size() > static_cast<std::size_t>(kMaxCalls))
            fail("a seed with too many calls");
        std::string out;
        out.push_back(static_cast<char>(index_));
        out.push_back(static_cast<char>(calls_.size()));
        for (const auto& [nr, args] : calls_) {
            append(out, nr, 2);
            for (const Arg& arg : args) {
                out.push_back(static_cast<char>(arg.tag));
                std::size_t size = arg.tag == 0 ? 4 : arg.tag == 1 ? 2 : arg.tag == 2 ? 8 : 0;
                append(out, arg.value, size);
            }
        }
        out.append(data_.begin(), data_.end());
        return {out.begin(), out.end()};
    }

    static void append(std::string& text, u64 value, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) // bytes past 8 (padding) are zeros
            text.push_back(i < 8 ? static_cast<char>(value >> (8 * i)) : '\0');
    }
    static std::string pack(std::initializer_list<std::pair<u64, std::size_t>> fields) {
        std::string text;
        for (auto [value, size] : fields)
            append(text, value, size);
        return text;
    }

private:
    void align() {
        while (data_.size() % 8 != 0)
            data_.push_back(0);
    }
    std::size_t index_;
    std::vector<char> data_;
    struct Call {
        u64 nr;
        std::vector<Arg> args;
    };
    std::vector<Call> calls_;
};

constexpr i64 kAtFdcwd = -100;
constexpr i64 kPid = 100; // the kernel's first process

// ---- Linux ----

void linux_files(SyscallSeed& s) {
    bool x86 = s.arch() != Arch::arm;
    u64 path = s.str("/tmp/fuzz.txt");
    u64 dir = s.str("/tmp");
    u64 hello = s.bytes("hello, ");
    u64 world = s.bytes("world\n");
    u64 iov = s.words({s.data_at(hello), 7, s.data_at(world), 6});
    u64 buf1 = s.zeros(8);
    u64 buf2 = s.zeros(64);
    u64 iov_in = s.words({s.data_at(buf1), 4, s.data_at(buf2), 64});
    u64 stat = s.zeros(144);
    u64 dents = s.zeros(512);
    u64 result = s.zeros(8);
    s.call("openat", {I(kAtFdcwd), P(path), I(0x242), I(0644)}); // O_CREAT|O_TRUNC|O_RDWR: 3
    s.call("writev", {I(3), P(iov), I(2)});
    if (s.word() == 8) {
        s.call("lseek", {I(3), I(0), I(0)});
    } else {
        s.call("_llseek", {I(3), I(0), I(0), P(result), I(0)});
    }
    s.call("readv", {I(3), P(iov_in), I(2)});
    std::vector<Arg> pread{I(3), P(buf2), I(5)};
    if (s.arch() == Arch::arm)
        pread.push_back(I(0)); // arm: a 64-bit pair starts at an even register
    s.pair(pread, 7);
    s.call("pread64", pread);
    s.call(s.word() == 8 ? "fstat" : "fstat64", {I(3), P(stat)});
    if (s.word() == 8) {
        s.call("ftruncate", {I(3), I(3)});
    } else {
        std::vector<Arg> truncate{I(3)};
        if (s.arch() == Arch::arm)
            truncate.push_back(I(0));
        s.pair(truncate, 3);
        s.call("ftruncate64", truncate);
    }
    // O_DIRECTORY: 0200000 on x86, 040000 on arm.
    s.call("openat", {I(kAtFdcwd), P(dir), I(x86 ? 0200000 : 040000)});
    s.call("getdents64", {I(4), P(dents), I(512)});
    s.call(s.word() == 8 ? "fcntl" : "fcntl64", {I(3), I(3)}); // F_GETFL
    s.call("close", {I(3)});
    s.call("close", {I(4)});
}

void linux_paths(SyscallSeed& s) {
    u64 dir = s.str("/tmp/dir");
    u64 link = s.str("/tmp/link");
    u64 link2 = s.str("/tmp/dir/../link2");
    u64 buf = s.zeros(256);
    u64 stat = s.zeros(256);
    u64 times = s.bytes(std::string(s.word() * 4, '\0'));
    s.call("mkdirat", {I(kAtFdcwd), P(dir), I(0755)});
    s.call("symlinkat", {P(dir), I(kAtFdcwd), P(link)});
    s.call("readlinkat", {I(kAtFdcwd), P(link), P(buf), I(100)});
    s.call("renameat", {I(kAtFdcwd), P(link), I(kAtFdcwd), P(link2)});
    s.call(s.word() == 8 ? "newfstatat" : "fstatat64",
           {I(kAtFdcwd), P(link2), P(stat), I(0x100)}); // AT_SYMLINK_NOFOLLOW
    s.call("utimensat", {I(kAtFdcwd), P(dir), P(times), I(0)});
    s.call("faccessat", {I(kAtFdcwd), P(dir), I(7)});
    s.call("chdir", {P(dir)});
    s.call("getcwd", {P(buf), I(256)});
    s.call("unlinkat", {I(kAtFdcwd), P(link2), I(0)});
    s.call("statx", {I(kAtFdcwd), P(dir), I(0), I(0xfff), P(stat)});
    s.call("unlinkat", {I(kAtFdcwd), P(dir), I(0x200)}); // AT_REMOVEDIR
}

void linux_signals(SyscallSeed& s) {
    constexpr u64 kUsr1 = 10, kUsr2 = 12;
    constexpr u64 kSaSiginfo = 4, kSaOnstack = 0x08000000, kSaRestorer = 0x04000000;
    u64 set = s.u64s({u64{1} << (kUsr1 - 1)});
    u64 old = s.zeros(8);
    // struct sigaction {handler, flags, restorer, mask}: the handler is
    // the program's start, so it runs the calls again, on the altstack.
    u64 act =
        s.words({code_base(s.arch()), kSaSiginfo | kSaOnstack | kSaRestorer, code_base(s.arch())});
    s.u64s({0});
    u64 oact = s.zeros(32);
    u64 altstack = s.zeros(2048);
    u64 ss = s.words({s.data_at(altstack), 0, 2048}); // {ss_sp, ss_flags, ss_size}
    u64 oss = s.zeros(24);
    s.call("rt_sigprocmask", {I(0), P(set), P(old), I(8)}); // SIG_BLOCK
    s.call("rt_sigaction", {I(kUsr1), P(act), P(oact), I(8)});
    s.call("sigaltstack", {P(ss), P(oss)});
    s.call("kill", {I(kPid), I(kUsr1)});
    s.call("rt_sigpending", {P(old), I(8)});
    s.call("tgkill", {I(kPid), I(kPid), I(kUsr2)});
    s.call("rt_sigprocmask", {I(1), P(set), Z, I(8)}); // SIG_UNBLOCK: delivered now
}

void linux_time(SyscallSeed& s) {
    bool time64 = s.word() == 4;
    u64 now = s.zeros(16);
    u64 req = s.timespec(0, 1000);
    u64 rem = s.zeros(16);
    u64 until = s.timespec(1704067201, 0, time64);
    u64 itv = s.words({0, 0, 0, 5000}); // {interval, value} as timevals
    u64 old = s.zeros(32);
    u64 futex_word = s.u32s({0});
    u64 wait = s.timespec(0, 100000, time64);
    s.call("clock_gettime", {I(1), P(now)}); // CLOCK_MONOTONIC
    s.call("clock_getres", {I(0), P(now)});
    s.call("nanosleep", {P(req), P(rem)});
    s.call(time64 ? "clock_nanosleep_time64" : "clock_nanosleep",
           {I(0), I(1), P(until), Z}); // TIMER_ABSTIME
    s.call("setitimer", {I(0), P(itv), P(old)});
    s.call("getitimer", {I(0), P(old)});
    s.call("gettimeofday", {P(now), Z});
    std::string futex = time64 ? "futex_time64" : "futex";
    s.call(futex, {P(futex_word), I(0), I(1), P(wait)});   // FUTEX_WAIT, not the value
    s.call(futex, {P(futex_word), I(128), I(0), P(wait)}); // FUTEX_WAIT_PRIVATE, times out
    s.call(futex, {P(futex_word), I(1), I(1)});            // FUTEX_WAKE
}

void linux_exec(SyscallSeed& s) {
    u64 prog = s.str("/tmp/prog");
    u64 flag = s.str("-v");
    u64 empty = s.str("");
    u64 env = s.str("PATH=/usr/bin:/bin");
    u64 argv = s.words({s.data_at(prog), s.data_at(flag), s.data_at(empty), 0});
    u64 envp = s.words({s.data_at(env), 0});
    // The start of an ELF header for this arch: execve reads it and refuses.
    bool b64 = s.word() == 8;
    u64 header = s.bytes(SyscallSeed::pack({{0x464c457f, 4},
                                            {b64 ? 2u : 1u, 1},
                                            {1, 1},
                                            {1, 1},
                                            {0, 9},
                                            {2, 2},
                                            {s.arch() == Arch::amd64  ? 62u
                                             : s.arch() == Arch::i386 ? 3u
                                                                      : 40u,
                                             2}}));
    s.call("execve", {P(prog), P(argv), P(envp)}); // ENOENT
    s.call("openat", {I(kAtFdcwd), P(prog), I(0x241), I(0755)});
    s.call("write", {I(3), P(header), I(20)});
    s.call("close", {I(3)});
    s.call("fchmodat", {I(kAtFdcwd), P(prog), I(0755), I(0)});
    s.call("execve", {P(prog), P(argv), P(envp)});
    s.call("execve", {P(prog), P(argv + s.word()), Z});
}

void linux_memory(SyscallSeed& s) {
    constexpr u64 kAt = 0x20000000;
    bool b64 = s.word() == 8;
    // mmap(addr, length, prot, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0);
    // mmap2 on 32-bit arches (the offset in pages).
    s.call(b64 ? "mmap" : "mmap2", {W(kAt), I(8192), I(3), I(0x32), I(-1), I(0)});
    s.call(b64 ? "mmap" : "mmap2", {I(0), I(65536), I(0), I(0x22), I(-1), I(0)});
    s.call("mprotect", {W(kAt), I(4096), I(1)});
    s.call("madvise", {W(kAt), I(4096), I(4)}); // MADV_DONTNEED
    s.call("munmap", {W(kAt + 4096), I(4096)});
    s.call("brk", {I(0)});
    s.call("brk", {W(data_base(s.arch()) + 0x200000)});
}

void linux_process(SyscallSeed& s) {
    u64 uts = s.zeros(390);
    u64 random = s.zeros(16);
    u64 mask = s.zeros(8);
    u64 limit = s.zeros(16);
    u64 tid = s.u32s({0});
    u64 robust = s.words({0, 0, 0});
    u64 status = s.u32s({0});
    u64 rusage = s.zeros(144);
    s.call("uname", {P(uts)});
    s.call("getrandom", {P(random), I(16), I(0)});
    s.call("sched_getaffinity", {I(0), I(8), P(mask)});
    s.call("prlimit64", {I(0), I(3), Z, P(limit)}); // RLIMIT_STACK
    s.call("set_tid_address", {P(tid)});
    s.call("set_robust_list", {P(robust), I(static_cast<i64>(s.word() * 3))});
    s.call("fork", {});
    s.call("wait4", {I(-1), P(status), I(0), P(rusage)});
    s.call("clone", {I(17), Z, Z, Z, Z});            // SIGCHLD: as fork
    s.call("waitid", {I(0), I(0), P(rusage), I(4)}); // P_ALL, WEXITED
}

void linux_pipes(SyscallSeed& s) {
    u64 fds = s.u32s({0, 0});
    u64 ping = s.bytes("ping");
    u64 event = s.u32s({1, 0x1234, 0, 0}); // EPOLLIN, data
    u64 events = s.zeros(64);
    u64 buf = s.zeros(16);
    s.call("pipe2", {P(fds), I(0)}); // 3, 4
    s.call("write", {I(4), P(ping), I(4)});
    s.call("epoll_create1", {I(0)}); // 5
    s.call("epoll_ctl", {I(5), I(1), I(3), P(event)});
    s.call("epoll_pwait", {I(5), P(events), I(4), I(0), Z, I(8)});
    s.call("read", {I(3), P(buf), I(4)});
    s.call("dup3", {I(3), I(10), I(0)});
    s.call("close", {I(4)});
    s.call("read", {I(10), P(buf), I(4)}); // end of file
    s.call("epoll_wait", {I(5), P(events), I(4), I(10)});
}

void linux_tls(SyscallSeed& s) {
    u64 block = s.zeros(64);
    switch (s.arch()) {
    case Arch::amd64:
        s.call("arch_prctl", {I(0x1002), P(block)}); // ARCH_SET_FS
        s.call("arch_prctl", {I(0x1003), P(block)}); // ARCH_GET_FS
        break;
    case Arch::i386: {
        // struct user_desc {entry_number, base_addr, limit, flags}:
        // a 32-bit, page-granular, usable data segment.
        u64 desc = s.u32s({0xffffffff, static_cast<u32>(s.data_at(block)), 0xfffff, 0x51});
        s.call("set_thread_area", {P(desc)});
        u64 ldt = s.u32s({0, static_cast<u32>(s.data_at(block)), 0xfffff, 0x51});
        s.call("modify_ldt", {I(1), P(ldt), I(16)});
        break;
    }
    case Arch::arm:
        s.call("ARM_set_tls", {P(block)});
        break;
    }
    s.call("gettid", {});
    s.call("set_tid_address", {P(block)});
}

// ---- NetBSD ----

void netbsd_files(SyscallSeed& s) {
    u64 path = s.str("/tmp/fuzz.txt");
    u64 dir = s.str("/tmp");
    u64 hello = s.bytes("hello, ");
    u64 world = s.bytes("world\n");
    u64 iov = s.words({s.data_at(hello), 7, s.data_at(world), 6});
    u64 buf = s.zeros(64);
    u64 iov_in = s.words({s.data_at(buf), 4, s.data_at(buf) + 4, 32});
    u64 stat = s.zeros(160);
    u64 dents = s.zeros(512);
    s.call("open", {P(path), I(0x602), I(0644)}); // O_CREAT|O_TRUNC|O_RDWR: 3
    s.call("writev", {I(3), P(iov), I(2)});
    std::vector<Arg> lseek{I(3), I(0)}; // lseek(fd, PAD, offset, whence)
    s.pair(lseek, 0);
    lseek.push_back(I(0));
    s.call("lseek", lseek);
    s.call("readv", {I(3), P(iov_in), I(2)});
    std::vector<Arg> pread{I(3), P(buf), I(5), I(0)}; // pread(fd, buf, n, PAD, offset)
    s.pair(pread, 7);
    s.call("pread", pread);
    s.call("__fstat50", {I(3), P(stat)});
    std::vector<Arg> truncate{I(3), I(0)};
    s.pair(truncate, 3);
    s.call("ftruncate", truncate);
    s.call("open", {P(dir), I(0x200000)}); // O_DIRECTORY: 4
    s.call("__getdents30", {I(4), P(dents), I(512)});
    s.call("fcntl", {I(3), I(3)}); // F_GETFL
    s.call("close", {I(3)});
}

void netbsd_paths(SyscallSeed& s) {
    u64 dir = s.str("/tmp/dir");
    u64 link = s.str("/tmp/link");
    u64 link2 = s.str("/tmp/dir/../link2");
    u64 buf = s.zeros(256);
    u64 stat = s.zeros(160);
    u64 times = s.zeros(32);
    s.call("mkdir", {P(dir), I(0755)});
    s.call("symlink", {P(dir), P(link)});
    s.call("readlink", {P(link), P(buf), I(100)});
    s.call("rename", {P(link), P(link2)});
    s.call("__stat50", {P(link2), P(stat)});
    s.call("__lstat50", {P(link2), P(stat)});
    s.call("fstatat", {I(kAtFdcwd), P(dir), P(stat), I(0)});
    s.call("utimensat", {I(kAtFdcwd), P(dir), P(times), I(0)});
    s.call("chdir", {P(dir)});
    s.call("__getcwd", {P(buf), I(256)});
    s.call("unlink", {P(link2)});
    s.call("rmdir", {P(dir)});
}

void netbsd_signals(SyscallSeed& s) {
    constexpr u32 kUsr1 = 30, kUsr2 = 31;
    constexpr u64 kSaOnstack = 0x1, kSaSiginfo = 0x40;
    u64 set = s.u32s({1u << (kUsr1 - 1), 0, 0, 0});
    u64 old = s.zeros(16);
    // struct sigaction {handler, sigset_t mask (4 x u32), int flags}; the
    // handler is the program's start, so it runs the calls again.
    std::string act;
    SyscallSeed::append(act, code_base(s.arch()), s.word());
    for (int i = 0; i < 4; ++i)
        SyscallSeed::append(act, 0, 4);
    SyscallSeed::append(act, kSaSiginfo | kSaOnstack, 4);
    u64 action = s.bytes(act);
    u64 oact = s.zeros(32);
    u64 altstack = s.zeros(2048);
    u64 ss = s.words({s.data_at(altstack), 2048, 0}); // {ss_sp, ss_size, ss_flags}
    u64 oss = s.zeros(24);
    s.call("__sigprocmask14", {I(1), P(set), P(old)}); // SIG_BLOCK
    s.call("__sigaction_sigtramp", {I(kUsr1), P(action), P(oact), W(code_base(s.arch())), I(2)});
    s.call("__sigaltstack14", {P(ss), P(oss)});
    s.call("kill", {I(kPid), I(kUsr1)});
    s.call("_lwp_kill", {I(1), I(kUsr2)});
    s.call("__sigprocmask14", {I(2), P(set), Z}); // SIG_UNBLOCK: delivered now
}

void netbsd_time(SyscallSeed& s) {
    u64 now = s.zeros(16);
    u64 req = s.timespec(0, 1000);
    u64 rem = s.zeros(16);
    u64 itv = s.u64s({0, 0, 0, 5000}); // {interval, value}: timevals of 64-bit seconds
    u64 old = s.zeros(32);
    u64 park = s.timespec(0, 2000);
    u64 hint = s.zeros(8);
    s.call("__clock_gettime50", {I(3), P(now)}); // CLOCK_MONOTONIC
    s.call("__clock_getres50", {I(0), P(now)});
    s.call("__nanosleep50", {P(req), P(rem)});
    s.call("__setitimer50", {I(0), P(itv), P(old)});
    s.call("__getitimer50", {I(0), P(old)});
    s.call("__gettimeofday50", {P(now), Z});
    // ___lwp_park60(clock, flags, ts, unpark, hint, unparkhint)
    s.call("___lwp_park60", {I(3), I(0), P(park), I(0), P(hint), P(hint)});
}

void netbsd_lwps(SyscallSeed& s) {
    u64 uc = s.zeros(s.arch() == Arch::i386 ? 776 : 1024);
    u64 lid = s.u32s({0});
    u64 hint = s.zeros(8);
    u64 tls = s.zeros(64);
    s.call("getcontext", {P(uc)});
    s.call("_lwp_self", {});
    s.call("_lwp_setprivate", {P(tls)});
    s.call("_lwp_getprivate", {});
    // A new LWP from the context just saved: it returns from getcontext too.
    s.call("_lwp_create", {P(uc), I(0x40), P(lid)}); // LWP_DETACHED
    s.call("_lwp_unpark", {I(2), P(hint)});
    s.call("sched_yield", {});
    s.call("setcontext", {P(uc)});
}

void netbsd_memory(SyscallSeed& s) {
    constexpr u64 kAt = 0x20000000;
    // mmap(addr, len, prot, MAP_FIXED|MAP_ANON|MAP_PRIVATE, fd, PAD, pos)
    std::vector<Arg> fixed{W(kAt), I(8192), I(3), I(0x1012), I(-1), I(0)};
    s.pair(fixed, 0);
    s.call("mmap", fixed);
    std::vector<Arg> anywhere{I(0), I(65536), I(0), I(0x1002), I(-1), I(0)};
    s.pair(anywhere, 0);
    s.call("mmap", anywhere);
    s.call("mprotect", {W(kAt), I(4096), I(1)});
    s.call("madvise", {W(kAt), I(4096), I(4)});
    s.call("munmap", {W(kAt + 4096), I(4096)});
}

void netbsd_kqueue(SyscallSeed& s) {
    u64 fds = s.u32s({0, 0});
    // struct kevent {ident, filter, flags, fflags, data (int64), udata}:
    // fd 4, EVFILT_READ, EV_ADD.
    std::string change;
    SyscallSeed::append(change, 4, s.word());
    SyscallSeed::append(change, 0, 4);
    SyscallSeed::append(change, 1, 4);
    SyscallSeed::append(change, 0, 4);
    if (s.arch() != Arch::i386)
        SyscallSeed::append(change, 0, 4); // data is 8-aligned
    SyscallSeed::append(change, 0, 8);
    SyscallSeed::append(change, 0x1234, s.word());
    u64 changes = s.bytes(change);
    u64 events = s.zeros(160);
    u64 zero = s.timespec(0, 0);
    u64 x = s.bytes("x");
    s.call("kqueue", {});            // 3
    s.call("pipe2", {P(fds), I(0)}); // 4, 5
    s.call("__kevent50", {I(3), P(changes), I(1), P(events), I(4), P(zero)});
    s.call("write", {I(5), P(x), I(1)});
    s.call("__kevent50", {I(3), Z, I(0), P(events), I(4), P(zero)});
    s.call("__kevent50", {I(3), Z, I(0), P(events), I(4), Z}); // blocks: no more events
}

void netbsd_process(SyscallSeed& s) {
    u64 name = s.u32s({6, 3}); // CTL_HW, HW_NCPU
    u64 ncpu = s.u32s({0});
    u64 length = s.words({4});
    u64 limit = s.zeros(16);
    u64 status = s.u32s({0});
    u64 rusage = s.zeros(160);
    u64 prog = s.str("/tmp/prog");
    u64 argv = s.words({s.data_at(prog), 0});
    s.call("__sysctl", {P(name), I(2), P(ncpu), P(length), Z, I(0)});
    s.call("getpid", {});
    s.call("getrlimit", {I(3), P(limit)}); // RLIMIT_STACK
    s.call("fork", {});
    s.call("__wait450", {I(-1), P(status), I(0), P(rusage)});
    s.call("execve", {P(prog), P(argv), Z});
}

struct Program {
    std::string_view topic;
    std::function<void(SyscallSeed&)> write;
    bool for_linux;
};

void write_file(const fs::path& path, const std::vector<u8>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out)
        fail("cannot write " + path.string());
}

void syscall_seeds(const fs::path& dir) {
    const std::vector<Program> programs = {
        {"files", linux_files, true},       {"paths", linux_paths, true},
        {"signals", linux_signals, true},   {"time", linux_time, true},
        {"exec", linux_exec, true},         {"memory", linux_memory, true},
        {"process", linux_process, true},   {"pipes", linux_pipes, true},
        {"tls", linux_tls, true},           {"files", netbsd_files, false},
        {"paths", netbsd_paths, false},     {"signals", netbsd_signals, false},
        {"time", netbsd_time, false},       {"lwps", netbsd_lwps, false},
        {"memory", netbsd_memory, false},   {"kqueue", netbsd_kqueue, false},
        {"process", netbsd_process, false},
    };
    fs::create_directories(dir);
    for (std::size_t target = 0; target < guest_targets().size(); ++target) {
        for (const Program& program : programs) {
            SyscallSeed seed(target);
            if (seed.netbsd() == program.for_linux)
                continue;
            program.write(seed);
            write_file(dir / fmt::format("seed-{}-{}", seed.target().name(), program.topic),
                       seed.encode());
        }
    }
}

// The frames the kernel writes: each variant's delivery, dumped from the
// guest's memory, as a delivered frame and as one no delivery made.
void sigreturn_seeds(const fs::path& dir) {
    fs::create_directories(dir);
    for (std::size_t i = 0; i < frame_variants().size(); ++i) {
        const FrameVariant& variant = frame_variants()[i];
        FrameGuest guest = boot_frame_guest(variant, true, 0);
        std::vector<u8> frame(guest.frame_end - guest.frame);
        if (!guest.kernel->main_process().memory().read(guest.frame, frame.data(), frame.size()))
            fail("the delivered frame is unreadable");
        for (bool delivered : {true, false}) {
            std::vector<u8> seed{static_cast<u8>(i | (delivered ? 8 : 0))};
            seed.insert(seed.end(), frame.begin(), frame.end());
            write_file(dir / fmt::format("seed-{}-{}", variant.name(),
                                         delivered ? "delivered" : "made-up"),
                       seed);
        }
    }
}

} // namespace
} // namespace crossrt::fuzz

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR (tests/fuzz/corpus)\n", argv[0]);
        return 2;
    }
    std::filesystem::path dir = argv[1];
    crossrt::fuzz::syscall_seeds(dir / "syscall");
    crossrt::fuzz::sigreturn_seeds(dir / "sigreturn");
    return 0;
}
