/* Sockets on the loopback through libc: TCP over IPv4 and IPv6 (dual-stack
 * and IPV6_V6ONLY), UDP with its message boundaries, AF_UNIX streams,
 * datagrams and seqpackets by path, abstract name and socketpair, SCM_RIGHTS,
 * shutdown, EPIPE and SIGPIPE, ECONNRESET, ECONNREFUSED, EADDRINUSE,
 * poll and epoll readiness, blocking calls across fork and one a signal
 * interrupts. Printed as facts that hold on any machine (no port numbers,
 * no buffer sizes); SocketTest runs it on the host kernel and under the
 * unicorn kernel and compares the outputs line by line.
 *
 *   socket_probe       run in an empty directory of one's own */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char* format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char* format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (write(1, line, (size_t)n) < 0)
        _exit(99);
}

static const char* err_name(int e) {
    switch (e) {
    case 0:
        return "ok";
    case EACCES:
        return "EACCES";
    case EADDRINUSE:
        return "EADDRINUSE";
    case EADDRNOTAVAIL:
        return "EADDRNOTAVAIL";
    case EAFNOSUPPORT:
        return "EAFNOSUPPORT";
    case EAGAIN:
        return "EAGAIN";
    case EBADF:
        return "EBADF";
    case ECONNREFUSED:
        return "ECONNREFUSED";
    case ECONNRESET:
        return "ECONNRESET";
    case EDESTADDRREQ:
        return "EDESTADDRREQ";
    case EINPROGRESS:
        return "EINPROGRESS";
    case EINTR:
        return "EINTR";
    case EINVAL:
        return "EINVAL";
    case EISCONN:
        return "EISCONN";
    case EMSGSIZE:
        return "EMSGSIZE";
    case ENOENT:
        return "ENOENT";
    case ENOPROTOOPT:
        return "ENOPROTOOPT";
    case ENOTCONN:
        return "ENOTCONN";
    case ENOTSOCK:
        return "ENOTSOCK";
    case ENXIO:
        return "ENXIO";
    case EOPNOTSUPP:
        return "EOPNOTSUPP";
    case EPIPE:
        return "EPIPE";
    case EPROTONOSUPPORT:
        return "EPROTONOSUPPORT";
    case ESPIPE:
        return "ESPIPE";
    default:
        return "other";
    }
}

/* A call's result: "ok" (0), its errno's name, or the count it returned. */
static const char* result(long r) {
    static char text[32];
    if (r < 0)
        return err_name(errno);
    if (r == 0)
        return "ok";
    snprintf(text, sizeof text, "%ld", r);
    return text;
}

static int sigpipes;
static void on_sigpipe(int signo) {
    (void)signo;
    ++sigpipes;
}
static void on_alarm(int signo) {
    (void)signo;
}

/* What poll says of fd now, of POLLIN, POLLOUT and POLLRDHUP asked. */
static void show_poll(const char* what, int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
    int n = poll(&p, 1, 0);
    char names[64] = "";
    if (p.revents & POLLIN)
        strcat(names, " IN");
    if (p.revents & POLLOUT)
        strcat(names, " OUT");
    if (p.revents & POLLRDHUP)
        strcat(names, " RDHUP");
    if (p.revents & POLLERR)
        strcat(names, " ERR");
    if (p.revents & POLLHUP)
        strcat(names, " HUP");
    if (p.revents & POLLNVAL)
        strcat(names, " NVAL");
    say("poll %s: %d%s\n", what, n, names);
}

/* Waits (up to a second) until fd has one of events. */
static void wait_for(int fd, short events) {
    struct pollfd p = {fd, events, 0};
    poll(&p, 1, 1000);
}

static int int_option(int fd, int level, int name) {
    int value = -1;
    socklen_t length = sizeof value;
    if (getsockopt(fd, level, name, &value, &length) != 0)
        return -1000 - errno;
    return value;
}

static struct sockaddr_in v4(const char* ip, unsigned short port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 v6(const char* ip, unsigned short port) {
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return a;
}

static unsigned short port_of(int fd) {
    struct sockaddr_storage a;
    socklen_t length = sizeof a;
    if (getsockname(fd, (struct sockaddr*)&a, &length) != 0)
        return 0;
    return a.ss_family == AF_INET ? ntohs(((struct sockaddr_in*)&a)->sin_port)
                                  : ntohs(((struct sockaddr_in6*)&a)->sin6_port);
}

/* An address as text (the port left out: it differs from run to run). */
static const char* address_text(const struct sockaddr_storage* a, socklen_t length) {
    static char text[160];
    if (length == 0) {
        snprintf(text, sizeof text, "no address (length 0)");
    } else if (a->ss_family == AF_INET) {
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &((const struct sockaddr_in*)a)->sin_addr, ip, sizeof ip);
        snprintf(text, sizeof text, "inet %s (length %u)", ip, (unsigned)length);
    } else if (a->ss_family == AF_INET6) {
        char ip[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &((const struct sockaddr_in6*)a)->sin6_addr, ip, sizeof ip);
        snprintf(text, sizeof text, "inet6 %s (length %u)", ip, (unsigned)length);
    } else if (a->ss_family == AF_UNIX) {
        const struct sockaddr_un* u = (const struct sockaddr_un*)a;
        if (length <= sizeof(sa_family_t))
            snprintf(text, sizeof text, "unix unnamed (length %u)", (unsigned)length);
        else if (u->sun_path[0] == 0)
            snprintf(text, sizeof text, "unix abstract (length %u)", (unsigned)length);
        else
            snprintf(text, sizeof text, "unix %s (length %u)", u->sun_path, (unsigned)length);
    } else {
        snprintf(text, sizeof text, "family %d (length %u)", a->ss_family, (unsigned)length);
    }
    return text;
}

