// Signal generation and delivery for a process: who a signal is pending on,
// which LWP a process-directed one wakes, the order they are taken in, the
// restart or EINTR of an interrupted call, and the frame that runs a
// handler (built by the personality), with the full CPU state kept until
// the handler returns.
#include "base/signals.h"
#include "kernel/kernel.h"
#include "kernel/posix/fifo.h"
#include "kernel/posix/signals.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {

bool Process::is_ignored(int signo) const {
    const SigAction& action = actions_[static_cast<std::size_t>(signo)];
    return action.handler == kSigIgn || (action.handler == kSigDfl && default_ignores(signo));
}

bool Process::on_altstack(const Lwp& lwp, u64 sp) const {
    return !lwp.altstack.disabled && sp > lwp.altstack.sp &&
           sp <= lwp.altstack.sp + lwp.altstack.size;
}

void Process::send_to_thread(Lwp& lwp, const SigInfo& info) {
    if (info.signo == sig::KILL) {
        kill_process(sig::KILL);
        return;
    }
    if (is_ignored(info.signo) && (lwp.sigmask & sigbit(info.signo)) == 0)
        return;
    lwp.pending |= sigbit(info.signo);
    lwp.pending_info[static_cast<std::size_t>(info.signo)] = info;
    wake_for_signal(lwp, info.signo);
}

void Process::send_to_process(const SigInfo& info) {
    if (info.signo == sig::KILL) {
        kill_process(sig::KILL);
        return;
    }
    u64 bit = sigbit(info.signo);
    bool blocked_everywhere = true;
    for (const auto& lwp : lwps_) {
        if (lwp->state != LwpState::exited && (lwp->sigmask & bit) == 0)
            blocked_everywhere = false;
    }
    if (is_ignored(info.signo) && !blocked_everywhere)
        return;
    shared_pending_ |= bit;
    shared_info_[static_cast<std::size_t>(info.signo)] = info;
    // The running LWP takes it when it can; else the first that does not
    // block it is woken.
    Lwp& running = current();
    if (running.process == this && running.state == LwpState::runnable &&
        (running.sigmask & bit) == 0)
        return;
    for (auto& lwp : lwps_) {
        if (lwp->state == LwpState::exited || (lwp->sigmask & bit) != 0)
            continue;
        wake_for_signal(*lwp, info.signo);
        return;
    }
}

void Process::wake_for_signal(Lwp& lwp, int signo) {
    if (lwp.state != LwpState::blocked || (lwp.sigmask & sigbit(signo)) != 0)
        return;
    if (lwp.wait.kind == WaitKind::none)
        return; // blocked in its creation, not in a wait
    trace().line(total_insns(), "lwp {} interrupted by {}", lwp.ordinal, signal_name(signo));
    Wait wait = lwp.wait;
    wake(lwp, -err::INTR);
    lwp.wait = wait; // kept for resume
    lwp.interrupted = true;
}

int Process::next_signal(const Lwp& lwp) const {
    u64 deliverable = (lwp.pending | shared_pending_) & (~lwp.sigmask | posix::kUnmaskable);
    if (deliverable == 0)
        return 0;
    // Synchronous faults first, as Linux does, then the lowest number.
    for (int signo : {sig::SEGV, sig::BUS, sig::ILL, sig::TRAP, sig::FPE, sig::SYS}) {
        if ((lwp.pending & deliverable & sigbit(signo)) != 0)
            return signo;
    }
    return __builtin_ctzll(deliverable) + 1;
}

SigInfo Process::take_signal(Lwp& lwp, int signo) {
    u64 bit = sigbit(signo);
    auto index = static_cast<std::size_t>(signo);
    if ((lwp.pending & bit) != 0) {
        lwp.pending &= ~bit;
        return lwp.pending_info[index];
    }
    shared_pending_ &= ~bit;
    return shared_info_[index];
}

