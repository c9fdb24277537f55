#include "target/target.h"

#include <fmt/format.h>
#include <sstream>
#include <stdexcept>

namespace crossrt {
namespace {

constexpr std::size_t column_count = 7;

// '-' in the table means "none".
std::string none_as_empty(const std::string& field) {
    return field == "-" ? "" : field;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream stream(text);
    while (std::getline(stream, part, separator)) {
        if (!part.empty())
            parts.push_back(part);
    }
    return parts;
}

} // namespace

std::vector<Target> parse_target_table(std::string_view text) {
    std::vector<Target> targets;
    std::istringstream lines{std::string(text)};
    std::string line;
    int line_number = 0;
    while (std::getline(lines, line)) {
        ++line_number;
        if (auto hash = line.find('#'); hash != std::string::npos)
            line.erase(hash);
        std::istringstream fields_stream(line);
        std::vector<std::string> fields;
        for (std::string field; fields_stream >> field;)
            fields.push_back(field);
        if (fields.empty())
            continue;
        if (fields.size() != column_count) {
            throw std::runtime_error(
                fmt::format("targets.tsv:{}: expected {} columns (arch os triple qemu unicorn_arch "
                            "unicorn_mode cflags), found {}",
                            line_number, column_count, fields.size()));
        }
        Target target{fields[0],
                      fields[1],
                      fields[2],
                      none_as_empty(fields[3]),
                      none_as_empty(fields[4]),
                      none_as_empty(fields[5]),
                      fields[6] == "-" ? std::vector<std::string>{} : split(fields[6], ';')};
        if (find_target(targets, target.arch, target.os) != nullptr) {
            throw std::runtime_error(fmt::format("targets.tsv:{}: target {} is listed twice",
                                                 line_number, target.name()));
        }
        targets.push_back(std::move(target));
    }
    return targets;
}

const std::vector<Target>& builtin_targets() {
    static const std::vector<Target> targets = parse_target_table(builtin_target_table_text());
    return targets;
}

const Target* find_target(const std::vector<Target>& targets, std::string_view arch,
                          std::string_view os) {
    for (const Target& target : targets) {
        if (target.arch == arch && target.os == os)
            return &target;
    }
    return nullptr;
}

} // namespace crossrt
