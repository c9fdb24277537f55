// Data through the sockets of socket.h: send, sendto, sendmsg, write and
// writev; recv, recvfrom, recvmsg, read and readv. A stream socket's bytes
// go through its connection's byte queues (a blocking write of one buffer
// waits for room for all of it, as a pipe's does), a datagram keeps its
// boundaries (a short buffer truncates it), SCM_RIGHTS passes open files
// over AF_UNIX. A call that must wait blocks its LWP until its socket can
// answer, then runs again (Process::retry); a signal meanwhile gives EINTR,
// or a restart after an SA_RESTART handler.
#pragma once

#include "kernel/lwp.h"
#include "kernel/posix/sockaddr.h"
#include "kernel/posix/syscall_table.h"

namespace crossrt::kernel {
class Process;
}

namespace crossrt::kernel::posix {

// The MSG_* flags of a call, decoded.
struct MsgFlags {
    bool peek = false;
    bool dontwait = false;
    bool nosignal = false;
    bool trunc = false;        // recv: a datagram's full length, even cut short
    bool cmsg_cloexec = false; // recvmsg: received fds are close-on-exec
};

// sendto and send (to_addr 0: the connected peer), write: the bytes sent.
SysResult socket_send(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 buffer, u64 length,
                      const MsgFlags& flags, u64 to_addr, u64 to_length);
// recvfrom and recv (from_addr 0: not asked), read: the bytes received.
SysResult socket_recv(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 buffer, u64 length,
                      const MsgFlags& flags, u64 from_addr, u64 from_length);
// sendmsg and recvmsg: struct msghdr at msg, in the abi's layout.
SysResult socket_sendmsg(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 msg,
                         const MsgFlags& flags);
SysResult socket_recvmsg(Process& m, Lwp& self, const SocketAbi& abi, u64 fd, u64 msg,
                         const MsgFlags& flags);
// writev and readv on a socket: one message of every segment.
SysResult socket_writev(Process& m, Lwp& self, u64 fd, u64 iov, u64 count);
SysResult socket_readv(Process& m, Lwp& self, u64 fd, u64 iov, u64 count);

} // namespace crossrt::kernel::posix
