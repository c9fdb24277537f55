// go-files: a static Go program using the files every backend offers: the
// devices, /proc/self/maps on Linux, and a path that does not exist. Under
// unicorn these come from the kernel's virtual file set (no host file is
// ever opened); under qemu and natively from the real kernel.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime"
)

func must(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

func main() {
	null, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
	must(err)
	n, err := null.Write([]byte("hello"))
	must(err)
	must(null.Close())
	fmt.Printf("/dev/null: wrote %d bytes\n", n)

	zero, err := os.Open("/dev/zero")
	must(err)
	buf := make([]byte, 8)
	n, err = zero.Read(buf)
	must(err)
	zeros := 0
	for _, b := range buf[:n] {
		if b == 0 {
			zeros++
		}
	}
	fmt.Printf("/dev/zero: %d of %d bytes are zero\n", zeros, n)
	zero.Close()

	random, err := os.Open("/dev/urandom")
	must(err)
	buf = make([]byte, 16)
	n, err = random.Read(buf)
	must(err)
	random.Close()
	fmt.Printf("/dev/urandom: read %d bytes\n", n)

	if runtime.GOOS == "linux" {
		maps, err := os.Open("/proc/self/maps")
		must(err)
		text := regexp.MustCompile(`^[0-9a-f]+-[0-9a-f]+ r-xp `)
		found := false
		scanner := bufio.NewScanner(maps)
		for scanner.Scan() {
			if text.MatchString(scanner.Text()) {
				found = true
			}
		}
		maps.Close()
		fmt.Println("/proc/self/maps: executable mapping found:", found)
	}

	_, err = os.Open("/crossrt/no/such/file")
	fmt.Println("missing file is ErrNotExist:", errors.Is(err, fs.ErrNotExist))
}
