/* SPDX-License-Identifier: MIT */
/*
 * syscalls.h: the x86-64 system call table, as data.
 *
 * One row per system call (formats/syscall_table.c): name, arguments and how
 * to read them, class, what a blocked call waits for, and how replay treats
 * it.  Capture turns the argument descriptions into its in-kernel capture
 * plan, `flightrec events` prints with them, analysis uses the class and wait
 * kind, replay the policy.  One table instead of switch statements in three
 * places.
 */
#ifndef FR_SYSCALLS_H
#define FR_SYSCALLS_H

#include <stdint.h>

#define FR_NR_SYSCALLS 512 /* table size: numbers 0..511 */

/* How an argument is read and printed.  "in" data is read from user memory at
 * syscall entry, "out" data at exit, and only when the call succeeded.  Any
 * pointer may be NULL: nothing is captured then.
 *
 * Payload items (bpf/fr_events.h) carry the data: kind FR_PL_IN or FR_PL_OUT,
 * `arg` the argument index, `part` 0 unless said otherwise:
 *   FR_A_STRV        the strings, each NUL-terminated, one after the other
 *   FR_A_IOV_*       the iovec data flattened in iovec order
 *   FR_A_MSGHDR_*    part 0 data (flattened), 1 msg_name, 2 msg_control
 *   FR_A_MMSGHDR_*   message i: part 3*i data, 3*i+1 name, 3*i+2 control
 *                    (messages beyond the 85th are not captured)
 *   *_INOUT          one FR_PL_IN item (entry) and one FR_PL_OUT item (exit)
 * A path or string may or may not include its terminating NUL. */
enum fr_arg_kind {
	FR_A_NONE = 0,
	FR_A_INT,          /* signed decimal */
	FR_A_UINT,         /* unsigned decimal */
	FR_A_HEX,          /* hexadecimal */
	FR_A_PTR,          /* user pointer, not followed */
	FR_A_FD,           /* file descriptor (AT_FDCWD printed by name) */
	FR_A_FLAGS,        /* bit flags, names from flag set `fmt` */
	FR_A_ENUM,         /* one value, name from set `fmt` */
	FR_A_MODE,         /* octal permission bits */
	FR_A_SIGNAL,       /* signal number */
	FR_A_PATH,         /* in: NUL-terminated path */
	FR_A_STR,          /* in: NUL-terminated string */
	FR_A_STRV,         /* in: NULL-terminated array of strings */
	FR_A_BUF_IN,       /* in: arg[len_arg] bytes */
	FR_A_BUF_OUT,      /* out: return-value bytes (at most arg[len_arg]) */
	FR_A_STRUCT_IN,    /* in: `size` bytes */
	FR_A_STRUCT_OUT,   /* out: `size` bytes */
	FR_A_STRUCT_INOUT, /* in and out: `size` bytes */
	FR_A_ARRAY_IN,     /* in: arg[len_arg] elements of `size` bytes */
	FR_A_ARRAY_OUT,    /* out: return-value elements of `size` bytes (epoll_wait) */
	FR_A_ARRAY_INOUT,  /* in and out: arg[len_arg] elements of `size` bytes (poll) */
	FR_A_IOV_IN,       /* in: struct iovec[arg[len_arg]], data flattened */
	FR_A_IOV_OUT,      /* out: struct iovec[arg[len_arg]], return-value bytes flattened */
	FR_A_SOCKADDR_IN,  /* in: sockaddr of arg[len_arg] bytes */
	FR_A_SOCKADDR_OUT, /* out: sockaddr, its length in *(socklen_t *)arg[len_arg];
			    * also any out buffer whose length the kernel stores
			    * through a u32 pointer (getsockopt optval: fmt says
			    * how to print it, FR_FMT_S_SOCKOPT) */
	FR_A_MSGHDR_IN,    /* in: struct msghdr: part 0 data, 1 name, 2 control */
	FR_A_MSGHDR_OUT,   /* out: struct msghdr filled by the kernel, same parts */
	FR_A_MMSGHDR_IN,   /* in: struct mmsghdr[arg[len_arg]] */
	FR_A_MMSGHDR_OUT,  /* out: struct mmsghdr[return value] */
	FR_A_FDSET_INOUT,  /* in and out: fd_set of arg[len_arg] bits (select); the
			    * kernel copies whole longs: (bits + 63) / 64 * 8 bytes */
	FR_A_SIGSET_IN,    /* in: sigset of arg[len_arg] bytes */
	FR_A_SIGSET_OUT,   /* out: sigset of arg[len_arg] bytes */
	FR_A_KIND_COUNT
};

