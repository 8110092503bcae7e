// SPDX-License-Identifier: MIT
/*
 * test_print: the event printer (formats/print*.c) and its name tables
 * (formats/names.c).
 *
 * Events built by hand go in, exact lines and JSON fields come out.  The
 * struct decoders are fed bytes the running kernel wrote (stat, statx,
 * uname, sysinfo, ...) and every truncated length of them; flag values are
 * checked against this machine's headers where it has them.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* glibc's <signal.h> (through <sys/wait.h>) makes sa_handler a macro, which
 * would rename the field of struct fr_ev_signal_deliver. */
#undef sa_handler

#include "formats/print.h"
#include "formats/syscalls.h"

#define T0 1000000000ULL

/* ---- event builders ------------------------------------------------------------ */

struct pl {
	uint8_t kind, arg, part, flags;
	const void *data;
	uint32_t len, full_len;
};

#define PL_END { 0, 0, 0, 0, NULL, 0, 0 }

static void build_syscall(struct fr_event *ev, const char *name, int64_t ret, const uint64_t *args,
			  uint32_t flags, const struct pl *pls)
{
	const struct fr_syscall_desc *d = fr_syscall_by_name(name);
	unsigned i;

	memset(ev, 0, sizeof(*ev));
	ck_assert_msg(d || !strncmp(name, "nr:", 3), "no syscall %s", name);
	ev->type = FR_EV_SYSCALL;
	ev->pid = 102;
	ev->tid = 102;
	ev->cpu = 1;
	ev->ts_ns = T0 + 12500;
	ev->u.sc.enter_ns = T0 + 8500;
	ev->u.sc.nr = d ? d->nr : (uint32_t)atoi(name + 3);
	ev->u.sc.ret = ret;
	ev->u.sc.flags = flags;
	for (i = 0; i < 6; i++)
		ev->u.sc.args[i] = args[i];
	for (i = 0; pls && pls[i].kind; i++) {
		struct fr_payload *p = &ev->payloads[ev->n_payloads++];

		p->kind = pls[i].kind;
		p->arg = pls[i].arg;
		p->part = pls[i].part;
		p->flags = pls[i].flags;
		p->data = pls[i].data;
		p->len = pls[i].len;
		p->full_len = pls[i].full_len ? pls[i].full_len : pls[i].len;
		if (p->len < p->full_len)
			p->flags |= FR_PLF_TRUNCATED;
	}
}

static const char *comm_of(void *ctx, uint32_t pid, uint32_t tid)
{
	(void)ctx;
	(void)pid;
	return tid == 102 ? "cat" : tid == 100 ? "sh" : NULL;
}

static struct fr_print_opts opts(unsigned strsize)
{
	struct fr_print_opts o = { 0 };

	o.strsize = strsize;
	o.t0_ns = T0;
	o.clock_to_utc_ns = 1795000000000000000LL - (int64_t)T0;
	o.comm_of = comm_of;
	return o;
}

static char out[1 << 16];

static const char *details(const struct fr_event *ev, unsigned strsize)
{
	struct fr_print_opts o = opts(strsize);
	struct fr_sb sb;

	fr_sb_init(&sb);
	fr_print_event_details(&sb, ev, &o);
	ck_assert(!sb.oom);
	snprintf(out, sizeof(out), "%s", fr_sb_str(&sb));
	fr_sb_free(&sb);
	return out;
}

static const char *line(const struct fr_event *ev, const struct fr_print_opts *o)
{
	struct fr_sb sb;

	fr_sb_init(&sb);
	fr_print_event(&sb, ev, o);
	snprintf(out, sizeof(out), "%s", fr_sb_str(&sb));
	fr_sb_free(&sb);
	return out;
}

/* ---- data used by the cases -------------------------------------------------------- */

static struct fr_fdinfo fi_pipe = { .ino = 777, .fd = 0, .type = FR_FD_PIPE };
static struct fr_fdinfo fi_tcp = {
	.ino = 5555,
	.fd = 3,
	.type = FR_FD_SOCKET,
	.sock_type = 1,
	.tuple = { .saddr = { 10, 0, 0, 1 }, .daddr = { 10, 0, 0, 2 }, .sport = 40000,
		   .dport = 443, .family = 2, .protocol = 6 },
};
static struct fr_fdinfo fi_tcp6 = {
	.ino = 5556,
	.fd = 4,
	.type = FR_FD_SOCKET,
	.sock_type = 1,
	.tuple = { .saddr = { [15] = 1 }, .daddr = { [15] = 1 }, .sport = 8080, .dport = 5555,
		   .family = 10, .protocol = 6 },
};
static struct fr_fdinfo fi_listen = {
	.ino = 5557, .fd = 5, .type = FR_FD_SOCKET, .sock_type = 1,
	.tuple = { .saddr = { 0, 0, 0, 0 }, .sport = 8080, .family = 2, .protocol = 6 },
};
static struct fr_fdinfo fi_udp = {
	.ino = 5558, .fd = 6, .type = FR_FD_SOCKET, .sock_type = 2,
	.tuple = { .saddr = { 127, 0, 0, 1 }, .daddr = { 127, 0, 0, 53 }, .sport = 3000,
		   .dport = 53, .family = 2 },
};
static struct fr_fdinfo fi_unix = { .ino = 9001, .fd = 7, .type = FR_FD_SOCKET,
				    .tuple = { .family = 1 } };
static struct fr_fdinfo fi_file = { .ino = 1234, .dev = (8u << 20) | 1, .fd = 3,
				    .type = FR_FD_FILE };
static struct fr_fdinfo fi_anon = { .ino = 11, .fd = 8, .type = FR_FD_ANON };

