// A checker of Chrome's trace-event format (JSON Object Format), as a trace
// viewer's importer needs it: what the timeline tests hold every file to.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace crossrt::kernel::test {

// Everything wrong with `document`, one line each; empty: it loads. Every
// event has ph, name, ts, pid and tid; "X" a dur >= 0; "i" a scope; "B"/"E"
// pair up; on each (pid, tid) track the slices nest (a slice that starts
// inside another ends inside it too); every track and process that has
// events is named by "M" metadata.
std::vector<std::string> trace_event_problems(const nlohmann::json& document);

// "ts" (microseconds, three decimals) as whole nanoseconds.
std::int64_t event_ns(const nlohmann::json& event, const char* key = "ts");

} // namespace crossrt::kernel::test
