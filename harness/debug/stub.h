// The GDB remote serial protocol's commands (gdb's manual, "Remote
// Protocol": Packets, Stop Reply Packets, General Query Packets) on a
// DebugTarget: a packet's payload in, the reply's payload out. No I/O
// here; serve() (server.h) moves the bytes.
#pragma once

#include "debug/target.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::debug {

// gdb's own signal numbers (gdb/signals.def), which the protocol uses:
// they are not any OS's. 0 for a name gdb does not know.
int gdb_signal_number(std::string_view name);
std::string gdb_signal_name(int number); // "" when unknown

class Stub {
public:
    explicit Stub(DebugTarget& target) : target_(target) {}

    // The reply to one packet. `console` receives text gdb shows (the
    // 'O' packets a monitor command's output goes in), already framed as
    // payloads. `interrupted` tells a resume that gdb sent ^C.
    std::string handle(std::string_view packet, std::vector<std::string>& console);
    void set_interrupt_check(std::function<bool()> check) { interrupted_ = std::move(check); }
    bool no_ack() const { return no_ack_; }
    // gdb said k or D: the connection ends after this reply.
    bool finished() const { return finished_; }
    // D: the program runs on to its end without the debugger.
    bool detached() const { return detached_; }

    static std::string stop_reply(const StopEvent& stop);

private:
    std::string dispatch(std::string_view packet, std::vector<std::string>& console);
    std::string query(std::string_view packet, std::vector<std::string>& console);
    std::string resume(const Resume& resume);
    std::string vcont(std::string_view actions);
    std::string registers();
    std::string write_registers(std::string_view hex);
    std::string point(std::string_view packet, bool insert);
    std::string transfer(std::string_view annex, std::string_view range,
                         const std::string& document);
    ThreadId general_thread();
    std::optional<ThreadId> parse_thread(std::string_view text);

    DebugTarget& target_;
    std::function<bool()> interrupted_;
    std::optional<ThreadId> general_;  // Hg; unset: the current thread
    std::optional<ThreadId> continue_; // Hc: the thread a step steps
    std::optional<StopEvent> last_stop_;
    bool no_ack_ = false;
    bool finished_ = false;
    bool detached_ = false;
    bool exited_ = false;
    std::size_t thread_cursor_ = 0;
    bool resumed_ = false; // the packet being handled ran the program
};

} // namespace crossrt::debug
