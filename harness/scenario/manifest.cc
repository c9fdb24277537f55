// Manifest validation: every error names file:line:column and the key path, and
// parsing goes on after an error so that one run reports all of them.
#include "scenario/manifest.h"

#include "base/bounds.h"
#include "base/injection.h"
#include "base/signal_sweep.h"
#include "base/signals.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <set>
#include <toml++/toml.h>
#include <tuple>

namespace crossrt {

const std::vector<std::string>& known_capabilities() {
    static const std::vector<std::string> capabilities = {"reexec"};
    return capabilities;
}

std::string ManifestError::to_string() const {
    return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

bool Manifest::is_go() const {
    return gotest.has_value() || (!sources.empty() && sources.front().ends_with(".go"));
}

namespace {

// The OS personalities crossrt knows even before the table lists a target for
// them, so that a manifest may name netbsd before its targets are added.
const std::vector<std::string> known_personalities = {"linux", "netbsd"};

std::string type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a float";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    default:
        return "nothing";
    }
}

std::string join(const std::vector<std::string>& values) {
    return fmt::format("{}", fmt::join(values, ", "));
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string element_path(const std::string& parent, std::size_t index) {
    return fmt::format("{}[{}]", parent, index);
}

class ManifestParser {
public:
    explicit ManifestParser(const ManifestContext& context) : context_(context) {
        for (const Target& target : *context.targets) {
            if (!contains(known_arches_, target.arch))
                known_arches_.push_back(target.arch);
            if (!contains(known_oses_, target.os))
                known_oses_.push_back(target.os);
        }
        for (const std::string& os : known_personalities) {
            if (!contains(known_oses_, os))
                known_oses_.push_back(os);
        }
    }

    ManifestParse parse(std::string_view text) {
        toml::table root;
        try {
            root = toml::parse(text, context_.file);
        } catch (const toml::parse_error& error) {
            add_error(error.source().begin, std::string(error.description()));
            return {std::nullopt, errors_};
        }
        Manifest manifest = parse_root(root);
        std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        if (!errors_.empty())
            return {std::nullopt, errors_};
        return {std::move(manifest), {}};
    }

private:
    const ManifestContext& context_;
    std::vector<std::string> known_arches_;
    std::vector<std::string> known_oses_;
    std::vector<ManifestError> errors_;

    void add_error(const toml::source_position& position, std::string message) {
        errors_.push_back({context_.file, std::max(position.line, 1u),
                           std::max(position.column, 1u), std::move(message)});
    }

    void add_error(const toml::node& node, std::string message) {
        add_error(node.source().begin, std::move(message));
    }

    void type_error(const toml::node& node, const std::string& path, std::string_view expected) {
        add_error(node,
                  fmt::format("key '{}' must be {}, not {}", path, expected, type_name(node)));
    }

    void check_keys(const toml::table& table, const std::string& path,
                    const std::vector<std::string>& allowed) {
        for (auto&& [key, value] : table) {
            if (!contains(allowed, key.str())) {
                add_error(key.source().begin, fmt::format("key '{}' is not a manifest key",
                                                          child_path(path, key.str())));
            }
        }
    }

    void require(const toml::table& table, const std::string& path, std::string_view key) {
        if (!table.contains(key)) {
            std::string where = path.empty() ? "the manifest" : fmt::format("'{}'", path);
            add_error(table,
                      fmt::format("key '{}' is required in {}", child_path(path, key), where));
        }
    }

    std::optional<std::string> string_value(const toml::node& node, const std::string& path) {
        if (const auto* text = node.as_string())
            return text->get();
        type_error(node, path, "a string");
        return std::nullopt;
    }

    std::optional<std::string> optional_string(const toml::table& table, const std::string& path,
                                               std::string_view key) {
        const toml::node* node = table.get(key);
        if (node == nullptr)
            return std::nullopt;
        return string_value(*node, child_path(path, key));
    }

    std::vector<std::string> string_array(const toml::node& node, const std::string& path) {
        std::vector<std::string> values;
        const auto* array = node.as_array();
        if (array == nullptr) {
            type_error(node, path, "an array of strings");
            return values;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            if (auto value = string_value(*array->get(i), element_path(path, i)))
                values.push_back(*value);
        }
        return values;
    }

    // An array of names, each of which must be one of `known`.
    std::vector<std::string> name_array(const toml::node& node, const std::string& path,
                                        const std::vector<std::string>& known,
                                        std::string_view what) {
        std::vector<std::string> names;
        const auto* array = node.as_array();
        if (array == nullptr) {
            type_error(node, path, "an array of strings");
            return names;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::node& element = *array->get(i);
            auto value = string_value(element, element_path(path, i));
            if (!value)
                continue;
            if (!contains(known, *value)) {
                add_error(element, fmt::format("key '{}': unknown {} '{}' (known: {})",
                                               element_path(path, i), what, *value, join(known)));
                continue;
            }
            names.push_back(*value);
        }
        return names;
    }

    std::optional<double> number_value(const toml::node& node, const std::string& path) {
        if (const auto* integer = node.as_integer())
            return static_cast<double>(integer->get());
        if (const auto* floating = node.as_floating_point())
            return floating->get();
        type_error(node, path, "a number");
        return std::nullopt;
    }

    Manifest parse_root(const toml::table& root) {
        check_keys(root, "", {"description", "sources", "arch",         "os",      "backends",
                              "timeout",     "args",    "env",          "seed",    "seeds",
                              "cpus",        "inject",  "signal_sweep", "mounts",  "cwd",
                              "expect",      "skip",    "xfail",        "regress", "gotest"});
        require(root, "", "description");
        if (root.get("gotest") == nullptr)
            require(root, "", "sources");

        Manifest manifest;
        manifest.name = context_.scenario;
        manifest.dir = context_.dir;
        manifest.description = optional_string(root, "", "description").value_or("");
        if (const auto* sources = root.get("sources"))
            manifest.sources = parse_sources(*sources);
        manifest.arch = known_arches_;
        if (const auto* arch = root.get("arch"))
            manifest.arch = name_array(*arch, "arch", known_arches_, "arch");
        manifest.os = {"linux"};
        if (const auto* os = root.get("os"))
            manifest.os = name_array(*os, "os", known_oses_, "os");
        manifest.backends = context_.backends; // every backend crossrt has
        if (const auto* backends = root.get("backends"))
            manifest.backends = name_array(*backends, "backends", context_.backends, "backend");
        if (const auto* timeout = root.get("timeout"))
            manifest.timeout_s = parse_timeout(*timeout);
        if (const auto* args = root.get("args"))
            manifest.args = string_array(*args, "args");
        if (const auto* env = root.get("env"))
            manifest.env = parse_env(*env);
        if (const auto* seed = root.get("seed")) {
            const auto* integer = seed->as_integer();
            if (integer == nullptr)
                type_error(*seed, "seed", "an integer");
            else if (integer->get() < 0)
                add_error(*seed, "key 'seed' must not be negative");
            else
                manifest.seed = static_cast<std::uint64_t>(integer->get());
        }
        if (const auto* seeds = root.get("seeds")) {
            const auto* integer = seeds->as_integer();
            if (integer == nullptr)
                type_error(*seeds, "seeds", "an integer");
            else if (integer->get() < 1 || integer->get() > kMaxSeeds)
                add_error(*seeds, fmt::format("key 'seeds' must be between 1 and {}", kMaxSeeds));
            else
                manifest.seeds = static_cast<int>(integer->get());
        }
        if (const auto* cpus = root.get("cpus")) {
            const auto* integer = cpus->as_integer();
            if (integer == nullptr)
                type_error(*cpus, "cpus", "an integer");
            else if (integer->get() < 1 || integer->get() > kMaxManifestCpus)
                add_error(*cpus,
                          fmt::format("key 'cpus' must be between 1 and {}", kMaxManifestCpus));
            else
                manifest.cpus = static_cast<int>(integer->get());
        }
        if (const auto* inject = root.get("inject")) {
            string_array(*inject, "inject"); // reports the elements that are not strings
            const auto* array = inject->as_array();
            for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
                const auto* spec = array->get(i)->as_string();
                if (spec == nullptr)
                    continue;
                if (auto injection = parse_injection(spec->get())) {
                    manifest.inject.push_back(*injection);
                } else {
                    add_error(*array->get(i),
                              fmt::format("key 'inject[{}]': '{}' is not SIG@N or SIG@N:LWP "
                                          "(e.g. \"SIGUSR1@100000:1\")",
                                          i, spec->get()));
                }
            }
        }
        if (auto sweep = optional_string(root, "", "signal_sweep")) {
            const toml::node& node = *root.get("signal_sweep");
            std::string why;
            if (!parse_signal_sweep(*sweep, why))
                add_error(node, fmt::format("key 'signal_sweep': {} (want \"SIG@SYMBOL\" or "
                                            "\"SIG@BEGIN-END\", ends 0x addresses or symbols)",
                                            why));
            else if (manifest.seeds > 1)
                add_error(node, "key 'signal_sweep': a cell sweeps seeds or signal points, not "
                                "both (drop 'seeds')");
            else if (std::any_of(manifest.backends.begin(), manifest.backends.end(),
                                 [](const std::string& name) { return name != "unicorn"; }))
                add_error(node, "key 'signal_sweep' needs backends = [\"unicorn\"]: only the "
                                "unicorn kernel puts a signal on an exact instruction");
            manifest.signal_sweep = *sweep;
        }
        if (const auto* mounts = root.get("mounts"))
            manifest.mounts = parse_mounts(*mounts);
        if (auto cwd = optional_string(root, "", "cwd")) {
            if (cwd->empty() || cwd->front() != '/')
                add_error(*root.get("cwd"), "key 'cwd' must be an absolute guest path");
            manifest.cwd = *cwd;
        }
        if (const auto* expect = root.get("expect"))
            manifest.expect = parse_expectation(*expect, "expect");
        if (const auto* skips = root.get("skip"))
            manifest.skips = parse_skips(*skips, "skip");
        if (const auto* xfails = root.get("xfail"))
            manifest.xfails = parse_skips(*xfails, "xfail");
        if (const auto* regress = root.get("regress"))
            manifest.regress = parse_regress_list(*regress, manifest.arch);
        if (const auto* gotest = root.get("gotest"))
            manifest.gotest = parse_gotest(root, *gotest, manifest);
        check_language(root, manifest);
        return manifest;
    }

    // Go std import paths: lower-case letters, digits and '/' (no "..", no
    // module paths: the package comes from the installed Go's GOROOT).
    static bool is_std_package(std::string_view name) {
        return !name.empty() && name.front() != '/' && name.back() != '/' &&
               name.find("//") == std::string_view::npos &&
               std::all_of(name.begin(), name.end(), [](char c) {
                   return std::islower(static_cast<unsigned char>(c)) ||
                          std::isdigit(static_cast<unsigned char>(c)) || c == '/' || c == '_';
               });
    }

    std::optional<GoTestSuite> parse_gotest(const toml::table& root, const toml::node& node,
                                            const Manifest& manifest) {
        const auto* table = node.as_table();
        if (table == nullptr) {
            type_error(node, "gotest", "a table ([gotest])");
            return std::nullopt;
        }
        // The test binary is the program and its verdicts are the expectation.
        for (std::string_view key :
             {"sources", "expect", "regress", "seeds", "inject", "signal_sweep"}) {
            if (const auto* other = root.get(key)) {
                add_error(*other, fmt::format("key '{}' does not apply to a [gotest] scenario (the "
                                              "package's test binary and its test verdicts are "
                                              "the program and the expectation)",
                                              key));
            }
        }
        // The reference run is the linux build of the same arch.
        if (std::find(manifest.os.begin(), manifest.os.end(), "linux") == manifest.os.end()) {
            const toml::node* os = root.get("os");
            add_error(os != nullptr ? *os : node,
                      "key 'os': a [gotest] scenario needs linux (its reference run)");
        }
        check_keys(*table, "gotest", {"package", "run", "tags", "full", "known_failure"});
        require(*table, "gotest", "package");
        GoTestSuite suite;
        if (auto package = optional_string(*table, "gotest", "package")) {
            if (!is_std_package(*package))
                add_error(*table->get("package"),
                          fmt::format("key 'gotest.package': '{}' is not an import path of Go's "
                                      "standard library (like \"sync/atomic\")",
                                      *package));
            suite.package = *package;
        }
        suite.run = optional_string(*table, "gotest", "run").value_or("");
        if (const auto* tags = table->get("tags")) {
            suite.tags = string_array(*tags, "gotest.tags");
            for (const std::string& tag : suite.tags) {
                if (!is_identifier(tag))
                    add_error(*tags,
                              fmt::format("key 'gotest.tags': '{}' is not a build tag", tag));
            }
        }
        if (const auto* full = table->get("full")) {
            if (const auto* flag = full->as_boolean())
                suite.full = flag->get();
            else
                type_error(*full, "gotest.full", "a boolean");
        }
        if (const auto* known = table->get("known_failure"))
            suite.known_failures = parse_known_failures(*known, "gotest.known_failure");
        return suite;
    }

    std::vector<GoTestKnownFailure> parse_known_failures(const toml::node& node,
                                                         const std::string& path) {
        std::vector<GoTestKnownFailure> failures;
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables()) {
            type_error(node, path, fmt::format("an array of tables ([[{}]])", path));
            return failures;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::table& table = *array->get(i)->as_table();
            std::string entry = element_path(path, i);
            check_keys(table, entry,
                       {"test", "arch", "os", "backend", "lacks", "reason", "flaky", "skip"});
            require(table, entry, "test");
            require(table, entry, "reason");
            GoTestKnownFailure failure;
            static_cast<CellSelector&>(failure) = parse_selector(table, entry);
            failure.test = optional_string(table, entry, "test").value_or("");
            if (!failure.test.empty() && !is_identifier(failure.test))
                add_error(*table.get("test"),
                          fmt::format("key '{}.test': '{}' is not a top-level test's name", entry,
                                      failure.test));
            failure.reason = optional_string(table, entry, "reason").value_or("");
            failure.lacks = parse_lacks(table, entry);
            if (const auto* flaky = table.get("flaky")) {
                if (const auto* flag = flaky->as_boolean())
                    failure.flaky = flag->get();
                else
                    type_error(*flaky, child_path(entry, "flaky"), "a boolean");
            }
            if (const auto* skip = table.get("skip")) {
                if (const auto* flag = skip->as_boolean())
                    failure.skip = flag->get();
                else
                    type_error(*skip, child_path(entry, "skip"), "a boolean");
            }
            failures.push_back(std::move(failure));
        }
        return failures;
    }

