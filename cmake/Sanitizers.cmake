# The instrumented builds (CMakePresets.json: `sanitize`, `fuzz`):
#   CROSSRT_SANITIZE  the harness, host tests and tools with AddressSanitizer
#                     and UndefinedBehaviorSanitizer (any compiler);
#   CROSSRT_FUZZ      the same with clang, plus libFuzzer's coverage, and the
#                     fuzz targets of tests/fuzz as libFuzzer binaries.
# Only the host code is instrumented: the target sub-builds are cross builds
# of freestanding code and Go, and get none of these flags.

option(CROSSRT_SANITIZE "Build the host code with ASan and UBSan" OFF)
option(CROSSRT_FUZZ "Build the fuzz targets with libFuzzer (clang; implies CROSSRT_SANITIZE)" OFF)

if(CROSSRT_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "CROSSRT_FUZZ needs clang for C and C++ (libFuzzer is clang's): "
                            "configure with the `fuzz` preset, or CC=clang CXX=clang++")
    endif()
    set(CROSSRT_SANITIZE ON CACHE BOOL "Build the host code with ASan and UBSan" FORCE)
    # Coverage for libFuzzer in every host library; the fuzz targets link
    # libFuzzer itself (-fsanitize=fuzzer, tests/fuzz/CMakeLists.txt).
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(CROSSRT_SANITIZE)
    # A UBSan finding stops the program (and fails the test) instead of
    # printing a line nobody reads; frame pointers make the reports' stacks.
    set(sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_compile_options(${sanitizer_flags})
    add_link_options(-fsanitize=address,undefined)
    # gcc's -Wmaybe-uninitialized sees uninitialized values the sanitizers'
    # instrumentation makes up (std::variant moves in the kernel: false
    # positives, as gcc's manual warns of -Werror with sanitizers); the
    # uninstrumented builds keep the warning.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        add_compile_options(-Wno-maybe-uninitialized)
    endif()
endif()

# Every executable of the project gets the sanitizers' defaults compiled in
# (cmake/sanitizer_defaults.cc): the sandbox gives a guest a clean
# environment, so ASAN_OPTIONS would not reach `crossrt unicorn-guest`.
# Called once, after every target is defined.
function(crossrt_add_sanitizer_defaults)
    if(NOT CROSSRT_SANITIZE)
        return()
    endif()
    set(directories "${CMAKE_SOURCE_DIR}")
    while(directories)
        list(POP_FRONT directories directory)
        get_property(subdirectories DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
        list(APPEND directories ${subdirectories})
        get_property(targets DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
        foreach(target IN LISTS targets)
            get_target_property(type ${target} TYPE)
            if(type STREQUAL "EXECUTABLE")
                target_sources(${target} PRIVATE "${CMAKE_SOURCE_DIR}/cmake/sanitizer_defaults.cc")
            endif()
        endforeach()
    endwhile()
endfunction()
