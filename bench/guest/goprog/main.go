// goprog: a real Go program for the bench, the same work on every backend:
// four goroutines each sort a pseudo-random slice, fold it into a map and
// hash the map; main hashes the four hashes. The output is a checksum, so
// every backend's run can be compared.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
)

func work(worker, n int) [32]byte {
	values := make([]int, n)
	state := uint64(worker + 1)
	for i := range values {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		values[i] = int(state >> 2)
	}
	sort.Ints(values)
	folded := map[int]int{}
	for i, v := range values {
		folded[v%1000] += i
	}
	hash := sha256.New()
	for k := 0; k < 1000; k++ {
		fmt.Fprintf(hash, "%d:%d;", k, folded[k])
	}
	var sum [32]byte
	copy(sum[:], hash.Sum(nil))
	return sum
}

func main() {
	n := 100000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	sums := make([][32]byte, 4)
	var wg sync.WaitGroup
	for w := range sums {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sums[w] = work(w, n)
		}(w)
	}
	wg.Wait()
	total := sha256.New()
	for _, s := range sums {
		total.Write(s[:])
	}
	fmt.Printf("goprog %d: %x\n", n, total.Sum(nil)[:8])
}
