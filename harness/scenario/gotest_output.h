// What a Go test binary run with -test.v printed: each top-level test's
// verdict, and how the run ended.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

enum class GoTestStatus { pass, fail, skip };

std::string_view gotest_status_name(GoTestStatus status); // "pass", "fail", "skip"

struct GoTestRun {
    // Top-level tests (and examples) that reported a verdict, by name.
    // Subtests ("TestX/case") count through their parent.
    std::map<std::string, GoTestStatus> tests;
    // Started ("=== RUN") but never reported: the test that was running
    // when the binary crashed or was stopped, in the order they started.
    std::vector<std::string> unfinished;
    // The binary's closing line: "PASS" or "FAIL"; empty when it died first.
    std::string summary;
    // The first line that says why the binary died ("panic: ...",
    // "fatal error: ...", "unexpected fault address ..."); empty if none.
    std::string crash;
    // The last line of stderr, or else of stdout, that is no test's start
    // or verdict: what a binary that died without a crash line said last
    // (a log.Fatal's message).
    std::string last_words;

    std::size_t count(GoTestStatus status) const;
};

// `out` is the binary's stdout, `err` its stderr (panics go there). A test
// that writes without a final newline can put a "--- PASS" line after its
// own text; such lines are still read.
GoTestRun parse_gotest_output(std::string_view out, std::string_view err);

} // namespace crossrt