void Process::resume(Lwp& lwp) {
    if (lwp.call_again) {
        lwp.call_again = false;
        personality_->rewind_syscall(*this, lwp.syscall);
        trace().line(total_insns(), "lwp {}: {} runs again", lwp.ordinal, lwp.syscall_name);
    }
    if (lwp.resume_result) {
        set_syscall_result(*lwp.resume_result);
        trace().line(total_insns(), "lwp {}: {} returns {}", lwp.ordinal, lwp.syscall_name,
                     *lwp.resume_result);
        lwp.resume_result.reset();
    }
    if (!lwp.interrupted)
        return;
    lwp.interrupted = false;
    // A FIFO open a signal ended, whether it fails or starts again, is
    // no end of the FIFO any more.
    if (lwp.wait.kind == WaitKind::fifo_open)
        posix::abandon_fifo_open(*this, lwp.wait);
    // A write that put some bytes in before the signal returns their count
    // (never restarted: they would go in twice).
    if (lwp.wait.kind == WaitKind::pipe_write && lwp.wait.sequence > 0) {
        set_syscall_result(static_cast<i64>(lwp.wait.sequence));
        trace().line(total_insns(), "lwp {}: {} returns {} (interrupted)", lwp.ordinal,
                     lwp.syscall_name, lwp.wait.sequence);
        lwp.wait = Wait{};
        return;
    }
    int signo = next_signal(lwp);
    const SigAction* caught = signo != 0 && action(signo).catches() ? &action(signo) : nullptr;
    if (caught != nullptr && !(lwp.wait.restartable && (caught->flags & kSaRestart) != 0)) {
        set_syscall_result(-err::INTR); // EINTR is 4 on Linux and NetBSD
        if (lwp.wait.kind == WaitKind::sleep && lwp.wait.remaining_out != 0 && lwp.wait.deadline) {
            u64 left = *lwp.wait.deadline > now_ns() ? *lwp.wait.deadline - now_ns() : 0;
            write_word(lwp.wait.remaining_out, left / kNsPerSecond);
            write_word(lwp.wait.remaining_out + static_cast<u64>(word_size()), left % kNsPerSecond);
        }
        trace().line(total_insns(), "lwp {}: {} returns -EINTR", lwp.ordinal, lwp.syscall_name);
    } else {
        personality_->rewind_syscall(*this, lwp.syscall);
        trace().line(total_insns(), "lwp {}: {} restarts", lwp.ordinal, lwp.syscall_name);
    }
    lwp.wait = Wait{};
}

void Process::deliver_signals(Lwp& lwp) {
    while (!ended() && lwp.state == LwpState::runnable) {
        int signo = next_signal(lwp);
        if (signo == 0)
            return;
        if (kernel_.signal_watch()) {
            kernel_.signal_watch()(lwp, signo);
            if (ended())
                return;
        }
        SigInfo info = take_signal(lwp, signo);
        SigAction& taken = action(signo);
        if (taken.handler == kSigIgn)
            continue;
        if (taken.handler == kSigDfl) {
            if (default_ignores(signo))
                continue;
            trace().line(total_insns(), "lwp {}: {} kills the process at pc {:#x}", lwp.ordinal,
                         signal_name(signo), cpu_->pc(uc_));
            if (timeline().enabled())
                timeline().mark(lwp, fmt::format("{} kills the process", signal_name(signo)),
                                now_ns(), {{"pc", fmt::format("{:#x}", cpu_->pc(uc_))}});
            kill_process(signo);
            return;
        }
        push_frame(lwp, signo, info, taken);
        return; // one frame per return to user mode; the next after sigreturn
    }
}