struct fr_syscall_arg_desc {
	uint8_t kind;    /* enum fr_arg_kind */
	uint8_t len_arg; /* index of the argument giving a length/count, when used */
	uint16_t size;   /* struct or element size in bytes, when used; for
			  * FR_A_INT/FR_A_UINT the C type's width: 4 for int
			  * (the kernel reads the low 32 bits of the register),
			  * 8 or 0 for long, off_t, size_t */
	uint16_t fmt;    /* enum fr_fmt_set for FR_A_FLAGS / FR_A_ENUM; for data
			  * kinds an optional FR_FMT_S_* decoder */
	uint16_t reserved;
};

/* What the return value is. */
enum fr_ret_kind {
	FR_R_INT = 0,  /* signed integer, -4095..-1 = -errno */
	FR_R_FD,       /* new file descriptor */
	FR_R_SIZE,     /* byte count */
	FR_R_PTR,      /* address (mmap, brk) */
	FR_R_NONE,     /* does not return (exit, exit_group) */
	FR_R_PID,      /* a process or thread id */
};

/* Classes (bit flags), named as strace names them for --inject/--trace sets:
 * "%file", "%desc", "%net"/"%network", "%process", ... */
#define FR_SCC_FILE    (1u << 0)  /* takes a file name */
#define FR_SCC_DESC    (1u << 1)  /* takes or returns a file descriptor */
#define FR_SCC_NET     (1u << 2)
#define FR_SCC_PROCESS (1u << 3)
#define FR_SCC_SIGNAL  (1u << 4)
#define FR_SCC_IPC     (1u << 5)
#define FR_SCC_MEMORY  (1u << 6)
#define FR_SCC_CLOCK   (1u << 7)  /* reads or sets time */
#define FR_SCC_STAT    (1u << 8)  /* stat family (strace %%stat) */
#define FR_SCC_STATFS  (1u << 9)
#define FR_SCC_CREDS   (1u << 10)
#define FR_SCC_PURE    (1u << 11) /* no arguments, always succeeds (getpid) */
#define FR_SCC_READ    (1u << 12) /* moves data from the kernel to the program */
#define FR_SCC_WRITE   (1u << 13) /* moves data from the program to the kernel */
#define FR_SCC_RANDOM  (1u << 14) /* returns random bytes */

/* What a blocked call waits for: analysis names the resource with it. */
enum fr_wait_kind {
	FR_WAIT_NONE = 0, /* does not block for long */
	FR_WAIT_IO,       /* on the fd in argument 0: data, space, disk */
	FR_WAIT_POLL,     /* on a set of fds (poll, select, epoll_wait) */
	FR_WAIT_SLEEP,    /* a timer (nanosleep, clock_nanosleep) */
	FR_WAIT_LOCK,     /* a futex or file lock */
	FR_WAIT_CHILD,    /* a child's state change (wait4, waitid) */
	FR_WAIT_SIGNAL,   /* a signal (pause, sigsuspend, sigtimedwait) */
	FR_WAIT_NET,      /* connect, accept */
	FR_WAIT_SYNC,     /* fsync, fdatasync, sync, msync */
	FR_WAIT_MEMORY,   /* mmap/munmap/brk/madvise: can reclaim */
};

