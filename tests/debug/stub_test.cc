// The stub's packets (debug/stub.h) on a fake target: what gdb asks and
// what it is told, without gdb or a kernel.
#include "debug/rsp.h"
#include "debug/stub.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <map>

namespace crossrt::debug {
namespace {

class FakeTarget : public DebugTarget {
public:
    explicit FakeTarget(const char* arch) : description_(*find_description(arch)) {}
    const TargetDescription& description() const override { return description_; }
    std::string osabi() const override { return ""; }
    std::vector<ThreadInfo> threads() override {
        return {{{0x64, 1}, "lwp 1"}, {{0x64, 2}, "lwp <2>"}};
    }
    ThreadId current_thread() override { return {0x64, 1}; }
    std::optional<std::string> read_register(ThreadId thread, const RegisterInfo& reg) override {
        // Each register's bytes: its number, then the thread's lwp.
        std::string bytes(static_cast<std::size_t>(reg.bits / 8), '\0');
        bytes[0] = static_cast<char>(reg.regnum);
        if (bytes.size() > 1)
            bytes[1] = static_cast<char>(thread.lwp);
        return bytes;
    }
    bool write_register(ThreadId thread, const RegisterInfo& reg, std::string_view bytes) override {
        written[{thread.lwp, reg.regnum}] = std::string(bytes);
        return true;
    }
    bool read_memory(int, std::uint64_t address, std::size_t length, std::string& bytes) override {
        if (address < 0x1000)
            return false;
        bytes.assign(length, 'A');
        return true;
    }
    bool write_memory(int, std::uint64_t address, std::string_view bytes) override {
        memory_written = {address, std::string(bytes)};
        return true;
    }
    bool insert_point(PointKind kind, std::uint64_t address, std::uint64_t length) override {
        points.push_back({kind, address, length});
        return kind != PointKind::hardware;
    }
    bool remove_point(PointKind, std::uint64_t, std::uint64_t) override { return true; }
    void catch_syscalls(bool on, std::vector<std::uint64_t> numbers) override {
        catching = on;
        caught = std::move(numbers);
    }
    void pass_signals(std::vector<int>) override {}
    StopEvent resume(const Resume& resume) override {
        resumes.push_back(resume);
        return next_stop;
    }
    std::string monitor(std::string_view command) override {
        return command == "seed" ? "seed 7" : "error: unknown";
    }

