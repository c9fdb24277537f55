// Fuzz target: a scenario.toml as the harness reads it. The text is parsed
// and validated (scenario/manifest.cc, toml++), and a manifest that passes
// goes the way `crossrt list` and `crossrt plan` take it: expanded into
// cells, each cell's expectation resolved, described and checked against an
// outcome, and the binaries it needs planned as CMake lines.
#include "scenario/manifest.h"
#include "scenario/matrix.h"
#include "scenario/plan.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace crossrt;

// Every cell's expectation is checked against each of these.
const std::vector<Outcome>& outcomes() {
    static const std::vector<Outcome> all = [] {
        Outcome exited;
        exited.end = EndKind::exited;
        exited.status = 0;
        exited.out = "hello from the guest\nA line\nZ\n";
        exited.err = "fatal error: all goroutines are asleep - deadlock!\n";
        Outcome signaled = exited;
        signaled.end = EndKind::signaled;
        signaled.status = 11;
        Outcome deadlock;
        deadlock.end = EndKind::deadlock;
        deadlock.detail = "lwp 1 (tid 100) blocked in futex";
        return std::vector<Outcome>{exited, signaled, deadlock};
    }();
    return all;
}

void exercise(const Manifest& manifest) {
    std::vector<Manifest> manifests{manifest};
    std::vector<Cell> cells = expand_matrix(
        manifests, builtin_targets(),
        [](const std::string& backend, const Target& target) -> std::optional<std::string> {
            if (backend == "native" && target.arch == "arm")
                return "host cannot execute arm";
            return std::nullopt;
        },
        [](const std::string& backend, const Target&) -> std::optional<Version> {
            if (backend != "qemu")
                return std::nullopt;
            return Version::parse("10.0.2");
        });
    for (const Cell& cell : cells) {
        Expectation expectation = cell.expectation();
        describe_expectation(expectation);
        for (const Outcome& outcome : outcomes()) {
            status_matches(expectation, outcome);
            check_expectation(expectation, outcome);
        }
    }
    for (const BinaryPlan& plan : plan_binaries(cells))
        cmake_plan_line(plan);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ManifestContext context;
    context.file = "scenarios/fuzz/scenario.toml";
    context.scenario = "fuzz";
    context.targets = &builtin_targets();
    context.backends = {"native", "qemu", "unicorn"};
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ManifestParse parse = parse_manifest(text, context);
    if (parse.manifest)
        exercise(*parse.manifest);
    for (const ManifestError& error : parse.errors)
        error.to_string();
    return 0;
}
