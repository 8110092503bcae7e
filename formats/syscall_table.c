// SPDX-License-Identifier: MIT
/*
 * syscall_table.c: the x86-64 system call table of Linux 6.18 (see
 * formats/syscalls.h), one row per entry of the common and 64-bit ABIs of
 * arch/x86/entry/syscalls/syscall_64.tbl: 0..336 and 424..469.  The x32
 * entries (512+) are out of scope; 337..423 are unused on x86-64.
 *
 * Each row says how to read every argument (what capture records and replay
 * serves), how to print it, the strace classes, what a blocked call waits
 * for, and how strict replay treats the call:
 *
 *   EMULATE      inputs and environment (reads, stat, time, random, uname,
 *                poll/epoll results, wait status): not run, the recorded
 *                return value and out data are served.  Only possible when
 *                the row describes every byte the kernel writes.
 *   CHECK        writes and sends, and anything that changes files or the
 *                system: not run; the in data is compared with the
 *                recording and the recorded result served.  Nothing the
 *                replayed program does reaches the network or the user's
 *                files.
 *   REAL         memory, threads and signal setup, whose effects live in
 *                the replayed process itself.
 *   FD_CREATE    calls returning new descriptors: served, and a
 *                placeholder takes the recorded number.
 *   SPECIAL      dedicated code in replay/ (exec, mmap of files, ioctl,
 *                fcntl, close, signals sent to pids that must be mapped).
 *   UNSUPPORTED  what replay cannot reproduce: making the call is a
 *                divergence.
 *
 * Rows are designated by number, so table[nr].nr == nr and a gap stays a
 * NULL name.  The replay helper may refine policies; keep the reasons in
 * comments next to the rows.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/syscalls.h"
#include "formats/util.h"

/* clang-format off */
/* ---- argument shorthands ------------------------------------------------------ */

#define A_(k, l, s, f) { FR_A_##k, l, s, f, 0 }
#define INT A_(INT, 0, 4, 0)     /* int, pid_t, uid_t: 32 bits of the register */
#define UINT A_(UINT, 0, 4, 0)   /* unsigned int, u32 */
#define LONG A_(INT, 0, 8, 0)    /* long, off_t, loff_t */
#define ULONG A_(UINT, 0, 8, 0)  /* size_t, unsigned long */
#define HEX A_(HEX, 0, 0, 0)
#define PTR A_(PTR, 0, 0, 0)
#define FD A_(FD, 0, 0, 0)
#define MODE A_(MODE, 0, 0, 0)
#define SIG A_(SIGNAL, 0, 0, 0)
#define PATH A_(PATH, 0, 0, 0)
#define STR A_(STR, 0, 0, 0)
#define STRV A_(STRV, 0, 0, 0)
#define FLAGS(f) A_(FLAGS, 0, 0, FR_FMT_##f)
#define ENUM(f) A_(ENUM, 0, 0, FR_FMT_##f)
#define BUF_IN(l) A_(BUF_IN, l, 0, 0)
#define BUF_IN_AS(l, f) A_(BUF_IN, l, 0, FR_FMT_##f)
#define BUF_OUT(l) A_(BUF_OUT, l, 0, 0)
#define BUF_OUT_AS(l, f) A_(BUF_OUT, l, 0, FR_FMT_##f)
#define S_IN(sz, f) A_(STRUCT_IN, 0, sz, FR_FMT_##f)
#define S_OUT(sz, f) A_(STRUCT_OUT, 0, sz, FR_FMT_##f)
#define S_IO(sz, f) A_(STRUCT_INOUT, 0, sz, FR_FMT_##f)
#define ARR_IN(l, sz, f) A_(ARRAY_IN, l, sz, FR_FMT_##f)
#define ARR_OUT(sz, f) A_(ARRAY_OUT, 0, sz, FR_FMT_##f)
#define ARR_IO(l, sz, f) A_(ARRAY_INOUT, l, sz, FR_FMT_##f)
#define IOV_IN(l) A_(IOV_IN, l, 16, 0)   /* struct iovec: 16 bytes */
#define IOV_OUT(l) A_(IOV_OUT, l, 16, 0)
#define SA_IN(l) A_(SOCKADDR_IN, l, 0, FR_FMT_S_SOCKADDR)
#define SA_OUT(l) A_(SOCKADDR_OUT, l, 0, FR_FMT_S_SOCKADDR)
#define LENP_OUT(l, f) A_(SOCKADDR_OUT, l, 0, FR_FMT_##f) /* length via u32 * */
#define MSG_IN A_(MSGHDR_IN, 0, 56, 0)   /* struct user_msghdr: 56 bytes */
#define MSG_OUT A_(MSGHDR_OUT, 0, 56, 0)
#define MMSG_IN(l) A_(MMSGHDR_IN, l, 64, 0) /* struct mmsghdr: 64 bytes */
#define MMSG_OUT A_(MMSGHDR_OUT, 0, 64, 0)
#define FDSET(l) A_(FDSET_INOUT, l, 0, 0)
#define SS_IN(l) A_(SIGSET_IN, l, 0, 0)
#define SS_OUT(l) A_(SIGSET_OUT, l, 0, 0)

/* ---- class shorthands (strace's %classes, plus flightrec's data bits) --------- */

#define CF FR_SCC_FILE
#define CD FR_SCC_DESC
#define CN FR_SCC_NET
#define CP FR_SCC_PROCESS
#define CS FR_SCC_SIGNAL
#define CI FR_SCC_IPC
#define CM FR_SCC_MEMORY
#define CCL FR_SCC_CLOCK
#define CST FR_SCC_STAT
#define CSF FR_SCC_STATFS
#define CC FR_SCC_CREDS
#define CPURE FR_SCC_PURE
#define CR FR_SCC_READ
#define CW FR_SCC_WRITE
#define CRND FR_SCC_RANDOM

#define SC(nr_, name_, nargs_, ret_, rp_, wait_, cls_, ...)                                  \
	[nr_] = { .name = name_, .nr = nr_, .nargs = nargs_, .ret = FR_R_##ret_,           \
		  .replay = FR_RP_##rp_, .wait = FR_WAIT_##wait_, .cls = (cls_),             \
		  .args = { __VA_ARGS__ } }

/*
 * Entries the x86-64 table lists without an entry point: the kernel answers
 * -ENOSYS, so serving the recorded result is exact.  Argument counts are the
 * historical ones strace prints.
 */
#define NI(nr_, name_, nargs_, cls_, ...) \
	SC(nr_, name_, nargs_, INT, EMULATE, NONE, cls_, __VA_ARGS__)

