// Checks JSON against docs/report.schema.json (report_schema_test.cc).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace crossrt::test {

// "where: what" for each way the report breaks the schema; empty when it
// holds. Throws on a schema keyword the checker does not know.
std::vector<std::string> report_schema_errors(const nlohmann::json& report);

} // namespace crossrt::test
