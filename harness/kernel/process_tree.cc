// Processes: fork (a new engine with a copy of the address space and the
// caller's registers), execve (a new image in the same process), and the
// end of a process that is not the first: a zombie until its parent
// reaps it, SIGCHLD and the wake-up of a parent waiting for it. Every
// process's LWPs are scheduled together by the kernel's one seeded
// scheduler, so a run with several processes repeats as one with threads.
#include "kernel/kernel.h"
#include "kernel/posix/fd.h"
#include "kernel/posix/poll.h"
#include "kernel/process.h"

#include <fmt/format.h>

namespace crossrt::kernel {
namespace {

std::size_t unreaped(const Kernel& kernel) {
    std::size_t count = 0;
    for (const auto& process : kernel.processes())
        count += process->alive() || process->zombie();
    return count;
}

constexpr int kInit = 1; // an orphan's parent, outside the run

constexpr int kCldExited = 1; // SIGCHLD's si_code
constexpr int kCldKilled = 2;

} // namespace

bool Process::initial() const {
    return parent_pid_ == 0;
}

Process* Process::fork(Lwp& caller, ChildRegisters child_registers, u64 stack, i64& error) {
    if (unreaped(kernel_) >= static_cast<std::size_t>(kMaxProcesses) ||
        kernel_.live_lwps() >= static_cast<std::size_t>(kMaxLwps)) {
        error = -err::AGAIN;
        return nullptr;
    }
    std::unique_ptr<Cpu> cpu = make_cpu(cpu_->arch());
    std::unique_ptr<Personality> personality = make_personality(image_.os, *cpu);
    if (!cpu || !personality) {
        error = -err::NOMEM;
        return nullptr;
    }
    int pid = kernel_.allocate_id();
    auto owned =
        std::make_unique<Process>(kernel_, pid, image_, std::move(cpu), std::move(personality));
    Process& child = *owned;
    child.parent_pid_ = pid_;
    std::string why;
    if (!child.start_engine(why)) {
        error = -err::NOMEM;
        return nullptr;
    }
    // The whole address space, the kernel's pages (GDTs, LDT, kuser
    // helpers) with it, at the same addresses: the caller's registers
    // mean the same there.
    if (i64 copied = memory_->copy_into(*child.memory_); copied < 0) {
        error = copied;
        return nullptr;
    }
    std::optional<CpuState> registers = CpuState::allocate(uc_, why);
    std::optional<CpuState> child_state = CpuState::allocate(child.uc_, why);
    // An engine's context is its CPU's state, which another engine of the
    // same arch and mode takes as it is.
    if (!registers || !child_state || !registers->save(uc_, why) ||
        !registers->restore(child.uc_, why)) {
        error = -err::NOMEM;
        return nullptr;
    }
    child_registers(child, stack);
    if (!child.add_hooks(why) || !child_state->save(child.uc_, why)) {
        error = -err::NOMEM;
        return nullptr;
    }
    auto lwp = std::make_unique<Lwp>(child, std::move(*child_state));
    lwp->ordinal = child.next_ordinal_++;
    lwp->tid = child.new_tid(lwp->ordinal);
    lwp->sigmask = caller.sigmask;
    lwp->affinity = caller.affinity;
    lwp->altstack = caller.altstack;
    lwp->gdt_base = caller.gdt_base;
    lwp->private_base = caller.private_base;
    lwp->syscall_name = caller.syscall_name;
    child.lwps_.push_back(std::move(lwp));
    // What the child shares or copies: the open files (one description
    // each, as dup; a kqueue is not inherited, as BSD kernels never copy
    // one into a child), the signal actions, the cwd and umask. Pending
    // signals and interval timers are the parent's own.
    child.files_.open.clear();
    for (const auto& [fd, file] : files_.open) {
        if (file.kind != posix::FileKind::kqueue)
            child.files_.open[fd] = posix::share(file);
    }
    child.actions_ = actions_;
    child.cwd_ = cwd_;
    child.exe_path_ = exe_path_;
    child.argv_ = argv_;
    child.umask_ = umask_;
    child.random_bytes_ = random_bytes_;
    child.boot_entry_ = boot_entry_;
    child.boot_sp_ = boot_sp_;
    trace().line(total_insns(), "fork: pid {} from pid {} lwp {}", pid, pid_, caller.ordinal);
    return &kernel_.add_process(std::move(owned));
}

void Process::become_zombie(bool signaled, int status) {
    if (!alive())
        return;
    for (auto& lwp : lwps_)
        lwp->state = LwpState::exited;
    life_ = Life::zombie;
    end_ = ChildEnd{pid_, signaled, status};
    // Its interval timers die with it: a zombie's ITIMER_REAL must not
    // keep the run from idling into a deadlock verdict.
    itimers_ = {};
    trace().line(total_insns(), "pid {} ends: {} {}", pid_, signaled ? "signal" : "exit", status);
    // Its files close: a pipe's other end sees EOF (or EPIPE) now.
    std::vector<int> fds;
    for (const auto& [fd, file] : files_.open)
        fds.push_back(fd);
    for (int fd : fds)
        posix::close(*this, static_cast<u64>(fd));
    // Orphans go to init, outside the run: nobody reaps them but the kernel.
    for (const auto& process : kernel_.processes()) {
        if (process->parent_pid_ == pid_) {
            process->parent_pid_ = kInit;
            if (process->zombie())
                process->reap();
        }
    }
    Process* parent = kernel_.find_process(parent_pid_);
    if (parent == nullptr || !parent->alive()) {
        reap();
        return;
    }
    // A parent that ignores SIGCHLD explicitly has its children reaped at once.
    if (parent->action(sig::CHLD).handler == kSigIgn) {
        reap();
        return;
    }
    // A parent waiting for this child takes its end now.
    for (const auto& lwp : parent->lwps()) {
        Wait& wait = lwp->wait;
        if (lwp->state != LwpState::blocked || wait.kind != WaitKind::child ||
            (wait.child > 0 && wait.child != pid_))
            continue;
        i64 result = wait.write_child(*parent, wait, end_);
        if (result >= 0 && !wait.keep_child)
            reap();
        trace().line(total_insns(), "lwp {} of pid {} wakes: child {} ended", lwp->ordinal,
                     parent->pid_, pid_);
        parent->wake(*lwp, result);
        break;
    }
    SigInfo info{sig::CHLD, signaled ? kCldKilled : kCldExited, 0, pid_, 0};
    info.status = status;
    parent->send_to_process(info);
}

void Process::close_engine() {
    // What the engine's hooks knew goes with it.
    blocks_.reset();
    to_hook_.clear();
    step_through_.reset();
    stepping_hook_ = 0;
    block_ = nullptr;
    memory_.reset();
    if (uc_ != nullptr)
        uc_close(uc_);
    uc_ = nullptr;
}

void Process::release_engine() {
    if (alive() || uc_ == nullptr)
        return;
    for (auto& lwp : lwps_) {
        lwp->cpu.release();
        lwp->signal_contexts = SignalContexts{};
    }
    close_engine();
    trace().line(total_insns(), "pid {} releases its engine", pid_);
}

i64 Process::exec(Lwp& caller, ElfImage image, const std::vector<std::string>& argv,
                  const std::vector<std::string>& envp) {
    // The point of no return: the old image goes, with every other LWP.
    trace().line(total_insns(), "execve: pid {} runs {}", pid_, image.path);
    for (auto& lwp : lwps_) {
        if (lwp.get() != &caller)
            lwp->state = LwpState::exited;
    }
    exe_path_ = image.path;
    image_ = std::move(image);
    close_engine();
    std::string why;
    bool started = start_engine(why) && cpu_->init_cpu(*this, why) &&
                   personality_->init_process(*this, why) && start_program(argv, envp, why);
    std::optional<CpuState> state =
        started ? CpuState::allocate(uc_, why) : std::optional<CpuState>{};
    if (!state || !state->save(uc_, why)) {
        note(fmt::format("execve of {}: {}", image_.path, why));
        caller.state = LwpState::exited;
        kill_process(sig::KILL);
        return -err::NOEXEC;
    }
    caller.cpu = std::move(*state);
    caller.signal_contexts = SignalContexts{};
    caller.altstack = AltStack{};
    caller.clear_child_tid = 0;
    // On Linux the execing thread becomes the main one, with the pid.
    if (personality_->tids_are_pids())
        caller.tid = pid_;
    // Caught signals go back to their default; ignored ones stay ignored.
    for (SigAction& action : actions_) {
        if (action.handler != kSigIgn)
            action = SigAction{};
    }
    std::vector<int> cloexec;
    for (const auto& [fd, file] : files_.open) {
        if (file.cloexec)
            cloexec.push_back(fd);
    }
    for (int fd : cloexec)
        posix::close(*this, static_cast<u64>(fd));
    apply_seed();
    return 0;
}

} // namespace crossrt::kernel
