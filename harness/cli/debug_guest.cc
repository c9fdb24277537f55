// The unicorn guest under gdb (crossrt exec/run --gdb): the kernel boots,
// stops before the first instruction, and the connection crossrt accepted
// (fd 4, GuestRequest::gdb_fd) drives it (debug/server.h). When gdb
// detaches or goes away the run goes on to its end without it; when gdb
// kills it, the run ends there (a SIGKILL, as a killed process's).
#include "backend/guest_protocol.h"
#include "cli/unicorn_guest.h"
#include "debug/kernel_target.h"
#include "debug/server.h"

#include <fmt/format.h>
#include <unistd.h>

namespace crossrt {

int serve_debugger(const GuestRequest& request, const kernel::ElfImage& image,
                   kernel::KernelOptions options) {
    debug::KernelTarget target(image, std::move(options));
    std::string error;
    if (!target.boot(error)) {
        send_report(request.report_fd, error_report(error));
        return exit_verdict;
    }
    debug::SessionEnd session = debug::serve(*request.gdb_fd, target, error);
    close(*request.gdb_fd);
    if (!error.empty())
        fmt::print(stderr, "crossrt: gdb: {}\n", error);
    if (session == debug::SessionEnd::killed) {
        kernel::RunEnd killed{EndKind::signaled, 9, "killed by gdb"};
        send_report(request.report_fd, {killed.kind, killed.status, killed.detail, {}});
        return guest_status(killed);
    }
    kernel::RunEnd end = target.run_to_end();
    send_report(request.report_fd, {end.kind, end.status, end.detail, {}});
    return guest_status(end);
}

} // namespace crossrt
