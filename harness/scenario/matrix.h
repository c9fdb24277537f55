// The matrix: scenario x target x backend x variant, one named cell each.
#pragma once

#include "scenario/manifest.h"
#include "target/target.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

struct Cell {
    std::string name; // <scenario>/<arch>-<os>/<backend>/<variant>
    std::string scenario;
    std::string arch;
    std::string os;
    std::string backend;
    std::string variant;              // "fixed" or "regress-<name>"
    std::optional<std::string> skip;  // static skip reason
    std::optional<std::string> xfail; // known failure reason ([[xfail]])
    // The capabilities the manifest's rules name (`lacks`) that this cell
    // lacks here, each with why.
    std::map<std::string, std::string> lacking;
    const Manifest* manifest = nullptr;
    const RegressVariant* regress = nullptr; // null for the fixed variant
    const Target* target = nullptr;

    std::string target_name() const { return arch + "-" + os; }
    // What this cell must do: the variant's expectation with its [[...on]]
    // overrides for this cell's arch, os and backend applied.
    Expectation expectation() const {
        return (regress ? regress->expect : manifest->expect).for_cell(arch, os, backend);
    }
};

std::string cell_name(const std::string& scenario, const std::string& target,
                      const std::string& backend, const std::string& variant);

// Why a backend cannot run a target (native arm on an amd64 host; for
// leave_out_impossible, on any host); nullopt when it can or might.
using BackendSkip =
    std::function<std::optional<std::string>(const std::string& backend, const Target& target)>;

// The version of the emulator a backend runs a target's binaries with
// (qemu-user's), for the `versions` of [[skip]] and [[xfail]]; nullopt when
// it has none or it cannot be found.
using EmulatorVersion =
    std::function<std::optional<Version>(const std::string& backend, const Target& target)>;

// Why a backend's guests of a target lack a capability (known_capabilities())
// on this host; nullopt when they have it.
using MissingCapability = std::function<std::optional<std::string>(
    const std::string& backend, const Target& target, const std::string& capability)>;

// Every cell of every manifest, sorted by name. The cells point into manifests
// and targets, which must outlive them.
std::vector<Cell> expand_matrix(const std::vector<Manifest>& manifests,
                                const std::vector<Target>& targets, const BackendSkip& backend_skip,
                                const EmulatorVersion& emulator_version = {},
                                const MissingCapability& missing_capability = {});

// Takes out of `cells` those whose backend can run their target on no host
// (`never_runs`: qemu-user and a NetBSD target): they are not cells of the
// matrix, whatever the manifest says. Returns them, in order, each with
// that reason as its skip, for `crossrt list --all`. Skips that depend on
// this host or on the scenario stay cells.
std::vector<Cell> leave_out_impossible(std::vector<Cell>& cells, const BackendSkip& never_runs);

// Whether a rule's `lacks` selects the cell: it does when the rule has none,
// or when the cell lacks one of them.
bool lacks_select(const std::vector<std::string>& lacks, const Cell& cell);
// The reason a rule shows for the cell: its own, then why the cell lacks the
// first of the rule's `lacks` it lacks.
std::string rule_reason(const std::string& reason, const std::vector<std::string>& lacks,
                        const Cell& cell);

} // namespace crossrt
