// go-cpus: a static Go program sizes its parallelism by the CPUs the OS
// reports: runtime.NumCPU (sched_getaffinity on Linux, sysctl
// hw.ncpuonline on NetBSD), GOMAXPROCS, and on Linux the CPU lists in
// /proc/cpuinfo and /sys/devices/system/cpu/online must agree. Under
// unicorn the kernel presents the manifest's `cpus` (3 here); natively and
// under qemu it is the host's count.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

func must(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

// "0-3" or "0,2-3": how many CPUs the list names.
func countList(text string) int {
	count := 0
	for _, part := range strings.Split(strings.TrimSpace(text), ",") {
		bounds := strings.SplitN(part, "-", 2)
		first, err := strconv.Atoi(bounds[0])
		must(err)
		last := first
		if len(bounds) == 2 {
			last, err = strconv.Atoi(bounds[1])
			must(err)
		}
		count += last - first + 1
	}
	return count
}

func main() {
	n := runtime.NumCPU()
	fmt.Printf("NumCPU %d\n", n)
	fmt.Printf("GOMAXPROCS equals NumCPU: %v\n", runtime.GOMAXPROCS(0) == n)
	if runtime.GOOS == "linux" {
		online, err := os.ReadFile("/sys/devices/system/cpu/online")
		must(err)
		fmt.Printf("/sys/devices/system/cpu/online names at least NumCPU: %v\n",
			countList(string(online)) >= n)
	}

	// One busy goroutine per CPU: all of them finish their work.
	var wg sync.WaitGroup
	var total int64
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				atomic.AddInt64(&total, 1)
				if j%100 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("work done: %v\n", total == int64(n)*1000)
}
