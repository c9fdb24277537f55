// crossrt_layer_check HARNESS_DIR: every #include "dir/..." in the harness's
// .h and .cc files against HARNESS_DIR/layers.txt. Prints each violation as
// file:line: message and exits 1 when there is any (the layer-includes test).
#include "layer_graph.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: crossrt_layer_check HARNESS_DIR\n";
        return 2;
    }
    fs::path root = argv[1];
    std::string error;
    auto graph = crossrt::layers::parse_layer_graph(slurp(root / "layers.txt"), error);
    if (!graph) {
        std::cerr << (root / "layers.txt").string() << ": " << error << "\n";
        return 1;
    }
    int files = 0;
    int violations = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        std::string extension = entry.path().extension().string();
        if (!entry.is_regular_file() || (extension != ".h" && extension != ".cc"))
            continue;
        ++files;
        std::string path = fs::relative(entry.path(), root).generic_string();
        for (const auto& violation :
             crossrt::layers::check_includes(*graph, path, slurp(entry.path()))) {
            std::cerr << (root / path).string() << ":" << violation.line << ": "
                      << violation.message << "\n";
            ++violations;
        }
    }
    std::cout << files << " files, " << violations << " includes across a forbidden edge\n";
    return violations == 0 && files > 0 ? 0 : 1;
}