static const uint8_t sin_80[16] = { 2, 0, 0, 80, 1, 2, 3, 4 };
static const uint8_t sin6_443[28] = { 10, 0, 0x01, 0xbb, 0, 0, 0, 0, [23] = 1 };
static const uint8_t sun_path[] = "\1\0/run/app.sock";
static const uint8_t sun_abstract[] = "\1\0\0app";
static const uint8_t pollfds_in[16] = { 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0 };
static const uint8_t pollfds_out[16] = { 3, 0, 0, 0, 1, 0, 1, 0, 4, 0, 0, 0, 4, 0, 0, 0 };
static const uint8_t epev[12] = { 1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t fds34_in[1] = { 0x18 }; /* fds 3 and 4 */
static const uint8_t fds3_out[1] = { 0x08 };
static const uint8_t fds_none[1] = { 0 };
static const uint8_t tv_1s[16] = { 1 };
static const uint8_t tv_half[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xf4, 0x01 }; /* 500 us */
static const uint8_t ts_12[16] = { 12, 0, 0, 0, 0, 0, 0, 0, 0x59, 0x01 }; /* 345 ns */
static const uint8_t sigset_int_term[8] = { 0x02, 0x42 }; /* bits 1, 9, 14: INT USR1 TERM */
static const uint8_t sigset_empty[8];
static const uint8_t sigset_most[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f };
static const uint8_t sigact_in[32] = {
	0x00, 0x10, 0x40, 0, 0, 0, 0, 0,     /* handler 0x401000 */
	0x00, 0x00, 0x00, 0x14, 0, 0, 0, 0,  /* SA_RESTORER|SA_RESTART */
	0x00, 0x7f, 0, 0, 0, 0, 0, 0,        /* restorer 0x7f00 */
	0, 0, 0, 0, 0, 0, 0, 0,              /* mask */
};
static const uint8_t status_exit0[4] = { 0 };
static const uint8_t status_segv_core[4] = { 0x8b, 0 };
static const uint8_t fdpair[8] = { 3, 0, 0, 0, 4, 0, 0, 0 };
static const uint8_t int111[4] = { 111 };
static const char argv_ls[] = "ls\0-l\0/tmp";
static const char env2[] = "PATH=/bin\0HOME=/root";
static const uint8_t dirents[] = {
	/* d_ino=2, d_off=1, reclen=24, DT_DIR, "." */
	2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 24, 0, 4, '.', 0, 0, 0, 0,
	/* d_ino=12, d_off=2, reclen=32, DT_REG, "a.txt" */
	12, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 32, 0, 8, 'a', '.', 't', 'x', 't', 0, 0,
	0, 0, 0, 0, 0, 0,
};
static const uint8_t random8[8] = { 0x00, 0xff, 0x10, '7', 'a', '\n', 0x80, 0x01 };
static const uint8_t open_how[24] = { 0x00, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				      0x08 };
static const char msg_data[] = "ping";

struct text_case {
	const char *name;
	int64_t ret;
	uint64_t args[6];
	uint32_t flags;
	struct pl pls[6];
	unsigned strsize;
	const char *want;
};

#define FDI(a, fi) { FR_PL_FDINFO, a, 0, 0, &(fi), sizeof(fi), 0 }
#define IN(a, d, l) { FR_PL_IN, a, 0, 0, d, l, 0 }
#define OUT(a, d, l) { FR_PL_OUT, a, 0, 0, d, l, 0 }
#define INP(a, p, d, l) { FR_PL_IN, a, p, 0, d, l, 0 }
#define OUTP(a, p, d, l) { FR_PL_OUT, a, p, 0, d, l, 0 }

static const struct text_case text_cases[] = {
	{ "read", 6, { 0, 0x7ffd2000, 65536 }, 0, { FDI(0, fi_pipe), OUT(1, "hello\n", 6), PL_END },
	  0, "read(0<pipe:[777]>, \"hello\\n\", 65536) = 6" },
	/* out data of a failed call is not shown: the address is */
	{ "read", -11, { 5, 0x7ffd2000, 100000 }, 0, { PL_END }, 0,
	  "read(5, 0x7ffd2000, 100000) = -1 EAGAIN (Resource temporarily unavailable)" },
	/* the kernel's restart codes never reach the program */
	{ "read", -512, { 0, 0x1000, 10 }, 0, { PL_END }, 0,
	  "read(0, 0x1000, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)" },
	{ "write", -32, { 1, 0x1000, 1 }, 0, { IN(1, "x", 1), PL_END }, 0,
	  "write(1, \"x\", 1) = -1 EPIPE (Broken pipe)" },
	/* a buffer cut by the snaplen, then by the strsize */
	{ "write", 100, { 1, 0x1000, 100 }, 0,
	  { { FR_PL_IN, 1, 0, 0, "0123456789", 10, 100 }, PL_END }, 0,
	  "write(1, \"0123456789\"..., 100) = 100" },
	{ "write", 40, { 1, 0x1000, 40 }, 0, { IN(1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40), PL_END },
	  8, "write(1, \"aaaaaaaa\"..., 40) = 40" },
	/* unreadable user memory: the address, as strace shows it */
	{ "write", 5, { 1, 0xdead0000, 5 }, 0,
	  { { FR_PL_IN, 1, 0, FR_PLF_FAULT, "", 0, 5 }, PL_END }, 0,
	  "write(1, 0xdead0000, 5) = 5" },
	{ "openat", 3, { (uint64_t)-100, 0x7ffd0000, O_RDONLY | O_CLOEXEC }, 0,
	  { IN(1, "/etc/hostname", 13), PL_END }, 0,
	  "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = 3" },
	/* the mode is shown with O_CREAT; a path with its NUL */
	{ "openat", -2, { (uint64_t)-100, 0x1000, O_WRONLY | O_CREAT | O_TRUNC, 0644 }, 0,
	  { IN(1, "/tmp/x\0", 7), PL_END }, 0,
	  "openat(AT_FDCWD, \"/tmp/x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory)" },
	/* paths are shown whole, whatever the strsize */
	{ "unlink", 0, { 0x1000 }, 0,
	  { IN(0, "/a/very/long/path/name/longer/than/eight", 40), PL_END }, 8,
	  "unlink(\"/a/very/long/path/name/longer/than/eight\") = 0" },
	{ "exit_group", 0, { 0 }, FR_SC_NO_EXIT, { PL_END }, 0, "exit_group(0) = ?" },
	{ "read", 5, { 0 }, FR_SC_NO_ENTER, { PL_END }, 0, "<... read resumed>) = 5" },
	{ "nr:400", -38, { 1, 0, 0, 0, 0, 0 }, 0, { PL_END }, 0,
	  "syscall_400(0x1, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)" },
	{ "close", -9, { 42 }, 0, { PL_END }, 0, "close(42) = -1 EBADF (Bad file descriptor)" },
	{ "connect", -111, { 3, 0x1000, 16 }, 0, { FDI(0, fi_tcp), IN(1, sin_80, 16), PL_END }, 0,
	  "connect(3<TCP:[10.0.0.1:40000->10.0.0.2:443]>, {sa_family=AF_INET, sin_port=htons(80), "
	  "sin_addr=inet_addr(\"1.2.3.4\")}, 16) = -1 ECONNREFUSED (Connection refused)" },
	{ "accept4", 9, { 4, 0x1000, 0x2000, SOCK_CLOEXEC }, 0,
	  { FDI(0, fi_tcp6), OUT(1, sin6_443, 28), PL_END }, 0,
	  "accept4(4<TCPv6:[[::1]:8080->[::1]:5555]>, {sa_family=AF_INET6, sin6_port=htons(443), "
	  "sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, [28], "
	  "SOCK_CLOEXEC) = 9" },
	{ "accept", 10, { 5, 0x1000, 0x2000 }, 0, { FDI(0, fi_listen), OUT(1, sun_path, 16), PL_END },
	  0, "accept(5<TCP:[0.0.0.0:8080]>, {sa_family=AF_UNIX, sun_path=\"/run/app.sock\"}, [16]) = 10" },
	{ "bind", 0, { 7, 0x1000, 6 }, 0, { FDI(0, fi_unix), IN(1, sun_abstract, 6), PL_END }, 0,
	  "bind(7<UNIX:[9001]>, {sa_family=AF_UNIX, sun_path=@\"app\"}, 6) = 0" },
	{ "sendto", 4, { 6, 0x1000, 4, MSG_NOSIGNAL, 0, 0 }, 0,
	  { FDI(0, fi_udp), IN(1, "ping", 4), PL_END }, 0,
	  "sendto(6<UDP:[127.0.0.1:3000->127.0.0.53:53]>, \"ping\", 4, MSG_NOSIGNAL, NULL, 0) = 4" },
	{ "recvfrom", 4, { 6, 0x1000, 512, 0, 0x2000, 0x3000 }, 0,
	  { OUT(1, "pong", 4), OUT(4, sin_80, 16), PL_END }, 0,
	  "recvfrom(6, \"pong\", 512, 0, {sa_family=AF_INET, sin_port=htons(80), "
	  "sin_addr=inet_addr(\"1.2.3.4\")}, [16]) = 4" },
	{ "sendmsg", 4, { 3, 0x1000, 0 }, 0,
	  { INP(1, 0, msg_data, 4), INP(1, 1, sin_80, 16), PL_END }, 0,
	  "sendmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(80), "
	  "sin_addr=inet_addr(\"1.2.3.4\")}, msg_iov=[\"ping\"]}, 0) = 4" },
	{ "recvmsg", 4, { 3, 0x1000, MSG_DONTWAIT }, 0,
	  { OUTP(1, 0, "pong", 4), OUTP(1, 2, "0123456789abcdef01234567", 24), PL_END }, 0,
	  "recvmsg(3, {msg_iov=[\"pong\"], msg_controllen=24}, MSG_DONTWAIT) = 4" },
	{ "sendmmsg", 2, { 3, 0x1000, 2, 0 }, 0,
	  { INP(1, 0, "a", 1), INP(1, 3, "bc", 2), PL_END }, 0,
	  "sendmmsg(3, [{msg_hdr={msg_iov=[\"a\"]}}, {msg_hdr={msg_iov=[\"bc\"]}}], 2, 0) = 2" },
	{ "writev", 6, { 1, 0x1000, 2 }, 0, { IN(1, "hello\n", 6), PL_END }, 0,
	  "writev(1, [\"hello\\n\"], 2) = 6" },
	{ "poll", 1, { 0x1000, 2, 1000 }, 0,
	  { IN(0, pollfds_in, 16), OUT(0, pollfds_out, 16), PL_END }, 0,
	  "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, 1000) = 1 ([{fd=3, "
	  "revents=POLLIN}])" },
	{ "poll", 0, { 0x1000, 2, 1000 }, 0, { IN(0, pollfds_in, 16), PL_END }, 0,
	  "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, 1000) = 0 (Timeout)" },
	{ "epoll_wait", 1, { 8, 0x1000, 16, (uint64_t)-1 }, 0,
	  { FDI(0, fi_anon), OUT(1, epev, 12), PL_END }, 0,
	  "epoll_wait(8<anon_inode:[11]>, [{events=EPOLLIN, data=0x7}], 16, -1) = 1" },
	{ "epoll_ctl", 0, { 8, 1, 3, 0x1000 }, 0, { IN(3, epev, 12), PL_END }, 0,
	  "epoll_ctl(8, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data=0x7}) = 0" },
	{ "select", 1, { 5, 0x1000, 0x2000, 0, 0x3000 }, 0,
	  { IN(1, fds34_in, 1), OUT(1, fds3_out, 1), IN(2, fds_none, 1), OUT(2, fds_none, 1),
	    IN(4, tv_1s, 16) },
	  0,
	  "select(5, [3 4], [], NULL, {tv_sec=1, tv_usec=0}) = 1 (in [3], out [])" },
	{ "pselect6", 0, { 5, 0x1000, 0, 0, 0x3000, 0 }, 0,
	  { IN(1, fds34_in, 1), IN(4, tv_1s, 16), OUT(4, tv_half, 16), PL_END }, 0,
	  "pselect6(5, [3 4], NULL, NULL, {tv_sec=1, tv_nsec=0} => {tv_sec=0, tv_nsec=500}, "
	  "NULL) = 0 (Timeout)" },
	{ "clock_gettime", 0, { CLOCK_MONOTONIC, 0x1000 }, 0, { OUT(1, ts_12, 16), PL_END }, 0,
	  "clock_gettime(CLOCK_MONOTONIC, {tv_sec=12, tv_nsec=345}) = 0" },
	{ "nanosleep", 0, { 0x1000, 0 }, 0, { IN(0, ts_12, 16), PL_END }, 0,
	  "nanosleep({tv_sec=12, tv_nsec=345}, NULL) = 0" },
	{ "mmap", 0x7f0000000000, { 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				    (uint64_t)-1, 0 },
	  0, { PL_END }, 0,
	  "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000" },
	{ "mmap", -12, { 0, 1ULL << 40, PROT_NONE, MAP_SHARED, 3, 0 }, 0, { FDI(4, fi_file), PL_END },
	  0,
	  "mmap(NULL, 1099511627776, PROT_NONE, MAP_SHARED, 3<file:[8:1/1234]>, 0) = -1 ENOMEM "
	  "(Cannot allocate memory)" },
	{ "rt_sigaction", 0, { 2, 0x1000, 0, 8 }, 0, { IN(1, sigact_in, 32), PL_END }, 0,
	  "rt_sigaction(SIGINT, {sa_handler=0x401000, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, "
	  "sa_restorer=0x7f00}, NULL, 8) = 0" },
	{ "rt_sigprocmask", 0, { 0, 0x1000, 0x2000, 8 }, 0,
	  { IN(1, sigset_int_term, 8), OUT(2, sigset_empty, 8), PL_END }, 0,
	  "rt_sigprocmask(SIG_BLOCK, [INT USR1 TERM], [], 8) = 0" },
	{ "rt_sigprocmask", 0, { 2, 0x1000, 0, 8 }, 0, { IN(1, sigset_most, 8), PL_END }, 0,
	  "rt_sigprocmask(SIG_SETMASK, ~[RT_31 RT_32], NULL, 8) = 0" },
	{ "wait4", 102, { (uint64_t)-1, 0x1000, 0, 0 }, 0, { OUT(1, status_exit0, 4), PL_END }, 0,
	  "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 102" },
	{ "wait4", 103, { 103, 0x1000, WNOHANG, 0 }, 0, { OUT(1, status_segv_core, 4), PL_END }, 0,
	  "wait4(103, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], WNOHANG, NULL) "
	  "= 103" },
	{ "execve", 0, { 0x1000, 0x2000, 0x3000 }, FR_SC_NO_EXIT,
	  { IN(0, "/bin/ls", 7), IN(1, argv_ls, sizeof(argv_ls)), IN(2, env2, sizeof(env2)), PL_END },
	  0, "execve(\"/bin/ls\", [\"ls\", \"-l\", \"/tmp\"], 0x3000 /* 2 vars */) = ?" },
	/* argv cut by the snaplen in the middle of a string */
	{ "execve", -2, { 0x1000, 0x2000, 0 }, 0,
	  { IN(0, "/bin/ls", 7), { FR_PL_IN, 1, 0, 0, argv_ls, 5, sizeof(argv_ls) }, PL_END }, 0,
	  "execve(\"/bin/ls\", [\"ls\", \"-l\"...]..., NULL) = -1 ENOENT (No such file or directory)" },
	{ "pipe2", 0, { 0x1000, O_CLOEXEC }, 0, { OUT(0, fdpair, 8), PL_END }, 0,
	  "pipe2([3, 4], O_CLOEXEC) = 0" },
	{ "fcntl", 0x8002, { 3, F_GETFL }, 0, { PL_END }, 0,
	  "fcntl(3, F_GETFL) = 32770 (flags O_RDWR|O_LARGEFILE)" },
	{ "fcntl", 0, { 3, F_SETFD, FD_CLOEXEC }, 0, { PL_END }, 0, "fcntl(3, F_SETFD, FD_CLOEXEC) = 0" },
	{ "fcntl", 0, { 3, F_SETFL, O_RDWR | O_NONBLOCK }, 0, { PL_END }, 0,
	  "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0" },
	{ "fcntl", 10, { 3, F_DUPFD_CLOEXEC, 10 }, 0, { PL_END }, 0,
	  "fcntl(3, F_DUPFD_CLOEXEC, 10) = 10" },
	{ "futex", 0, { 0x601000, 129, 1 }, 0, { PL_END }, 0,
	  "futex(0x601000, FUTEX_WAKE_PRIVATE, 1) = 0" },
	{ "futex", -110, { 0x601000, 128, 0, 0x2000 }, 0, { PL_END }, 0,
	  "futex(0x601000, FUTEX_WAIT_PRIVATE, 0, 0x2000) = -1 ETIMEDOUT (Connection timed out)" },
	{ "getsockopt", 0, { 3, SOL_SOCKET, SO_ERROR, 0x1000, 0x2000 }, 0,
	  { OUT(3, int111, 4), PL_END }, 0,
	  "getsockopt(3, SOL_SOCKET, SO_ERROR, [111], [4]) = 0" },
	{ "setsockopt", 0, { 3, 6 /* SOL_TCP */, 1 /* TCP_NODELAY */, 0x1000, 4 }, 0,
	  { IN(3, int111, 4), PL_END }, 0, "setsockopt(3, SOL_TCP, TCP_NODELAY, [111], 4) = 0" },
	{ "getdents64", 56, { 3, 0x1000, 32768 }, 0, { OUT(1, dirents, 56), PL_END }, 0,
	  "getdents64(3, [{d_ino=2, d_type=DT_DIR, d_name=\".\"}, {d_ino=12, d_type=DT_REG, "
	  "d_name=\"a.txt\"}], 32768) = 56" },
	{ "getrandom", 8, { 0x1000, 8, 0 }, 0, { OUT(0, random8, 8), PL_END }, 0,
	  "getrandom(\"\\0\\377\\0207a\\n\\200\\1\", 8, 0) = 8" },
	{ "openat2", 3, { (uint64_t)-100, 0x1000, 0x2000, 24 }, 0,
	  { IN(1, "/srv", 4), IN(2, open_how, 24), PL_END }, 0,
	  "openat2(AT_FDCWD, \"/srv\", {flags=O_RDONLY|O_CLOEXEC, mode=000, "
	  "resolve=RESOLVE_BENEATH}, 24) = 3" },
	{ "kill", 0, { 102, 15 }, 0, { PL_END }, 0, "kill(102, SIGTERM) = 0" },
	{ "lseek", 4096, { 3, 4096, SEEK_SET }, 0, { FDI(0, fi_file), PL_END }, 0,
	  "lseek(3<file:[8:1/1234]>, 4096, SEEK_SET) = 4096" },
	/* an int argument: the kernel reads 32 bits of the register */
	{ "dup2", 1, { 0xffffffff00000003ULL, 1 }, 0, { PL_END }, 0, "dup2(3, 1) = 1" },
	{ "clone", 4242, { CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD, 0, 0, 0, 0 }, 0, { PL_END }, 0,
	  "clone(CLONE_VM|CLONE_FS|CLONE_FILES|SIGCHLD, 0, NULL, NULL, 0) = 4242" },
	{ "socket", 3, { AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0 }, 0, { PL_END }, 0,
	  "socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK, 0) = 3" },
	{ "brk", 0x555555559000, { 0 }, 0, { PL_END }, 0, "brk(NULL) = 0x555555559000" },
	{ "getpid", 102, { 0 }, 0, { PL_END }, 0, "getpid() = 102" },
	{ "ioctl", -25, { 1, TCGETS, 0x7ffd0000 }, 0, { PL_END }, 0,
	  "ioctl(1, TCGETS, 0x7ffd0000) = -1 ENOTTY (Inappropriate ioctl for device)" },
};

START_TEST(test_text_cases)
{
	const struct text_case *c = &text_cases[_i];
	struct fr_event ev;

	build_syscall(&ev, c->name, c->ret, c->args, c->flags, c->pls);
	ck_assert_str_eq(details(&ev, c->strsize), c->want);
}
END_TEST

/* Whole lines: time, comm, pid/tid, cpu, duration; relative and UTC. */
START_TEST(test_full_line)
{
	static const uint64_t a[6] = { 0, 0x7ffd2000, 65536 };
	static const struct pl pls[] = { FDI(0, fi_pipe), OUT(1, "hello\n", 6), PL_END };
	struct fr_print_opts o = opts(32);
	struct fr_event ev;

	build_syscall(&ev, "read", 6, a, 0, pls);
	ck_assert_str_eq(line(&ev, &o), "     0.000012500 cat 102/102 [001] read(0<pipe:[777]>, "
					"\"hello\\n\", 65536) = 6 <0.000004000>");
	o.utc = true;
	ck_assert_str_eq(line(&ev, &o), "2026-11-18T11:06:40.000012500Z cat 102/102 [001] "
					"read(0<pipe:[777]>, \"hello\\n\", 65536) = 6 <0.000004000>");
	/* no duration when a side is missing; "?" for an unknown thread */
	o.utc = false;
	ev.u.sc.flags = FR_SC_NO_EXIT;
	ev.tid = ev.pid = 7;
	ck_assert_str_eq(line(&ev, &o), "     0.000012500 ? 7/7 [001] read(0<pipe:[777]>, "
					"0x7ffd2000, 65536) = ?");
	/* before t0 */
	ev.ts_ns = T0 - 1500;
	ck_assert_str_eq(line(&ev, &o), "    -0.000001500 ? 7/7 [001] read(0<pipe:[777]>, "
					"0x7ffd2000, 65536) = ?");
	/* NULL options: defaults */
	ck_assert_ptr_nonnull(strstr(line(&ev, NULL), "read(0<pipe:[777]>"));
}
END_TEST

/* ---- other event types --------------------------------------------------------------- */

static void ev_init(struct fr_event *ev, unsigned type, uint32_t pid, uint32_t tid)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = (uint16_t)type;
	ev->pid = pid;
	ev->tid = tid;
	ev->ts_ns = T0 + 1000000;
}

