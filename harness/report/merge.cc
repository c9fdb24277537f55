#include "report/merge.h"

#include "scenario/shard.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

using nlohmann::json;

std::optional<Verdict> verdict_named(const std::string& name) {
    for (Verdict verdict :
         {Verdict::pass, Verdict::fail, Verdict::skip, Verdict::timeout, Verdict::budget,
          Verdict::memory, Verdict::error, Verdict::xfail, Verdict::xpass}) {
        if (verdict_name(verdict) == name)
            return verdict;
    }
    return std::nullopt;
}

// Reads the keys of one object; each accessor throws std::runtime_error
// naming the key.
class Fields {
public:
    explicit Fields(const json& object) : object_(object) {}
    const json* find(const char* key) const {
        auto found = object_.find(key);
        return found == object_.end() ? nullptr : &*found;
    }
    std::string text(const char* key, bool required = true) const {
        const json* value = find(key);
        if (value == nullptr) {
            if (required)
                throw std::runtime_error(fmt::format("has no \"{}\"", key));
            return "";
        }
        if (!value->is_string())
            throw std::runtime_error(fmt::format("\"{}\" is not a string", key));
        return value->get<std::string>();
    }
    std::uint64_t whole(const char* key) const {
        const json* value = find(key);
        if (value == nullptr)
            throw std::runtime_error(fmt::format("has no \"{}\"", key));
        if (!value->is_number_unsigned())
            throw std::runtime_error(fmt::format("\"{}\" is not a whole number >= 0", key));
        return value->get<std::uint64_t>();
    }
    double number(const char* key) const {
        const json* value = find(key);
        if (value == nullptr)
            throw std::runtime_error(fmt::format("has no \"{}\"", key));
        if (!value->is_number())
            throw std::runtime_error(fmt::format("\"{}\" is not a number", key));
        return value->get<double>();
    }
    const json& object(const char* key) const {
        const json* value = find(key);
        if (value == nullptr)
            throw std::runtime_error(fmt::format("has no \"{}\"", key));
        if (!value->is_object())
            throw std::runtime_error(fmt::format("\"{}\" is not an object", key));
        return *value;
    }

private:
    const json& object_;
};

void read_result(const json& entry, LoadedReport& report) {
    if (!entry.is_object())
        throw std::runtime_error("is not an object");
    Fields fields(entry);
    auto cell = std::make_unique<Cell>();
    cell->scenario = fields.text("scenario");
    cell->arch = fields.text("arch");
    cell->os = fields.text("os");
    cell->backend = fields.text("backend");
    cell->variant = fields.text("variant");
    cell->name = cell_name(cell->scenario, cell->target_name(), cell->backend, cell->variant);
    CellResult result;
    result.cell = cell.get();
    result.repeat = static_cast<int>(fields.whole("repeat"));
    std::string name = fields.text("name");
    result.show_repeat = name != cell->name;
    if (result.name() != name)
        throw std::runtime_error(fmt::format("\"name\" '{}' is not its cell's, '{}' (repeat {})",
                                             name, cell->name, result.repeat));
    std::string verdict = fields.text("verdict");
    auto known = verdict_named(verdict);
    if (!known)
        throw std::runtime_error(fmt::format("\"verdict\" '{}' is not a verdict", verdict));
    result.verdict = *known;
    result.duration_s = fields.number("duration_s");
    result.cpu_s = fields.number("cpu_s");
    result.detail = fields.text("detail");
    result.emulator = fields.text("emulator", false);
    if (const json* seed = fields.find("seed")) {
        result.seeded = true;
        if (!seed->is_null())
            result.seed = fields.whole("seed");
        result.seeds_tried = static_cast<int>(fields.whole("seeds_tried"));
    }
    result.sweep_table = fields.text("signal_sweep", false);
    result.repeat_command = fields.text("repeat_command", false);
    result.trace_file = fields.text("trace", false);
    result.timeline_file = fields.text("timeline", false);
    report.cells.push_back(std::move(cell));
    report.results.push_back(std::move(result));
}

std::string shard_name(const LoadedReport& report) {
    return fmt::format("{} (shard {} of {})", report.source, report.header.shard->index,
                       report.header.shard->total);
}

// Every shard once, of the same total: "" or what is wrong.
std::string check_shards(const std::vector<LoadedReport>& reports) {
    const LoadedReport* unsharded = nullptr;
    for (const LoadedReport& report : reports) {
        if (!report.header.shard)
            unsharded = &report;
    }
    if (unsharded != nullptr && reports.size() > 1)
        return fmt::format("{} is not a shard's report (it has no \"shard\": crossrt run "
                           "--shard K/N writes one); merge the shards of one run",
                           unsharded->source);
    if (unsharded != nullptr)
        return "";
    unsigned total = reports.front().header.shard->total;
    std::map<unsigned, const LoadedReport*> by_index;
    for (const LoadedReport& report : reports) {
        if (report.header.shard->total != total)
            return fmt::format("{} and {}: shards of different splits", shard_name(reports.front()),
                               shard_name(report));
        auto [at, added] = by_index.emplace(report.header.shard->index, &report);
        if (!added)
            return fmt::format("{} and {} are the same shard", shard_name(*at->second),
                               shard_name(report));
    }
    std::vector<unsigned> missing, given;
    for (unsigned k = 1; k <= total; ++k)
        (by_index.count(k) != 0 ? given : missing).push_back(k);
    if (!missing.empty())
        return fmt::format("shard{} {} of {} missing (given: {})", missing.size() == 1 ? "" : "s",
                           fmt::join(missing, ", "), total,
                           given.empty() ? std::string("none")
                                         : fmt::format("{}", fmt::join(given, ", ")));
    return "";
}

} // namespace

