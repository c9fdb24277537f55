// crossrt unicorn-guest (hidden): the process the unicorn backend runs in its
// sandbox. It boots the kernel on the binary and becomes the guest as far as
// the outside can tell: the guest's output on fds 1 and 2, its exit status,
// or death by its fatal signal. Harness verdicts go to --report-fd as one
// JSON line, with exit status 125.
//
//   crossrt unicorn-guest [--seed N] [--strict] [--trace FILE]
//       [--inject SIG@N[:LWP]]... [--max-insns N] [--max-memory BYTES]
//       [--report-fd FD] -- BINARY [ARGS...]
#include "cli/context.h"
#include "kernel/kernel.h"

#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

extern char** environ;

namespace crossrt {
namespace {

constexpr int exit_verdict = 125;

bool parse_u64(const std::string& text, std::uint64_t& value) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    value = std::stoull(text);
    return true;
}

void report(int fd, const std::string& verdict, const std::string& detail) {
    std::string line = nlohmann::json{{"verdict", verdict}, {"detail", detail}}.dump() + "\n";
    if (fd >= 0) {
        ssize_t ignored = write(fd, line.data(), line.size());
        (void)ignored;
    } else {
        fmt::print(stderr, "crossrt: {}: {}\n", verdict, detail);
    }
}

[[noreturn]] void die_by_signal(int signo) {
    std::signal(signo, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(signo);
    _exit(128 + signo);
}

} // namespace

int unicorn_guest_main(const std::vector<std::string>& args) {
    kernel::KernelOptions options;
    int report_fd = -1;
    std::size_t i = 0;
    auto usage = [](const std::string& why) {
        fmt::print(stderr, "crossrt unicorn-guest: {}\n", why);
        return exit_usage;
    };
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg == "--strict") {
            options.strict = true;
            continue;
        }
        auto v = value();
        if (!v)
            return usage(fmt::format("{} needs a value", arg));
        std::uint64_t number = 0;
        if (arg == "--seed" && parse_u64(*v, number)) {
            options.seed = number;
        } else if (arg == "--trace") {
            options.trace_path = *v;
        } else if (arg == "--inject") {
            auto injection = kernel::parse_injection(*v);
            if (!injection)
                return usage(fmt::format("bad --inject '{}' (want SIG@N or SIG@N:LWP)", *v));
            options.injections.push_back(*injection);
        } else if (arg == "--max-insns" && parse_u64(*v, number)) {
            options.max_insns = number;
        } else if (arg == "--max-memory" && parse_u64(*v, number)) {
            options.max_memory = number;
        } else if (arg == "--report-fd" && parse_u64(*v, number)) {
            report_fd = static_cast<int>(number);
        } else {
            return usage(fmt::format("bad option {} {}", arg, *v));
        }
    }
    if (i >= args.size())
        return usage("no binary: crossrt unicorn-guest [options] -- BINARY [ARGS...]");
    std::string binary = args[i];
    options.argv.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
    for (char** entry = environ; *entry != nullptr; ++entry)
        options.envp.emplace_back(*entry);

    kernel::ElfRead elf = kernel::read_elf(binary);
    if (!elf.image) {
        report(report_fd, "error", elf.error);
        return exit_verdict;
    }
    kernel::Kernel kernel(std::move(options));
    std::string error;
    if (!kernel.boot(std::move(*elf.image), error)) {
        report(report_fd, "error", error);
        return exit_verdict;
    }
    kernel::RunEnd end = kernel.run();
    switch (end.kind) {
    case kernel::EndKind::exited:
        return end.status;
    case kernel::EndKind::signaled:
        die_by_signal(end.status);
    case kernel::EndKind::deadlock:
        report(report_fd, "deadlock", end.detail);
        return exit_verdict;
    case kernel::EndKind::budget:
        report(report_fd, "timeout", end.detail);
        return exit_verdict;
    case kernel::EndKind::unsupported:
    case kernel::EndKind::error:
        report(report_fd, "error", end.detail);
        return exit_verdict;
    }
    return exit_verdict;
}

} // namespace crossrt