/* How strict replay treats a call. */
enum fr_replay_policy {
	FR_RP_UNSUPPORTED = 0, /* not handled: making it is a divergence */
	FR_RP_EMULATE,   /* not run: recorded return value and out data are served */
	FR_RP_CHECK,     /* not run: in data compared with the recording, recorded result served */
	FR_RP_REAL,      /* run for real (memory, threads, signal setup) */
	FR_RP_FD_CREATE, /* not run for real: served, and a placeholder fd takes the recorded number */
	FR_RP_SPECIAL,   /* handled by dedicated code in replay/ (execve, mmap of files, ioctl, ...) */
};

/* Named value sets for FR_A_FLAGS / FR_A_ENUM (formats/print.c has the names). */
enum fr_fmt_set {
	FR_FMT_NONE = 0,
	FR_FMT_OPEN_FLAGS,
	FR_FMT_AT_FLAGS,
	FR_FMT_MMAP_PROT,
	FR_FMT_MMAP_FLAGS,
	FR_FMT_SOCK_FAMILY,
	FR_FMT_SOCK_TYPE,
	FR_FMT_MSG_FLAGS,
	FR_FMT_CLOCK_ID,
	FR_FMT_FUTEX_OP,
	FR_FMT_FCNTL_CMD,
	FR_FMT_EPOLL_CTL_OP,
	FR_FMT_CLONE_FLAGS,
	FR_FMT_WAIT_OPTIONS,
	FR_FMT_SEEK_WHENCE,
	FR_FMT_SIGPROCMASK_HOW,
	FR_FMT_ACCESS_MODE,
	FR_FMT_PRCTL_OPTION,
	FR_FMT_ARCH_PRCTL_CODE,
	FR_FMT_MADVISE_ADVICE,
	FR_FMT_SHUTDOWN_HOW,
	FR_FMT_SOCKOPT_LEVEL,
	FR_FMT_EFD_FLAGS,
	FR_FMT_GRND_FLAGS,
	FR_FMT_RLIMIT_RESOURCE,
	/* Added after the first set (values appended, never renumbered). */
	FR_FMT_POLL_EVENTS,        /* POLLIN|POLLOUT */
	FR_FMT_EPOLL_EVENTS,       /* EPOLLIN|EPOLLET */
	FR_FMT_SA_FLAGS,           /* SA_RESTART|SA_SIGINFO */
	FR_FMT_MREMAP_FLAGS,
	FR_FMT_MSYNC_FLAGS,
	FR_FMT_ITIMER_WHICH,       /* ITIMER_REAL */
	FR_FMT_TIMER_FLAGS,        /* TIMER_ABSTIME */
	FR_FMT_TFD_FLAGS,          /* timerfd_create: TFD_CLOEXEC|TFD_NONBLOCK */
	FR_FMT_TFD_TIMER_FLAGS,    /* timerfd_settime: TFD_TIMER_ABSTIME */
	FR_FMT_SOCK_FLAGS,         /* accept4: SOCK_CLOEXEC|SOCK_NONBLOCK */
	FR_FMT_MFD_FLAGS,          /* memfd_create */
	FR_FMT_STATX_MASK,
	FR_FMT_RENAME_FLAGS,
	FR_FMT_XATTR_FLAGS,
	FR_FMT_FALLOC_FLAGS,
	FR_FMT_SCHED_POLICY,
	FR_FMT_MLOCKALL_FLAGS,     /* MCL_* */
	FR_FMT_MLOCK_FLAGS,        /* MLOCK_ONFAULT */
	FR_FMT_FLOCK_OP,           /* LOCK_EX|LOCK_NB */
	FR_FMT_FADVISE_ADVICE,
	FR_FMT_RUSAGE_WHO,
	FR_FMT_PTRACE_REQUEST,
	FR_FMT_SPLICE_FLAGS,
	FR_FMT_INOTIFY_MASK,
	FR_FMT_INOTIFY_INIT_FLAGS, /* IN_CLOEXEC|IN_NONBLOCK */
	FR_FMT_EPOLL_CREATE_FLAGS, /* EPOLL_CLOEXEC */
	FR_FMT_SFD_FLAGS,          /* signalfd4 */
	FR_FMT_SECCOMP_OP,
	FR_FMT_RWF_FLAGS,          /* preadv2/pwritev2 */
	FR_FMT_CLOSE_RANGE_FLAGS,
	FR_FMT_IDTYPE,             /* waitid: P_PID */
	FR_FMT_MEMBARRIER_CMD,
	FR_FMT_PRIO_WHICH,         /* PRIO_PROCESS */
	FR_FMT_UMOUNT_FLAGS,
	FR_FMT_MOUNT_FLAGS,        /* MS_* */
	FR_FMT_UNLINKAT_FLAGS,     /* AT_REMOVEDIR */
	FR_FMT_FACCESSAT_FLAGS,    /* AT_EACCESS|AT_SYMLINK_NOFOLLOW */
	FR_FMT_UNSHARE_FLAGS,      /* CLONE_NEW*, no exit signal in the low byte */
	FR_FMT_SOCKOPT_NAME,       /* SO_* (SOL_SOCKET) */
	FR_FMT_TCP_SOCKOPT_NAME,   /* TCP_* (SOL_TCP) */
	FR_FMT_SIGNAL,             /* a signal number as an enum (SIGTERM) */
	FR_FMT_PIPE_FLAGS,         /* O_* flags without an access mode (pipe2, dup3) */
	FR_FMT_IOCTL_REQUEST,      /* TCGETS, FIONREAD, else _IOC(dir, type, nr, size) */
	/*
	 * Struct decoders.  For a data-carrying argument kind (FR_A_BUF_*,
	 * FR_A_STRUCT_*, FR_A_ARRAY_*, FR_A_SOCKADDR_OUT) `fmt` may name how to
	 * print the bytes; for arrays it names the element.  The kernel's x86-64
	 * layouts; anything shorter than the struct prints as escaped bytes.
	 */
	FR_FMT_S_STAT,          /* struct stat (144) */
	FR_FMT_S_STATX,         /* struct statx (256) */
	FR_FMT_S_STATFS,        /* struct statfs (120) */
	FR_FMT_S_TIMESPEC,      /* struct __kernel_timespec (16) */
	FR_FMT_S_TIMEVAL,       /* struct __kernel_old_timeval (16) */
	FR_FMT_S_TIMEZONE,      /* struct timezone (8) */
	FR_FMT_S_ITIMERSPEC,    /* struct __kernel_itimerspec (32) */
	FR_FMT_S_ITIMERVAL,     /* struct __kernel_old_itimerval (32) */
	FR_FMT_S_TIMESPEC_PAIR, /* utimensat: struct timespec[2] (32) */
	FR_FMT_S_TIMEVAL_PAIR,  /* utimes, futimesat: struct timeval[2] (32) */
	FR_FMT_S_UTIMBUF,       /* struct utimbuf (16) */
	FR_FMT_S_RLIMIT,        /* struct rlimit64 (16) */
	FR_FMT_S_RUSAGE,        /* struct rusage (144) */
	FR_FMT_S_TMS,           /* struct tms (32) */
	FR_FMT_S_UTSNAME,       /* struct new_utsname (390) */
	FR_FMT_S_SYSINFO,       /* struct sysinfo (112) */
	FR_FMT_S_EPOLL_EVENT,   /* struct epoll_event (12, packed on x86-64) */
	FR_FMT_S_POLLFD,        /* struct pollfd (8) */
	FR_FMT_S_FD_PAIR,       /* int[2] of file descriptors (pipe, socketpair) */
	FR_FMT_S_INT,           /* int / u32 (socklen_t, uid_t, int *) */
	FR_FMT_S_INT64,         /* s64 / u64 (loff_t, time_t, aio_context_t) */
	FR_FMT_S_WAIT_STATUS,   /* int wait status */
	FR_FMT_S_SIGACTION,     /* kernel struct sigaction (32) */
	FR_FMT_S_SIGINFO,       /* siginfo_t (128) */
	FR_FMT_S_STACK,         /* stack_t (24) */
	FR_FMT_S_OPEN_HOW,      /* struct open_how (24) */
	FR_FMT_S_CLONE_ARGS,    /* struct clone_args (64..88) */
	FR_FMT_S_DIRENT64,      /* linux_dirent64 records */
	FR_FMT_S_DIRENT,        /* old linux_dirent records (getdents) */
	FR_FMT_S_SOCKOPT,       /* a socket option value: an int when 4 bytes */
	FR_FMT_S_SOCKADDR,      /* struct sockaddr_* (the default of FR_A_SOCKADDR_*) */
	FR_FMT_S_RAW,           /* bytes, escaped (explicitly not a sockaddr) */
	FR_FMT_COUNT
};

