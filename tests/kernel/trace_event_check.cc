#include "trace_event_check.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

namespace crossrt::kernel::test {

std::int64_t event_ns(const nlohmann::json& event, const char* key) {
    return std::llround(event.at(key).get<double>() * 1000.0);
}

std::vector<std::string> trace_event_problems(const nlohmann::json& document) {
    std::vector<std::string> problems;
    if (!document.is_object() || !document.contains("traceEvents") ||
        !document["traceEvents"].is_array())
        return {"not an object with a traceEvents array"};
    using Track = std::pair<std::int64_t, std::int64_t>;
    struct Slice {
        std::int64_t begin, end;
        std::size_t index;
    };
    std::map<Track, std::vector<Slice>> slices;
    std::map<Track, std::vector<std::size_t>> begun; // open "B" events
    std::set<Track> tracks, named_tracks;
    std::set<std::int64_t> pids, named_pids;
    const auto& events = document["traceEvents"];
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& event = events[i];
        auto problem = [&](const std::string& what) {
            problems.push_back(fmt::format("event {}: {}: {}", i, what, event.dump()));
        };
        if (!event.is_object()) {
            problem("not an object");
            continue;
        }
        bool fields = event.contains("ph") && event["ph"].is_string() && event.contains("name") &&
                      event["name"].is_string() && event.contains("ts") &&
                      event["ts"].is_number() && event.contains("pid") &&
                      event["pid"].is_number_integer() && event.contains("tid") &&
                      event["tid"].is_number_integer();
        if (!fields) {
            problem("needs ph, name (strings), ts (a number), pid and tid (integers)");
            continue;
        }
        std::string ph = event["ph"];
        Track track{event["pid"].get<std::int64_t>(), event["tid"].get<std::int64_t>()};
        std::int64_t ts = event_ns(event);
        if (ts < 0)
            problem("ts < 0");
        if (ph == "M") {
            if (!event.contains("args") || !event["args"].is_object())
                problem("metadata without args");
            else if (event["name"] == "thread_name")
                named_tracks.insert(track);
            else if (event["name"] == "process_name")
                named_pids.insert(track.first);
            continue;
        }
        tracks.insert(track);
        pids.insert(track.first);
        if (ph == "X") {
            if (!event.contains("dur") || !event["dur"].is_number() || event_ns(event, "dur") < 0)
                problem("X without a dur >= 0");
            else
                slices[track].push_back({ts, ts + event_ns(event, "dur"), i});
        } else if (ph == "i" || ph == "I") {
            if (event.contains("s") && event["s"] != "t" && event["s"] != "p" && event["s"] != "g")
                problem("instant scope is not t, p or g");
        } else if (ph == "B") {
            begun[track].push_back(i);
        } else if (ph == "E") {
            if (begun[track].empty())
                problem("E without a B");
            else
                begun[track].pop_back();
        } else {
            problem("phase " + ph + " is not one the timeline writes");
        }
    }
    for (const auto& [track, open] : begun) {
        if (!open.empty())
            problems.push_back(fmt::format("track {}/{}: {} B events never end", track.first,
                                           track.second, open.size()));
    }
    for (auto& [track, list] : slices) {
        // Parents before their children: by start, the longer first.
        std::stable_sort(list.begin(), list.end(), [](const Slice& a, const Slice& b) {
            return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
        });
        std::vector<Slice> stack;
        for (const Slice& slice : list) {
            while (!stack.empty() && stack.back().end <= slice.begin &&
                   !(stack.back().end == slice.begin && slice.end == slice.begin))
                stack.pop_back();
            if (!stack.empty() && slice.end > stack.back().end)
                problems.push_back(fmt::format(
                    "track {}/{}: event {} [{}, {}] overlaps event {} [{}, {}] without nesting",
                    track.first, track.second, slice.index, slice.begin, slice.end,
                    stack.back().index, stack.back().begin, stack.back().end));
            stack.push_back(slice);
        }
    }
    for (const Track& track : tracks) {
        if (named_tracks.count(track) == 0)
            problems.push_back(
                fmt::format("track {}/{} has no thread_name", track.first, track.second));
    }
    for (std::int64_t pid : pids) {
        if (named_pids.count(pid) == 0)
            problems.push_back(fmt::format("pid {} has no process_name", pid));
    }
    return problems;
}

} // namespace crossrt::kernel::test
