# Guest programs for host tests: small C programs built static with each
# target's gcc (and its glibc), which tests run natively, under qemu and
# under the unicorn kernel. DYNAMIC: linked against the target's shared
# glibc instead (its interpreter and libraries come from the host, or for
# 386 and arm from the cross toolchain's sysroot, /usr/<triplet>). An arch
# whose compiler is missing has none, and its tests say they skip.
find_program(PROBE_CC_amd64 NAMES x86_64-linux-gnu-gcc gcc)
find_program(PROBE_CC_386 NAMES i686-linux-gnu-gcc)
find_program(PROBE_CC_arm NAMES arm-linux-gnueabihf-gcc)

# <dir>/guests/<name>.c for each arch, as <build dir>/guests/<name>-<arch>,
# appended to the list variable named by OUTPUTS.
function(crossrt_guest_program name)
    cmake_parse_arguments(PROBE "DYNAMIC" "OUTPUTS" "ARCHES;FLAGS_386;FLAGS;LIBS" ${ARGN})
    set(link -static)
    if(PROBE_DYNAMIC)
        set(link "")
    endif()
    set(outputs ${${PROBE_OUTPUTS}})
    foreach(arch ${PROBE_ARCHES})
        if(NOT PROBE_CC_${arch})
            continue()
        endif()
        set(flags ${PROBE_FLAGS})
        if(arch STREQUAL "386")
            list(APPEND flags ${PROBE_FLAGS_386})
        endif()
        set(program ${CMAKE_CURRENT_BINARY_DIR}/guests/${name}-${arch})
        add_custom_command(
            OUTPUT ${program}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/guests
            COMMAND ${PROBE_CC_${arch}} ${link} -O1 -Wall -Wextra -Werror ${flags} -o ${program}
                    ${CMAKE_CURRENT_SOURCE_DIR}/guests/${name}.c ${PROBE_LIBS}
            DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/guests/${name}.c
            COMMENT "guest program ${name} for ${arch}")
        list(APPEND outputs ${program})
    endforeach()
    set(${PROBE_OUTPUTS} ${outputs} PARENT_SCOPE)
endfunction()
