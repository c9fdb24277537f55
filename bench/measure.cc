#include "measure.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

[[noreturn]] void die(const std::string& msg) {
    std::fprintf(stderr, "bench: %s\n", msg.c_str());
    std::exit(2);
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find(sep, start);
        if (end == std::string_view::npos)
            end = s.size();
        if (end > start)
            out.emplace_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

Sample run_process(const std::vector<std::string>& argv,
                   const std::vector<std::string>& extra_env) {
    int fds[2];
    if (pipe(fds) != 0)
        die("pipe failed");
    auto t0 = Clock::now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork failed");
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        for (const auto& e : extra_env)
            putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    std::string raw;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
        raw.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    struct rusage ru {};
    if (wait4(pid, &status, 0, &ru) < 0)
        die("wait4 failed");
    Sample s;
    s.wall = std::chrono::duration<double>(Clock::now() - t0).count();
    s.cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    s.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    for (const auto& line : split(raw, '\n')) {
        if (line.starts_with("@@"))
            s.info = line;
        else
            s.out += line + "\n";
    }
    return s;
}

Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    s.n = v.size();
    s.min = v.front();
    s.max = v.back();
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    return s;
}

std::string fmt_stats(const Stats& s) {
    if (!s.n)
        return "n/a";
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.3f [%.3f-%.3f]", s.median, s.min, s.max);
    return buf;
}

std::string fmt_series(const Series& s, const Stats& st) {
    if (s.bad_status)
        return "FAILED (exit " + std::to_string(s.bad_status) + ")";
    return fmt_stats(st);
}

std::string fmt_ratio(const Stats& a, const Stats& b) {
    if (!a.n || !b.n || b.median <= 0)
        return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", a.median / b.median);
    return buf;
}

void sample_into(Series& series, const std::vector<std::string>& argv,
                 const std::vector<std::string>& env) {
    Sample s = run_process(argv, env);
    series.cpu.push_back(s.cpu);
    series.wall.push_back(s.wall);
    if (!s.info.empty())
        series.info = s.info;
    if (s.status != 0) {
        series.ok = false;
        series.bad_status = s.status;
        std::fprintf(stderr, "  ! exit status %d from %s\n", s.status, argv[0].c_str());
    }
    if (series.out.empty())
        series.out = s.out;
    else if (series.out != s.out)
        series.ok = false;
}

} // namespace bench
