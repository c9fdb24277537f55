// SIGINT/SIGTERM/SIGHUP: stop starting work, kill what runs, still report.
#pragma once

#include <atomic>

namespace crossrt {

// Set by the handlers; polled by the workers and the sandbox.
std::atomic<bool>& interrupt_flag();

// A second signal while the first is being handled exits at once (130).
void install_interrupt_handlers();

} // namespace crossrt