static const struct fr_syscall_desc table[FR_NR_SYSCALLS] = {
	/* Data crossing the boundary: read* serve the bytes the kernel wrote
	 * (BUF_OUT: the return value says how many), write* compare theirs. */
	SC(0, "read", 3, SIZE, EMULATE, IO, CD | CR, FD, BUF_OUT(2), ULONG),
	SC(1, "write", 3, SIZE, CHECK, IO, CD | CW, FD, BUF_IN(2), ULONG),
	SC(2, "open", 3, FD, FD_CREATE, NONE, CD | CF, PATH, FLAGS(OPEN_FLAGS), MODE),
	/* close: the placeholder must go, and a real descriptor the replayer
	 * keeps for mmap must not, hence dedicated code. */
	SC(3, "close", 1, INT, SPECIAL, NONE, CD, FD),
	SC(4, "stat", 2, INT, EMULATE, NONE, CF | CST, PATH, S_OUT(144, S_STAT)),
	SC(5, "fstat", 2, INT, EMULATE, NONE, CD | CST, FD, S_OUT(144, S_STAT)),
	SC(6, "lstat", 2, INT, EMULATE, NONE, CF | CST, PATH, S_OUT(144, S_STAT)),
	/* poll: events in at entry, revents out at exit, same array. */
	SC(7, "poll", 3, INT, EMULATE, POLL, CD, ARR_IO(1, 8, S_POLLFD), UINT, INT),
	SC(8, "lseek", 3, INT, EMULATE, NONE, CD, FD, LONG, ENUM(SEEK_WHENCE)),
	/* mmap: anonymous memory runs for real, a file mapping needs the file
	 * (the real one when present, else one rebuilt from the recording). */
	SC(9, "mmap", 6, PTR, SPECIAL, MEMORY, CD | CM, PTR, ULONG, FLAGS(MMAP_PROT),
	   FLAGS(MMAP_FLAGS), FD, HEX),
	SC(10, "mprotect", 3, INT, REAL, MEMORY, CM, HEX, ULONG, FLAGS(MMAP_PROT)),
	SC(11, "munmap", 2, INT, REAL, MEMORY, CM, HEX, ULONG),
	SC(12, "brk", 1, PTR, REAL, MEMORY, CM, PTR),
	/* The kernel's struct sigaction: handler, flags, restorer, mask. */
	SC(13, "rt_sigaction", 4, INT, REAL, NONE, CS, SIG, S_IN(32, S_SIGACTION),
	   S_OUT(32, S_SIGACTION), ULONG),
	SC(14, "rt_sigprocmask", 4, INT, REAL, NONE, CS, ENUM(SIGPROCMASK_HOW), SS_IN(3), SS_OUT(3),
	   ULONG),
	SC(15, "rt_sigreturn", 0, INT, REAL, NONE, CS),
	/* ioctl: what the third argument is depends on the request. */
	SC(16, "ioctl", 3, INT, SPECIAL, IO, CD, FD, ENUM(IOCTL_REQUEST), HEX),
	SC(17, "pread64", 4, SIZE, EMULATE, IO, CD | CR, FD, BUF_OUT(2), ULONG, LONG),
	SC(18, "pwrite64", 4, SIZE, CHECK, IO, CD | CW, FD, BUF_IN(2), ULONG, LONG),
	SC(19, "readv", 3, SIZE, EMULATE, IO, CD | CR, FD, IOV_OUT(2), ULONG),
	SC(20, "writev", 3, SIZE, CHECK, IO, CD | CW, FD, IOV_IN(2), ULONG),
	SC(21, "access", 2, INT, EMULATE, NONE, CF, PATH, FLAGS(ACCESS_MODE)),
	SC(22, "pipe", 1, INT, FD_CREATE, NONE, CD, S_OUT(8, S_FD_PAIR)),
	/* select: the three fd_sets are read at entry and rewritten at exit,
	 * and Linux writes the time left back into the timeval. */
	SC(23, "select", 5, INT, EMULATE, POLL, CD, INT, FDSET(0), FDSET(0), FDSET(0),
	   S_IO(16, S_TIMEVAL)),
	SC(24, "sched_yield", 0, INT, REAL, NONE, 0),
	SC(25, "mremap", 5, PTR, REAL, MEMORY, CM, HEX, ULONG, ULONG, FLAGS(MREMAP_FLAGS), HEX),
	/* msync: replay maps files privately, so syncing cannot reach them. */
	SC(26, "msync", 3, INT, REAL, SYNC, CM, HEX, ULONG, FLAGS(MSYNC_FLAGS)),
	/* mincore reports on the replayed process's own memory. */
	SC(27, "mincore", 3, INT, REAL, NONE, CM, HEX, ULONG, PTR),
	/* madvise must run: MADV_DONTNEED zeroes anonymous memory. */
	SC(28, "madvise", 3, INT, REAL, MEMORY, CM, HEX, ULONG, ENUM(MADVISE_ADVICE)),
	/* System V shared memory is shared with processes outside the
	 * recording; its contents cannot be reproduced. */
	SC(29, "shmget", 3, INT, UNSUPPORTED, NONE, CI, HEX, ULONG, HEX),
	SC(30, "shmat", 3, PTR, UNSUPPORTED, MEMORY, CI | CM, INT, PTR, HEX),
	SC(31, "shmctl", 3, INT, UNSUPPORTED, NONE, CI, INT, INT, PTR),
	SC(32, "dup", 1, FD, FD_CREATE, NONE, CD, FD),
	SC(33, "dup2", 2, FD, FD_CREATE, NONE, CD, FD, FD),
	/* pause, rt_sigsuspend: return after a handler ran; replay must
	 * deliver the recorded signal at this point. */
	SC(34, "pause", 0, INT, SPECIAL, SIGNAL, CS),
	/* rem is written only when the sleep is interrupted (EINTR), when out
	 * data is not captured (syscalls.h): the recorded error is served and
	 * the signal that interrupted it is replay's business. */
	SC(35, "nanosleep", 2, INT, EMULATE, SLEEP, 0, S_IN(16, S_TIMESPEC), S_OUT(16, S_TIMESPEC)),
	/* Interval timers deliver signals on the replay host's clock: they are
	 * not armed; recorded signal deliveries are replayed instead. */
	SC(36, "getitimer", 2, INT, EMULATE, NONE, 0, ENUM(ITIMER_WHICH), S_OUT(32, S_ITIMERVAL)),
	SC(37, "alarm", 1, INT, EMULATE, NONE, 0, UINT),
	SC(38, "setitimer", 3, INT, EMULATE, NONE, 0, ENUM(ITIMER_WHICH), S_IN(32, S_ITIMERVAL),
	   S_OUT(32, S_ITIMERVAL)),
	/* The recorded ids, not the replaying process's. */
	SC(39, "getpid", 0, PID, EMULATE, NONE, CPURE),
	/* sendfile, splice, tee, copy_file_range move data inside the kernel:
	 * not run, arguments compared, offsets served. */
	SC(40, "sendfile", 4, SIZE, CHECK, IO, CD | CN, FD, FD, S_IO(8, S_INT64), ULONG),
	SC(41, "socket", 3, FD, FD_CREATE, NONE, CN, ENUM(SOCK_FAMILY), FLAGS(SOCK_TYPE), INT),
	/* connect and bind never reach the network; the address is compared. */
	SC(42, "connect", 3, INT, CHECK, NET, CN, FD, SA_IN(2), INT),
	SC(43, "accept", 3, FD, FD_CREATE, NET, CN, FD, SA_OUT(2), PTR),
	SC(44, "sendto", 6, SIZE, CHECK, IO, CN | CW, FD, BUF_IN(2), ULONG, FLAGS(MSG_FLAGS),
	   SA_IN(5), INT),
	SC(45, "recvfrom", 6, SIZE, EMULATE, IO, CN | CR, FD, BUF_OUT(2), ULONG, FLAGS(MSG_FLAGS),
	   SA_OUT(5), PTR),
	SC(46, "sendmsg", 3, SIZE, CHECK, IO, CN | CW, FD, MSG_IN, FLAGS(MSG_FLAGS)),
	SC(47, "recvmsg", 3, SIZE, EMULATE, IO, CN | CR, FD, MSG_OUT, FLAGS(MSG_FLAGS)),
	SC(48, "shutdown", 2, INT, CHECK, NONE, CN, FD, ENUM(SHUTDOWN_HOW)),
	SC(49, "bind", 3, INT, CHECK, NONE, CN, FD, SA_IN(2), INT),
	SC(50, "listen", 2, INT, CHECK, NONE, CN, FD, INT),
	SC(51, "getsockname", 3, INT, EMULATE, NONE, CN, FD, SA_OUT(2), PTR),
	SC(52, "getpeername", 3, INT, EMULATE, NONE, CN, FD, SA_OUT(2), PTR),
	SC(53, "socketpair", 4, INT, FD_CREATE, NONE, CN, ENUM(SOCK_FAMILY), FLAGS(SOCK_TYPE), INT,
	   S_OUT(8, S_FD_PAIR)),
	/* optname is named by the printer from the level (SO_*, TCP_*). */
	SC(54, "setsockopt", 5, INT, CHECK, NONE, CN, FD, ENUM(SOCKOPT_LEVEL), INT,
	   BUF_IN_AS(4, S_SOCKOPT), INT),
	/* getsockopt: *optlen holds the buffer size at entry and the value's
	 * length at exit; the bytes read are that exit length (SOCKADDR_OUT
	 * semantics).  SO_ERROR after a non-blocking connect comes this way. */
	SC(55, "getsockopt", 5, INT, EMULATE, NONE, CN, FD, ENUM(SOCKOPT_LEVEL), INT,
	   LENP_OUT(4, S_SOCKOPT), PTR),
	/* x86-64 argument order: flags, stack, parent_tid, child_tid, tls. */
	SC(56, "clone", 5, PID, REAL, NONE, CP, FLAGS(CLONE_FLAGS), HEX, PTR, PTR, HEX),
	SC(57, "fork", 0, PID, REAL, NONE, CP),
	SC(58, "vfork", 0, PID, REAL, NONE, CP),
	SC(59, "execve", 3, INT, SPECIAL, NONE, CF | CP, PATH, STRV, STRV),
	SC(60, "exit", 1, NONE, REAL, NONE, CP, INT),
	/* The child's status and rusage are served from the recording; reaping
	 * the replayed child for real is the replayer's own business. */
	SC(61, "wait4", 4, PID, EMULATE, CHILD, CP, INT, S_OUT(4, S_WAIT_STATUS),
	   FLAGS(WAIT_OPTIONS), S_OUT(144, S_RUSAGE)),
	/* Signals to pids: the recorded pid is not the replayed one, and a
	 * signal must never reach a process outside the replay. */
	SC(62, "kill", 2, INT, SPECIAL, NONE, CS | CP, INT, SIG),
	SC(63, "uname", 1, INT, EMULATE, NONE, 0, S_OUT(390, S_UTSNAME)),
	/* System V semaphores and queues: ids and results are served; the
	 * commands whose output the table cannot describe are unsupported. */
	SC(64, "semget", 3, INT, EMULATE, NONE, CI, HEX, INT, HEX),
	SC(65, "semop", 3, INT, EMULATE, LOCK, CI, INT, ARR_IN(2, 6, NONE), UINT),
	SC(66, "semctl", 4, INT, UNSUPPORTED, NONE, CI, INT, INT, INT, HEX),
	SC(67, "shmdt", 1, INT, UNSUPPORTED, MEMORY, CI | CM, HEX),
	SC(68, "msgget", 2, INT, EMULATE, NONE, CI, HEX, HEX),
	/* struct msgbuf is an 8-byte mtype then msgsz bytes: not one of the
	 * shapes above, so the message is not captured. */
	SC(69, "msgsnd", 4, INT, UNSUPPORTED, IO, CI, INT, PTR, ULONG, HEX),
	SC(70, "msgrcv", 5, SIZE, UNSUPPORTED, IO, CI, INT, PTR, ULONG, LONG, HEX),
	SC(71, "msgctl", 3, INT, UNSUPPORTED, NONE, CI, INT, INT, PTR),
	/* fcntl: the third argument and what the kernel writes depend on the
	 * command (F_GETLK fills a struct flock); F_SETLKW waits on a lock. */
	SC(72, "fcntl", 3, INT, SPECIAL, LOCK, CD, FD, ENUM(FCNTL_CMD), HEX),
	SC(73, "flock", 2, INT, EMULATE, LOCK, CD, FD, FLAGS(FLOCK_OP)),
	/* Nothing was written for real, so there is nothing to sync. */
	SC(74, "fsync", 1, INT, CHECK, SYNC, CD, FD),
	SC(75, "fdatasync", 1, INT, CHECK, SYNC, CD, FD),
	SC(76, "truncate", 2, INT, CHECK, NONE, CF, PATH, LONG),
	SC(77, "ftruncate", 2, INT, CHECK, NONE, CD, FD, LONG),
	SC(78, "getdents", 3, SIZE, EMULATE, IO, CD, FD, BUF_OUT_AS(2, S_DIRENT), UINT),
	/* getcwd returns the length of the path including its NUL: the out
	 * bytes are the return value's, as for read. */
	SC(79, "getcwd", 2, SIZE, EMULATE, NONE, CF, BUF_OUT(1), ULONG),
	/* Paths are not resolved by the replayed program itself (opens are
	 * served): the cwd change is served too. */
	SC(80, "chdir", 1, INT, EMULATE, NONE, CF, PATH),
	SC(81, "fchdir", 1, INT, EMULATE, NONE, CD, FD),
	SC(82, "rename", 2, INT, CHECK, NONE, CF, PATH, PATH),
	SC(83, "mkdir", 2, INT, CHECK, NONE, CF, PATH, MODE),
	SC(84, "rmdir", 1, INT, CHECK, NONE, CF, PATH),
	SC(85, "creat", 2, FD, FD_CREATE, NONE, CD | CF, PATH, MODE),
	SC(86, "link", 2, INT, CHECK, NONE, CF, PATH, PATH),
	SC(87, "unlink", 1, INT, CHECK, NONE, CF, PATH),
	SC(88, "symlink", 2, INT, CHECK, NONE, CF, PATH, PATH),
	/* readlink returns the byte count (no NUL is written): BUF_OUT. */
	SC(89, "readlink", 3, SIZE, EMULATE, NONE, CF, PATH, BUF_OUT(2), INT),
	SC(90, "chmod", 2, INT, CHECK, NONE, CF, PATH, MODE),
	SC(91, "fchmod", 2, INT, CHECK, NONE, CD, FD, MODE),
	SC(92, "chown", 3, INT, CHECK, NONE, CF, PATH, INT, INT),
	SC(93, "fchown", 3, INT, CHECK, NONE, CD, FD, INT, INT),
	SC(94, "lchown", 3, INT, CHECK, NONE, CF, PATH, INT, INT),
	/* No file is created for real, so the mask only needs serving. */
	SC(95, "umask", 1, INT, EMULATE, NONE, 0, MODE),
	SC(96, "gettimeofday", 2, INT, EMULATE, NONE, CCL, S_OUT(16, S_TIMEVAL),
	   S_OUT(8, S_TIMEZONE)),
	SC(97, "getrlimit", 2, INT, EMULATE, NONE, 0, ENUM(RLIMIT_RESOURCE), S_OUT(16, S_RLIMIT)),
	SC(98, "getrusage", 2, INT, EMULATE, NONE, 0, ENUM(RUSAGE_WHO), S_OUT(144, S_RUSAGE)),
	SC(99, "sysinfo", 1, INT, EMULATE, NONE, 0, S_OUT(112, S_SYSINFO)),
	SC(100, "times", 1, INT, EMULATE, NONE, 0, S_OUT(32, S_TMS)),
	/* A tracee cannot be traced again under the replayer's ptrace. */
	SC(101, "ptrace", 4, INT, UNSUPPORTED, NONE, 0, ENUM(PTRACE_REQUEST), INT, HEX, HEX),
	/* Identities and credentials are the recorded ones: served, never set
	 * for real (the replaying user could not). */
	SC(102, "getuid", 0, INT, EMULATE, NONE, CC | CPURE),
	SC(103, "syslog", 3, INT, EMULATE, NONE, 0, INT, BUF_OUT(2), INT),
	SC(104, "getgid", 0, INT, EMULATE, NONE, CC | CPURE),
	SC(105, "setuid", 1, INT, EMULATE, NONE, CC, INT),
	SC(106, "setgid", 1, INT, EMULATE, NONE, CC, INT),
	SC(107, "geteuid", 0, INT, EMULATE, NONE, CC | CPURE),
	SC(108, "getegid", 0, INT, EMULATE, NONE, CC | CPURE),
	SC(109, "setpgid", 2, INT, EMULATE, NONE, 0, INT, INT),
	SC(110, "getppid", 0, PID, EMULATE, NONE, CPURE),
	SC(111, "getpgrp", 0, PID, EMULATE, NONE, CPURE),
	SC(112, "setsid", 0, PID, EMULATE, NONE, 0),
	SC(113, "setreuid", 2, INT, EMULATE, NONE, CC, INT, INT),
	SC(114, "setregid", 2, INT, EMULATE, NONE, CC, INT, INT),
	/* getgroups returns the number of gids written; with a size of 0 it
	 * returns the count and writes nothing (the list is then normally
	 * NULL, and nothing is captured). */
	SC(115, "getgroups", 2, INT, EMULATE, NONE, CC, INT, ARR_OUT(4, S_INT)),
	SC(116, "setgroups", 2, INT, EMULATE, NONE, CC, INT, ARR_IN(0, 4, S_INT)),
	SC(117, "setresuid", 3, INT, EMULATE, NONE, CC, INT, INT, INT),
	SC(118, "getresuid", 3, INT, EMULATE, NONE, CC, S_OUT(4, S_INT), S_OUT(4, S_INT),
	   S_OUT(4, S_INT)),
	SC(119, "setresgid", 3, INT, EMULATE, NONE, CC, INT, INT, INT),
	SC(120, "getresgid", 3, INT, EMULATE, NONE, CC, S_OUT(4, S_INT), S_OUT(4, S_INT),
	   S_OUT(4, S_INT)),
	SC(121, "getpgid", 1, PID, EMULATE, NONE, 0, INT),
	SC(122, "setfsuid", 1, INT, EMULATE, NONE, CC, INT),
	SC(123, "setfsgid", 1, INT, EMULATE, NONE, CC, INT),
	SC(124, "getsid", 1, PID, EMULATE, NONE, 0, INT),
	/* Capability header (version, pid) in and out; data is 2 x 12 bytes
	 * for the 64-bit capability versions. */
	SC(125, "capget", 2, INT, EMULATE, NONE, CC, S_IO(8, NONE), S_OUT(24, NONE)),
	SC(126, "capset", 2, INT, EMULATE, NONE, CC, S_IO(8, NONE), S_IN(24, NONE)),
	SC(127, "rt_sigpending", 2, INT, EMULATE, NONE, CS, SS_OUT(1), ULONG),
	/* The signal it takes was pending in the recording; in replay nobody
	 * sends it, so the recorded one is served. */
	SC(128, "rt_sigtimedwait", 4, INT, EMULATE, SIGNAL, CS, SS_IN(3), S_OUT(128, S_SIGINFO),
	   S_IN(16, S_TIMESPEC), ULONG),
	SC(129, "rt_sigqueueinfo", 3, INT, SPECIAL, NONE, CS | CP, INT, SIG, S_IN(128, S_SIGINFO)),
	SC(130, "rt_sigsuspend", 2, INT, SPECIAL, SIGNAL, CS, SS_IN(1), ULONG),
	SC(131, "sigaltstack", 2, INT, REAL, NONE, CS, S_IN(24, S_STACK), S_OUT(24, S_STACK)),
	SC(132, "utime", 2, INT, CHECK, NONE, CF, PATH, S_IN(16, S_UTIMBUF)),
	SC(133, "mknod", 3, INT, CHECK, NONE, CF, PATH, MODE, HEX),
	NI(134, "uselib", 1, CF, PATH),
	/* The persona only matters to a later exec, which replay handles. */
	SC(135, "personality", 1, INT, EMULATE, NONE, 0, HEX),
	SC(136, "ustat", 2, INT, EMULATE, NONE, CSF, HEX, S_OUT(32, NONE)),
	SC(137, "statfs", 2, INT, EMULATE, NONE, CF | CSF, PATH, S_OUT(120, S_STATFS)),
	SC(138, "fstatfs", 2, INT, EMULATE, NONE, CD | CSF, FD, S_OUT(120, S_STATFS)),
	/* sysfs(2) writes to its third argument for option 2 only. */
	SC(139, "sysfs", 3, INT, UNSUPPORTED, NONE, 0, INT, HEX, HEX),
	/* Scheduling parameters change nothing a program can observe except
	 * through these calls: served. */
	SC(140, "getpriority", 2, INT, EMULATE, NONE, 0, ENUM(PRIO_WHICH), INT),
	SC(141, "setpriority", 3, INT, EMULATE, NONE, 0, ENUM(PRIO_WHICH), INT, INT),
	SC(142, "sched_setparam", 2, INT, EMULATE, NONE, 0, INT, S_IN(4, S_INT)),
	SC(143, "sched_getparam", 2, INT, EMULATE, NONE, 0, INT, S_OUT(4, S_INT)),
	SC(144, "sched_setscheduler", 3, INT, EMULATE, NONE, 0, INT, FLAGS(SCHED_POLICY),
	   S_IN(4, S_INT)),
	SC(145, "sched_getscheduler", 1, INT, EMULATE, NONE, 0, INT),
	SC(146, "sched_get_priority_max", 1, INT, EMULATE, NONE, 0, FLAGS(SCHED_POLICY)),
	SC(147, "sched_get_priority_min", 1, INT, EMULATE, NONE, 0, FLAGS(SCHED_POLICY)),
	SC(148, "sched_rr_get_interval", 2, INT, EMULATE, NONE, 0, INT, S_OUT(16, S_TIMESPEC)),
	/* Locking pages changes no content, and would fail under a lower
	 * RLIMIT_MEMLOCK on the replay host: served. */
	SC(149, "mlock", 2, INT, EMULATE, MEMORY, CM, HEX, ULONG),
	SC(150, "munlock", 2, INT, EMULATE, NONE, CM, HEX, ULONG),
	SC(151, "mlockall", 1, INT, EMULATE, MEMORY, CM, FLAGS(MLOCKALL_FLAGS)),
	SC(152, "munlockall", 0, INT, EMULATE, NONE, CM),
	SC(153, "vhangup", 0, INT, CHECK, NONE, 0),
	/* The LDT is the process's own state (Wine, old threading libraries). */
	SC(154, "modify_ldt", 3, INT, REAL, NONE, 0, INT, PTR, ULONG),
	SC(155, "pivot_root", 2, INT, CHECK, NONE, CF, PATH, PATH),
	NI(156, "_sysctl", 1, 0, HEX),
	/* prctl: PR_SET_NAME and friends act on the process, PR_GET_* write
	 * through pointers whose size depends on the option. */
	SC(157, "prctl", 5, INT, SPECIAL, NONE, CC, ENUM(PRCTL_OPTION), HEX, HEX, HEX, HEX),
	/* ARCH_SET_FS must run (TLS); ARCH_GET_* read that real state back. */
	SC(158, "arch_prctl", 2, INT, REAL, NONE, 0, ENUM(ARCH_PRCTL_CODE), HEX),
	/* struct timex (208): a query with modes 0 (ntp_gettime), a clock
	 * adjustment otherwise; served either way, never applied. */
	SC(159, "adjtimex", 1, INT, EMULATE, NONE, CCL, S_IO(208, NONE)),
	SC(160, "setrlimit", 2, INT, EMULATE, NONE, 0, ENUM(RLIMIT_RESOURCE), S_IN(16, S_RLIMIT)),
	SC(161, "chroot", 1, INT, CHECK, NONE, CF, PATH),
	SC(162, "sync", 0, INT, CHECK, SYNC, 0),
	SC(163, "acct", 1, INT, CHECK, NONE, CF, PATH),
	SC(164, "settimeofday", 2, INT, CHECK, NONE, CCL, S_IN(16, S_TIMEVAL), S_IN(8, S_TIMEZONE)),
	SC(165, "mount", 5, INT, CHECK, NONE, CF, PATH, PATH, STR, FLAGS(MOUNT_FLAGS), HEX),
	SC(166, "umount2", 2, INT, CHECK, NONE, CF, PATH, FLAGS(UMOUNT_FLAGS)),
	SC(167, "swapon", 2, INT, CHECK, NONE, CF, PATH, HEX),
	SC(168, "swapoff", 1, INT, CHECK, NONE, CF, PATH),
	SC(169, "reboot", 4, INT, UNSUPPORTED, NONE, 0, HEX, HEX, HEX, PTR),
	SC(170, "sethostname", 2, INT, CHECK, NONE, 0, BUF_IN(1), INT),
	SC(171, "setdomainname", 2, INT, CHECK, NONE, 0, BUF_IN(1), INT),
	/* Port I/O permissions: the in/out instructions that follow cannot be
	 * reproduced. */
	SC(172, "iopl", 1, INT, UNSUPPORTED, NONE, 0, UINT),
	SC(173, "ioperm", 3, INT, UNSUPPORTED, NONE, 0, HEX, ULONG, INT),
	NI(174, "create_module", 2, 0, HEX, HEX),
	SC(175, "init_module", 3, INT, UNSUPPORTED, NONE, 0, PTR, ULONG, STR),
	SC(176, "delete_module", 2, INT, UNSUPPORTED, NONE, 0, STR, HEX),
	NI(177, "get_kernel_syms", 1, 0, HEX),
	NI(178, "query_module", 5, 0, HEX, HEX, HEX, HEX, HEX),
	/* quotactl: the out struct depends on the command. */
	SC(179, "quotactl", 4, INT, UNSUPPORTED, NONE, CF, HEX, PATH, INT, PTR),
	NI(180, "nfsservctl", 3, 0, HEX, HEX, HEX),
	NI(181, "getpmsg", 5, CN, HEX, HEX, HEX, HEX, HEX),
	NI(182, "putpmsg", 5, CN, HEX, HEX, HEX, HEX, HEX),
	NI(183, "afs_syscall", 5, 0, HEX, HEX, HEX, HEX, HEX),
	NI(184, "tuxcall", 3, 0, HEX, HEX, HEX),
	NI(185, "security", 3, 0, HEX, HEX, HEX),
	SC(186, "gettid", 0, PID, EMULATE, NONE, CPURE),
	SC(187, "readahead", 3, INT, EMULATE, IO, CD, FD, LONG, ULONG),
	SC(188, "setxattr", 5, INT, CHECK, NONE, CF, PATH, STR, BUF_IN(3), ULONG,
	   FLAGS(XATTR_FLAGS)),
	SC(189, "lsetxattr", 5, INT, CHECK, NONE, CF, PATH, STR, BUF_IN(3), ULONG,
	   FLAGS(XATTR_FLAGS)),
	SC(190, "fsetxattr", 5, INT, CHECK, NONE, CD, FD, STR, BUF_IN(3), ULONG,
	   FLAGS(XATTR_FLAGS)),
	/* get*xattr and list*xattr return the byte count written. */
	SC(191, "getxattr", 4, SIZE, EMULATE, NONE, CF, PATH, STR, BUF_OUT(3), ULONG),
	SC(192, "lgetxattr", 4, SIZE, EMULATE, NONE, CF, PATH, STR, BUF_OUT(3), ULONG),
	SC(193, "fgetxattr", 4, SIZE, EMULATE, NONE, CD, FD, STR, BUF_OUT(3), ULONG),
	SC(194, "listxattr", 3, SIZE, EMULATE, NONE, CF, PATH, BUF_OUT(2), ULONG),
	SC(195, "llistxattr", 3, SIZE, EMULATE, NONE, CF, PATH, BUF_OUT(2), ULONG),
	SC(196, "flistxattr", 3, SIZE, EMULATE, NONE, CD, FD, BUF_OUT(2), ULONG),
	SC(197, "removexattr", 2, INT, CHECK, NONE, CF, PATH, STR),
	SC(198, "lremovexattr", 2, INT, CHECK, NONE, CF, PATH, STR),
	SC(199, "fremovexattr", 2, INT, CHECK, NONE, CD, FD, STR),
	SC(200, "tkill", 2, INT, SPECIAL, NONE, CS | CP, INT, SIG),
	/* time(2) returns the time and also stores it when tloc is not NULL. */
	SC(201, "time", 1, INT, EMULATE, NONE, CCL, S_OUT(8, S_INT64)),
	/* futex between replayed threads runs for real: they are real threads
	 * and the replayer orders their calls.  Argument 3 is a timespec for
	 * the wait operations and the integer val2 for the requeue ones, so it
	 * is not followed (reading it as a pointer would fault and count as a
	 * capture loss). */
	SC(202, "futex", 6, INT, REAL, LOCK, 0, HEX, FLAGS(FUTEX_OP), UINT, HEX, HEX, UINT),
	SC(203, "sched_setaffinity", 3, INT, EMULATE, NONE, 0, INT, UINT, BUF_IN(1)),
	/* Returns the size of the mask copied out. */
	SC(204, "sched_getaffinity", 3, SIZE, EMULATE, NONE, 0, INT, UINT, BUF_OUT(1)),
	NI(205, "set_thread_area", 1, 0, HEX),
	/* Linux AIO completes into buffers named by the iocbs, out of sight of
	 * the syscall arguments. */
	SC(206, "io_setup", 2, INT, UNSUPPORTED, NONE, CM, UINT, S_OUT(8, S_INT64)),
	SC(207, "io_destroy", 1, INT, UNSUPPORTED, NONE, CM, HEX),
	SC(208, "io_getevents", 5, INT, UNSUPPORTED, IO, 0, HEX, LONG, LONG, ARR_OUT(32, NONE),
	   S_IN(16, S_TIMESPEC)),
	SC(209, "io_submit", 3, INT, UNSUPPORTED, NONE, 0, HEX, INT, PTR),
	SC(210, "io_cancel", 3, INT, UNSUPPORTED, NONE, 0, HEX, PTR, S_OUT(32, NONE)),
	NI(211, "get_thread_area", 1, 0, HEX),
	NI(212, "lookup_dcookie", 3, 0, HEX, HEX, HEX),
	SC(213, "epoll_create", 1, FD, FD_CREATE, NONE, CD, INT),
	NI(214, "epoll_ctl_old", 4, 0, HEX, HEX, HEX, HEX),
	NI(215, "epoll_wait_old", 4, 0, HEX, HEX, HEX, HEX),
	SC(216, "remap_file_pages", 5, INT, REAL, MEMORY, CM, HEX, ULONG, HEX, ULONG, HEX),
	SC(217, "getdents64", 3, SIZE, EMULATE, IO, CD, FD, BUF_OUT_AS(2, S_DIRENT64), UINT),
	/* Must run (clear_child_tid wakes pthread_join).  It returns the
	 * caller's tid: the replayer substitutes the recorded one. */
	SC(218, "set_tid_address", 1, PID, REAL, NONE, 0, PTR),
	/* The kernel restarts an interrupted sleep with it; replay must tie it
	 * to the call it continues. */
	SC(219, "restart_syscall", 0, INT, SPECIAL, NONE, 0),
	SC(220, "semtimedop", 4, INT, EMULATE, LOCK, CI, INT, ARR_IN(2, 6, NONE), UINT,
	   S_IN(16, S_TIMESPEC)),
	SC(221, "fadvise64", 4, INT, EMULATE, NONE, CD, FD, LONG, ULONG, ENUM(FADVISE_ADVICE)),
	/* POSIX timers: not armed (see setitimer); the timer id is served. */
	SC(222, "timer_create", 3, INT, EMULATE, NONE, 0, ENUM(CLOCK_ID), S_IN(64, NONE),
	   S_OUT(4, S_INT)),
	SC(223, "timer_settime", 4, INT, EMULATE, NONE, 0, INT, FLAGS(TIMER_FLAGS),
	   S_IN(32, S_ITIMERSPEC), S_OUT(32, S_ITIMERSPEC)),
	SC(224, "timer_gettime", 2, INT, EMULATE, NONE, 0, INT, S_OUT(32, S_ITIMERSPEC)),
	SC(225, "timer_getoverrun", 1, INT, EMULATE, NONE, 0, INT),
	SC(226, "timer_delete", 1, INT, EMULATE, NONE, 0, INT),
	SC(227, "clock_settime", 2, INT, CHECK, NONE, CCL, ENUM(CLOCK_ID), S_IN(16, S_TIMESPEC)),
	SC(228, "clock_gettime", 2, INT, EMULATE, NONE, CCL, ENUM(CLOCK_ID), S_OUT(16, S_TIMESPEC)),
	SC(229, "clock_getres", 2, INT, EMULATE, NONE, CCL, ENUM(CLOCK_ID), S_OUT(16, S_TIMESPEC)),
	SC(230, "clock_nanosleep", 4, INT, EMULATE, SLEEP, 0, ENUM(CLOCK_ID), FLAGS(TIMER_FLAGS),
	   S_IN(16, S_TIMESPEC), S_OUT(16, S_TIMESPEC)),
	SC(231, "exit_group", 1, NONE, REAL, NONE, CP, INT),
	/* epoll_wait returns the number of events written. */
	SC(232, "epoll_wait", 4, INT, EMULATE, POLL, CD, FD, ARR_OUT(12, S_EPOLL_EVENT), INT, INT),
	/* Registration on a placeholder epoll fd: compared, not run. */
	SC(233, "epoll_ctl", 4, INT, CHECK, NONE, CD, FD, ENUM(EPOLL_CTL_OP), FD,
	   S_IN(12, S_EPOLL_EVENT)),
	SC(234, "tgkill", 3, INT, SPECIAL, NONE, CS | CP, INT, INT, SIG),
	SC(235, "utimes", 2, INT, CHECK, NONE, CF, PATH, S_IN(32, S_TIMEVAL_PAIR)),
	NI(236, "vserver", 5, 0, HEX, HEX, HEX, HEX, HEX),
	/* NUMA policy of the replayed process's own memory. */
	SC(237, "mbind", 6, INT, REAL, NONE, CM, HEX, ULONG, INT, PTR, ULONG, HEX),
	SC(238, "set_mempolicy", 3, INT, REAL, NONE, CM, INT, PTR, ULONG),
	SC(239, "get_mempolicy", 5, INT, REAL, NONE, CM, PTR, PTR, ULONG, HEX, HEX),
	SC(240, "mq_open", 4, FD, FD_CREATE, NONE, CD, STR, FLAGS(OPEN_FLAGS), MODE,
	   S_IN(64, NONE)),
	SC(241, "mq_unlink", 1, INT, CHECK, NONE, 0, STR),
	SC(242, "mq_timedsend", 5, INT, CHECK, IO, CD | CW, FD, BUF_IN(2), ULONG, UINT,
	   S_IN(16, S_TIMESPEC)),
	SC(243, "mq_timedreceive", 5, SIZE, EMULATE, IO, CD | CR, FD, BUF_OUT(2), ULONG,
	   S_OUT(4, S_INT), S_IN(16, S_TIMESPEC)),
	SC(244, "mq_notify", 2, INT, EMULATE, NONE, CD, FD, S_IN(64, NONE)),
	SC(245, "mq_getsetattr", 3, INT, EMULATE, NONE, CD, FD, S_IN(64, NONE), S_OUT(64, NONE)),
	SC(246, "kexec_load", 4, INT, UNSUPPORTED, NONE, 0, HEX, ULONG, PTR, HEX),
	SC(247, "waitid", 5, INT, EMULATE, CHILD, CP, ENUM(IDTYPE), INT, S_OUT(128, S_SIGINFO),
	   FLAGS(WAIT_OPTIONS), S_OUT(144, S_RUSAGE)),
	/* Kernel keyrings are state outside the recording, and keyctl's
	 * outputs depend on its command. */
	SC(248, "add_key", 5, INT, UNSUPPORTED, NONE, 0, STR, STR, BUF_IN(3), UINT, INT),
	SC(249, "request_key", 4, INT, UNSUPPORTED, NONE, 0, STR, STR, STR, INT),
	SC(250, "keyctl", 5, INT, UNSUPPORTED, NONE, 0, INT, HEX, HEX, HEX, HEX),
	SC(251, "ioprio_set", 3, INT, EMULATE, NONE, 0, INT, INT, HEX),
	SC(252, "ioprio_get", 2, INT, EMULATE, NONE, 0, INT, INT),
	SC(253, "inotify_init", 0, FD, FD_CREATE, NONE, CD),
	/* Returns a watch descriptor, not a file descriptor. */
	SC(254, "inotify_add_watch", 3, INT, EMULATE, NONE, CD | CF, FD, PATH, FLAGS(INOTIFY_MASK)),
	SC(255, "inotify_rm_watch", 2, INT, EMULATE, NONE, CD, FD, INT),
	/* Both act on a pid, which would need mapping, and write per-page
	 * results the table cannot size. */
	SC(256, "migrate_pages", 4, INT, UNSUPPORTED, NONE, CM, INT, ULONG, PTR, PTR),
	SC(257, "openat", 4, FD, FD_CREATE, NONE, CD | CF, FD, PATH, FLAGS(OPEN_FLAGS), MODE),
	SC(258, "mkdirat", 3, INT, CHECK, NONE, CD | CF, FD, PATH, MODE),
	SC(259, "mknodat", 4, INT, CHECK, NONE, CD | CF, FD, PATH, MODE, HEX),
	SC(260, "fchownat", 5, INT, CHECK, NONE, CD | CF, FD, PATH, INT, INT, FLAGS(AT_FLAGS)),
	SC(261, "futimesat", 3, INT, CHECK, NONE, CD | CF, FD, PATH, S_IN(32, S_TIMEVAL_PAIR)),
	SC(262, "newfstatat", 4, INT, EMULATE, NONE, CD | CF | CST, FD, PATH, S_OUT(144, S_STAT),
	   FLAGS(AT_FLAGS)),
	SC(263, "unlinkat", 3, INT, CHECK, NONE, CD | CF, FD, PATH, FLAGS(UNLINKAT_FLAGS)),
	SC(264, "renameat", 4, INT, CHECK, NONE, CD | CF, FD, PATH, FD, PATH),
	SC(265, "linkat", 5, INT, CHECK, NONE, CD | CF, FD, PATH, FD, PATH, FLAGS(AT_FLAGS)),
	SC(266, "symlinkat", 3, INT, CHECK, NONE, CD | CF, PATH, FD, PATH),
	SC(267, "readlinkat", 4, SIZE, EMULATE, NONE, CD | CF, FD, PATH, BUF_OUT(3), INT),
	SC(268, "fchmodat", 3, INT, CHECK, NONE, CD | CF, FD, PATH, MODE),
	SC(269, "faccessat", 3, INT, EMULATE, NONE, CD | CF, FD, PATH, FLAGS(ACCESS_MODE)),
	/* pselect6: the sixth argument is { const sigset_t *ss; size_t len }. */
	SC(270, "pselect6", 6, INT, EMULATE, POLL, CD, INT, FDSET(0), FDSET(0), FDSET(0),
	   S_IO(16, S_TIMESPEC), S_IN(16, NONE)),
	SC(271, "ppoll", 5, INT, EMULATE, POLL, CD, ARR_IO(1, 8, S_POLLFD), UINT,
	   S_IO(16, S_TIMESPEC), SS_IN(4), ULONG),
	/* New namespaces need privileges the replaying user may not have, and
	 * the replayed program sees only served results anyway. */
	SC(272, "unshare", 1, INT, EMULATE, NONE, 0, FLAGS(UNSHARE_FLAGS)),
	SC(273, "set_robust_list", 2, INT, REAL, NONE, 0, PTR, ULONG),
	/* Writes a pointer into the caller's memory: with ASLR off the real
	 * answer for itself is the recorded one. */
	SC(274, "get_robust_list", 3, INT, REAL, NONE, 0, INT, PTR, PTR),
	SC(275, "splice", 6, SIZE, CHECK, IO, CD, FD, S_IO(8, S_INT64), FD, S_IO(8, S_INT64), ULONG,
	   FLAGS(SPLICE_FLAGS)),
	SC(276, "tee", 4, SIZE, CHECK, IO, CD, FD, FD, ULONG, FLAGS(SPLICE_FLAGS)),
	SC(277, "sync_file_range", 4, INT, CHECK, SYNC, CD, FD, LONG, LONG, HEX),
	/* vmsplice into a pipe's write end (the common use) is a write.  On a
	 * read end it copies into the iovecs; those bytes are not captured. */
	SC(278, "vmsplice", 4, SIZE, CHECK, IO, CD | CW, FD, IOV_IN(2), ULONG, FLAGS(SPLICE_FLAGS)),
	SC(279, "move_pages", 6, INT, UNSUPPORTED, NONE, CM, INT, ULONG, PTR, PTR, PTR, HEX),
	SC(280, "utimensat", 4, INT, CHECK, NONE, CD | CF, FD, PATH, S_IN(32, S_TIMESPEC_PAIR),
	   FLAGS(AT_FLAGS)),
	SC(281, "epoll_pwait", 6, INT, EMULATE, POLL, CD, FD, ARR_OUT(12, S_EPOLL_EVENT), INT, INT,
	   SS_IN(5), ULONG),
	SC(282, "signalfd", 3, FD, FD_CREATE, NONE, CD | CS, FD, SS_IN(2), ULONG),
	SC(283, "timerfd_create", 2, FD, FD_CREATE, NONE, CD, ENUM(CLOCK_ID), FLAGS(TFD_FLAGS)),
	SC(284, "eventfd", 1, FD, FD_CREATE, NONE, CD, UINT),
	SC(285, "fallocate", 4, INT, CHECK, IO, CD, FD, FLAGS(FALLOC_FLAGS), LONG, LONG),
	/* timerfds are placeholders whose reads are served: never armed. */
	SC(286, "timerfd_settime", 4, INT, EMULATE, NONE, CD, FD, FLAGS(TFD_TIMER_FLAGS),
	   S_IN(32, S_ITIMERSPEC), S_OUT(32, S_ITIMERSPEC)),
	SC(287, "timerfd_gettime", 2, INT, EMULATE, NONE, CD, FD, S_OUT(32, S_ITIMERSPEC)),
	SC(288, "accept4", 4, FD, FD_CREATE, NET, CN, FD, SA_OUT(2), PTR, FLAGS(SOCK_FLAGS)),
	SC(289, "signalfd4", 4, FD, FD_CREATE, NONE, CD | CS, FD, SS_IN(2), ULONG,
	   FLAGS(SFD_FLAGS)),
	SC(290, "eventfd2", 2, FD, FD_CREATE, NONE, CD, UINT, FLAGS(EFD_FLAGS)),
	SC(291, "epoll_create1", 1, FD, FD_CREATE, NONE, CD, FLAGS(EPOLL_CREATE_FLAGS)),
	SC(292, "dup3", 3, FD, FD_CREATE, NONE, CD, FD, FD, FLAGS(PIPE_FLAGS)),
	SC(293, "pipe2", 2, INT, FD_CREATE, NONE, CD, S_OUT(8, S_FD_PAIR), FLAGS(PIPE_FLAGS)),
	SC(294, "inotify_init1", 1, FD, FD_CREATE, NONE, CD, FLAGS(INOTIFY_INIT_FLAGS)),
	/* preadv/pwritev take the offset as pos_l, pos_h; on 64-bit pos_h is
	 * ignored, so it is not shown (strace does the same). */
	SC(295, "preadv", 4, SIZE, EMULATE, IO, CD | CR, FD, IOV_OUT(2), ULONG, LONG),
	SC(296, "pwritev", 4, SIZE, CHECK, IO, CD | CW, FD, IOV_IN(2), ULONG, LONG),
	SC(297, "rt_tgsigqueueinfo", 4, INT, SPECIAL, NONE, CS | CP, INT, INT, SIG,
	   S_IN(128, S_SIGINFO)),
	SC(298, "perf_event_open", 5, FD, UNSUPPORTED, NONE, CD, PTR, INT, INT, FD, HEX),
	/* recvmmsg returns the number of messages; Linux writes the time left
	 * back into the timeout. */
	SC(299, "recvmmsg", 5, INT, EMULATE, IO, CN | CR, FD, MMSG_OUT, UINT, FLAGS(MSG_FLAGS),
	   S_IO(16, S_TIMESPEC)),
	SC(300, "fanotify_init", 2, FD, FD_CREATE, NONE, CD, HEX, FLAGS(OPEN_FLAGS)),
	SC(301, "fanotify_mark", 5, INT, CHECK, NONE, CD | CF, FD, HEX, HEX, FD, PATH),
	SC(302, "prlimit64", 4, INT, EMULATE, NONE, 0, INT, ENUM(RLIMIT_RESOURCE),
	   S_IN(16, S_RLIMIT), S_OUT(16, S_RLIMIT)),
	/* struct file_handle sizes itself (handle_bytes in and out). */
	SC(303, "name_to_handle_at", 5, INT, UNSUPPORTED, NONE, CD | CF, FD, PATH, PTR, PTR,
	   FLAGS(AT_FLAGS)),
	SC(304, "open_by_handle_at", 3, FD, FD_CREATE, NONE, CD, FD, PTR, FLAGS(OPEN_FLAGS)),
	SC(305, "clock_adjtime", 2, INT, EMULATE, NONE, CCL, ENUM(CLOCK_ID), S_IO(208, NONE)),
	SC(306, "syncfs", 1, INT, CHECK, SYNC, CD, FD),
	/* sendmmsg returns the number of messages sent. */
	SC(307, "sendmmsg", 4, INT, CHECK, IO, CN | CW, FD, MMSG_IN(2), UINT, FLAGS(MSG_FLAGS)),
	SC(308, "setns", 2, INT, EMULATE, NONE, CD, FD, FLAGS(UNSHARE_FLAGS)),
	SC(309, "getcpu", 3, INT, EMULATE, NONE, 0, S_OUT(4, S_INT), S_OUT(4, S_INT), PTR),
	SC(310, "process_vm_readv", 6, SIZE, UNSUPPORTED, NONE, 0, INT, PTR, ULONG, PTR, ULONG,
	   HEX),
	SC(311, "process_vm_writev", 6, SIZE, UNSUPPORTED, NONE, 0, INT, PTR, ULONG, PTR, ULONG,
	   HEX),
	SC(312, "kcmp", 5, INT, EMULATE, NONE, 0, INT, INT, INT, HEX, HEX),
	SC(313, "finit_module", 3, INT, UNSUPPORTED, NONE, CD, FD, STR, HEX),
	/* struct sched_attr sizes itself (its first field); nothing written. */
	SC(314, "sched_setattr", 3, INT, EMULATE, NONE, 0, INT, PTR, HEX),
	/* The kernel writes min(size, its struct) bytes: an out length taken
	 * from an argument, which no row kind describes. */
	SC(315, "sched_getattr", 4, INT, UNSUPPORTED, NONE, 0, INT, PTR, UINT, HEX),
	SC(316, "renameat2", 5, INT, CHECK, NONE, CD | CF, FD, PATH, FD, PATH, FLAGS(RENAME_FLAGS)),
	/* The recorded results already reflect any filter; installing it in
	 * replay could kill the process on the replayer's own injected calls. */
	SC(317, "seccomp", 3, INT, EMULATE, NONE, 0, ENUM(SECCOMP_OP), HEX, PTR),
	SC(318, "getrandom", 3, SIZE, EMULATE, NONE, CRND, BUF_OUT(1), ULONG, FLAGS(GRND_FLAGS)),
	SC(319, "memfd_create", 2, FD, FD_CREATE, NONE, CD, STR, FLAGS(MFD_FLAGS)),
	SC(320, "kexec_file_load", 5, INT, UNSUPPORTED, NONE, CD, FD, FD, ULONG, STR, HEX),
	SC(321, "bpf", 3, INT, UNSUPPORTED, NONE, CD, INT, BUF_IN(2), UINT),
	SC(322, "execveat", 5, INT, SPECIAL, NONE, CD | CF | CP, FD, PATH, STRV, STRV,
	   FLAGS(AT_FLAGS)),
	/* Page faults handled by another thread cannot be replayed. */
	SC(323, "userfaultfd", 1, FD, UNSUPPORTED, NONE, CD, HEX),
	/* Replayed threads run one at a time: the barrier itself is moot. */
	SC(324, "membarrier", 3, INT, EMULATE, NONE, 0, ENUM(MEMBARRIER_CMD), HEX, INT),
	SC(325, "mlock2", 3, INT, EMULATE, MEMORY, CM, HEX, UINT, FLAGS(MLOCK_FLAGS)),
	SC(326, "copy_file_range", 6, SIZE, CHECK, IO, CD, FD, S_IO(8, S_INT64), FD,
	   S_IO(8, S_INT64), ULONG, HEX),
	SC(327, "preadv2", 6, SIZE, EMULATE, IO, CD | CR, FD, IOV_OUT(2), ULONG, LONG, LONG,
	   FLAGS(RWF_FLAGS)),
	SC(328, "pwritev2", 6, SIZE, CHECK, IO, CD | CW, FD, IOV_IN(2), ULONG, LONG, LONG,
	   FLAGS(RWF_FLAGS)),
	SC(329, "pkey_mprotect", 4, INT, REAL, MEMORY, CM, HEX, ULONG, FLAGS(MMAP_PROT), INT),
	SC(330, "pkey_alloc", 2, INT, REAL, NONE, 0, HEX, HEX),
	SC(331, "pkey_free", 1, INT, REAL, NONE, 0, INT),
	SC(332, "statx", 5, INT, EMULATE, NONE, CD | CF | CST, FD, PATH, FLAGS(AT_FLAGS),
	   FLAGS(STATX_MASK), S_OUT(256, S_STATX)),
	SC(333, "io_pgetevents", 6, INT, UNSUPPORTED, IO, 0, HEX, LONG, LONG, ARR_OUT(32, NONE),
	   S_IN(16, S_TIMESPEC), PTR),
	SC(334, "rseq", 4, INT, REAL, NONE, 0, PTR, UINT, HEX, HEX),
	/* Made by the kernel's uprobe trampolines, not by the program: replay
	 * skips them in the recording (the replayed program has no uprobes). */
	SC(335, "uretprobe", 0, INT, SPECIAL, NONE, 0),
	SC(336, "uprobe", 0, INT, SPECIAL, NONE, 0),
	/* 337..423 are unused on x86-64 (kept in step with other arches). */
	SC(424, "pidfd_send_signal", 4, INT, SPECIAL, NONE, CD | CS | CP, FD, SIG,
	   S_IN(128, S_SIGINFO), HEX),
	/* io_uring moves data through shared rings, not syscall arguments. */
	SC(425, "io_uring_setup", 2, FD, UNSUPPORTED, NONE, CD, UINT, PTR),
	SC(426, "io_uring_enter", 6, INT, UNSUPPORTED, IO, CD | CS, FD, UINT, UINT, HEX, PTR,
	   ULONG),
	SC(427, "io_uring_register", 4, INT, UNSUPPORTED, NONE, CD | CM, FD, UINT, PTR, UINT),
	/* The new mount API: handles are served, changes never made. */
	SC(428, "open_tree", 3, FD, FD_CREATE, NONE, CD | CF, FD, PATH, HEX),
	SC(429, "move_mount", 5, INT, CHECK, NONE, CD | CF, FD, PATH, FD, PATH, HEX),
	SC(430, "fsopen", 2, FD, FD_CREATE, NONE, CD, STR, HEX),
	SC(431, "fsconfig", 5, INT, CHECK, NONE, CD | CF, FD, UINT, STR, PTR, INT),
	SC(432, "fsmount", 3, FD, FD_CREATE, NONE, CD, FD, HEX, HEX),
	SC(433, "fspick", 3, FD, FD_CREATE, NONE, CD | CF, FD, PATH, HEX),
	SC(434, "pidfd_open", 2, FD, FD_CREATE, NONE, CD, INT, HEX),
	/* clone3: struct clone_args sizes itself by the second argument; the
	 * child's stack and set_tid need dedicated handling. */
	SC(435, "clone3", 2, PID, SPECIAL, NONE, CP, BUF_IN_AS(1, S_CLONE_ARGS), ULONG),
	SC(436, "close_range", 3, INT, SPECIAL, NONE, CD, FD, UINT, FLAGS(CLOSE_RANGE_FLAGS)),
	SC(437, "openat2", 4, FD, FD_CREATE, NONE, CD | CF, FD, PATH, BUF_IN_AS(3, S_OPEN_HOW),
	   ULONG),
	SC(438, "pidfd_getfd", 3, FD, FD_CREATE, NONE, CD, FD, INT, HEX),
	SC(439, "faccessat2", 4, INT, EMULATE, NONE, CD | CF, FD, PATH, FLAGS(ACCESS_MODE),
	   FLAGS(FACCESSAT_FLAGS)),
	/* Acts on another process: never run. */
	SC(440, "process_madvise", 5, SIZE, CHECK, NONE, CD, FD, PTR, ULONG, ENUM(MADVISE_ADVICE),
	   HEX),
	SC(441, "epoll_pwait2", 6, INT, EMULATE, POLL, CD, FD, ARR_OUT(12, S_EPOLL_EVENT), INT,
	   S_IN(16, S_TIMESPEC), SS_IN(5), ULONG),
	SC(442, "mount_setattr", 5, INT, CHECK, NONE, CD | CF, FD, PATH, FLAGS(AT_FLAGS), BUF_IN(4),
	   ULONG),
	SC(443, "quotactl_fd", 4, INT, UNSUPPORTED, NONE, CD, FD, HEX, INT, PTR),
	/* With LANDLOCK_CREATE_RULESET_VERSION it returns the ABI version, not
	 * a descriptor; replay must not make a placeholder then. */
	SC(444, "landlock_create_ruleset", 3, FD, FD_CREATE, NONE, CD, BUF_IN(1), ULONG, HEX),
	/* Restrictions would also bind the replayer's own file accesses made
	 * on the program's behalf: served, not applied. */
	SC(445, "landlock_add_rule", 4, INT, EMULATE, NONE, CD, FD, INT, PTR, HEX),
	SC(446, "landlock_restrict_self", 2, INT, EMULATE, NONE, CD, FD, HEX),
	SC(447, "memfd_secret", 1, FD, FD_CREATE, NONE, CD, HEX),
	SC(448, "process_mrelease", 2, INT, CHECK, NONE, CD, FD, HEX),
	SC(449, "futex_waitv", 5, INT, REAL, LOCK, 0, ARR_IN(1, 24, NONE), UINT, HEX,
	   S_IN(16, S_TIMESPEC), ENUM(CLOCK_ID)),
	SC(450, "set_mempolicy_home_node", 4, INT, REAL, NONE, CM, HEX, ULONG, INT, HEX),
	/* struct cachestat_range (16) in, struct cachestat (40) out. */
	SC(451, "cachestat", 4, INT, EMULATE, NONE, CD, FD, S_IN(16, NONE), S_OUT(40, NONE), HEX),
	SC(452, "fchmodat2", 4, INT, CHECK, NONE, CD | CF, FD, PATH, MODE, FLAGS(AT_FLAGS)),
	SC(453, "map_shadow_stack", 3, PTR, REAL, MEMORY, CM, HEX, ULONG, HEX),
	SC(454, "futex_wake", 4, INT, REAL, NONE, 0, HEX, HEX, INT, HEX),
	SC(455, "futex_wait", 6, INT, REAL, LOCK, 0, HEX, HEX, HEX, HEX, S_IN(16, S_TIMESPEC),
	   ENUM(CLOCK_ID)),
	/* Two struct futex_waitv (24 bytes each). */
	SC(456, "futex_requeue", 4, INT, REAL, NONE, 0, S_IN(48, NONE), HEX, INT, INT),
	/* statmount fills bufsize bytes (an argument-sized out buffer). */
	SC(457, "statmount", 4, INT, UNSUPPORTED, NONE, 0, S_IN(32, NONE), PTR, ULONG, HEX),
	/* listmount returns the number of mount ids (u64) written. */
	SC(458, "listmount", 4, INT, EMULATE, NONE, 0, S_IN(32, NONE), ARR_OUT(8, S_INT64), ULONG,
	   HEX),
	/* Both store the length of what they wrote through a u32 pointer. */
	SC(459, "lsm_get_self_attr", 4, INT, EMULATE, NONE, 0, UINT, LENP_OUT(2, S_RAW), PTR, HEX),
	SC(460, "lsm_set_self_attr", 4, INT, CHECK, NONE, 0, UINT, BUF_IN(2), UINT, HEX),
	SC(461, "lsm_list_modules", 3, INT, EMULATE, NONE, 0, LENP_OUT(1, S_RAW), PTR, HEX),
	SC(462, "mseal", 3, INT, REAL, MEMORY, CM, HEX, ULONG, HEX),
	/* struct xattr_args { u64 value; u32 size; u32 flags } by the last
	 * argument's size.  For getxattrat the value buffer is behind the
	 * pointer inside it, which no row kind follows. */
	SC(463, "setxattrat", 6, INT, CHECK, NONE, CD | CF, FD, PATH, FLAGS(AT_FLAGS), STR,
	   BUF_IN(5), ULONG),
	SC(464, "getxattrat", 6, SIZE, UNSUPPORTED, NONE, CD | CF, FD, PATH, FLAGS(AT_FLAGS), STR,
	   BUF_IN(5), ULONG),
	SC(465, "listxattrat", 5, SIZE, EMULATE, NONE, CD | CF, FD, PATH, FLAGS(AT_FLAGS),
	   BUF_OUT(4), ULONG),
	SC(466, "removexattrat", 4, INT, CHECK, NONE, CD | CF, FD, PATH, FLAGS(AT_FLAGS), STR),
	SC(467, "open_tree_attr", 5, FD, FD_CREATE, NONE, CD | CF, FD, PATH, HEX, BUF_IN(4), ULONG),
	/* struct file_attr is 24 bytes (FILE_ATTR_SIZE_VER0, the only size). */
	SC(468, "file_getattr", 5, INT, EMULATE, NONE, CD | CF, FD, PATH, S_OUT(24, NONE), ULONG,
	   FLAGS(AT_FLAGS)),
	SC(469, "file_setattr", 5, INT, CHECK, NONE, CD | CF, FD, PATH, S_IN(24, NONE), ULONG,
	   FLAGS(AT_FLAGS)),
};

