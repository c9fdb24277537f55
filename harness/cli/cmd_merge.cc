// crossrt merge SHARD.json... --json OUT [--junit OUT] [--tap OUT]: the
// JSON reports of a run's shards (crossrt run --shard K/N --json) as the
// reports the unsharded run would have written (report/merge.h).
#include "cli/context.h"
#include "report/console.h"
#include "report/json.h"
#include "report/merge.h"
#include "report/report_files.h"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <iterator>

namespace crossrt {
namespace {

struct MergeOptions {
    std::vector<std::string> reports;
    std::string json;
    std::string junit;
    std::string tap;
};

int run_merge(const MergeOptions& options) {
    std::vector<LoadedReport> reports;
    for (const std::string& path : options.reports) {
        std::ifstream in(path);
        if (!in) {
            fmt::print(stderr, "crossrt: merge: cannot read {}\n", path);
            return exit_usage;
        }
        std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        std::string error;
        auto report = load_json_report(text, path, error);
        if (!report) {
            fmt::print(stderr, "crossrt: merge: {}\n", error);
            return exit_usage;
        }
        reports.push_back(std::move(*report));
    }
    std::string error;
    auto merged = merge_reports(std::move(reports), error);
    if (!merged) {
        fmt::print(stderr, "crossrt: merge: {}\n", error);
        return exit_usage;
    }
    bool written = write_report_files({options.json, options.junit, options.tap}, merged->results,
                                      merged->header, "merge");
    ConsoleReporter(stdout, false, merged->results.size()).summary(merged->results);
    bool failures =
        std::any_of(merged->results.begin(), merged->results.end(),
                    [](const CellResult& result) { return is_failure(result.verdict); });
    return failures || !written ? exit_failures : exit_ok;
}

} // namespace

void register_merge_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<MergeOptions>();
    CLI::App* command = app.add_subcommand(
        "merge", "combine the JSON reports of a run's shards (run --shard K/N --json) into the "
                 "unsharded run's reports; exits 1 when a merged cell failed");
    command
        ->add_option("reports", options->reports,
                     "every shard's JSON report, in any order (each shard exactly once)")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--json", options->json, "write the merged JSON report here");
    command->add_option("--junit", options->junit, "write the merged JUnit XML report here");
    command->add_option("--tap", options->tap, "write the merged TAP report here");
    command->callback([&exit_code, options] { exit_code = run_merge(*options); });
}

} // namespace crossrt
