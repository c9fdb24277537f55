#include "backend/guest_protocol.h"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <nlohmann/json.hpp>

namespace crossrt {
namespace {

using nlohmann::json;

// Checked access to a decoded object: every getter records the first thing
// that is wrong, so a decoder reads straight through and asks once at the end.
class Reader {
public:
    Reader(const json& object, std::string what) : object_(object), what_(std::move(what)) {}

    const json* find(const char* key) {
        known_.push_back(key);
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    template <typename T>
    std::optional<T> unsigned_number(const char* key) {
        const json* value = find(key);
        if (value == nullptr)
            return std::nullopt;
        if (!value->is_number_unsigned() || value->get<std::uint64_t>() > max_of<T>())
            return fail<T>(key, fmt::format("an unsigned number up to {}", max_of<T>()));
        return value->get<T>();
    }

    std::optional<std::string> text(const char* key) {
        const json* value = find(key);
        if (value == nullptr)
            return std::nullopt;
        if (!value->is_string())
            return fail<std::string>(key, "a string");
        return value->get<std::string>();
    }

    std::optional<double> number(const char* key) {
        const json* value = find(key);
        if (value == nullptr)
            return std::nullopt;
        if (!value->is_number())
            return fail<double>(key, "a number");
        return value->get<double>();
    }

    std::optional<bool> boolean(const char* key) {
        const json* value = find(key);
        if (value == nullptr)
            return std::nullopt;
        if (!value->is_boolean())
            return fail<bool>(key, "true or false");
        return value->get<bool>();
    }

    void require(const char* key) {
        if (object_.find(key) == object_.end() && error_.empty())
            error_ = fmt::format("{} has no '{}'", what_, key);
    }

    void wrong(const std::string& why) {
        if (error_.empty())
            error_ = fmt::format("{}: {}", what_, why);
    }

    // Call after every getter: a key nobody asked for is a mistake too.
    bool ok(std::string& error) {
        for (const auto& [key, value] : object_.items()) {
            if (std::find(known_.begin(), known_.end(), key) == known_.end())
                wrong(fmt::format("unknown key '{}'", key));
        }
        error = error_;
        return error_.empty();
    }

private:
    template <typename T>
    static std::uint64_t max_of() {
        return static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    }

    template <typename T>
    std::optional<T> fail(const char* key, const std::string& want) {
        wrong(fmt::format("'{}' must be {}", key, want));
        return std::nullopt;
    }

    const json& object_;
    std::string what_;
    std::vector<std::string> known_;
    std::string error_;
};

std::optional<json> parse_object(std::string_view text, const char* what, std::string& error) {
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
        error = fmt::format("{} is not a JSON object: {}", what, text.substr(0, 200));
        return std::nullopt;
    }
    return value;
}

json encode_injection(const Injection& injection) {
    json object = {{"signal", injection.signo}, {"at", injection.at}};
    if (injection.lwp != 0)
        object["lwp"] = injection.lwp;
    return object;
}

std::optional<Injection> decode_injection(const json& value, std::size_t index, Reader& request) {
    std::string what = fmt::format("inject[{}]", index);
    if (!value.is_object()) {
        request.wrong(fmt::format("{} must be an object", what));
        return std::nullopt;
    }
    Reader reader(value, what);
    reader.require("signal");
    reader.require("at");
    Injection injection;
    injection.signo = reader.unsigned_number<int>("signal").value_or(0);
    injection.at = reader.unsigned_number<std::uint64_t>("at").value_or(0);
    injection.lwp = reader.unsigned_number<int>("lwp").value_or(0);
    if (injection.signo < 1 || injection.signo > 64)
        reader.wrong("'signal' must be a signal number, 1 to 64");
    std::string error;
    if (!reader.ok(error)) {
        request.wrong(error);
        return std::nullopt;
    }
    return injection;
}

// Guest output is bytes, JSON strings are UTF-8: each byte travels as the
// code point of the same value (Latin-1), so nothing is lost.
std::string bytes_as_text(const std::string& bytes) {
    std::string text;
    text.reserve(bytes.size());
    for (unsigned char byte : bytes) {
        if (byte < 0x80) {
            text.push_back(static_cast<char>(byte));
        } else {
            text.push_back(static_cast<char>(0xc0 | (byte >> 6)));
            text.push_back(static_cast<char>(0x80 | (byte & 0x3f)));
        }
    }
    return text;
}

std::optional<std::string> text_as_bytes(const std::string& text) {
    std::string bytes;
    bytes.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            bytes.push_back(static_cast<char>(byte));
        } else if ((byte == 0xc2 || byte == 0xc3) && i + 1 < text.size()) {
            auto next = static_cast<unsigned char>(text[++i]);
            bytes.push_back(static_cast<char>(((byte & 0x03) << 6) | (next & 0x3f)));
        } else {
            return std::nullopt;
        }
    }
    return bytes;
}