    struct Point {
        PointKind kind;
        std::uint64_t address;
        std::uint64_t length;
    };
    std::vector<Point> points;
    std::vector<Resume> resumes;
    std::map<std::pair<int, int>, std::string> written;
    std::pair<std::uint64_t, std::string> memory_written;
    bool catching = false;
    std::vector<std::uint64_t> caught;
    StopEvent next_stop;

private:
    const TargetDescription& description_;
};

std::string to_hex_number(std::size_t value) {
    char text[32];
    std::snprintf(text, sizeof text, "%zx", value);
    return text;
}

struct Session {
    explicit Session(const char* arch = "amd64") : target(arch), stub(target) {}
    std::string ask(std::string_view packet) {
        console.clear();
        return stub.handle(packet, console);
    }
    FakeTarget target;
    Stub stub;
    std::vector<std::string> console;
};

TEST(Stub, SupportedFeaturesIncludeTheDescriptionThreadsReverseAndSyscalls) {
    Session session;
    std::string reply = session.ask("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
    for (const char* feature : {"qXfer:features:read+", "qXfer:threads:read+", "multiprocess+",
                                "ReverseStep+", "ReverseContinue+", "QCatchSyscalls+"})
        EXPECT_NE(reply.find(feature), std::string::npos) << feature << " in " << reply;
    EXPECT_EQ(session.ask("QStartNoAckMode"), "OK");
    EXPECT_TRUE(session.stub.no_ack());
}

TEST(Stub, TheTargetDescriptionComesInPiecesWithTheLastMarked) {
    Session session;
    std::string whole = find_description("amd64")->xml("");
    std::string first = session.ask("qXfer:features:read:target.xml:0,64"); // hex: 100 bytes
    ASSERT_EQ(first.front(), 'm');
    EXPECT_EQ(first.substr(1), whole.substr(0, 100));
    std::string rest =
        session.ask("qXfer:features:read:target.xml:64," + to_hex_number(whole.size()));
    ASSERT_EQ(rest.front(), 'l');
    EXPECT_EQ(first.substr(1) + rest.substr(1), whole);
    EXPECT_EQ(session.ask("qXfer:features:read:other.xml:0,100"), "E00");
}

TEST(Stub, RegistersGoInGdbsNumberOrderAndArmsCpsrFollowsPc) {
    Session session("arm");
    std::string g = session.ask("g");
    // r0..r15 (4 bytes each), then cpsr (regnum 25), then d0.. (8 bytes).
    ASSERT_GE(g.size(), 17u * 8);
    EXPECT_EQ(g.substr(0, 8), "00010000");               // r0 of lwp 1
    EXPECT_EQ(g.substr(15 * 8, 8), "0f010000");          // pc
    EXPECT_EQ(g.substr(16 * 8, 8), "19010000");          // cpsr, gdb's 25
    EXPECT_EQ(g.substr(17 * 8, 16), "1a01000000000000"); // d0, gdb's 26
    EXPECT_EQ(session.ask("Hgp64.2"), "OK");
    EXPECT_EQ(session.ask("p19"), "19020000"); // cpsr of lwp 2
    EXPECT_EQ(session.ask("P0=78563412"), "OK");
    EXPECT_EQ((session.target.written[{2, 0}]), std::string("\x78\x56\x34\x12", 4));
    EXPECT_EQ(session.ask("p10"), "E01"); // 16: no such register any more
}

TEST(Stub, ThreadsAreListedWithTheirNamesAndMultiprocessIds) {
    Session session;
    EXPECT_EQ(session.ask("qfThreadInfo"), "mp64.1,p64.2");
    EXPECT_EQ(session.ask("qsThreadInfo"), "l");
    EXPECT_EQ(session.ask("qC"), "QCp64.1");
    std::string threads = session.ask("qXfer:threads:read::0,1000");
    EXPECT_NE(threads.find("<thread id=\"p64.2\" name=\"lwp &lt;2&gt;\"/>"), std::string::npos)
        << threads;
    EXPECT_EQ(session.ask("Tp64.2"), "OK");
    EXPECT_EQ(session.ask("Tp64.9"), "E01");
}

TEST(Stub, MemoryReadsWritesAndFaults) {
    Session session;
    EXPECT_EQ(session.ask("m2000,3"), "414141");
    EXPECT_EQ(session.ask("m10,3"), "E0e");
    EXPECT_EQ(session.ask("M2000,2:beef"), "OK");
    EXPECT_EQ(session.target.memory_written.first, 0x2000u);
    EXPECT_EQ(session.target.memory_written.second, "\xbe\xef");
}

TEST(Stub, BreakpointsAndWatchpointsReachTheTargetAndUnsupportedOnesSaySo) {
    Session session;
    EXPECT_EQ(session.ask("Z0,402860,1"), "OK");
    EXPECT_EQ(session.ask("Z2,4060d0,8"), "OK");
    EXPECT_EQ(session.ask("Z1,1000,1"), ""); // the fake refuses hardware breakpoints
    ASSERT_EQ(session.target.points.size(), 3u);
    EXPECT_EQ(session.target.points[1].kind, PointKind::write);
    EXPECT_EQ(session.target.points[1].address, 0x4060d0u);
    EXPECT_EQ(session.target.points[1].length, 8u);
}

TEST(Stub, StepsContinuesAndReverseOnesResumeTheRightThread) {
    Session session;
    session.ask("vCont;s:p64.2;c");
    session.ask("bs");
    EXPECT_EQ(session.ask("Hcp64.2"), "OK");
    session.ask("bc");
    session.ask("vCont;C1e:p64.1");
    auto& resumes = session.target.resumes;
    ASSERT_EQ(resumes.size(), 4u);
    EXPECT_TRUE(resumes[0].step && !resumes[0].backwards);
    EXPECT_EQ(resumes[0].thread, (ThreadId{0x64, 2}));
    EXPECT_TRUE(resumes[1].step && resumes[1].backwards);
    EXPECT_TRUE(!resumes[2].step && resumes[2].backwards);
    EXPECT_EQ(resumes[2].thread, (ThreadId{0x64, 2}));
    EXPECT_EQ(resumes[3].signal_name, "SIGUSR1"); // gdb's 30
}

TEST(Stub, StopRepliesSayWhatStoppedTheRun) {
    StopEvent stop;
    stop.thread = {0x64, 2};
    EXPECT_EQ(Stub::stop_reply(stop), "T05thread:p64.2;");
    stop.kind = StopEvent::Kind::signal;
    stop.signal_name = "SIGSEGV";
    EXPECT_EQ(Stub::stop_reply(stop), "T0bthread:p64.2;");
    stop.kind = StopEvent::Kind::watch;
    stop.watch = PointKind::read;
    stop.address = 0x4060d0;
    EXPECT_EQ(Stub::stop_reply(stop), "T05rwatch:4060d0;thread:p64.2;");
    stop.kind = StopEvent::Kind::syscall_entry;
    stop.number = 0x3c;
    EXPECT_EQ(Stub::stop_reply(stop), "T05syscall_entry:3c;thread:p64.2;");
    stop.kind = StopEvent::Kind::history_begin;
    EXPECT_EQ(Stub::stop_reply(stop), "T05replaylog:begin;thread:p64.2;");
    stop.kind = StopEvent::Kind::exited;
    stop.status = 3;
    EXPECT_EQ(Stub::stop_reply(stop), "W03;process:64");
    stop.kind = StopEvent::Kind::killed;
    stop.signal_name = "SIGUSR1";
    EXPECT_EQ(Stub::stop_reply(stop), "X1e;process:64");
}

TEST(Stub, MonitorOutputGoesToGdbsConsole) {
    Session session;
    EXPECT_EQ(session.ask("qRcmd," + to_hex(std::string("seed"))), "OK");
    ASSERT_EQ(session.console.size(), 1u);
    EXPECT_EQ(session.console[0], "O" + to_hex(std::string("seed 7\n")));
    EXPECT_EQ(session.ask("qRcmd," + to_hex(std::string("nonsense"))), "E01");
}

TEST(Stub, CatchSyscallsTakesAllOrTheNumbersGiven) {
    Session session;
    EXPECT_EQ(session.ask("QCatchSyscalls:1;1;3c"), "OK");
    EXPECT_TRUE(session.target.catching);
    EXPECT_EQ(session.target.caught, (std::vector<std::uint64_t>{1, 0x3c}));
    EXPECT_EQ(session.ask("QCatchSyscalls:0"), "OK");
    EXPECT_FALSE(session.target.catching);
}

TEST(Stub, UnknownPacketsGetTheEmptyReply) {
    Session session;
    EXPECT_EQ(session.ask("qTStatus"), "");
    EXPECT_EQ(session.ask("vMustReplyEmpty"), "");
}

TEST(TargetDescription, EachArchHasTheRegistersGdbLooksFor) {
    std::string amd64 = find_description("amd64")->xml("");
    for (const char* needed :
         {"<architecture>i386:x86-64</architecture>", "org.gnu.gdb.i386.core",
          "org.gnu.gdb.i386.sse", "name=\"rip\"", "name=\"st7\"", "name=\"fop\"", "name=\"xmm15\"",
          "name=\"mxcsr\"", "name=\"fs_base\""})
        EXPECT_NE(amd64.find(needed), std::string::npos) << needed;
    std::string i386 = find_description("386")->xml("");
    EXPECT_NE(i386.find("name=\"eip\" bitsize=\"32\""), std::string::npos);
    EXPECT_EQ(i386.find("xmm8"), std::string::npos);
    std::string arm = find_description("arm")->xml("");
    for (const char* needed : {"org.gnu.gdb.arm.core", "org.gnu.gdb.arm.vfp",
                               "name=\"cpsr\" bitsize=\"32\" type=\"int\" regnum=\"25\"",
                               "name=\"d31\"", "name=\"fpscr\""})
        EXPECT_NE(arm.find(needed), std::string::npos) << needed;
    EXPECT_EQ(find_description("mips"), nullptr);
}

} // namespace
} // namespace crossrt::debug