static const char* name_of(int fd, int peer) {
    struct sockaddr_storage a;
    memset(&a, 0, sizeof a);
    socklen_t length = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr*)&a, &length)
                 : getsockname(fd, (struct sockaddr*)&a, &length);
    if (r != 0)
        return err_name(errno);
    return address_text(&a, length);
}

static int tcp_listener(const char* ip) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4(ip, 0);
    if (bind(fd, (struct sockaddr*)&a, sizeof a) != 0 || listen(fd, 8) != 0)
        say("tcp listener on %s: %s\n", ip, err_name(errno));
    return fd;
}

static int tcp_connect(int listener) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = v4("127.0.0.1", port_of(listener));
    if (connect(fd, (struct sockaddr*)&a, sizeof a) != 0)
        say("connect: %s\n", err_name(errno));
    return fd;
}

static void read_text(const char* what, int fd) {
    char buffer[64];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    if (n < 0) {
        say("%s: %s\n", what, err_name(errno));
        return;
    }
    buffer[n] = 0;
    say("%s: %zd \"%s\"\n", what, n, buffer);
}

static void tcp_ipv4(void) {
    int fresh = socket(AF_INET, SOCK_STREAM, 0);
    show_poll("a fresh TCP socket", fresh);
    say("read on it: %s\n", result(read(fresh, (char[4]){0}, 4)));
    say("write on it: %s\n", result(write(fresh, "x", 1)));
    say("SIGPIPE for it: %d\n", sigpipes);
    sigpipes = 0;
    say("shutdown on it: %s\n", result(shutdown(fresh, SHUT_RDWR)));
    say("getpeername on it: %s\n", name_of(fresh, 1));
    say("getsockname before bind: %s\n", name_of(fresh, 0));
    say("SO_ERROR: %d, SO_TYPE: %d, SO_ACCEPTCONN: %d\n", int_option(fresh, SOL_SOCKET, SO_ERROR),
        int_option(fresh, SOL_SOCKET, SO_TYPE), int_option(fresh, SOL_SOCKET, SO_ACCEPTCONN));
    say("SO_DOMAIN: %d, SO_PROTOCOL: %d\n", int_option(fresh, SOL_SOCKET, SO_DOMAIN),
        int_option(fresh, SOL_SOCKET, SO_PROTOCOL));
    struct sockaddr_in elsewhere = v4("192.0.2.1", 0);
    say("bind to 192.0.2.1: %s\n",
        result(bind(fresh, (struct sockaddr*)&elsewhere, sizeof elsewhere)));
    say("accept on a socket that does not listen: %s\n", result(accept(fresh, NULL, NULL)));
    close(fresh);

    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    say("FD_CLOEXEC from SOCK_CLOEXEC: %d\n", fcntl(l, F_GETFD) & FD_CLOEXEC);
    int one = 1;
    say("SO_REUSEADDR: %s\n", result(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)));
    say("SO_REUSEADDR reads back: %d\n", int_option(l, SOL_SOCKET, SO_REUSEADDR));
    struct sockaddr_in a = v4("127.0.0.1", 0);
    say("bind 127.0.0.1:0: %s\n", result(bind(l, (struct sockaddr*)&a, sizeof a)));
    say("bind again: %s\n", result(bind(l, (struct sockaddr*)&a, sizeof a)));
    say("an ephemeral port: %s\n", port_of(l) >= 1024 ? "yes" : "no");
    say("getsockname: %s\n", name_of(l, 0));
    say("listen: %s\n", result(listen(l, 8)));
    say("SO_ACCEPTCONN: %d\n", int_option(l, SOL_SOCKET, SO_ACCEPTCONN));
    show_poll("a listener nobody connected to", l);

    int taken = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(taken, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in same = v4("127.0.0.1", port_of(l));
    say("bind to the listener's port: %s\n",
        result(bind(taken, (struct sockaddr*)&same, sizeof same)));
    struct sockaddr_in any = v4("0.0.0.0", port_of(l));
    say("bind to its port on 0.0.0.0: %s\n",
        result(bind(taken, (struct sockaddr*)&any, sizeof any)));
    close(taken);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    say("connect: %s\n", result(connect(c, (struct sockaddr*)&same, sizeof same)));
    say("connect again: %s\n", result(connect(c, (struct sockaddr*)&same, sizeof same)));
    show_poll("the listener with a connection", l);
    say("the client's name: %s\n", name_of(c, 0));
    say("the client's peer: %s\n", name_of(c, 1));
    say("the client's port differs: %s\n", port_of(c) != port_of(l) ? "yes" : "no");
    struct sockaddr_storage peer;
    socklen_t peer_length = sizeof peer;
    int s = accept(l, (struct sockaddr*)&peer, &peer_length);
    say("accept: %s\n", s >= 0 ? "ok" : err_name(errno));
    say("accept's peer: %s\n", address_text(&peer, peer_length));
    say("accept's peer is the client: %s\n",
        ntohs(((struct sockaddr_in*)&peer)->sin_port) == port_of(c) ? "yes" : "no");
    say("the accepted socket's name: %s\n", name_of(s, 0));
    say("the accepted socket inherits SO_REUSEADDR: %d\n", int_option(s, SOL_SOCKET, SO_REUSEADDR));
    show_poll("a connected socket", s);
    say("TCP_NODELAY: %s\n", result(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)));
    say("TCP_NODELAY reads back: %d\n", int_option(c, IPPROTO_TCP, TCP_NODELAY));
    say("SO_KEEPALIVE: %s\n", result(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one)));
    say("SO_KEEPALIVE reads back: %d\n", int_option(c, SOL_SOCKET, SO_KEEPALIVE));
    say("SO_LINGER with 4 bytes: %s\n",
        result(setsockopt(c, SOL_SOCKET, SO_LINGER, &one, sizeof one)));
    say("a level nobody has: %s\n", result(setsockopt(c, 12345, 1, &one, sizeof one)));

    say("write: %s\n", result(write(c, "hello", 5)));
    wait_for(s, POLLIN);
    show_poll("with data to read", s);
    char buffer[64];
    say("recv MSG_PEEK: %s\n", result(recv(s, buffer, 3, MSG_PEEK)));
    read_text("read", s);
    say("recv MSG_DONTWAIT with nothing there: %s\n",
        result(recv(s, buffer, sizeof buffer, MSG_DONTWAIT)));
    say("lseek: %s\n", result(lseek(s, 0, SEEK_SET)));
    struct stat st;
    say("fstat says a socket: %s\n", fstat(s, &st) == 0 && S_ISSOCK(st.st_mode) ? "yes" : "no");
    say("O_RDWR: %s\n", (fcntl(s, F_GETFL) & O_ACCMODE) == O_RDWR ? "yes" : "no");

    say("shutdown SHUT_WR: %s\n", result(shutdown(c, SHUT_WR)));
    wait_for(s, POLLRDHUP);
    show_poll("the peer shut its writing", s);
    show_poll("its own writing shut", c);
    say("read at the end: %s\n", result(read(s, buffer, sizeof buffer)));
    say("write after SHUT_WR: %s\n", result(write(c, "x", 1)));
    say("SIGPIPE for it: %d\n", sigpipes);
    say("send MSG_NOSIGNAL after SHUT_WR: %s\n", result(send(c, "x", 1, MSG_NOSIGNAL)));
    say("SIGPIPE for that: %d\n", sigpipes);
    sigpipes = 0;
    say("write the other way: %s\n", result(write(s, "back", 4)));
    wait_for(c, POLLIN);
    read_text("read it", c);
    say("shutdown SHUT_WR the other way: %s\n", result(shutdown(s, SHUT_WR)));
    wait_for(c, POLLRDHUP);
    show_poll("both ways shut", c);
    close(s);
    close(c);

    /* A peer that closed gracefully takes one more write, then resets. */
    c = tcp_connect(l);
    s = accept(l, NULL, NULL);
    close(s);
    wait_for(c, POLLIN);
    say("read after the peer closed: %s\n", result(read(c, buffer, sizeof buffer)));
    say("write after the peer closed: %s\n", result(write(c, "hello", 5)));
    wait_for(c, POLLERR);
    say("write after the reset: %s\n", result(send(c, "hello", 5, MSG_NOSIGNAL)));
    close(c);

    /* A peer that closes with data unread resets the connection. */
    c = tcp_connect(l);
    s = accept(l, NULL, NULL);
    write(c, "unread", 6);
    wait_for(s, POLLIN);
    close(s);
    wait_for(c, POLLERR);
    say("read after a reset: %s\n", result(read(c, buffer, sizeof buffer)));
    say("read again: %s\n", result(read(c, buffer, sizeof buffer)));
    say("write: %s\n", result(send(c, "x", 1, MSG_NOSIGNAL)));
    close(c);

    /* SO_LINGER 0 s: close resets. */
    c = tcp_connect(l);
    s = accept(l, NULL, NULL);
    struct linger no_linger = {1, 0};
    say("SO_LINGER {1, 0}: %s\n",
        result(setsockopt(s, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger)));
    struct linger back;
    socklen_t back_length = sizeof back;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &back, &back_length);
    say("SO_LINGER reads back: {%d, %d}\n", back.l_onoff, back.l_linger);
    close(s);
    wait_for(c, POLLERR);
    say("read after a lingerless close: %s\n", result(read(c, buffer, sizeof buffer)));
    close(c);

    /* A non-blocking connect. */
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    say("non-blocking connect: %s\n", result(connect(c, (struct sockaddr*)&same, sizeof same)));
    wait_for(c, POLLOUT);
    show_poll("after it", c);
    say("SO_ERROR: %d\n", int_option(c, SOL_SOCKET, SO_ERROR));
    say("connect again: %s\n", result(connect(c, (struct sockaddr*)&same, sizeof same)));
    say("and again: %s\n", result(connect(c, (struct sockaddr*)&same, sizeof same)));
    s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    say("accept4: %s\n", s >= 0 ? "ok" : err_name(errno));
    say("accept4's O_NONBLOCK: %s, FD_CLOEXEC: %d\n", fcntl(s, F_GETFL) & O_NONBLOCK ? "yes" : "no",
        fcntl(s, F_GETFD) & FD_CLOEXEC);
    say("read with nothing there: %s\n", result(read(s, buffer, sizeof buffer)));
    say("accept4 with a bad flag: %s\n", result(accept4(l, NULL, NULL, 0x1)));
    fcntl(l, F_SETFL, O_NONBLOCK);
    say("accept with an empty backlog: %s\n", result(accept(l, NULL, NULL)));
    fcntl(l, F_SETFL, 0);
    close(s);
    close(c);

    unsigned short gone = port_of(l);
    close(l);
    c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in closed = v4("127.0.0.1", gone);
    say("connect to a closed listener: %s\n",
        result(connect(c, (struct sockaddr*)&closed, sizeof closed)));
    close(c);
}

