// Files for tests: a private temporary directory removed with its owner,
// and whole-file reads and writes. Shared by the harness and kernel tests.
#pragma once

#include <filesystem>
#include <string>

namespace crossrt::test {

class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& content,
                bool executable = false);
// The file's bytes; empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);

} // namespace crossrt::test
