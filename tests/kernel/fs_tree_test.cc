// The run's file system (posix/fs_tree.h): the in-memory tree's syscall
// semantics, symlinks resolved in the guest's tree, and host binds that are
// read but never written, and that no path (no host symlink) leads out of.
#include "kernel/posix/fs_tree.h"
#include "kernel/posix/stat.h"
#include "scratch_dir.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace crossrt::kernel::posix {
namespace {

namespace fs = std::filesystem;
using crossrt::test::read_file;
using crossrt::test::write_file;

class FileTreeTest : public ::testing::Test {
protected:
    NodePtr find(const std::string& path, i64* error_out = nullptr, bool follow = true) {
        i64 error = 0;
        NodePtr node = tree_.find(path, cwd_, follow, error);
        if (error_out != nullptr)
            *error_out = error;
        return node;
    }
    u64 now_ = 1000;
    FileTree tree_{[this] { return now_; }};
    NodePtr cwd_ = tree_.root();
    crossrt::test::ScratchDir scratch_;
    const fs::path& host_ = scratch_.path();
};

TEST_F(FileTreeTest, DirectoriesFilesAndTheirErrors) {
    EXPECT_EQ(tree_.mkdir("/tmp", cwd_, 0777), 0);
    EXPECT_EQ(tree_.mkdir("/tmp", cwd_, 0777), -err::EXIST);
    EXPECT_EQ(tree_.mkdir("/missing/dir", cwd_, 0777), -err::NOENT);
    i64 error = 0;
    NodePtr file = tree_.open_file("/tmp/a", cwd_, true, true, 0600, true, error);
    ASSERT_TRUE(file) << error;
    file->data = "hello";
    EXPECT_FALSE(tree_.open_file("/tmp/a", cwd_, true, true, 0600, true, error));
    EXPECT_EQ(error, -err::EXIST);
    EXPECT_EQ(tree_.mkdir("/tmp/a/b", cwd_, 0777), -err::NOTDIR);
    EXPECT_FALSE(find("/tmp/a/", &error));
    EXPECT_EQ(error, -err::NOTDIR);
    EXPECT_EQ(tree_.rmdir("/tmp", cwd_), -err::NOTEMPTY);
    EXPECT_EQ(tree_.unlink("/tmp", cwd_), -err::ISDIR);
    EXPECT_EQ(tree_.rmdir("/tmp/a", cwd_), -err::NOTDIR);
    EXPECT_EQ(tree_.rmdir("/", cwd_), -err::BUSY);
    EXPECT_EQ(tree_.unlink("/tmp/a", cwd_), 0);
    EXPECT_FALSE(find("/tmp/a", &error));
    EXPECT_EQ(error, -err::NOENT);
    EXPECT_EQ(file->nlink, 0u); // an open file outlives its name
    EXPECT_EQ(file->data, "hello");
    EXPECT_EQ(tree_.rmdir("/tmp", cwd_), 0);
    EXPECT_EQ(tree_.root()->nlink, 2u);
    EXPECT_EQ(tree_.mkdir(std::string(300, 'x'), cwd_, 0777), -err::NAMETOOLONG);
    EXPECT_EQ(tree_.mkdir("/" + std::string(5000, 'x'), cwd_, 0777), -err::NAMETOOLONG);
}

TEST_F(FileTreeTest, RelativePathsDotDotAndTheCwdsPath) {
    NodePtr work = tree_.make_directories("/home/guest/work", 0755);
    ASSERT_TRUE(work);
    cwd_ = work;
    EXPECT_EQ(tree_.mkdir("sub", cwd_, 0755), 0);
    EXPECT_EQ(find("sub/../../work/./sub"), find("/home/guest/work/sub"));
    EXPECT_EQ(find("/../../.."), tree_.root());
    EXPECT_EQ(tree_.path_of(work), "/home/guest/work");
    EXPECT_EQ(tree_.path_of(tree_.root()), "/");
    EXPECT_EQ(tree_.rename("/home/guest/work", "/home/moved", cwd_), 0);
    EXPECT_EQ(tree_.path_of(work), "/home/moved");
    EXPECT_EQ(tree_.rename("/home", "/home/moved/sub/inside", cwd_), -err::INVAL);
}

TEST_F(FileTreeTest, RenameReplacesAsPosixSays) {
    i64 error = 0;
    tree_.make_directories("/d/full/x", 0755);
    tree_.make_directories("/d/empty", 0755);
    NodePtr a = tree_.open_file("/d/a", cwd_, true, false, 0644, true, error);
    NodePtr b = tree_.open_file("/d/b", cwd_, true, false, 0644, true, error);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(tree_.rename("/d/a", "/d/full", cwd_), -err::ISDIR);
    EXPECT_EQ(tree_.rename("/d/empty", "/d/a", cwd_), -err::NOTDIR);
    EXPECT_EQ(tree_.rename("/d/empty", "/d/full", cwd_), -err::NOTEMPTY);
    EXPECT_EQ(tree_.rename("/d/a", "/d/b", cwd_), 0);
    EXPECT_EQ(find("/d/b"), a);
    EXPECT_EQ(b->nlink, 0u);
    EXPECT_EQ(tree_.rename("/d/b", "/d/b", cwd_), 0);
    EXPECT_EQ(tree_.rename("/d/missing", "/d/c", cwd_), -err::NOENT);
    EXPECT_EQ(tree_.link("/d/b", "/d/hard", cwd_), 0);
    EXPECT_EQ(a->nlink, 2u);
    EXPECT_EQ(tree_.link("/d/full", "/d/dirlink", cwd_), -err::PERM);
}

TEST_F(FileTreeTest, SymlinksResolveInTheGuestsTree) {
    tree_.make_directories("/a/b", 0755);
    i64 error = 0;
    ASSERT_TRUE(tree_.open_file("/a/b/target", cwd_, true, false, 0644, true, error));
    EXPECT_EQ(tree_.symlink("b/target", "/a/rel", cwd_), 0);
    EXPECT_EQ(tree_.symlink("/a/b", "/abs", cwd_), 0);
    EXPECT_EQ(find("/a/rel"), find("/a/b/target"));
    EXPECT_EQ(find("/abs/target"), find("/a/b/target"));
    NodePtr link = find("/a/rel", nullptr, false);
    ASSERT_TRUE(link);
    EXPECT_EQ(link->type, NodeType::symlink);
    EXPECT_EQ(link->data, "b/target");
    EXPECT_EQ(tree_.symlink("/loop2", "/loop1", cwd_), 0);
    EXPECT_EQ(tree_.symlink("/loop1", "/loop2", cwd_), 0);
    EXPECT_FALSE(find("/loop1", &error));
    EXPECT_EQ(error, -err::LOOP);
    // O_CREAT through a dangling symlink makes its target.
    EXPECT_EQ(tree_.symlink("/a/made", "/dangling", cwd_), 0);
    EXPECT_TRUE(tree_.open_file("/dangling", cwd_, true, false, 0644, true, error));
    EXPECT_TRUE(find("/a/made"));
    // O_CREAT|O_EXCL does not follow it.
    EXPECT_FALSE(tree_.open_file("/dangling", cwd_, true, true, 0644, true, error));
    EXPECT_EQ(error, -err::EXIST);
}

TEST_F(FileTreeTest, HostBindsAreReadAndNeverWritten) {
    fs::create_directories(host_ / "testdata" / "deep");
    write_file(host_ / "testdata" / "input.txt", "from the host\n");
    write_file(host_ / "testdata" / "deep" / "more.txt", "deeper\n");
    std::string error;
    ASSERT_TRUE(tree_.bind(host_.string(), "/src/pkg", false, error)) << error;
    i64 failed = 0;
    NodePtr input =
        tree_.open_file("/src/pkg/testdata/input.txt", cwd_, false, false, 0, true, failed);
    ASSERT_TRUE(input) << failed;
    EXPECT_EQ(input->data, "from the host\n");
    EXPECT_EQ(input->mtime_ns, 1000); // the tree's boot time (its clock then), not the host's
    const auto* list = tree_.entries(find("/src/pkg/testdata"), failed);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->begin()->first, "deep");
    // Changes stay in memory.
    input->data = "changed";
    EXPECT_EQ(tree_.unlink("/src/pkg/testdata/deep/more.txt", cwd_), 0);
    EXPECT_TRUE(tree_.open_file("/src/pkg/new.txt", cwd_, true, true, 0644, true, failed));
    EXPECT_EQ(read_file(host_ / "testdata" / "input.txt"), "from the host\n");
    EXPECT_TRUE(fs::exists(host_ / "testdata" / "deep" / "more.txt"));
    EXPECT_FALSE(fs::exists(host_ / "new.txt"));
    EXPECT_FALSE(tree_.bind((host_ / "testdata" / "input.txt").string(), "/x", false, error));
    EXPECT_NE(error.find("not a readable directory"), std::string::npos) << error;
}

