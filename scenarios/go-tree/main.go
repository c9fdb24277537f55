// go-tree: a static Go program works in a temp dir as Go's own tests do
// (t.TempDir, os.MkdirTemp): it makes, writes, lists, renames, links and
// removes files and directories, and checks what each call says against
// what it did. Under unicorn the files live in the kernel's in-memory
// tree; natively and under qemu in the real kernel's.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func must(what string, err error) {
	if err != nil {
		fmt.Printf("error: %s: %v\n", what, err)
		os.Exit(1)
	}
}

func names(dir string) string {
	entries, err := os.ReadDir(dir)
	must("ReadDir "+dir, err)
	var list []string
	for _, entry := range entries {
		kind := "file"
		if entry.IsDir() {
			kind = "dir"
		} else if entry.Type()&fs.ModeSymlink != 0 {
			kind = "link"
		}
		list = append(list, entry.Name()+":"+kind)
	}
	sort.Strings(list)
	return strings.Join(list, " ")
}

func main() {
	dir, err := os.MkdirTemp("", "go-tree-")
	must("MkdirTemp", err)
	fmt.Println("temp dir is absolute:", filepath.IsAbs(dir))

	hello := filepath.Join(dir, "hello.txt")
	must("WriteFile", os.WriteFile(hello, []byte("hello, tree\n"), 0o644))
	data, err := os.ReadFile(hello)
	must("ReadFile", err)
	fmt.Printf("read back: %q\n", data)
	info, err := os.Stat(hello)
	must("Stat", err)
	fmt.Println("size:", info.Size(), "regular:", info.Mode().IsRegular(), "perm:", info.Mode().Perm())

	must("MkdirAll", os.MkdirAll(filepath.Join(dir, "a", "b", "c"), 0o755))
	for i := 0; i < 5; i++ {
		name := filepath.Join(dir, "a", "b", fmt.Sprintf("f%d", i))
		must("WriteFile", os.WriteFile(name, bytes.Repeat([]byte{'x'}, i*1000), 0o600))
	}
	fmt.Println("a/b:", names(filepath.Join(dir, "a", "b")))

	f, err := os.OpenFile(filepath.Join(dir, "log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	must("OpenFile", err)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(f, "line %d\n", i)
	}
	must("Close", f.Close())
	f, err = os.Open(filepath.Join(dir, "log"))
	must("Open", err)
	_, err = f.Seek(7, io.SeekStart)
	must("Seek", err)
	rest, err := io.ReadAll(f)
	must("ReadAll", err)
	f.Close()
	fmt.Printf("log from 7: %q\n", rest)

	must("Rename", os.Rename(hello, filepath.Join(dir, "a", "moved.txt")))
	_, err = os.Stat(hello)
	fmt.Println("old name gone:", errors.Is(err, fs.ErrNotExist))
	must("Symlink", os.Symlink("moved.txt", filepath.Join(dir, "a", "link")))
	target, err := os.Readlink(filepath.Join(dir, "a", "link"))
	must("Readlink", err)
	data, err = os.ReadFile(filepath.Join(dir, "a", "link"))
	must("ReadFile link", err)
	fmt.Printf("link -> %s: %q\n", target, data)
	must("Link", os.Link(filepath.Join(dir, "a", "moved.txt"), filepath.Join(dir, "hard")))
	info, err = os.Lstat(filepath.Join(dir, "a", "link"))
	must("Lstat", err)
	fmt.Println("lstat says symlink:", info.Mode()&fs.ModeSymlink != 0)
	fmt.Println("a:", names(filepath.Join(dir, "a")))

	err = os.Remove(filepath.Join(dir, "a"))
	fmt.Println("remove non-empty fails:", err != nil)
	_, err = os.OpenFile(filepath.Join(dir, "log"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	fmt.Println("O_EXCL on existing is ErrExist:", errors.Is(err, fs.ErrExist))

	wd, err := os.Getwd()
	must("Getwd", err)
	must("Chdir", os.Chdir(filepath.Join(dir, "a", "b")))
	here, err := os.Getwd()
	must("Getwd", err)
	fmt.Println("chdir moved the cwd:", strings.HasSuffix(here, filepath.Join("a", "b")))
	data, err = os.ReadFile("../moved.txt")
	must("ReadFile relative", err)
	fmt.Printf("relative read: %q\n", data)
	must("Chdir back", os.Chdir(wd))

	count := 0
	must("WalkDir", filepath.WalkDir(dir, func(string, fs.DirEntry, error) error {
		count++
		return nil
	}))
	fmt.Println("walked entries:", count)
	must("RemoveAll", os.RemoveAll(dir))
	_, err = os.Stat(dir)
	fmt.Println("removed all:", errors.Is(err, fs.ErrNotExist))
}
