#include "scenario/matrix.h"

#include <algorithm>
#include <fmt/format.h>

namespace crossrt {
namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::optional<std::string> first_matching_skip(const std::vector<SkipRule>& rules, const Cell& cell,
                                               const EmulatorVersion& emulator_version) {
    for (const SkipRule& rule : rules) {
        if (!rule.matches(cell.arch, cell.os, cell.backend) || !lacks_select(rule.lacks, cell))
            continue;
        if (rule.versions) {
            std::optional<Version> version =
                emulator_version ? emulator_version(cell.backend, *cell.target) : std::nullopt;
            if (!version || !rule.versions->satisfied_by(*version))
                continue;
        }
        return rule_reason(rule.reason, rule.lacks, cell);
    }
    return std::nullopt;
}

// The capabilities any rule of the manifest names.
std::vector<std::string> named_capabilities(const Manifest& manifest) {
    std::vector<std::string> names;
    auto add = [&](const std::vector<std::string>& lacks) {
        for (const std::string& name : lacks) {
            if (!contains(names, name))
                names.push_back(name);
        }
    };
    for (const SkipRule& rule : manifest.skips)
        add(rule.lacks);
    for (const XfailRule& rule : manifest.xfails)
        add(rule.lacks);
    for (const RegressVariant& regress : manifest.regress) {
        for (const SkipRule& rule : regress.skips)
            add(rule.lacks);
    }
    if (manifest.gotest) {
        for (const GoTestKnownFailure& failure : manifest.gotest->known_failures)
            add(failure.lacks);
    }
    return names;
}

// The first reason wins: the scenario's own skips, then the variant's, then a
// regress define that cannot apply to the arch, then the backend's.
std::optional<std::string> static_skip(const Cell& cell, const BackendSkip& backend_skip,
                                       const EmulatorVersion& emulator_version) {
    if (auto reason = first_matching_skip(cell.manifest->skips, cell, emulator_version))
        return reason;
    if (cell.regress != nullptr) {
        if (auto reason = first_matching_skip(cell.regress->skips, cell, emulator_version))
            return reason;
        if (!contains(cell.regress->arch, cell.arch))
            return fmt::format("{} does not apply to {}", cell.regress->define, cell.arch);
    }
    if (backend_skip)
        return backend_skip(cell.backend, *cell.target);
    return std::nullopt;
}

} // namespace

std::string cell_name(const std::string& scenario, const std::string& target,
                      const std::string& backend, const std::string& variant) {
    return fmt::format("{}/{}/{}/{}", scenario, target, backend, variant);
}

bool lacks_select(const std::vector<std::string>& lacks, const Cell& cell) {
    return lacks.empty() || std::any_of(lacks.begin(), lacks.end(), [&](const std::string& name) {
               return cell.lacking.contains(name);
           });
}

std::string rule_reason(const std::string& reason, const std::vector<std::string>& lacks,
                        const Cell& cell) {
    for (const std::string& name : lacks) {
        auto found = cell.lacking.find(name);
        if (found != cell.lacking.end())
            return fmt::format("{}: {}", reason, found->second);
    }
    return reason;
}

std::vector<Cell> expand_matrix(const std::vector<Manifest>& manifests,
                                const std::vector<Target>& targets, const BackendSkip& backend_skip,
                                const EmulatorVersion& emulator_version,
                                const MissingCapability& missing_capability) {
    std::vector<Cell> cells;
    for (const Manifest& manifest : manifests) {
        std::vector<std::string> capabilities = named_capabilities(manifest);
        std::vector<const RegressVariant*> variants = {nullptr};
        for (const RegressVariant& regress : manifest.regress)
            variants.push_back(&regress);
        for (const Target& target : targets) {
            if (!contains(manifest.arch, target.arch) || !contains(manifest.os, target.os))
                continue;
            for (const std::string& backend : manifest.backends) {
                for (const RegressVariant* regress : variants) {
                    Cell cell;
                    cell.scenario = manifest.name;
                    cell.arch = target.arch;
                    cell.os = target.os;
                    cell.backend = backend;
                    cell.variant = regress ? regress->variant() : "fixed";
                    cell.name = cell_name(cell.scenario, target.name(), backend, cell.variant);
                    cell.manifest = &manifest;
                    cell.regress = regress;
                    cell.target = &target;
                    for (const std::string& capability : capabilities) {
                        auto why = missing_capability
                                       ? missing_capability(backend, target, capability)
                                       : std::nullopt;
                        if (why)
                            cell.lacking[capability] = *why;
                    }
                    cell.skip = static_skip(cell, backend_skip, emulator_version);
                    cell.xfail = first_matching_skip(manifest.xfails, cell, emulator_version);
                    cells.push_back(std::move(cell));
                }
            }
        }
    }
    std::sort(cells.begin(), cells.end(),
              [](const Cell& a, const Cell& b) { return a.name < b.name; });
    return cells;
}

std::vector<Cell> leave_out_impossible(std::vector<Cell>& cells, const BackendSkip& never_runs) {
    std::vector<Cell> kept, left_out;
    for (Cell& cell : cells) {
        std::optional<std::string> never = never_runs(cell.backend, *cell.target);
        if (!never) {
            kept.push_back(std::move(cell));
            continue;
        }
        cell.skip = std::move(never);
        cell.xfail.reset();
        left_out.push_back(std::move(cell));
    }
    cells = std::move(kept);
    return left_out;
}

} // namespace crossrt