TEST_F(FileTreeTest, ReadOnlyBindsRefuseChanges) {
    write_file(host_ / "file", "x");
    std::string error;
    ASSERT_TRUE(tree_.bind(host_.string(), "/ro", true, error)) << error;
    i64 failed = 0;
    EXPECT_EQ(tree_.unlink("/ro/file", cwd_), -err::ROFS);
    EXPECT_EQ(tree_.mkdir("/ro/dir", cwd_, 0755), -err::ROFS);
    EXPECT_FALSE(tree_.open_file("/ro/new", cwd_, true, false, 0644, true, failed));
    EXPECT_EQ(failed, -err::ROFS);
    NodePtr file = find("/ro/file");
    ASSERT_TRUE(file);
    EXPECT_EQ(FileTree::writable(*file), -err::ROFS);
}

// A host symlink is read, and its target resolved in the guest's tree: an
// absolute one names the guest's file, a relative one cannot climb out.
TEST_F(FileTreeTest, HostSymlinksDoNotLeadOutOfTheBind) {
    fs::create_directories(host_ / "inside");
    fs::create_symlink("/etc/passwd", host_ / "inside" / "absolute");
    fs::create_symlink("../../../../../../../../etc/passwd", host_ / "inside" / "relative");
    std::string error;
    ASSERT_TRUE(tree_.bind(host_.string(), "/mnt", false, error)) << error;
    i64 failed = 0;
    EXPECT_FALSE(tree_.open_file("/mnt/inside/absolute", cwd_, false, false, 0, true, failed));
    EXPECT_EQ(failed, -err::NOENT);
    EXPECT_FALSE(tree_.open_file("/mnt/inside/relative", cwd_, false, false, 0, true, failed));
    EXPECT_EQ(failed, -err::NOENT);
    // The guest's own /etc/passwd is what they name.
    tree_.make_directories("/etc", 0755);
    NodePtr mine = tree_.open_file("/etc/passwd", cwd_, true, false, 0644, true, failed);
    ASSERT_TRUE(mine);
    mine->data = "guest:x:1000:1000::/:/bin/sh\n";
    NodePtr seen = tree_.open_file("/mnt/inside/absolute", cwd_, false, false, 0, true, failed);
    EXPECT_EQ(seen, mine);
    EXPECT_EQ(tree_.open_file("/mnt/inside/relative", cwd_, false, false, 0, true, failed), mine);
}