json encode_policy(const SchedulePolicyRequest& policy) {
    json deviations = json::array();
    for (const Deviation& deviation : policy.deviations)
        deviations.push_back({deviation.point, deviation.pid, deviation.lwp});
    return {{"strategy", policy.strategy},
            {"pct_depth", policy.pct_depth},
            {"pct_steps", policy.pct_steps},
            {"deviations", std::move(deviations)}};
}

void decode_policy(const json& object, SchedulePolicyRequest& policy, Reader& reader) {
    try {
        policy.strategy = object.at("strategy").get<std::string>();
        policy.pct_depth = object.at("pct_depth").get<int>();
        policy.pct_steps = object.at("pct_steps").get<std::uint64_t>();
        for (const json& deviation : object.at("deviations"))
            policy.deviations.push_back({deviation.at(0).get<std::uint64_t>(),
                                         deviation.at(1).get<int>(), deviation.at(2).get<int>()});
    } catch (const json::exception&) {
        reader.wrong("'policy' must be {strategy, pct_depth, pct_steps, deviations: [[point, "
                     "pid, lwp]...]}");
    }
}

} // namespace

std::optional<std::string> encode_request(const GuestRequest& request, std::string& error) {
    json object = {{"argv", request.argv}};
    if (request.seed)
        object["seed"] = *request.seed;
    if (request.strict)
        object["strict"] = true;
    if (!request.trace_file.empty())
        object["trace"] = request.trace_file;
    if (!request.timeline_file.empty())
        object["timeline"] = request.timeline_file;
    if (!request.schedule_file.empty())
        object["schedule"] = request.schedule_file;
    if (!request.record_schedule_file.empty())
        object["record_schedule"] = request.record_schedule_file;
    if (!request.policy.is_default())
        object["policy"] = encode_policy(request.policy);
    if (!request.points_file.empty())
        object["points"] = request.points_file;
    if (!request.inject.empty()) {
        json list = json::array();
        for (const Injection& injection : request.inject)
            list.push_back(encode_injection(injection));
        object["inject"] = std::move(list);
    }
    if (request.max_insns)
        object["max_insns"] = *request.max_insns;
    if (request.max_memory)
        object["max_memory"] = *request.max_memory;
    if (request.every_instruction)
        object["every_instruction"] = true;
    if (request.cpus)
        object["cpus"] = *request.cpus;
    if (request.env)
        object["env"] = *request.env;
    if (!request.mounts.empty()) {
        json list = json::array();
        for (const Mount& mount : request.mounts)
            list.push_back(mount_spec(mount));
        object["mounts"] = std::move(list);
    }
    if (!request.cwd.empty())
        object["cwd"] = request.cwd;
    if (!request.sysroot.empty())
        object["sysroot"] = request.sysroot;
    if (request.sweep) {
        object["sweep"] = {{"first", request.sweep->first},
                           {"count", request.sweep->count},
                           {"parallel", request.sweep->parallel},
                           {"timeout", request.sweep->timeout_s},
                           {"output_bytes", request.sweep->output_bytes}};
        if (!request.sweep->policies.empty()) {
            json policies = json::array();
            for (const SchedulePolicyRequest& policy : request.sweep->policies)
                policies.push_back(encode_policy(policy));
            object["sweep"]["policies"] = std::move(policies);
        }
    }
    if (request.signal_sweep) {
        object["signal_sweep"] = {{"spec", request.signal_sweep->spec},
                                  {"parallel", request.signal_sweep->parallel},
                                  {"timeout", request.signal_sweep->timeout_s},
                                  {"output_bytes", request.signal_sweep->output_bytes}};
    }
    if (request.report_fd)
        object["report_fd"] = *request.report_fd;
    if (request.gdb_fd)
        object["gdb_fd"] = *request.gdb_fd;
    try {
        return object.dump();
    } catch (const json::type_error&) {
        error = "the unicorn guest's request is JSON, and an argument or path in it is not UTF-8";
        return std::nullopt;
    }
}

