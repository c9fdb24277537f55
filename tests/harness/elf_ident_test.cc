#include "target/elf_ident.h"
#include "test_support.h"

#include <cstring>
#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crossrt {
namespace {

using ::testing::HasSubstr;

struct TinyElf {
    Elf32_Half machine = EM_ARM;
    Elf32_Half type = ET_EXEC;
    unsigned char osabi = ELFOSABI_SYSV;
    bool netbsd_note = false;
};

// A 32-bit little-endian ELF with only a header and, optionally, one SHT_NOTE
// section holding the NetBSD ident note: enough for identify_elf.
std::string make_elf32(const TinyElf& spec) {
    Elf32_Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS32;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_ident[EI_OSABI] = spec.osabi;
    header.e_type = spec.type;
    header.e_machine = spec.machine;
    header.e_version = EV_CURRENT;
    header.e_ehsize = sizeof(Elf32_Ehdr);
    header.e_shentsize = sizeof(Elf32_Shdr);

    std::string note;
    if (spec.netbsd_note) {
        Elf32_Nhdr note_header{7, 4, 1};
        note.append(reinterpret_cast<const char*>(&note_header), sizeof note_header);
        note.append("NetBSD\0\0", 8); // name, padded to 4 bytes
        note.append("\x00\x00\x00\x0a", 4);
    }
    std::string body;
    if (!note.empty()) {
        header.e_shoff = sizeof(Elf32_Ehdr) + note.size();
        header.e_shnum = 2;
        Elf32_Shdr null_section{};
        Elf32_Shdr note_section{};
        note_section.sh_type = SHT_NOTE;
        note_section.sh_offset = sizeof(Elf32_Ehdr);
        note_section.sh_size = note.size();
        note_section.sh_addralign = 4;
        body = note;
        body.append(reinterpret_cast<const char*>(&null_section), sizeof null_section);
        body.append(reinterpret_cast<const char*>(&note_section), sizeof note_section);
    }
    return std::string(reinterpret_cast<const char*>(&header), sizeof header) + body;
}

class ElfIdentTest : public ::testing::Test {
protected:
    std::string write(const std::string& name, const std::string& content, bool exec = true) {
        auto path = dir.path() / name;
        test::write_file(path, content, exec);
        return path.string();
    }
    test::ScratchDir dir;
};

TEST_F(ElfIdentTest, HostBinaryIsAmd64Linux) {
    auto result = identify_elf("/bin/true");
    ASSERT_TRUE(result.identity) << result.error;
    EXPECT_EQ(result.identity->arch, "amd64");
    EXPECT_EQ(result.identity->os, "linux");
    EXPECT_EQ(result.identity->elf_class, 64);
    EXPECT_TRUE(result.identity->has_interpreter);
}

TEST_F(ElfIdentTest, ArmAnd386) {
    auto arm = identify_elf(write("arm", make_elf32({EM_ARM})));
    ASSERT_TRUE(arm.identity) << arm.error;
    EXPECT_EQ(arm.identity->arch, "arm");
    EXPECT_EQ(arm.identity->os, "linux");
    EXPECT_EQ(arm.identity->elf_class, 32);
    EXPECT_FALSE(arm.identity->has_interpreter);
    auto i386 = identify_elf(write("i386", make_elf32({EM_386, ET_DYN})));
    ASSERT_TRUE(i386.identity) << i386.error;
    EXPECT_EQ(i386.identity->arch, "386");
}

TEST_F(ElfIdentTest, NetbsdByOsabiOrNote) {
    auto by_osabi = identify_elf(write("osabi", make_elf32({EM_ARM, ET_EXEC, ELFOSABI_NETBSD})));
    ASSERT_TRUE(by_osabi.identity) << by_osabi.error;
    EXPECT_EQ(by_osabi.identity->os, "netbsd");
    auto by_note = identify_elf(write("note", make_elf32({EM_386, ET_EXEC, ELFOSABI_SYSV, true})));
    ASSERT_TRUE(by_note.identity) << by_note.error;
    EXPECT_EQ(by_note.identity->os, "netbsd");
}

TEST_F(ElfIdentTest, Refusals) {
    EXPECT_THAT(identify_elf(write("text", "#!/bin/sh\necho hi\n")).error,
                HasSubstr("is not an ELF file"));
    EXPECT_THAT(identify_elf(write("obj", make_elf32({EM_ARM, ET_REL}))).error,
                HasSubstr("is not an executable (it is a relocatable object)"));
    EXPECT_THAT(identify_elf(write("mips", make_elf32({EM_MIPS}))).error,
                HasSubstr("machine mips"));
    EXPECT_THAT(identify_elf(write("noexec", make_elf32({EM_ARM}), false)).error,
                HasSubstr("is not executable"));
    EXPECT_THAT(identify_elf((dir.path() / "missing").string()).error, HasSubstr("cannot open"));
}

TEST_F(ElfIdentTest, ACompleteStaticExecutable) {
    auto whole = identify_elf(write("whole", test::static_executable(EM_X86_64, "code")));
    ASSERT_TRUE(whole.identity) << whole.error;
    EXPECT_EQ(whole.identity->arch, "amd64");
    EXPECT_EQ(elf_defect(dir.path() / "whole"), std::nullopt);
}

// Each way of cutting a file short, named with what is missing.
TEST_F(ElfIdentTest, ATruncatedElfSaysWhatIsMissing) {
    std::string whole = test::static_executable(EM_X86_64, std::string(83, '\x90'));
    ASSERT_EQ(whole.size(), 203u);
    struct Case {
        std::size_t length;
        std::string message;
    };
    const std::vector<Case> cases = {
        {10, "is not a complete ELF file: it has 10 bytes, less than its 64-byte ELF header "
             "(truncated?)"},
        {40, "is not a complete ELF file: it has 40 bytes, less than its 64-byte ELF header "
             "(truncated?)"},
        {100, "is not a complete ELF file: its 1 program headers end at byte 120, but the file "
              "has 100 bytes (truncated?)"},
        {150, "is not a complete ELF file: program header 0 (PT_LOAD) needs bytes up to 203 "
              "(p_offset 0x0, p_filesz 0xcb), but the file has 150 bytes (truncated?)"},
    };
    for (const Case& c : cases) {
        std::string path = write("cut" + std::to_string(c.length), whole.substr(0, c.length));
        EXPECT_EQ(elf_defect(path), path + " " + c.message) << c.length;
        auto identified = identify_elf(path);
        EXPECT_FALSE(identified.identity) << c.length;
        EXPECT_EQ(identified.error, path + " " + c.message) << c.length;
    }
    // Three bytes of the magic: not an ELF file at all.
    EXPECT_EQ(elf_defect(write("three", whole.substr(0, 3))), std::nullopt);
    EXPECT_THAT(identify_elf(dir.path() / "three").error, HasSubstr("is not an ELF file"));
}

TEST_F(ElfIdentTest, AnImpossibleSegmentIsNamed) {
    std::string path = write("small", test::static_executable(EM_X86_64, "code", 16));
    EXPECT_THAT(elf_defect(path), testing::Optional(HasSubstr(
                                      "is not a valid ELF file: program header 0 (PT_LOAD) has "
                                      "more file bytes (0x7c) than memory (0x10)")));
}

} // namespace
} // namespace crossrt