static void tcp_ipv6(void) {
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    say("IPV6_V6ONLY by default: %d\n", int_option(l, IPPROTO_IPV6, IPV6_V6ONLY));
    struct sockaddr_in6 any = v6("::", 0);
    say("bind [::]:0: %s\n", result(bind(l, (struct sockaddr*)&any, sizeof any)));
    say("IPV6_V6ONLY after bind: %s\n",
        result(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int))));
    say("listen: %s\n", result(listen(l, 8)));
    say("getsockname: %s\n", name_of(l, 0));

    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to4 = v4("127.0.0.1", port_of(l));
    say("an IPv4 client connects: %s\n", result(connect(c4, (struct sockaddr*)&to4, sizeof to4)));
    int s4 = accept(l, NULL, NULL);
    say("its peer as the IPv6 listener sees it: %s\n", name_of(s4, 1));
    say("the accepted socket's name: %s\n", name_of(s4, 0));
    write(c4, "four", 4);
    wait_for(s4, POLLIN);
    read_text("read", s4);

    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 to6 = v6("::1", port_of(l));
    say("an IPv6 client connects: %s\n", result(connect(c6, (struct sockaddr*)&to6, sizeof to6)));
    int s6 = accept(l, NULL, NULL);
    say("its peer: %s\n", name_of(s6, 1));
    say("the client's name: %s\n", name_of(c6, 0));
    close(s4);
    close(c4);
    close(s6);
    close(c6);
    close(l);

    int only = socket(AF_INET6, SOCK_STREAM, 0);
    say("IPV6_V6ONLY: %s\n",
        result(setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, sizeof(int))));
    say("IPV6_V6ONLY reads back: %d\n", int_option(only, IPPROTO_IPV6, IPV6_V6ONLY));
    struct sockaddr_in6 mapped = v6("::ffff:127.0.0.1", 0);
    say("bind a v4-mapped address with it: %s\n",
        result(bind(only, (struct sockaddr*)&mapped, sizeof mapped)));
    say("bind [::]:0 with it: %s\n", result(bind(only, (struct sockaddr*)&any, sizeof any)));
    listen(only, 8);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = v4("127.0.0.1", port_of(only));
    say("an IPv4 client connects to it: %s\n",
        result(connect(c, (struct sockaddr*)&to, sizeof to)));
    close(c);
    close(only);

    /* Go's probe of the stack: [::1] and a v4-mapped bind with V6ONLY 0. */
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    setsockopt(probe, IPPROTO_IPV6, IPV6_V6ONLY, &(int){0}, sizeof(int));
    say("bind [::ffff:127.0.0.1]:0 dual-stack: %s\n",
        result(bind(probe, (struct sockaddr*)&mapped, sizeof mapped)));
    say("its name: %s\n", name_of(probe, 0));
    close(probe);
    int loop6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 one6 = v6("::1", 0);
    say("bind [::1]:0: %s\n", result(bind(loop6, (struct sockaddr*)&one6, sizeof one6)));
    struct sockaddr_in6 far = v6("2001:db8::1", 0);
    int other = socket(AF_INET6, SOCK_STREAM, 0);
    say("bind [2001:db8::1]: %s\n", result(bind(other, (struct sockaddr*)&far, sizeof far)));
    struct sockaddr_in wrong = v4("127.0.0.1", 0);
    say("bind an IPv4 address to an IPv6 socket: %s\n",
        result(bind(other, (struct sockaddr*)&wrong, sizeof wrong)));
    close(other);
    close(loop6);
}

