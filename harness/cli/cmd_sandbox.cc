// crossrt sandbox [--markdown]: how this host contains guests (which
// namespaces, Landlock, seccomp, and what caps memory and tasks), or the
// seccomp filter's table for docs/security-model.md.
#include "backend/sandbox.h"
#include "backend/seccomp_filter.h"
#include "cli/context.h"

#include <cstring>
#include <fmt/format.h>

namespace crossrt {
namespace {

std::string errno_name(int error) {
    switch (error) {
    case EPERM:
        return "EPERM";
    case ENOSYS:
        return "ENOSYS";
    default:
        return std::strerror(error);
    }
}

} // namespace

std::string seccomp_markdown() {
    std::string text = "| system call | the guest gets | why |\n| --- | --- | --- |\n";
    for (const DeniedCall& call : denied_calls())
        text += fmt::format("| `{}` | `{}` | {} |\n", call.name, errno_name(call.error), call.why);
    text += "| `clone`, `unshare` with a namespace flag (`CLONE_NEWUSER`, `CLONE_NEWNS`, "
            "`CLONE_NEWPID`, `CLONE_NEWNET`, `CLONE_NEWIPC`, `CLONE_NEWUTS`, "
            "`CLONE_NEWCGROUP`; `unshare`: `CLONE_NEWTIME` too) | `EPERM` | a namespace of its "
            "own would give the guest every capability there, and the kernel's surface behind "
            "them |\n";
    text += "| `ptrace` with `PTRACE_ATTACH` or `PTRACE_SEIZE` | `EPERM` | attaches to a process "
            "the guest did not start as a tracee |\n";
    std::string sysv;
    for (const DeniedCall& call : denied_without_ipc_namespace())
        sysv += (sysv.empty() ? "" : ", ") + fmt::format("`{}`", call.name);
    text += fmt::format("| {} (only without namespaces: the fallback) | `EPERM` | {} |\n", sysv,
                        denied_without_ipc_namespace().front().why);
    return text;
}

void register_sandbox_command(CLI::App& app, int& exit_code) {
    auto markdown = std::make_shared<bool>(false);
    CLI::App* command = app.add_subcommand(
        "sandbox", "how guests are contained on this host (docs/security-model.md)");
    command->add_flag("--markdown", *markdown,
                      "print the seccomp filter's table (docs/security-model.md)");
    command->callback([&exit_code, markdown] {
        if (*markdown) {
            fmt::print("{}", seccomp_markdown());
        } else {
            for (const auto& [key, value] : describe_sandbox(sandbox_support()))
                fmt::print("{}: {}\n", key, value);
        }
        exit_code = exit_ok;
    });
}

} // namespace crossrt
