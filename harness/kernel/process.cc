#include "kernel/process.h"

#include "kernel/kernel.h"
#include "kernel/posix/syscall_table.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

namespace crossrt::kernel {
namespace {

bool hook_invalid(uc_engine*, uc_mem_type type, u64 address, int, i64, void* user) {
    static_cast<Process*>(user)->on_invalid_memory(type, address);
    return false;
}

constexpr u64 kStackSize = 8ull << 20;

} // namespace

Process::Process(Kernel& kernel, int pid, ElfImage image, std::unique_ptr<Cpu> cpu,
                 std::unique_ptr<Personality> personality)
    : kernel_(kernel), pid_(pid), image_(std::move(image)), cpu_(std::move(cpu)),
      personality_(std::move(personality)), table_(personality_->make_syscall_table()) {}

Process::~Process() {
    lwps_.clear(); // their contexts before the engine they belong to
    memory_.reset();
    if (uc_ != nullptr)
        uc_close(uc_);
}

const KernelOptions& Process::options() const {
    return kernel_.options();
}
Trace& Process::trace() {
    return kernel_.trace();
}
Timeline& Process::timeline() {
    return kernel_.timeline();
}
posix::FileSystem& Process::file_system() {
    return kernel_.file_system();
}
u64 Process::random() {
    return kernel_.random();
}
Lwp& Process::current() {
    return kernel_.current();
}
u64 Process::now_ns() const {
    return kernel_.now_ns();
}
u64 Process::total_insns() const {
    return kernel_.total_insns();
}
u64 Process::next_futex_sequence() {
    return kernel_.next_futex_sequence();
}
int Process::out_fd() const {
    return kernel_.options().out_fd;
}
int Process::err_fd() const {
    return kernel_.options().err_fd;
}

void Process::set_syscall_table(std::unique_ptr<posix::SyscallTable> table) {
    table_ = std::move(table);
}

bool Process::boot(std::string& error) {
    if (!start_engine(error))
        return false;
    if (!cpu_->init_cpu(*this, error) || !personality_->init_process(*this, error))
        return false;
    if (!start_program(options().argv, options().envp, error))
        return false;
    std::optional<CpuState> state = CpuState::allocate(uc_, error);
    if (!state)
        return false;
    auto lwp = std::make_unique<Lwp>(*this, std::move(*state));
    lwp->ordinal = next_ordinal_++;
    lwp->tid = new_tid(lwp->ordinal);
    if (!lwp->cpu.save(uc_, error))
        return false;
    lwps_.push_back(std::move(lwp));
    apply_seed();
    return true;
}

// A fresh engine and an empty address space on it.
bool Process::start_engine(std::string& error) {
    uc_err status = uc_open(cpu_->unicorn_arch(), cpu_->unicorn_mode(), &uc_);
    if (status != UC_ERR_OK) {
        uc_ = nullptr;
        error = fmt::format("uc_open: {}", uc_strerror(status));
        return false;
    }
    AddressSpaceLayout layout;
    layout.limit = cpu_->address_limit();
    layout.mmap_top = cpu_->stack_top() - (64ull << 20);
    layout.mmap_bottom = 0x10000;
    memory_ =
        std::make_unique<AddressSpace>(uc_, layout, options().max_memory, kernel_.mapped_total());
    return true;
}

// The program loaded, its stack built and the registers at its entry;
// the hooks in place.
bool Process::start_program(const std::vector<std::string>& argv,
                            const std::vector<std::string>& envp, std::string& error) {
    std::string load_error;
    auto program =
        load_elf(image_, *memory_, cpu_->pie_base(), load_error, cpu_->interpreter_base());
    if (!program) {
        error = load_error;
        return false;
    }
    memory_->set_brk_start(program->brk);
    if (memory_->map_fixed(cpu_->stack_top() - kStackSize, kStackSize, kProtRead | kProtWrite,
                           "[stack]") < 0) {
        error = "cannot map the stack";
        return false;
    }
    argv_ = argv;
    StackSpec spec;
    spec.argv = argv;
    spec.envp = envp;
    spec.execfn = argv.empty() ? image_.path : argv[0];
    personality_->describe_stack(spec);
    auto stack =
        build_initial_stack(*memory_, cpu_->word_size(), cpu_->stack_top(), *program, spec);
    if (!stack) {
        error = "the arguments and environment do not fit on the stack";
        return false;
    }
    cpu_->set_sp(uc_, stack->sp);
    cpu_->set_pc(uc_, program->start());
    personality_->start_registers(*this, *stack);
    if (!add_hooks(error))
        return false;
    random_bytes_ = stack->random_bytes;
    boot_entry_ = program->start();
    boot_sp_ = stack->sp;
    return true;
}

int Process::new_tid(int ordinal) {
    if (!personality_->tids_are_pids())
        return personality_->lwp_id(ordinal);
    return ordinal == 1 ? pid_ : kernel_.allocate_id();
}

void Process::apply_seed() {
    // AT_RANDOM's 16 bytes: the only part of a booted process a seed sets.
    Prng random(options().seed ^ 0xa7a7a7a7a7a7a7a7ull);
    std::array<u8, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        u64 word = random.next();
        std::memcpy(bytes.data() + i, &word, 8);
    }
    if (random_bytes_ != 0)
        memory_->poke(random_bytes_, bytes.data(), bytes.size());
    trace().line(0, "boot {} {} entry {:#x} sp {:#x} seed {}", arch_name(image_.arch), image_.path,
                 boot_entry_, boot_sp_, options().seed);
}

