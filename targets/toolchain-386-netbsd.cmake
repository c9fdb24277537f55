# 386 NetBSD: the same Debian cross gcc as 386-linux (the runtime core is
# freestanding, so no NetBSD libc or headers are needed; the NetBSD ident note
# comes from the runtime's own sources), run by the unicorn backend.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)
set(CMAKE_ASM_COMPILER i686-linux-gnu-gcc)
# No qemu-user runs NetBSD binaries: on-target tests run under the
# harness's own kernel (CROSSRT_HARNESS is passed in by the superbuild).
set(CMAKE_CROSSCOMPILING_EMULATOR ${CROSSRT_HARNESS} exec --backend unicorn --)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
