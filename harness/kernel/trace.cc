#include "kernel/trace.h"

namespace crossrt::kernel {

Trace::~Trace() {
    if (file_ != nullptr)
        std::fclose(file_);
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
