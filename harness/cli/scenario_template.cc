#include "cli/scenario_template.h"

#include <cctype>

namespace crossrt {
namespace {

// @NAME@ and @DEFINE@ are filled in; nothing else in the texts is special.
const char* const manifest_text =
    R"(# The manifest of the scenario @NAME@, written by `crossrt new @NAME@`.
# Every key, its type and its default: docs/writing-scenarios.md.

# One line: what the scenario checks (reports show it).
description = "@NAME@: goroutines started with newproc all run before main returns"
# The program's sources, relative to this folder, linked with the runtime core.
sources = ["main.cc"]
# Where it runs (cells: arch x os x backend x variant). These are every arch,
# OS and backend crossrt has; narrow them to where the scenario applies.
arch = ["amd64", "386", "arm"]
os = ["linux", "netbsd"]
backends = ["native", "qemu", "unicorn"]
# Seconds of wall clock per run; past it the cell's verdict is timeout.
timeout = 20

# What the fixed program must do: one of exit, signal or verdict, and
# ordered checks on its output ("text", { regex = "..." }, { absent = "..." }).
[expect]
exit = 0
stdout = ["worker 0 done", "worker 3 done", "@NAME@: ok"]
stderr = [{ absent = "workers finished" }]

# A regression variant: the same sources built with `define`, which compiles
# the historic bug back in. Its cell passes when the scenario catches the
# bug, that is when the program does what [regress.expect] says.
[[regress]]
name = "no-wait"              # the variant is regress-no-wait
define = "@DEFINE@"
symptom = "main returns before the goroutines it started have run"
# arch = ["arm"]              # where the bug can exist (default: every arch)
[regress.expect]
exit = 1
stderr = ["0 of 4 workers finished"]

# Cells that do not apply, each with a reason shown as "skipped: ...":
# [[skip]]
# arch = ["arm"]
# backend = ["qemu"]
# reason = "why this cell does not apply"
)";

const char* const program_text =
    R"(// @NAME@: goroutines started with newproc all run before main returns.
//
// Written by `crossrt new @NAME@` as a starting point: replace the workers
// with the runtime machinery this scenario checks, and @DEFINE@
// with the historic bug it must catch (docs/writing-scenarios.md).
)"
    // Outside the raw string: tests/layers reads every line
    // that starts with #include as one of the harness's own.
    "#include \"rt/print.h\"\n"
    "#include \"rt/runtime.h\"\n"
    R"(
using namespace rt;

namespace {

constexpr int kWorkers = 4;

struct Worker : FuncVal {
    int id;
};
Worker workers[kWorkers];
int finished;

RT_FUNCVAL_ABI void work(RT_FUNCVAL_PARAMS(Worker, self)) {
    gosched(); // the others run in between
    println("worker ", self->id, " done");
    finished++;
}

} // namespace

int rt::main(int, char**) {
    for (int i = 0; i < kWorkers; i++) {
        workers[i].fn = reinterpret_cast<uintptr>(&work);
        workers[i].id = i;
        newproc(&workers[i]);
    }
#ifndef @DEFINE@
    // The fix: main waits until every worker has run.
    while (finished < kWorkers) {
        gosched();
    }
#endif
    if (finished != kWorkers) {
        eprintln(finished, " of ", kWorkers, " workers finished");
        return 1;
    }
    println("@NAME@: ok");
    return 0;
}
)";

const char* const readme_text = R"(# @NAME@

What this scenario checks, in a paragraph: the runtime machinery it
exercises and what a failure in it would mean for a port. (Written by
`crossrt new @NAME@`; replace this text.)

## The regression: `regress-no-wait`

The historic bug that `@DEFINE@` compiles back in: where it
was (the runtime's commit or issue), what it did, how it was fixed, and
what the scenario sees when it is back.

## Running it

    build/bin/crossrt list @NAME@                 # its cells
    build/bin/crossrt run @NAME@                  # all of them
    build/bin/crossrt run @NAME@ --backend unicorn --seed 7 --trace traces/

The manifest's keys: [writing a scenario](../../docs/writing-scenarios.md).
)";

std::string fill(std::string text, const std::string& name) {
    const std::pair<std::string, std::string> fields[] = {{"@NAME@", name},
                                                          {"@DEFINE@", template_define(name)}};
    for (const auto& [field, value] : fields) {
        for (std::size_t at = text.find(field); at != std::string::npos;
             at = text.find(field, at + value.size()))
            text.replace(at, field.size(), value);
    }
    return text;
}

} // namespace

std::string template_define(const std::string& name) {
    std::string upper;
    for (char c : name)
        upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return "RT_REGRESS_" + upper + "_NO_WAIT";
}

std::vector<TemplateFile> scenario_template(const std::string& name) {
    return {{"scenario.toml", fill(manifest_text, name)},
            {"main.cc", fill(program_text, name)},
            {"README.md", fill(readme_text, name)}};
}

} // namespace crossrt
