// The Linux personality as data: per arch, every system call number with its
// name (table_<arch>.cc, generated from the kernel's UAPI headers), joined
// with what crossrt implements (handlers.cc): handler, support level, note.
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

namespace crossrt::kernel::lnx {

struct SyscallName {
    u64 number;
    std::string_view name;
};

const std::vector<SyscallName>& syscall_names_amd64();
const std::vector<SyscallName>& syscall_names_i386();
const std::vector<SyscallName>& syscall_names_arm();

enum class Support { full, partial, unimplemented };
std::string_view support_name(Support support);

// What a handler did with the call.
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

// Every implemented (or deliberately answered) call, by name (handlers.cc).
const std::vector<Implementation>& implementations();

struct SyscallEntry {
    u64 number = 0;
    std::string_view name;
    Handler handler = nullptr; // null: unimplemented (ENOSYS)
    Support support = Support::unimplemented;
    std::string_view note;
    int nargs = 6;
};

// The joined table. Also used by the NetBSD personality (netbsd/table.h),
// with its own names and implementations.
class SyscallTable {
public:
    explicit SyscallTable(Arch arch);
    SyscallTable(Arch arch, const std::vector<SyscallName>& names,
                 const std::vector<Implementation>& implementations);
    const SyscallEntry* find(u64 number) const;
    const std::map<u64, SyscallEntry>& entries() const { return entries_; }
    Arch arch() const { return arch_; }

private:
    Arch arch_;
    std::map<u64, SyscallEntry> entries_;
};

// docs/linux-syscalls.md: one table per arch, generated from the above.
std::string compatibility_markdown();
// The per-arch sections of such a document (used for both personalities).
std::string
compatibility_sections(const std::function<std::unique_ptr<SyscallTable>(Arch)>& make_table);

} // namespace crossrt::kernel::lnx
