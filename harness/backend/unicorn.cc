// The unicorn backend: crossrt's own kernel (harness/kernel/) runs the guest
// on Unicorn, deterministically. The emulation runs in a sandboxed child,
// `crossrt unicorn-guest ... -- BINARY ARGS`, so a hostile guest cannot
// crash or hang crossrt; the child's exit status (or death by signal) is the
// guest's, and harness verdicts (deadlock, instruction budget, unsupported
// syscall under --strict) come back as one JSON line on fd 3.
#include "backend/backend.h"

#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

// Unicorn 2.0.1 maps a 1 GiB translation buffer per engine, which
// RLIMIT_DATA counts, on top of the guest's memory.
constexpr std::uint64_t unicorn_memory_overhead = 1536ull << 20;

class UnicornBackend : public Backend {
public:
    std::string name() const override { return "unicorn"; }

    std::optional<std::string> cannot_run(const Target& target) const override {
        if (target.unicorn_arch.empty())
            return fmt::format("the target table gives no unicorn mode for {}", target.name());
        if (target.os != "linux" && target.os != "netbsd")
            return fmt::format("the unicorn kernel has no {} personality", target.os);
        return std::nullopt;
    }

    Outcome run(const RunRequest& request) const override {
        std::error_code error;
        std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
        if (error) {
            Outcome outcome;
            outcome.error = "cannot find the crossrt executable (/proc/self/exe)";
            return outcome;
        }
        SandboxRequest sandbox;
        sandbox.argv = {self.string(), "unicorn-guest", "--report-fd", "3"};
        const UnicornOptions& options = request.unicorn;
        if (options.seed)
            sandbox.argv.insert(sandbox.argv.end(), {"--seed", std::to_string(*options.seed)});
        if (options.strict)
            sandbox.argv.push_back("--strict");
        if (!options.trace_file.empty()) {
            std::filesystem::path trace = std::filesystem::absolute(options.trace_file);
            sandbox.argv.insert(sandbox.argv.end(), {"--trace", trace.string()});
            sandbox.writable_dirs.push_back(trace.parent_path().string());
        }
        for (const std::string& spec : options.inject)
            sandbox.argv.insert(sandbox.argv.end(), {"--inject", spec});
        if (options.max_insns)
            sandbox.argv.insert(sandbox.argv.end(),
                                {"--max-insns", std::to_string(*options.max_insns)});
        sandbox.argv.insert(sandbox.argv.end(),
                            {"--max-memory", std::to_string(request.limits.memory_bytes)});
        sandbox.argv.push_back("--");
        sandbox.argv.push_back(request.binary);
        sandbox.argv.insert(sandbox.argv.end(), request.args.begin(), request.args.end());
        sandbox.env = request.env;
        sandbox.timeout_s = request.timeout_s;
        sandbox.limits = request.limits;
        sandbox.limits.memory_bytes += unicorn_memory_overhead;
        sandbox.io = request.io;
        sandbox.cwd = request.cwd;
        sandbox.readable = {self.string(), request.binary};
        sandbox.writable_dirs.insert(sandbox.writable_dirs.end(), request.writable_dirs.begin(),
                                     request.writable_dirs.end());
        sandbox.cancel = request.cancel;
        sandbox.report_channel = true;
        SandboxResult result = run_sandboxed(sandbox);
        Outcome outcome = std::move(result.outcome);
        if (!result.report.empty() && !outcome.timed_out && !outcome.interrupted)
            apply_report(result.report, outcome);
        return outcome;
    }

private:
    // {"verdict": "deadlock" | "timeout" | "error", "detail": "..."}
    static void apply_report(const std::string& report, Outcome& outcome) {
        auto json = nlohmann::json::parse(report.substr(0, report.find('\n')), nullptr, false);
        if (json.is_discarded() || !json.is_object()) {
            outcome.error = fmt::format("unicorn kernel: unreadable report: {}", report);
            return;
        }
        std::string verdict = json.value("verdict", "");
        std::string detail = json.value("detail", "");
        outcome.exit_code.reset();
        outcome.signal.reset();
        if (verdict == "deadlock") {
            outcome.harness_verdict = "deadlock";
            outcome.verdict_detail = detail;
        } else if (verdict == "timeout") {
            outcome.timed_out = true;
            outcome.verdict_detail = detail;
        } else {
            outcome.error = fmt::format("unicorn kernel: {}", detail);
        }
    }
};

} // namespace

std::unique_ptr<Backend> make_unicorn_backend() {
    return std::make_unique<UnicornBackend>();
}

} // namespace crossrt
