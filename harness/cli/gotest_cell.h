// Running a [gotest] cell: its binary's flags and file system, and the
// reference run it is compared with (cached in the build tree, so that the
// cells of one package share one run of the reference).
#pragma once

#include "backend/backend.h"
#include "scenario/gotest_judge.h"
#include "scenario/matrix.h"

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace crossrt {

// -test.short -test.v [-test.run RE] before the manifest's args; GOROOT
// (from <binary>.goroot) mounted read-only at its own path and the cwd the
// package's directory, as `go test` runs a test binary. False and `error`
// when the build left no GOROOT file.
bool prepare_gotest_request(const Cell& cell, const std::filesystem::path& binary,
                            RunRequest& request, std::string& error);

// The cell's known failures that are not run (skip = true): lists the
// binary's tests with -test.list on the cell's backend and sets -test.run to
// all the others. False and `error` when the listing fails.
bool apply_gotest_skips(const Cell& cell, const Backend& backend, RunRequest& request,
                        std::string& error);

// The cell whose run is `cell`'s reference: the package's linux build for
// the same arch, natively where the host can run it, else under qemu.
// Null when the suite has neither (the manifest's backends leave them out).
const Cell* gotest_reference_cell(const Cell& cell, const std::vector<Cell>& cells);

struct ReferenceRun {
    std::optional<GoTestReference> reference;
    std::string why_not; // set when reference is nullopt
};

// The reference's tests, from the cache when its binary, crossrt and the
// emulator are the ones that made it, else run now (one process at a time
// per reference: a lock file). `run` runs the reference cell's request.
using ReferenceRunner = std::function<Outcome(const Cell& reference_cell)>;
ReferenceRun gotest_reference(const Cell& reference_cell, const std::filesystem::path& build_dir,
                              const ReferenceRunner& run);

// Records a reference cell's own run in the cache (it ran anyway).
void store_gotest_reference(const Cell& reference_cell, const std::filesystem::path& build_dir,
                            const Outcome& outcome);

} // namespace crossrt
