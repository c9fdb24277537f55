// The syscall table machinery both personalities use (after gVisor's
// sentry): a table is data, one entry per number with its name, handler,
// support level and note, made by joining a personality's list of names
// (numbers per arch) with its list of implementations (by name). The
// compatibility documents are generated from the same tables.
#pragma once

#include "kernel/lwp.h"
#include "kernel/types.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

struct SyscallName {
    u64 number;
    std::string_view name;
};

enum class Support { full, partial, unimplemented };
std::string_view support_name(Support support);

// What a handler did with the call. The value is in the personality's
// numbering (a handler encodes posix/'s results before it returns).
struct SysResult {
    enum class Kind {
        value,     // return value in the result register
        blocked,   // the LWP waits; whoever wakes it sets the result
        no_result, // registers already set (sigreturn) or the LWP is gone (exit)
        yield,     // return value, then end the LWP's slice
    };
    Kind kind = Kind::value;
    i64 value = 0;

    static SysResult of(i64 value) { return {Kind::value, value}; }
    static SysResult blocked() { return {Kind::blocked, 0}; }
    static SysResult none() { return {Kind::no_result, 0}; }
    static SysResult yield(i64 value) { return {Kind::yield, value}; }
};

using Handler = SysResult (*)(Process& machine, Lwp& self, const SyscallArgs& args);

// Which arches an implementation applies to.
constexpr unsigned kAmd64 = 1;
constexpr unsigned kI386 = 2;
constexpr unsigned kArm = 4;
constexpr unsigned kAllArches = kAmd64 | kI386 | kArm;

struct Implementation {
    std::string_view name;
    Handler handler;
    Support support;
    std::string_view note;
    int nargs;
    unsigned arches = kAllArches;
};

struct SyscallEntry {
    u64 number = 0;
    std::string_view name;
    Handler handler = nullptr; // null: unimplemented (ENOSYS)
    Support support = Support::unimplemented;
    std::string_view note;
    int nargs = 6;
};

// The joined table of one (personality, arch).
class SyscallTable {
public:
    SyscallTable(Arch arch, const std::vector<SyscallName>& names,
                 const std::vector<Implementation>& implementations);
    virtual ~SyscallTable() = default; // a personality may name its own table type

    const SyscallEntry* find(u64 number) const;
    const std::map<u64, SyscallEntry>& entries() const { return entries_; }
    Arch arch() const { return arch_; }

private:
    Arch arch_;
    std::map<u64, SyscallEntry> entries_;
};

// The per-arch sections of a compatibility document (docs/<os>-syscalls.md):
// for amd64, 386 and arm, what is answered and the names left unimplemented.
std::string
compatibility_sections(const std::function<std::unique_ptr<SyscallTable>(Arch)>& make_table);

// A syscall argument as a signed number: 32-bit arches sign-extend a word.
i64 to_i64(u64 value, int word_size);

} // namespace crossrt::kernel::posix
