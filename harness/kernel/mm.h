// The guest address space: page-granular regions mirrored into Unicorn, with
// mmap/munmap/mprotect/brk semantics and a cap on the bytes mapped.
#pragma once

#include "kernel/types.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unicorn/unicorn.h>
#include <vector>

namespace crossrt::kernel {

// Linux PROT_* bits; Unicorn's UC_PROT_* have the same values.
constexpr int kProtRead = 1;
constexpr int kProtWrite = 2;
constexpr int kProtExec = 4;

struct Region {
    u64 start = 0;
    u64 end = 0; // exclusive
    int prot = 0;
    std::string name; // "[stack]", "[heap]", the ELF path, "" for anonymous
    // Whether Unicorn has memory behind it. A fresh PROT_NONE mapping (Go
    // reserves 512 MiB of address space that way) is bookkeeping only: any
    // access faults as it would anyway, and it costs no host memory. It is
    // mapped in Unicorn when mprotect first makes it accessible.
    bool backed = true;
};

struct AddressSpaceLayout {
    u64 mmap_top = 0;    // mmap without a hint allocates top-down below this
    u64 mmap_bottom = 0; // and not below this
    u64 limit = 0;       // highest guest address + 1 (the kernel's pages are above)
};

class AddressSpace {
public:
    // cap_bytes limits what every address space sharing `run_total` maps
    // together (the run's processes); none given: this one alone.
    AddressSpace(uc_engine* uc, AddressSpaceLayout layout, u64 cap_bytes,
                 std::shared_ptr<u64> run_total = nullptr);
    ~AddressSpace();
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    // fork: this space's regions, contents and break in `child` (empty, on
    // its own engine), within the shared cap. -ENOMEM when they do not fit.
    i64 copy_into(AddressSpace& child) const;

    // Each returns 0 (or the address) on success, -errno otherwise.
    // Maps [address, address+length) replacing whatever was there (MAP_FIXED).
    i64 map_fixed(u64 address, u64 length, int prot, const std::string& name = "");
    // Maps length bytes at a free place: the hint when it is free, else top-down.
    i64 map_anywhere(u64 hint, u64 length, int prot, const std::string& name = "");
    i64 unmap(u64 address, u64 length);
    i64 protect(u64 address, u64 length, int prot);
    // brk: the program break. Set once by the loader, then moved by brk(2).
    void set_brk_start(u64 address);
    u64 brk(u64 requested); // the new (or unchanged) break, as Linux returns it

    // The kernel's own pages (GDT, LDT, kuser helpers): mapped outside the
    // guest's mmap range and not counted against the cap.
    bool map_kernel(u64 address, u64 length, int prot, const std::string& name);

    bool read(u64 address, void* buffer, std::size_t length) const;
    bool write(u64 address, const void* buffer, std::size_t length);
    // Writes whatever the protection (the loader filling read-only text).
    bool poke(u64 address, const void* buffer, std::size_t length);
    bool read_string(u64 address, std::string& out, std::size_t max = 4096) const;
    template <typename T>
    bool read_value(u64 address, T& value) const {
        return read(address, &value, sizeof value);
    }
    template <typename T>
    bool write_value(u64 address, const T& value) {
        return write(address, &value, sizeof value);
    }

    // Whether every page of [address, address+length) is mapped with prot.
    bool accessible(u64 address, u64 length, int prot) const;
    // Called with [begin, end) before a mapping there changes or goes: the
    // kernel's decoded blocks in it are stale.
    void on_code_change(std::function<void(u64, u64)> listener) {
        code_listener_ = std::move(listener);
    }
    const Region* find(u64 address) const;
    // Bytes backed by host memory (what the cap limits).
    u64 mapped_bytes() const { return mapped_bytes_; }
    u64 cap_bytes() const { return cap_bytes_; }
    u64 limit() const { return layout_.limit; } // highest guest address + 1
    std::vector<Region> regions() const;

private:
    // Splits regions so that address is a region boundary.
    void split_at(u64 address);
    bool is_free(u64 start, u64 end) const;
    i64 find_free(u64 length) const;

    uc_engine* uc_;
    AddressSpaceLayout layout_;
    void code_changed(u64 begin, u64 end) {
        if (code_listener_)
            code_listener_(begin, end);
    }
    std::function<void(u64, u64)> code_listener_;
    u64 cap_bytes_;
    u64 mapped_bytes_ = 0;
    std::shared_ptr<u64> run_total_; // what the run's address spaces map together
    bool fits(u64 more) const { return *run_total_ + more <= cap_bytes_; }
    void count(i64 delta) {
        mapped_bytes_ += static_cast<u64>(delta);
        *run_total_ += static_cast<u64>(delta);
    }
    std::map<u64, Region> regions_; // by start; never overlapping
    u64 brk_start_ = 0;
    u64 brk_ = 0;
};

} // namespace crossrt::kernel
