#include "report/junit.h"

#include <fmt/format.h>
#include <map>

namespace crossrt {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
            return 0;
    }
    return length;
}

std::string testcase_name(const CellResult& result) {
    // The rest of the cell name after "<scenario>/".
    return result.name().substr(result.cell->scenario.size() + 1);
}

// The counts a <testsuite> or <testsuites> carries, by the elements below.
struct JunitCounts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
};

JunitCounts junit_counts(const Tally& tally) {
    return {tally.total, tally.failed + tally.timeout + tally.budget + tally.memory + tally.xpass,
            tally.error, tally.skipped + tally.xfail};
}

std::string testcase_properties(const CellResult& result) {
    std::vector<std::pair<std::string, std::string>> properties = {
        {"backend", result.cell->backend}, {"arch", result.cell->arch}, {"os", result.cell->os}};
    if (!result.emulator.empty())
        properties.emplace_back("emulator", result.emulator);
    if (result.seeded)
        properties.emplace_back("seed", result.seed ? std::to_string(*result.seed) : "default");
    if (!result.repeat_command.empty())
        properties.emplace_back("repeat_command", result.repeat_command);
    std::string xml = "      <properties>\n";
    for (const auto& [name, value] : properties)
        xml +=
            fmt::format("        <property name=\"{}\" value=\"{}\"/>\n", name, xml_escape(value));
    return xml + "      </properties>\n";
}

} // namespace

std::string xml_escape(const std::string& text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char c = text[i];
        switch (c) {
        case '&':
            escaped += "&amp;";
            break;
        case '<':
            escaped += "&lt;";
            break;
        case '>':
            escaped += "&gt;";
            break;
        case '"':
            escaped += "&quot;";
            break;
        case '\'':
            escaped += "&apos;";
            break;
        case '\n':
            escaped += "&#10;";
            break;
        case '\t':
        case '\r':
            escaped += c;
            break;
        default: {
            std::size_t length = utf8_sequence_length(text, i);
            if (length == 0 || (length == 1 && static_cast<unsigned char>(c) < 0x20)) {
                escaped += '?';
                length = 1;
            } else {
                escaped.append(text, i, length);
            }
            i += length;
            continue;
        }
        }
        ++i;
    }
    return escaped;
}

std::string junit_report(const std::vector<CellResult>& results) {
    std::map<std::string, std::vector<const CellResult*>> by_scenario;
    for (const CellResult& result : results)
        by_scenario[result.cell->scenario].push_back(&result);

    JunitCounts all = junit_counts(tally(results));
    double total_time = 0;
    for (const CellResult& result : results)
        total_time += result.duration_s;
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += fmt::format(
        "<testsuites name=\"crossrt\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "time=\"{:.3f}\">\n",
        all.tests, all.failures, all.errors, all.skipped, total_time);
    for (const auto& [scenario, cases] : by_scenario) {
        std::vector<CellResult> copies;
        double suite_time = 0;
        for (const CellResult* result : cases) {
            copies.push_back(*result);
            suite_time += result->duration_s;
        }
        JunitCounts counts = junit_counts(tally(copies));
        xml += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
                           "skipped=\"{}\" time=\"{:.3f}\">\n",
                           xml_escape(scenario), counts.tests, counts.failures, counts.errors,
                           counts.skipped, suite_time);
        for (const CellResult* result : cases) {
            xml += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n",
                               xml_escape(scenario), xml_escape(testcase_name(*result)),
                               result->duration_s);
            xml += testcase_properties(*result);
            std::string verdict(verdict_name(result->verdict));
            std::string message = xml_escape(result->detail.empty() ? verdict : result->detail);
            if (result->verdict == Verdict::skip || result->verdict == Verdict::xfail) {
                xml += fmt::format("      <skipped message=\"{}\"/>\n", message);
            } else if (result->verdict == Verdict::error) {
                xml += fmt::format("      <error message=\"{}\" type=\"error\"/>\n", message);
            } else if (is_failure(result->verdict)) {
                xml +=
                    fmt::format("      <failure message=\"{}\" type=\"{}\"/>\n", message, verdict);
            }
            if (!result->detail.empty()) {
                xml +=
                    fmt::format("      <system-out>{}</system-out>\n", xml_escape(result->detail));
            }
            xml += "    </testcase>\n";
        }
        xml += "  </testsuite>\n";
    }
    xml += "</testsuites>\n";
    return xml;
}

} // namespace crossrt