static void udp(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0);
    int b = socket(AF_INET, SOCK_DGRAM, 0);
    show_poll("a fresh UDP socket", a);
    struct sockaddr_in at = v4("127.0.0.1", 0);
    bind(a, (struct sockaddr*)&at, sizeof at);
    at.sin_port = htons(port_of(a));
    say("send without an address: %s\n", result(send(b, "x", 1, 0)));
    say("sendto \"one\": %s\n", result(sendto(b, "one", 3, 0, (struct sockaddr*)&at, sizeof at)));
    say("sendto \"three\": %s\n",
        result(sendto(b, "three", 5, 0, (struct sockaddr*)&at, sizeof at)));
    say("sendto nothing: %s\n", result(sendto(b, "", 0, 0, (struct sockaddr*)&at, sizeof at)));
    say("the sender got a port: %s\n", port_of(b) != 0 ? "yes" : "no");
    wait_for(a, POLLIN);
    show_poll("with datagrams waiting", a);
    char buffer[64];
    struct sockaddr_storage from;
    socklen_t from_length = sizeof from;
    ssize_t n = recvfrom(a, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &from_length);
    say("recvfrom: %zd \"%.*s\" from %s\n", n, (int)(n > 0 ? n : 0), buffer,
        address_text(&from, from_length));
    say("from the sender's port: %s\n",
        ntohs(((struct sockaddr_in*)&from)->sin_port) == port_of(b) ? "yes" : "no");
    memset(buffer, 0, sizeof buffer);
    say("recv 2 bytes with MSG_TRUNC: %s \"%s\"\n", result(recv(a, buffer, 2, MSG_TRUNC)), buffer);
    say("recv the empty datagram: %s\n", result(recv(a, buffer, sizeof buffer, 0)));
    say("recv MSG_DONTWAIT with nothing there: %s\n",
        result(recv(a, buffer, sizeof buffer, MSG_DONTWAIT)));

    sendto(b, "truncated", 9, 0, (struct sockaddr*)&at, sizeof at);
    wait_for(a, POLLIN);
    struct iovec iov = {buffer, 4};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    n = recvmsg(a, &msg, 0);
    say("recvmsg into 4 bytes: %zd, MSG_TRUNC %s, from %s\n", n,
        msg.msg_flags & MSG_TRUNC ? "set" : "clear", address_text(&from, msg.msg_namelen));

    char first[] = "gather", second[] = "ed";
    struct iovec out[2] = {{first, 6}, {second, 2}};
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &at;
    msg.msg_namelen = sizeof at;
    msg.msg_iov = out;
    msg.msg_iovlen = 2;
    say("sendmsg of two pieces: %s\n", result(sendmsg(b, &msg, 0)));
    wait_for(a, POLLIN);
    say("recv MSG_PEEK: %s\n", result(recv(a, buffer, sizeof buffer, MSG_PEEK)));
    n = recv(a, buffer, sizeof buffer, 0);
    say("recv: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buffer);

    static char huge[65508];
    say("sendto 65508 bytes: %s\n",
        result(sendto(b, huge, sizeof huge, 0, (struct sockaddr*)&at, sizeof at)));

    /* Connected UDP to a port nobody has: ECONNREFUSED comes back. */
    int dead = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in d = v4("127.0.0.1", 0);
    bind(dead, (struct sockaddr*)&d, sizeof d);
    d.sin_port = htons(port_of(dead));
    close(dead);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    say("connect to it: %s\n", result(connect(c, (struct sockaddr*)&d, sizeof d)));
    say("getpeername: %s\n", name_of(c, 1));
    say("send: %s\n", result(send(c, "ping", 4, 0)));
    wait_for(c, POLLERR);
    say("recv: %s\n", result(recv(c, buffer, sizeof buffer, 0)));
    say("sendto that port unconnected: %s\n",
        result(sendto(b, "ping", 4, 0, (struct sockaddr*)&d, sizeof d)));
    close(c);

    int shared[2];
    for (int i = 0; i < 2; ++i) {
        shared[i] = socket(AF_INET, SOCK_DGRAM, 0);
        setsockopt(shared[i], SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
    }
    struct sockaddr_in same = v4("127.0.0.1", 0);
    bind(shared[0], (struct sockaddr*)&same, sizeof same);
    same.sin_port = htons(port_of(shared[0]));
    say("two UDP sockets with SO_REUSEADDR on one port: %s\n",
        result(bind(shared[1], (struct sockaddr*)&same, sizeof same)));
    int third = socket(AF_INET, SOCK_DGRAM, 0);
    say("a third without it: %s\n", result(bind(third, (struct sockaddr*)&same, sizeof same)));
    close(third);
    close(shared[0]);
    close(shared[1]);

    /* IPv6, and IPv4 into a dual-stack IPv6 socket. */
    int s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 any6 = v6("::", 0);
    bind(s6, (struct sockaddr*)&any6, sizeof any6);
    struct sockaddr_in to = v4("127.0.0.1", port_of(s6));
    sendto(b, "mapped", 6, 0, (struct sockaddr*)&to, sizeof to);
    wait_for(s6, POLLIN);
    from_length = sizeof from;
    n = recvfrom(s6, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &from_length);
    say("IPv4 to a dual-stack socket: %zd from %s\n", n, address_text(&from, from_length));
    int c6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 to6 = v6("::1", port_of(s6));
    sendto(c6, "six", 3, 0, (struct sockaddr*)&to6, sizeof to6);
    wait_for(s6, POLLIN);
    from_length = sizeof from;
    n = recvfrom(s6, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &from_length);
    say("IPv6: %zd from %s\n", n, address_text(&from, from_length));
    close(c6);
    close(s6);
    close(a);
    close(b);
}

static void unix_stream(void) {
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    show_poll("a fresh unix socket", l);
    say("listen unbound: %s\n", result(listen(l, 8)));
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, "sock");
    say("bind \"sock\": %s\n", result(bind(l, (struct sockaddr*)&a, sizeof a)));
    struct stat st;
    memset(&st, 0, sizeof st);
    int stated = stat("sock", &st);
    say("stat: a socket %s, mode %o\n", stated == 0 && S_ISSOCK(st.st_mode) ? "yes" : "no",
        st.st_mode & 0777);
    say("open it: %s\n", result(open("sock", O_RDONLY)));
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect before listen: %s\n", result(connect(c, (struct sockaddr*)&a, sizeof a)));
    int twin = socket(AF_UNIX, SOCK_STREAM, 0);
    say("bind a second socket there: %s\n", result(bind(twin, (struct sockaddr*)&a, sizeof a)));
    close(twin);
    say("listen: %s\n", result(listen(l, 8)));
    say("getsockname: %s\n", name_of(l, 0));
    say("connect: %s\n", result(connect(c, (struct sockaddr*)&a, sizeof a)));
    say("the client's name: %s\n", name_of(c, 0));
    say("the client's peer: %s\n", name_of(c, 1));
    struct sockaddr_storage peer;
    socklen_t peer_length = sizeof peer;
    int s = accept(l, (struct sockaddr*)&peer, &peer_length);
    say("accept's peer: %s\n", address_text(&peer, peer_length));
    say("the accepted socket's name: %s\n", name_of(s, 0));
    say("sendto a connected unix socket: %s\n",
        result(sendto(c, "x", 1, 0, (struct sockaddr*)&a, sizeof a)));
    struct ucred cred;
    socklen_t cred_length = sizeof cred;
    getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &cred_length);
    say("SO_PEERCRED: its pid %s, uid is getuid %s\n", cred.pid == getpid() ? "yes" : "no",
        cred.uid == getuid() ? "yes" : "no");
    say("TCP_NODELAY on it: %s\n",
        result(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int))));
    write(c, "over unix", 9);
    read_text("read", s);

    /* The peer closes with data unread: ECONNRESET, then EOF. */
    write(s, "unread", 6);
    write(c, "unread", 6);
    close(s);
    show_poll("the peer gone", c);
    char buffer[64];
    say("read: %s\n", result(read(c, buffer, sizeof buffer)));
    say("read: %s\n", result(read(c, buffer, sizeof buffer)));
    say("read: %s\n", result(read(c, buffer, sizeof buffer)));
    say("write: %s\n", result(write(c, "x", 1)));
    say("SIGPIPE for it: %d\n", sigpipes);
    say("send MSG_NOSIGNAL: %s\n", result(send(c, "x", 1, MSG_NOSIGNAL)));
    say("SIGPIPE for that: %d\n", sigpipes);
    sigpipes = 0;
    close(c);

    close(l);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect to a closed listener: %s\n", result(connect(c, (struct sockaddr*)&a, sizeof a)));
    say("unlink \"sock\": %s\n", result(unlink("sock")));
    say("connect to a name unlinked: %s\n", result(connect(c, (struct sockaddr*)&a, sizeof a)));
    int file = open("plain", O_WRONLY | O_CREAT, 0644);
    close(file);
    strcpy(a.sun_path, "plain");
    say("connect to a regular file: %s\n", result(connect(c, (struct sockaddr*)&a, sizeof a)));
    close(c);

    /* Abstract names and autobind (Linux). */
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    int length = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "crossrt-probe-%08d", getpid());
    socklen_t abstract_length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + length);
    l = socket(AF_UNIX, SOCK_STREAM, 0);
    say("bind an abstract name: %s\n", result(bind(l, (struct sockaddr*)&a, abstract_length)));
    listen(l, 8);
    say("getsockname: %s\n", name_of(l, 0));
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect to it: %s\n", result(connect(c, (struct sockaddr*)&a, abstract_length)));
    close(c);
    close(l);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect to it closed: %s\n", result(connect(c, (struct sockaddr*)&a, abstract_length)));
    say("autobind: %s\n", result(bind(c, (struct sockaddr*)&a, sizeof(sa_family_t))));
    say("its name: %s\n", name_of(c, 0));
    close(c);
}

