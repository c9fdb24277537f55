#include "cli/doctor.h"

#include "backend/backend.h"
#include "backend/sandbox.h"
#include "target/host.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>
#include <unicorn/unicorn.h>

namespace crossrt {
namespace {

using CellTest = std::function<bool(const Cell&)>;

// "74 cells" of the suite that would run (not skipped) and pass the test.
std::string cells_costing(const Suite* suite, const CellTest& costs) {
    if (suite == nullptr)
        return "cells unknown (the scenarios did not load)";
    std::size_t count = std::count_if(suite->cells.begin(), suite->cells.end(),
                                      [&](const Cell& cell) { return !cell.skip && costs(cell); });
    return fmt::format("{} cell{}", count, count == 1 ? "" : "s");
}

bool is_go_scenario(const Manifest& manifest) {
    return manifest.gotest.has_value() ||
           std::any_of(manifest.sources.begin(), manifest.sources.end(),
                       [](const std::string& source) { return source.ends_with(".go"); });
}

// The programs the backends run targets' binaries with (qemu-user's).
void check_backend_programs(const std::vector<Target>& targets, const Suite* suite,
                            std::vector<HostCheck>& checks) {
    struct User {
        const Backend* backend;
        const Target* target;
        HostProgram program;
    };
    std::map<std::string, std::vector<User>> users; // by program
    for (const std::string& name : backend_names()) {
        const Backend* backend = find_backend(name);
        for (const Target& target : targets) {
            for (HostProgram& program : backend->host_programs(target))
                users[program.program].push_back({backend, &target, std::move(program)});
        }
    }
    for (const auto& [program, list] : users) {
        HostCheck check;
        check.name = program;
        const HostProgram& need = list.front().program;
        check.fix = "sudo " + need.install;
        std::vector<std::string> where; // "qemu on arm-linux"
        std::vector<std::string> self_tests;
        for (const User& user : list) {
            where.push_back(fmt::format("{} on {}", user.backend->name(), user.target->name()));
            // The target's toolchain file runs its on-target self-tests under it.
            if (user.target->qemu == program)
                self_tests.push_back(user.target->name());
        }
        check.costs = fmt::format(
            "{} ({})",
            cells_costing(suite,
                          [&](const Cell& cell) {
                              return std::any_of(list.begin(), list.end(), [&](const User& user) {
                                  return cell.backend == user.backend->name() &&
                                         cell.target->name() == user.target->name();
                              });
                          }),
            fmt::join(where, ", "));
        if (!self_tests.empty())
            check.costs += fmt::format(" and the on-target self-tests of {} (ctest)",
                                       fmt::join(self_tests, ", "));
        auto path = find_in_path(program);
        if (!path) {
            check.problem = "not found in PATH";
            checks.push_back(std::move(check));
            continue;
        }
        std::optional<Version> version =
            list.front().backend->emulator_version(*list.front().target);
        check.found = fmt::format("{} ({})", version ? version->text() : "version unknown", *path);
        if (need.minimum && (!version || compare(*version, *need.minimum) < 0))
            check.problem =
                fmt::format("older than {}: {}", need.minimum->text(), need.why_minimum);
        checks.push_back(std::move(check));
    }
}

// The C and C++ compilers of each target triple (the targets' sub-builds).
void check_compilers(const std::vector<Target>& targets, const Suite* suite,
                     std::vector<HostCheck>& checks) {
    std::string host_triple;
    for (const Target& target : targets) {
        if (target.arch == host_arch() && target.os == host_os())
            host_triple = target.triple;
    }
    std::vector<std::string> triples;
    for (const Target& target : targets) {
        if (std::find(triples.begin(), triples.end(), target.triple) == triples.end())
            triples.push_back(target.triple);
    }
    for (const std::string& triple : triples) {
        std::vector<std::string> built; // the targets this compiler builds
        for (const Target& target : targets) {
            if (target.triple == triple)
                built.push_back(target.name());
        }
        std::string packages =
            triple == host_triple ? "build-essential" : fmt::format("gcc-{0} g++-{0}", triple);
        for (const char* language : {"gcc", "g++"}) {
            HostCheck check;
            check.name = fmt::format("{}-{}", triple, language);
            check.fix = "sudo apt-get install " + packages;
            check.costs =
                fmt::format("the sub-builds of {} fail, and with them their {}",
                            fmt::join(built, ", "), cells_costing(suite, [&](const Cell& cell) {
                                return cell.target->triple == triple;
                            }));
            if (auto path = find_in_path(check.name))
                check.found = *path;
            else
                check.problem = "not found in PATH";
            checks.push_back(std::move(check));
        }
    }
}

void check_go(const Suite* suite, std::vector<HostCheck>& checks) {
    HostCheck check;
    check.name = "go";
    check.fix = "sudo apt-get install golang-go";
    check.costs = fmt::format(
        "the targets' sub-builds stop at configure (Go scenarios and Go test suites): {} are Go "
        "programs",
        cells_costing(suite, [](const Cell& cell) { return is_go_scenario(*cell.manifest); }));
    if (auto path = find_in_path("go"))
        check.found = *path;
    else
        check.problem = "not found in PATH";
    checks.push_back(std::move(check));
}

void check_sandbox(const Suite* suite, std::vector<HostCheck>& checks) {
    const SandboxSupport& support = sandbox_support();
    HostCheck namespaces;
    namespaces.name = "user namespaces";
    namespaces.required = false;
    if (support.namespaces) {
        namespaces.found = "user, pid, mount, network, IPC and UTS namespaces for every guest";
    } else {
        namespaces.problem = "this host refuses unprivileged user namespaces";
        namespaces.costs = "every guest runs with only a session and process group of its own, "
                           "without its own root, pid or network (docs/security-model.md)";
        namespaces.fix = "sudo sysctl -w kernel.unprivileged_userns_clone=1 "
                         "user.max_user_namespaces=15000";
    }
    checks.push_back(std::move(namespaces));

    HostCheck cgroups;
    cgroups.name = "cgroups";
    cgroups.required = false;
    if (support.memory_cgroup && support.tasks_cgroup) {
        cgroups.found = fmt::format("{}; {}", support.memory_cap, support.tasks_cap);
    } else {
        cgroups.problem = fmt::format("{}; {}", support.memory_cap, support.tasks_cap);
        cgroups.costs = "a guest's memory and tasks are capped per process by rlimits, not as a "
                        "whole (verdict memory is less exact)";
        cgroups.fix = "run crossrt where the memory and pids controllers are delegated to it, "
                      "e.g. systemd-run --user --scope -p Delegate=yes build/bin/crossrt ...";
    }
    checks.push_back(std::move(cgroups));

    HostCheck binfmt;
    binfmt.name = "binfmt_misc";
    binfmt.required = false;
    if (support.binfmt_misc) {
        binfmt.found = "in the guests' user namespaces: foreign-arch qemu guests can execve";
    } else {
        binfmt.problem = support.binfmt_why_not;
        binfmt.costs = fmt::format(
            "{} whose manifest names a capability they lack (lacks = [\"reexec\"]) are skipped "
            "or expected to fail",
            cells_costing(suite, [](const Cell& cell) { return !cell.lacking.empty(); }));
        binfmt.fix = "a Linux 6.7 or later kernel (binfmt_misc in user namespaces)";
    }
    checks.push_back(std::move(binfmt));
}

// Tools no cell needs.
void check_tool(const std::string& program, const std::string& package, const std::string& costs,
                std::vector<HostCheck>& checks) {
    HostCheck check;
    check.name = program;
    check.required = false;
    check.fix = "sudo apt-get install " + package;
    check.costs = costs;
    if (auto path = find_in_path(program))
        check.found = *path;
    else
        check.problem = "not found in PATH";
    checks.push_back(std::move(check));
}

} // namespace

std::vector<HostCheck> check_host(const Suite* suite) {
    std::vector<HostCheck> checks;
    std::vector<Target> targets = suite != nullptr ? suite->targets : builtin_targets();

    HostCheck unicorn;
    unicorn.name = "unicorn";
    unsigned major = 0, minor = 0;
    unsigned packed = uc_version(&major, &minor); // major, minor, patch, extra: a byte each
    // Linked in: without the library crossrt would not have started.
    unicorn.found =
        fmt::format("Unicorn {}.{}.{} (libunicorn2, linked)", major, minor, (packed >> 8) & 0xff);
    checks.push_back(std::move(unicorn));

    check_backend_programs(targets, suite, checks);
    check_compilers(targets, suite, checks);
    check_go(suite, checks);
    check_sandbox(suite, checks);
    check_tool("gdb-multiarch", "gdb-multiarch",
               "no cell or test: debugging a qemu guest through its gdbstub "
               "(docs/reproducing-a-bug.md)",
               checks);
    check_tool("chromium", "chromium",
               "the test HtmlReportCommand.APageWithItsFilesRendersInHeadlessChromium skips "
               "(the report page is not rendered)",
               checks);
    return checks;
}

} // namespace crossrt
