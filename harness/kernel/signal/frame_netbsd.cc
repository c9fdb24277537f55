#include "kernel/signal/frame_netbsd.h"

#include "kernel/abi/netbsd_common.h"
#include "kernel/process.h"

#include <cstring>
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

bool write_netbsd_signal_context(Process& process, Lwp& lwp, const NetbsdAbi& abi,
                                 const NetbsdFrame& frame, u64 si, u64 ucp) {
    UcontextHeader header;
    header.flags = nb_uc::kSigmask | nb_uc::kCpu | nb_uc::kTlsBase;
    std::memcpy(header.sigmask, frame.sigmask, sizeof header.sigmask);
    header.ss_sp = frame.altstack_sp;
    header.ss_size = frame.altstack_size;
    header.ss_flags = frame.altstack_flags;
    return write_netbsd_siginfo(process, si, frame) &&
           write_ucontext_header(process, abi.layout(), ucp, header) &&
           abi.save_mcontext(process, lwp, ucp, false);
}

} // namespace crossrt::kernel
