#include "kernel/mm.h"

#include "kernel/abi/checked.h"

#include <algorithm>

namespace crossrt::kernel {

AddressSpace::AddressSpace(uc_engine* uc, AddressSpaceLayout layout, u64 cap_bytes,
                           std::shared_ptr<u64> run_total)
    : uc_(uc), layout_(layout), cap_bytes_(cap_bytes),
      run_total_(run_total ? std::move(run_total) : std::make_shared<u64>(0)) {}

AddressSpace::~AddressSpace() {
    *run_total_ -= std::min(*run_total_, mapped_bytes_);
}

i64 AddressSpace::copy_into(AddressSpace& child) const {
    if (!child.fits(mapped_bytes_))
        return -err::NOMEM;
    std::vector<u8> chunk;
    for (const auto& [start, region] : regions_) {
        if (region.backed) {
            u64 size = region.end - region.start;
            if (uc_mem_map(child.uc_, start, size, static_cast<u32>(region.prot)) != UC_ERR_OK)
                return -err::NOMEM;
            child.count(static_cast<i64>(size));
            // Whatever the protection: uc_mem_read and uc_mem_write ignore it.
            for (u64 at = start; at < region.end; at += chunk.size()) {
                chunk.resize(std::min<u64>(region.end - at, 1 << 20));
                if (uc_mem_read(uc_, at, chunk.data(), chunk.size()) != UC_ERR_OK ||
                    uc_mem_write(child.uc_, at, chunk.data(), chunk.size()) != UC_ERR_OK)
                    return -err::NOMEM;
            }
        }
        child.regions_.emplace(start, region);
    }
    child.brk_start_ = brk_start_;
    child.brk_ = brk_;
    return 0;
}

void AddressSpace::split_at(u64 address) {
    auto it = regions_.upper_bound(address);
    if (it == regions_.begin())
        return;
    --it;
    Region& region = it->second;
    if (region.start >= address || region.end <= address)
        return;
    Region upper = region;
    upper.start = address;
    region.end = address;
    regions_.emplace(address, upper);
}

bool AddressSpace::is_free(u64 start, u64 end) const {
    auto it = regions_.upper_bound(start);
    if (it != regions_.begin()) {
        auto previous = std::prev(it);
        if (previous->second.end > start)
            return false;
    }
    return it == regions_.end() || it->second.start >= end;
}

i64 AddressSpace::find_free(u64 length) const {
    const u64 bottom = layout_.mmap_bottom;
    u64 top = layout_.mmap_top;
    // Walk the gaps from the top down; the first one that fits wins.
    for (auto it = regions_.rbegin(); it != regions_.rend(); ++it) {
        const Region& region = it->second;
        if (region.start >= top)
            continue;
        if (region.end < top) {
            u64 gap_start = std::max(region.end, bottom);
            if (top > gap_start && top - gap_start >= length)
                return static_cast<i64>(top - length);
        }
        top = region.start;
        if (top <= bottom)
            return -err::NOMEM;
    }
    if (top > bottom && top - bottom >= length)
        return static_cast<i64>(top - length);
    return -err::NOMEM;
}

i64 AddressSpace::map_fixed(u64 address, u64 length, int prot, const std::string& name) {
    length = page_up(length);
    if (address % kPageSize != 0 || length == 0 || address + length < address ||
        address + length > layout_.limit)
        return -err::INVAL;
    code_changed(address, address + length);
    if (i64 r = unmap(address, length); r < 0)
        return r;
    // Unbacked: see Region::backed. Mapping (and later splitting) a large
    // region in Unicorn 2.0.1 touches all of its memory.
    bool backed = prot != 0;
    if (backed) {
        if (!fits(length))
            return -err::NOMEM;
        if (uc_mem_map(uc_, address, length, static_cast<u32>(prot)) != UC_ERR_OK)
            return -err::NOMEM;
        count(static_cast<i64>(length));
    }
    regions_.emplace(address, Region{address, address + length, prot, name, backed});
    return static_cast<i64>(address);
}

i64 AddressSpace::map_anywhere(u64 hint, u64 length, int prot, const std::string& name) {
    length = page_up(length);
    if (length == 0)
        return -err::INVAL;
    hint = page_down(hint);
    if (hint != 0 && hint + length > hint && hint + length <= layout_.limit &&
        is_free(hint, hint + length))
        return map_fixed(hint, length, prot, name);
    i64 address = find_free(length);
    if (address < 0)
        return address;
    return map_fixed(static_cast<u64>(address), length, prot, name);
}

i64 AddressSpace::unmap(u64 address, u64 length) {
    length = page_up(length);
    if (address % kPageSize != 0 || address + length < address || address + length > layout_.limit)
        return -err::INVAL;
    code_changed(address, address + length);
    u64 end = address + length;
    split_at(address);
    split_at(end);
    for (auto it = regions_.lower_bound(address); it != regions_.end() && it->first < end;) {
        const Region& region = it->second;
        if (region.backed) {
            // Unicorn refuses only a range it does not hold, which the
            // region map rules out: a refusal is the kernel's bug.
            if (uc_err status = uc_mem_unmap(uc_, region.start, region.end - region.start);
                status != UC_ERR_OK)
                unicorn_bug(status, "uc_mem_unmap", region.start);
            count(-static_cast<i64>(region.end - region.start));
        }
        it = regions_.erase(it);
    }
    return 0;
}

i64 AddressSpace::protect(u64 address, u64 length, int prot) {
    length = page_up(length);
    if (address % kPageSize != 0 || address + length < address || address + length > layout_.limit)
        return -err::INVAL;
    code_changed(address, address + length);
    u64 end = address + length;
    if (!accessible(address, length, 0))
        return -err::NOMEM;
    split_at(address);
    split_at(end);
    for (auto it = regions_.lower_bound(address); it != regions_.end() && it->first < end; ++it) {
        Region& region = it->second;
        u64 size = region.end - region.start;
        if (!region.backed && prot != 0) {
            // First access granted: now Unicorn needs memory here (zeroed,
            // as the never-touched reservation was).
            if (!fits(size) ||
                uc_mem_map(uc_, region.start, size, static_cast<u32>(prot)) != UC_ERR_OK)
                return -err::NOMEM;
            region.backed = true;
            count(static_cast<i64>(size));
        } else if (region.backed &&
                   uc_mem_protect(uc_, region.start, size, static_cast<u32>(prot)) != UC_ERR_OK) {
            return -err::NOMEM;
        }
        region.prot = prot;
    }
    return 0;
}

bool AddressSpace::map_kernel(u64 address, u64 length, int prot, const std::string& name) {
    length = page_up(length);
    if (uc_mem_map(uc_, address, length, static_cast<u32>(prot)) != UC_ERR_OK)
        return false;
    regions_.emplace(address, Region{address, address + length, prot, name, true});
    return true;
}

void AddressSpace::set_brk_start(u64 address) {
    brk_start_ = brk_ = address;
}

u64 AddressSpace::brk(u64 requested) {
    if (requested < brk_start_)
        return brk_;
    u64 old_top = page_up(brk_);
    u64 new_top = page_up(requested);
    if (new_top > old_top) {
        if (!is_free(old_top, new_top))
            return brk_;
        if (map_fixed(old_top, new_top - old_top, kProtRead | kProtWrite, "[heap]") < 0)
            return brk_;
    } else if (new_top < old_top) {
        unmap(new_top, old_top - new_top);
    }
    brk_ = requested;
    return brk_;
}

bool AddressSpace::read(u64 address, void* buffer, std::size_t length) const {
    if (length == 0)
        return true;
    if (!accessible(address, length, kProtRead))
        return false;
    return uc_mem_read(uc_, address, buffer, length) == UC_ERR_OK;
}

bool AddressSpace::write(u64 address, const void* buffer, std::size_t length) {
    if (length == 0)
        return true;
    if (!accessible(address, length, kProtWrite))
        return false;
    return uc_mem_write(uc_, address, buffer, length) == UC_ERR_OK;
}

bool AddressSpace::poke(u64 address, const void* buffer, std::size_t length) {
    if (length == 0)
        return true;
    if (!accessible(address, length, 0))
        return false;
    return uc_mem_write(uc_, address, buffer, length) == UC_ERR_OK;
}

bool AddressSpace::read_string(u64 address, std::string& out, std::size_t max) const {
    out.clear();
    while (out.size() < max) {
        char c;
        if (!read(address + out.size(), &c, 1))
            return false;
        if (c == '\0')
            return true;
        out.push_back(c);
    }
    return false;
}

bool AddressSpace::accessible(u64 address, u64 length, int prot) const {
    u64 end = address + length;
    if (end < address)
        return false;
    u64 at = address;
    while (at < end) {
        const Region* region = find(at);
        if (region == nullptr || (region->prot & prot) != prot)
            return false;
        at = region->end;
    }
    return true;
}

const Region* AddressSpace::find(u64 address) const {
    auto it = regions_.upper_bound(address);
    if (it == regions_.begin())
        return nullptr;
    --it;
    return address < it->second.end ? &it->second : nullptr;
}

std::vector<Region> AddressSpace::regions() const {
    std::vector<Region> list;
    for (const auto& [start, region] : regions_)
        list.push_back(region);
    return list;
}

} // namespace crossrt::kernel
