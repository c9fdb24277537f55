// The layer check itself: it must flag a forbidden include (the test that
// runs it on the tree would pass vacuously otherwise), accept allowed ones,
// and refuse a table it cannot trust.
#include "layer_graph.h"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>

namespace crossrt::layers {
namespace {

using ::testing::HasSubstr;

const char* kTable = R"(# a comment
base:     base target  ->
kernel:   kernel       -> base
scenario: scenario     -> base
cli:      cli          -> kernel scenario base
)";

LayerGraph graph_of(const std::string& table) {
    std::string error;
    auto graph = parse_layer_graph(table, error);
    EXPECT_TRUE(graph) << error;
    return graph.value_or(LayerGraph{});
}

std::string refusal(const std::string& table) {
    std::string error;
    EXPECT_FALSE(parse_layer_graph(table, error)) << table;
    return error;
}

// The real table, harness/layers.txt, which CMake links by.
LayerGraph real_graph() {
    std::ifstream file(CROSSRT_LAYER_TABLE);
    std::stringstream text;
    text << file.rdbuf();
    return graph_of(text.str());
}

TEST(LayerGraph, ReadsTheTable) {
    LayerGraph graph = graph_of(kTable);
    EXPECT_EQ(graph.layer_of_dir.at("target"), "base");
    EXPECT_EQ(graph.may_use.at("cli"), (std::set<std::string>{"kernel", "scenario", "base"}));
    EXPECT_TRUE(graph.may_use.at("base").empty());
}

TEST(LayerGraph, RefusesABadTable) {
    EXPECT_THAT(refusal("base: base\n"), HasSubstr("line 1: not 'layer: dirs -> layers'"));
    EXPECT_THAT(refusal("a: a -> b\n"), HasSubstr("layer a uses b, which is no layer"));
    EXPECT_THAT(refusal("a: a -> b\nb: b -> a\n"), HasSubstr("cycle"));
    EXPECT_THAT(refusal("a: x ->\nb: x ->\n"), HasSubstr("line 2: directory x given twice"));
    EXPECT_THAT(refusal("a: a ->\na: b ->\n"), HasSubstr("line 2: layer a given twice"));
}

TEST(IncludeCheck, AForbiddenEdgeIsFlaggedWithItsLine) {
    LayerGraph graph = graph_of(kTable);
    auto violations = check_includes(graph, "scenario/manifest.cc",
                                     "#include \"scenario/manifest.h\"\n"
                                     "\n"
                                     "#include \"kernel/machine.h\"\n");
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].line, 3);
    EXPECT_EQ(violations[0].message,
              "#include \"kernel/machine.h\": layer scenario may not use layer kernel");
}

TEST(IncludeCheck, AllowedEdgesOwnLayerAndSystemHeadersPass) {
    LayerGraph graph = graph_of(kTable);
    EXPECT_TRUE(check_includes(graph, "cli/main.cc",
                               "#include \"cli/context.h\"\n#include \"kernel/machine.h\"\n"
                               "#include \"target/target.h\"\n#include <vector>\n"
                               "// #include \"nowhere/x.h\" in a comment\n")
                    .empty());
    // A layer's second directory is the same layer.
    EXPECT_TRUE(check_includes(graph, "base/x.cc", "#include \"target/target.h\"\n").empty());
}

TEST(IncludeCheck, UsesAreNotTransitive) {
    // cli may use kernel and kernel may use base, but scenario may not use kernel.
    LayerGraph graph = graph_of(kTable);
    EXPECT_EQ(check_includes(graph, "kernel/x.cc", "  #  include \"scenario/verdict.h\"\n").size(),
              1u);
    EXPECT_EQ(check_includes(graph, "base/x.h", "#include \"cli/context.h\"\n").size(), 1u);
}

TEST(IncludeCheck, FilesAndIncludesOutsideEveryLayerAreFlagged) {
    LayerGraph graph = graph_of(kTable);
    EXPECT_THAT(check_includes(graph, "tools/x.cc", "")[0].message, HasSubstr("in no layer"));
    EXPECT_THAT(check_includes(graph, "cli/x.cc", "#include \"tools/y.h\"\n")[0].message,
                HasSubstr("names a directory in no layer"));
}

TEST(IncludeCheck, TheRealTableForbidsTheEdgesIssue10Removed) {
    LayerGraph graph = real_graph();
    EXPECT_EQ(
        check_includes(graph, "scenario/manifest.cc", "#include \"kernel/machine.h\"\n").size(),
        1u);
    EXPECT_EQ(check_includes(graph, "kernel/machine.cc", "#include \"backend/signals.h\"\n").size(),
              1u);
    EXPECT_EQ(check_includes(graph, "report/json.cc", "#include \"backend/backend.h\"\n").size(),
              1u);
    EXPECT_TRUE(
        check_includes(graph, "kernel/machine.cc", "#include \"base/signals.h\"\n").empty());
}

} // namespace
} // namespace crossrt::layers