struct fr_syscall_desc {
	const char *name;
	uint16_t nr;
	uint8_t nargs;
	uint8_t ret;    /* enum fr_ret_kind */
	uint8_t replay; /* enum fr_replay_policy */
	uint8_t wait;   /* enum fr_wait_kind */
	uint16_t reserved;
	uint32_t cls;   /* FR_SCC_* */
	struct fr_syscall_arg_desc args[6];
};

/* The row for `nr`, or NULL for a number the table does not know.
 * This function cannot fail otherwise. */
const struct fr_syscall_desc *fr_syscall(unsigned nr);
/* The row named `name` ("openat"), or NULL. */
const struct fr_syscall_desc *fr_syscall_by_name(const char *name);
/* Class bits for a class name with or without its '%' ("%net", "file",
 * "network", strace's "%%stat" and "%%statfs"; flightrec's own "%read",
 * "%write", "%random"), case-insensitive, or 0 when unknown. */
uint32_t fr_syscall_class_by_name(const char *name);
/* Name of syscall nr, or NULL. */
const char *fr_syscall_name(unsigned nr);

/* Names of the enums above, for reports and JSON ("emulate", "poll",
 * "buf_out", "fd"); NULL for a value out of range. */
const char *fr_replay_policy_name(unsigned policy);
const char *fr_wait_kind_name(unsigned wait);
const char *fr_arg_kind_name(unsigned kind);
const char *fr_ret_kind_name(unsigned ret);
/* Name of one class bit without '%' ("file", "net", "stat"), NULL if not one. */
const char *fr_syscall_class_name(uint32_t bit);

