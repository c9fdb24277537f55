// `crossrt report`: the JSON report of `crossrt run --json` (report/json.h)
// read back, and rendered as one static HTML page for CI artifacts: a
// summary table, then every cell (failures first) with its verdict,
// detail, duration, seed, the command that repeats it, and links to its
// trace, timeline and (explore) shrunk schedule. Everything from the report
// is text to escape: guest output reaches the page through the details.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct ReportedCell {
    std::string name;
    std::string verdict;
    std::string detail;
    std::optional<double> duration_s;
    std::optional<std::uint64_t> seed;
    bool default_seed = false; // "seed": null, a seeded cell run with the kernel's default
    std::optional<std::uint64_t> seeds_tried;
    std::string repeat_command;
    // Files the run wrote, as the report names them (empty: none).
    std::string trace;
    std::string timeline;
    // A failed explore's shrunk schedule and the command that replays it.
    std::string schedule_file;
    std::string replay_command;
};

// nullopt when `text` is not a JSON report, with what is wrong and where
// (`source` names the file) in `error`.
std::optional<std::vector<ReportedCell>>
parse_json_report(const std::string& text, const std::string& source, std::string& error);

// Where the page links a cell's files: relative to the page, "" for a file
// that is not there (the page says it is missing).
struct CellLinks {
    std::string trace;
    std::string timeline;
    std::string schedule;
};

// The page; links[i] belongs to cells[i].
std::string render_html_report(const std::vector<ReportedCell>& cells,
                               const std::vector<CellLinks>& links, const std::string& source);

// "&<>\"'" as entities.
std::string html_escape(std::string_view text);

} // namespace crossrt
