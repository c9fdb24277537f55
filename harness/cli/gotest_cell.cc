#include "cli/gotest_cell.h"

#include "cli/context.h"
#include "report/atomic_write.h"
#include "scenario/plan.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crossrt {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_goroot(const fs::path& binary) {
    std::ifstream in(goroot_file(binary));
    std::string goroot;
    if (!in || !std::getline(in, goroot) || goroot.empty() || goroot.front() != '/')
        return std::nullopt;
    return goroot;
}

// What the cached reference depends on: its binary, the crossrt that ran
// it, the emulator and the flags.
std::string cache_key(const Cell& reference_cell, const fs::path& binary) {
    auto identity = [](const fs::path& path) {
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0)
            return std::string("missing");
        return fmt::format("{}:{}.{}", info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
    };
    const Backend* backend = find_backend(reference_cell.backend);
    std::string emulator =
        backend != nullptr ? backend->emulator_description(*reference_cell.target) : "";
    std::string args;
    for (const std::string& arg : reference_cell.manifest->args)
        args += " " + arg;
    // What its guest could not do (a qemu-arm reference without binfmt_misc
    // cannot re-execute its tests): a run without it is another reference.
    std::string lacking;
    for (const auto& entry : reference_cell.lacking)
        lacking += " " + entry.first;
    return fmt::format("binary {} crossrt {} emulator '{}' run '{}' args '{}' lacking '{}'",
                       identity(binary), identity(crossrt_executable()), emulator,
                       reference_cell.manifest->gotest->run, args, lacking);
}

fs::path cache_path(const Cell& reference_cell, const fs::path& build_dir) {
    return build_dir / "gotest-reference" / reference_cell.scenario /
           fmt::format("{}-{}", reference_cell.target_name(), reference_cell.backend);
}

std::string one_line(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r')
            c = ' ';
    }
    return text;
}

std::string serialize(const std::string& key, const std::string& source, const GoTestRun& run) {
    std::string text = fmt::format("key {}\nsource {}\n", key, source);
    text += fmt::format("summary {}\ncrash {}\n", run.summary, one_line(run.crash));
    for (const auto& [test, status] : run.tests)
        text += fmt::format("test {} {}\n", gotest_status_name(status), test);
    for (const std::string& test : run.unfinished)
        text += fmt::format("unfinished {}\n", test);
    return text;
}

std::optional<GoTestReference> deserialize(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    std::string line;
    GoTestReference reference;
    bool key_matches = false;
    while (std::getline(in, line)) {
        std::size_t space = line.find(' ');
        std::string field = line.substr(0, space);
        std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        if (field == "key") {
            key_matches = value == key;
        } else if (field == "source") {
            reference.source = value;
        } else if (field == "summary") {
            reference.run.summary = value;
        } else if (field == "crash") {
            reference.run.crash = value;
        } else if (field == "unfinished") {
            reference.run.unfinished.push_back(value);
        } else if (field == "test") {
            std::size_t name_at = value.find(' ');
            if (name_at == std::string::npos)
                return std::nullopt;
            std::string status = value.substr(0, name_at);
            GoTestStatus parsed = status == "pass"   ? GoTestStatus::pass
                                  : status == "skip" ? GoTestStatus::skip
                                                     : GoTestStatus::fail;
            reference.run.tests[value.substr(name_at + 1)] = parsed;
        }
    }
    if (!key_matches)
        return std::nullopt;
    return reference;
}

