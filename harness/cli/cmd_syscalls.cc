// crossrt syscalls [--markdown] [--os linux|netbsd]: the unicorn kernel's
// system call tables, per personality.
#include "cli/context.h"
#include "kernel/linux/table.h"
#include "kernel/netbsd/table.h"

#include <fmt/format.h>

namespace crossrt {

void register_syscalls_command(CLI::App& app, int& exit_code) {
    auto markdown = std::make_shared<bool>(false);
    auto os = std::make_shared<std::string>("linux");
    CLI::App* command =
        app.add_subcommand("syscalls", "the unicorn kernel's system calls and their support");
    command->add_flag("--markdown", *markdown,
                      "print the compatibility tables (docs/linux-syscalls.md, "
                      "docs/netbsd-syscalls.md)");
    command->add_option("--os", *os, "the personality: linux (default) or netbsd")
        ->check(CLI::IsMember({"linux", "netbsd"}));
    command->callback([&exit_code, markdown, os] {
        bool netbsd = *os == "netbsd";
        if (*markdown) {
            fmt::print("{}", netbsd ? kernel::nbsd::compatibility_markdown()
                                    : kernel::lnx::compatibility_markdown());
        } else {
            for (auto [arch, name] :
                 {std::pair{kernel::Arch::amd64, "amd64"}, std::pair{kernel::Arch::i386, "386"},
                  std::pair{kernel::Arch::arm, "arm"}}) {
                auto table = netbsd ? kernel::nbsd::make_syscall_table(arch)
                                    : std::make_unique<kernel::lnx::SyscallTable>(arch);
                for (const auto& [number, entry] : table->entries()) {
                    fmt::print("{}\t{}\t{}\t{}\t{}\n", name, number, entry.name,
                               kernel::lnx::support_name(entry.support), entry.note);
                }
            }
        }
        exit_code = exit_ok;
    });
}

} // namespace crossrt
