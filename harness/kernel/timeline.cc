#include "kernel/timeline.h"

#include "kernel/lwp.h"
#include "kernel/process.h"

#include <filesystem>
#include <fmt/format.h>

namespace crossrt::kernel {

namespace {

std::string_view wait_name(WaitKind kind) {
    switch (kind) {
    case WaitKind::none:
        return "created"; // built by its creator, not yet started
    case WaitKind::futex:
        return "futex";
    case WaitKind::sleep:
        return "sleep";
    case WaitKind::pause:
        return "pause";
    case WaitKind::epoll:
        return "epoll";
    case WaitKind::pipe_read:
        return "pipe read";
    case WaitKind::pipe_write:
        return "pipe write";
    case WaitKind::lwp_park:
        return "lwp_park";
    case WaitKind::kevent:
        return "kevent";
    case WaitKind::child:
        return "child";
    case WaitKind::fifo_open:
        return "fifo open";
    case WaitKind::socket:
        return "socket";
    case WaitKind::poll:
        return "poll";
    }
    return "?";
}

// The span an LWP is in, by name, with what it waits for.
std::string state_of(const Lwp& lwp, const Lwp* running, TraceArgs& args) {
    args.clear();
    switch (lwp.state) {
    case LwpState::exited:
        return "";
    case LwpState::runnable:
        return &lwp == running ? "running" : "runnable";
    case LwpState::blocked:
        break;
    }
    if (!lwp.syscall_name.empty())
        args.emplace_back("syscall", lwp.syscall_name);
    if (lwp.wait.kind == WaitKind::futex || lwp.wait.kind == WaitKind::lwp_park)
        args.emplace_back("address", fmt::format("{:#x}", lwp.wait.address));
    if (lwp.wait.fd >= 0)
        args.emplace_back("fd", static_cast<u64>(lwp.wait.fd));
    if (lwp.wait.deadline)
        args.emplace_back("deadline_ns", *lwp.wait.deadline);
    return fmt::format("blocked: {}", wait_name(lwp.wait.kind));
}

} // namespace

bool Timeline::open(const std::string& path) {
    tracks_.clear();
    process_names_.clear();
    return writer_.open(path);
}

void Timeline::end_span(Track& track, u64 now) {
    // A state left at the instant it was entered shows nothing: no span.
    if (!track.state.empty() && now > track.since)
        writer_.complete(track.pid, track.tid, track.state, track.since, now, track.args);
    track.state.clear();
}

void Timeline::observe(const std::vector<std::unique_ptr<Process>>& processes, const Lwp* running,
                       u64 now) {
    if (!enabled())
        return;
    for (const auto& process : processes) {
        int pid = process->pid();
        auto [named, fresh] = process_names_.try_emplace(pid, process->exe_path());
        if (fresh || named->second != process->exe_path()) { // new, or after an execve
            named->second = process->exe_path();
            std::string program = std::filesystem::path(named->second).filename().string();
            writer_.process_name(pid, fmt::format("{} (pid {})", program, pid));
        }
        for (const auto& lwp : process->lwps()) {
            auto [entry, created] = tracks_.try_emplace(Key{pid, lwp->ordinal});
            Track& track = entry->second;
            if (created) {
                if (lwp->state == LwpState::exited)
                    continue; // made and gone between two looks: nothing ran
                track.pid = pid;
                track.tid = lwp->tid;
                writer_.thread_name(pid, lwp->tid, fmt::format("lwp {}", lwp->ordinal),
                                    lwp->ordinal);
            }
            TraceArgs args;
            std::string state = state_of(*lwp, running, args);
            if (state == track.state && args == track.args)
                continue;
            end_span(track, now);
            track.state = std::move(state);
            track.args = std::move(args);
            track.since = now;
        }
    }
}

void Timeline::scheduled(const Lwp& lwp, u64 length, u64 now) {
    mark(lwp, "scheduled", now, {{"slice_insns", length}});
}

void Timeline::syscall(const Lwp& lwp, u64 now) {
    if (enabled())
        writer_.complete(lwp.process->pid(), lwp.tid, fmt::format("syscall {}", lwp.syscall_name),
                         now, now);
}

void Timeline::mark(const Lwp& lwp, std::string_view name, u64 now, const TraceArgs& args) {
    if (enabled())
        writer_.instant(lwp.process->pid(), lwp.tid, name, now, args);
}

void Timeline::finish(u64 now) {
    if (!enabled())
        return;
    for (auto& [key, track] : tracks_)
        end_span(track, now);
    writer_.finish();
}

} // namespace crossrt::kernel
