// streamer's batch UDP reader (Linux): a socket read with recvmmsg, many
// datagrams a call, each with its kernel receive time (SO_TIMESTAMPNS). The
// JavaScript side (src/net/transport/batch-udp.ts) owns the buffers and calls
// recv() once per sink tick, so the process does not wake per datagram.
// Errors are returned as -errno (recv, sendTo) or thrown with .code (open).
#include <napi.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace {

constexpr int kMaxBatch = 256;
constexpr int kMetaInts = 4;   // per datagram: length, port, family, truncated
constexpr int kAddrBytes = 16; // per datagram: IPv4 in the first 4, else IPv6

const char* ErrnoName(int e) {
  switch (e) {
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPERM: return "EPERM";
    default: return "EIO";
  }
}

Napi::Value Fail(Napi::Env env, const char* what, int e) {
  Napi::Error err = Napi::Error::New(env, std::string(what) + " " + ErrnoName(e) + ": " + strerror(e));
  err.Set("code", Napi::String::New(env, ErrnoName(e)));
  err.Set("errno", Napi::Number::New(env, -e));
  err.Set("syscall", Napi::String::New(env, what));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

bool ToSockaddr(int family, const std::string& address, int port, sockaddr_storage* ss, socklen_t* len) {
  memset(ss, 0, sizeof(*ss));
  if (family == 6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    std::string plain = address.size() > 1 && address.front() == '[' ? address.substr(1, address.size() - 2) : address;
    if (inet_pton(AF_INET6, plain.c_str(), &a->sin6_addr) != 1) return false;
    *len = sizeof(sockaddr_in6);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &a->sin_addr) != 1) return false;
    *len = sizeof(sockaddr_in);
  }
  return true;
}

// open(family 4|6, address, port, rcvbufBytes) → fd; a non-blocking socket, bound, kernel timestamps on.
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int family = info[0].As<Napi::Number>().Int32Value();
  std::string address = info[1].As<Napi::String>().Utf8Value();
  int port = info[2].As<Napi::Number>().Int32Value();
  int rcvbuf = info[3].As<Napi::Number>().Int32Value();
  sockaddr_storage ss;
  socklen_t len = 0;
  if (!ToSockaddr(family, address, port, &ss, &len)) return Fail(env, "bind", EINVAL);
  int fd = socket(family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(env, "socket", errno);
  int off = 0, on = 1;
  if (family == 6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)); // dual stack, as Node's udp6
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) {
    int e = errno;
    close(fd);
    return Fail(env, "bind", e);
  }
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0) {
    int e = errno;
    close(fd);
    return Fail(env, "setsockopt", e);
  }
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)); // the kernel may cap it
  return Napi::Number::New(env, fd);
}

Napi::Value LocalPort(const Napi::CallbackInfo& info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return Napi::Number::New(info.Env(), -errno);
  int port = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return Napi::Number::New(info.Env(), port);
}

// rcvbuf(fd) → the receive buffer the kernel granted, in the bytes it charges datagrams against (twice
// what SO_RCVBUF was asked for, capped by net.core.rmem_max), or -errno.
Napi::Value Rcvbuf(const Napi::CallbackInfo& info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  int v = 0;
  socklen_t len = sizeof(v);
  if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) < 0) return Napi::Number::New(info.Env(), -errno);
  return Napi::Number::New(info.Env(), v);
}

