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
 * syscall entry, "out" data at exit, and only when the call succeeded. */
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
	FR_A_SOCKADDR_OUT, /* out: sockaddr, its length in *(socklen_t *)arg[len_arg] */
	FR_A_MSGHDR_IN,    /* in: struct msghdr: part 0 data, 1 name, 2 control */
	FR_A_MSGHDR_OUT,   /* out: struct msghdr filled by the kernel, same parts */
	FR_A_MMSGHDR_IN,   /* in: struct mmsghdr[arg[len_arg]] */
	FR_A_MMSGHDR_OUT,  /* out: struct mmsghdr[return value] */
	FR_A_FDSET_INOUT,  /* in and out: fd_set of arg[len_arg] bits (select) */
	FR_A_SIGSET_IN,    /* in: sigset of arg[len_arg] bytes */
	FR_A_SIGSET_OUT,   /* out: sigset of arg[len_arg] bytes */
	FR_A_KIND_COUNT
};

struct fr_syscall_arg_desc {
	uint8_t kind;    /* enum fr_arg_kind */
	uint8_t len_arg; /* index of the argument giving a length/count, when used */
	uint16_t size;   /* struct or element size in bytes, when used */
	uint16_t fmt;    /* enum fr_fmt_set for FR_A_FLAGS / FR_A_ENUM */
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
 * "network"), or 0 when unknown. */
uint32_t fr_syscall_class_by_name(const char *name);
/* Name of syscall nr, or NULL. */
const char *fr_syscall_name(unsigned nr);

#endif /* FR_SYSCALLS_H */
