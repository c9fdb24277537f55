// The protocol between the unicorn backend and the process it runs in its
// sandbox, `crossrt unicorn-guest REQUEST`: what to run (the request, one
// JSON argument) and how the kernel's run ended (the report, one JSON line
// on the report fd). Both directions are built and parsed only here.
#pragma once

#include "base/end_kind.h"
#include "base/injection.h"
#include "base/outcome.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt {

struct GuestRequest {
    std::vector<std::string> argv;          // argv[0]: the binary to load, as the guest sees it
    std::optional<std::uint64_t> seed;      // unset: the kernel's fixed seed
    bool strict = false;                    // an unsupported syscall ends the run
    std::string trace_file;                 // empty: no trace
    std::vector<Injection> inject;          // signals at exact instructions
    std::optional<std::uint64_t> max_insns; // unset: the kernel's budget
    std::optional<std::uint64_t> max_memory;
    bool every_instruction = false; // count with an instruction hook
    // Where the report goes; unset: a line on stderr, and only for ends
    // that are not the guest's own exit or signal (a person at a terminal).
    std::optional<int> report_fd;
};

// The kernel's RunEnd, as it crosses the process boundary.
struct GuestReport {
    EndKind end = EndKind::error;
    int status = 0; // exited: the exit code; signaled: the signal
    std::string detail;
};

// nullopt when a string in it is not UTF-8, which JSON cannot carry.
std::optional<std::string> encode_request(const GuestRequest& request, std::string& error);
// nullopt on a malformed request, with what is wrong in `error`.
std::optional<GuestRequest> decode_request(std::string_view text, std::string& error);

std::string encode_report(const GuestReport& report); // one line, with its '\n'
// Reads the first line; nullopt (and `error`) when it is not a report.
std::optional<GuestReport> decode_report(std::string_view text, std::string& error);

// The Outcome of a guest process that ended by itself (exited or signaled)
// and wrote `report`: the kernel's end from the report. The process is the
// guest, so an exit or signal the report gives must be the process's own;
// when it is not, or there is no report, the emulator itself died (a crash,
// the CPU limit, a bad request) and the outcome is an error saying so.
Outcome apply_guest_report(Outcome process, std::string_view report);

} // namespace crossrt
