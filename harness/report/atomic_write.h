// Reports are written whole or not at all: a tmp file, then rename.
#pragma once

#include <filesystem>
#include <string>

namespace crossrt {

// Throws std::system_error when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

} // namespace crossrt
