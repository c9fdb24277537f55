#include "guest_command.h"

#include <stdexcept>

namespace crossrt::kernel::test {
namespace {

// 'text' for sh, with every ' written as '\''.
std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + "'";
}

} // namespace

std::string unicorn_guest_command(GuestRequest request, const std::filesystem::path& binary,
                                  const std::vector<std::string>& args) {
    request.argv = {binary.string()};
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    std::string error;
    auto encoded = encode_request(request, error);
    if (!encoded)
        throw std::invalid_argument(error);
    return std::string(CROSSRT_TEST_BINARY) + " unicorn-guest " + shell_quote(*encoded);
}

} // namespace crossrt::kernel::test
