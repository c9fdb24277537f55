// go-signal: os/signal catches a SIGUSR1 the program sends itself.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		fmt.Println("kill failed:", err)
		os.Exit(1)
	}
	select {
	case s := <-c:
		fmt.Println("caught:", s)
	case <-time.After(10 * time.Second):
		fmt.Println("no signal within 10s")
		os.Exit(1)
	}
	signal.Stop(c)
	fmt.Println("go-signal: ok")
}
