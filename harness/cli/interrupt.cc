#include "cli/interrupt.h"

#include <csignal>
#include <unistd.h>

namespace crossrt {
namespace {

std::atomic<bool> interrupted{false};

void on_interrupt(int) {
    if (interrupted.exchange(true))
        _exit(130);
}

} // namespace

std::atomic<bool>& interrupt_flag() {
    return interrupted;
}

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signal, &action, nullptr);
    // A closed report pipe must not kill crossrt before it has cleaned up.
    std::signal(SIGPIPE, SIG_IGN);
}

} // namespace crossrt