// --sysroot: the host directory's entries at /, read-only, beneath the
// run's own names; a top-level symlink stays one, resolved in the guest.
TEST_F(FileTreeTest, ASysrootIsSeenAtTheRootBeneathTheRunsOwn) {
    write_file(host_ / "lib" / "ld.so", "loader");
    write_file(host_ / "usr" / "lib" / "libc.so", "libc");
    fs::create_symlink("usr/lib", host_ / "lib64");
    write_file(host_ / "etc" / "passwd", "host's");
    write_file(host_ / "tmp" / "left", "host's");
    // The skeleton's placeholders, and a file of the run's own.
    tree_.make_directories("/usr/bin", 0755);
    tree_.make_directories("/tmp", 0777);
    tree_.make_directories("/etc", 0755);
    i64 failed = 0;
    NodePtr passwd = tree_.open_file("/etc/passwd", cwd_, true, false, 0644, true, failed);
    ASSERT_TRUE(passwd);
    passwd->data = "guest's";
    std::string error;
    ASSERT_TRUE(tree_.bind_root(host_.string(), {"etc", "tmp"}, error)) << error;
    NodePtr loader = find("/lib/ld.so");
    ASSERT_TRUE(loader);
    ASSERT_EQ(tree_.load(*loader), 0);
    EXPECT_EQ(loader->data, "loader");
    EXPECT_EQ(FileTree::writable(*loader), -err::ROFS);
    NodePtr libc = find("/lib64/libc.so");
    ASSERT_TRUE(libc);
    EXPECT_EQ(find("/usr/lib/libc.so"), libc);
    EXPECT_EQ(find("/lib64", nullptr, false)->type, NodeType::symlink);
    EXPECT_FALSE(find("/usr/bin")); // the placeholder went with the skeleton's /usr
    EXPECT_EQ(find("/etc/passwd"), passwd);
    EXPECT_FALSE(find("/tmp/left"));
    EXPECT_EQ(tree_.unlink("/lib/ld.so", cwd_), -err::ROFS);
    EXPECT_FALSE(tree_.bind_root((host_ / "lib" / "ld.so").string(), {}, error));
    EXPECT_NE(error.find("is not a readable directory"), std::string::npos) << error;
}

TEST_F(FileTreeTest, StatOfNodesGivesTypeSizeAndTimes) {
    tree_.make_directories("/d", 0750);
    i64 error = 0;
    now_ = 2'500'000'123;
    NodePtr file = tree_.open_file("/d/f", cwd_, true, true, 0640, true, error);
    ASSERT_TRUE(file);
    file->data = std::string(1000, 'x');
    ASSERT_EQ(tree_.symlink("f", "/d/l", cwd_), 0);
    FileStat of_file = stat_of(*file);
    EXPECT_EQ(of_file.mode, kModeRegular | 0640);
    EXPECT_EQ(of_file.size, 1000);
    EXPECT_EQ(of_file.blocks, 2);
    EXPECT_EQ(of_file.mtime.sec, 2);
    EXPECT_EQ(of_file.mtime.nsec, 500'000'123);
    EXPECT_EQ(of_file.ino, file->ino);
    EXPECT_EQ(of_file.uid, 1000u);
    FileStat of_dir = stat_of(*find("/d"));
    EXPECT_EQ(of_dir.mode, kModeDirectory | 0750);
    EXPECT_EQ(of_dir.nlink, 2u);
    FileStat of_link = stat_of(*find("/d/l", nullptr, false));
    EXPECT_EQ(of_link.mode, kModeSymlink | 0777);
    EXPECT_EQ(of_link.size, 1); // the target's length, as lstat says
}

} // namespace
} // namespace crossrt::kernel::posix