static void unix_datagrams(void) {
    int sv[2];
    say("socketpair SOCK_DGRAM: %s\n", result(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)));
    send(sv[0], "ab", 2, 0);
    send(sv[0], "cde", 3, 0);
    char buffer[64];
    say("recv: %s\n", result(recv(sv[1], buffer, sizeof buffer, 0)));
    say("recv: %s\n", result(recv(sv[1], buffer, sizeof buffer, 0)));
    say("its name: %s\n", name_of(sv[0], 0));
    say("its peer: %s\n", name_of(sv[0], 1));
    close(sv[0]);
    close(sv[1]);

    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, "dgram");
    bind(d, (struct sockaddr*)&a, sizeof a);
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    say("send unconnected: %s\n", result(send(u, "x", 1, 0)));
    say("sendto \"dgram\": %s\n", result(sendto(u, "hello", 5, 0, (struct sockaddr*)&a, sizeof a)));
    struct sockaddr_storage from;
    socklen_t from_length = sizeof from;
    ssize_t n = recvfrom(d, buffer, sizeof buffer, 0, (struct sockaddr*)&from, &from_length);
    say("recvfrom: %zd from %s\n", n, address_text(&from, from_length));
    strcpy(a.sun_path, "nosuch");
    say("sendto a missing name: %s\n",
        result(sendto(u, "x", 1, 0, (struct sockaddr*)&a, sizeof a)));
    close(u);
    close(d);
    unlink("dgram");

    say("socketpair SOCK_SEQPACKET: %s\n", result(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)));
    send(sv[0], "ab", 2, 0);
    send(sv[0], "cde", 3, 0);
    say("recv: %s\n", result(recv(sv[1], buffer, sizeof buffer, 0)));
    say("recv: %s\n", result(recv(sv[1], buffer, sizeof buffer, 0)));
    close(sv[0]);
    show_poll("a seqpacket whose peer closed", sv[1]);
    say("recv: %s\n", result(recv(sv[1], buffer, sizeof buffer, 0)));
    close(sv[1]);
    say("socketpair AF_INET: %s\n", result(socketpair(AF_INET, SOCK_STREAM, 0, sv)));
}