/* clang-format on */

/* ---- lookups ----------------------------------------------------------------- */

const struct fr_syscall_desc *fr_syscall(unsigned nr)
{
	return nr < FR_NR_SYSCALLS && table[nr].name ? &table[nr] : NULL;
}

const char *fr_syscall_name(unsigned nr)
{
	const struct fr_syscall_desc *d = fr_syscall(nr);

	return d ? d->name : NULL;
}

/* Rows sorted by name, built once, for bsearch. */
static const struct fr_syscall_desc *by_name[FR_NR_SYSCALLS];
static size_t n_by_name;
static pthread_once_t by_name_once = PTHREAD_ONCE_INIT;

static int cmp_desc(const void *a, const void *b)
{
	const struct fr_syscall_desc *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static void by_name_init(void)
{
	size_t i;

	for (i = 0; i < FR_NR_SYSCALLS; i++)
		if (table[i].name)
			by_name[n_by_name++] = &table[i];
	qsort(by_name, n_by_name, sizeof(by_name[0]), cmp_desc);
}

const struct fr_syscall_desc *fr_syscall_by_name(const char *name)
{
	struct fr_syscall_desc key = {.name = name};
	const struct fr_syscall_desc *kp = &key, *const * hit;

	if (!name)
		return NULL;
	pthread_once(&by_name_once, by_name_init);
	hit = bsearch(&kp, by_name, n_by_name, sizeof(by_name[0]), cmp_desc);
	return hit ? *hit : NULL;
}

/* Class names as strace spells them (%file, %%stat), with flightrec's own
 * data-direction classes after them. */
static const struct {
	const char *name;
	uint32_t bit;
} class_names[] = {
    {"file", FR_SCC_FILE},     {"desc", FR_SCC_DESC},	    {"net", FR_SCC_NET},
    {"network", FR_SCC_NET},   {"process", FR_SCC_PROCESS}, {"signal", FR_SCC_SIGNAL},
    {"ipc", FR_SCC_IPC},       {"memory", FR_SCC_MEMORY},   {"clock", FR_SCC_CLOCK},
    {"stat", FR_SCC_STAT},     {"statfs", FR_SCC_STATFS},   {"creds", FR_SCC_CREDS},
    {"pure", FR_SCC_PURE},     {"read", FR_SCC_READ},	    {"write", FR_SCC_WRITE},
    {"random", FR_SCC_RANDOM},
};

uint32_t fr_syscall_class_by_name(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	/* "%%stat" is strace's spelling of the whole stat family. */
	if (name[0] == '%')
		name += name[1] == '%' ? 2 : 1;
	for (i = 0; i < FR_ARRAY_SIZE(class_names); i++)
		if (!strcasecmp(class_names[i].name, name))
			return class_names[i].bit;
	return 0;
}

const char *fr_syscall_class_name(uint32_t bit)
{
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(class_names); i++)
		if (class_names[i].bit == bit)
			return class_names[i].name;
	return NULL;
}