START_TEST(test_other_events)
{
	static const char argv_blob[] = "/bin/sh\0-c\0echo hello | cat";
	static const char reason[] = "slow read";
	struct fr_event ev;

	ev_init(&ev, FR_EV_SCHED_SWITCH, 100, 100);
	ev.u.sw.next_pid = ev.u.sw.next_tid = 102;
	ev.u.sw.prev_state = 1;
	ev.u.sw.prev_prio = ev.u.sw.next_prio = 120;
	strcpy(ev.u.sw.prev_comm, "sh");
	strcpy(ev.u.sw.next_comm, "cat");
	ck_assert_str_eq(details(&ev, 0), "sched_switch: sh:100 [120] S ==> cat:102 [120]");
	ev.u.sw.prev_state = 0;
	ck_assert_str_eq(details(&ev, 0), "sched_switch: sh:100 [120] R+ ==> cat:102 [120]");
	ev.u.sw.prev_state = 0x402;
	ck_assert_str_eq(details(&ev, 0), "sched_switch: sh:100 [120] I ==> cat:102 [120]");

	ev_init(&ev, FR_EV_SCHED_WAKEUP, 102, 102);
	ev.u.wake.target_pid = ev.u.wake.target_tid = 100;
	ev.u.wake.target_cpu = 3;
	ev.u.wake.flags = FR_WAKE_WAKING;
	strcpy(ev.u.wake.target_comm, "sh");
	ck_assert_str_eq(details(&ev, 0), "sched_wakeup: sh:100 target_cpu=003 phase=waking by=task");
	ev.u.wake.flags = FR_WAKE_WAKEUP;
	ev.u.wake.ctx = FR_CTX_SOFTIRQ;
	ev.u.wake.ctx_info = 3;
	ck_assert_str_eq(details(&ev, 0),
			 "sched_wakeup: sh:100 target_cpu=003 phase=wakeup by=softirq:NET_RX");
	ev.u.wake.flags = FR_WAKE_NEW;
	ev.u.wake.ctx = FR_CTX_HARDIRQ;
	ev.u.wake.ctx_info = 24;
	ck_assert_str_eq(details(&ev, 0), "sched_wakeup: sh:100 target_cpu=003 phase=new by=hardirq:24");
	ev.u.wake.ctx = FR_CTX_TIMER;
	ck_assert_str_eq(details(&ev, 0), "sched_wakeup: sh:100 target_cpu=003 phase=new by=timer");

	ev_init(&ev, FR_EV_SCHED_MIGRATE, 102, 102);
	ev.u.mig.target_pid = ev.u.mig.target_tid = 100;
	ev.u.mig.orig_cpu = 0;
	ev.u.mig.dest_cpu = 1;
	ck_assert_str_eq(details(&ev, 0), "sched_migrate: sh:100 orig_cpu=000 dest_cpu=001");

	ev_init(&ev, FR_EV_PROC_FORK, 100, 100);
	ev.u.fork.child_pid = ev.u.fork.child_tid = 102;
	ev.u.fork.clone_flags = 0x1200011;
	strcpy(ev.u.fork.child_comm, "sh");
	ck_assert_str_eq(details(&ev, 0), "fork: process sh:102 "
					  "flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	ev.u.fork.child_pid = 100;
	ev.u.fork.child_tid = 101;
	ev.u.fork.clone_flags = 0x3d0f00;
	ck_assert_str_eq(details(&ev, 0),
			 "fork: thread sh:101 pid=100 flags=CLONE_VM|CLONE_FS|CLONE_FILES|"
			 "CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
			 "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");

	ev_init(&ev, FR_EV_PROC_EXEC, 100, 100);
	strcpy(ev.u.exec.comm, "sh");
	ev.n_payloads = 2;
	ev.payloads[0] = (struct fr_payload){ FR_PL_EXEC_FILENAME, 0xff, 0, 0, 7, 7,
					      (const uint8_t *)argv_blob };
	ev.payloads[1] = (struct fr_payload){ FR_PL_EXEC_ARGV, 0xff, 0, 0, sizeof(argv_blob),
					      sizeof(argv_blob), (const uint8_t *)argv_blob };
	ck_assert_str_eq(details(&ev, 0), "exec: \"/bin/sh\" [\"/bin/sh\", \"-c\", \"echo hello | cat\"]");
	ev.u.exec.old_tid = 101;
	ck_assert_str_eq(details(&ev, 2), "exec: \"/bin/sh\" [\"/b\"..., \"-c\", ...] old_tid=101");

	ev_init(&ev, FR_EV_PROC_EXIT, 102, 102);
	ev.u.exit.status = 0x8b; /* SIGSEGV, core */
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	ck_assert_str_eq(details(&ev, 0), "exit: killed by SIGSEGV (core dumped) [process]");
	ev.u.exit.status = 3 << 8;
	ev.u.exit.flags = 0;
	ck_assert_str_eq(details(&ev, 0), "exit: exit 3 [thread]");

	ev_init(&ev, FR_EV_PROC_COMM, 100, 101);
	strcpy(ev.u.comm.old_comm, "sh");
	strcpy(ev.u.comm.new_comm, "sh-worker");
	ck_assert_str_eq(details(&ev, 0), "comm: sh => sh-worker");

	ev_init(&ev, FR_EV_PAGE_FAULT, 102, 102);
	ev.u.pf.start_ns = ev.ts_ns - 25000;
	ev.u.pf.address = 0x7f0000001000;
	ev.u.pf.ip = 0x401234;
	ev.u.pf.error_code = 6;
	ev.u.pf.flags = FR_PF_MAJOR | FR_PF_USER | FR_PF_WRITE;
	ck_assert_str_eq(details(&ev, 0), "page_fault: major user write addr=0x7f0000001000 "
					  "ip=0x401234 error_code=0x6 <0.000025000>");
	ev.u.pf.start_ns = 0;
	ev.u.pf.flags = 0;
	ck_assert_str_eq(details(&ev, 0), "page_fault: minor kernel read addr=0x7f0000001000 "
					  "ip=0x401234 error_code=0x6");

	ev_init(&ev, FR_EV_RECLAIM, 102, 102);
	ev.u.reclaim.start_ns = ev.ts_ns - 80000;
	ev.u.reclaim.nr_reclaimed = 32;
	ev.u.reclaim.gfp_flags = 0xcc0;
	ev.u.reclaim.kind = FR_RECLAIM_DIRECT;
	ck_assert_str_eq(details(&ev, 0), "reclaim: direct reclaimed=32 pages order=0 "
					  "gfp_flags=0xcc0 <0.000080000>");

	ev_init(&ev, FR_EV_OOM_KILL, 102, 102);
	ev.u.oom.victim_pid = 103;
	ev.u.oom.total_vm_kb = 1 << 20;
	ev.u.oom.anon_rss_kb = 900000;
	ev.u.oom.uid = 1000;
	ev.u.oom.oom_score_adj = -500;
	strcpy(ev.u.oom.victim_comm, "batch");
	ck_assert_str_eq(details(&ev, 0), "oom_kill: killed batch:103 uid=1000 total_vm=1048576kB "
					  "anon_rss=900000kB file_rss=0kB shmem_rss=0kB "
					  "oom_score_adj=-500");

	ev_init(&ev, FR_EV_TCP_STATE, 100, 100);
	ev.u.tcp.tuple = fi_tcp.tuple;
	ev.u.tcp.oldstate = 2;
	ev.u.tcp.newstate = 1;
	ck_assert_str_eq(details(&ev, 0),
			 "tcp_state: 10.0.0.1:40000->10.0.0.2:443 SYN_SENT -> ESTABLISHED");
	ev.type = FR_EV_TCP_RETRANSMIT;
	ck_assert_str_eq(details(&ev, 0),
			 "tcp_retransmit: 10.0.0.1:40000->10.0.0.2:443 state=ESTABLISHED");
	ev.type = FR_EV_TCP_RESET;
	ev.u.tcp.tuple = fi_tcp6.tuple;
	ev.u.tcp.newstate = 7;
	ck_assert_str_eq(details(&ev, 0), "tcp_reset: [::1]:8080->[::1]:5555 state=CLOSE");

	ev_init(&ev, FR_EV_BLOCK_ISSUE, 100, 100);
	ev.u.blk.sector = 123456;
	ev.u.blk.dev = (259u << 20) | 1;
	ev.u.blk.nr_bytes = 4096;
	strcpy(ev.u.blk.rwbs, "WS");
	ck_assert_str_eq(details(&ev, 0), "block_issue: 259,1 WS 123456 + 8 (4096 bytes)");
	ev.type = FR_EV_BLOCK_COMPLETE;
	ev.u.blk.issue_ns = ev.ts_ns - 250000;
	ev.u.blk.error = -5;
	ck_assert_str_eq(details(&ev, 0), "block_complete: 259,1 WS 123456 + 8 (4096 bytes) "
					  "error=-5 EIO <0.000250000>");

	ev_init(&ev, FR_EV_SIGNAL_GENERATE, 100, 100);
	ev.u.sig_gen.target_pid = ev.u.sig_gen.target_tid = 102;
	ev.u.sig_gen.sig = 13;
	ev.u.sig_gen.code = 0;
	ck_assert_str_eq(details(&ev, 0), "signal_generate: SIGPIPE to cat:102 code=SI_USER "
					  "result=delivered");
	ev.u.sig_gen.sig = 11;
	ev.u.sig_gen.code = 1;
	ev.u.sig_gen.result = 2;
	ck_assert_str_eq(details(&ev, 0), "signal_generate: SIGSEGV to cat:102 code=SEGV_MAPERR "
					  "result=already_pending");

	ev_init(&ev, FR_EV_SIGNAL_DELIVER, 102, 102);
	ev.u.sig_del.sig = 10;
	ev.u.sig_del.code = -6;
	ev.u.sig_del.sa_handler = 0x401000;
	ev.u.sig_del.sa_flags = 0x14000000;
	ck_assert_str_eq(details(&ev, 0), "signal_deliver: SIGUSR1 code=SI_TKILL handler=0x401000 "
					  "flags=SA_RESTORER|SA_RESTART");

	ev_init(&ev, FR_EV_LOST, 0, 0);
	ev.u.lost.count = 3;
	ev.u.lost.cause = FR_LOSS_RING_FULL;
	ck_assert_str_eq(details(&ev, 0), "lost: 3 (ring_full)");

	ev_init(&ev, FR_EV_MARK, 0, 0);
	ev.u.mark.kind = FR_MARK_TRIGGER;
	ev.n_payloads = 1;
	ev.payloads[0] = (struct fr_payload){ FR_PL_TEXT, 0xff, 0, 0, sizeof(reason) - 1,
					      sizeof(reason) - 1, (const uint8_t *)reason };
	ck_assert_str_eq(details(&ev, 0), "mark: trigger \"slow read\"");

	ev_init(&ev, 99, 0, 0);
	ck_assert_str_eq(details(&ev, 0), "?: type 99");
}
END_TEST

/* ---- JSON --------------------------------------------------------------------------- */

static json_t *to_json(const struct fr_event *ev)
{
	struct fr_print_opts o = opts(32);
	json_t *obj = json_object();

	ck_assert_int_eq(fr_event_to_json(obj, ev, &o), 0);
	/* it must serialize */
	{
		char *s = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);

		ck_assert_ptr_nonnull(s);
		free(s);
	}
	return obj;
}

