// A check of JSON against docs/report.schema.json, and its own test
// (CliTest.RealReportsMatchTheSchema checks real reports with it). The
// checker knows the JSON Schema keywords the file uses and throws on any
// other, so that the file cannot say more than is checked.
#include "report/json.h"
#include "report_schema.h"
#include "test_support.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

bool has_type(const json& value, const std::string& type) {
    if (type == "object")
        return value.is_object();
    if (type == "array")
        return value.is_array();
    if (type == "string")
        return value.is_string();
    if (type == "integer")
        return value.is_number_integer();
    if (type == "number")
        return value.is_number();
    if (type == "boolean")
        return value.is_boolean();
    if (type == "null")
        return value.is_null();
    throw std::runtime_error("the checker does not know the type " + type);
}

// Appends "where: what" for each way `value` breaks `schema`.
void check(const json& schema, const json& value, const std::string& where,
           std::vector<std::string>& errors) {
    for (const auto& [keyword, rule] : schema.items()) {
        if (keyword == "$schema" || keyword == "$id" || keyword == "title" ||
            keyword == "description") {
            continue;
        } else if (keyword == "type") {
            std::vector<std::string> types =
                rule.is_array() ? rule.get<std::vector<std::string>>()
                                : std::vector<std::string>{rule.get<std::string>()};
            bool any = false;
            for (const std::string& type : types)
                any = any || has_type(value, type);
            if (!any)
                errors.push_back(
                    fmt::format("{}: {} is not of type {}", where, value.dump(), rule.dump()));
        } else if (keyword == "const") {
            if (value != rule)
                errors.push_back(fmt::format("{}: {} is not {}", where, value.dump(), rule.dump()));
        } else if (keyword == "enum") {
            if (std::find(rule.begin(), rule.end(), value) == rule.end())
                errors.push_back(
                    fmt::format("{}: {} is not one of {}", where, value.dump(), rule.dump()));
        } else if (keyword == "minimum") {
            if (value.is_number() && value.get<double>() < rule.get<double>())
                errors.push_back(
                    fmt::format("{}: {} is below {}", where, value.dump(), rule.dump()));
        } else if (keyword == "required") {
            for (const auto& key : rule) {
                if (value.is_object() && !value.contains(key.get<std::string>()))
                    errors.push_back(fmt::format("{}: no \"{}\"", where, key.get<std::string>()));
            }
        } else if (keyword == "properties") {
            for (const auto& [key, sub] : rule.items()) {
                if (value.is_object() && value.contains(key))
                    check(sub, value.at(key), where + "." + key, errors);
            }
        } else if (keyword == "additionalProperties") {
            if (!value.is_object())
                continue;
            for (const auto& [key, item] : value.items()) {
                if (schema.contains("properties") && schema["properties"].contains(key))
                    continue;
                if (rule.is_boolean() && !rule.get<bool>())
                    errors.push_back(fmt::format("{}: \"{}\" is not in the schema", where, key));
                else if (rule.is_object())
                    check(rule, item, where + "." + key, errors);
            }
        } else if (keyword == "items") {
            if (!value.is_array())
                continue;
            for (std::size_t i = 0; i < value.size(); ++i)
                check(rule, value[i], fmt::format("{}[{}]", where, i), errors);
        } else {
            throw std::runtime_error("the checker does not know the keyword " + keyword);
        }
    }
}

} // namespace
} // namespace crossrt

namespace crossrt::test {

std::vector<std::string> report_schema_errors(const nlohmann::json& report) {
    static const json schema = json::parse(
        test::read_file(std::string(CROSSRT_TEST_SOURCE_DIR) + "/docs/report.schema.json"));
    std::vector<std::string> errors;
    check(schema, report, "report", errors);
    return errors;
}

} // namespace crossrt::test

namespace crossrt {
namespace {

TEST(ReportSchema, DocumentsTheVersionWritten) {
    json schema = json::parse(
        test::read_file(std::string(CROSSRT_TEST_SOURCE_DIR) + "/docs/report.schema.json"));
    EXPECT_EQ(schema["properties"]["schema_version"]["const"], kJsonReportSchemaVersion);
}

// The check can fail: what a reader of version 1 would misread.
TEST(ReportSchema, RefusesWhatBreaksIt) {
    auto parsed = test::parse("description = \"d\"\nsources = [\"m.c\"]\narch = [\"arm\"]\n");
    ASSERT_TRUE(parsed.manifest);
    parsed.manifest->name = "alpha";
    std::vector<Manifest> manifests = {*parsed.manifest};
    std::vector<Cell> cells = expand_matrix(manifests, test::test_targets(), nullptr);
    std::vector<CellResult> results;
    for (const Cell& cell : cells) {
        CellResult result;
        result.cell = &cell;
        result.verdict = Verdict::pass;
        results.push_back(result);
    }
    ASSERT_GE(results.size(), 3u);
    json report = json::parse(json_report(results));
    EXPECT_THAT(test::report_schema_errors(report), IsEmpty());
    report["schema_version"] = 2;
    report["results"][0]["verdict"] = "maybe";
    report["results"][1].erase("detail");
    report["results"][2]["duration_s"] = "7";
    report["results"][2]["colour"] = "red";
    report.erase("selection");
    EXPECT_THAT(test::report_schema_errors(report),
                ::testing::UnorderedElementsAre(
                    "report: no \"selection\"", "report.schema_version: 2 is not 1",
                    HasSubstr("report.results[0].verdict: \"maybe\" is not one of"),
                    "report.results[1]: no \"detail\"",
                    HasSubstr("report.results[2].duration_s: \"7\" is not of type"),
                    "report.results[2]: \"colour\" is not in the schema"));
}

} // namespace
} // namespace crossrt
