// crossrt exec: run one binary on the right backend, as `go test -exec` needs:
// output streamed and the guest's exit status kept. What the guest gets of
// the caller is only what the options give it: a clean environment (--env,
// --inherit-env), no stdin (--stdin), a fresh temp dir as its cwd (--cwd).
#include "backend/backend.h"
#include "base/bounds.h"
#include "base/injection.h"
#include "base/mount.h"
#include "base/signals.h"
#include "cli/context.h"
#include "cli/gdb_listen.h"
#include "cli/interrupt.h"
#include "cli/number_options.h"
#include "cli/signal_sweep.h"
#include "kernel/options.h"
#include "target/elf_ident.h"
#include "target/host.h"

#include <algorithm>
#include <fmt/format.h>
#include <iterator>
#include <map>
#include <string_view>
#include <unistd.h>

namespace crossrt {
namespace {

constexpr int exit_timeout = 124;  // as timeout(1); also an exhausted instruction budget
constexpr int exit_deadlock = 125; // the unicorn kernel found every LWP blocked for good
// The memory cap ended the run: as a shell reports a process that the
// kernel's OOM killer ended (128 + SIGKILL).
constexpr int exit_memory = 137;

struct ExecOptions {
    std::string backend;
    double timeout_s = 0;
    UnicornOptions unicorn;                  // --seed, --strict, --trace (--inject once parsed)
    std::vector<std::string> inject;         // --inject as given
    std::vector<std::string> mounts;         // --mount as given
    std::string sysroot;                     // --sysroot
    std::string cwd;                         // --cwd
    std::vector<std::string> env;            // --env NAME=VALUE as given
    bool inherit_env = false;                // --inherit-env
    bool share_stdin = false;                // --stdin
    std::optional<std::uint64_t> memory_mib; // --memory
    std::optional<std::uint64_t> tasks;      // --tasks
    std::string signal_sweep;                // --signal-sweep SIG@SYMBOL or SIG@BEGIN-END
    int sweep_parallel = 1;                  // --sweep-parallel
    std::string gdb;                         // --gdb PORT or unix:PATH
    std::vector<std::string> command;
};

// go test passes files to write (-test.testlogfile=..., -test.coverprofile=...)
// that live next to the test binary; the guest may write in their folders.
std::vector<std::string> writable_dirs_for(const std::vector<std::string>& args) {
    std::vector<std::string> dirs;
    for (const std::string& arg : args) {
        if (arg.rfind("-test.", 0) != 0)
            continue;
        auto equals = arg.find('=');
        if (equals == std::string::npos || equals + 1 >= arg.size() || arg[equals + 1] != '/')
            continue;
        std::filesystem::path dir = std::filesystem::path(arg.substr(equals + 1)).parent_path();
        if (std::filesystem::is_directory(dir))
            dirs.push_back(dir.string());
    }
    return dirs;
}

// The backend whose runs a seed fixes: the one --seed, --strict, --trace and
// --inject (its kernel's options) belong to.
std::string seeded_backend_name() {
    for (const std::string& name : backend_names()) {
        if (find_backend(name)->schedules_from_seed())
            return name;
    }
    return "";
}

// The first backend of the registry without a static reason not to run it.
std::string first_backend_for(const Target& target) {
    for (const std::string& name : backend_names()) {
        if (!find_backend(name)->cannot_run(target))
            return name;
    }
    return "";
}

int exit_for(const Outcome& outcome, const std::string& binary) {
    switch (outcome.end) {
    case EndKind::exited:
        if (!outcome.detail.empty())
            fmt::print(stderr, "crossrt: note: {}\n", outcome.detail);
        return outcome.status;
    case EndKind::signaled:
        fmt::print(stderr, "crossrt: guest killed by signal {}{}\n", signal_name(outcome.status),
                   outcome.detail.empty() ? "" : fmt::format(" ({})", outcome.detail));
        return 128 + outcome.status;
    case EndKind::interrupted:
        return exit_interrupted;
    case EndKind::skip:
        fmt::print(stderr, "crossrt: cannot run {}: {}\n", binary, outcome.detail);
        return exit_usage;
    case EndKind::error:
    case EndKind::unsupported:
        fmt::print(stderr, "crossrt: {}\n", outcome.detail);
        return exit_usage;
    case EndKind::deadlock:
        fmt::print(stderr, "crossrt: guest deadlock: {}\n", outcome.detail);
        return exit_deadlock;
    case EndKind::budget:
        fmt::print(stderr, "crossrt: guest stopped: {}\n", describe_outcome(outcome));
        return exit_timeout;
    case EndKind::timeout:
        fmt::print(stderr, "crossrt: guest timed out after {:.1f}s{}\n", outcome.duration_s,
                   outcome.detail.empty() ? "" : fmt::format(" ({})", outcome.detail));
        return exit_timeout;
    case EndKind::output_limit:
        fmt::print(stderr, "crossrt: guest stopped: {}\n", describe_outcome(outcome));
        return exit_usage;
    case EndKind::memory:
        fmt::print(stderr, "crossrt: guest stopped: {}\n", describe_outcome(outcome));
        return exit_memory;
    }
    return exit_usage;
}

// --env NAME=VALUE, each; false (with the reason printed) for a bad one.
bool parse_env_options(const std::vector<std::string>& specs,
                       std::map<std::string, std::string>& env) {
    for (const std::string& spec : specs) {
        auto equals = spec.find('=');
        if (equals == std::string::npos || equals == 0) {
            fmt::print(stderr, "crossrt: --env '{}' is not NAME=VALUE\n", spec);
            return false;
        }
        env[spec.substr(0, equals)] = spec.substr(equals + 1);
    }
    return true;
}

// Under the unicorn kernel the guest sees only the run's tree: --cwd DIR, when
// DIR is a host directory that no --mount already shows, is bound there at
// its own path (changes in memory), so that it holds the host's files as it
// does for a native guest. "/" is never bound: the tree's own root stays.
void bind_cwd_for_the_kernel(const std::string& cwd, std::vector<Mount>& mounts) {
    namespace fs = std::filesystem;
    std::error_code failed;
    if (cwd == "/" || !fs::is_directory(cwd, failed))
        return;
    for (const Mount& mount : mounts) {
        fs::path inside =
            fs::path(cwd).lexically_relative(fs::path(mount.guest).lexically_normal());
        if (!inside.empty() && *inside.begin() != "..")
            return; // DIR is the mount's guest path or below it
    }
    mounts.push_back({cwd, cwd, false});
}

// --signal-sweep: every point's run captured and judged by its exit
// status (0 passes); the table on stdout. 0 when every point passed and
// every instruction of the region was covered, 1 when not, 2 when the sweep
// could not run.
int exec_signal_sweep(const Backend& backend, RunRequest request, const ExecOptions& options) {
    request.io = IoMode::capture;
    request.share_stdin = false;
    SignalSweepResult swept =
        sweep_signal_points(backend, request, options.signal_sweep, options.sweep_parallel, false,
                            judge_exit_zero, [] { return interrupt_flag().load(); });
    if (!swept.plan) {
        fmt::print(stderr, "crossrt: {}\n", swept.judgement.detail);
        return exit_usage;
    }
    fmt::print("{}", format_sweep_table(swept));
    fmt::print("{}: {}\n", verdict_name(swept.judgement.verdict), swept.judgement.detail);
    std::fflush(stdout);
    if (interrupt_flag().load())
        return exit_interrupted;
    if (swept.judgement.verdict == Verdict::error)
        return exit_usage;
    return swept.judgement.verdict == Verdict::pass ? exit_ok : exit_failures;
}

int run_exec(const ExecOptions& options) {
    install_interrupt_handlers();
    const std::vector<std::string>& command = options.command;
    if (command.empty()) {
        fmt::print(stderr, "crossrt: exec needs a binary: crossrt exec [--backend B] -- BINARY "
                           "[ARGS...]\n");
        return exit_usage;
    }
    std::string binary = std::filesystem::absolute(command.front()).string();
    ElfIdentification elf = identify_elf(binary);
    if (!elf.identity) {
        fmt::print(stderr, "crossrt: {}\n", elf.error);
        return exit_usage;
    }
    const Target* target = find_target(builtin_targets(), elf.identity->arch, elf.identity->os);
    if (target == nullptr) {
        fmt::print(stderr,
                   "crossrt: {} is a {}-{} binary, and the target table has no such target\n",
                   binary, elf.identity->arch, elf.identity->os);
        return exit_usage;
    }
    // Default: the host when it can, else qemu for the Linux targets it runs,
    // else (NetBSD) the first backend that can run it, crossrt's own kernel.
    // The unicorn-only options choose the backend whose runs a seed fixes.
    std::string backend_name = options.backend;
    bool unicorn_options =
        options.unicorn.seed || options.unicorn.strict || options.unicorn.every_instruction ||
        options.unicorn.cpus || !options.unicorn.trace_file.empty() ||
        !options.unicorn.timeline_file.empty() || !options.inject.empty() ||
        !options.unicorn.schedule_file.empty() || !options.unicorn.record_schedule_file.empty() ||
        !options.unicorn.policy.is_default() || !options.signal_sweep.empty();
    if (backend_name.empty()) {
        bool host_runs_it = target->arch == host_arch() && target->os == host_os();
        // --gdb: crossrt's own stub, which steps backwards too.
        if (unicorn_options || !options.gdb.empty())
            backend_name = seeded_backend_name();
        else if (host_runs_it)
            backend_name = "native";
        else if (target->os == "linux" && !target->qemu.empty())
            backend_name = "qemu";
        else
            backend_name = first_backend_for(*target);
        if (backend_name.empty()) {
            fmt::print(stderr, "crossrt: no backend can run {}-{} binaries\n", target->arch,
                       target->os);
            return exit_usage;
        }
    }
    const Backend* backend = find_backend(backend_name);
    if (backend == nullptr) {
        fmt::print(stderr, "crossrt: unknown backend '{}' (known: {})\n", backend_name,
                   fmt::join(backend_names(), ", "));
        return exit_usage;
    }
    if (unicorn_options && !backend->schedules_from_seed()) {
        fmt::print(stderr,
                   "crossrt: --seed, --strict, --trace, --timeline, --inject, "
                   "--every-instruction, --schedule, --record-schedule, --strategy and "
                   "--signal-sweep need the unicorn backend, not {}\n",
                   backend_name);
        return exit_usage;
    }
    if (!options.gdb.empty() && backend_name != "unicorn" && backend_name != "qemu") {
        fmt::print(stderr,
                   "crossrt: --gdb needs the unicorn backend (crossrt's own stub) or qemu "
                   "(qemu-user's -g), not {}\n",
                   backend_name);
        return exit_usage;
    }
    std::vector<Injection> injections;
    for (const std::string& spec : options.inject) {
        auto injection = parse_injection(spec);
        if (!injection) {
            fmt::print(stderr,
                       "crossrt: --inject '{}' is not SIG@N or SIG@N:LWP (e.g. SIGUSR1@100000:1)\n",
                       spec);
            return exit_usage;
        }
        injections.push_back(*injection);
    }
    if (!options.signal_sweep.empty()) {
        std::string why;
        if (!parse_signal_sweep(options.signal_sweep, why)) {
            fmt::print(stderr, "crossrt: --signal-sweep {}\n", why);
            return exit_usage;
        }
        if (!options.unicorn.trace_file.empty() || !options.unicorn.schedule_file.empty() ||
            !options.unicorn.record_schedule_file.empty()) {
            fmt::print(stderr, "crossrt: --signal-sweep runs many variants: it takes no --trace, "
                               "--schedule or --record-schedule\n");
            return exit_usage;
        }
    }
    std::vector<Mount> mounts;
    for (const std::string& spec : options.mounts) {
        std::string why;
        auto mount = parse_mount(spec, why);
        if (!mount) {
            fmt::print(stderr, "crossrt: --mount '{}' {}\n", spec, why);
            return exit_usage;
        }
        mounts.push_back(*mount);
    }
    std::map<std::string, std::string> env;
    if (!parse_env_options(options.env, env))
        return exit_usage;
    if (auto reason = backend->cannot_run(*target)) {
        fmt::print(stderr, "crossrt: the {} backend cannot run {}: {}\n", backend_name, binary,
                   *reason);
        return exit_usage;
    }
    RunRequest request;
    request.target = *target;
    request.binary = binary;
    request.args.assign(command.begin() + 1, command.end());
    request.timeout_s = options.timeout_s;
    request.io = IoMode::passthrough;
    request.share_stdin = options.share_stdin;
    request.inherit_environment = options.inherit_env;
    request.env = std::move(env);
    request.writable_dirs = writable_dirs_for(request.args);
    request.cancel = &interrupt_flag();
    request.unicorn = options.unicorn;
    request.unicorn.inject = std::move(injections);
    request.mounts = std::move(mounts);
    if (!options.sysroot.empty()) {
        std::error_code failed;
        if (!std::filesystem::is_directory(options.sysroot, failed)) {
            fmt::print(stderr, "crossrt: --sysroot {}: not a directory\n", options.sysroot);
            return exit_usage;
        }
        request.sysroot = std::filesystem::absolute(options.sysroot).lexically_normal().string();
    }
    if (options.memory_mib)
        request.limits.memory_bytes = *options.memory_mib << 20;
    if (options.tasks)
        request.limits.tasks = *options.tasks;
    if (!options.cwd.empty()) {
        // Relative to the caller's cwd: `--cwd .` runs the guest where
        // crossrt was started (go test -exec: the package's folder, next to
        // its testdata).
        std::filesystem::path cwd = std::filesystem::absolute(options.cwd).lexically_normal();
        if (!cwd.has_filename() && cwd != "/")
            cwd = cwd.parent_path(); // "/a/b/" is "/a/b"
        request.guest_cwd = cwd.string();
        if (backend->schedules_from_seed())
            bind_cwd_for_the_kernel(request.guest_cwd, request.mounts);
    }
    if (!options.signal_sweep.empty())
        return exec_signal_sweep(*backend, request, options);
    if (!options.gdb.empty()) {
        std::string why;
        auto endpoint = parse_gdb_endpoint(options.gdb, why);
        int connection = endpoint ? accept_gdb(*endpoint, why) : -1;
        if (connection < 0) {
            fmt::print(stderr, "crossrt: {}\n", why);
            return exit_usage;
        }
        request.gdb_fd = connection;
        int status = exit_for(backend->run(request), binary);
        close(connection);
        return status;
    }
    return exit_for(backend->run(request), binary);
}

} // namespace

// exec's own options, which come before the guest command: the ones that
// take a value, and the flags. register_exec_command declares the same.
constexpr std::string_view kValueOptions[] = {"--backend",      "--timeout",         "--seed",
                                              "--trace",        "--inject",          "--cpus",
                                              "--mount",        "--sysroot",         "--cwd",
                                              "--env",          "--memory",          "--tasks",
                                              "--schedule",     "--record-schedule", "--timeline",
                                              "--signal-sweep", "--sweep-parallel",  "--strategy",
                                              "--pct-depth",    "--pct-steps",       "--gdb"};
constexpr std::string_view kFlags[] = {
    "--strict", "--every-instruction", "--inherit-env", "--stdin", "-h", "--help"};

std::vector<std::string> split_guest_command(std::vector<std::string>& args) {
    auto exec = std::find(args.begin(), args.end(), "exec");
    if (exec == args.end())
        return {};
    for (auto arg = exec + 1; arg != args.end();) {
        std::string_view text = *arg;
        bool value_option = std::find(std::begin(kValueOptions), std::end(kValueOptions), text) !=
                            std::end(kValueOptions);
        if (value_option) {
            arg += std::min<std::ptrdiff_t>(2, args.end() - arg);
            continue;
        }
        bool joined = std::any_of(
            std::begin(kValueOptions), std::end(kValueOptions), [&](std::string_view option) {
                return text.size() > option.size() && text.substr(0, option.size()) == option &&
                       text[option.size()] == '=';
            });
        bool flag = std::find(std::begin(kFlags), std::end(kFlags), text) != std::end(kFlags);
        if (joined || flag) {
            ++arg;
            continue;
        }
        // The guest command starts here: after "--", or at the first non-option.
        auto first = *arg == "--" ? arg + 1 : arg;
        std::vector<std::string> guest(first, args.end());
        args.erase(arg, args.end());
        return guest;
    }
    return {};
}

void register_exec_command(CLI::App& app, std::vector<std::string> guest_command, int& exit_code) {
    auto options = std::make_shared<ExecOptions>();
    options->command = std::move(guest_command);
    CLI::App* command = app.add_subcommand(
        "exec", "run one binary on the backend that fits it (usable as go test -exec)");
    command->add_option("--backend", options->backend,
                        "native, qemu or unicorn (default: native when the host can run it)");
    command->add_option("--gdb", options->gdb,
                        "serve gdb's remote protocol on this TCP port (127.0.0.1) or unix:PATH, "
                        "the run stopped before its first instruction (unicorn, the default "
                        "then: crossrt's stub, reverse execution too; qemu: qemu-user's -g)");
    command->add_option("--timeout", options->timeout_s, "seconds; 0 = no limit")
        ->check(seconds_option(kMaxTimeoutSeconds));
    command->add_option("--seed", options->unicorn.seed, "unicorn: the scheduling seed")
        ->transform(integer_option(0, UINT64_MAX));
    command->add_flag("--strict", options->unicorn.strict,
                      "unicorn: an unsupported syscall ends the run");
    command->add_flag("--every-instruction", options->unicorn.every_instruction,
                      "unicorn: count with a hook on every instruction, not by block "
                      "(about 10x slower, the same schedule)");
    command->add_option("--trace", options->unicorn.trace_file,
                        "unicorn: write the syscall, scheduling and signal trace to this file");
    command->add_option("--timeline", options->unicorn.timeline_file,
                        "unicorn: write the run as Chrome trace-event JSON to this file (open it "
                        "in ui.perfetto.dev or chrome://tracing)");
    command->add_option("--record-schedule", options->unicorn.record_schedule_file,
                        "unicorn: write the run's scheduling decisions to this file");
    command->add_option("--schedule", options->unicorn.schedule_file,
                        "unicorn: take the scheduling decisions of this file (from "
                        "--record-schedule, or edited), then the seed's");
    command
        ->add_option("--strategy", options->unicorn.policy.strategy,
                     "unicorn: who decides: random (the seed's slices, default), pct or "
                     "nonpreemptive (crossrt explore's strategies)")
        ->check(CLI::IsMember({"random", "pct", "nonpreemptive"}));
    command->add_option("--pct-depth", options->unicorn.policy.pct_depth, "unicorn, pct: depth d")
        ->transform(integer_option(1, 64));
    command
        ->add_option("--pct-steps", options->unicorn.policy.pct_steps,
                     "unicorn, pct: the decision points K a run is expected to take")
        ->transform(integer_option(1, UINT64_MAX));
    command
        ->add_option(
            "--cpus", options->unicorn.cpus,
            fmt::format("unicorn: the CPUs the kernel presents (default {})", kernel::kDefaultCpus))
        ->transform(integer_option(1, kernel::kMaxCpus));
    command
        ->add_option("--inject", options->inject,
                     "unicorn: deliver SIG after N instructions (of the run, or of LWP), "
                     "SIG@N[:LWP]; repeatable")
        ->allow_extra_args(false);
    command
        ->add_option("--mount", options->mounts,
                     "a host directory the guest sees, HOST:GUEST[:ro]; repeatable. unicorn: "
                     "anywhere in the run's file tree, changes kept in memory (:ro: EROFS); "
                     "native and qemu: only at its own path, read-only")
        ->allow_extra_args(false);
    command
        ->add_option("--sysroot", options->sysroot,
                     "a directory holding the guest's system files (lib/, usr/lib/: a dynamic "
                     "program's interpreter and libraries), as qemu-user's -L. unicorn: seen "
                     "read-only at the guest's / beneath the run's own /tmp, /etc, /dev, /proc, "
                     "/sys; qemu: passed as -L; native: only / (the host's own)")
        ->allow_extra_args(false);
    command->add_option("--cwd", options->cwd,
                        "the guest's working directory, relative to the caller's (`.`: the "
                        "caller's), readable and not writable; native and qemu: a host "
                        "directory; unicorn: a host directory is bound at its own path (changes "
                        "in memory), another path is made in the run's tree. Default: a fresh "
                        "temp dir");
    command
        ->add_option("--env", options->env,
                     "NAME=VALUE in the guest's environment; repeatable. Without "
                     "--inherit-env the environment is clean: PATH=/usr/bin:/bin, HOME and "
                     "TMPDIR the run's temp dir, LANG=C")
        ->allow_extra_args(false);
    command->add_flag("--inherit-env", options->inherit_env,
                      "the guest gets crossrt's environment (TMPDIR still the run's temp dir)");
    command->add_flag("--stdin", options->share_stdin,
                      "the guest reads crossrt's stdin (default: /dev/null)");
    command->add_option(
        "--signal-sweep", options->signal_sweep,
        "unicorn: run to the first instruction of a function (SIG@SYMBOL) or range "
        "(SIG@BEGIN-END, 0x addresses or symbols, END excluded), then deliver SIG at each of "
        "its instructions, each from that snapshot; prints every point's outcome");
    command
        ->add_option("--sweep-parallel", options->sweep_parallel,
                     "unicorn: the points of --signal-sweep running at once (default 1)")
        ->transform(integer_option(1, 64));
    add_cap_options(*command, options->memory_mib, options->tasks);
    command->footer("Usage: crossrt exec [--backend B] [--timeout S] [--seed N] [--strict] "
                    "[--every-instruction] [--trace FILE] [--timeline FILE] [--schedule FILE] "
                    "[--record-schedule FILE] [--cpus N] [--inject SIG@N[:LWP]]... "
                    "[--signal-sweep SIG@SYMBOL|SIG@BEGIN-END [--sweep-parallel N]] "
                    "[--mount HOST:GUEST[:ro]]... [--cwd DIR] [--env NAME=VALUE]... "
                    "[--inherit-env] [--stdin] [--memory MIB] [--tasks N] [--] BINARY "
                    "[ARGS...]\n"
                    "Without --backend: native when the host runs the binary, qemu for other "
                    "Linux targets, unicorn for NetBSD or when a unicorn option is given.");
    command->callback([&exit_code, options] { exit_code = run_exec(*options); });
}

} // namespace crossrt
