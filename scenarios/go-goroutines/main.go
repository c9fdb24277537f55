// go-goroutines: goroutines on several threads (GOMAXPROCS=4), channels and
// a WaitGroup. The output does not depend on the interleaving.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func work(id int) int {
	sum := 0
	for j := 0; j < 200000; j++ {
		sum += j % (id + 1)
	}
	return sum
}

func main() {
	runtime.GOMAXPROCS(4)
	const n = 8
	results := make(chan [2]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			results <- [2]int{id, work(id)}
		}(i)
	}
	wg.Wait()
	close(results)
	sums := make([]int, n)
	for r := range results {
		sums[r[0]] = r[1]
	}
	total := 0
	for i, s := range sums {
		fmt.Printf("worker %d: %d\n", i, s)
		total += s
	}
	fmt.Println("GOMAXPROCS", runtime.GOMAXPROCS(0), "total", total)
}
