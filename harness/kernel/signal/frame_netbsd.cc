#include "kernel/signal/frame_netbsd.h"

#include "kernel/process.h"

#include <vector>

namespace crossrt::kernel {

bool write_netbsd_siginfo(Process& machine, u64 at, const NetbsdFrame& frame) {
    std::vector<u8> zero(128, 0);
    AddressSpace& memory = machine.memory();
    if (!memory.write(at, zero.data(), zero.size()))
        return false;
    u64 reason = machine.word_size() == 8 ? 16 : 12;
    bool ok = memory.write_value(at, static_cast<i32>(frame.signo)) &&
              memory.write_value(at + 4, static_cast<i32>(frame.code)) &&
              memory.write_value(at + 8, static_cast<i32>(frame.errno_value));
    if (frame.code > 0) { // a fault: si_addr, si_trap
        ok = ok && machine.write_word(at + reason, frame.addr);
    } else {
        ok = ok && memory.write_value(at + reason, static_cast<i32>(frame.pid)) &&
             memory.write_value(at + reason + 4, static_cast<i32>(frame.uid));
    }
    return ok;
}

} // namespace crossrt::kernel