bool Process::add_hooks(std::string& error) {
    uc_hook hook;
    uc_err status = uc_hook_add(uc_, &hook, UC_HOOK_MEM_INVALID,
                                reinterpret_cast<void*>(&hook_invalid), this, 1, 0);
    if (status != UC_ERR_OK) {
        error = fmt::format("uc_hook_add: {}", uc_strerror(status));
        return false;
    }
    return cpu_->add_hooks(*this, error) && add_counting_hooks(error);
}

// ---- words ----

bool Process::read_word(u64 address, u64& value) const {
    if (word_size() == 8)
        return memory_->read_value(address, value);
    u32 word = 0;
    bool ok = memory_->read_value(address, word);
    value = word;
    return ok;
}

bool Process::write_word(u64 address, u64 value) {
    if (word_size() == 8)
        return memory_->write_value(address, value);
    return memory_->write_value(address, static_cast<u32>(value));
}

// ---- LWPs ----

Lwp* Process::find_lwp(int tid) {
    for (auto& lwp : lwps_) {
        if (lwp->tid == tid && lwp->state != LwpState::exited)
            return lwp.get();
    }
    return nullptr;
}

Lwp* Process::create_lwp() {
    if (kernel_.live_lwps() >= static_cast<std::size_t>(kMaxLwps))
        return nullptr;
    std::optional<CpuState> state = CpuState::allocate(uc_, error_scratch_);
    if (!state)
        return nullptr;
    auto lwp = std::make_unique<Lwp>(*this, std::move(*state));
    lwp->ordinal = next_ordinal_++;
    lwp->tid = new_tid(lwp->ordinal);
    lwp->state = LwpState::blocked; // not runnable until its creator finishes it
    lwps_.push_back(std::move(lwp));
    return lwps_.back().get();
}

i64 Process::fail_build(Lwp& child) {
    child.state = LwpState::exited;
    kernel_.end_run(
        EndKind::error, 0,
        fmt::format("cannot build the registers of lwp {}: {}", child.ordinal, error_scratch_));
    return -err::NOMEM;
}

void Process::switch_to(Lwp& lwp) {
    if (!lwp.cpu.restore(uc_, error_scratch_))
        kernel_.end_run(EndKind::error, 0,
                        fmt::format("cannot switch to lwp {}: {}", lwp.ordinal, error_scratch_));
}

void Process::save_registers(Lwp& lwp) {
    if (!lwp.cpu.save(uc_, error_scratch_))
        kernel_.end_run(EndKind::error, 0,
                        fmt::format("cannot save lwp {}: {}", lwp.ordinal, error_scratch_));
}

