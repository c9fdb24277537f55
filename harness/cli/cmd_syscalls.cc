// crossrt syscalls [--markdown]: the unicorn kernel's Linux tables.
#include "cli/context.h"
#include "kernel/linux/table.h"

#include <fmt/format.h>

namespace crossrt {

void register_syscalls_command(CLI::App& app, int& exit_code) {
    auto markdown = std::make_shared<bool>(false);
    CLI::App* command =
        app.add_subcommand("syscalls", "the unicorn kernel's Linux system calls and their support");
    command->add_flag("--markdown", *markdown,
                      "print the compatibility tables (docs/linux-syscalls.md)");
    command->callback([&exit_code, markdown] {
        if (*markdown) {
            fmt::print("{}", kernel::lnx::compatibility_markdown());
        } else {
            for (auto [arch, name] :
                 {std::pair{kernel::Arch::amd64, "amd64"}, std::pair{kernel::Arch::i386, "386"},
                  std::pair{kernel::Arch::arm, "arm"}}) {
                kernel::lnx::SyscallTable table(arch);
                for (const auto& [number, entry] : table.entries()) {
                    fmt::print("{}\t{}\t{}\t{}\t{}\n", name, number, entry.name,
                               kernel::lnx::support_name(entry.support), entry.note);
                }
            }
        }
        exit_code = exit_ok;
    });
}

} // namespace crossrt
