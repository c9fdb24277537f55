#include "kernel/trace.h"

#include <cstdlib>

namespace crossrt::kernel {

Trace::~Trace() {
    close();
}

void Trace::close() {
    if (file_ != nullptr)
        std::fclose(file_);
    file_ = nullptr;
    std::free(memory_);
    memory_ = nullptr;
    memory_size_ = 0;
    taken_ = 0;
}

bool Trace::open_memory() {
    close();
    file_ = open_memstream(&memory_, &memory_size_);
    return file_ != nullptr;
}

std::string Trace::take() {
    if (file_ == nullptr || memory_ == nullptr)
        return "";
    std::fflush(file_);
    std::string lines(memory_ + taken_, memory_size_ - taken_);
    taken_ = memory_size_;
    return lines;
}

bool Trace::open(const std::string& path) {
    file_ = std::fopen(path.c_str(), "w");
    return file_ != nullptr;
}

void Trace::flush() {
    if (file_ != nullptr)
        std::fflush(file_);
}

} // namespace crossrt::kernel