std::optional<GuestRequest> decode_request(std::string_view text, std::string& error) {
    auto object = parse_object(text, "the request", error);
    if (!object)
        return std::nullopt;
    Reader reader(*object, "the request");
    GuestRequest request;
    reader.require("argv");
    if (const json* argv = reader.find("argv")) {
        bool strings = argv->is_array() && !argv->empty();
        for (const json& arg : *argv)
            strings = strings && arg.is_string();
        if (strings)
            request.argv = argv->get<std::vector<std::string>>();
        else
            reader.wrong("'argv' must be a non-empty array of strings");
    }
    request.seed = reader.unsigned_number<std::uint64_t>("seed");
    request.strict = reader.boolean("strict").value_or(false);
    request.trace_file = reader.text("trace").value_or("");
    request.timeline_file = reader.text("timeline").value_or("");
    request.schedule_file = reader.text("schedule").value_or("");
    request.record_schedule_file = reader.text("record_schedule").value_or("");
    request.points_file = reader.text("points").value_or("");
    if (const json* policy = reader.find("policy"))
        decode_policy(*policy, request.policy, reader);
    if (const json* inject = reader.find("inject")) {
        if (!inject->is_array())
            reader.wrong("'inject' must be an array");
        for (std::size_t i = 0; inject->is_array() && i < inject->size(); ++i) {
            if (auto injection = decode_injection((*inject)[i], i, reader))
                request.inject.push_back(*injection);
        }
    }
    request.max_insns = reader.unsigned_number<std::uint64_t>("max_insns");
    request.max_memory = reader.unsigned_number<std::uint64_t>("max_memory");
    request.every_instruction = reader.boolean("every_instruction").value_or(false);
    if (auto cpus = reader.unsigned_number<unsigned>("cpus"))
        request.cpus = static_cast<int>(*cpus);
    if (const json* mounts = reader.find("mounts")) {
        if (!mounts->is_array())
            reader.wrong("'mounts' must be an array");
        for (std::size_t i = 0; mounts->is_array() && i < mounts->size(); ++i) {
            const json& spec = (*mounts)[i];
            std::string why = "must be a string";
            std::optional<Mount> mount =
                spec.is_string() ? parse_mount(spec.get<std::string>(), why) : std::nullopt;
            if (mount)
                request.mounts.push_back(*mount);
            else
                reader.wrong(fmt::format("mounts[{}] {}", i, why));
        }
    }
    request.cwd = reader.text("cwd").value_or("");
    request.sysroot = reader.text("sysroot").value_or("");
    if (const json* env = reader.find("env")) {
        bool strings = env->is_array();
        for (const json& entry : *env)
            strings = strings && entry.is_string();
        if (strings)
            request.env = env->get<std::vector<std::string>>();
        else
            reader.wrong("'env' must be an array of strings");
    }
    if (const json* sweep = reader.find("sweep")) {
        if (!sweep->is_object()) {
            reader.wrong("'sweep' must be an object");
        } else {
            Reader fields(*sweep, "sweep");
            GuestRequest::Sweep range;
            fields.require("first");
            fields.require("count");
            range.first = fields.unsigned_number<std::uint64_t>("first").value_or(0);
            range.count = fields.unsigned_number<std::uint64_t>("count").value_or(0);
            range.parallel = fields.unsigned_number<int>("parallel").value_or(1);
            range.timeout_s = fields.number("timeout").value_or(0);
            range.output_bytes =
                fields.unsigned_number<std::uint64_t>("output_bytes").value_or(range.output_bytes);
            if (const json* policies = fields.find("policies")) {
                if (!policies->is_array() || policies->size() != range.count) {
                    fields.wrong("'policies' must be an array of 'count' policies");
                } else {
                    for (const json& each : *policies) {
                        SchedulePolicyRequest policy;
                        decode_policy(each, policy, fields);
                        range.policies.push_back(std::move(policy));
                    }
                }
            }
            std::string why;
            if (!fields.ok(why))
                reader.wrong(why);
            request.sweep = range;
        }
    }
    if (const json* sweep = reader.find("signal_sweep")) {
        if (!sweep->is_object()) {
            reader.wrong("'signal_sweep' must be an object");
        } else {
            Reader fields(*sweep, "signal_sweep");
            GuestRequest::SignalSweep points;
            fields.require("spec");
            points.spec = fields.text("spec").value_or("");
            points.parallel = fields.unsigned_number<int>("parallel").value_or(1);
            points.timeout_s = fields.number("timeout").value_or(0);
            points.output_bytes =
                fields.unsigned_number<std::uint64_t>("output_bytes").value_or(points.output_bytes);
            std::string why;
            if (!fields.ok(why))
                reader.wrong(why);
            request.signal_sweep = points;
        }
    }
    request.report_fd = reader.unsigned_number<int>("report_fd");
    request.gdb_fd = reader.unsigned_number<int>("gdb_fd");
    if (!reader.ok(error))
        return std::nullopt;
    return request;
}

