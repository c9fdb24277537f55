// go-user: what a static Go program asks about its user and machine, and
// does with the rights of an ordinary user: the host name (Linux reads
// /proc/sys/kernel/hostname, NetBSD looks kern.hostname up by name with
// sysctl's CTL_QUERY), its user from /etc/passwd, its groups,
// chown to its own group, file times set back, a FIFO between two
// goroutines, RLIMIT_NOFILE. It prints facts that hold on every backend.
package main

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

func must(what string, err error) {
	if err != nil {
		fmt.Printf("error: %s: %v\n", what, err)
		os.Exit(1)
	}
}

func main() {
	host, err := os.Hostname()
	must("Hostname", err)
	fmt.Println("host name known:", host != "")

	me, err := user.Current()
	must("user.Current", err)
	fmt.Println("user's uid is getuid:", me.Uid == strconv.Itoa(os.Getuid()))

	groups, err := os.Getgroups()
	must("Getgroups", err)
	mine := false
	for _, g := range groups {
		mine = mine || g == os.Getgid()
	}
	fmt.Println("groups hold the gid:", mine || len(groups) == 0)

	dir, err := os.MkdirTemp("", "go-user")
	must("MkdirTemp", err)
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "file")
	must("WriteFile", os.WriteFile(name, []byte("data\n"), 0644))
	must("Chown to its own group", os.Chown(name, -1, os.Getgid()))

	before, err := os.Stat(name)
	must("Stat", err)
	back := before.ModTime().Add(-time.Hour)
	must("Chtimes", os.Chtimes(name, back, back))
	after, err := os.Stat(name)
	must("Stat", err)
	fmt.Println("mtime set back an hour:", after.ModTime().Equal(back))

	fifo := filepath.Join(dir, "fifo")
	must("Mkfifo", syscall.Mkfifo(fifo, 0600))
	info, err := os.Stat(fifo)
	must("Stat fifo", err)
	fmt.Println("fifo mode:", info.Mode().Type() == os.ModeNamedPipe)
	done := make(chan error)
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = io.WriteString(w, "through the fifo")
			w.Close()
		}
		done <- err
	}()
	r, err := os.Open(fifo)
	must("open fifo", err)
	got, err := io.ReadAll(r)
	must("read fifo", err)
	must("write fifo", <-done)
	r.Close()
	fmt.Printf("fifo carried: %q\n", got)

	var limit syscall.Rlimit
	must("Getrlimit", syscall.Getrlimit(syscall.RLIMIT_NOFILE, &limit))
	fmt.Println("open files allowed:", limit.Cur > 0 && limit.Cur <= limit.Max)
}
