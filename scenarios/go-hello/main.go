// go-hello: the smallest real Go program, static, no cgo.
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