const char *fr_replay_policy_name(unsigned policy)
{
	static const char *const names[] = {
	    [FR_RP_UNSUPPORTED] = "unsupported",
	    [FR_RP_EMULATE] = "emulate",
	    [FR_RP_CHECK] = "check",
	    [FR_RP_REAL] = "real",
	    [FR_RP_FD_CREATE] = "fd_create",
	    [FR_RP_SPECIAL] = "special",
	};

	return policy < FR_ARRAY_SIZE(names) ? names[policy] : NULL;
}

const char *fr_wait_kind_name(unsigned wait)
{
	static const char *const names[] = {
	    [FR_WAIT_NONE] = "none",	 [FR_WAIT_IO] = "io",	  [FR_WAIT_POLL] = "poll",
	    [FR_WAIT_SLEEP] = "sleep",	 [FR_WAIT_LOCK] = "lock", [FR_WAIT_CHILD] = "child",
	    [FR_WAIT_SIGNAL] = "signal", [FR_WAIT_NET] = "net",	  [FR_WAIT_SYNC] = "sync",
	    [FR_WAIT_MEMORY] = "memory",
	};

	return wait < FR_ARRAY_SIZE(names) ? names[wait] : NULL;
}

const char *fr_ret_kind_name(unsigned ret)
{
	static const char *const names[] = {
	    [FR_R_INT] = "int", [FR_R_FD] = "fd",     [FR_R_SIZE] = "size",
	    [FR_R_PTR] = "ptr", [FR_R_NONE] = "none", [FR_R_PID] = "pid",
	};

	return ret < FR_ARRAY_SIZE(names) ? names[ret] : NULL;
}

