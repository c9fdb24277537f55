// go-timers: time.Sleep, a Timer, a Ticker and AfterFunc, in an order that
// the durations fix.
package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("slept:", time.Since(start) >= 20*time.Millisecond)

	timer := time.NewTimer(30 * time.Millisecond)
	fired := make(chan string, 1)
	time.AfterFunc(10*time.Millisecond, func() { fired <- "afterfunc" })
	fmt.Println("first:", <-fired)
	<-timer.C
	fmt.Println("timer fired")

	ticker := time.NewTicker(5 * time.Millisecond)
	for i := 1; i <= 3; i++ {
		<-ticker.C
		fmt.Println("tick", i)
	}
	ticker.Stop()

	select {
	case <-time.After(10 * time.Millisecond):
		fmt.Println("after: ok")
	case <-make(chan int):
	}
	fmt.Println("elapsed at least 65ms:", time.Since(start) >= 65*time.Millisecond)
}