START_TEST(test_json_syscall)
{
	static const uint64_t a[6] = { 0, 0x7ffd2000, 65536 };
	static const struct pl pls[] = { FDI(0, fi_pipe), OUT(1, "hello\n", 6), PL_END };
	static const uint64_t b[6] = { 3, 0x1000, 8 };
	static const struct pl bin[] = { { FR_PL_OUT, 1, 0, 0, random8, 8, 20 }, PL_END };
	struct fr_event ev;
	json_t *o, *p;

	build_syscall(&ev, "read", 6, a, 0, pls);
	o = to_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(o, "type")), "syscall");
	ck_assert_str_eq(json_string_value(json_object_get(o, "name")), "read");
	ck_assert_str_eq(json_string_value(json_object_get(o, "comm")), "cat");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "nr")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "ts_ns")), (json_int_t)(T0 + 12500));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "rel_ns")), 12500);
	ck_assert_str_eq(json_string_value(json_object_get(o, "utc")), "2026-11-18T11:06:40.000012500Z");
	ck_assert_int_eq(json_array_size(json_object_get(o, "args")), 3);
	ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(o, "args"), 2)), 65536);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "ret")), 6);
	ck_assert_ptr_null(json_object_get(o, "errno"));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "enter_ns")), (json_int_t)(T0 + 8500));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "duration_ns")), 4000);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "decoded"), 0)),
			 "0<pipe:[777]>");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "decoded"), 1)),
			 "\"hello\\n\"");
	ck_assert_str_eq(json_string_value(json_object_get(o, "result")), "6");
	ck_assert_str_eq(json_string_value(json_object_get(o, "details")),
			 "read(0<pipe:[777]>, \"hello\\n\", 65536) = 6");
	p = json_object_get(o, "payloads");
	ck_assert_int_eq(json_array_size(p), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(p, 0), "kind")), "fdinfo");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_array_get(p, 0), "fdinfo"), "type")),
			 "pipe");
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_object_get(json_array_get(p, 0), "fdinfo"), "ino")),
			 777);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(p, 1), "kind")), "out");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(p, 1), "arg")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(p, 1), "data")), "hello\n");
	ck_assert(json_is_false(json_object_get(json_array_get(p, 1), "truncated")));
	json_decref(o);

	/* an error, binary data as hex, a truncated payload */
	build_syscall(&ev, "read", -4, b, 0, NULL);
	o = to_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(o, "errno")), "EINTR");
	ck_assert_str_eq(json_string_value(json_object_get(o, "errno_text")),
			 "Interrupted system call");
	ck_assert_str_eq(json_string_value(json_object_get(o, "result")),
			 "-1 EINTR (Interrupted system call)");
	json_decref(o);
	build_syscall(&ev, "read", 8, b, 0, bin);
	o = to_json(&ev);
	p = json_array_get(json_object_get(o, "payloads"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "data"), "hex")),
			 "00ff1037610a8001");
	ck_assert(json_is_true(json_object_get(p, "truncated")));
	ck_assert_int_eq(json_integer_value(json_object_get(p, "full_len")), 20);
	json_decref(o);

	/* unfinished calls: nulls, not made-up numbers */
	build_syscall(&ev, "read", 0, a, FR_SC_NO_EXIT, NULL);
	o = to_json(&ev);
	ck_assert(json_is_null(json_object_get(o, "ret")));
	ck_assert(json_is_null(json_object_get(o, "duration_ns")));
	ck_assert(json_is_true(json_object_get(o, "no_exit")));
	ck_assert_str_eq(json_string_value(json_object_get(o, "result")), "?");
	json_decref(o);
	build_syscall(&ev, "read", 5, a, FR_SC_NO_ENTER, NULL);
	o = to_json(&ev);
	ck_assert(json_is_null(json_object_get(o, "enter_ns")));
	ck_assert(json_is_null(json_object_get(o, "decoded")));
	json_decref(o);
}
END_TEST

START_TEST(test_json_other)
{
	struct fr_event ev;
	json_t *o;

	ev_init(&ev, FR_EV_PROC_EXIT, 102, 102);
	ev.u.exit.status = 0x8b;
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	o = to_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(o, "type")), "exit");
	ck_assert_str_eq(json_string_value(json_object_get(o, "signal")), "SIGSEGV");
	ck_assert(json_is_true(json_object_get(o, "core_dumped")));
	ck_assert(json_is_true(json_object_get(o, "group_dead")));
	ck_assert_str_eq(json_string_value(json_object_get(o, "status_text")),
			 "killed by SIGSEGV (core dumped)");
	ck_assert_str_eq(json_string_value(json_object_get(o, "details")),
			 "exit: killed by SIGSEGV (core dumped) [process]");
	json_decref(o);

	ev_init(&ev, FR_EV_TCP_STATE, 100, 100);
	ev.u.tcp.tuple = fi_tcp.tuple;
	ev.u.tcp.oldstate = 2;
	ev.u.tcp.newstate = 1;
	o = to_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(o, "oldstate")), "SYN_SENT");
	ck_assert_str_eq(json_string_value(json_object_get(o, "newstate")), "ESTABLISHED");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "tuple"), "local")),
			 "10.0.0.1:40000");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "tuple"), "remote")),
			 "10.0.0.2:443");
	json_decref(o);

	ev_init(&ev, FR_EV_SCHED_SWITCH, 100, 100);
	ev.u.sw.prev_state = 2;
	strcpy(ev.u.sw.prev_comm, "sh");
	o = to_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(o, "prev_state_text")), "D");
	ck_assert_str_eq(json_string_value(json_object_get(o, "prev_comm")), "sh");
	json_decref(o);

	ev_init(&ev, FR_EV_BLOCK_COMPLETE, 100, 100);
	ev.u.blk.dev = (8u << 20) | 16;
	ev.u.blk.issue_ns = ev.ts_ns - 1000;
	ev.u.blk.error = -5;
	o = to_json(&ev);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "major")), 8);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "minor")), 16);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "latency_ns")), 1000);
	ck_assert_str_eq(json_string_value(json_object_get(o, "errno")), "EIO");
	json_decref(o);
}
END_TEST

