#include "programs.h"

#include "measure.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {
namespace {

namespace fs = std::filesystem;

std::string go_arch(const std::string& arch) {
    return arch == "386" ? "386" : arch;
}

std::string qemu_for(const std::string& arch) {
    return arch == "arm" ? "qemu-arm" : arch == "386" ? "qemu-i386" : "qemu-x86_64";
}

bool host_runs(const std::string& arch) {
    return arch == "amd64" || arch == "386";
}

// Builds once into the work dir (Go caches the rest); the empty string when
// the toolchain refuses.
std::string build_go(const ProgramOptions& o, const std::string& arch, const std::string& what,
                     bool test) {
    fs::path out = fs::path(o.work_dir) / (what + "-" + arch + (test ? ".test" : ""));
    if (fs::exists(out))
        return out.string();
    fs::create_directories(o.work_dir);
    std::vector<std::string> env = {"GOOS=linux",
                                    "GOARCH=" + go_arch(arch),
                                    "GOARM=7",
                                    "CGO_ENABLED=0",
                                    "GO111MODULE=off",
                                    "GOCACHE=" + (fs::path(o.work_dir) / "gocache").string(),
                                    "GOPATH=" + (fs::path(o.work_dir) / "gopath").string()};
    std::vector<std::string> argv =
        test ? std::vector<std::string>{"go", "test", "-c", "-o", out.string(), what}
             : std::vector<std::string>{"go", "build", "-o", out.string(), o.goprog_source};
    std::fprintf(stderr, "building %s for %s...\n", what.c_str(), arch.c_str());
    Sample built = run_process(argv, env);
    if (built.status != 0) {
        std::fprintf(stderr, "  ! go could not build %s for %s\n", what.c_str(), arch.c_str());
        return "";
    }
    return out.string();
}

// The kernel's process alone (`crossrt unicorn-guest`, what the sandbox
// runs): wait4 sees its CPU time, which the sandbox's PID namespace hides.
std::vector<std::string> kernel_process(const ProgramOptions& o,
                                        const std::vector<std::string>& command) {
    nlohmann::json request = {{"argv", command}};
    return {o.crossrt, "unicorn-guest", request.dump()};
}

struct Row {
    std::string arch, program;
    Series native, qemu, crossrt, kernel;
};

void print_rows(const std::vector<Row>& rows, int repeat) {
    std::printf("\nReal programs: wall s, median [min-max] of %d runs (crossrt's CPU: the kernel "
                "process's own, from wait4); ratios of medians\n",
                repeat);
    std::printf("%-6s %-14s %-24s %-24s %-24s %-24s %8s %8s %8s\n", "arch", "program", "native",
                "qemu-user", "crossrt-unicorn", "crossrt CPU", "cr/qemu", "cr/nat", "qemu/nat");
    for (const Row& r : rows) {
        Stats nat = stats(r.native.wall), qe = stats(r.qemu.wall), cr = stats(r.crossrt.wall),
              cpu = stats(r.kernel.cpu);
        std::printf("%-6s %-14s %-24s %-24s %-24s %-24s %8s %8s %8s\n", r.arch.c_str(),
                    r.program.c_str(), fmt_series(r.native, nat).c_str(),
                    fmt_series(r.qemu, qe).c_str(), fmt_series(r.crossrt, cr).c_str(),
                    fmt_series(r.kernel, cpu).c_str(),
                    r.qemu.ok ? fmt_ratio(cr, qe).c_str() : "n/a", fmt_ratio(cr, nat).c_str(),
                    r.qemu.ok ? fmt_ratio(qe, nat).c_str() : "n/a");
    }
    // The measure: the median over the test binaries of crossrt/qemu.
    std::vector<double> ratios;
    for (const Row& r : rows) {
        Stats qe = stats(r.qemu.wall), cr = stats(r.crossrt.wall);
        if (r.program.ends_with(".test") && r.qemu.ok && r.crossrt.ok && qe.median > 0)
            ratios.push_back(cr.median / qe.median);
    }
    if (!ratios.empty()) {
        Stats s = stats(ratios);
        std::printf("Go std test binaries, crossrt/qemu: median %.2f over %zu [%.2f-%.2f]\n",
                    s.median, s.n, s.min, s.max);
    }
}

// Seeds per second of a sweep: `crossrt run --seeds N` (one boot, forks)
// against N processes of `crossrt exec --seed S`, one after another and
// two at a time.
void sweep_rates(const ProgramOptions& o) {
    const std::string cell = "lwp-park-race/arm-netbsd/unicorn/fixed";
    fs::path binary = fs::path(o.build_dir) / "targets/arm-netbsd/scenarios/lwp-park-race/fixed";
    if (!fs::exists(binary)) {
        std::printf("\nSweep: skipped (%s not built)\n", binary.c_str());
        return;
    }
    int n = o.sweep_seeds;
    std::fprintf(stderr, "measuring the %s sweep (%d seeds)...\n", cell.c_str(), n);
    auto one = [&](int k) {
        return std::vector<std::string>{o.crossrt, "exec",         "--backend",
                                        "unicorn", "--seed",       std::to_string(24301 + k),
                                        "--",      binary.string()};
    };
    auto t0 = Clock::now();
    int failed = 0;
    for (int k = 0; k < n; ++k)
        failed += run_process(one(k)).status != 0;
    double sequential = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    for (int k = 0; k < n; k += 2) {
        // Two at a time: fork both, then wait for both.
        std::vector<pid_t> pids;
        for (int j = k; j < std::min(k + 2, n); ++j) {
            pid_t pid = fork();
            if (pid == 0) {
                Sample s = run_process(one(j));
                _exit(s.status == 0 ? 0 : 1);
            }
            pids.push_back(pid);
        }
        for (pid_t pid : pids) {
            int status = 0;
            waitpid(pid, &status, 0);
            failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
    }
    double parallel = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    Sample swept = run_process(
        {o.crossrt, "--build-dir", o.build_dir, "run", "-j2", "--seeds", std::to_string(n), cell});
    double forked = std::chrono::duration<double>(Clock::now() - t0).count();
    failed += swept.status != 0;
    std::printf("\nSweep of %s, %d seeds (wall s, seeds/s)%s\n", cell.c_str(), n,
                failed ? "  ! some runs failed" : "");
    std::printf("  one process per seed, one at a time:  %7.2f s  %7.1f seeds/s\n", sequential,
                n / sequential);
    std::printf("  one process per seed, two at a time:  %7.2f s  %7.1f seeds/s\n", parallel,
                n / parallel);
    std::printf("  crossrt run -j2 --seeds %d (one boot): %7.2f s  %7.1f seeds/s\n", n, forked,
                n / forked);
}

} // namespace

int programs(const ProgramOptions& o) {
    std::vector<Row> rows;
    int bad = 0;
    for (const std::string& arch : o.arches) {
        std::vector<std::pair<std::string, std::vector<std::string>>> commands;
        std::string goprog = build_go(o, arch, "goprog", false);
        if (!goprog.empty())
            commands.push_back({"goprog", {goprog, o.goprog_n}});
        for (const std::string& package : o.test_packages) {
            std::string test = build_go(o, arch, package, true);
            if (!test.empty())
                commands.push_back({package + ".test", {test, "-test.short"}});
        }
        for (const auto& [name, command] : commands) {
            std::fprintf(stderr, "measuring %s %s (x%d)...\n", arch.c_str(), name.c_str(),
                         o.repeat);
            Row r{arch, name, {}, {}, {}, {}};
            std::vector<std::string> qemu = command;
            qemu.insert(qemu.begin(), qemu_for(arch));
            std::vector<std::string> crossrt = {o.crossrt, "exec", "--backend", "unicorn", "--"};
            crossrt.insert(crossrt.end(), command.begin(), command.end());
            for (int i = 0; i < o.repeat; ++i) {
                if (host_runs(arch) && arch == "amd64")
                    sample_into(r.native, command);
                sample_into(r.qemu, qemu);
                sample_into(r.crossrt, crossrt);
                sample_into(r.kernel, kernel_process(o, command));
            }
            // qemu-i386 7.2 cannot run Go (FACTS.md): its failure is shown,
            // not counted as a difference.
            std::string ref = r.crossrt.out;
            bool same = r.crossrt.ok && r.kernel.ok && r.kernel.out == ref &&
                        (!r.native.ok || r.native.out == ref || r.native.cpu.empty()) &&
                        (!r.qemu.ok || r.qemu.out == ref);
            if (!same) {
                ++bad;
                std::fprintf(stderr, "  ! %s %s: outputs differ or crossrt failed\n", arch.c_str(),
                             name.c_str());
            }
            rows.push_back(std::move(r));
        }
    }
    print_rows(rows, o.repeat);
    sweep_rates(o);
    return bad ? 1 : 0;
}

} // namespace bench
