// go-net: a static Go program on the loopback, as Go's own tests use it:
// TCP listeners on 127.0.0.1:0, [::1]:0, "localhost:0" (resolved through
// /etc/hosts) and the dual-stack ":0", each dialed and echoing; an HTTP
// request served by net/http through httptest's server; a UDP round trip;
// a Unix stream socket and a Unix datagram socket in a temp directory;
// read deadlines and a refused dial. It prints facts that hold on every
// backend (no port numbers).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func must(what string, err error) {
	if err != nil {
		fmt.Printf("error: %s: %v\n", what, err)
		os.Exit(1)
	}
}

// echo serves one connection of l: it sends back each line it reads.
func echo(l net.Listener) {
	c, err := l.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		io.WriteString(c, strings.ToUpper(line))
	}
}

// roundTrip dials addr and checks what comes back.
func roundTrip(network, addr string) bool {
	c, err := net.Dial(network, addr)
	if err != nil {
		fmt.Printf("error: dial %s %s: %v\n", network, addr, err)
		return false
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for _, word := range []string{"first", "second"} {
		if _, err := io.WriteString(c, word+"\n"); err != nil {
			return false
		}
		got, err := r.ReadString('\n')
		if err != nil || got != strings.ToUpper(word)+"\n" {
			return false
		}
	}
	return true
}

func listenAndEcho(network, address string) {
	l, err := net.Listen(network, address)
	must("Listen "+address, err)
	defer l.Close()
	go echo(l)
	tcp := l.Addr().(*net.TCPAddr)
	fmt.Printf("listen %s: port chosen %v, loopback %v\n", address, tcp.Port != 0,
		tcp.IP.IsLoopback() || tcp.IP.IsUnspecified())
	fmt.Printf("echo through %s: %v\n", address, roundTrip(network, l.Addr().String()))
}

func main() {
	listenAndEcho("tcp", "127.0.0.1:0")
	listenAndEcho("tcp", "[::1]:0")
	listenAndEcho("tcp", "localhost:0")

	// The dual-stack listener takes IPv4 and IPv6 clients.
	any, err := net.Listen("tcp", ":0")
	must("Listen :0", err)
	port := any.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := any.Accept()
			if err != nil {
				return
			}
			io.WriteString(c, c.RemoteAddr().(*net.TCPAddr).IP.To4().String()+"\n")
			c.Close()
		}
	}()
	for _, host := range []string{"127.0.0.1", "::1"} {
		c, err := net.Dial("tcp", net.JoinHostPort(host, fmt.Sprint(port)))
		must("Dial "+host, err)
		line, _ := bufio.NewReader(c).ReadString('\n')
		c.Close()
		fmt.Printf("dual-stack listener, client %s: IPv4 peer %v\n", host, line != "<nil>\n")
	}
	any.Close()

	// HTTP through net/http, as Go's tests serve it.
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s from %s", r.Method, r.URL.Path, r.Header.Get("User-Agent"))
	}))
	request, _ := http.NewRequest("GET", server.URL+"/hello", nil)
	request.Header.Set("User-Agent", "go-net")
	response, err := http.DefaultClient.Do(request)
	must("GET", err)
	body, err := io.ReadAll(response.Body)
	must("read body", err)
	response.Body.Close()
	fmt.Printf("http: %s %q\n", response.Status, body)
	server.Close()

	// UDP: a datagram there and back.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	must("ListenPacket", err)
	go func() {
		buffer := make([]byte, 64)
		n, from, err := pc.ReadFrom(buffer)
		if err == nil {
			pc.WriteTo([]byte(strings.ToUpper(string(buffer[:n]))), from)
		}
	}()
	uc, err := net.Dial("udp", pc.LocalAddr().String())
	must("Dial udp", err)
	_, err = uc.Write([]byte("datagram"))
	must("Write udp", err)
	buffer := make([]byte, 64)
	uc.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := uc.Read(buffer)
	must("Read udp", err)
	fmt.Printf("udp: %q\n", buffer[:n])
	uc.Close()
	pc.Close()

	// A read deadline that passes.
	quiet, err := net.Listen("tcp", "127.0.0.1:0")
	must("Listen quiet", err)
	qc, err := net.Dial("tcp", quiet.Addr().String())
	must("Dial quiet", err)
	qc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = qc.Read(buffer)
	var netErr net.Error
	fmt.Println("read deadline passes:", errors.As(err, &netErr) && netErr.Timeout())
	qc.Close()

	// Nobody listens any more: the dial is refused.
	address := quiet.Addr().String()
	quiet.Close()
	_, err = net.Dial("tcp", address)
	fmt.Println("dial a closed port refused:", errors.Is(err, syscall.ECONNREFUSED))

	// Unix sockets in a temp directory.
	dir, err := os.MkdirTemp("", "go-net")
	must("MkdirTemp", err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "echo.sock")
	ul, err := net.Listen("unix", path)
	must("Listen unix", err)
	go echo(ul)
	info, err := os.Stat(path)
	must("Stat socket", err)
	fmt.Println("unix socket file:", info.Mode().Type() == os.ModeSocket)
	fmt.Println("echo through unix:", roundTrip("unix", path))
	ul.Close()
	_, err = os.Stat(path)
	fmt.Println("unix socket removed on close:", os.IsNotExist(err))

	gram := filepath.Join(dir, "gram.sock")
	g, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: gram, Net: "unixgram"})
	must("ListenUnixgram", err)
	gc, err := net.Dial("unixgram", gram)
	must("Dial unixgram", err)
	gc.Write([]byte("one"))
	gc.Write([]byte("two"))
	var got []string
	for i := 0; i < 2; i++ {
		n, _, err := g.ReadFrom(buffer)
		must("ReadFrom unixgram", err)
		got = append(got, string(buffer[:n]))
	}
	fmt.Println("unixgram keeps boundaries:", strings.Join(got, ","))
	gc.Close()
	g.Close()
}