std::string encode_report(const GuestReport& report) {
    json object = {{"end", std::string(end_kind_name(report.end))},
                   {"status", report.status},
                   {"detail", report.detail}};
    if (report.schedule_hash)
        object["schedule_hash"] = *report.schedule_hash;
    // A detail may quote guest bytes: replace what is not UTF-8.
    return object.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<GuestReport> decode_report(std::string_view text, std::string& error) {
    auto object = parse_object(text.substr(0, text.find('\n')), "the report", error);
    if (!object)
        return std::nullopt;
    Reader reader(*object, "the report");
    GuestReport report;
    reader.require("end");
    if (auto name = reader.text("end")) {
        if (auto end = end_kind_from_name(*name))
            report.end = *end;
        else
            reader.wrong(fmt::format("unknown end '{}'", *name));
    }
    report.status = reader.unsigned_number<int>("status").value_or(0);
    report.detail = reader.text("detail").value_or("");
    report.schedule_hash = reader.unsigned_number<std::uint64_t>("schedule_hash");
    if (!reader.ok(error))
        return std::nullopt;
    return report;
}

Outcome apply_guest_report(Outcome outcome, std::string_view text) {
    std::string why;
    auto report = decode_report(text, why);
    if (!report) {
        std::string status = describe_outcome(outcome);
        outcome.end = EndKind::error;
        outcome.detail = text.empty()
                             ? fmt::format("unicorn guest ended ({}) without a report", status)
                             : fmt::format("unicorn guest ({}): {}", status, why);
        if (!outcome.err.empty())
            outcome.detail += fmt::format("; stderr: {}", tail(outcome.err));
        return outcome;
    }
    bool own_end = report->end == EndKind::exited || report->end == EndKind::signaled;
    if (own_end && (report->end != outcome.end || report->status != outcome.status)) {
        Outcome reported;
        reported.end = report->end;
        reported.status = report->status;
        std::string seen = describe_outcome(outcome);
        outcome.end = EndKind::error;
        outcome.detail = fmt::format("unicorn guest reported {} but ended with {}",
                                     describe_outcome(reported), seen);
        return outcome;
    }
    outcome.end = report->end;
    outcome.status = report->status;
    outcome.detail = report->detail;
    outcome.schedule_hash = report->schedule_hash;
    if (report->end == EndKind::error || report->end == EndKind::unsupported)
        outcome.detail = fmt::format("unicorn kernel: {}", report->detail);
    return outcome;
}

std::string sweep_trace_file(const std::string& trace, std::uint64_t seed) {
    return fmt::format("{}.seed-{}", trace, seed);
}

std::string encode_seed_report(const SeedReport& report) {
    const Outcome& outcome = report.outcome;
    json object = {{"seed", report.seed},
                   {"end", std::string(end_kind_name(outcome.end))},
                   {"status", outcome.status},
                   {"duration", outcome.duration_s},
                   {"cpu", report.cpu_s},
                   {"out", bytes_as_text(outcome.out)},
                   {"err", bytes_as_text(outcome.err)},
                   {"report", bytes_as_text(report.report)}};
    return object.dump() + "\n";
}

std::optional<SeedReport> decode_seed_report(std::string_view line, std::string& error) {
    auto object = parse_object(line, "a seed report", error);
    if (!object)
        return std::nullopt;
    Reader reader(*object, "a seed report");
    SeedReport report;
    for (const char* key : {"seed", "end", "status", "out", "err", "report"})
        reader.require(key);
    report.seed = reader.unsigned_number<std::uint64_t>("seed").value_or(0);
    std::string end = reader.text("end").value_or("");
    auto kind = end_kind_from_name(end);
    if (!kind)
        reader.wrong(fmt::format("'end' is not a known end: '{}'", end));
    report.outcome.end = kind.value_or(EndKind::error);
    report.outcome.status =
        static_cast<int>(reader.unsigned_number<unsigned>("status").value_or(0));
    report.outcome.duration_s = reader.number("duration").value_or(0);
    report.cpu_s = reader.number("cpu").value_or(0);
    auto out = text_as_bytes(reader.text("out").value_or(""));
    auto err = text_as_bytes(reader.text("err").value_or(""));
    auto side = text_as_bytes(reader.text("report").value_or(""));
    if (!out || !err || !side)
        reader.wrong("'out', 'err' and 'report' must hold bytes as Latin-1 code points");
    if (!reader.ok(error))
        return std::nullopt;
    report.outcome.out = std::move(*out);
    report.outcome.err = std::move(*err);
    report.report = std::move(*side);
    return report;
}

Outcome seed_outcome(const SeedReport& report) {
    Outcome fork = report.outcome;
    fork.cpu_s = report.cpu_s;
    if (fork.end != EndKind::exited && fork.end != EndKind::signaled)
        return fork; // a timeout or the output cap stands
    return apply_guest_report(fork, report.report);
}

} // namespace crossrt
