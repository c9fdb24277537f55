#include "backend/sweep_protocol.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

using nlohmann::json;

std::optional<json> parse(std::string_view line, const char* what, std::string& error) {
    json value = json::parse(line, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
        error = fmt::format("{} is not a JSON object: {}", what, line.substr(0, 200));
        return std::nullopt;
    }
    return value;
}

} // namespace

std::string encode_sweep_plan(const SweepPlan& plan) {
    json instructions = json::array();
    for (const RegionInstruction& instruction : plan.instructions)
        instructions.push_back({instruction.address, instruction.text});
    json points = json::array();
    for (const SignalPoint& point : plan.points)
        points.push_back({point.address, point.count, point.lwp, point.pid});
    json object = {{"plan",
                    {{"region", plan.region},
                     {"begin", plan.begin},
                     {"end", plan.end},
                     {"instructions", std::move(instructions)},
                     {"points", std::move(points)},
                     {"discovery", plan.discovery}}}};
    return object.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<SweepPlan> decode_sweep_plan(std::string_view line, std::string& error) {
    auto object = parse(line, "a sweep plan", error);
    if (!object)
        return std::nullopt;
    // One sender, in this same executable: a malformed plan is a bug, and
    // the exception's text says where.
    try {
        if (!object->contains("plan")) {
            error = "the line is not a sweep plan";
            return std::nullopt;
        }
        const json& fields = object->at("plan");
        SweepPlan plan;
        plan.region = fields.at("region").get<std::string>();
        plan.begin = fields.at("begin").get<std::uint64_t>();
        plan.end = fields.at("end").get<std::uint64_t>();
        for (const json& each : fields.at("instructions"))
            plan.instructions.push_back(
                {each.at(0).get<std::uint64_t>(), each.at(1).get<std::string>()});
        for (const json& each : fields.at("points"))
            plan.points.push_back({each.at(0).get<std::uint64_t>(), each.at(1).get<std::uint64_t>(),
                                   each.at(2).get<int>(), each.at(3).get<int>()});
        plan.discovery = fields.at("discovery").get<std::string>();
        return plan;
    } catch (const json::exception& failure) {
        error = fmt::format("a malformed sweep plan: {}", failure.what());
        return std::nullopt;
    }
}

std::string encode_point_report(const PointReport& report) {
    std::string run = encode_seed_report(report.run);
    run.pop_back(); // its '\n'
    json object = {{"point", report.index}, {"landed_lwp", report.landed_lwp}, {"run", run}};
    if (report.landed_pc)
        object["landed_pc"] = *report.landed_pc;
    return object.dump() + "\n";
}

std::optional<PointReport> decode_point_report(std::string_view line, std::string& error) {
    auto object = parse(line, "a point report", error);
    if (!object)
        return std::nullopt;
    try {
        PointReport report;
        report.index = object->at("point").get<std::uint64_t>();
        report.landed_lwp = object->at("landed_lwp").get<int>();
        if (object->contains("landed_pc"))
            report.landed_pc = object->at("landed_pc").get<std::uint64_t>();
        auto run = decode_seed_report(object->at("run").get<std::string>(), error);
        if (!run)
            return std::nullopt;
        report.run = std::move(*run);
        return report;
    } catch (const json::exception& failure) {
        error = fmt::format("a malformed point report: {}", failure.what());
        return std::nullopt;
    }
}

} // namespace crossrt