bool Process::push_frame(Lwp& lwp, int signo, const SigInfo& info, SigAction& taken) {
    SignalDelivery delivery;
    delivery.signo = signo;
    delivery.info = info;
    delivery.handler = taken.handler;
    delivery.flags = taken.flags;
    delivery.restorer = taken.restorer;
    delivery.old_mask = lwp.sigmask;
    delivery.altstack = lwp.altstack;
    u64 sp = cpu_->sp(uc_);
    delivery.on_altstack = on_altstack(lwp, sp);
    delivery.sp = sp;
    if ((taken.flags & kSaOnstack) != 0 && !lwp.altstack.disabled && !delivery.on_altstack)
        delivery.sp = lwp.altstack.sp + lwp.altstack.size;
    u64 pc = cpu_->pc(uc_);
    std::string error;
    std::optional<CpuState> saved = CpuState::allocate(uc_, error);
    if (!saved || !saved->save(uc_, error)) {
        end_run(EndKind::error, 0,
                fmt::format("lwp {}: cannot keep the state interrupted by {}: {}", lwp.ordinal,
                            signal_name(signo), error));
        return false;
    }
    // The key setcontext / sigreturn presents the frame by.
    u64 frame = personality_->push_signal_frame(*this, lwp, delivery, taken);
    if (frame == 0) {
        trace().line(total_insns(), "lwp {}: cannot write the frame for {}: SIGSEGV", lwp.ordinal,
                     signal_name(signo));
        kill_process(sig::SEGV);
        return false;
    }
    // Copies kept for frames this one was written over are dead: their
    // handlers left without returning (a longjmp, or an altstack reused).
    lwp.signal_contexts.drop_overwritten(cpu_->sp(uc_), delivery.sp);
    if (!lwp.signal_contexts.push(frame, std::move(*saved))) {
        end_run(EndKind::error, 0,
                fmt::format("lwp {}: {} nested signal frames are pending sigreturn, the kernel's "
                            "limit; {} at pc {:#x} is refused",
                            lwp.ordinal, SignalContexts::kLimit, signal_name(signo), pc));
        return false;
    }
    lwp.sigmask |= taken.mask;
    if ((taken.flags & kSaNodefer) == 0)
        lwp.sigmask |= sigbit(signo);
    lwp.sigmask &= ~posix::kUnmaskable;
    if ((taken.flags & kSaResethand) != 0)
        taken = SigAction{};
    trace().line(total_insns(),
                 "signal {} -> lwp {} at pc {:#x} sp {:#x}: handler {:#x} frame "
                 "{:#x}",
                 signal_name(signo), lwp.ordinal, pc, sp, delivery.handler, frame);
    if (timeline().enabled())
        timeline().mark(lwp, fmt::format("signal {}", signal_name(signo)), now_ns(),
                        {{"pc", fmt::format("{:#x}", pc)},
                         {"handler", fmt::format("{:#x}", delivery.handler)},
                         {"si_code", std::to_string(info.code)}});
    return true;
}

bool Process::restore_signal_context(Lwp& lwp, u64 frame) {
    std::optional<CpuState> saved = lwp.signal_contexts.take(frame);
    if (!saved)
        return false;
    std::string error;
    if (!saved->restore(uc_, error)) {
        end_run(EndKind::error, 0,
                fmt::format("lwp {}: cannot restore the state saved at delivery: {}", lwp.ordinal,
                            error));
        return false;
    }
    return true;
}

void Process::fire_timers() {
    const int timer_signals[3] = {sig::ALRM, sig::VTALRM, sig::PROF};
    for (std::size_t which = 0; which < itimers_.size(); ++which) {
        ITimer& timer = itimers_[which];
        u64 now = which == kItimerReal ? now_ns() : cpu_ns();
        if (!timer.next || *timer.next > now)
            continue;
        if (timer.interval_ns != 0) {
            // The first expiry after now, computed: stepped to one period
            // at a time, a 1 us timer the virtual clock had jumped years
            // past (to a sleeper's deadline) took billions of steps, and a
            // period near 2^64 ns wrapped around and never got past now.
            // The periods missed make one signal, as on Linux.
            u64 periods = (now - *timer.next) / timer.interval_ns + 1;
            timer.next = saturating_add(*timer.next, saturating_mul(periods, timer.interval_ns));
        } else {
            timer.next.reset();
        }
        trace().line(total_insns(), "timer {} fires", signal_name(timer_signals[which]));
        send_to_process(SigInfo{timer_signals[which], kSiKernel, 0, 0, 0});
    }
}

} // namespace crossrt::kernel
