#include "backend/backend.h"

namespace crossrt {
namespace {

// A new backend is one file with its make_*_backend() plus one line here.
const std::vector<std::unique_ptr<Backend>>& registry() {
    static const std::vector<std::unique_ptr<Backend>> backends = [] {
        std::vector<std::unique_ptr<Backend>> list;
        list.push_back(make_native_backend());
        list.push_back(make_qemu_backend());
        list.push_back(make_unicorn_backend());
        return list;
    }();
    return backends;
}

} // namespace

const Backend* find_backend(std::string_view name) {
    for (const auto& backend : registry()) {
        if (backend->name() == name)
            return backend.get();
    }
    return nullptr;
}

const std::vector<std::string>& backend_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const auto& backend : registry())
            list.push_back(backend->name());
        return list;
    }();
    return names;
}

void Backend::run_seeds(const RunRequest& request, std::uint64_t first, std::uint64_t count, int,
                        const SeedOutcome& each) const {
    for (std::uint64_t k = 0; k < count; ++k) {
        RunRequest one = request;
        one.unicorn.seed = first + k;
        if (!each(first + k, run(one)))
            return;
    }
}

} // namespace crossrt