void Process::block(Lwp& lwp, const Wait& wait) {
    lwp.state = LwpState::blocked;
    lwp.wait = wait;
    lwp.blocked_pc = cpu_->pc(uc_);
}

void Process::wake(Lwp& lwp, i64 result) {
    if (lwp.state != LwpState::blocked)
        return;
    lwp.state = LwpState::runnable;
    lwp.wait = Wait{};
    lwp.resume_result = result;
}

void Process::retry(Lwp& lwp) {
    if (lwp.state != LwpState::blocked)
        return;
    lwp.state = LwpState::runnable;
    lwp.wait = Wait{};
    lwp.call_again = true;
}

int Process::futex_wake(u64 address, int count, u32 bitset) {
    std::vector<Lwp*> waiters;
    for (auto& lwp : lwps_) {
        if (lwp->state == LwpState::blocked && lwp->wait.kind == WaitKind::futex &&
            lwp->wait.address == address && (lwp->wait.bitset & bitset) != 0)
            waiters.push_back(lwp.get());
    }
    std::sort(waiters.begin(), waiters.end(),
              [](const Lwp* a, const Lwp* b) { return a->wait.sequence < b->wait.sequence; });
    int woken = 0;
    for (Lwp* lwp : waiters) {
        if (woken >= count)
            break;
        wake(*lwp, 0);
        ++woken;
    }
    return woken;
}

bool Process::has_live_lwps() const {
    return std::any_of(lwps_.begin(), lwps_.end(),
                       [](const auto& lwp) { return lwp->state != LwpState::exited; });
}

void Process::exit_lwp(Lwp& lwp, int code) {
    lwp.state = LwpState::exited;
    lwp.exit_code = code;
    trace().line(total_insns(), "lwp {} exits ({})", lwp.ordinal, code);
    if (lwp.clear_child_tid != 0) {
        memory_->write_value(lwp.clear_child_tid, u32{0});
        futex_wake(lwp.clear_child_tid, 1, ~u32{0});
    }
    if (!has_live_lwps())
        exit_process(code);
}

void Process::exit_process(int code) {
    if (initial())
        kernel_.end_run(EndKind::exited, code & 0xff, "");
    else
        become_zombie(false, code & 0xff);
}

void Process::kill_process(int signo) {
    if (initial())
        kernel_.end_run(EndKind::signaled, signo, "");
    else
        become_zombie(true, signo);
}

void Process::end_run(EndKind kind, int status, std::string detail) {
    kernel_.end_run(kind, status, std::move(detail));
}

bool Process::ended() const {
    return kernel_.ended();
}

// ---- notes ----

void Process::note_once(u64 syscall, const std::string& text) {
    if (kernel_.first_note(syscall))
        note(text);
}

void Process::note(const std::string& text) {
    std::string line = "crossrt-kernel: " + text + "\n";
    write_output(err_fd(), line.data(), line.size());
}

i64 Process::write_output(int host_fd, const char* data, std::size_t length) {
    std::size_t done = kernel_.output_to_skip(host_fd, length);
    while (done < length) {
        ssize_t n = ::write(host_fd, data + done, length - done);
        if (n <= 0)
            return done > 0 ? static_cast<i64>(done) : -err::PIPE;
        done += static_cast<std::size_t>(n);
    }
    return static_cast<i64>(length);
}

i64 Process::unsupported(const SyscallArgs& args, std::string_view name) {
    std::string what = name.empty() ? fmt::format("syscall {}", args.nr)
                                    : fmt::format("syscall {} ({})", args.nr, name);
    if (options().strict) {
        kernel_.end_run(
            EndKind::unsupported, 0,
            fmt::format("unsupported {} called by lwp {} (--strict)", what, current().ordinal));
        return enosys();
    }
    if (kernel_.first_note(args.nr))
        note(fmt::format("unsupported {}: ENOSYS", what));
    return enosys();
}

} // namespace crossrt::kernel
