#include "report/report_files.h"

#include "report/atomic_write.h"
#include "report/junit.h"
#include "report/tap.h"

#include <exception>
#include <fmt/format.h>

namespace crossrt {

bool write_report_files(const ReportPaths& paths, const std::vector<CellResult>& results,
                        const ReportHeader& header, const std::string& who) {
    bool ok = true;
    auto write = [&](const std::string& path, auto&& render) {
        if (path.empty())
            return;
        try {
            write_file_atomically(path, render());
        } catch (const std::exception& failed) {
            fmt::print(stderr, "crossrt: {}{}\n", who.empty() ? "" : who + ": ", failed.what());
            ok = false;
        }
    };
    write(paths.junit, [&] { return junit_report(results); });
    write(paths.json, [&] { return json_report(results, header); });
    write(paths.tap, [&] { return tap_report(results); });
    return ok;
}

} // namespace crossrt
