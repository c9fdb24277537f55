#include "report/html.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <type_traits>

namespace crossrt {

namespace {

using nlohmann::json;

// The verdicts that count against the code (scenario/verdict.h's
// is_failure), listed first on the page.
bool failed(const std::string& verdict) {
    return verdict == "fail" || verdict == "timeout" || verdict == "budget" ||
           verdict == "memory" || verdict == "error" || verdict == "xpass";
}

// Reads one cell's fields; "" when all is well, else what is wrong.
std::string read_cell(const json& entry, ReportedCell& cell) {
    if (!entry.is_object())
        return "is not an object";
    auto text = [&](const char* key, std::string& out, bool required) -> std::string {
        auto found = entry.find(key);
        if (found == entry.end() || (!required && found->is_null()))
            return required ? fmt::format("has no \"{}\"", key) : "";
        if (!found->is_string())
            return fmt::format("\"{}\" is not a string", key);
        out = found->get<std::string>();
        return "";
    };
    auto number = [&](const char* key, auto& out) -> std::string {
        auto found = entry.find(key);
        if (found == entry.end() || found->is_null())
            return "";
        using Value = typename std::remove_reference_t<decltype(out)>::value_type;
        if constexpr (std::is_floating_point_v<Value>) {
            if (!found->is_number())
                return fmt::format("\"{}\" is not a number", key);
        } else if (!found->is_number_unsigned()) {
            return fmt::format("\"{}\" is not a whole number >= 0", key);
        }
        out = found->get<Value>();
        return "";
    };
    auto seed = entry.find("seed");
    cell.default_seed = seed != entry.end() && seed->is_null();
    for (std::string why :
         {text("name", cell.name, true), text("verdict", cell.verdict, true),
          text("detail", cell.detail, false), number("duration_s", cell.duration_s),
          number("seed", cell.seed), number("seeds_tried", cell.seeds_tried),
          text("repeat_command", cell.repeat_command, false), text("trace", cell.trace, false),
          text("timeline", cell.timeline, false), text("schedule_file", cell.schedule_file, false),
          text("replay_command", cell.replay_command, false)}) {
        if (!why.empty())
            return why;
    }
    return "";
}

std::string link_or_missing(const std::string& named, const std::string& href,
                            std::string_view label) {
    if (named.empty())
        return "";
    if (href.empty())
        return fmt::format("<span class=\"missing\">{} missing: {}</span>", label,
                           html_escape(named));
    return fmt::format("<a class=\"{}\" href=\"{}\">{}</a>", label, html_escape(href), label);
}

std::string cell_row(const ReportedCell& cell, const CellLinks& links) {
    std::string seed = cell.seed ? std::to_string(*cell.seed) : cell.default_seed ? "default" : "";
    if (cell.seeds_tried && *cell.seeds_tried > 1)
        seed += fmt::format(" ({} tried)", *cell.seeds_tried);
    std::string reproduce;
    if (!cell.repeat_command.empty())
        reproduce +=
            fmt::format("<code class=\"repeat\">{}</code>", html_escape(cell.repeat_command));
    if (!cell.replay_command.empty())
        reproduce += fmt::format("<div>shrunk schedule: <code class=\"replay\">{}</code></div>",
                                 html_escape(cell.replay_command));
    std::string files;
    for (const std::string& link :
         {link_or_missing(cell.trace, links.trace, "trace"),
          link_or_missing(cell.timeline, links.timeline, "timeline"),
          link_or_missing(cell.schedule_file, links.schedule, "schedule")}) {
        if (!link.empty())
            files += (files.empty() ? "" : " ") + link;
    }
    return fmt::format("<tr class=\"cell {0}\" data-verdict=\"{1}\">"
                       "<td class=\"verdict\">{1}</td><td class=\"name\">{2}</td>"
                       "<td class=\"duration\">{3}</td><td class=\"seed\">{4}</td>"
                       "<td><pre class=\"detail\">{5}</pre></td><td>{6}</td><td>{7}</td></tr>\n",
                       failed(cell.verdict) ? "failed" : "ok", html_escape(cell.verdict),
                       html_escape(cell.name),
                       cell.duration_s ? fmt::format("{:.2f} s", *cell.duration_s) : "",
                       html_escape(seed), html_escape(cell.detail), reproduce, files);
}

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 1.5em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
tr.failed td.verdict { background: #f8d0d0; font-weight: bold; }
tr.ok td.verdict { background: #d8f0d8; }
pre.detail { white-space: pre-wrap; word-break: break-all; max-width: 60em; margin: 0; }
code { word-break: break-all; }
.missing { color: #a00; }
)";

} // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::optional<std::vector<ReportedCell>>
parse_json_report(const std::string& text, const std::string& source, std::string& error) {
    json report;
    try {
        report = json::parse(text);
    } catch (const json::parse_error& failure) {
        error = fmt::format("{}: not JSON: {}", source, failure.what());
        return std::nullopt;
    }
    if (!report.is_object() || !report.contains("results") || !report["results"].is_array()) {
        error = fmt::format("{}: not a crossrt JSON report: it needs an object with a "
                            "\"results\" array (crossrt run --json FILE writes one)",
                            source);
        return std::nullopt;
    }
    std::vector<ReportedCell> cells;
    const json& results = report["results"];
    for (std::size_t i = 0; i < results.size(); ++i) {
        ReportedCell cell;
        std::string why = read_cell(results[i], cell);
        if (!why.empty()) {
            error = fmt::format("{}: results[{}] {}", source, i, why);
            return std::nullopt;
        }
        cells.push_back(std::move(cell));
    }
    return cells;
}

std::string render_html_report(const std::vector<ReportedCell>& cells,
                               const std::vector<CellLinks>& links, const std::string& source) {
    std::map<std::string, std::size_t> counts;
    std::size_t failures = 0;
    for (const ReportedCell& cell : cells) {
        ++counts[cell.verdict];
        failures += failed(cell.verdict);
    }
    std::string page = fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                                   "charset=\"utf-8\">\n<title>crossrt report: {}</title>\n"
                                   "<style>{}</style>\n</head>\n<body>\n",
                                   html_escape(source), kStyle);
    page += fmt::format("<h1>crossrt report</h1>\n<p>From <code>{}</code>: {} cells, {} "
                        "failed.</p>\n",
                        html_escape(source), cells.size(), failures);
    page += "<table id=\"summary\">\n<tr><th>verdict</th><th>cells</th></tr>\n";
    for (const auto& [verdict, count] : counts) {
        page += fmt::format("<tr class=\"{}\"><td class=\"verdict\">{}</td><td>{}</td></tr>\n",
                            failed(verdict) ? "failed" : "ok", html_escape(verdict), count);
    }
    page += fmt::format("<tr><td>total</td><td>{}</td></tr>\n</table>\n", cells.size());
    // Failures first, each group in the report's order.
    std::vector<std::size_t> order(cells.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_partition(order.begin(), order.end(),
                          [&](std::size_t i) { return failed(cells[i].verdict); });
    page += "<table id=\"cells\">\n<thead><tr><th>verdict</th><th>cell</th><th>duration</th>"
            "<th>seed</th><th>detail</th><th>reproduce</th><th>files</th></tr></thead>\n<tbody>\n";
    for (std::size_t i : order)
        page += cell_row(cells[i], i < links.size() ? links[i] : CellLinks{});
    page += "</tbody>\n</table>\n</body>\n</html>\n";
    return page;
}

} // namespace crossrt
