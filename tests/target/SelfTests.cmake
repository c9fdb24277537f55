# On-target self-tests of the runtime core: each is a freestanding program
# linked with the fixed runtime, run by ctest through the target's emulator
# (CMAKE_CROSSCOMPILING_EMULATOR). Test names carry the target so that the
# top-level ctest can hold every target's tests at once. A failed check
# exits non-zero; the last line of a passing test is "selftest <name>: ok".
set(CROSSRT_SELFTESTS context sched syscalls tls threads cgo signal sema)
crossrt_runtime_library(fixed_runtime)
foreach(name IN LISTS CROSSRT_SELFTESTS)
    set(exe selftest_${name})
    add_executable(${exe} ${CMAKE_CURRENT_LIST_DIR}/${name}_test.cc)
    crossrt_link_runtime(${exe} ${fixed_runtime})
    set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/selftests)
    add_test(NAME selftest/${CROSSRT_TARGET}/${name} COMMAND ${exe})
    set_tests_properties(selftest/${CROSSRT_TARGET}/${name} PROPERTIES
        LABELS "selftest;arch=${CROSSRT_ARCH};os=${CROSSRT_OS}"
        TIMEOUT 30)
endforeach()