std::optional<LoadedReport> load_json_report(const std::string& text, const std::string& source,
                                             std::string& error) {
    json parsed;
    try {
        parsed = json::parse(text);
    } catch (const json::parse_error& failure) {
        error = fmt::format("{}: not JSON: {}", source, failure.what());
        return std::nullopt;
    }
    LoadedReport report;
    report.source = source;
    if (!parsed.is_object()) {
        error = fmt::format("{}: not a crossrt JSON report (not an object)", source);
        return std::nullopt;
    }
    try {
        Fields top(parsed);
        const json* version = top.find("schema_version");
        if (version == nullptr)
            throw std::runtime_error(fmt::format(
                "has no \"schema_version\": written by a crossrt older than this one, which "
                "reads schema_version {}",
                kJsonReportSchemaVersion));
        if (*version != kJsonReportSchemaVersion)
            throw std::runtime_error(fmt::format(
                "schema_version {}, but this crossrt reads schema_version {}: merge reports "
                "with the crossrt that wrote them",
                version->dump(), kJsonReportSchemaVersion));
        Fields selection(top.object("selection"));
        report.header.selection = {selection.whole("cells"), selection.text("digest")};
        if (top.find("shard") != nullptr) {
            Fields shard(top.object("shard"));
            report.header.shard =
                ReportShard{static_cast<unsigned>(shard.whole("index")),
                            static_cast<unsigned>(shard.whole("total")), shard.text("costs")};
            if (report.header.shard->index == 0 ||
                report.header.shard->index > report.header.shard->total)
                throw std::runtime_error(fmt::format("\"shard\" {} of {} is not a shard",
                                                     report.header.shard->index,
                                                     report.header.shard->total));
        }
        if (const json* sandbox = top.find("sandbox")) {
            if (!sandbox->is_object())
                throw std::runtime_error("\"sandbox\" is not an object");
            for (const auto& [key, value] : sandbox->items())
                report.header.sandbox[key] = Fields(*sandbox).text(key.c_str());
        }
        const json* results = top.find("results");
        if (results == nullptr || !results->is_array())
            throw std::runtime_error("has no \"results\" array");
        for (std::size_t i = 0; i < results->size(); ++i) {
            try {
                read_result((*results)[i], report);
            } catch (const std::runtime_error& why) {
                throw std::runtime_error(fmt::format("results[{}] {}", i, why.what()));
            }
        }
    } catch (const std::runtime_error& why) {
        error = fmt::format("{}: {}", source, why.what());
        return std::nullopt;
    }
    return report;
}

std::optional<LoadedReport> merge_reports(std::vector<LoadedReport> reports, std::string& error) {
    if (reports.empty()) {
        error = "no reports to merge";
        return std::nullopt;
    }
    if (std::string why = check_shards(reports); !why.empty()) {
        error = why;
        return std::nullopt;
    }
    const LoadedReport& first = reports.front();
    for (const LoadedReport& report : reports) {
        const ReportSelection& a = first.header.selection;
        const ReportSelection& b = report.header.selection;
        if (a.cells != b.cells || a.digest != b.digest) {
            error = fmt::format(
                "{} and {} are shards of different selections ({} cells, digest {}; {} cells, "
                "digest {}): run every shard with the same patterns, filters and options",
                first.source, report.source, a.cells, a.digest, b.cells, b.digest);
            return std::nullopt;
        }
    }

    LoadedReport merged;
    merged.source = "merged";
    merged.header.selection = first.header.selection;
    bool same_sandbox = std::all_of(reports.begin(), reports.end(), [&](const LoadedReport& r) {
        return r.header.sandbox == first.header.sandbox;
    });
    std::map<std::string, std::string> owner; // result name -> report
    for (LoadedReport& report : reports) {
        for (CellResult& result : report.results) {
            auto [at, added] = owner.emplace(result.name(), report.source);
            if (!added) {
                error = fmt::format("{} is in both {} and {}: the shards did not split one "
                                    "selection (were their --shard-costs the same?)",
                                    result.name(), at->second, report.source);
                return std::nullopt;
            }
            merged.results.push_back(std::move(result));
        }
        for (auto& cell : report.cells)
            merged.cells.push_back(std::move(cell));
        for (const auto& [key, value] : report.header.sandbox) {
            // Shards on machines contained differently: each one's, by shard.
            merged.header.sandbox[same_sandbox ? key
                                               : fmt::format("shard {} {}",
                                                             report.header.shard->index, key)] =
                value;
        }
    }
    std::stable_sort(
        merged.results.begin(), merged.results.end(), [](const CellResult& a, const CellResult& b) {
            return a.cell->name != b.cell->name ? a.cell->name < b.cell->name : a.repeat < b.repeat;
        });
    std::vector<std::string> names;
    for (const CellResult& result : merged.results)
        names.push_back(result.name());
    if (names.size() != merged.header.selection.cells ||
        selection_digest(names) != merged.header.selection.digest) {
        error = fmt::format("the shards hold {} cells, not their selection's {} (digest {}, "
                            "theirs {}): a shard's report is incomplete or not of this run",
                            names.size(), merged.header.selection.cells,
                            merged.header.selection.digest, selection_digest(names));
        return std::nullopt;
    }
    return merged;
}

} // namespace crossrt