// An exclusive lock on a file for as long as it lives.
class FileLock {
public:
    explicit FileLock(const fs::path& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ >= 0) {
            while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
            }
        }
    }
    ~FileLock() {
        if (fd_ >= 0)
            ::close(fd_); // releases the lock
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

std::optional<std::string> read_text(const fs::path& path) {
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Outcomes that say nothing about the tests: no reference from them.
bool is_run(const Outcome& outcome) {
    return outcome.end != EndKind::error && outcome.end != EndKind::skip &&
           outcome.end != EndKind::interrupted && outcome.end != EndKind::unsupported;
}

// Only a run that ended by itself is worth keeping: a timeout on a busy
// host says nothing about the next run.
void write_cache(const fs::path& path, const std::string& text, const Outcome& outcome) {
    if (outcome.end != EndKind::exited && outcome.end != EndKind::signaled)
        return;
    try {
        write_file_atomically(path, text);
    } catch (const std::exception&) {
        // A cache that cannot be written costs a rerun, nothing else.
    }
}

} // namespace

bool prepare_gotest_request(const Cell& cell, const fs::path& binary, RunRequest& request,
                            std::string& error) {
    const GoTestSuite& suite = *cell.manifest->gotest;
    std::optional<std::string> goroot = read_goroot(binary);
    if (!goroot) {
        error = fmt::format("the build wrote no GOROOT for the test binary ({})",
                            goroot_file(binary).string());
        return false;
    }
    std::vector<std::string> args = {"-test.short", "-test.v"};
    if (!suite.run.empty()) {
        args.push_back("-test.run");
        args.push_back(suite.run);
    }
    args.insert(args.end(), request.args.begin(), request.args.end());
    request.args = args;
    request.mounts.push_back({*goroot, *goroot, true});
    // Debian's GOROOT holds symlinks to /usr/share/go-*/ (src, api, ...):
    // what they point to is shown at its own path, so that they resolve.
    std::error_code failed;
    for (const fs::directory_entry& entry : fs::directory_iterator(*goroot, failed)) {
        if (!entry.is_symlink(failed))
            continue;
        fs::path target = fs::weakly_canonical(entry.path(), failed);
        if (!failed && fs::is_directory(target, failed) &&
            !target.string().starts_with(*goroot + "/"))
            request.mounts.push_back({target.string(), target.string(), true});
    }
    request.guest_cwd = fmt::format("{}/src/{}", *goroot, suite.package);
    return true;
}

bool apply_gotest_skips(const Cell& cell, const Backend& backend, RunRequest& request,
                        std::string& error) {
    std::vector<const GoTestKnownFailure*> skipped = gotest_skipped(cell);
    if (skipped.empty())
        return true;
    const std::string& run = cell.manifest->gotest->run;
    RunRequest listing = request;
    listing.args = {"-test.list", run.empty() ? "." : run};
    listing.unicorn.trace_file.clear();
    Outcome listed = backend.run(listing);
    if (listed.exit_code() != 0) {
        error = fmt::format("cannot list the tests to leave out {}: {}", skipped.front()->test,
                            describe_outcome(listed));
        return false;
    }
    std::string pattern = gotest_run_without(listed.out, skipped);
    auto at = std::find(request.args.begin(), request.args.end(), "-test.run");
    if (at != request.args.end() && at + 1 != request.args.end())
        *(at + 1) = pattern;
    else
        request.args.insert(request.args.begin() + 2, {"-test.run", pattern});
    return true;
}

const Cell* gotest_reference_cell(const Cell& cell, const std::vector<Cell>& cells) {
    std::string linux_target = cell.arch + "-linux";
    const Cell* qemu = nullptr;
    for (const Cell& candidate : cells) {
        if (candidate.scenario != cell.scenario || candidate.target_name() != linux_target ||
            candidate.variant != cell.variant)
            continue;
        if (candidate.backend == "native" && !candidate.skip)
            return &candidate;
        if (candidate.backend == "qemu")
            qemu = &candidate;
    }
    return qemu;
}

ReferenceRun gotest_reference(const Cell& reference_cell, const fs::path& build_dir,
                              const ReferenceRunner& run) {
    if (reference_cell.skip)
        return {std::nullopt,
                fmt::format("{} is skipped: {}", reference_cell.name, *reference_cell.skip)};
    fs::path binary = binary_path(build_dir, reference_cell);
    fs::path path = cache_path(reference_cell, build_dir);
    std::error_code ignored;
    fs::create_directories(path.parent_path(), ignored);
    FileLock lock(path.string() + ".lock");
    std::string key = cache_key(reference_cell, binary);
    if (auto text = read_text(path)) {
        if (auto cached = deserialize(*text, key))
            return {cached, ""};
    }
    Outcome outcome = run(reference_cell);
    if (!is_run(outcome))
        return {std::nullopt,
                fmt::format("{} did not run: {}", reference_cell.name, describe_outcome(outcome))};
    GoTestReference reference{reference_cell.name, parse_gotest_output(outcome.out, outcome.err)};
    write_cache(path, serialize(key, reference.source, reference.run), outcome);
    return {reference, ""};
}

void store_gotest_reference(const Cell& reference_cell, const fs::path& build_dir,
                            const Outcome& outcome) {
    if (!is_run(outcome))
        return;
    fs::path path = cache_path(reference_cell, build_dir);
    std::error_code ignored;
    fs::create_directories(path.parent_path(), ignored);
    FileLock lock(path.string() + ".lock");
    GoTestRun run = parse_gotest_output(outcome.out, outcome.err);
    write_cache(path,
                serialize(cache_key(reference_cell, binary_path(build_dir, reference_cell)),
                          reference_cell.name, run),
                outcome);
}

} // namespace crossrt
