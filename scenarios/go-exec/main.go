// go-exec: a static Go program starts itself again as a child process
// (os/exec, as Go's own tests re-execute their test binary), reads the
// child's output through a pipe, and gets its exit status; then a child
// that a signal ends. Under unicorn: fork, execve, pipes and wait4 in the
// kernel's processes.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

func main() {
	switch os.Getenv("GO_EXEC_ROLE") {
	case "talk":
		fmt.Println("child: hello through the pipe")
		fmt.Fprintln(os.Stderr, "child: and on stderr")
		os.Exit(3)
	case "hang":
		select {} // until a signal ends it
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Println("error: os.Executable:", err)
		os.Exit(1)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "GO_EXEC_ROLE=talk")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	fmt.Printf("child stdout: %q\n", out)
	fmt.Printf("child stderr: %q\n", stderr.String())
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		fmt.Println("child exit code:", exit.ExitCode())
	} else {
		fmt.Println("error: want an ExitError, got", err)
	}

	hang := exec.Command(exe)
	hang.Env = append(os.Environ(), "GO_EXEC_ROLE=hang")
	if err := hang.Start(); err != nil {
		fmt.Println("error: Start:", err)
		os.Exit(1)
	}
	hang.Process.Signal(syscall.SIGTERM)
	err = hang.Wait()
	status, _ := hang.ProcessState.Sys().(syscall.WaitStatus)
	fmt.Println("signalled child:", status.Signaled(), status.Signal() == syscall.SIGTERM, err != nil)
	_, err = exec.Command("/crossrt/no/such/program").Output()
	fmt.Println("missing program fails:", err != nil)
}
