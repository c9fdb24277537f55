// A scenario's manifest (scenarios/<name>/scenario.toml), parsed and validated.
#pragma once

#include "base/injection.h"
#include "base/mount.h"
#include "base/version.h"
#include "scenario/expectation.h"
#include "target/target.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

// What a cell's guest may be unable to do on its backend here, which
// [[skip]], [[xfail]] and [[gotest.known_failure]] select by (`lacks`):
// "reexec", an execve of a binary of its own target (Go's tests re-execute
// their test binary; qemu-user needs binfmt_misc for a foreign arch).
const std::vector<std::string>& known_capabilities();

// A [[skip]] entry: matches a cell when every key it gives matches.
struct SkipRule : CellSelector {
    std::string reason;
    // `lacks = ["reexec"]`: only cells that lack one of these capabilities
    // here; the reason shown is the entry's, then why the cell lacks it.
    std::vector<std::string> lacks;
    // `versions = "<8.0"`: only cells whose emulator's version satisfies
    // it (the qemu-user the qemu backend runs; a cell without one, or whose
    // emulator's version is unknown, is not selected).
    std::optional<VersionConstraint> versions;
};

// An [[xfail]] entry: the selected cells are known to fail for a reason
// outside the scenario (an emulator bug). They still run: a failure is the
// verdict xfail, and a pass is xpass, which fails the run so that the entry
// is removed once the reason is gone (lit's XFAIL).
using XfailRule = SkipRule;

// A [[regress]] entry: a historic bug compiled back in, and the symptom it must show.
struct RegressVariant {
    std::string name;   // the variant is "regress-<name>"
    std::string define; // compile define for runtime and scenario sources
    std::string symptom;
    std::vector<std::string> arch; // where the bug can exist
    Expectation expect;
    std::vector<SkipRule> skips;

    std::string variant() const { return "regress-" + name; }
};

// A [[gotest.known_failure]] entry: a test of a Go std package that fails
// on the selected cells for a reason outside crossrt (it needs the host's
// `go` tool, it fails on the reference run too, ...). Its failure there is
// recorded with the reason; its pass is stale (like [[xfail]]) unless flaky.
struct GoTestKnownFailure : CellSelector {
    std::string test; // a top-level test's name: "TestFoo"
    std::string reason;
    std::vector<std::string> lacks; // as SkipRule's
    bool flaky = false;             // it may pass or fail (timing): both are accepted
    // Not run on the selected cells: its failure ends the whole binary (a
    // panic), which would take every later test with it. The cell lists
    // the binary's tests (-test.list) and runs all the others.
    bool skip = false;
};

// A [gotest] table: the scenario is a Go std package's own test binary
// (`go test -c`), run with -test.short -test.v, judged test by test against
// the reference run of the same package on linux for the same arch (native
// on amd64, qemu elsewhere).
struct GoTestSuite {
    std::string package; // an import path of Go's std: "sort", "sync/atomic"
    std::string run;     // -test.run's regexp; empty: every test
    // Build tags (`go test -c -tags`): "timetzdata" embeds the time zones
    // that Debian's Go, without lib/time/zoneinfo.zip, lacks for time's tests.
    std::vector<std::string> tags;
    // Too costly for CI's budget: its cells run only with `crossrt run --full`
    // (a visible skip otherwise).
    bool full = false;
    std::vector<GoTestKnownFailure> known_failures;
};

// The most seeds one cell may sweep (manifest `seeds`, `crossrt run --seeds`).
constexpr int kMaxSeeds = 100000;
// The most CPUs a manifest's `cpus` may ask for (the unicorn kernel's limit).
constexpr int kMaxManifestCpus = 64;

struct Manifest {
    std::string name;          // the scenario's folder name
    std::filesystem::path dir; // the scenario's folder
    std::string description;
    std::vector<std::string> sources; // relative to dir
    std::vector<std::string> arch;
    std::vector<std::string> os;
    std::vector<std::string> backends;
    double timeout_s = 10.0;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::optional<std::uint64_t> seed; // unicorn: the scheduling seed
    // unicorn: run the cell with this many consecutive seeds from `seed` (a
    // sweep that hunts schedule-dependent bugs); 1 runs `seed` only.
    int seeds = 1;
    std::optional<int> cpus;       // unicorn: the CPUs the kernel presents (1..64)
    std::vector<Injection> inject; // unicorn: from "SIGUSR1@100000[:LWP]"
    // unicorn: "SIG@SYMBOL" or "SIG@BEGIN-END" (base/signal_sweep.h): the
    // cell runs once per instruction of the region, SIG delivered there.
    std::string signal_sweep;
    // "HOST:GUEST[:ro]", HOST relative to the scenario's folder (made
    // absolute here). native and qemu show only a directory at its own path.
    std::vector<Mount> mounts;
    std::string cwd; // the guest's cwd; empty: the backend's default
    Expectation expect;
    std::vector<SkipRule> skips;
    std::vector<XfailRule> xfails;
    std::vector<RegressVariant> regress;
    std::optional<GoTestSuite> gotest; // set: sources is empty, no [expect]

    // Go sources (*.go) are built with the Go toolchain for the target
    // (GOOS/GOARCH), without the runtime core; C++ ones with the runtime.
    // A [gotest] scenario is Go too.
    bool is_go() const;
};

struct ManifestError {
    std::string file;
    unsigned line = 1;
    unsigned column = 1;
    std::string message;

    std::string to_string() const; // "file:line:column: message"
};

// What parsing needs to know besides the text: names to validate against.
struct ManifestContext {
    std::string file;          // as errors should name it
    std::string scenario;      // the folder name
    std::filesystem::path dir; // empty: do not check that sources exist
    const std::vector<Target>* targets = nullptr;
    std::vector<std::string> backends; // known backend names
};

struct ManifestParse {
    std::optional<Manifest> manifest; // set only when there are no errors
    std::vector<ManifestError> errors;
};

// Collects every error rather than stopping at the first.
ManifestParse parse_manifest(std::string_view text, const ManifestContext& context);

// Every scenarios/<name>/scenario.toml under dir, sorted by name.
struct ScenarioSet {
    std::vector<Manifest> manifests;
    std::vector<ManifestError> errors;
};
ScenarioSet load_scenarios(const std::filesystem::path& dir, const std::vector<Target>& targets,
                           const std::vector<std::string>& backends);

} // namespace crossrt
