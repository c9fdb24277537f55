#include "base/signal_sweep.h"

#include "base/signals.h"

#include <charconv>
#include <fmt/format.h>

namespace crossrt {
namespace {

bool is_symbol_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '$';
}

std::optional<RegionEnd> parse_end(std::string_view text, std::string_view spec,
                                   std::string& error) {
    RegionEnd end;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        std::string_view digits = text.substr(2);
        std::uint64_t value = 0;
        auto [stop, failed] =
            std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
        if (digits.empty() || failed != std::errc() || stop != digits.data() + digits.size()) {
            error = fmt::format("'{}': '{}' is not a hex address", spec, text);
            return std::nullopt;
        }
        end.address = value;
        return end;
    }
    bool valid = !text.empty() && !(text[0] >= '0' && text[0] <= '9');
    for (char c : text)
        valid = valid && is_symbol_char(c);
    if (!valid) {
        error = fmt::format("'{}': '{}' is neither a symbol nor a 0x address", spec, text);
        return std::nullopt;
    }
    end.symbol = std::string(text);
    return end;
}

} // namespace

std::optional<SignalSweepSpec> parse_signal_sweep(std::string_view text, std::string& error) {
    auto at = text.find('@');
    if (at == std::string_view::npos) {
        error = fmt::format("'{}' is not SIG@SYMBOL or SIG@BEGIN-END", text);
        return std::nullopt;
    }
    SignalSweepSpec spec;
    spec.text = std::string(text);
    auto signo = signal_number(text.substr(0, at));
    if (!signo) {
        error = fmt::format("'{}': '{}' is not a signal", text, text.substr(0, at));
        return std::nullopt;
    }
    spec.signo = *signo;
    std::string_view region = text.substr(at + 1);
    auto dash = region.find('-');
    auto first = parse_end(region.substr(0, dash), text, error);
    if (!first)
        return std::nullopt;
    spec.first = *first;
    if (dash != std::string_view::npos) {
        auto last = parse_end(region.substr(dash + 1), text, error);
        if (!last)
            return std::nullopt;
        if (first->address && last->address && *last->address <= *first->address) {
            error = fmt::format("'{}': the range is empty (its end is not above its start)", text);
            return std::nullopt;
        }
        spec.last = *last;
    }
    return spec;
}

std::string instruction_text(const SweepPlan& plan, std::uint64_t address) {
    for (const RegionInstruction& instruction : plan.instructions) {
        if (instruction.address == address)
            return instruction.text;
    }
    return "";
}

} // namespace crossrt