/* ---- escaping ------------------------------------------------------------------------ */

/* What strace -s shows for one byte (util.c's fr_sb_escape rules). */
static void expected_byte(char *buf, size_t len, uint8_t c, bool digit_follows)
{
	switch (c) {
	case '\n': snprintf(buf, len, "\\n"); return;
	case '\t': snprintf(buf, len, "\\t"); return;
	case '\r': snprintf(buf, len, "\\r"); return;
	case '\v': snprintf(buf, len, "\\v"); return;
	case '\f': snprintf(buf, len, "\\f"); return;
	case '"': snprintf(buf, len, "\\\""); return;
	case '\\': snprintf(buf, len, "\\\\"); return;
	default: break;
	}
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, len, "%c", c);
	else
		snprintf(buf, len, digit_follows ? "\\%03o" : "\\%o", c);
}

START_TEST(test_escape_every_byte)
{
	static uint8_t bytes[2];
	static const uint64_t a[6] = { 1, 0x1000, 2 };
	struct pl pls[] = { IN(1, bytes, 1), PL_END };
	char want[64], e[16];
	struct fr_event ev;
	unsigned c;

	for (c = 0; c < 256; c++) {
		bytes[0] = (uint8_t)c;
		bytes[1] = '1';
		pls[0].len = 1;
		build_syscall(&ev, "write", 1, a, 0, pls);
		expected_byte(e, sizeof(e), (uint8_t)c, false);
		snprintf(want, sizeof(want), "write(1, \"%s\", 2) = 1", e);
		ck_assert_str_eq(details(&ev, 0), want);
		/* followed by a digit, an octal escape takes all three digits */
		pls[0].len = 2;
		build_syscall(&ev, "write", 2, a, 0, pls);
		expected_byte(e, sizeof(e), (uint8_t)c, true);
		snprintf(want, sizeof(want), "write(1, \"%s1\", 2) = 2", e);
		ck_assert_str_eq(details(&ev, 0), want);
	}
}
END_TEST

START_TEST(test_strsize_limits)
{
	static const char data[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
	static const uint64_t a[6] = { 1, 0x1000, 42 };
	struct pl pls[] = { IN(1, data, 42), PL_END };
	struct fr_event ev;
	char want[128];
	unsigned s;

	for (s = 1; s <= 44; s++) {
		build_syscall(&ev, "write", 42, a, 0, pls);
		if (s < 42)
			snprintf(want, sizeof(want), "write(1, \"%.*s\"..., 42) = 42", (int)s, data);
		else
			snprintf(want, sizeof(want), "write(1, \"%s\", 42) = 42", data);
		ck_assert_str_eq(details(&ev, s), want);
	}
	/* strsize 0 means the default, 32 */
	snprintf(want, sizeof(want), "write(1, \"%.32s\"..., 42) = 42", data);
	ck_assert_str_eq(details(&ev, 0), want);
	/* captured in part: "..." even when everything captured is shown */
	pls[0].full_len = 4096;
	build_syscall(&ev, "write", 4096, a, 0, pls);
	snprintf(want, sizeof(want), "write(1, \"%s\"..., 42) = 4096", data);
	ck_assert_str_eq(details(&ev, 64), want);
}
END_TEST

/* ---- names --------------------------------------------------------------------------- */

START_TEST(test_errno_names)
{
	int e, n = 0;

	for (e = 1; e < 134; e++) {
		const char *name = fr_errno_name(e);

		if (!name)
			continue; /* 41 and 58 are unused on Linux */
		n++;
		ck_assert_msg(fr_errno_by_name(name) == e, "%s -> %d", name, fr_errno_by_name(name));
		ck_assert_ptr_nonnull(fr_errno_text(e));
	}
	ck_assert_int_ge(n, 130);
	ck_assert_int_eq(fr_errno_by_name("ENOENT"), ENOENT);
	ck_assert_int_eq(fr_errno_by_name("ECONNRESET"), ECONNRESET);
	ck_assert_int_eq(fr_errno_by_name("ETIMEDOUT"), ETIMEDOUT);
	ck_assert_int_eq(fr_errno_by_name("enoent"), ENOENT);
	ck_assert_int_eq(fr_errno_by_name("EWOULDBLOCK"), EAGAIN);
	ck_assert_int_eq(fr_errno_by_name("EDEADLOCK"), EDEADLK);
	ck_assert_int_eq(fr_errno_by_name("ENOTSUP"), EOPNOTSUPP);
	ck_assert_int_eq(fr_errno_by_name("ERESTARTSYS"), 512);
	ck_assert_int_eq(fr_errno_by_name("ENOTSUPP"), 524);
	ck_assert_int_eq(fr_errno_by_name("EBOGUS"), -1);
	ck_assert_int_eq(fr_errno_by_name(""), -1);
	ck_assert_int_eq(fr_errno_by_name(NULL), -1);
	ck_assert_str_eq(fr_errno_name(EPIPE), "EPIPE");
	ck_assert_str_eq(fr_errno_text(EPIPE), "Broken pipe");
	ck_assert_str_eq(fr_errno_name(516), "ERESTART_RESTARTBLOCK");
	ck_assert_ptr_null(fr_errno_name(0));
	ck_assert_ptr_null(fr_errno_name(-1));
	ck_assert_ptr_null(fr_errno_name(4000));
	ck_assert_ptr_null(fr_errno_text(4000));
}
END_TEST

START_TEST(test_signal_names)
{
	int s;

	for (s = 1; s <= 64; s++) {
		const char *n = fr_signal_name(s);

		ck_assert_msg(n && !strncmp(n, "SIG", 3), "signal %d: %s", s, n ? n : "NULL");
		ck_assert_int_eq(fr_signal_by_name(n), s);
		ck_assert_int_eq(fr_signal_by_name(n + 3), s);
	}
	ck_assert_str_eq(fr_signal_name(11), "SIGSEGV");
	ck_assert_str_eq(fr_signal_name(29), "SIGIO");
	ck_assert_str_eq(fr_signal_name(32), "SIGRTMIN");
	ck_assert_str_eq(fr_signal_name(34), "SIGRT_2");
	ck_assert_str_eq(fr_signal_name(64), "SIGRT_32");
	ck_assert_ptr_null(fr_signal_name(0));
	ck_assert_ptr_null(fr_signal_name(65));
	ck_assert_ptr_null(fr_signal_name(-9));
	ck_assert_int_eq(fr_signal_by_name("SIGKILL"), 9);
	ck_assert_int_eq(fr_signal_by_name("kill"), 9);
	ck_assert_int_eq(fr_signal_by_name("sigterm"), 15);
	ck_assert_int_eq(fr_signal_by_name("SIGIOT"), 6);
	ck_assert_int_eq(fr_signal_by_name("SIGPOLL"), 29);
	ck_assert_int_eq(fr_signal_by_name("CLD"), 17);
	ck_assert_int_eq(fr_signal_by_name("SIGRTMIN+3"), 35);
	ck_assert_int_eq(fr_signal_by_name("SIGRTMAX"), 64);
	ck_assert_int_eq(fr_signal_by_name("SIGRTMIN+33"), -1);
	ck_assert_int_eq(fr_signal_by_name("SIG"), -1);
	ck_assert_int_eq(fr_signal_by_name("SIGFOO"), -1);
	ck_assert_int_eq(fr_signal_by_name(NULL), -1);
	ck_assert_str_eq(fr_si_code_name(11, 2), "SEGV_ACCERR");
	ck_assert_str_eq(fr_si_code_name(17, 1), "CLD_EXITED");
	ck_assert_str_eq(fr_si_code_name(9, -6), "SI_TKILL");
	ck_assert_str_eq(fr_si_code_name(9, 0x80), "SI_KERNEL");
	ck_assert_ptr_null(fr_si_code_name(9, 5));
}
END_TEST

START_TEST(test_states)
{
	static const struct {
		int64_t state;
		const char *want;
	} cases[] = {
		{ 0, "R+" },  { 1, "S" },	{ 2, "D" },	  { 4, "T" },   { 8, "t" },
		{ 16, "X" },  { 32, "Z" },	{ 64, "P" },	  { 0x402, "I" }, { 0x102, "D" },
		{ 0x104, "T" }, { 0x82, "D|x" }, { 0x10000, "0x10000" }, { 0x10001, "S|0x10000" },
	};
	struct fr_sb sb;
	size_t i;

	fr_sb_init(&sb);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fr_sb_reset(&sb);
		fr_print_task_state(&sb, cases[i].state);
		ck_assert_str_eq(fr_sb_str(&sb), cases[i].want);
	}
	fr_sb_free(&sb);
	ck_assert_str_eq(fr_tcp_state_name(1), "ESTABLISHED");
	ck_assert_str_eq(fr_tcp_state_name(10), "LISTEN");
	ck_assert_str_eq(fr_tcp_state_name(12), "NEW_SYN_RECV");
	ck_assert_ptr_null(fr_tcp_state_name(0));
	ck_assert_ptr_null(fr_tcp_state_name(99));
	ck_assert_str_eq(fr_softirq_name(3), "NET_RX");
	ck_assert_str_eq(fr_softirq_name(1), "TIMER");
	ck_assert_ptr_null(fr_softirq_name(10));
}
END_TEST

START_TEST(test_exit_status)
{
	static const struct {
		int status;
		const char *want;
	} cases[] = {
		{ 0, "exit 0" },
		{ 1 << 8, "exit 1" },
		{ 255 << 8, "exit 255" },
		{ 9, "killed by SIGKILL" },
		{ 0x86, "killed by SIGABRT (core dumped)" },
		{ (19 << 8) | 0x7f, "stopped by SIGSTOP" },
	};
	struct fr_sb sb;
	size_t i;

	fr_sb_init(&sb);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fr_sb_reset(&sb);
		fr_print_exit_status(&sb, cases[i].status);
		ck_assert_str_eq(fr_sb_str(&sb), cases[i].want);
	}
	fr_sb_free(&sb);
}
END_TEST

/* ---- flag sets ------------------------------------------------------------------------ */

struct flag_case {
	unsigned set;
	uint64_t value;
	const char *want;
};