// recv(fd, data, slotBytes, meta Int32Array, ageMs Float64Array, addr Uint8Array) → datagrams read (0: none
// waiting), or -errno. Datagram i lies at data[i*slotBytes]; ageMs[i] is how long before this call returned
// the kernel received it (CLOCK_REALTIME stamps, so the JS side maps them onto its monotonic clock), -1 if
// the kernel gave no stamp.
Napi::Value Recv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  auto data = info[1].As<Napi::Uint8Array>();
  int slot = info[2].As<Napi::Number>().Int32Value();
  auto meta = info[3].As<Napi::Int32Array>();
  auto age = info[4].As<Napi::Float64Array>();
  auto addr = info[5].As<Napi::Uint8Array>();
  int n = static_cast<int>(data.ByteLength() / slot);
  if (n > kMaxBatch) n = kMaxBatch;
  if (static_cast<int>(meta.ElementLength()) < n * kMetaInts) n = static_cast<int>(meta.ElementLength()) / kMetaInts;
  if (static_cast<int>(age.ElementLength()) < n) n = static_cast<int>(age.ElementLength());
  if (static_cast<int>(addr.ByteLength()) < n * kAddrBytes) n = static_cast<int>(addr.ByteLength()) / kAddrBytes;
  if (n <= 0) return Napi::Number::New(env, -EINVAL);

  thread_local mmsghdr msgs[kMaxBatch];  // per thread: a session may run in a worker thread
  thread_local iovec iov[kMaxBatch];
  thread_local sockaddr_storage from[kMaxBatch];
  alignas(cmsghdr) thread_local char control[kMaxBatch][CMSG_SPACE(sizeof(timespec)) + 64];
  uint8_t* base = data.Data();
  for (int i = 0; i < n; i++) {
    iov[i].iov_base = base + static_cast<size_t>(i) * slot;
    iov[i].iov_len = slot;
    memset(&msgs[i].msg_hdr, 0, sizeof(msghdr));
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_control = control[i];
    msgs[i].msg_hdr.msg_controllen = sizeof(control[i]);
  }
  int got;
  do {
    got = recvmmsg(fd, msgs, n, MSG_DONTWAIT, nullptr);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Number::New(env, 0);
    return Napi::Number::New(env, -errno);
  }
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int32_t* m = meta.Data();
  double* a = age.Data();
  uint8_t* ad = addr.Data();
  for (int i = 0; i < got; i++) {
    msghdr& h = msgs[i].msg_hdr;
    m[i * kMetaInts] = static_cast<int32_t>(msgs[i].msg_len);
    m[i * kMetaInts + 3] = (h.msg_flags & MSG_TRUNC) ? 1 : 0;
    uint8_t* dst = ad + i * kAddrBytes;
    if (from[i].ss_family == AF_INET6) {
      auto* s = reinterpret_cast<sockaddr_in6*>(&from[i]);
      m[i * kMetaInts + 1] = ntohs(s->sin6_port);
      m[i * kMetaInts + 2] = 6;
      memcpy(dst, &s->sin6_addr, 16);
    } else {
      auto* s = reinterpret_cast<sockaddr_in*>(&from[i]);
      m[i * kMetaInts + 1] = ntohs(s->sin_port);
      m[i * kMetaInts + 2] = 4;
      memset(dst, 0, kAddrBytes);
      memcpy(dst, &s->sin_addr, 4);
    }
    a[i] = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        memcpy(&ts, CMSG_DATA(c), sizeof(ts));
        double ms = static_cast<double>(now.tv_sec - ts.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec - ts.tv_nsec) / 1e6;
        a[i] = ms < 0 ? 0 : ms;
      }
    }
  }
  return Napi::Number::New(env, got);
}

// address(family, bytes Uint8Array(16), offset) → the printable address (only when a peer changes).
Napi::Value Address(const Napi::CallbackInfo& info) {
  int family = info[0].As<Napi::Number>().Int32Value();
  auto bytes = info[1].As<Napi::Uint8Array>();
  size_t off = info[2].As<Napi::Number>().Uint32Value();
  char buf[INET6_ADDRSTRLEN];
  if (off + kAddrBytes > bytes.ByteLength()) return info.Env().Undefined();
  const char* r = inet_ntop(family == 6 ? AF_INET6 : AF_INET, bytes.Data() + off, buf, sizeof(buf));
  return r ? Napi::String::New(info.Env(), r) : info.Env().Undefined();
}

// sendTo(fd, data Uint8Array, family, address, port) → 0, or -errno.
Napi::Value SendTo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  auto data = info[1].As<Napi::Uint8Array>();
  int family = info[2].As<Napi::Number>().Int32Value();
  std::string address = info[3].As<Napi::String>().Utf8Value();
  int port = info[4].As<Napi::Number>().Int32Value();
  sockaddr_storage ss;
  socklen_t len = 0;
  if (!ToSockaddr(family, address, port, &ss, &len)) return Napi::Number::New(env, -EINVAL);
  ssize_t r;
  do {
    r = sendto(fd, data.Data(), data.ByteLength(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&ss), len);
  } while (r < 0 && errno == EINTR);
  return Napi::Number::New(env, r < 0 ? -errno : 0);
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  return Napi::Number::New(info.Env(), close(fd) < 0 ? -errno : 0);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("open", Napi::Function::New(env, Open));
  exports.Set("localPort", Napi::Function::New(env, LocalPort));
  exports.Set("recv", Napi::Function::New(env, Recv));
  exports.Set("rcvbuf", Napi::Function::New(env, Rcvbuf));
  exports.Set("address", Napi::Function::New(env, Address));
  exports.Set("sendTo", Napi::Function::New(env, SendTo));
  exports.Set("close", Napi::Function::New(env, Close));
  exports.Set("maxBatch", Napi::Number::New(env, kMaxBatch));
  return exports;
}

}  // namespace

NODE_API_MODULE(streamer_recv, Init)
