#include "kernel/fork_sweep.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

using Clock = std::chrono::steady_clock;

struct Running {
    u64 key = 0;
    pid_t pid = -1;
    int pidfd = -1;
    int files[3] = {-1, -1, -1}; // out, err, side
    Clock::time_point start;
    bool timed_out = false;
};

std::string read_back(int fd, std::size_t cap, bool& over) {
    std::string text;
    if (lseek(fd, 0, SEEK_SET) < 0)
        return text;
    char buffer[65536];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        std::size_t room = cap > text.size() ? cap - text.size() : 0;
        if (static_cast<std::size_t>(n) > room)
            over = true;
        text.append(buffer, std::min(static_cast<std::size_t>(n), room));
    }
    return text;
}

void close_all(Running& run) {
    for (int& fd : run.files) {
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    if (run.pidfd >= 0)
        close(run.pidfd);
    run.pidfd = -1;
}

std::optional<Running> start(u64 key, const std::function<int(u64, int)>& variant,
                             std::string& error) {
    Running run;
    run.key = key;
    for (int i = 0; i < 3; ++i) {
        run.files[i] = memfd_create(i == 0 ? "out" : i == 1 ? "err" : "side", MFD_CLOEXEC);
        if (run.files[i] < 0) {
            error = fmt::format("memfd_create: {}", std::strerror(errno));
            close_all(run);
            return std::nullopt;
        }
    }
    run.start = Clock::now();
    run.pid = fork();
    if (run.pid < 0) {
        error = fmt::format("fork: {}", std::strerror(errno));
        close_all(run);
        return std::nullopt;
    }
    if (run.pid == 0) {
        dup2(run.files[0], 1);
        dup2(run.files[1], 2);
        int side = fcntl(run.files[2], F_DUPFD, 10);
        _exit(variant(key, side));
    }
    run.pidfd = static_cast<int>(syscall(SYS_pidfd_open, run.pid, 0));
    if (run.pidfd < 0) {
        error = fmt::format("pidfd_open: {}", std::strerror(errno));
        kill(run.pid, SIGKILL);
        waitpid(run.pid, nullptr, 0);
        close_all(run);
        return std::nullopt;
    }
    return run;
}

ForkedRun finish(Running& run, int status, const rusage& usage, std::size_t cap) {
    ForkedRun done;
    done.key = run.key;
    done.wait_status = status;
    done.timed_out = run.timed_out;
    done.duration_s = std::chrono::duration<double>(Clock::now() - run.start).count();
    done.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                 static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    done.out = read_back(run.files[0], cap, done.output_over);
    done.err = read_back(run.files[1], cap, done.output_over);
    bool ignored = false;
    done.side = read_back(run.files[2], 1u << 20, ignored);
    close_all(run);
    return done;
}

} // namespace

bool fork_each(const std::vector<u64>& keys, const ForkSweepOptions& options,
               const std::function<int(u64, int)>& variant,
               const std::function<bool(ForkedRun)>& done, std::string& error) {
    std::vector<Running> running;
    std::map<std::size_t, ForkedRun> finished; // by position in keys, until their turn
    std::size_t next_start = 0;
    std::size_t next_done = 0;
    int parallel = std::max(options.parallel, 1);
    bool stop = false;
    auto kill_running = [&] {
        for (Running& run : running) {
            kill(run.pid, SIGKILL);
            waitpid(run.pid, nullptr, 0);
            close_all(run);
        }
        running.clear();
    };
    std::map<pid_t, std::size_t> position;
    while (!stop && next_done < keys.size()) {
        while (static_cast<int>(running.size()) < parallel && next_start < keys.size()) {
            auto run = start(keys[next_start], variant, error);
            if (!run) {
                kill_running();
                return false;
            }
            position[run->pid] = next_start;
            running.push_back(*run);
            ++next_start;
        }
        // Wait for a fork to end, or for the earliest deadline.
        std::vector<pollfd> fds;
        for (const Running& run : running)
            fds.push_back({run.pidfd, POLLIN, 0});
        int wait_ms = -1;
        if (options.timeout_s > 0) {
            auto now = Clock::now();
            for (const Running& run : running) {
                auto deadline = run.start + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(options.timeout_s));
                auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
                wait_ms = wait_ms < 0
                              ? static_cast<int>(std::max<long long>(left, 0))
                              : std::min(wait_ms, static_cast<int>(std::max<long long>(left, 0)));
            }
        }
        int ready = poll(fds.data(), fds.size(), wait_ms);
        if (ready < 0 && errno != EINTR) {
            error = fmt::format("poll: {}", std::strerror(errno));
            kill_running();
            return false;
        }
        auto now = Clock::now();
        for (std::size_t i = 0; i < running.size();) {
            Running& run = running[i];
            bool over = options.timeout_s > 0 &&
                        now - run.start >= std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(options.timeout_s));
            if (over && !run.timed_out) {
                run.timed_out = true;
                kill(run.pid, SIGKILL);
            }
            int status = 0;
            rusage usage{};
            pid_t pid = wait4(run.pid, &status, WNOHANG, &usage);
            if (pid == run.pid) {
                finished[position[run.pid]] = finish(run, status, usage, options.output_bytes);
                position.erase(run.pid);
                running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
                continue;
            }
            ++i;
        }
        while (!stop && finished.count(next_done) != 0) {
            ForkedRun run = std::move(finished[next_done]);
            finished.erase(next_done);
            ++next_done;
            stop = !done(std::move(run));
        }
    }
    kill_running();
    return true;
}

} // namespace crossrt::kernel
