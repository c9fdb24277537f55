// --trace FILE: every syscall (LWP, decoded arguments, result), every
// scheduling decision and every signal, one line each, prefixed with the
// instruction count of the run. Deterministic: the same seed gives the same
// bytes.
#pragma once

#include "kernel/types.h"

#include <cstdio>
#include <fmt/format.h>
#include <string>

namespace crossrt::kernel {

class Trace {
public:
    Trace() = default;
    ~Trace();
    Trace(const Trace&) = delete;
    Trace& operator=(const Trace&) = delete;

    bool open(const std::string& path);
    // Lines kept in memory instead, until take() (a debugger shows them:
    // `monitor trace on`); close() stops either.
    bool open_memory();
    std::string take();
    void close();
    bool enabled() const { return file_ != nullptr; }

    template <typename... Args>
    void line(u64 insns, fmt::format_string<Args...> format, Args&&... args) {
        if (file_ == nullptr)
            return;
        fmt::print(file_, "{:>12} ", insns);
        fmt::print(file_, format, std::forward<Args>(args)...);
        std::fputc('\n', file_);
    }
    void flush();

private:
    std::FILE* file_ = nullptr;
    char* memory_ = nullptr; // open_memstream's buffer
    std::size_t memory_size_ = 0;
    std::size_t taken_ = 0;
};

} // namespace crossrt::kernel
