// crossrt report REPORT.json -o DIR: the JSON report of `crossrt run --json`
// as a static page, DIR/index.html, for CI artifacts. The trace, timeline
// and schedule files the report names are copied into DIR/files/, so that
// DIR is complete on its own (an artifact is downloaded without the build
// tree) and the page links them by relative paths.
#include "cli/context.h"
#include "report/atomic_write.h"
#include "report/html.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <set>

namespace crossrt {
namespace {

namespace fs = std::filesystem;

struct ReportOptions {
    std::string report;
    std::string out_dir;
};

// A file the report names: as given (relative to where crossrt report
// runs), else next to the report; nullopt when neither exists.
std::optional<fs::path> find_named_file(const std::string& named, const fs::path& report) {
    std::error_code ignored;
    if (fs::is_regular_file(named, ignored))
        return fs::path(named);
    fs::path beside = report.parent_path() / named;
    if (fs::path(named).is_relative() && fs::is_regular_file(beside, ignored))
        return beside;
    return std::nullopt;
}

// A name in files/ that is safe in a URL and unique: the file's own name
// with anything but letters, digits, '.', '-' and '_' as '_'.
std::string copy_name(const fs::path& file, std::set<std::string>& taken) {
    std::string name = file.filename().string();
    for (char& c : name) {
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
        if (!safe)
            c = '_';
    }
    std::string unique = name;
    for (int k = 2; !taken.insert(unique).second; ++k)
        unique = fmt::format("{}-{}", k, name);
    return unique;
}

int run_report(const ReportOptions& options) {
    fs::path report = options.report;
    std::ifstream in(report);
    if (!in) {
        fmt::print(stderr, "crossrt: report: cannot read {}\n", options.report);
        return exit_usage;
    }
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::string error;
    auto cells = parse_json_report(text, options.report, error);
    if (!cells) {
        fmt::print(stderr, "crossrt: report: {}\n", error);
        return exit_usage;
    }
    fs::path out = options.out_dir;
    fs::path files = out / "files";
    std::error_code failed;
    fs::create_directories(files, failed);
    if (failed) {
        fmt::print(stderr, "crossrt: report: cannot create {}: {}\n", files.string(),
                   failed.message());
        return exit_usage;
    }
    std::set<std::string> taken;
    std::vector<CellLinks> links;
    auto copy = [&](const std::string& named) -> std::string {
        if (named.empty())
            return "";
        auto found = find_named_file(named, report);
        if (!found)
            return "";
        std::string name = copy_name(*found, taken);
        std::error_code copy_failed;
        fs::copy_file(*found, files / name, fs::copy_options::overwrite_existing, copy_failed);
        if (copy_failed) {
            fmt::print(stderr, "crossrt: report: cannot copy {} into {}: {}\n", found->string(),
                       files.string(), copy_failed.message());
            return "";
        }
        return "files/" + name;
    };
    for (const ReportedCell& cell : *cells)
        links.push_back({copy(cell.trace), copy(cell.timeline), copy(cell.schedule_file)});
    try {
        write_file_atomically(out / "index.html",
                              render_html_report(*cells, links, options.report));
    } catch (const std::exception& write_failed) {
        fmt::print(stderr, "crossrt: report: {}\n", write_failed.what());
        return exit_usage;
    }
    fmt::print("{}: {} cells\n", (out / "index.html").string(), cells->size());
    return exit_ok;
}

} // namespace

void register_report_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* command = app.add_subcommand(
        "report", "render the JSON report of crossrt run --json as a static HTML page");
    command->add_option("report", options->report, "the JSON report (crossrt run --json FILE)")
        ->required();
    command
        ->add_option("-o,--output", options->out_dir,
                     "the directory to write: index.html, and files/ with the traces, timelines "
                     "and schedules the report names")
        ->required();
    command->callback([&exit_code, options] { exit_code = run_report(*options); });
}

} // namespace crossrt
