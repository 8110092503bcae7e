// SPDX-License-Identifier: MIT
/*
 * names.c: the name tables `flightrec events` prints with: errno values,
 * signals, si_code values, every flag and value set of enum fr_fmt_set, TCP
 * states, task states, softirq vectors.
 *
 * Values are those of Linux on x86-64, written out here rather than taken
 * from the build machine's headers: a bundle recorded on x86-64 must decode
 * the same on a laptop whose headers are older or of another architecture
 * (O_DIRECTORY, for one, differs on arm64).  tests/unit/test_print.c checks
 * them against this machine's headers where those have them.  Errno and
 * signal names and texts come from glibc (strerrorname_np, strerrordesc_np,
 * sigabbrev_np); the kernel-internal errno values a tracer sees (512..531)
 * are added here because glibc does not know them.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/print.h"
#include "formats/print_impl.h"
#include "formats/syscalls.h"

/* ---- errno ------------------------------------------------------------------ */

/* Kernel-internal values (include/linux/errno.h): never returned to a
 * program, but a tracer sees them at syscall exit when a call is interrupted
 * and will be restarted, and in a few NFS paths. */
/* clang-format off */
static const struct {
	int err;
	const char *name;
	const char *text;
} kernel_errnos[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 515, "ENOIOCTLCMD", "No ioctl command" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
	{ 517, "EPROBE_DEFER", "Driver requests probe retry" },
	{ 518, "EOPENSTALE", "Open found a stale dentry" },
	{ 519, "ENOPARAM", "Parameter not supported" },
	{ 521, "EBADHANDLE", "Illegal NFS file handle" },
	{ 522, "ENOTSYNC", "Update synchronization mismatch" },
	{ 523, "EBADCOOKIE", "Cookie is stale" },
	{ 524, "ENOTSUPP", "Operation is not supported" },
	{ 525, "ETOOSMALL", "Buffer or request is too small" },
	{ 526, "ESERVERFAULT", "An untranslatable error occurred" },
	{ 527, "EBADTYPE", "Type not supported by server" },
	{ 528, "EJUKEBOX", "Request initiated, but will not complete before timeout" },
	{ 529, "EIOCBQUEUED", "iocb queued, will get completion event" },
	{ 530, "ERECALLCONFLICT", "Conflict with recalled state" },
	{ 531, "ENOGRACE", "NFS file lock reclaim refused" },
};

/* Names that are a second spelling of a value glibc names otherwise. */
static const struct {
	const char *name;
	int err;
} errno_aliases[] = {
	{ "EWOULDBLOCK", 11 },
	{ "EDEADLOCK", 35 },
	{ "ENOTSUP", 95 },
};

/* clang-format on */

/* Largest errno glibc may name; Linux uses 1..133 today. */
#define ERRNO_SCAN_MAX 300

const char *fr_errno_name(int err)
{
	size_t i;

	if (err <= 0)
		return NULL;
	if (err < ERRNO_SCAN_MAX)
		return strerrorname_np(err);
	for (i = 0; i < FR_ARRAY_SIZE(kernel_errnos); i++)
		if (kernel_errnos[i].err == err)
			return kernel_errnos[i].name;
	return NULL;
}

const char *fr_errno_text(int err)
{
	size_t i;

	if (err <= 0)
		return NULL;
	if (err < ERRNO_SCAN_MAX)
		return strerrordesc_np(err);
	for (i = 0; i < FR_ARRAY_SIZE(kernel_errnos); i++)
		if (kernel_errnos[i].err == err)
			return kernel_errnos[i].text;
	return NULL;
}

int fr_errno_by_name(const char *name)
{
	const char *n;
	size_t i;
	int e;

	if (!name)
		return -1;
	for (e = 1; e < ERRNO_SCAN_MAX; e++) {
		n = strerrorname_np(e);
		if (n && !strcasecmp(n, name))
			return e;
	}
	for (i = 0; i < FR_ARRAY_SIZE(kernel_errnos); i++)
		if (!strcasecmp(kernel_errnos[i].name, name))
			return kernel_errnos[i].err;
	for (i = 0; i < FR_ARRAY_SIZE(errno_aliases); i++)
		if (!strcasecmp(errno_aliases[i].name, name))
			return errno_aliases[i].err;
	return -1;
}

/* ---- signals ---------------------------------------------------------------- */

#define FR_NSIG 65 /* signals 1..64 */

static char sig_names[FR_NSIG][16];
static pthread_once_t sig_once = PTHREAD_ONCE_INIT;

/* Built once from glibc's abbreviations.  Real-time signals are named from
 * the kernel's SIGRTMIN (32) as strace does: SIGRTMIN, SIGRT_1 .. SIGRT_32;
 * glibc's own SIGRTMIN (34) is a libc convention a trace cannot know. */
static void sig_init(void)
{
	const char *a;
	int s;

	for (s = 1; s < FR_NSIG; s++) {
		a = sigabbrev_np(s);
		if (s == 29)
			a = "IO"; /* glibc says POLL; the kernel and strace say SIGIO */
		if (a)
			snprintf(sig_names[s], sizeof(sig_names[s]), "SIG%s", a);
		else if (s == 32)
			snprintf(sig_names[s], sizeof(sig_names[s]), "SIGRTMIN");
		else if (s > 32)
			snprintf(sig_names[s], sizeof(sig_names[s]), "SIGRT_%d", s - 32);
	}
}

const char *fr_signal_name(int sig)
{
	if (sig <= 0 || sig >= FR_NSIG)
		return NULL;
	pthread_once(&sig_once, sig_init);
	return sig_names[sig][0] ? sig_names[sig] : NULL;
}

int fr_signal_by_name(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} aliases[] = {
	    {"IOT", 6}, {"CLD", 17}, {"POLL", 29}, {"UNUSED", 31}, {"RTMAX", 64},
	};
	const char *n;
	char *end;
	long v;
	size_t i;
	int s;

	if (!name)
		return -1;
	n = !strncasecmp(name, "SIG", 3) ? name + 3 : name;
	if (!*n)
		return -1;
	pthread_once(&sig_once, sig_init);
	for (s = 1; s < FR_NSIG; s++)
		if (sig_names[s][0] && !strcasecmp(sig_names[s] + 3, n))
			return s;
	for (i = 0; i < FR_ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(aliases[i].name, n))
			return aliases[i].sig;
	/* SIGRTMIN+N, as kill(1) writes it */
	if (!strncasecmp(n, "RTMIN+", 6)) {
		v = strtol(n + 6, &end, 10);
		if (end != n + 6 && !*end && v >= 0 && v <= 32)
			return 32 + (int)v;
	}
	return -1;
}

void fr_print_signal(struct fr_sb *sb, int sig)
{
	const char *n = fr_signal_name(sig);

	if (n)
		fr_sb_puts(sb, n);
	else
		fr_sb_printf(sb, "%d", sig);
}

/* clang-format off */
/* si_code values: the generic ones (negative, SI_USER, SI_KERNEL) and the
 * per-signal ones of the signals the kernel raises itself. */
static const struct fr_name si_generic[] = {
	{ 0, "SI_USER" }, { 0x80, "SI_KERNEL" }, { (uint32_t)-1, "SI_QUEUE" },
	{ (uint32_t)-2, "SI_TIMER" }, { (uint32_t)-3, "SI_MESGQ" }, { (uint32_t)-4, "SI_ASYNCIO" },
	{ (uint32_t)-5, "SI_SIGIO" }, { (uint32_t)-6, "SI_TKILL" }, { (uint32_t)-7, "SI_DETHREAD" },
	{ (uint32_t)-60, "SI_ASYNCNL" },
};
static const struct fr_name si_segv[] = {
	{ 1, "SEGV_MAPERR" }, { 2, "SEGV_ACCERR" }, { 3, "SEGV_BNDERR" }, { 4, "SEGV_PKUERR" },
	{ 5, "SEGV_ACCADI" }, { 6, "SEGV_ADIDERR" }, { 7, "SEGV_ADIPERR" }, { 8, "SEGV_MTEAERR" },
	{ 9, "SEGV_MTESERR" }, { 10, "SEGV_CPERR" },
};
static const struct fr_name si_bus[] = {
	{ 1, "BUS_ADRALN" }, { 2, "BUS_ADRERR" }, { 3, "BUS_OBJERR" }, { 4, "BUS_MCEERR_AR" },
	{ 5, "BUS_MCEERR_AO" },
};
static const struct fr_name si_chld[] = {
	{ 1, "CLD_EXITED" }, { 2, "CLD_KILLED" }, { 3, "CLD_DUMPED" }, { 4, "CLD_TRAPPED" },
	{ 5, "CLD_STOPPED" }, { 6, "CLD_CONTINUED" },
};
static const struct fr_name si_ill[] = {
	{ 1, "ILL_ILLOPC" }, { 2, "ILL_ILLOPN" }, { 3, "ILL_ILLADR" }, { 4, "ILL_ILLTRP" },
	{ 5, "ILL_PRVOPC" }, { 6, "ILL_PRVREG" }, { 7, "ILL_COPROC" }, { 8, "ILL_BADSTK" },
	{ 9, "ILL_BADIADDR" },
};
static const struct fr_name si_fpe[] = {
	{ 1, "FPE_INTDIV" }, { 2, "FPE_INTOVF" }, { 3, "FPE_FLTDIV" }, { 4, "FPE_FLTOVF" },
	{ 5, "FPE_FLTUND" }, { 6, "FPE_FLTRES" }, { 7, "FPE_FLTINV" }, { 8, "FPE_FLTSUB" },
	{ 14, "FPE_FLTUNK" }, { 15, "FPE_CONDTRAP" },
};
static const struct fr_name si_trap[] = {
	{ 1, "TRAP_BRKPT" }, { 2, "TRAP_TRACE" }, { 3, "TRAP_BRANCH" }, { 4, "TRAP_HWBKPT" },
	{ 5, "TRAP_UNK" }, { 6, "TRAP_PERF" },
};
static const struct fr_name si_poll[] = {
	{ 1, "POLL_IN" }, { 2, "POLL_OUT" }, { 3, "POLL_MSG" }, { 4, "POLL_ERR" },
	{ 5, "POLL_PRI" }, { 6, "POLL_HUP" },
};
static const struct fr_name si_sys[] = { { 1, "SYS_SECCOMP" }, { 2, "SYS_USER_DISPATCH" } };

