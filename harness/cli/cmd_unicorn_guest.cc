// crossrt unicorn-guest REQUEST (hidden): the process the unicorn backend
// runs in its sandbox. REQUEST is the guest protocol's request
// (backend/guest_protocol.h), one JSON argument. It boots the kernel on the
// binary and becomes the guest as far as the outside can tell: the guest's
// output on fds 1 and 2, its exit status, or death by its fatal signal. How
// the run ended also goes to the request's report fd as the protocol's
// report; an end that is not the guest's own exits with status 125.
#include "backend/guest_protocol.h"
#include "cli/context.h"
#include "kernel/replay.h"

#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

extern char** environ;

namespace crossrt {
namespace {

constexpr int exit_verdict = 125;

void send_report(std::optional<int> fd, const GuestReport& report) {
    if (fd) {
        std::string line = encode_report(report);
        ssize_t ignored = write(*fd, line.data(), line.size());
        (void)ignored;
    } else if (report.end != EndKind::exited && report.end != EndKind::signaled) {
        fmt::print(stderr, "crossrt: {}: {}\n", end_kind_name(report.end), report.detail);
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

kernel::KernelOptions kernel_options(const GuestRequest& request) {
    kernel::KernelOptions options;
    if (request.seed)
        options.seed = *request.seed;
    options.strict = request.strict;
    options.trace_path = request.trace_file;
    options.injections = request.inject;
    if (request.max_insns)
        options.max_insns = *request.max_insns;
    if (request.max_memory)
        options.max_memory = *request.max_memory;
    options.every_instruction = request.every_instruction;
    options.argv = request.argv;
    for (char** entry = environ; *entry != nullptr; ++entry)
        options.envp.emplace_back(*entry);
    return options;
}

} // namespace

int unicorn_guest_main(const std::vector<std::string>& args) {
    if (args.size() != 1) {
        fmt::print(stderr, "crossrt unicorn-guest: want one argument, the request (JSON)\n");
        return exit_usage;
    }
    std::string why;
    auto request = decode_request(args[0], why);
    if (!request) {
        fmt::print(stderr, "crossrt unicorn-guest: bad request: {}\n", why);
        return exit_usage;
    }
    kernel::ElfRead elf = kernel::read_elf(request->argv.front());
    if (!elf.image) {
        send_report(request->report_fd, {EndKind::error, 0, elf.error});
        return exit_verdict;
    }
    std::string error;
    auto run = kernel::run_program(*elf.image, kernel_options(*request), error);
    if (!run) {
        send_report(request->report_fd, {EndKind::error, 0, error});
        return exit_verdict;
    }
    const kernel::RunEnd& end = run->end;
    send_report(request->report_fd, {end.kind, end.status, end.detail});
    if (end.kind == EndKind::exited)
        return end.status;
    if (end.kind == EndKind::signaled)
        die_by_signal(end.status);
    return exit_verdict;
}

} // namespace crossrt
