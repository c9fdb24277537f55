#include "test_support.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace crossrt::test {

const std::vector<Target>& test_targets() {
    static const std::vector<Target> targets =
        parse_target_table("# arch os triple qemu unicorn_arch unicorn_mode cflags\n"
                           "amd64 linux x86_64-linux-gnu qemu-x86_64 x86 64 -m64\n"
                           "386   linux i686-linux-gnu   qemu-i386   x86 32 -m32;-march=i686\n"
                           "arm   linux arm-linux-gnueabihf qemu-arm arm arm -marm\n"
                           "arm   netbsd arm--netbsdelf  -  arm arm -marm\n");
    return targets;
}

ManifestParse parse(const std::string& text, const std::filesystem::path& dir) {
    ManifestContext context{
        "scenarios/x/scenario.toml", "x", dir, &test_targets(), {"native", "qemu", "unicorn"}};
    return parse_manifest(text, context);
}

std::vector<std::string> error_strings(const ManifestParse& parse) {
    std::vector<std::string> errors;
    for (const ManifestError& error : parse.errors)
        errors.push_back(error.to_string());
    return errors;
}

Outcome ended(EndKind kind, int status, std::string detail) {
    Outcome outcome;
    outcome.end = kind;
    outcome.status = status;
    outcome.detail = std::move(detail);
    return outcome;
}

} // namespace crossrt::test