/* clang-format on */

static const char *lookup(const struct fr_name *t, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

#define LOOKUP(t, v) lookup(t, FR_ARRAY_SIZE(t), v)

const char *fr_name_lookup(const struct fr_name *t, size_t n, uint64_t v)
{
	return lookup(t, n, v);
}

const char *fr_si_code_name(int sig, int code)
{
	if (code <= 0 || code == 0x80)
		return LOOKUP(si_generic, (uint32_t)code);
	switch (sig) {
	case 11:
		return LOOKUP(si_segv, (uint64_t)code);
	case 7:
		return LOOKUP(si_bus, (uint64_t)code);
	case 17:
		return LOOKUP(si_chld, (uint64_t)code);
	case 4:
		return LOOKUP(si_ill, (uint64_t)code);
	case 8:
		return LOOKUP(si_fpe, (uint64_t)code);
	case 5:
		return LOOKUP(si_trap, (uint64_t)code);
	case 29:
		return LOOKUP(si_poll, (uint64_t)code);
	case 31:
		return LOOKUP(si_sys, (uint64_t)code);
	default:
		return NULL;
	}
}

void fr_print_exit_status(struct fr_sb *sb, int status)
{
	int sig = status & 0x7f;

	if (sig == 0) {
		fr_sb_printf(sb, "exit %d", (status >> 8) & 0xff);
	} else if (sig == 0x7f) {
		fr_sb_puts(sb, "stopped by ");
		fr_print_signal(sb, (status >> 8) & 0xff);
	} else {
		fr_sb_puts(sb, "killed by ");
		fr_print_signal(sb, sig);
		if (status & 0x80)
			fr_sb_puts(sb, " (core dumped)");
	}
}

/* ---- scheduler, network ----------------------------------------------------- */

const char *fr_tcp_state_name(int state)
{
	/* clang-format off */
	static const char *const names[] = {
		[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV", [4] = "FIN_WAIT1",
		[5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE", [8] = "CLOSE_WAIT",
		[9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING", [12] = "NEW_SYN_RECV",
		[13] = "BOUND_INACTIVE",
	};
	/* clang-format on */

	return state > 0 && (size_t)state < FR_ARRAY_SIZE(names) ? names[state] : NULL;
}

const char *fr_softirq_name(unsigned vec)
{
	static const char *const names[] = {
	    "HI",	"TIMER",   "NET_TX", "NET_RX",	"BLOCK",
	    "IRQ_POLL", "TASKLET", "SCHED",  "HRTIMER", "RCU",
	};

	return vec < FR_ARRAY_SIZE(names) ? names[vec] : NULL;
}

/*
 * prev_state of sched_switch: the task's __state bits (include/linux/sched.h).
 * 0 is a task switched out while runnable: preempted, "R+" as perf prints it.
 * Composite states print as the letter ps(1) uses: TASK_IDLE (D|NOLOAD) is
 * "I", TASK_KILLABLE (D|WAKEKILL) is "D", TASK_STOPPED (T|WAKEKILL) is "T".
 * Other bits print one letter each, joined by '|'.
 */
void fr_print_task_state(struct fr_sb *sb, int64_t state)
{
	static const struct {
		uint64_t bit;
		const char *letter;
	} bits[] = {
	    /* clang-format off */
		{ 0x1, "S" }, { 0x2, "D" }, { 0x4, "T" }, { 0x8, "t" }, { 0x10, "X" },
		{ 0x20, "Z" }, { 0x40, "P" }, { 0x80, "x" }, { 0x100, "K" }, { 0x200, "W" },
		{ 0x400, "N" }, { 0x800, "n" },
	    /* clang-format on */
	};
	uint64_t s = (uint64_t)state;
	bool first = true;
	size_t i;

	if (s == 0) {
		fr_sb_puts(sb, "R+");
		return;
	}
	if ((s & 0x402) == 0x402) {
		fr_sb_puts(sb, "I");
		s &= ~UINT64_C(0x402);
		first = false;
	}
	if ((s & 0x102) == 0x102)
		s &= ~UINT64_C(0x100); /* killable sleep: D */
	if ((s & 0x104) == 0x104)
		s &= ~UINT64_C(0x100); /* stopped: T */
	for (i = 0; i < FR_ARRAY_SIZE(bits); i++) {
		if (!(s & bits[i].bit))
			continue;
		if (!first)
			fr_sb_putc(sb, '|');
		fr_sb_puts(sb, bits[i].letter);
		s &= ~bits[i].bit;
		first = false;
	}
	if (s)
		fr_sb_printf(sb, "%s%#" PRIx64, first ? "" : "|", s);
}

/* ---- flag and value sets (enum fr_fmt_set) ----------------------------------- */

/* clang-format off */
#define N(v, n) { (uint64_t)(v), n }

/* File status flags; the access mode (low two bits) is printed first.
 * Multi-bit flags come before the bits they include. */
static const struct fr_name open_flags[] = {
	N(04010000, "O_SYNC"), N(020200000, "O_TMPFILE"),
	N(0100, "O_CREAT"), N(0200, "O_EXCL"), N(0400, "O_NOCTTY"), N(01000, "O_TRUNC"),
	N(02000, "O_APPEND"), N(04000, "O_NONBLOCK"), N(010000, "O_DSYNC"), N(020000, "O_ASYNC"),
	N(040000, "O_DIRECT"), N(0100000, "O_LARGEFILE"), N(0200000, "O_DIRECTORY"),
	N(0400000, "O_NOFOLLOW"), N(01000000, "O_NOATIME"), N(02000000, "O_CLOEXEC"),
	N(010000000, "O_PATH"),
};
static const struct fr_name at_flags[] = {
	N(0x100, "AT_SYMLINK_NOFOLLOW"), N(0x400, "AT_SYMLINK_FOLLOW"),
	N(0x800, "AT_NO_AUTOMOUNT"), N(0x1000, "AT_EMPTY_PATH"), N(0x2000, "AT_STATX_FORCE_SYNC"),
	N(0x4000, "AT_STATX_DONT_SYNC"), N(0x8000, "AT_RECURSIVE"),
};
static const struct fr_name unlinkat_flags[] = { N(0x200, "AT_REMOVEDIR") };
static const struct fr_name faccessat_flags[] = {
	N(0x100, "AT_SYMLINK_NOFOLLOW"), N(0x200, "AT_EACCESS"), N(0x1000, "AT_EMPTY_PATH"),
};
static const struct fr_name mmap_prot[] = {
	N(0, "PROT_NONE"), N(1, "PROT_READ"), N(2, "PROT_WRITE"), N(4, "PROT_EXEC"),
	N(8, "PROT_SEM"), N(0x01000000, "PROT_GROWSDOWN"), N(0x02000000, "PROT_GROWSUP"),
};
static const struct fr_name mmap_types[] = {
	N(1, "MAP_SHARED"), N(2, "MAP_PRIVATE"), N(3, "MAP_SHARED_VALIDATE"), N(8, "MAP_DROPPABLE"),
};
static const struct fr_name mmap_flags[] = {
	N(0x10, "MAP_FIXED"), N(0x20, "MAP_ANONYMOUS"), N(0x40, "MAP_32BIT"),
	N(0x100, "MAP_GROWSDOWN"), N(0x800, "MAP_DENYWRITE"), N(0x1000, "MAP_EXECUTABLE"),
	N(0x2000, "MAP_LOCKED"), N(0x4000, "MAP_NORESERVE"), N(0x8000, "MAP_POPULATE"),
	N(0x10000, "MAP_NONBLOCK"), N(0x20000, "MAP_STACK"), N(0x40000, "MAP_HUGETLB"),
	N(0x80000, "MAP_SYNC"), N(0x100000, "MAP_FIXED_NOREPLACE"),
	N(0x4000000, "MAP_UNINITIALIZED"),
};
static const struct fr_name sock_family[] = {
	N(0, "AF_UNSPEC"), N(1, "AF_UNIX"), N(2, "AF_INET"), N(3, "AF_AX25"), N(4, "AF_IPX"),
	N(5, "AF_APPLETALK"), N(6, "AF_NETROM"), N(7, "AF_BRIDGE"), N(8, "AF_ATMPVC"),
	N(9, "AF_X25"), N(10, "AF_INET6"), N(11, "AF_ROSE"), N(12, "AF_DECnet"),
	N(13, "AF_NETBEUI"), N(14, "AF_SECURITY"), N(15, "AF_KEY"), N(16, "AF_NETLINK"),
	N(17, "AF_PACKET"), N(18, "AF_ASH"), N(19, "AF_ECONET"), N(20, "AF_ATMSVC"),
	N(21, "AF_RDS"), N(22, "AF_SNA"), N(23, "AF_IRDA"), N(24, "AF_PPPOX"),
	N(25, "AF_WANPIPE"), N(26, "AF_LLC"), N(27, "AF_IB"), N(28, "AF_MPLS"), N(29, "AF_CAN"),
	N(30, "AF_TIPC"), N(31, "AF_BLUETOOTH"), N(32, "AF_IUCV"), N(33, "AF_RXRPC"),
	N(34, "AF_ISDN"), N(35, "AF_PHONET"), N(36, "AF_IEEE802154"), N(37, "AF_CAIF"),
	N(38, "AF_ALG"), N(39, "AF_NFC"), N(40, "AF_VSOCK"), N(41, "AF_KCM"),
	N(42, "AF_QIPCRTR"), N(43, "AF_SMC"), N(44, "AF_XDP"), N(45, "AF_MCTP"),
};
static const struct fr_name sock_types[] = {
	N(1, "SOCK_STREAM"), N(2, "SOCK_DGRAM"), N(3, "SOCK_RAW"), N(4, "SOCK_RDM"),
	N(5, "SOCK_SEQPACKET"), N(6, "SOCK_DCCP"), N(10, "SOCK_PACKET"),
};
static const struct fr_name sock_flags[] = {
	N(04000, "SOCK_NONBLOCK"), N(02000000, "SOCK_CLOEXEC"),
};
static const struct fr_name msg_flags[] = {
	N(0x1, "MSG_OOB"), N(0x2, "MSG_PEEK"), N(0x4, "MSG_DONTROUTE"), N(0x8, "MSG_CTRUNC"),
	N(0x10, "MSG_PROXY"), N(0x20, "MSG_TRUNC"), N(0x40, "MSG_DONTWAIT"), N(0x80, "MSG_EOR"),
	N(0x100, "MSG_WAITALL"), N(0x200, "MSG_FIN"), N(0x400, "MSG_SYN"),
	N(0x800, "MSG_CONFIRM"), N(0x1000, "MSG_RST"), N(0x2000, "MSG_ERRQUEUE"),
	N(0x4000, "MSG_NOSIGNAL"), N(0x8000, "MSG_MORE"), N(0x10000, "MSG_WAITFORONE"),
	N(0x40000, "MSG_BATCH"), N(0x2000000, "MSG_SOCK_DEVMEM"), N(0x4000000, "MSG_ZEROCOPY"),
	N(0x20000000, "MSG_FASTOPEN"), N(0x40000000, "MSG_CMSG_CLOEXEC"),
};
static const struct fr_name clock_ids[] = {
	N(0, "CLOCK_REALTIME"), N(1, "CLOCK_MONOTONIC"), N(2, "CLOCK_PROCESS_CPUTIME_ID"),
	N(3, "CLOCK_THREAD_CPUTIME_ID"), N(4, "CLOCK_MONOTONIC_RAW"),
	N(5, "CLOCK_REALTIME_COARSE"), N(6, "CLOCK_MONOTONIC_COARSE"), N(7, "CLOCK_BOOTTIME"),
	N(8, "CLOCK_REALTIME_ALARM"), N(9, "CLOCK_BOOTTIME_ALARM"), N(11, "CLOCK_TAI"),
};
static const struct fr_name futex_cmds[] = {
	N(0, "FUTEX_WAIT"), N(1, "FUTEX_WAKE"), N(2, "FUTEX_FD"), N(3, "FUTEX_REQUEUE"),
	N(4, "FUTEX_CMP_REQUEUE"), N(5, "FUTEX_WAKE_OP"), N(6, "FUTEX_LOCK_PI"),
	N(7, "FUTEX_UNLOCK_PI"), N(8, "FUTEX_TRYLOCK_PI"), N(9, "FUTEX_WAIT_BITSET"),
	N(10, "FUTEX_WAKE_BITSET"), N(11, "FUTEX_WAIT_REQUEUE_PI"),
	N(12, "FUTEX_CMP_REQUEUE_PI"), N(13, "FUTEX_LOCK_PI2"),
};
static const struct fr_name fcntl_cmds[] = {
	N(0, "F_DUPFD"), N(1, "F_GETFD"), N(2, "F_SETFD"), N(3, "F_GETFL"), N(4, "F_SETFL"),
	N(5, "F_GETLK"), N(6, "F_SETLK"), N(7, "F_SETLKW"), N(8, "F_SETOWN"), N(9, "F_GETOWN"),
	N(10, "F_SETSIG"), N(11, "F_GETSIG"), N(15, "F_SETOWN_EX"), N(16, "F_GETOWN_EX"),
	N(17, "F_GETOWNER_UIDS"), N(36, "F_OFD_GETLK"), N(37, "F_OFD_SETLK"),
	N(38, "F_OFD_SETLKW"), N(1024, "F_SETLEASE"), N(1025, "F_GETLEASE"),
	N(1026, "F_NOTIFY"), N(1027, "F_DUPFD_QUERY"), N(1028, "F_CREATED_QUERY"),
	N(1030, "F_DUPFD_CLOEXEC"), N(1031, "F_SETPIPE_SZ"), N(1032, "F_GETPIPE_SZ"),
	N(1033, "F_ADD_SEALS"), N(1034, "F_GET_SEALS"), N(1035, "F_GET_RW_HINT"),
	N(1036, "F_SET_RW_HINT"), N(1037, "F_GET_FILE_RW_HINT"), N(1038, "F_SET_FILE_RW_HINT"),
};
static const struct fr_name epoll_ctl_ops[] = {
	N(1, "EPOLL_CTL_ADD"), N(2, "EPOLL_CTL_DEL"), N(3, "EPOLL_CTL_MOD"),
};
/* The low byte (CSIGNAL) is the exit signal for clone(2); printed apart. */
static const struct fr_name clone_flags[] = {
	N(0x100, "CLONE_VM"), N(0x200, "CLONE_FS"), N(0x400, "CLONE_FILES"),
	N(0x800, "CLONE_SIGHAND"), N(0x1000, "CLONE_PIDFD"), N(0x2000, "CLONE_PTRACE"),
	N(0x4000, "CLONE_VFORK"), N(0x8000, "CLONE_PARENT"), N(0x10000, "CLONE_THREAD"),
	N(0x20000, "CLONE_NEWNS"), N(0x40000, "CLONE_SYSVSEM"), N(0x80000, "CLONE_SETTLS"),
	N(0x100000, "CLONE_PARENT_SETTID"), N(0x200000, "CLONE_CHILD_CLEARTID"),
	N(0x400000, "CLONE_DETACHED"), N(0x800000, "CLONE_UNTRACED"),
	N(0x1000000, "CLONE_CHILD_SETTID"), N(0x2000000, "CLONE_NEWCGROUP"),
	N(0x4000000, "CLONE_NEWUTS"), N(0x8000000, "CLONE_NEWIPC"),
	N(0x10000000, "CLONE_NEWUSER"), N(0x20000000, "CLONE_NEWPID"),
	N(0x40000000, "CLONE_NEWNET"), N(0x80000000, "CLONE_IO"),
	N(0x100000000ULL, "CLONE_CLEAR_SIGHAND"), N(0x200000000ULL, "CLONE_INTO_CGROUP"),
};
/* unshare(2) and setns(2): CLONE_NEWTIME sits in the low byte there. */
static const struct fr_name unshare_flags[] = {
	N(0x80, "CLONE_NEWTIME"), N(0x200, "CLONE_FS"), N(0x400, "CLONE_FILES"),
	N(0x800, "CLONE_SIGHAND"), N(0x100, "CLONE_VM"), N(0x10000, "CLONE_THREAD"),
	N(0x20000, "CLONE_NEWNS"), N(0x40000, "CLONE_SYSVSEM"), N(0x2000000, "CLONE_NEWCGROUP"),
	N(0x4000000, "CLONE_NEWUTS"), N(0x8000000, "CLONE_NEWIPC"),
	N(0x10000000, "CLONE_NEWUSER"), N(0x20000000, "CLONE_NEWPID"),
	N(0x40000000, "CLONE_NEWNET"),
};
static const struct fr_name wait_options[] = {
	N(1, "WNOHANG"), N(2, "WSTOPPED"), N(4, "WEXITED"), N(8, "WCONTINUED"),
	N(0x1000000, "WNOWAIT"), N(0x20000000, "__WNOTHREAD"), N(0x40000000, "__WALL"),
	N(0x80000000, "__WCLONE"),
};
static const struct fr_name seek_whence[] = {
	N(0, "SEEK_SET"), N(1, "SEEK_CUR"), N(2, "SEEK_END"), N(3, "SEEK_DATA"), N(4, "SEEK_HOLE"),
};
static const struct fr_name sigprocmask_how[] = {
	N(0, "SIG_BLOCK"), N(1, "SIG_UNBLOCK"), N(2, "SIG_SETMASK"),
};
static const struct fr_name access_mode[] = {
	N(0, "F_OK"), N(4, "R_OK"), N(2, "W_OK"), N(1, "X_OK"),
};
static const struct fr_name prctl_options[] = {
	N(1, "PR_SET_PDEATHSIG"), N(2, "PR_GET_PDEATHSIG"), N(3, "PR_GET_DUMPABLE"),
	N(4, "PR_SET_DUMPABLE"), N(5, "PR_GET_UNALIGN"), N(6, "PR_SET_UNALIGN"),
	N(7, "PR_GET_KEEPCAPS"), N(8, "PR_SET_KEEPCAPS"), N(9, "PR_GET_FPEMU"),
	N(10, "PR_SET_FPEMU"), N(11, "PR_GET_FPEXC"), N(12, "PR_SET_FPEXC"),
	N(13, "PR_GET_TIMING"), N(14, "PR_SET_TIMING"), N(15, "PR_SET_NAME"),
	N(16, "PR_GET_NAME"), N(19, "PR_GET_ENDIAN"), N(20, "PR_SET_ENDIAN"),
	N(21, "PR_GET_SECCOMP"), N(22, "PR_SET_SECCOMP"), N(23, "PR_CAPBSET_READ"),
	N(24, "PR_CAPBSET_DROP"), N(25, "PR_GET_TSC"), N(26, "PR_SET_TSC"),
	N(27, "PR_GET_SECUREBITS"), N(28, "PR_SET_SECUREBITS"), N(29, "PR_SET_TIMERSLACK"),
	N(30, "PR_GET_TIMERSLACK"), N(31, "PR_TASK_PERF_EVENTS_DISABLE"),
	N(32, "PR_TASK_PERF_EVENTS_ENABLE"), N(33, "PR_MCE_KILL"), N(34, "PR_MCE_KILL_GET"),
	N(35, "PR_SET_MM"), N(36, "PR_SET_CHILD_SUBREAPER"), N(37, "PR_GET_CHILD_SUBREAPER"),
	N(38, "PR_SET_NO_NEW_PRIVS"), N(39, "PR_GET_NO_NEW_PRIVS"), N(40, "PR_GET_TID_ADDRESS"),
	N(41, "PR_SET_THP_DISABLE"), N(42, "PR_GET_THP_DISABLE"),
	N(43, "PR_MPX_ENABLE_MANAGEMENT"), N(44, "PR_MPX_DISABLE_MANAGEMENT"),
	N(45, "PR_SET_FP_MODE"), N(46, "PR_GET_FP_MODE"), N(47, "PR_CAP_AMBIENT"),
	N(50, "PR_SVE_SET_VL"), N(51, "PR_SVE_GET_VL"), N(52, "PR_GET_SPECULATION_CTRL"),
	N(53, "PR_SET_SPECULATION_CTRL"), N(54, "PR_PAC_RESET_KEYS"),
	N(55, "PR_SET_TAGGED_ADDR_CTRL"), N(56, "PR_GET_TAGGED_ADDR_CTRL"),
	N(57, "PR_SET_IO_FLUSHER"), N(58, "PR_GET_IO_FLUSHER"),
	N(59, "PR_SET_SYSCALL_USER_DISPATCH"), N(60, "PR_PAC_SET_ENABLED_KEYS"),
	N(61, "PR_PAC_GET_ENABLED_KEYS"), N(62, "PR_SCHED_CORE"), N(63, "PR_SME_SET_VL"),
	N(64, "PR_SME_GET_VL"), N(65, "PR_SET_MDWE"), N(66, "PR_GET_MDWE"),
	N(67, "PR_SET_MEMORY_MERGE"), N(68, "PR_GET_MEMORY_MERGE"),
	N(69, "PR_RISCV_V_SET_CONTROL"), N(70, "PR_RISCV_V_GET_CONTROL"),
	N(71, "PR_RISCV_SET_ICACHE_FLUSH_CTX"), N(72, "PR_PPC_GET_DEXCR"),
	N(73, "PR_PPC_SET_DEXCR"), N(74, "PR_GET_SHADOW_STACK_STATUS"),
	N(75, "PR_SET_SHADOW_STACK_STATUS"), N(76, "PR_LOCK_SHADOW_STACK_STATUS"),
	N(77, "PR_TIMER_CREATE_RESTORE_IDS"), N(78, "PR_FUTEX_HASH"),
	N(0x41555856, "PR_GET_AUXV"), N(0x53564d41, "PR_SET_VMA"),
	N(0x59616d61, "PR_SET_PTRACER"),
};
static const struct fr_name arch_prctl_codes[] = {
	N(0x1001, "ARCH_SET_GS"), N(0x1002, "ARCH_SET_FS"), N(0x1003, "ARCH_GET_FS"),
	N(0x1004, "ARCH_GET_GS"), N(0x1011, "ARCH_GET_CPUID"), N(0x1012, "ARCH_SET_CPUID"),
	N(0x1021, "ARCH_GET_XCOMP_SUPP"), N(0x1022, "ARCH_GET_XCOMP_PERM"),
	N(0x1023, "ARCH_REQ_XCOMP_PERM"), N(0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
	N(0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"), N(0x2001, "ARCH_MAP_VDSO_X32"),
	N(0x2002, "ARCH_MAP_VDSO_32"), N(0x2003, "ARCH_MAP_VDSO_64"),
	N(0x4001, "ARCH_GET_UNTAG_MASK"), N(0x4002, "ARCH_ENABLE_TAGGED_ADDR"),
	N(0x4003, "ARCH_GET_MAX_TAG_BITS"), N(0x4004, "ARCH_FORCE_TAGGED_SVA"),
	N(0x5001, "ARCH_SHSTK_ENABLE"), N(0x5002, "ARCH_SHSTK_DISABLE"),
	N(0x5003, "ARCH_SHSTK_LOCK"), N(0x5004, "ARCH_SHSTK_UNLOCK"),
	N(0x5005, "ARCH_SHSTK_STATUS"),
};
static const struct fr_name madvise_advice[] = {
	N(0, "MADV_NORMAL"), N(1, "MADV_RANDOM"), N(2, "MADV_SEQUENTIAL"), N(3, "MADV_WILLNEED"),
	N(4, "MADV_DONTNEED"), N(8, "MADV_FREE"), N(9, "MADV_REMOVE"), N(10, "MADV_DONTFORK"),
	N(11, "MADV_DOFORK"), N(12, "MADV_MERGEABLE"), N(13, "MADV_UNMERGEABLE"),
	N(14, "MADV_HUGEPAGE"), N(15, "MADV_NOHUGEPAGE"), N(16, "MADV_DONTDUMP"),
	N(17, "MADV_DODUMP"), N(18, "MADV_WIPEONFORK"), N(19, "MADV_KEEPONFORK"),
	N(20, "MADV_COLD"), N(21, "MADV_PAGEOUT"), N(22, "MADV_POPULATE_READ"),
	N(23, "MADV_POPULATE_WRITE"), N(24, "MADV_DONTNEED_LOCKED"), N(25, "MADV_COLLAPSE"),
	N(100, "MADV_HWPOISON"), N(101, "MADV_SOFT_OFFLINE"), N(102, "MADV_GUARD_INSTALL"),
	N(103, "MADV_GUARD_REMOVE"),
};
static const struct fr_name shutdown_how[] = {
	N(0, "SHUT_RD"), N(1, "SHUT_WR"), N(2, "SHUT_RDWR"),
};
static const struct fr_name sockopt_levels[] = {
	N(0, "SOL_IP"), N(1, "SOL_SOCKET"), N(6, "SOL_TCP"), N(17, "SOL_UDP"), N(41, "SOL_IPV6"),
	N(58, "SOL_ICMPV6"), N(132, "SOL_SCTP"), N(136, "SOL_UDPLITE"), N(255, "SOL_RAW"),
	N(263, "SOL_PACKET"), N(270, "SOL_NETLINK"), N(279, "SOL_ALG"), N(282, "SOL_TLS"),
	N(283, "SOL_XDP"), N(284, "SOL_MPTCP"),
};
static const struct fr_name efd_flags[] = {
	N(1, "EFD_SEMAPHORE"), N(04000, "EFD_NONBLOCK"), N(02000000, "EFD_CLOEXEC"),
};
static const struct fr_name grnd_flags[] = {
	N(1, "GRND_NONBLOCK"), N(2, "GRND_RANDOM"), N(4, "GRND_INSECURE"),
};
static const struct fr_name rlimit_resources[] = {
	N(0, "RLIMIT_CPU"), N(1, "RLIMIT_FSIZE"), N(2, "RLIMIT_DATA"), N(3, "RLIMIT_STACK"),
	N(4, "RLIMIT_CORE"), N(5, "RLIMIT_RSS"), N(6, "RLIMIT_NPROC"), N(7, "RLIMIT_NOFILE"),
	N(8, "RLIMIT_MEMLOCK"), N(9, "RLIMIT_AS"), N(10, "RLIMIT_LOCKS"),
	N(11, "RLIMIT_SIGPENDING"), N(12, "RLIMIT_MSGQUEUE"), N(13, "RLIMIT_NICE"),
	N(14, "RLIMIT_RTPRIO"), N(15, "RLIMIT_RTTIME"),
};
static const struct fr_name poll_events[] = {
	N(0x1, "POLLIN"), N(0x2, "POLLPRI"), N(0x4, "POLLOUT"), N(0x8, "POLLERR"),
	N(0x10, "POLLHUP"), N(0x20, "POLLNVAL"), N(0x40, "POLLRDNORM"), N(0x80, "POLLRDBAND"),
	N(0x100, "POLLWRNORM"), N(0x200, "POLLWRBAND"), N(0x400, "POLLMSG"),
	N(0x1000, "POLLREMOVE"), N(0x2000, "POLLRDHUP"),
};
static const struct fr_name epoll_events[] = {
	N(0x1, "EPOLLIN"), N(0x2, "EPOLLPRI"), N(0x4, "EPOLLOUT"), N(0x8, "EPOLLERR"),
	N(0x10, "EPOLLHUP"), N(0x20, "EPOLLNVAL"), N(0x40, "EPOLLRDNORM"),
	N(0x80, "EPOLLRDBAND"), N(0x100, "EPOLLWRNORM"), N(0x200, "EPOLLWRBAND"),
	N(0x400, "EPOLLMSG"), N(0x2000, "EPOLLRDHUP"), N(1u << 27, "EPOLLURING_WAKE"),
	N(1u << 28, "EPOLLEXCLUSIVE"), N(1u << 29, "EPOLLWAKEUP"), N(1u << 30, "EPOLLONESHOT"),
	N(1u << 31, "EPOLLET"),
};
static const struct fr_name sa_flags[] = {
	N(0x1, "SA_NOCLDSTOP"), N(0x2, "SA_NOCLDWAIT"), N(0x4, "SA_SIGINFO"),
	N(0x400, "SA_UNSUPPORTED"), N(0x800, "SA_EXPOSE_TAGBITS"), N(0x04000000, "SA_RESTORER"),
	N(0x08000000, "SA_ONSTACK"), N(0x10000000, "SA_RESTART"), N(0x40000000, "SA_NODEFER"),
	N(0x80000000, "SA_RESETHAND"),
};
static const struct fr_name mremap_flags[] = {
	N(1, "MREMAP_MAYMOVE"), N(2, "MREMAP_FIXED"), N(4, "MREMAP_DONTUNMAP"),
};
static const struct fr_name msync_flags[] = {
	N(1, "MS_ASYNC"), N(2, "MS_INVALIDATE"), N(4, "MS_SYNC"),
};
static const struct fr_name itimer_which[] = {
	N(0, "ITIMER_REAL"), N(1, "ITIMER_VIRTUAL"), N(2, "ITIMER_PROF"),
};
static const struct fr_name timer_flags[] = { N(1, "TIMER_ABSTIME") };
static const struct fr_name tfd_flags[] = { N(04000, "TFD_NONBLOCK"), N(02000000, "TFD_CLOEXEC") };
static const struct fr_name tfd_timer_flags[] = {
	N(1, "TFD_TIMER_ABSTIME"), N(2, "TFD_TIMER_CANCEL_ON_SET"),
};
static const struct fr_name mfd_flags[] = {
	N(1, "MFD_CLOEXEC"), N(2, "MFD_ALLOW_SEALING"), N(4, "MFD_HUGETLB"),
	N(8, "MFD_NOEXEC_SEAL"), N(0x10, "MFD_EXEC"),
};
static const struct fr_name statx_mask[] = {
	N(0x7ff, "STATX_BASIC_STATS"), N(0x1, "STATX_TYPE"), N(0x2, "STATX_MODE"),
	N(0x4, "STATX_NLINK"), N(0x8, "STATX_UID"), N(0x10, "STATX_GID"), N(0x20, "STATX_ATIME"),
	N(0x40, "STATX_MTIME"), N(0x80, "STATX_CTIME"), N(0x100, "STATX_INO"),
	N(0x200, "STATX_SIZE"), N(0x400, "STATX_BLOCKS"), N(0x800, "STATX_BTIME"),
	N(0x1000, "STATX_MNT_ID"), N(0x2000, "STATX_DIOALIGN"), N(0x4000, "STATX_MNT_ID_UNIQUE"),
	N(0x8000, "STATX_SUBVOL"), N(0x10000, "STATX_WRITE_ATOMIC"),
	N(0x20000, "STATX_DIO_READ_ALIGN"),
};
static const struct fr_name rename_flags[] = {
	N(1, "RENAME_NOREPLACE"), N(2, "RENAME_EXCHANGE"), N(4, "RENAME_WHITEOUT"),
};
static const struct fr_name xattr_flags[] = { N(1, "XATTR_CREATE"), N(2, "XATTR_REPLACE") };
static const struct fr_name falloc_flags[] = {
	N(0x1, "FALLOC_FL_KEEP_SIZE"), N(0x2, "FALLOC_FL_PUNCH_HOLE"),
	N(0x4, "FALLOC_FL_NO_HIDE_STALE"), N(0x8, "FALLOC_FL_COLLAPSE_RANGE"),
	N(0x10, "FALLOC_FL_ZERO_RANGE"), N(0x20, "FALLOC_FL_INSERT_RANGE"),
	N(0x40, "FALLOC_FL_UNSHARE_RANGE"), N(0x80, "FALLOC_FL_WRITE_ZEROES"),
};
static const struct fr_name sched_policies[] = {
	N(0, "SCHED_OTHER"), N(1, "SCHED_FIFO"), N(2, "SCHED_RR"), N(3, "SCHED_BATCH"),
	N(4, "SCHED_ISO"), N(5, "SCHED_IDLE"), N(6, "SCHED_DEADLINE"), N(7, "SCHED_EXT"),
};
static const struct fr_name mlockall_flags[] = {
	N(1, "MCL_CURRENT"), N(2, "MCL_FUTURE"), N(4, "MCL_ONFAULT"),
};
static const struct fr_name mlock_flags[] = { N(1, "MLOCK_ONFAULT") };
static const struct fr_name flock_ops[] = {
	N(1, "LOCK_SH"), N(2, "LOCK_EX"), N(4, "LOCK_NB"), N(8, "LOCK_UN"), N(32, "LOCK_MAND"),
	N(64, "LOCK_READ"), N(128, "LOCK_WRITE"),
};
static const struct fr_name fadvise_advice[] = {
	N(0, "POSIX_FADV_NORMAL"), N(1, "POSIX_FADV_RANDOM"), N(2, "POSIX_FADV_SEQUENTIAL"),
	N(3, "POSIX_FADV_WILLNEED"), N(4, "POSIX_FADV_DONTNEED"), N(5, "POSIX_FADV_NOREUSE"),
};
static const struct fr_name rusage_who[] = {
	N(0, "RUSAGE_SELF"), N((uint32_t)-1, "RUSAGE_CHILDREN"), N(1, "RUSAGE_THREAD"),
};
static const struct fr_name ptrace_requests[] = {
	N(0, "PTRACE_TRACEME"), N(1, "PTRACE_PEEKTEXT"), N(2, "PTRACE_PEEKDATA"),
	N(3, "PTRACE_PEEKUSER"), N(4, "PTRACE_POKETEXT"), N(5, "PTRACE_POKEDATA"),
	N(6, "PTRACE_POKEUSER"), N(7, "PTRACE_CONT"), N(8, "PTRACE_KILL"),
	N(9, "PTRACE_SINGLESTEP"), N(12, "PTRACE_GETREGS"), N(13, "PTRACE_SETREGS"),
	N(14, "PTRACE_GETFPREGS"), N(15, "PTRACE_SETFPREGS"), N(16, "PTRACE_ATTACH"),
	N(17, "PTRACE_DETACH"), N(18, "PTRACE_GETFPXREGS"), N(19, "PTRACE_SETFPXREGS"),
	N(24, "PTRACE_SYSCALL"), N(25, "PTRACE_GET_THREAD_AREA"),
	N(26, "PTRACE_SET_THREAD_AREA"), N(30, "PTRACE_ARCH_PRCTL"), N(31, "PTRACE_SYSEMU"),
	N(32, "PTRACE_SYSEMU_SINGLESTEP"), N(33, "PTRACE_SINGLEBLOCK"),
	N(0x4200, "PTRACE_SETOPTIONS"), N(0x4201, "PTRACE_GETEVENTMSG"),
	N(0x4202, "PTRACE_GETSIGINFO"), N(0x4203, "PTRACE_SETSIGINFO"),
	N(0x4204, "PTRACE_GETREGSET"), N(0x4205, "PTRACE_SETREGSET"), N(0x4206, "PTRACE_SEIZE"),
	N(0x4207, "PTRACE_INTERRUPT"), N(0x4208, "PTRACE_LISTEN"),
	N(0x4209, "PTRACE_PEEKSIGINFO"), N(0x420a, "PTRACE_GETSIGMASK"),
	N(0x420b, "PTRACE_SETSIGMASK"), N(0x420c, "PTRACE_SECCOMP_GET_FILTER"),
	N(0x420d, "PTRACE_SECCOMP_GET_METADATA"), N(0x420e, "PTRACE_GET_SYSCALL_INFO"),
	N(0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
	N(0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG"),
	N(0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG"),
	N(0x4212, "PTRACE_SET_SYSCALL_INFO"),
};
static const struct fr_name splice_flags[] = {
	N(1, "SPLICE_F_MOVE"), N(2, "SPLICE_F_NONBLOCK"), N(4, "SPLICE_F_MORE"),
	N(8, "SPLICE_F_GIFT"),
};
static const struct fr_name inotify_mask[] = {
	N(0x1, "IN_ACCESS"), N(0x2, "IN_MODIFY"), N(0x4, "IN_ATTRIB"), N(0x8, "IN_CLOSE_WRITE"),
	N(0x10, "IN_CLOSE_NOWRITE"), N(0x20, "IN_OPEN"), N(0x40, "IN_MOVED_FROM"),
	N(0x80, "IN_MOVED_TO"), N(0x100, "IN_CREATE"), N(0x200, "IN_DELETE"),
	N(0x400, "IN_DELETE_SELF"), N(0x800, "IN_MOVE_SELF"), N(0x2000, "IN_UNMOUNT"),
	N(0x4000, "IN_Q_OVERFLOW"), N(0x8000, "IN_IGNORED"), N(0x1000000, "IN_ONLYDIR"),
	N(0x2000000, "IN_DONT_FOLLOW"), N(0x4000000, "IN_EXCL_UNLINK"),
	N(0x10000000, "IN_MASK_CREATE"), N(0x20000000, "IN_MASK_ADD"),
	N(0x40000000, "IN_ISDIR"), N(0x80000000, "IN_ONESHOT"),
};
static const struct fr_name inotify_init_flags[] = {
	N(04000, "IN_NONBLOCK"), N(02000000, "IN_CLOEXEC"),
};
static const struct fr_name epoll_create_flags[] = { N(02000000, "EPOLL_CLOEXEC") };
static const struct fr_name sfd_flags[] = { N(04000, "SFD_NONBLOCK"), N(02000000, "SFD_CLOEXEC") };
static const struct fr_name seccomp_ops[] = {
	N(0, "SECCOMP_SET_MODE_STRICT"), N(1, "SECCOMP_SET_MODE_FILTER"),
	N(2, "SECCOMP_GET_ACTION_AVAIL"), N(3, "SECCOMP_GET_NOTIF_SIZES"),
};
static const struct fr_name rwf_flags[] = {
	N(0x1, "RWF_HIPRI"), N(0x2, "RWF_DSYNC"), N(0x4, "RWF_SYNC"), N(0x8, "RWF_NOWAIT"),
	N(0x10, "RWF_APPEND"), N(0x20, "RWF_NOAPPEND"), N(0x40, "RWF_ATOMIC"),
	N(0x80, "RWF_DONTCACHE"),
};
static const struct fr_name close_range_flags[] = {
	N(2, "CLOSE_RANGE_UNSHARE"), N(4, "CLOSE_RANGE_CLOEXEC"),
};
static const struct fr_name idtypes[] = {
	N(0, "P_ALL"), N(1, "P_PID"), N(2, "P_PGID"), N(3, "P_PIDFD"),
};
static const struct fr_name membarrier_cmds[] = {
	N(0, "MEMBARRIER_CMD_QUERY"), N(1, "MEMBARRIER_CMD_GLOBAL"),
	N(2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"), N(4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
	N(8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
	N(16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
	N(32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
	N(64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
	N(128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
	N(256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
	N(512, "MEMBARRIER_CMD_GET_REGISTRATIONS"),
};
static const struct fr_name prio_which[] = {
	N(0, "PRIO_PROCESS"), N(1, "PRIO_PGRP"), N(2, "PRIO_USER"),
};
static const struct fr_name umount_flags[] = {
	N(1, "MNT_FORCE"), N(2, "MNT_DETACH"), N(4, "MNT_EXPIRE"), N(8, "UMOUNT_NOFOLLOW"),
};
static const struct fr_name mount_flags[] = {
	N(1, "MS_RDONLY"), N(2, "MS_NOSUID"), N(4, "MS_NODEV"), N(8, "MS_NOEXEC"),
	N(16, "MS_SYNCHRONOUS"), N(32, "MS_REMOUNT"), N(64, "MS_MANDLOCK"), N(128, "MS_DIRSYNC"),
	N(256, "MS_NOSYMFOLLOW"), N(1024, "MS_NOATIME"), N(2048, "MS_NODIRATIME"),
	N(4096, "MS_BIND"), N(8192, "MS_MOVE"), N(16384, "MS_REC"), N(32768, "MS_SILENT"),
	N(1 << 16, "MS_POSIXACL"), N(1 << 17, "MS_UNBINDABLE"), N(1 << 18, "MS_PRIVATE"),
	N(1 << 19, "MS_SLAVE"), N(1 << 20, "MS_SHARED"), N(1 << 21, "MS_RELATIME"),
	N(1 << 22, "MS_KERNMOUNT"), N(1 << 23, "MS_I_VERSION"), N(1 << 24, "MS_STRICTATIME"),
	N(1 << 25, "MS_LAZYTIME"),
};
/* SOL_SOCKET option names as x86-64 programs write them (SO_RCVTIMEO is the
 * 64-bit-time "old" value there). */
static const struct fr_name sockopt_names[] = {
	N(1, "SO_DEBUG"), N(2, "SO_REUSEADDR"), N(3, "SO_TYPE"), N(4, "SO_ERROR"),
	N(5, "SO_DONTROUTE"), N(6, "SO_BROADCAST"), N(7, "SO_SNDBUF"), N(8, "SO_RCVBUF"),
	N(9, "SO_KEEPALIVE"), N(10, "SO_OOBINLINE"), N(11, "SO_NO_CHECK"), N(12, "SO_PRIORITY"),
	N(13, "SO_LINGER"), N(14, "SO_BSDCOMPAT"), N(15, "SO_REUSEPORT"), N(16, "SO_PASSCRED"),
	N(17, "SO_PEERCRED"), N(18, "SO_RCVLOWAT"), N(19, "SO_SNDLOWAT"), N(20, "SO_RCVTIMEO"),
	N(21, "SO_SNDTIMEO"), N(22, "SO_SECURITY_AUTHENTICATION"),
	N(23, "SO_SECURITY_ENCRYPTION_TRANSPORT"), N(24, "SO_SECURITY_ENCRYPTION_NETWORK"),
	N(25, "SO_BINDTODEVICE"), N(26, "SO_ATTACH_FILTER"), N(27, "SO_DETACH_FILTER"),
	N(28, "SO_PEERNAME"), N(29, "SO_TIMESTAMP"), N(30, "SO_ACCEPTCONN"), N(31, "SO_PEERSEC"),
	N(32, "SO_SNDBUFFORCE"), N(33, "SO_RCVBUFFORCE"), N(34, "SO_PASSSEC"),
	N(35, "SO_TIMESTAMPNS"), N(36, "SO_MARK"), N(37, "SO_TIMESTAMPING"), N(38, "SO_PROTOCOL"),
	N(39, "SO_DOMAIN"), N(40, "SO_RXQ_OVFL"), N(41, "SO_WIFI_STATUS"), N(42, "SO_PEEK_OFF"),
	N(43, "SO_NOFCS"), N(44, "SO_LOCK_FILTER"), N(45, "SO_SELECT_ERR_QUEUE"),
	N(46, "SO_BUSY_POLL"), N(47, "SO_MAX_PACING_RATE"), N(48, "SO_BPF_EXTENSIONS"),
	N(49, "SO_INCOMING_CPU"), N(50, "SO_ATTACH_BPF"), N(51, "SO_ATTACH_REUSEPORT_CBPF"),
	N(52, "SO_ATTACH_REUSEPORT_EBPF"), N(53, "SO_CNX_ADVICE"), N(55, "SO_MEMINFO"),
	N(56, "SO_INCOMING_NAPI_ID"), N(57, "SO_COOKIE"), N(59, "SO_PEERGROUPS"),
	N(60, "SO_ZEROCOPY"), N(61, "SO_TXTIME"), N(62, "SO_BINDTOIFINDEX"),
	N(63, "SO_TIMESTAMP_NEW"), N(64, "SO_TIMESTAMPNS_NEW"), N(65, "SO_TIMESTAMPING_NEW"),
	N(66, "SO_RCVTIMEO_NEW"), N(67, "SO_SNDTIMEO_NEW"), N(68, "SO_DETACH_REUSEPORT_BPF"),
	N(69, "SO_PREFER_BUSY_POLL"), N(70, "SO_BUSY_POLL_BUDGET"), N(71, "SO_NETNS_COOKIE"),
	N(72, "SO_BUF_LOCK"), N(73, "SO_RESERVE_MEM"), N(74, "SO_TXREHASH"), N(75, "SO_RCVMARK"),
	N(76, "SO_PASSPIDFD"), N(77, "SO_PEERPIDFD"),
};
static const struct fr_name tcp_sockopt_names[] = {
	N(1, "TCP_NODELAY"), N(2, "TCP_MAXSEG"), N(3, "TCP_CORK"), N(4, "TCP_KEEPIDLE"),
	N(5, "TCP_KEEPINTVL"), N(6, "TCP_KEEPCNT"), N(7, "TCP_SYNCNT"), N(8, "TCP_LINGER2"),
	N(9, "TCP_DEFER_ACCEPT"), N(10, "TCP_WINDOW_CLAMP"), N(11, "TCP_INFO"),
	N(12, "TCP_QUICKACK"), N(13, "TCP_CONGESTION"), N(14, "TCP_MD5SIG"),
	N(16, "TCP_THIN_LINEAR_TIMEOUTS"), N(17, "TCP_THIN_DUPACK"), N(18, "TCP_USER_TIMEOUT"),
	N(19, "TCP_REPAIR"), N(20, "TCP_REPAIR_QUEUE"), N(21, "TCP_QUEUE_SEQ"),
	N(22, "TCP_REPAIR_OPTIONS"), N(23, "TCP_FASTOPEN"), N(24, "TCP_TIMESTAMP"),
	N(25, "TCP_NOTSENT_LOWAT"), N(26, "TCP_CC_INFO"), N(27, "TCP_SAVE_SYN"),
	N(28, "TCP_SAVED_SYN"), N(29, "TCP_REPAIR_WINDOW"), N(30, "TCP_FASTOPEN_CONNECT"),
	N(31, "TCP_ULP"), N(32, "TCP_MD5SIG_EXT"), N(33, "TCP_FASTOPEN_KEY"),
	N(34, "TCP_FASTOPEN_NO_COOKIE"), N(35, "TCP_ZEROCOPY_RECEIVE"), N(36, "TCP_INQ"),
	N(37, "TCP_TX_DELAY"),
};

/* Terminal and file ioctls every program makes (asm-generic/ioctls.h), and
 * a few common encoded ones; the rest print as their _IOC() fields. */
static const struct fr_name ioctl_requests[] = {
	N(0x5401, "TCGETS"), N(0x5402, "TCSETS"), N(0x5403, "TCSETSW"), N(0x5404, "TCSETSF"),
	N(0x5405, "TCGETA"), N(0x5406, "TCSETA"), N(0x5407, "TCSETAW"), N(0x5408, "TCSETAF"),
	N(0x5409, "TCSBRK"), N(0x540a, "TCXONC"), N(0x540b, "TCFLSH"), N(0x540c, "TIOCEXCL"),
	N(0x540d, "TIOCNXCL"), N(0x540e, "TIOCSCTTY"), N(0x540f, "TIOCGPGRP"),
	N(0x5410, "TIOCSPGRP"), N(0x5411, "TIOCOUTQ"), N(0x5412, "TIOCSTI"),
	N(0x5413, "TIOCGWINSZ"), N(0x5414, "TIOCSWINSZ"), N(0x5415, "TIOCMGET"),
	N(0x5416, "TIOCMBIS"), N(0x5417, "TIOCMBIC"), N(0x5418, "TIOCMSET"),
	N(0x5419, "TIOCGSOFTCAR"), N(0x541a, "TIOCSSOFTCAR"), N(0x541b, "FIONREAD"),
	N(0x541c, "TIOCLINUX"), N(0x541d, "TIOCCONS"), N(0x541e, "TIOCGSERIAL"),
	N(0x541f, "TIOCSSERIAL"), N(0x5420, "TIOCPKT"), N(0x5421, "FIONBIO"),
	N(0x5422, "TIOCNOTTY"), N(0x5423, "TIOCSETD"), N(0x5424, "TIOCGETD"),
	N(0x5425, "TCSBRKP"), N(0x5427, "TIOCSBRK"), N(0x5428, "TIOCCBRK"), N(0x5429, "TIOCGSID"),
	N(0x802c542a, "TCGETS2"), N(0x402c542b, "TCSETS2"), N(0x80045430, "TIOCGPTN"),
	N(0x40045431, "TIOCSPTLCK"), N(0x5441, "TIOCGPTPEER"), N(0x5450, "FIONCLEX"),
	N(0x5451, "FIOCLEX"), N(0x5452, "FIOASYNC"), N(0x5460, "FIOQSIZE"), N(1, "FIBMAP"),
	N(2, "FIGETBSZ"), N(0x8912, "SIOCGIFCONF"), N(0x8913, "SIOCGIFFLAGS"),
	N(0x8915, "SIOCGIFADDR"), N(0x8927, "SIOCGIFHWADDR"), N(0x8933, "SIOCGIFINDEX"),
	N(0x40049409, "FICLONE"), N(0x80086601, "FS_IOC_GETFLAGS"),
	N(0x40086602, "FS_IOC_SETFLAGS"), N(0x80081272, "BLKGETSIZE64"),
};

#undef N

/* How a set prints. */
enum set_style {
	ST_ENUM,   /* one value: its name, else the signed decimal */
	ST_FLAGS,  /* bits: names joined by '|', leftover bits in hex */
	ST_SPECIAL /* a function of its own below */
};

struct set_desc {
	const char *name;
	const struct fr_name *names;
	size_t n;
	uint8_t style;
	uint8_t bits; /* width of the argument the kernel reads: 32 or 64 */
};

#define SET(id, nm, tbl, st, w) [id] = { nm, tbl, FR_ARRAY_SIZE(tbl), st, w }
#define SPECIAL(id, nm, w) [id] = { nm, NULL, 0, ST_SPECIAL, w }

static const struct set_desc sets[FR_FMT_COUNT] = {
	SPECIAL(FR_FMT_OPEN_FLAGS, "open_flags", 32),
	SET(FR_FMT_AT_FLAGS, "at_flags", at_flags, ST_FLAGS, 32),
	SET(FR_FMT_MMAP_PROT, "mmap_prot", mmap_prot, ST_FLAGS, 64),
	SPECIAL(FR_FMT_MMAP_FLAGS, "mmap_flags", 64),
	SET(FR_FMT_SOCK_FAMILY, "sock_family", sock_family, ST_ENUM, 32),
	SPECIAL(FR_FMT_SOCK_TYPE, "sock_type", 32),
	SET(FR_FMT_MSG_FLAGS, "msg_flags", msg_flags, ST_FLAGS, 32),
	SET(FR_FMT_CLOCK_ID, "clock_id", clock_ids, ST_ENUM, 32),
	SPECIAL(FR_FMT_FUTEX_OP, "futex_op", 32),
	SET(FR_FMT_FCNTL_CMD, "fcntl_cmd", fcntl_cmds, ST_ENUM, 32),
	SET(FR_FMT_EPOLL_CTL_OP, "epoll_ctl_op", epoll_ctl_ops, ST_ENUM, 32),
	SPECIAL(FR_FMT_CLONE_FLAGS, "clone_flags", 64),
	SET(FR_FMT_WAIT_OPTIONS, "wait_options", wait_options, ST_FLAGS, 32),
	SET(FR_FMT_SEEK_WHENCE, "seek_whence", seek_whence, ST_ENUM, 32),
	SET(FR_FMT_SIGPROCMASK_HOW, "sigprocmask_how", sigprocmask_how, ST_ENUM, 32),
	SET(FR_FMT_ACCESS_MODE, "access_mode", access_mode, ST_FLAGS, 32),
	SET(FR_FMT_PRCTL_OPTION, "prctl_option", prctl_options, ST_ENUM, 32),
	SET(FR_FMT_ARCH_PRCTL_CODE, "arch_prctl_code", arch_prctl_codes, ST_ENUM, 32),
	SET(FR_FMT_MADVISE_ADVICE, "madvise_advice", madvise_advice, ST_ENUM, 32),
	SET(FR_FMT_SHUTDOWN_HOW, "shutdown_how", shutdown_how, ST_ENUM, 32),
	SET(FR_FMT_SOCKOPT_LEVEL, "sockopt_level", sockopt_levels, ST_ENUM, 32),
	SET(FR_FMT_EFD_FLAGS, "efd_flags", efd_flags, ST_FLAGS, 32),
	SET(FR_FMT_GRND_FLAGS, "grnd_flags", grnd_flags, ST_FLAGS, 32),
	SET(FR_FMT_RLIMIT_RESOURCE, "rlimit_resource", rlimit_resources, ST_ENUM, 32),
	SET(FR_FMT_POLL_EVENTS, "poll_events", poll_events, ST_FLAGS, 32),
	SET(FR_FMT_EPOLL_EVENTS, "epoll_events", epoll_events, ST_FLAGS, 32),
	SET(FR_FMT_SA_FLAGS, "sa_flags", sa_flags, ST_FLAGS, 64),
	SET(FR_FMT_MREMAP_FLAGS, "mremap_flags", mremap_flags, ST_FLAGS, 64),
	SET(FR_FMT_MSYNC_FLAGS, "msync_flags", msync_flags, ST_FLAGS, 32),
	SET(FR_FMT_ITIMER_WHICH, "itimer_which", itimer_which, ST_ENUM, 32),
	SET(FR_FMT_TIMER_FLAGS, "timer_flags", timer_flags, ST_FLAGS, 32),
	SET(FR_FMT_TFD_FLAGS, "tfd_flags", tfd_flags, ST_FLAGS, 32),
	SET(FR_FMT_TFD_TIMER_FLAGS, "tfd_timer_flags", tfd_timer_flags, ST_FLAGS, 32),
	SET(FR_FMT_SOCK_FLAGS, "sock_flags", sock_flags, ST_FLAGS, 32),
	SET(FR_FMT_MFD_FLAGS, "mfd_flags", mfd_flags, ST_FLAGS, 32),
	SET(FR_FMT_STATX_MASK, "statx_mask", statx_mask, ST_FLAGS, 32),
	SET(FR_FMT_RENAME_FLAGS, "rename_flags", rename_flags, ST_FLAGS, 32),
	SET(FR_FMT_XATTR_FLAGS, "xattr_flags", xattr_flags, ST_FLAGS, 32),
	SET(FR_FMT_FALLOC_FLAGS, "falloc_flags", falloc_flags, ST_FLAGS, 32),
	SPECIAL(FR_FMT_SCHED_POLICY, "sched_policy", 32),
	SET(FR_FMT_MLOCKALL_FLAGS, "mlockall_flags", mlockall_flags, ST_FLAGS, 32),
	SET(FR_FMT_MLOCK_FLAGS, "mlock_flags", mlock_flags, ST_FLAGS, 32),
	SET(FR_FMT_FLOCK_OP, "flock_op", flock_ops, ST_FLAGS, 32),
	SET(FR_FMT_FADVISE_ADVICE, "fadvise_advice", fadvise_advice, ST_ENUM, 32),
	SET(FR_FMT_RUSAGE_WHO, "rusage_who", rusage_who, ST_ENUM, 32),
	SET(FR_FMT_PTRACE_REQUEST, "ptrace_request", ptrace_requests, ST_ENUM, 64),
	SET(FR_FMT_SPLICE_FLAGS, "splice_flags", splice_flags, ST_FLAGS, 32),
	SET(FR_FMT_INOTIFY_MASK, "inotify_mask", inotify_mask, ST_FLAGS, 32),
	SET(FR_FMT_INOTIFY_INIT_FLAGS, "inotify_init_flags", inotify_init_flags, ST_FLAGS, 32),
	SET(FR_FMT_EPOLL_CREATE_FLAGS, "epoll_create_flags", epoll_create_flags, ST_FLAGS, 32),
	SET(FR_FMT_SFD_FLAGS, "sfd_flags", sfd_flags, ST_FLAGS, 32),
	SET(FR_FMT_SECCOMP_OP, "seccomp_op", seccomp_ops, ST_ENUM, 32),
	SET(FR_FMT_RWF_FLAGS, "rwf_flags", rwf_flags, ST_FLAGS, 32),
	SET(FR_FMT_CLOSE_RANGE_FLAGS, "close_range_flags", close_range_flags, ST_FLAGS, 32),
	SET(FR_FMT_IDTYPE, "idtype", idtypes, ST_ENUM, 32),
	SET(FR_FMT_MEMBARRIER_CMD, "membarrier_cmd", membarrier_cmds, ST_ENUM, 32),
	SET(FR_FMT_PRIO_WHICH, "prio_which", prio_which, ST_ENUM, 32),
	SET(FR_FMT_UMOUNT_FLAGS, "umount_flags", umount_flags, ST_FLAGS, 32),
	SPECIAL(FR_FMT_MOUNT_FLAGS, "mount_flags", 64),
	SET(FR_FMT_UNLINKAT_FLAGS, "unlinkat_flags", unlinkat_flags, ST_FLAGS, 32),
	SET(FR_FMT_FACCESSAT_FLAGS, "faccessat_flags", faccessat_flags, ST_FLAGS, 32),
	SET(FR_FMT_UNSHARE_FLAGS, "unshare_flags", unshare_flags, ST_FLAGS, 64),
	SET(FR_FMT_SOCKOPT_NAME, "sockopt_name", sockopt_names, ST_ENUM, 32),
	SET(FR_FMT_TCP_SOCKOPT_NAME, "tcp_sockopt_name", tcp_sockopt_names, ST_ENUM, 32),
	SPECIAL(FR_FMT_SIGNAL, "signal", 32),
	SET(FR_FMT_PIPE_FLAGS, "pipe_flags", open_flags, ST_FLAGS, 32),
	SET(FR_FMT_IOCTL_REQUEST, "ioctl_request", ioctl_requests, ST_SPECIAL, 32),
	[FR_FMT_S_STAT] = { "struct stat", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_STATX] = { "struct statx", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_STATFS] = { "struct statfs", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_TIMESPEC] = { "struct timespec", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_TIMEVAL] = { "struct timeval", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_TIMEZONE] = { "struct timezone", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_ITIMERSPEC] = { "struct itimerspec", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_ITIMERVAL] = { "struct itimerval", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_TIMESPEC_PAIR] = { "struct timespec[2]", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_TIMEVAL_PAIR] = { "struct timeval[2]", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_UTIMBUF] = { "struct utimbuf", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_RLIMIT] = { "struct rlimit", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_RUSAGE] = { "struct rusage", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_TMS] = { "struct tms", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_UTSNAME] = { "struct utsname", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_SYSINFO] = { "struct sysinfo", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_EPOLL_EVENT] = { "struct epoll_event", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_POLLFD] = { "struct pollfd", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_FD_PAIR] = { "int[2]", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_INT] = { "int", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_INT64] = { "int64", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_WAIT_STATUS] = { "wait status", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_SIGACTION] = { "struct sigaction", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_SIGINFO] = { "siginfo_t", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_STACK] = { "stack_t", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_OPEN_HOW] = { "struct open_how", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_CLONE_ARGS] = { "struct clone_args", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_DIRENT64] = { "struct linux_dirent64", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_DIRENT] = { "struct linux_dirent", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_SOCKOPT] = { "socket option value", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_SOCKADDR] = { "struct sockaddr", NULL, 0, ST_SPECIAL, 0 },
	[FR_FMT_S_RAW] = { "bytes", NULL, 0, ST_SPECIAL, 0 },
};

/* clang-format on */

const char *fr_fmt_set_name(unsigned set)
{
	return set < FR_FMT_COUNT ? sets[set].name : NULL;
}

bool fr_fmt_is_struct(unsigned set)
{
	return set >= FR_FMT_S_STAT && set < FR_FMT_COUNT;
}

const char *fr_fmt_value_name(unsigned set, uint64_t value)
{
	const struct set_desc *d;

	if (set >= FR_FMT_COUNT)
		return NULL;
	d = &sets[set];
	if (set == FR_FMT_SIGNAL)
		return fr_signal_name((int)(uint32_t)value);
	if (!d->names)
		return NULL;
	if (d->bits == 32)
		value = (uint32_t)value;
	return lookup(d->names, d->n, value);
}

/* Names of the bits of `v` joined by '|'; bits no name covers in hex.
 * Writes nothing and returns false when v is 0. */
static bool print_bits(struct fr_sb *sb, const struct fr_name *t, size_t n, uint64_t v, bool first)
{
	size_t i;

	for (i = 0; i < n && v; i++) {
		if (!t[i].value || (v & t[i].value) != t[i].value)
			continue;
		if (!first)
			fr_sb_putc(sb, '|');
		fr_sb_puts(sb, t[i].name);
		v &= ~t[i].value;
		first = false;
	}
	if (v) {
		if (!first)
			fr_sb_putc(sb, '|');
		fr_sb_printf(sb, "%#" PRIx64, v);
		first = false;
	}
	return !first;
}

static void print_flags_table(struct fr_sb *sb, const struct fr_name *t, size_t n, uint64_t v)
{
	const char *zero;

	if (v == 0) {
		zero = lookup(t, n, 0);
		fr_sb_puts(sb, zero ? zero : "0");
		return;
	}
	print_bits(sb, t, n, v, true);
}

static void print_special(struct fr_sb *sb, unsigned set, uint64_t v)
{
	const char *n;
	uint64_t low;

	switch (set) {
	case FR_FMT_OPEN_FLAGS:
		v = (uint32_t)v;
		switch (v & 3) {
		case 0:
			fr_sb_puts(sb, "O_RDONLY");
			break;
		case 1:
			fr_sb_puts(sb, "O_WRONLY");
			break;
		case 2:
			fr_sb_puts(sb, "O_RDWR");
			break;
		default:
			fr_sb_puts(sb, "O_ACCMODE");
			break;
		}
		print_bits(sb, open_flags, FR_ARRAY_SIZE(open_flags), v & ~UINT64_C(3), false);
		break;
	case FR_FMT_MMAP_FLAGS:
		n = LOOKUP(mmap_types, v & 0xf);
		if (n)
			fr_sb_puts(sb, n);
		else
			fr_sb_printf(sb, "%#" PRIx64, v & 0xf);
		low = v >> 26; /* MAP_HUGE_SHIFT: log2 of the huge page size */
		v &= ~UINT64_C(0xf) & ((UINT64_C(1) << 26) - 1);
		print_bits(sb, mmap_flags, FR_ARRAY_SIZE(mmap_flags), v, false);
		if (low == 21)
			fr_sb_puts(sb, "|MAP_HUGE_2MB");
		else if (low == 30)
			fr_sb_puts(sb, "|MAP_HUGE_1GB");
		else if (low)
			fr_sb_printf(sb, "|%" PRIu64 "<<MAP_HUGE_SHIFT", low);
		break;
	case FR_FMT_SOCK_TYPE:
		v = (uint32_t)v;
		n = LOOKUP(sock_types, v & 0xf);
		if (n)
			fr_sb_puts(sb, n);
		else
			fr_sb_printf(sb, "%#" PRIx64, v & 0xf);
		print_bits(sb, sock_flags, FR_ARRAY_SIZE(sock_flags), v & ~UINT64_C(0xf), false);
		break;
	case FR_FMT_CLONE_FLAGS:
		low = v & 0xff;
		if (!print_bits(sb, clone_flags, FR_ARRAY_SIZE(clone_flags), v & ~UINT64_C(0xff),
				true)) {
			if (!low) {
				fr_sb_putc(sb, '0');
				break;
			}
		} else if (low) {
			fr_sb_putc(sb, '|');
		}
		if (low)
			fr_print_signal(sb, (int)low);
		break;
	case FR_FMT_FUTEX_OP:
		v = (uint32_t)v;
		n = LOOKUP(futex_cmds, v & 127);
		if (n)
			fr_sb_puts(sb, n);
		else
			fr_sb_printf(sb, "%" PRIu64, v & 127);
		if (v & 128)
			fr_sb_puts(sb, "_PRIVATE");
		if (v & 256)
			fr_sb_puts(sb, "|FUTEX_CLOCK_REALTIME");
		if (v & ~UINT64_C(511))
			fr_sb_printf(sb, "|%#" PRIx64, v & ~UINT64_C(511));
		break;
	case FR_FMT_SCHED_POLICY:
		v = (uint32_t)v;
		n = LOOKUP(sched_policies, v & ~UINT64_C(0x40000000));
		if (n)
			fr_sb_puts(sb, n);
		else
			fr_sb_printf(sb, "%" PRIu64, v & ~UINT64_C(0x40000000));
		if (v & 0x40000000)
			fr_sb_puts(sb, "|SCHED_RESET_ON_FORK");
		break;
	case FR_FMT_MOUNT_FLAGS:
		/* Before 2.4 the top 16 bits had to hold the magic 0xC0ED. */
		if ((v & 0xffff0000u) == 0xc0ed0000u) {
			fr_sb_puts(sb, "MS_MGC_VAL");
			v &= ~UINT64_C(0xffff0000);
			if (v)
				fr_sb_putc(sb, '|');
			else
				break;
		}
		print_flags_table(sb, mount_flags, FR_ARRAY_SIZE(mount_flags), v);
		break;
	case FR_FMT_SIGNAL:
		fr_print_signal(sb, (int)(uint32_t)v);
		break;
	case FR_FMT_IOCTL_REQUEST: {
		/* include/uapi/asm-generic/ioctl.h: dir 2 bits, size 14, type 8, nr 8 */
		static const char *const dirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
						   "_IOC_READ|_IOC_WRITE"};

		v = (uint32_t)v;
		n = LOOKUP(ioctl_requests, v);
		if (n)
			fr_sb_puts(sb, n);
		else
			fr_sb_printf(sb, "_IOC(%s, %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ")",
				     dirs[(v >> 30) & 3], (v >> 8) & 0xff, v & 0xff,
				     (v >> 16) & 0x3fff);
		break;
	}
	default:
		fr_sb_printf(sb, "%#" PRIx64, v);
		break;
	}
}

void fr_print_flags(struct fr_sb *sb, unsigned set, uint64_t value)
{
	const struct set_desc *d = set < FR_FMT_COUNT ? &sets[set] : NULL;
	const char *n;

	if (!d || (!d->names && d->style != ST_SPECIAL) || fr_fmt_is_struct(set)) {
		fr_sb_printf(sb, "%#" PRIx64, value);
		return;
	}
	if (d->bits == 32)
		value = (uint32_t)value;
	switch (d->style) {
	case ST_ENUM:
		n = lookup(d->names, d->n, value);
		if (n)
			fr_sb_puts(sb, n);
		else
			fr_sb_printf(sb, "%" PRId32, (int32_t)(uint32_t)value);
		break;
	case ST_FLAGS:
		print_flags_table(sb, d->names, d->n, value);
		break;
	default:
		print_special(sb, set, value);
		break;
	}
}

/* Used by the struct decoders in print.c. */
void fr_print_flag_table(struct fr_sb *sb, const struct fr_name *t, size_t n, uint64_t v)
{
	print_flags_table(sb, t, n, v);
}
