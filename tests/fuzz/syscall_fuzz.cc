// Fuzz target: system calls whose arguments point at hostile guest memory.
// A guest for one of the six (os, arch) targets makes up to 32 calls
// through the real trap, each with its number and arguments as the input
// gives them; pointer arguments point into the guest's data segment, which
// holds the rest of the input: the paths, iovecs, argv arrays, timespecs,
// sigactions, stat buffers, ucontexts ... the handlers decode. The kernel
// runs it to its end (or its instruction budget), signals, blocking, forks
// and all.
//
// The input:
//   u8 target (guest_targets() index), u8 calls,
//   per call: u16 number, then 8 arguments, each a tag byte and its value:
//     tag % 4 == 0: i32 (sign-extended: -100 is AT_FDCWD)
//                1: u16 offset into the data segment (a pointer)
//                2: u64
//                3: 0 (no value bytes)
//   the data segment's first bytes: the rest of the input.
#include "fuzz_bytes.h"
#include "fuzz_guest.h"

#include <cstddef>
#include <cstdint>

using namespace crossrt;
using namespace crossrt::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzBytes input(data, size);
    const GuestTarget& target = guest_targets()[input.take<u8>() % guest_targets().size()];
    int calls = input.take<u8>() % (kMaxCalls + 1);
    u64 data_at = data_base(target.arch);
    CallWriter writer(target);
    for (int i = 0; i < calls; ++i) {
        u64 nr = input.take<std::uint16_t>();
        std::array<u64, 8> args{};
        for (u64& arg : args) {
            switch (input.take<u8>() % 4) {
            case 0:
                arg = static_cast<u64>(static_cast<std::int64_t>(input.take<std::int32_t>()));
                break;
            case 1:
                arg = data_at + input.take<std::uint16_t>();
                break;
            case 2:
                arg = input.take<u64>();
                break;
            default:
                arg = 0;
                break;
            }
        }
        writer.call(nr, args, data_at + kStackSlots + static_cast<u64>(i) * kStackSlotSize);
    }
    writer.exit(0);
    kernel::KernelOptions options = guest_options();
    options.max_insns = 200'000;
    kernel::Kernel machine(options);
    std::string error;
    if (!machine.boot(guest_image(target, writer, input.rest()), error))
        fail("the guest does not boot: " + error);
    machine.run();
    return 0;
}
