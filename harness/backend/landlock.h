// Landlock filesystem confinement for a guest, through raw syscalls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crossrt {

// The kernel's Landlock ABI version; 0 when Landlock is unavailable.
int landlock_abi();

// Built in the parent (it allocates), applied in the forked child just before
// execve (apply() only makes async-signal-safe system calls).
class LandlockPolicy {
public:
    explicit LandlockPolicy(int abi);

    void allow_read_execute(const std::string& path); // a directory tree or a file
    void allow_read(const std::string& path);
    void allow_read_write(const std::string& path); // a file such as /dev/null
    void allow_everything(const std::string& dir);  // read, write, create, remove beneath dir

    bool enabled() const { return abi_ > 0; }

    // Restricts the calling process. Returns false when the kernel refused;
    // missing paths were already dropped when the rule was added.
    bool apply() const noexcept;

private:
    struct Rule {
        std::string path;
        std::uint64_t access;
    };
    void add(const std::string& path, std::uint64_t access);

    int abi_;
    std::uint64_t handled_ = 0;
    std::vector<Rule> rules_;
};

} // namespace crossrt