/* Values from this machine's headers where it has them (x86-64). */
static const struct flag_case flag_cases[] = {
	{ FR_FMT_OPEN_FLAGS, O_RDONLY, "O_RDONLY" },
	{ FR_FMT_OPEN_FLAGS, O_WRONLY | O_CREAT | O_TRUNC, "O_WRONLY|O_CREAT|O_TRUNC" },
	{ FR_FMT_OPEN_FLAGS, O_RDWR | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW,
	  "O_RDWR|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC" },
	{ FR_FMT_OPEN_FLAGS, O_WRONLY | O_SYNC, "O_WRONLY|O_SYNC" },
	{ FR_FMT_OPEN_FLAGS, O_DSYNC, "O_RDONLY|O_DSYNC" },
	{ FR_FMT_OPEN_FLAGS, O_RDWR | O_TMPFILE, "O_RDWR|O_TMPFILE" },
	{ FR_FMT_OPEN_FLAGS, O_PATH | O_NONBLOCK | O_APPEND | O_EXCL | O_NOCTTY,
	  "O_RDONLY|O_EXCL|O_NOCTTY|O_APPEND|O_NONBLOCK|O_PATH" },
	{ FR_FMT_OPEN_FLAGS, O_DIRECT | O_NOATIME | O_ASYNC, "O_RDONLY|O_ASYNC|O_DIRECT|O_NOATIME" },
	{ FR_FMT_OPEN_FLAGS, 0x80000000u, "O_RDONLY|0x80000000" },
	{ FR_FMT_OPEN_FLAGS, 3, "O_ACCMODE" },
	{ FR_FMT_PIPE_FLAGS, O_CLOEXEC | O_NONBLOCK, "O_NONBLOCK|O_CLOEXEC" },
	{ FR_FMT_PIPE_FLAGS, 0, "0" },
	{ FR_FMT_AT_FLAGS, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH" },
	{ FR_FMT_AT_FLAGS, AT_NO_AUTOMOUNT | AT_STATX_DONT_SYNC, "AT_NO_AUTOMOUNT|AT_STATX_DONT_SYNC" },
	{ FR_FMT_AT_FLAGS, 0, "0" },
	{ FR_FMT_UNLINKAT_FLAGS, AT_REMOVEDIR, "AT_REMOVEDIR" },
	{ FR_FMT_FACCESSAT_FLAGS, AT_EACCESS | AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW|AT_EACCESS" },
	{ FR_FMT_MMAP_PROT, PROT_NONE, "PROT_NONE" },
	{ FR_FMT_MMAP_PROT, PROT_READ | PROT_EXEC, "PROT_READ|PROT_EXEC" },
	{ FR_FMT_MMAP_FLAGS, MAP_SHARED | MAP_FIXED, "MAP_SHARED|MAP_FIXED" },
	{ FR_FMT_MMAP_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE,
	  "MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK" },
	{ FR_FMT_MMAP_FLAGS, MAP_PRIVATE | MAP_HUGETLB | (21 << 26), "MAP_PRIVATE|MAP_HUGETLB|MAP_HUGE_2MB" },
	{ FR_FMT_MMAP_FLAGS, MAP_SHARED_VALIDATE | MAP_SYNC | MAP_FIXED_NOREPLACE | MAP_POPULATE,
	  "MAP_SHARED_VALIDATE|MAP_POPULATE|MAP_SYNC|MAP_FIXED_NOREPLACE" },
	{ FR_FMT_SOCK_FAMILY, AF_INET6, "AF_INET6" },
	{ FR_FMT_SOCK_FAMILY, AF_NETLINK, "AF_NETLINK" },
	{ FR_FMT_SOCK_FAMILY, 200, "200" },
	{ FR_FMT_SOCK_TYPE, SOCK_DGRAM | SOCK_CLOEXEC, "SOCK_DGRAM|SOCK_CLOEXEC" },
	{ FR_FMT_SOCK_TYPE, SOCK_SEQPACKET, "SOCK_SEQPACKET" },
	{ FR_FMT_SOCK_FLAGS, SOCK_NONBLOCK | SOCK_CLOEXEC, "SOCK_NONBLOCK|SOCK_CLOEXEC" },
	{ FR_FMT_MSG_FLAGS, MSG_PEEK | MSG_DONTWAIT | MSG_NOSIGNAL, "MSG_PEEK|MSG_DONTWAIT|MSG_NOSIGNAL" },
	{ FR_FMT_MSG_FLAGS, MSG_WAITALL | MSG_CMSG_CLOEXEC, "MSG_WAITALL|MSG_CMSG_CLOEXEC" },
	{ FR_FMT_MSG_FLAGS, 0, "0" },
	{ FR_FMT_CLOCK_ID, CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
	{ FR_FMT_CLOCK_ID, CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
	{ FR_FMT_CLOCK_ID, CLOCK_TAI, "CLOCK_TAI" },
	{ FR_FMT_CLOCK_ID, (uint32_t)-6, "-6" }, /* a process CPU clock */
	{ FR_FMT_FUTEX_OP, 0, "FUTEX_WAIT" },
	{ FR_FMT_FUTEX_OP, 9 | 128 | 256, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME" },
	{ FR_FMT_FCNTL_CMD, F_SETLKW, "F_SETLKW" },
	{ FR_FMT_FCNTL_CMD, F_OFD_SETLK, "F_OFD_SETLK" },
	{ FR_FMT_FCNTL_CMD, F_GETPIPE_SZ, "F_GETPIPE_SZ" },
	{ FR_FMT_EPOLL_CTL_OP, EPOLL_CTL_MOD, "EPOLL_CTL_MOD" },
	{ FR_FMT_CLONE_FLAGS, CLONE_VM | CLONE_VFORK | SIGCHLD, "CLONE_VM|CLONE_VFORK|SIGCHLD" },
	{ FR_FMT_CLONE_FLAGS, 0, "0" },
	{ FR_FMT_CLONE_FLAGS, 17, "SIGCHLD" },
	{ FR_FMT_CLONE_FLAGS, CLONE_NEWPID | CLONE_NEWNET, "CLONE_NEWPID|CLONE_NEWNET" },
	{ FR_FMT_UNSHARE_FLAGS, CLONE_NEWNS | 0x80, "CLONE_NEWTIME|CLONE_NEWNS" },
	{ FR_FMT_WAIT_OPTIONS, WNOHANG | __WALL, "WNOHANG|__WALL" },
	{ FR_FMT_WAIT_OPTIONS, WEXITED | WNOWAIT, "WEXITED|WNOWAIT" },
	{ FR_FMT_SEEK_WHENCE, SEEK_END, "SEEK_END" },
	{ FR_FMT_SEEK_WHENCE, SEEK_HOLE, "SEEK_HOLE" },
	{ FR_FMT_SIGPROCMASK_HOW, SIG_SETMASK, "SIG_SETMASK" },
	{ FR_FMT_ACCESS_MODE, F_OK, "F_OK" },
	{ FR_FMT_ACCESS_MODE, R_OK | W_OK, "R_OK|W_OK" },
	{ FR_FMT_PRCTL_OPTION, 15, "PR_SET_NAME" },
	{ FR_FMT_PRCTL_OPTION, 38, "PR_SET_NO_NEW_PRIVS" },
	{ FR_FMT_ARCH_PRCTL_CODE, 0x1002, "ARCH_SET_FS" },
	{ FR_FMT_MADVISE_ADVICE, MADV_DONTNEED, "MADV_DONTNEED" },
	{ FR_FMT_MADVISE_ADVICE, MADV_FREE, "MADV_FREE" },
	{ FR_FMT_SHUTDOWN_HOW, SHUT_WR, "SHUT_WR" },
	{ FR_FMT_SOCKOPT_LEVEL, SOL_SOCKET, "SOL_SOCKET" },
	{ FR_FMT_SOCKOPT_LEVEL, 6, "SOL_TCP" },
	{ FR_FMT_EFD_FLAGS, 1 | 04000, "EFD_SEMAPHORE|EFD_NONBLOCK" },
	{ FR_FMT_GRND_FLAGS, 1, "GRND_NONBLOCK" },
	{ FR_FMT_RLIMIT_RESOURCE, RLIMIT_NOFILE, "RLIMIT_NOFILE" },
	{ FR_FMT_RLIMIT_RESOURCE, RLIMIT_STACK, "RLIMIT_STACK" },
	{ FR_FMT_POLL_EVENTS, POLLIN | POLLRDHUP, "POLLIN|POLLRDHUP" },
	{ FR_FMT_POLL_EVENTS, POLLERR | POLLHUP | POLLNVAL, "POLLERR|POLLHUP|POLLNVAL" },
	{ FR_FMT_EPOLL_EVENTS, EPOLLIN | EPOLLET, "EPOLLIN|EPOLLET" },
	{ FR_FMT_EPOLL_EVENTS, EPOLLOUT | EPOLLONESHOT | EPOLLEXCLUSIVE,
	  "EPOLLOUT|EPOLLEXCLUSIVE|EPOLLONESHOT" },
	{ FR_FMT_SA_FLAGS, 0x14000004, "SA_SIGINFO|SA_RESTORER|SA_RESTART" },
	{ FR_FMT_MREMAP_FLAGS, MREMAP_MAYMOVE, "MREMAP_MAYMOVE" },
	{ FR_FMT_MSYNC_FLAGS, MS_SYNC | MS_INVALIDATE, "MS_INVALIDATE|MS_SYNC" },
	{ FR_FMT_ITIMER_WHICH, ITIMER_PROF, "ITIMER_PROF" },
	{ FR_FMT_TIMER_FLAGS, TIMER_ABSTIME, "TIMER_ABSTIME" },
	{ FR_FMT_TFD_FLAGS, 02000000 | 04000, "TFD_NONBLOCK|TFD_CLOEXEC" },
	{ FR_FMT_TFD_TIMER_FLAGS, 3, "TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET" },
	{ FR_FMT_MFD_FLAGS, 3, "MFD_CLOEXEC|MFD_ALLOW_SEALING" },
	{ FR_FMT_STATX_MASK, 0x7ff, "STATX_BASIC_STATS" },
	{ FR_FMT_STATX_MASK, 0xfff, "STATX_BASIC_STATS|STATX_BTIME" },
	{ FR_FMT_STATX_MASK, 0x201, "STATX_TYPE|STATX_SIZE" },
	{ FR_FMT_RENAME_FLAGS, 1, "RENAME_NOREPLACE" },
	{ FR_FMT_XATTR_FLAGS, 2, "XATTR_REPLACE" },
	{ FR_FMT_FALLOC_FLAGS, 3, "FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE" },
	{ FR_FMT_SCHED_POLICY, 1 | 0x40000000, "SCHED_FIFO|SCHED_RESET_ON_FORK" },
	{ FR_FMT_SCHED_POLICY, 0, "SCHED_OTHER" },
	{ FR_FMT_MLOCKALL_FLAGS, MCL_CURRENT | MCL_FUTURE, "MCL_CURRENT|MCL_FUTURE" },
	{ FR_FMT_MLOCK_FLAGS, 1, "MLOCK_ONFAULT" },
	{ FR_FMT_FLOCK_OP, 2 | 4, "LOCK_EX|LOCK_NB" },
	{ FR_FMT_FADVISE_ADVICE, 4, "POSIX_FADV_DONTNEED" },
	{ FR_FMT_RUSAGE_WHO, (uint64_t)-1, "RUSAGE_CHILDREN" },
	{ FR_FMT_RUSAGE_WHO, 0xffffffffULL, "RUSAGE_CHILDREN" },
	{ FR_FMT_PTRACE_REQUEST, 0x4206, "PTRACE_SEIZE" },
	{ FR_FMT_SPLICE_FLAGS, 1 | 4, "SPLICE_F_MOVE|SPLICE_F_MORE" },
	{ FR_FMT_INOTIFY_MASK, 0x100 | 0x200 | 0x40000000, "IN_CREATE|IN_DELETE|IN_ISDIR" },
	{ FR_FMT_INOTIFY_INIT_FLAGS, 02000000, "IN_CLOEXEC" },
	{ FR_FMT_EPOLL_CREATE_FLAGS, 02000000, "EPOLL_CLOEXEC" },
	{ FR_FMT_SFD_FLAGS, 04000, "SFD_NONBLOCK" },
	{ FR_FMT_SECCOMP_OP, 1, "SECCOMP_SET_MODE_FILTER" },
	{ FR_FMT_RWF_FLAGS, 0x8 | 0x10, "RWF_NOWAIT|RWF_APPEND" },
	{ FR_FMT_CLOSE_RANGE_FLAGS, 4, "CLOSE_RANGE_CLOEXEC" },
	{ FR_FMT_IDTYPE, 3, "P_PIDFD" },
	{ FR_FMT_MEMBARRIER_CMD, 8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED" },
	{ FR_FMT_PRIO_WHICH, 2, "PRIO_USER" },
	{ FR_FMT_UMOUNT_FLAGS, 2, "MNT_DETACH" },
	{ FR_FMT_MOUNT_FLAGS, 4096 | 16384, "MS_BIND|MS_REC" },
	{ FR_FMT_MOUNT_FLAGS, 0xc0ed0000 | 1, "MS_MGC_VAL|MS_RDONLY" },
	{ FR_FMT_MOUNT_FLAGS, 0, "0" },
	{ FR_FMT_SOCKOPT_NAME, SO_REUSEADDR, "SO_REUSEADDR" },
	{ FR_FMT_SOCKOPT_NAME, SO_RCVTIMEO, "SO_RCVTIMEO" },
	{ FR_FMT_TCP_SOCKOPT_NAME, 3, "TCP_CORK" },
	{ FR_FMT_IOCTL_REQUEST, TCGETS, "TCGETS" },
	{ FR_FMT_IOCTL_REQUEST, TIOCGWINSZ, "TIOCGWINSZ" },
	{ FR_FMT_IOCTL_REQUEST, FIONREAD, "FIONREAD" },
	{ FR_FMT_IOCTL_REQUEST, 0x802c542a, "TCGETS2" },
	{ FR_FMT_IOCTL_REQUEST, 0xc0186201, "_IOC(_IOC_READ|_IOC_WRITE, 0x62, 0x1, 0x18)" },
	{ FR_FMT_IOCTL_REQUEST, 0xffffffff00005401ULL, "TCGETS" },
	{ FR_FMT_SIGNAL, 15, "SIGTERM" },
	{ FR_FMT_SIGNAL, 99, "99" },
	/* not a flag set: hex */
	{ FR_FMT_S_STAT, 16, "0x10" },
	{ FR_FMT_COUNT + 5, 16, "0x10" },
	{ FR_FMT_NONE, 0, "0" },
};

START_TEST(test_flag_cases)
{
	const struct flag_case *c = &flag_cases[_i];
	struct fr_sb sb;

	fr_sb_init(&sb);
	fr_print_flags(&sb, c->set, c->value);
	ck_assert_msg(!strcmp(fr_sb_str(&sb), c->want), "%s %#llx: '%s', expected '%s'",
		      fr_fmt_set_name(c->set) ? fr_fmt_set_name(c->set) : "?",
		      (unsigned long long)c->value, fr_sb_str(&sb), c->want);
	fr_sb_free(&sb);
}
END_TEST

/* Every set has a unique name, prints something for any value, and every
 * set the table uses is exercised above. */
START_TEST(test_every_set)
{
	static const uint64_t values[] = { 0, 1, 2, 0xff, 0x80000000, UINT64_MAX, 0x1234567890ULL };
	struct fr_sb sb;
	unsigned set, other, nr, i;

	fr_sb_init(&sb);
	for (set = 1; set < FR_FMT_COUNT; set++) {
		ck_assert_msg(fr_fmt_set_name(set), "set %u has no name", set);
		for (other = 1; other < set; other++)
			ck_assert_str_ne(fr_fmt_set_name(set), fr_fmt_set_name(other));
		for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			fr_sb_reset(&sb);
			fr_print_flags(&sb, set, values[i]);
			ck_assert_int_gt((int)sb.len, 0);
		}
	}
	ck_assert_ptr_null(fr_fmt_set_name(FR_FMT_COUNT));
	/* each flag/enum set the table names has a test case */
	for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
		const struct fr_syscall_desc *d = fr_syscall(nr);

		for (i = 0; d && i < d->nargs; i++) {
			unsigned f = d->args[i].fmt;
			size_t k;

			if (d->args[i].kind != FR_A_FLAGS && d->args[i].kind != FR_A_ENUM)
				continue;
			for (k = 0; k < sizeof(flag_cases) / sizeof(flag_cases[0]); k++)
				if (flag_cases[k].set == f)
					break;
			ck_assert_msg(k < sizeof(flag_cases) / sizeof(flag_cases[0]),
				      "%s uses set %s, which has no test case", d->name,
				      fr_fmt_set_name(f));
		}
	}
	ck_assert_str_eq(fr_fmt_value_name(FR_FMT_FCNTL_CMD, 4), "F_SETFL");
	ck_assert_str_eq(fr_fmt_value_name(FR_FMT_SIGNAL, 9), "SIGKILL");
	ck_assert_ptr_null(fr_fmt_value_name(FR_FMT_FCNTL_CMD, 4444));
	ck_assert_ptr_null(fr_fmt_value_name(FR_FMT_COUNT, 0));
	fr_sb_free(&sb);
}
END_TEST

/* ---- struct decoders on what the kernel wrote --------------------------------------- */

static const char *data_str(unsigned fmt, const void *d, size_t len, size_t full)
{
	struct fr_print_opts o = opts(32);
	struct fr_sb sb;

	fr_sb_init(&sb);
	fr_print_data(&sb, fmt, d, len, full, &o);
	snprintf(out, sizeof(out), "%s", fr_sb_str(&sb));
	fr_sb_free(&sb);
	return out;
}

/*
 * A decoder given fewer bytes than it needs prints them escaped, for every
 * length below the struct size (ASan checks it reads none beyond), and the
 * full bytes decode to `want`.
 */
static void check_decoder(unsigned fmt, const void *d, size_t size, const char *want)
{
	uint8_t *copy;
	size_t n;

	for (n = 0; n < size; n++) {
		copy = malloc(n ? n : 1); /* exact-size heap copies: overreads trip ASan */
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, d, n);
		ck_assert_msg(data_str(fmt, copy, n, size)[0] == '"', "%s at %zu bytes: %s",
			      fr_fmt_set_name(fmt), n, out);
		free(copy);
	}
	copy = malloc(size);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, d, size);
	ck_assert_msg(!strcmp(data_str(fmt, copy, size, size), want), "%s: '%s', expected '%s'",
		      fr_fmt_set_name(fmt), out, want);
	free(copy);
}

START_TEST(test_decoders_real_data)
{
	struct stat st;
	struct statx stx;
	struct utsname un;
	struct sysinfo si;
	struct rusage ru;
	struct timespec ts;
	struct tms tm;
	struct rlimit64 rl;
	char want[2048], tmp[256];

	ck_assert_int_eq(stat("/", &st), 0);
	ck_assert_int_eq((int)sizeof(st), 144);
	snprintf(want, sizeof(want), "{st_mode=S_IFDIR|%#03o, st_size=%lld, ...}",
		 st.st_mode & 07777, (long long)st.st_size);
	check_decoder(FR_FMT_S_STAT, &st, sizeof(st), want);

	ck_assert_int_eq(stat("/dev/null", &st), 0);
	snprintf(want, sizeof(want), "{st_mode=S_IFCHR|%#03o, st_rdev=makedev(%#x, %#x), ...}",
		 st.st_mode & 07777, major(st.st_rdev), minor(st.st_rdev));
	check_decoder(FR_FMT_S_STAT, &st, sizeof(st), want);

	ck_assert_int_eq(statx(AT_FDCWD, "/proc/self/exe", 0, STATX_BASIC_STATS, &stx), 0);
	ck_assert_int_eq((int)sizeof(stx), 256);
	ck_assert(S_ISREG(stx.stx_mode));
	snprintf(want, sizeof(want), "{stx_mask=%s, stx_attributes=%#llx, stx_mode=S_IFREG|%#03o, "
				     "stx_size=%llu, ...}",
		 "%s", (unsigned long long)stx.stx_attributes, stx.stx_mode & 07777,
		 (unsigned long long)stx.stx_size);
	{
		struct fr_sb sb;

		fr_sb_init(&sb);
		fr_print_flags(&sb, FR_FMT_STATX_MASK, stx.stx_mask);
		snprintf(tmp, sizeof(tmp), "%s", fr_sb_str(&sb));
		fr_sb_free(&sb);
	}
	{
		char w2[2048];

		snprintf(w2, sizeof(w2), want, tmp);
		check_decoder(FR_FMT_S_STATX, &stx, sizeof(stx), w2);
	}

	ck_assert_int_eq(uname(&un), 0);
	ck_assert_int_eq((int)sizeof(un), 390);
	snprintf(want, sizeof(want),
		 "{sysname=\"%s\", nodename=\"%s\", release=\"%s\", version=\"%s\", "
		 "machine=\"%s\", domainname=\"%s\"}",
		 un.sysname, un.nodename, un.release, un.version, un.machine, un.domainname);
	/* (uname fields of this machine have no characters that need escaping) */
	check_decoder(FR_FMT_S_UTSNAME, &un, sizeof(un), want);

	ck_assert_int_eq(sysinfo(&si), 0);
	ck_assert_int_eq((int)sizeof(si), 112);
	snprintf(want, sizeof(want),
		 "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, sharedram=%lu, "
		 "bufferram=%lu, totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, "
		 "freehigh=%lu, mem_unit=%u}",
		 si.uptime, si.loads[0], si.loads[1], si.loads[2], si.totalram, si.freeram,
		 si.sharedram, si.bufferram, si.totalswap, si.freeswap, si.procs, si.totalhigh,
		 si.freehigh, si.mem_unit);
	check_decoder(FR_FMT_S_SYSINFO, &si, sizeof(si), want);

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
	snprintf(want, sizeof(want),
		 "{ru_utime={tv_sec=%ld, tv_usec=%ld}, ru_stime={tv_sec=%ld, tv_usec=%ld}, "
		 "ru_maxrss=%ld, ru_minflt=%ld, ru_majflt=%ld, ru_inblock=%ld, ru_oublock=%ld, "
		 "ru_nvcsw=%ld, ru_nivcsw=%ld, ...}",
		 ru.ru_utime.tv_sec, ru.ru_utime.tv_usec, ru.ru_stime.tv_sec, ru.ru_stime.tv_usec,
		 ru.ru_maxrss, ru.ru_minflt, ru.ru_majflt, ru.ru_inblock, ru.ru_oublock, ru.ru_nvcsw,
		 ru.ru_nivcsw);
	check_decoder(FR_FMT_S_RUSAGE, &ru, sizeof(ru), want);

	ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	snprintf(want, sizeof(want), "{tv_sec=%ld, tv_nsec=%ld}", ts.tv_sec, ts.tv_nsec);
	check_decoder(FR_FMT_S_TIMESPEC, &ts, sizeof(ts), want);

	ck_assert(times(&tm) != (clock_t)-1);
	snprintf(want, sizeof(want), "{tms_utime=%ld, tms_stime=%ld, tms_cutime=%ld, tms_cstime=%ld}",
		 tm.tms_utime, tm.tms_stime, tm.tms_cutime, tm.tms_cstime);
	check_decoder(FR_FMT_S_TMS, &tm, sizeof(tm), want);

	ck_assert_int_eq(getrlimit64(RLIMIT_NOFILE, &rl), 0);
	snprintf(want, sizeof(want), "{rlim_cur=%llu, rlim_max=%llu}",
		 (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
	check_decoder(FR_FMT_S_RLIMIT, &rl, sizeof(rl), want);
	rl.rlim_cur = RLIM64_INFINITY;
	rl.rlim_max = RLIM64_INFINITY;
	check_decoder(FR_FMT_S_RLIMIT, &rl, sizeof(rl),
		      "{rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}");
}
END_TEST

/* A child's exit, through the kernel: wait4's status and waitid's siginfo. */
START_TEST(test_decoders_child)
{
	siginfo_t info;
	pid_t pid;
	int status;
	char want[512];

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(7);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	check_decoder(FR_FMT_S_WAIT_STATUS, &status, sizeof(status),
		      "[{WIFEXITED(s) && WEXITSTATUS(s) == 7}]");

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(3);
	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(waitid(P_PID, (id_t)pid, &info, WEXITED), 0);
	ck_assert_int_eq((int)sizeof(info), 128);
	snprintf(want, sizeof(want),
		 "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%d, si_uid=%u, si_status=3, "
		 "si_utime=%ld, si_stime=%ld}",
		 pid, getuid(), (long)info.si_utime, (long)info.si_stime);
	check_decoder(FR_FMT_S_SIGINFO, &info, sizeof(info), want);
	memset(&info, 0, sizeof(info));
	check_decoder(FR_FMT_S_SIGINFO, &info, sizeof(info), "{}");
}
END_TEST

START_TEST(test_decoders_synthetic)
{
	static const uint8_t tz[8] = { 0x88, 0xff, 0xff, 0xff, 1 };
	static const uint8_t its[32] = { 1, [16] = 2, [24] = 3 };
	static const uint8_t pair[32] = { [8] = 0xff, [9] = 0xff, [10] = 0xff, [11] = 0x3f, [16] = 5 };
	static const uint8_t stack[24] = { 0x00, 0x10, [8] = 2, [16] = 0x00, [17] = 0x20 };
	static const uint8_t clone_args[64] = { 0x00, 0x0f, 0x01, 0, [32] = 17, [40] = 0x00,
						[41] = 0x10, [48] = 0x00, [49] = 0x20 };
	static const uint8_t i64[8] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	check_decoder(FR_FMT_S_TIMEZONE, tz, sizeof(tz), "{tz_minuteswest=-120, tz_dsttime=1}");
	check_decoder(FR_FMT_S_ITIMERSPEC, its, sizeof(its),
		      "{it_interval={tv_sec=1, tv_nsec=0}, it_value={tv_sec=2, tv_nsec=3}}");
	check_decoder(FR_FMT_S_ITIMERVAL, its, sizeof(its),
		      "{it_interval={tv_sec=1, tv_usec=0}, it_value={tv_sec=2, tv_usec=3}}");
	check_decoder(FR_FMT_S_TIMESPEC_PAIR, pair, sizeof(pair), "[UTIME_NOW, {tv_sec=5, tv_nsec=0}]");
	check_decoder(FR_FMT_S_TIMEVAL_PAIR, its, sizeof(its),
		      "[{tv_sec=1, tv_usec=0}, {tv_sec=2, tv_usec=3}]");
	check_decoder(FR_FMT_S_UTIMBUF, its, 16, "{actime=1, modtime=0}");
	check_decoder(FR_FMT_S_STACK, stack, sizeof(stack),
		      "{ss_sp=0x1000, ss_flags=SS_DISABLE, ss_size=8192}");
	check_decoder(FR_FMT_S_CLONE_ARGS, clone_args, sizeof(clone_args),
		      "{flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD, "
		      "exit_signal=SIGCHLD, stack=0x1000, stack_size=0x2000, tls=0}");
	check_decoder(FR_FMT_S_INT64, i64, sizeof(i64), "[-2]");
	check_decoder(FR_FMT_S_FD_PAIR, fdpair, sizeof(fdpair), "[3, 4]");
	check_decoder(FR_FMT_S_EPOLL_EVENT, epev, sizeof(epev), "{events=EPOLLIN, data=0x7}");
	check_decoder(FR_FMT_S_SIGACTION, sigact_in, sizeof(sigact_in),
		      "{sa_handler=0x401000, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, "
		      "sa_restorer=0x7f00}");
	check_decoder(FR_FMT_S_OPEN_HOW, open_how, sizeof(open_how),
		      "{flags=O_RDONLY|O_CLOEXEC, mode=000, resolve=RESOLVE_BENEATH}");
	/* a truncated payload keeps its "..." after the decoded part */
	ck_assert_str_eq(data_str(FR_FMT_S_TIMESPEC, ts_12, 16, 32), "{tv_sec=12, tv_nsec=345}...");
	/* socket option values: an int, else bytes */
	ck_assert_str_eq(data_str(FR_FMT_S_SOCKOPT, int111, 4, 4), "[111]");
	ck_assert_str_eq(data_str(FR_FMT_S_SOCKOPT, "ab", 2, 2), "\"ab\"");
	ck_assert_str_eq(data_str(FR_FMT_S_RAW, "ab", 2, 2), "\"ab\"");
}
END_TEST

/* Directory records and sockaddrs take any length: every prefix of a
 * valid buffer is handled without reading past it. */
START_TEST(test_variable_decoders)
{
	static const uint8_t nl[12] = { 16, 0, 0, 0, 0x39, 0x30, 0, 0, 1, 0, 0, 0 };
	size_t n;

	for (n = 0; n <= sizeof(dirents); n++) {
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, dirents, n);
		ck_assert_ptr_nonnull(data_str(FR_FMT_S_DIRENT64, copy, n, sizeof(dirents)));
		free(copy);
	}
	ck_assert_str_eq(data_str(FR_FMT_S_DIRENT64, dirents, 30, 56),
			 "[{d_ino=2, d_type=DT_DIR, d_name=\".\"}, /* 6 bytes unparsed */]...");
	for (n = 0; n <= sizeof(sin6_443); n++) {
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, sin6_443, n);
		ck_assert_ptr_nonnull(data_str(FR_FMT_S_SOCKADDR, copy, n, n));
		free(copy);
	}
	ck_assert_str_eq(data_str(FR_FMT_S_SOCKADDR, sin_80, 4, 16),
			 "{sa_family=AF_INET, sa_data=\"\\0P\"}...");
	ck_assert_str_eq(data_str(FR_FMT_S_SOCKADDR, nl, 12, 12),
			 "{sa_family=AF_NETLINK, nl_pid=12345, nl_groups=00000001}");
	ck_assert_str_eq(data_str(FR_FMT_S_SOCKADDR, "\1\0", 2, 2), "{sa_family=AF_UNIX}");
	ck_assert_str_eq(data_str(FR_FMT_S_SOCKADDR, "\x2a\0xy", 4, 4),
			 "{sa_family=AF_QIPCRTR, sa_data=\"xy\"}");
}
END_TEST

START_TEST(test_fdinfo)
{
	static const struct {
		struct fr_fdinfo fi;
		const char *want;
	} cases[] = {
		{ { .ino = 7, .type = FR_FD_PIPE }, "<pipe:[7]>" },
		{ { .ino = 1, .dev = (253u << 20) | 3, .type = FR_FD_DIR }, "<dir:[253:3/1]>" },
		{ { .ino = 6, .dev = 5, .type = FR_FD_CHR }, "<chr:[0:5/6]>" },
		{ { .ino = 9, .type = FR_FD_BLK, .dev = 8u << 20 }, "<blk:[8:0/9]>" },
		{ { .ino = 10, .type = FR_FD_SOCKET }, "<socket:[10]>" },
		{ { .ino = 3, .type = 77 }, "<?:[3]>" },
	};
	struct fr_sb sb;
	size_t i;

	fr_sb_init(&sb);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fr_sb_reset(&sb);
		fr_print_fdinfo(&sb, &cases[i].fi);
		ck_assert_str_eq(fr_sb_str(&sb), cases[i].want);
	}
	fr_sb_reset(&sb);
	fr_print_tuple(&sb, &fi_udp.tuple);
	ck_assert_str_eq(fr_sb_str(&sb), "127.0.0.1:3000->127.0.0.53:53");
	fr_sb_free(&sb);
}
END_TEST

/* An FDINFO payload too short for its struct is ignored, not read past. */
START_TEST(test_hostile_payloads)
{
	static const uint64_t a[6] = { 3, 0x1000, 4 };
	static uint8_t junk[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct pl pls[] = { { FR_PL_FDINFO, 0, 0, 0, junk, 8, 8 }, PL_END };
	struct fr_event ev;
	unsigned nr;

	build_syscall(&ev, "write", 4, a, 0, pls);
	ck_assert_str_eq(details(&ev, 0), "write(3, 0x1000, 4) = 4");
	/* every syscall with every argument given 8 bytes of 0xff as in and out
	 * data: nothing may read past them */
	for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
		const struct fr_syscall_desc *d = fr_syscall(nr);
		uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };
		struct fr_event e;
		unsigned i;

		if (!d)
			continue;
		memset(&e, 0, sizeof(e));
		e.type = FR_EV_SYSCALL;
		e.u.sc.nr = nr;
		e.u.sc.ret = 1;
		for (i = 0; i < 6; i++) {
			e.u.sc.args[i] = args[i];
			e.payloads[e.n_payloads++] =
				(struct fr_payload){ FR_PL_IN, (uint8_t)i, 0, 0, 8, 8, junk };
			e.payloads[e.n_payloads++] =
				(struct fr_payload){ FR_PL_OUT, (uint8_t)i, 0, 0, 8, 8, junk };
		}
		ck_assert_msg(!strncmp(details(&e, 0), d->name, strlen(d->name)), "%s: %s", d->name,
			      out);
		json_decref(to_json(&e));
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("print");
	TCase *tc = tcase_create("print");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_text_cases, 0,
			    (int)(sizeof(text_cases) / sizeof(text_cases[0])));
	tcase_add_test(tc, test_full_line);
	tcase_add_test(tc, test_other_events);
	tcase_add_test(tc, test_json_syscall);
	tcase_add_test(tc, test_json_other);
	tcase_add_test(tc, test_escape_every_byte);
	tcase_add_test(tc, test_strsize_limits);
	tcase_add_test(tc, test_errno_names);
	tcase_add_test(tc, test_signal_names);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_exit_status);
	tcase_add_loop_test(tc, test_flag_cases, 0,
			    (int)(sizeof(flag_cases) / sizeof(flag_cases[0])));
	tcase_add_test(tc, test_every_set);
	tcase_add_test(tc, test_decoders_real_data);
	tcase_add_test(tc, test_decoders_child);
	tcase_add_test(tc, test_decoders_synthetic);
	tcase_add_test(tc, test_variable_decoders);
	tcase_add_test(tc, test_fdinfo);
	tcase_add_test(tc, test_hostile_payloads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
