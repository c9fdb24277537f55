// The registers gdb sees for each arch, and the target description XML
// (gdb's manual, "Target Descriptions") that tells gdb-multiarch which
// architecture it talks to and how the 'g' packet is laid out. One table
// per arch; the XML and the packet layout both come from it, so they
// cannot disagree. The feature and register names are the ones gdb's
// i386, amd64 and arm code look for (org.gnu.gdb.i386.core, .sse,
// .segments; org.gnu.gdb.arm.core, .vfp).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace crossrt::debug {

// Not a Unicorn register: the system call the thread is in or made last
// (gdb's orig_rax / orig_eax, which its Linux support reads).
constexpr int kSyscallNumberRegister = -1;

struct RegisterInfo {
    const char* name;
    int bits;
    const char* type;    // a type gdb predefines (int32, code_ptr, i387_ext, ...)
    const char* feature; // the feature it belongs to
    int unicorn_id;      // where the kernel's engine keeps it
    int regnum;          // gdb's number for it (the 'p' packet's)
};

struct TargetDescription {
    const char* architecture; // "i386:x86-64", "i386", "arm"
    std::span<const RegisterInfo> registers;
    int pc_index; // which of `registers` is the pc
    int word_bytes;

    // The document gdb asks for with qXfer:features:read:target.xml; osabi
    // "GNU/Linux" or "NetBSD" (empty: none).
    std::string xml(std::string_view osabi) const;
    // The register with gdb's number regnum, or nullptr.
    const RegisterInfo* by_regnum(int regnum) const;
};

// nullptr for an arch with none ("amd64", "386", "arm": the target table's).
const TargetDescription* find_description(std::string_view arch);

} // namespace crossrt::debug