const char *fr_arg_kind_name(unsigned kind)
{
	static const char *const names[FR_A_KIND_COUNT] = {
	    [FR_A_NONE] = "none",
	    [FR_A_INT] = "int",
	    [FR_A_UINT] = "uint",
	    [FR_A_HEX] = "hex",
	    [FR_A_PTR] = "ptr",
	    [FR_A_FD] = "fd",
	    [FR_A_FLAGS] = "flags",
	    [FR_A_ENUM] = "enum",
	    [FR_A_MODE] = "mode",
	    [FR_A_SIGNAL] = "signal",
	    [FR_A_PATH] = "path",
	    [FR_A_STR] = "str",
	    [FR_A_STRV] = "strv",
	    [FR_A_BUF_IN] = "buf_in",
	    [FR_A_BUF_OUT] = "buf_out",
	    [FR_A_STRUCT_IN] = "struct_in",
	    [FR_A_STRUCT_OUT] = "struct_out",
	    [FR_A_STRUCT_INOUT] = "struct_inout",
	    [FR_A_ARRAY_IN] = "array_in",
	    [FR_A_ARRAY_OUT] = "array_out",
	    [FR_A_ARRAY_INOUT] = "array_inout",
	    [FR_A_IOV_IN] = "iov_in",
	    [FR_A_IOV_OUT] = "iov_out",
	    [FR_A_SOCKADDR_IN] = "sockaddr_in",
	    [FR_A_SOCKADDR_OUT] = "sockaddr_out",
	    [FR_A_MSGHDR_IN] = "msghdr_in",
	    [FR_A_MSGHDR_OUT] = "msghdr_out",
	    [FR_A_MMSGHDR_IN] = "mmsghdr_in",
	    [FR_A_MMSGHDR_OUT] = "mmsghdr_out",
	    [FR_A_FDSET_INOUT] = "fdset_inout",
	    [FR_A_SIGSET_IN] = "sigset_in",
	    [FR_A_SIGSET_OUT] = "sigset_out",
	};

	return kind < FR_A_KIND_COUNT ? names[kind] : NULL;
}
