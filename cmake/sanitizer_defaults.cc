// The sanitizers' defaults, compiled into every executable of an
// instrumented build (cmake/Sanitizers.cmake). The runtimes call these
// functions at start-up; ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS in the
// environment still override them where a process gets that environment
// (the sandbox gives `crossrt unicorn-guest` a clean one, hence this file).

extern "C" {

// detect_leaks: at every exit, LeakSanitizer. Not
// detect_stack_use_after_return: Unicorn leaves its CPU loop by longjmp,
// after which the fake stacks are collected, a third of a run's time.
// (An allocation the host cannot give is ASan's out-of-memory report and
// an abort, whatever the options: its operator new never throws
// std::bad_alloc, which crossrt otherwise reports as the emulator out of
// memory.)
const char* __asan_default_options() {
    return "detect_leaks=1:strict_string_checks=1:check_initialization_order=1";
}

const char* __ubsan_default_options() {
    return "print_stacktrace=1:halt_on_error=1";
}

// Leaks in third-party code only, each with the reason it is not crossrt's.
const char* __lsan_default_suppressions() {
    return "";
}

} // extern "C"