    std::vector<Mount> parse_mounts(const toml::node& node) {
        std::vector<Mount> mounts;
        string_array(node, "mounts"); // reports the elements that are not strings
        const auto* array = node.as_array();
        for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
            const auto* spec = array->get(i)->as_string();
            if (spec == nullptr)
                continue;
            std::string why;
            auto mount = parse_mount(spec->get(), why);
            if (!mount) {
                add_error(*array->get(i),
                          fmt::format("key 'mounts[{}]': '{}' {}", i, spec->get(), why));
                continue;
            }
            if (!context_.dir.empty()) {
                std::filesystem::path host = context_.dir / mount->host; // an absolute one stays
                std::error_code failed;
                if (!std::filesystem::is_directory(host, failed)) {
                    add_error(*array->get(i), fmt::format("key 'mounts[{}]': {} is not a directory",
                                                          i, host.string()));
                    continue;
                }
                mount->host = host.lexically_normal().string();
            }
            mounts.push_back(*mount);
        }
        return mounts;
    }

    std::vector<std::string> parse_sources(const toml::node& node) {
        std::vector<std::string> sources = string_array(node, "sources");
        if (node.is_array() && node.as_array()->empty())
            add_error(node, "key 'sources' must name at least one source file");
        if (!context_.dir.empty()) {
            const auto* array = node.as_array();
            for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
                const auto* source = array->get(i)->as_string();
                if (source != nullptr && !std::filesystem::exists(context_.dir / source->get())) {
                    add_error(*array->get(i),
                              fmt::format("key 'sources[{}]': '{}' does not exist in {}", i,
                                          source->get(), context_.dir.string()));
                }
            }
        }
        return sources;
    }

    double parse_timeout(const toml::node& node) {
        auto seconds = number_value(node, "timeout");
        if (!seconds)
            return 10.0;
        // Written this way round so that nan fails too; inf fails the maximum.
        if (!(*seconds > 0 && *seconds <= kMaxTimeoutSeconds)) {
            add_error(node, fmt::format("key 'timeout' must be a number of seconds above 0 and "
                                        "at most {:g} (one week), not {}",
                                        kMaxTimeoutSeconds, *seconds));
            return 10.0;
        }
        return *seconds;
    }

    std::map<std::string, std::string> parse_env(const toml::node& node) {
        std::map<std::string, std::string> env;
        const auto* table = node.as_table();
        if (table == nullptr) {
            type_error(node, "env", "a table");
            return env;
        }
        for (auto&& [key, value] : *table) {
            if (auto text = string_value(value, child_path("env", key.str())))
                env[std::string(key.str())] = *text;
        }
        return env;
    }

    Expectation parse_expectation(const toml::node& node, const std::string& path) {
        Expectation expectation;
        const auto* table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a table");
            return expectation;
        }
        check_keys(*table, path, {"exit", "signal", "verdict", "stdout", "stderr", "on"});
        parse_expectation_fields(*table, path, expectation);
        if (const auto* on = table->get("on"))
            expectation.overrides = parse_overrides(*on, child_path(path, "on"));
        return expectation;
    }

    // [[<path>.on]]: a selector (arch, os, backend) and the keys it replaces.
    std::vector<ExpectationOverride> parse_overrides(const toml::node& node,
                                                     const std::string& path) {
        std::vector<ExpectationOverride> overrides;
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables()) {
            type_error(node, path, "an array of tables ([[...on]])");
            return overrides;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::table& table = *array->get(i)->as_table();
            std::string entry = element_path(path, i);
            check_keys(table, entry,
                       {"arch", "os", "backend", "exit", "signal", "verdict", "stdout", "stderr"});
            ExpectationOverride override_entry;
            override_entry.selector = parse_selector(table, entry);
            parse_expectation_fields(table, entry, override_entry.replacement);
            override_entry.replaces_status =
                table.contains("exit") || table.contains("signal") || table.contains("verdict");
            override_entry.replaces_stdout = table.contains("stdout");
            override_entry.replaces_stderr = table.contains("stderr");
            if (!override_entry.replaces_status && !override_entry.replaces_stdout &&
                !override_entry.replaces_stderr) {
                add_error(table, fmt::format("key '{}' replaces nothing: give exit, signal, "
                                             "verdict, stdout or stderr",
                                             entry));
            }
            overrides.push_back(std::move(override_entry));
        }
        return overrides;
    }

    std::vector<std::string> parse_lacks(const toml::table& table, const std::string& entry) {
        const auto* lacks = table.get("lacks");
        if (lacks == nullptr)
            return {};
        return name_array(*lacks, child_path(entry, "lacks"), known_capabilities(), "capability");
    }

    CellSelector parse_selector(const toml::table& table, const std::string& entry) {
        CellSelector selector;
        if (const auto* arch = table.get("arch"))
            selector.arch = name_array(*arch, child_path(entry, "arch"), known_arches_, "arch");
        if (const auto* os = table.get("os"))
            selector.os = name_array(*os, child_path(entry, "os"), known_oses_, "os");
        if (const auto* backend = table.get("backend")) {
            selector.backend =
                name_array(*backend, child_path(entry, "backend"), context_.backends, "backend");
        }
        return selector;
    }

    void parse_expectation_fields(const toml::table& table, const std::string& path,
                                  Expectation& expectation) {
        int status_keys = 0;
        for (std::string_view key : {"exit", "signal", "verdict"}) {
            const toml::node* status = table.get(key);
            if (status != nullptr && ++status_keys > 1) {
                add_error(*status,
                          fmt::format("key '{}': give only one of exit, signal and verdict",
                                      child_path(path, key)));
            }
        }
        if (const auto* exit_node = table.get("exit"))
            expectation.exit_code = parse_exit(*exit_node, child_path(path, "exit"));
        if (const auto* signal_node = table.get("signal"))
            expectation.signal = parse_signal(*signal_node, child_path(path, "signal"));
        if (const auto* verdict_node = table.get("verdict")) {
            auto verdict = string_value(*verdict_node, child_path(path, "verdict"));
            auto kind = verdict ? expectable_verdict(*verdict) : std::nullopt;
            if (verdict && !kind) {
                add_error(*verdict_node, fmt::format("key '{}': unknown verdict '{}' (known: {})",
                                                     child_path(path, "verdict"), *verdict,
                                                     join(expectable_verdict_names())));
            }
            expectation.verdict = kind;
        }
        if (const auto* out = table.get("stdout"))
            expectation.stdout_checks = parse_stream_checks(*out, child_path(path, "stdout"));
        if (const auto* err = table.get("stderr"))
            expectation.stderr_checks = parse_stream_checks(*err, child_path(path, "stderr"));
    }

    // All sources are Go or none is; Go programs have no regression variants
    // (the knobs are the runtime core's).
    void check_language(const toml::table& root, const Manifest& manifest) {
        std::size_t go = 0;
        for (const std::string& source : manifest.sources)
            go += source.ends_with(".go") ? 1 : 0;
        const toml::node* sources = root.get("sources");
        if (go != 0 && go != manifest.sources.size() && sources != nullptr) {
            add_error(*sources,
                      "key 'sources': Go (*.go) and runtime-core sources cannot be mixed");
        }
        const toml::node* regress = root.get("regress");
        if (go != 0 && regress != nullptr) {
            add_error(*regress, "key 'regress': a Go program has no regression variants (the "
                                "RT_REGRESS_* knobs belong to the runtime core)");
        }
    }

    std::optional<int> parse_exit(const toml::node& node, const std::string& path) {
        const auto* integer = node.as_integer();
        if (integer == nullptr) {
            type_error(node, path, "an integer");
            return std::nullopt;
        }
        if (integer->get() < 0 || integer->get() > 255) {
            add_error(node, fmt::format("key '{}' must be an exit status from 0 to 255", path));
            return std::nullopt;
        }
        return static_cast<int>(integer->get());
    }

    std::optional<int> parse_signal(const toml::node& node, const std::string& path) {
        std::optional<int> number;
        if (const auto* integer = node.as_integer()) {
            number = signal_number(std::to_string(integer->get()));
        } else if (const auto* name = node.as_string()) {
            number = signal_number(name->get());
        } else {
            type_error(node, path, "a signal name or number");
            return std::nullopt;
        }
        if (!number) {
            add_error(node, fmt::format("key '{}' is not a signal (write a name like \"SIGSEGV\" "
                                        "or a number)",
                                        path));
        }
        return number;
    }

    std::vector<StreamCheck> parse_stream_checks(const toml::node& node, const std::string& path) {
        std::vector<StreamCheck> checks;
        const auto* array = node.as_array();
        if (array == nullptr) {
            type_error(node, path, "an array of checks");
            return checks;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            if (auto check = parse_stream_check(*array->get(i), element_path(path, i)))
                checks.push_back(std::move(*check));
        }
        return checks;
    }

    std::optional<StreamCheck> parse_stream_check(const toml::node& node, const std::string& path) {
        if (const auto* text = node.as_string())
            return StreamCheck::contains(text->get());
        const auto* table = node.as_table();
        if (table == nullptr) {
            type_error(node, path, "a string or a table");
            return std::nullopt;
        }
        check_keys(*table, path, {"contains", "regex", "absent"});
        std::optional<StreamCheck> check;
        int kinds = 0;
        for (std::string_view kind : {"contains", "regex", "absent"}) {
            const toml::node* value = table->get(kind);
            if (value == nullptr)
                continue;
            if (++kinds > 1) {
                add_error(*value, fmt::format("key '{}': a check has only one of contains, "
                                              "regex and absent",
                                              child_path(path, kind)));
                continue;
            }
            auto text = string_value(*value, child_path(path, kind));
            if (!text)
                continue;
            if (kind == "contains") {
                check = StreamCheck::contains(*text);
            } else if (kind == "absent") {
                check = StreamCheck::absent(*text);
            } else {
                try {
                    check = StreamCheck::regex(*text);
                } catch (const BadRegex& error) {
                    add_error(*value, fmt::format("key '{}': bad regex \"{}\": {}",
                                                  child_path(path, kind), *text, error.what()));
                }
            }
        }
        if (kinds == 0)
            add_error(*table,
                      fmt::format("key '{}' needs one of contains, regex and absent", path));
        return check;
    }

    std::vector<SkipRule> parse_skips(const toml::node& node, const std::string& path) {
        std::vector<SkipRule> rules;
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables()) {
            type_error(node, path, fmt::format("an array of tables ([[{}]])", path));
            return rules;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::table& table = *array->get(i)->as_table();
            std::string entry = element_path(path, i);
            check_keys(table, entry, {"arch", "os", "backend", "versions", "lacks", "reason"});
            require(table, entry, "reason");
            SkipRule rule;
            static_cast<CellSelector&>(rule) = parse_selector(table, entry);
            rule.reason = optional_string(table, entry, "reason").value_or("");
            rule.lacks = parse_lacks(table, entry);
            if (auto text = optional_string(table, entry, "versions")) {
                std::string why;
                rule.versions = VersionConstraint::parse(*text, why);
                if (!rule.versions)
                    add_error(*table.get("versions"),
                              fmt::format("key '{}.versions': {}", entry, why));
            }
            rules.push_back(std::move(rule));
        }
        return rules;
    }

    static bool is_variant_name(std::string_view name) {
        return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
    }

    static bool is_identifier(std::string_view name) {
        return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
               std::all_of(name.begin(), name.end(), [](char c) {
                   return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
               });
    }

    std::vector<RegressVariant> parse_regress_list(const toml::node& node,
                                                   const std::vector<std::string>& scenario_arch) {
        std::vector<RegressVariant> variants;
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables()) {
            type_error(node, "regress", "an array of tables ([[regress]])");
            return variants;
        }
        std::set<std::string> names;
        for (std::size_t i = 0; i < array->size(); ++i) {
            const toml::table& table = *array->get(i)->as_table();
            std::string entry = element_path("regress", i);
            check_keys(table, entry, {"name", "define", "symptom", "arch", "expect", "skip"});
            for (std::string_view key : {"name", "define", "symptom", "expect"})
                require(table, entry, key);
            RegressVariant variant;
            if (auto name = optional_string(table, entry, "name")) {
                const toml::node& name_node = *table.get("name");
                if (!is_variant_name(*name)) {
                    add_error(name_node, fmt::format("key '{}.name': '{}' may use only letters, "
                                                     "digits, '-' and '_'",
                                                     entry, *name));
                } else if (!names.insert(*name).second) {
                    add_error(name_node, fmt::format("key '{}.name': regress variant '{}' is "
                                                     "defined twice",
                                                     entry, *name));
                }
                variant.name = *name;
            }
            if (auto define = optional_string(table, entry, "define")) {
                if (!is_identifier(*define)) {
                    add_error(
                        *table.get("define"),
                        fmt::format("key '{}.define': '{}' is not a C identifier", entry, *define));
                }
                variant.define = *define;
            }
            variant.symptom = optional_string(table, entry, "symptom").value_or("");
            variant.arch = scenario_arch;
            if (const auto* arch = table.get("arch"))
                variant.arch = name_array(*arch, child_path(entry, "arch"), known_arches_, "arch");
            if (const auto* expect = table.get("expect"))
                variant.expect = parse_expectation(*expect, child_path(entry, "expect"));
            if (const auto* skips = table.get("skip"))
                variant.skips = parse_skips(*skips, child_path(entry, "skip"));
            variants.push_back(std::move(variant));
        }
        return variants;
    }
};

} // namespace

ManifestParse parse_manifest(std::string_view text, const ManifestContext& context) {
    return ManifestParser(context).parse(text);
}

} // namespace crossrt
