#include "kernel/posix/syscall_table.h"

#include <fmt/format.h>

namespace crossrt::kernel::posix {

std::string_view support_name(Support support) {
    switch (support) {
    case Support::full:
        return "full";
    case Support::partial:
        return "partial";
    case Support::unimplemented:
        return "unimplemented";
    }
    return "unimplemented";
}

namespace {

unsigned arch_bit(Arch arch) {
    switch (arch) {
    case Arch::amd64:
        return kAmd64;
    case Arch::i386:
        return kI386;
    case Arch::arm:
        return kArm;
    }
    return 0;
}

} // namespace

SyscallTable::SyscallTable(Arch arch, const std::vector<SyscallName>& names,
                           const std::vector<Implementation>& implementations)
    : arch_(arch) {
    std::map<std::string_view, const Implementation*> by_name;
    for (const Implementation& implementation : implementations) {
        if ((implementation.arches & arch_bit(arch)) != 0)
            by_name[implementation.name] = &implementation;
    }
    for (const SyscallName& name : names) {
        SyscallEntry entry;
        entry.number = name.number;
        entry.name = name.name;
        if (auto it = by_name.find(name.name); it != by_name.end()) {
            entry.handler = it->second->handler;
            entry.support = it->second->support;
            entry.note = it->second->note;
            entry.nargs = it->second->nargs;
        }
        entries_[entry.number] = entry;
    }
}

const SyscallEntry* SyscallTable::find(u64 number) const {
    auto it = entries_.find(number);
    return it == entries_.end() ? nullptr : &it->second;
}

std::string
compatibility_sections(const std::function<std::unique_ptr<SyscallTable>(Arch)>& make_table) {
    std::string text;
    struct Column {
        Arch arch;
        const char* title;
    };
    for (Column column :
         {Column{Arch::amd64, "amd64"}, Column{Arch::i386, "386"}, Column{Arch::arm, "arm"}}) {
        std::unique_ptr<SyscallTable> made = make_table(column.arch);
        const SyscallTable& table = *made;
        int implemented = 0;
        for (const auto& [number, entry] : table.entries())
            implemented += entry.support != Support::unimplemented ? 1 : 0;
        text += fmt::format("## {} ({} of {} calls answered)\n\n", column.title, implemented,
                            table.entries().size());
        text += "| number | name | support | note |\n| ---: | --- | --- | --- |\n";
        for (const auto& [number, entry] : table.entries()) {
            if (entry.support == Support::unimplemented)
                continue;
            text += fmt::format("| {} | {} | {} | {} |\n", number, entry.name,
                                support_name(entry.support), entry.note);
        }
        text += "\nUnimplemented: ";
        bool first = true;
        for (const auto& [number, entry] : table.entries()) {
            if (entry.support != Support::unimplemented)
                continue;
            text += fmt::format("{}{} ({})", first ? "" : ", ", entry.name, number);
            first = false;
        }
        text += ".\n\n";
    }
    return text;
}

i64 to_i64(u64 value, int word_size) {
    if (word_size == 4)
        return static_cast<i32>(static_cast<u32>(value));
    return static_cast<i64>(value);
}

} // namespace crossrt::kernel::posix
