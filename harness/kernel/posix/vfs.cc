#include "kernel/posix/vfs.h"

#include "kernel/posix/fd.h"
#include "kernel/posix/process.h"
#include "kernel/process.h"

#include <algorithm>
#include <fmt/format.h>

namespace crossrt::kernel::posix {
namespace {

// /proc/self/maps as Linux prints it, from the guest's regions right now.
std::string proc_maps(Process& m) {
    std::string text;
    for (const Region& region : m.memory().regions()) {
        text += fmt::format("{:08x}-{:08x} {}{}{}p 00000000 00:00 0", region.start, region.end,
                            (region.prot & kProtRead) != 0 ? 'r' : '-',
                            (region.prot & kProtWrite) != 0 ? 'w' : '-',
                            (region.prot & kProtExec) != 0 ? 'x' : '-');
        if (!region.name.empty())
            text += fmt::format("{:>{}}{}", "", 10, region.name);
        text += '\n';
    }
    return text;
}

// "0-3": the CPU list Linux prints in /sys/devices/system/cpu/online.
std::string cpu_list(const Process& m) {
    return m.cpus() == 1 ? "0\n" : fmt::format("0-{}\n", m.cpus() - 1);
}

// /proc/cpuinfo: one stanza per CPU the kernel presents, in the arch's
// form. Programs count its "processor" lines; the features listed are the
// ones the auxv's HWCAP advertises (arm) or none (x86: CPUID says).
std::string proc_cpuinfo(const Process& m) {
    std::string text;
    for (int cpu = 0; cpu < m.cpus(); ++cpu) {
        if (m.cpu().arch() == Arch::arm) {
            text += fmt::format("processor\t: {}\n"
                                "model name\t: ARMv7 Processor rev 0 (v7l)\n"
                                "Features\t: swp half thumb fastmult vfp edsp neon vfpv3 tls "
                                "vfpv4 idiva idivt\n"
                                "CPU implementer\t: 0x41\n"
                                "CPU architecture: 7\n\n",
                                cpu);
        } else {
            text += fmt::format("processor\t: {}\n"
                                "vendor_id\t: crossrt\n"
                                "model name\t: crossrt unicorn virtual CPU\n"
                                "physical id\t: 0\n"
                                "core id\t\t: {}\n"
                                "cpu cores\t: {}\n\n",
                                cpu, cpu, m.cpus());
        }
    }
    if (m.cpu().arch() == Arch::arm)
        text += "Hardware\t: crossrt unicorn\n";
    return text;
}

struct Entry {
    const char* path;
    VirtualFile::Device device;
    bool linux_only;
    bool writable;
};

constexpr Entry kEntries[] = {
    {"/dev/null", VirtualFile::Device::null, false, true},
    {"/dev/zero", VirtualFile::Device::zero, false, true},
    {"/dev/random", VirtualFile::Device::random, false, false},
    {"/dev/urandom", VirtualFile::Device::random, false, false},
    {"/proc/self/maps", VirtualFile::Device::regular, true, false},
    {"/proc/cpuinfo", VirtualFile::Device::regular, true, false},
    {"/sys/devices/system/cpu/online", VirtualFile::Device::regular, true, false},
    {"/sys/devices/system/cpu/possible", VirtualFile::Device::regular, true, false},
    {"/sys/devices/system/cpu/present", VirtualFile::Device::regular, true, false},
    {"/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", VirtualFile::Device::regular, true,
     false},
    {"/proc/self/cmdline", VirtualFile::Device::regular, true, false},
    {"/proc/sys/fs/pipe-max-size", VirtualFile::Device::regular, true, false},
    {"/proc/sys/kernel/hostname", VirtualFile::Device::regular, true, false},
};

// The arguments, each ended by a NUL, as Linux shows them.
std::string proc_cmdline(const Process& m) {
    std::string text;
    for (const std::string& arg : m.argv())
        text += arg + '\0';
    return text;
}

std::string regular_content(Process& m, const std::string& path) {
    if (path == "/proc/self/maps")
        return proc_maps(m);
    if (path == "/proc/cpuinfo")
        return proc_cpuinfo(m);
    if (path.starts_with("/sys/devices/system/cpu/"))
        return cpu_list(m);
    if (path == "/proc/self/cmdline")
        return proc_cmdline(m);
    if (path == "/proc/sys/fs/pipe-max-size")
        return "1048576\n"; // Linux's default
    if (path == "/proc/sys/kernel/hostname")
        return std::string(kHostname) + "\n";
    return "2097152\n"; // hpage_pmd_size: 2 MiB huge pages, as on x86 and LPAE arm
}

} // namespace

std::vector<std::string> virtual_paths(bool linux_files) {
    std::vector<std::string> paths;
    for (const Entry& entry : kEntries) {
        if (linux_files || !entry.linux_only)
            paths.push_back(entry.path);
    }
    return paths;
}

i64 open_virtual(Process& m, const OpenRequest& request) {
    const Entry* found = nullptr;
    for (const Entry& entry : kEntries) {
        if (request.path == entry.path && (request.linux_files || !entry.linux_only))
            found = &entry;
    }
    if (found == nullptr)
        return -err::NOENT;
    if (request.write && !found->writable)
        return -err::ACCES;
    int fd = m.files().lowest_free();
    if (!m.files().within_limit(static_cast<u64>(fd)))
        return -err::MFILE;
    auto file = std::make_shared<VirtualFile>();
    file->path = found->path;
    file->device = found->device;
    file->readable = request.read;
    file->writable = request.write;
    if (found->device == VirtualFile::Device::regular)
        file->content = regular_content(m, found->path);
    OpenFile open;
    open.kind = FileKind::virtual_file;
    open.vfile = std::move(file);
    open.nonblock = request.nonblock;
    open.cloexec = request.cloexec;
    m.files().open[fd] = std::move(open);
    return fd;
}

i64 virtual_read(Process& m, VirtualFile& file, u64 buffer, u64 length) {
    if (!file.readable)
        return -err::BADF;
    length = std::min(length, kMaxIo);
    std::string bytes;
    switch (file.device) {
    case VirtualFile::Device::null:
        return 0;
    case VirtualFile::Device::zero:
        bytes.assign(length, '\0');
        break;
    case VirtualFile::Device::random: {
        // The same stream getrandom draws from: seeded, so runs repeat.
        std::vector<u8> random = random_bytes(m, length);
        bytes.assign(random.begin(), random.end());
        break;
    }
    case VirtualFile::Device::regular:
        if (file.offset >= file.content.size())
            return 0;
        bytes = file.content.substr(file.offset, length);
        break;
    }
    if (!bytes.empty() && !m.memory().write(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    if (file.device == VirtualFile::Device::regular)
        file.offset += bytes.size();
    return static_cast<i64>(bytes.size());
}

i64 virtual_write(Process& m, VirtualFile& file, u64 buffer, u64 length) {
    if (!file.writable)
        return -err::BADF;
    length = std::min(length, kMaxIo);
    // /dev/null and /dev/zero take everything; the guest's buffer must still
    // be readable, as the kernel would copy it.
    std::string bytes(length, '\0');
    if (length > 0 && !m.memory().read(buffer, bytes.data(), bytes.size()))
        return -err::FAULT;
    return static_cast<i64>(length);
}

i64 virtual_seek(VirtualFile& file, i64 offset, int whence) {
    if (file.device != VirtualFile::Device::regular)
        return 0; // devices: every offset is 0, as for Linux's /dev/null
    i64 base = whence == 0   ? 0
               : whence == 1 ? static_cast<i64>(file.offset)
               : whence == 2 ? static_cast<i64>(file.content.size())
                             : -1;
    if (base < 0 || base + offset < 0)
        return -err::INVAL;
    file.offset = static_cast<u64>(base + offset);
    return static_cast<i64>(file.offset);
}

} // namespace crossrt::kernel::posix
