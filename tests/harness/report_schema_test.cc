// docs/report.schema.json against real reports: crossrt run's (unsharded
// and a shard's) and crossrt merge's. The checker below knows the JSON
// Schema keywords the file uses and fails on any other, so that the file
// cannot say more than is checked.
#include "report/json.h"
#include "test_support.h"

#include <cstdlib>
#include <elf.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

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

std::vector<std::string> schema_errors(const json& report) {
    static const json schema = json::parse(
        test::read_file(std::string(CROSSRT_TEST_SOURCE_DIR) + "/docs/report.schema.json"));
    std::vector<std::string> errors;
    check(schema, report, "report", errors);
    return errors;
}

TEST(ReportSchema, DocumentsTheVersionWritten) {
    json schema = json::parse(
        test::read_file(std::string(CROSSRT_TEST_SOURCE_DIR) + "/docs/report.schema.json"));
    EXPECT_EQ(schema["properties"]["schema_version"]["const"], kJsonReportSchemaVersion);
}

class ReportSchemaRun : public ::testing::Test {
protected:
    int crossrt(const std::string& args) {
        std::string command =
            fmt::format("{} --scenarios {} --build-dir {} {} >{} 2>&1", CROSSRT_TEST_BINARY,
                        (dir.path() / "scenarios").string(), (dir.path() / "build").string(), args,
                        (dir.path() / "log").string());
        int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    json report(const std::string& name) { return json::parse(test::read_file(dir.path() / name)); }
    test::ScratchDir dir;
};

// Every optional key too: an emulator, seeds, a trace, a repeat, a skip,
// a failure, a shard, a merge.
TEST_F(ReportSchemaRun, RealReportsMatchTheSchema) {
    auto scenarios = dir.path() / "scenarios";
    test::write_file(scenarios / "plain/scenario.toml", R"(description = "native"
sources = ["main.c"]
arch = ["amd64", "arm"]
backends = ["native"]
[[regress]]
name = "crash"
define = "RT_CRASH"
symptom = "SIGSEGV"
[regress.expect]
signal = "SIGSEGV"
)");
    test::write_file(scenarios / "plain/main.c", "");
    test::write_file(scenarios / "kernel/scenario.toml", R"(description = "unicorn"
sources = ["main.c"]
arch = ["amd64"]
backends = ["unicorn"]
seed = 7
[expect]
exit = 3
)");
    test::write_file(scenarios / "kernel/main.c", "");
    auto binaries = dir.path() / "build/targets/amd64-linux/scenarios";
    test::write_file(binaries / "plain/fixed", "#!/bin/sh\nexit 0\n", true);
    test::write_file(binaries / "plain/regress-crash", "#!/bin/sh\nexit 0\n", true); // fails
    test::write_file(binaries / "kernel/fixed",
                     test::static_executable(EM_X86_64, test::print_cwd_code()), true);
    std::string d = dir.path().string();
    EXPECT_EQ(crossrt(fmt::format("run --repeat 2 --trace {0}/traces --json {0}/whole.json", d)), 1)
        << test::read_file(dir.path() / "log");
    EXPECT_EQ(crossrt(fmt::format("run --shard 1/2 --json {0}/s1.json", d)), 1);
    EXPECT_EQ(crossrt(fmt::format("run --shard 2/2 --json {0}/s2.json", d)), 0);
    EXPECT_EQ(crossrt(fmt::format("merge {0}/s1.json {0}/s2.json --json {0}/merged.json", d)), 1)
        << test::read_file(dir.path() / "log");
    json whole = report("whole.json");
    ASSERT_EQ(whole["results"].size(), 10u);
    json kernel = whole["results"][0];
    EXPECT_EQ(kernel["seed"], 7);
    EXPECT_THAT(kernel["emulator"].get<std::string>(), ::testing::StartsWith("unicorn "));
    EXPECT_TRUE(kernel.contains("trace"));
    for (const char* name : {"whole.json", "s1.json", "s2.json", "merged.json"})
        EXPECT_THAT(schema_errors(report(name)), IsEmpty()) << name;
    EXPECT_TRUE(report("s1.json").contains("shard"));
    EXPECT_FALSE(report("merged.json").contains("shard"));

    // The check can fail: what a reader of version 1 would misread.
    json broken = whole;
    broken["schema_version"] = 2;
    broken["results"][1]["verdict"] = "maybe";
    broken["results"][2].erase("detail");
    broken["results"][3]["seed"] = "7";
    broken["results"][4]["colour"] = "red";
    broken.erase("selection");
    EXPECT_THAT(schema_errors(broken),
                ::testing::UnorderedElementsAre(
                    "report: no \"selection\"", "report.schema_version: 2 is not 1",
                    HasSubstr("report.results[1].verdict: \"maybe\" is not one of"),
                    "report.results[2]: no \"detail\"",
                    HasSubstr("report.results[3].seed: \"7\" is not of type"),
                    "report.results[4]: \"colour\" is not in the schema"));
}

} // namespace
} // namespace crossrt