/* Data direction of an argument kind: read at entry (in), written by the
 * kernel and read at exit (out), or both.  Scalars are neither. */
static inline int fr_arg_kind_is_in(unsigned kind)
{
	switch (kind) {
	case FR_A_PATH: case FR_A_STR: case FR_A_STRV: case FR_A_BUF_IN:
	case FR_A_STRUCT_IN: case FR_A_STRUCT_INOUT: case FR_A_ARRAY_IN:
	case FR_A_ARRAY_INOUT: case FR_A_IOV_IN: case FR_A_SOCKADDR_IN:
	case FR_A_MSGHDR_IN: case FR_A_MMSGHDR_IN: case FR_A_FDSET_INOUT:
	case FR_A_SIGSET_IN:
		return 1;
	default:
		return 0;
	}
}

static inline int fr_arg_kind_is_out(unsigned kind)
{
	switch (kind) {
	case FR_A_BUF_OUT: case FR_A_STRUCT_OUT: case FR_A_STRUCT_INOUT:
	case FR_A_ARRAY_OUT: case FR_A_ARRAY_INOUT: case FR_A_IOV_OUT:
	case FR_A_SOCKADDR_OUT: case FR_A_MSGHDR_OUT: case FR_A_MMSGHDR_OUT:
	case FR_A_FDSET_INOUT: case FR_A_SIGSET_OUT:
		return 1;
	default:
		return 0;
	}
}

#endif /* FR_SYSCALLS_H */