static void rights(void) {
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    if (pipe(p) != 0)
        return;
    char space[CMSG_SPACE(sizeof(int))];
    memset(space, 0, sizeof space);
    struct iovec iov = {"x", 1};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = space;
    msg.msg_controllen = sizeof space;
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &p[0], sizeof(int));
    say("sendmsg with SCM_RIGHTS: %s\n", result(sendmsg(sv[0], &msg, 0)));
    close(p[0]);
    int bad = 999;
    memcpy(CMSG_DATA(cmsg), &bad, sizeof(int));
    say("sendmsg with a bad fd: %s\n", result(sendmsg(sv[0], &msg, 0)));

    char byte = 0;
    char in_space[CMSG_SPACE(sizeof(int))];
    memset(in_space, 0, sizeof in_space);
    struct iovec in = {&byte, 1};
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &in;
    msg.msg_iovlen = 1;
    msg.msg_control = in_space;
    msg.msg_controllen = sizeof in_space;
    ssize_t n = recvmsg(sv[1], &msg, MSG_CMSG_CLOEXEC);
    cmsg = CMSG_FIRSTHDR(&msg);
    int passed = -1;
    if (cmsg != NULL && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
        memcpy(&passed, CMSG_DATA(cmsg), sizeof(int));
    say("recvmsg: %zd, an fd passed: %s, controllen whole: %s\n", n, passed >= 0 ? "yes" : "no",
        msg.msg_controllen == CMSG_SPACE(sizeof(int)) ? "yes" : "no");
    say("MSG_CMSG_CLOEXEC: %d\n", passed >= 0 ? fcntl(passed, F_GETFD) & FD_CLOEXEC : -1);
    write(p[1], "through", 7);
    read_text("read from it", passed);
    close(passed);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

static void across_fork(void) {
    /* A blocking accept and read meet a child that connects and writes. */
    int l = tcp_listener("127.0.0.1");
    pid_t child = fork();
    if (child == 0) {
        int c = tcp_connect(l);
        static char data[200000];
        memset(data, 'z', sizeof data);
        ssize_t sent = write(c, data, sizeof data);
        _exit(sent == (ssize_t)sizeof data ? 0 : 1);
    }
    int s = accept(l, NULL, NULL);
    say("a blocking accept: %s\n", s >= 0 ? "ok" : err_name(errno));
    long total = 0;
    char buffer[8192];
    for (ssize_t n; (n = read(s, buffer, sizeof buffer)) > 0;)
        total += n;
    int status = 0;
    waitpid(child, &status, 0);
    say("read to the end: %ld bytes; the writer exited %d\n", total, WEXITSTATUS(status));
    close(s);

    /* A socket shared with a child: its close is the last reference's. */
    int c = tcp_connect(l);
    s = accept(l, NULL, NULL);
    child = fork();
    if (child == 0) {
        close(s);
        write(c, "from the child", 14);
        close(c);
        _exit(0);
    }
    close(c);
    waitpid(child, &status, 0);
    read_text("read what the child sent", s);
    say("then EOF: %s\n", result(read(s, buffer, sizeof buffer)));
    close(s);

    /* A signal ends a blocking accept. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval soon = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    say("accept a signal interrupts: %s\n", result(accept(l, NULL, NULL)));
    close(l);
}

static void epoll_events(void) {
    int l = tcp_listener("127.0.0.1");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = {EPOLLIN, {.u32 = 1}};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &event);
    struct epoll_event got[4];
    say("epoll on an idle listener: %d\n", epoll_wait(ep, got, 4, 0));
    int c = tcp_connect(l);
    int n = epoll_wait(ep, got, 4, 1000);
    say("epoll after a connect: %d, EPOLLIN %s\n", n,
        n == 1 && (got[0].events & EPOLLIN) ? "yes" : "no");
    int s = accept(l, NULL, NULL);
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    event.data.u32 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &event);
    epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
    say("edge-triggered, nothing yet: %d\n", epoll_wait(ep, got, 4, 0));
    write(c, "a", 1);
    n = epoll_wait(ep, got, 4, 1000);
    say("after a write: %d, EPOLLIN %s\n", n, n == 1 && (got[0].events & EPOLLIN) ? "yes" : "no");
    say("again, nothing new: %d\n", epoll_wait(ep, got, 4, 0));
    write(c, "b", 1);
    say("after another write: %d\n", epoll_wait(ep, got, 4, 1000));
    shutdown(c, SHUT_WR);
    n = epoll_wait(ep, got, 4, 1000);
    say("after the peer's SHUT_WR: %d, EPOLLRDHUP %s, EPOLLHUP %s\n", n,
        n == 1 && (got[0].events & EPOLLRDHUP) ? "yes" : "no",
        n == 1 && (got[0].events & EPOLLHUP) ? "yes" : "no");
    close(ep);
    close(s);
    close(c);
    close(l);
}

static void errors(void) {
    say("socket(AF_INET, SOCK_STREAM, IPPROTO_UDP): %s\n",
        result(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP)));
    say("socket with a bad type: %s\n", result(socket(AF_INET, 0xff, 0)));
    say("socket with a bad flag: %s\n", result(socket(AF_INET, SOCK_STREAM | 0x100, 0)));
    say("socket(AF_UNIX, SOCK_STREAM, 7): %s\n", result(socket(AF_UNIX, SOCK_STREAM, 7)));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    say("listen on UDP: %s\n", result(listen(u, 1)));
    close(u);
    int p[2];
    if (pipe(p) == 0) {
        struct sockaddr_in a = v4("127.0.0.1", 0);
        say("bind on a pipe: %s\n", result(bind(p[0], (struct sockaddr*)&a, sizeof a)));
        close(p[0]);
        close(p[1]);
    }
    say("getsockname on a bad fd: %s\n", name_of(999, 0));
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigpipe;
    sigaction(SIGPIPE, &action, NULL);
    umask(022);
    tcp_ipv4();
    tcp_ipv6();
    udp();
    unix_stream();
    unix_datagrams();
    rights();
    across_fork();
    epoll_events();
    errors();
    say("socket probe: done\n");
    return 0;
}
