// go-panic: an unrecovered panic prints "panic: " and a traceback on stderr
// and exits with status 2.
package main

import "fmt"

func deeper(n int) {
	if n == 0 {
		panic(fmt.Sprintf("boom %d", 42))
	}
	deeper(n - 1)
}

func main() {
	fmt.Println("about to panic")
	defer fmt.Println("deferred call runs")
	deeper(3)
}
