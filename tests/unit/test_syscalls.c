// SPDX-License-Identifier: MIT
/*
 * test_syscalls: the x86-64 syscall table (formats/syscall_table.c).
 *
 * Invariants over every row, the numbers checked against this machine's
 * kernel headers (asm/unistd_64.h) and glibc's SYS_* constants, spot checks
 * of the rows capture and replay depend on, and the lookups.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "formats/print.h"
#include "formats/syscalls.h"

/* The Linux 6.18 x86-64 table: 0..336 and 424..469. */
#define LAST_NR 469
#define N_ROWS (337 + (LAST_NR - 424 + 1))

static bool uses_len_arg(unsigned kind)
{
	switch (kind) {
	case FR_A_BUF_IN:
	case FR_A_BUF_OUT:
	case FR_A_ARRAY_IN:
	case FR_A_ARRAY_INOUT:
	case FR_A_IOV_IN:
	case FR_A_IOV_OUT:
	case FR_A_SOCKADDR_IN:
	case FR_A_SOCKADDR_OUT:
	case FR_A_MMSGHDR_IN:
	case FR_A_FDSET_INOUT:
	case FR_A_SIGSET_IN:
	case FR_A_SIGSET_OUT:
		return true;
	default:
		return false;
	}
}

static bool needs_size(unsigned kind)
{
	switch (kind) {
	case FR_A_STRUCT_IN:
	case FR_A_STRUCT_OUT:
	case FR_A_STRUCT_INOUT:
	case FR_A_ARRAY_IN:
	case FR_A_ARRAY_OUT:
	case FR_A_ARRAY_INOUT:
	case FR_A_IOV_IN:
	case FR_A_IOV_OUT:
	case FR_A_MSGHDR_IN:
	case FR_A_MSGHDR_OUT:
	case FR_A_MMSGHDR_IN:
	case FR_A_MMSGHDR_OUT:
		return true;
	default:
		return false;
	}
}

static bool is_scalar(unsigned kind)
{
	return kind == FR_A_INT || kind == FR_A_UINT || kind == FR_A_HEX;
}

/* ---- every row -------------------------------------------------------------------- */

START_TEST(test_row_invariants)
{
	unsigned nr, i, rows = 0;
	uint32_t all_classes = (1u << 15) - 1;

	for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
		const struct fr_syscall_desc *d = fr_syscall(nr);

		if (!d) {
			ck_assert_ptr_null(fr_syscall_name(nr));
			continue;
		}
		rows++;
		ck_assert_uint_eq(d->nr, nr);
		ck_assert_ptr_nonnull(d->name);
		ck_assert_int_gt((int)strlen(d->name), 0);
		ck_assert_str_eq(fr_syscall_name(nr), d->name);
		ck_assert_msg(d->nargs <= 6, "%s: nargs %u", d->name, d->nargs);
		ck_assert_msg(fr_ret_kind_name(d->ret), "%s: ret %u", d->name, d->ret);
		ck_assert_msg(fr_replay_policy_name(d->replay), "%s: replay %u", d->name, d->replay);
		ck_assert_msg(fr_wait_kind_name(d->wait), "%s: wait %u", d->name, d->wait);
		ck_assert_msg((d->cls & ~all_classes) == 0, "%s: class bits %#x", d->name, d->cls);
		for (i = 0; i < 6; i++) {
			const struct fr_syscall_arg_desc *a = &d->args[i];

			if (i >= d->nargs) {
				ck_assert_msg(a->kind == FR_A_NONE && !a->len_arg && !a->size && !a->fmt,
					      "%s: arg %u beyond nargs is set", d->name, i);
				continue;
			}
			ck_assert_msg(a->kind != FR_A_NONE && a->kind < FR_A_KIND_COUNT,
				      "%s: arg %u kind %u", d->name, i, a->kind);
			ck_assert_msg(a->fmt < FR_FMT_COUNT, "%s: arg %u fmt %u", d->name, i, a->fmt);
			ck_assert_ptr_nonnull(fr_arg_kind_name(a->kind));
			if (uses_len_arg(a->kind)) {
				const struct fr_syscall_arg_desc *l = &d->args[a->len_arg];

				ck_assert_msg(a->len_arg < d->nargs && a->len_arg != i,
					      "%s: arg %u len_arg %u", d->name, i, a->len_arg);
				/* the length is a number, or for out lengths a pointer */
				if (a->kind == FR_A_SOCKADDR_OUT)
					ck_assert_msg(l->kind == FR_A_PTR, "%s: arg %u length not a pointer",
						      d->name, i);
				else
					ck_assert_msg(is_scalar(l->kind), "%s: arg %u length kind %u",
						      d->name, i, l->kind);
			} else {
				ck_assert_msg(a->len_arg == 0, "%s: arg %u has a len_arg", d->name, i);
			}
			if (needs_size(a->kind))
				ck_assert_msg(a->size > 0, "%s: arg %u has no size", d->name, i);
			if (a->kind == FR_A_INT || a->kind == FR_A_UINT)
				ck_assert_msg(a->size == 4 || a->size == 8, "%s: arg %u width %u", d->name,
					      i, a->size);
			if (a->kind == FR_A_FLAGS || a->kind == FR_A_ENUM)
				ck_assert_msg(a->fmt != FR_FMT_NONE && a->fmt < FR_FMT_S_STAT,
					      "%s: arg %u flags without a set", d->name, i);
			if (a->fmt >= FR_FMT_S_STAT) {
				ck_assert_msg(fr_arg_kind_is_in(a->kind) || fr_arg_kind_is_out(a->kind),
					      "%s: arg %u decoder on a scalar", d->name, i);
			}
			/* a decoder must fit the struct or element it reads */
			if ((a->kind == FR_A_STRUCT_IN || a->kind == FR_A_STRUCT_OUT ||
			     a->kind == FR_A_STRUCT_INOUT || a->kind == FR_A_ARRAY_IN ||
			     a->kind == FR_A_ARRAY_OUT || a->kind == FR_A_ARRAY_INOUT) &&
			    a->fmt >= FR_FMT_S_STAT) {
				unsigned need = 0;

				switch (a->fmt) {
				case FR_FMT_S_STAT: need = 144; break;
				case FR_FMT_S_STATX: need = 256; break;
				case FR_FMT_S_STATFS: need = 120; break;
				case FR_FMT_S_TIMESPEC: case FR_FMT_S_TIMEVAL: need = 16; break;
				case FR_FMT_S_EPOLL_EVENT: need = 12; break;
				case FR_FMT_S_POLLFD: case FR_FMT_S_FD_PAIR: need = 8; break;
				case FR_FMT_S_SIGINFO: need = 128; break;
				case FR_FMT_S_RUSAGE: need = 144; break;
				case FR_FMT_S_UTSNAME: need = 390; break;
				default: need = 0; break;
				}
				ck_assert_msg(!need || a->size == need, "%s: arg %u size %u for %s",
					      d->name, i, a->size, fr_fmt_set_name(a->fmt));
			}
			/* a data kind takes a pointer: never a length or count */
			if (fr_arg_kind_is_out(a->kind))
				ck_assert_msg(d->ret != FR_R_NONE, "%s: out data but never returns",
					      d->name);
		}
		/* class consistency */
		for (i = 0; i < d->nargs; i++)
			if (d->args[i].kind == FR_A_PATH)
				ck_assert_msg(d->cls & FR_SCC_FILE, "%s: path but not %%file", d->name);
		if (d->cls & FR_SCC_READ) {
			bool out = false;

			for (i = 0; i < d->nargs; i++)
				out |= d->args[i].kind == FR_A_BUF_OUT || d->args[i].kind == FR_A_IOV_OUT ||
				       d->args[i].kind == FR_A_MSGHDR_OUT ||
				       d->args[i].kind == FR_A_MMSGHDR_OUT;
			ck_assert_msg(out, "%s: %%read without an out buffer", d->name);
		}
		if (d->cls & FR_SCC_WRITE) {
			bool in = false;

			for (i = 0; i < d->nargs; i++)
				in |= d->args[i].kind == FR_A_BUF_IN || d->args[i].kind == FR_A_IOV_IN ||
				      d->args[i].kind == FR_A_MSGHDR_IN || d->args[i].kind == FR_A_MMSGHDR_IN;
			ck_assert_msg(in, "%s: %%write without an in buffer", d->name);
		}
		/* a placeholder descriptor needs a descriptor to stand for */
		if (d->replay == FR_RP_FD_CREATE) {
			bool pair = false;

			for (i = 0; i < d->nargs; i++)
				pair |= d->args[i].fmt == FR_FMT_S_FD_PAIR;
			ck_assert_msg(d->ret == FR_R_FD || pair, "%s: FD_CREATE without a new fd",
				      d->name);
		}
		if (d->ret == FR_R_NONE)
			ck_assert_msg(d->replay == FR_RP_REAL, "%s: does not return but not REAL",
				      d->name);
	}
	ck_assert_uint_eq(rows, N_ROWS);
}
END_TEST

START_TEST(test_gaps)
{
	unsigned nr;

	for (nr = 0; nr <= 336; nr++)
		ck_assert_msg(fr_syscall(nr), "row %u missing", nr);
	for (nr = 337; nr < 424; nr++)
		ck_assert_msg(!fr_syscall(nr), "row %u should not exist", nr);
	for (nr = 424; nr <= LAST_NR; nr++)
		ck_assert_msg(fr_syscall(nr), "row %u missing", nr);
	for (nr = LAST_NR + 1; nr < FR_NR_SYSCALLS + 10; nr++)
		ck_assert_ptr_null(fr_syscall(nr));
	ck_assert_ptr_null(fr_syscall(UINT32_MAX));
}
END_TEST

START_TEST(test_names_unique)
{
	unsigned a, b;

	for (a = 0; a < FR_NR_SYSCALLS; a++) {
		const struct fr_syscall_desc *d = fr_syscall(a);

		if (!d)
			continue;
		ck_assert_ptr_eq(fr_syscall_by_name(d->name), d);
		for (b = a + 1; b < FR_NR_SYSCALLS; b++)
			if (fr_syscall(b))
				ck_assert_str_ne(d->name, fr_syscall(b)->name);
	}
	ck_assert_ptr_null(fr_syscall_by_name("no_such_call"));
	ck_assert_ptr_null(fr_syscall_by_name(""));
	ck_assert_ptr_null(fr_syscall_by_name(NULL));
	ck_assert_ptr_null(fr_syscall_by_name("READ")); /* names are exact */
}
END_TEST

/*
 * Every "#define __NR_name nr" of this machine's kernel headers names the
 * same row.  The headers may be older than 6.18 (Debian 12 ships 6.1): the
 * newer rows are checked by hand below.
 */
START_TEST(test_against_kernel_headers)
{
	static const char *const paths[] = {
		"/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
		"/usr/include/asm/unistd_64.h",
	};
	char line[256], name[128];
	unsigned nr, checked = 0;
	FILE *f = NULL;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]) && !f; i++)
		f = fopen(paths[i], "r");
	if (!f) {
		fprintf(stderr, "test_syscalls: no asm/unistd_64.h here; header cross-check skipped\n");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "#define __NR_%127s %u", name, &nr) != 2)
			continue;
		ck_assert_msg(fr_syscall(nr), "__NR_%s = %u: no row", name, nr);
		ck_assert_msg(!strcmp(fr_syscall(nr)->name, name), "__NR_%s = %u: row says %s", name,
			      nr, fr_syscall(nr)->name);
		checked++;
	}
	fclose(f);
	ck_assert_uint_gt(checked, 350);
}
END_TEST

START_TEST(test_against_glibc)
{
	static const struct {
		const char *name;
		long nr;
	} known[] = {
		{ "read", SYS_read },		{ "write", SYS_write },
		{ "openat", SYS_openat },	{ "close", SYS_close },
		{ "mmap", SYS_mmap },		{ "clone", SYS_clone },
		{ "execve", SYS_execve },	{ "exit_group", SYS_exit_group },
		{ "epoll_wait", SYS_epoll_wait }, { "futex", SYS_futex },
		{ "statx", SYS_statx },		{ "clone3", SYS_clone3 },
		{ "openat2", SYS_openat2 },	{ "newfstatat", SYS_newfstatat },
		{ "recvmmsg", SYS_recvmmsg },	{ "getrandom", SYS_getrandom },
		{ "rseq", SYS_rseq },		{ "pidfd_open", SYS_pidfd_open },
		/* after the Debian 12 headers: arch/x86/entry/syscalls/syscall_64.tbl */
		{ "cachestat", 451 },		{ "fchmodat2", 452 },
		{ "map_shadow_stack", 453 },	{ "futex_wake", 454 },
		{ "futex_wait", 455 },		{ "futex_requeue", 456 },
		{ "statmount", 457 },		{ "listmount", 458 },
		{ "lsm_get_self_attr", 459 },	{ "lsm_set_self_attr", 460 },
		{ "lsm_list_modules", 461 },	{ "mseal", 462 },
		{ "setxattrat", 463 },		{ "getxattrat", 464 },
		{ "listxattrat", 465 },		{ "removexattrat", 466 },
		{ "open_tree_attr", 467 },	{ "file_getattr", 468 },
		{ "file_setattr", 469 },	{ "uretprobe", 335 },
		{ "uprobe", 336 },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct fr_syscall_desc *d = fr_syscall_by_name(known[i].name);

		ck_assert_msg(d, "%s missing", known[i].name);
		ck_assert_msg(d->nr == known[i].nr, "%s: %u, expected %ld", known[i].name, d->nr,
			      known[i].nr);
	}
}
END_TEST

/* ---- rows capture and replay depend on ----------------------------------------------- */

struct arg_check {
	int idx; /* -1 ends the list */
	unsigned kind, len_arg, size, fmt;
};

struct row_check {
	const char *name;
	unsigned nargs, ret, replay, wait;
	uint32_t cls; /* bits that must be set */
	struct arg_check args[6];
};

#define AC(i, k, l, s, f) { i, FR_A_##k, l, s, f }
#define END { -1, 0, 0, 0, 0 }

static const struct row_check rows[] = {
	{ "read", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_DESC | FR_SCC_READ,
	  { AC(0, FD, 0, 0, 0), AC(1, BUF_OUT, 2, 0, 0), END } },
	{ "pread64", 4, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_READ,
	  { AC(1, BUF_OUT, 2, 0, 0), AC(3, INT, 0, 8, 0), END } },
	{ "readv", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_READ,
	  { AC(1, IOV_OUT, 2, 16, 0), END } },
	{ "preadv", 4, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_READ,
	  { AC(1, IOV_OUT, 2, 16, 0), END } },
	{ "preadv2", 6, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_READ,
	  { AC(1, IOV_OUT, 2, 16, 0), AC(5, FLAGS, 0, 0, FR_FMT_RWF_FLAGS), END } },
	{ "write", 3, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_DESC | FR_SCC_WRITE,
	  { AC(1, BUF_IN, 2, 0, 0), AC(2, UINT, 0, 8, 0), END } },
	{ "pwrite64", 4, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_WRITE,
	  { AC(1, BUF_IN, 2, 0, 0), END } },
	{ "writev", 3, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_WRITE,
	  { AC(1, IOV_IN, 2, 16, 0), END } },
	{ "pwritev", 4, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_WRITE,
	  { AC(1, IOV_IN, 2, 16, 0), END } },
	{ "pwritev2", 6, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_WRITE,
	  { AC(1, IOV_IN, 2, 16, 0), END } },
	{ "recvfrom", 6, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_NET | FR_SCC_READ,
	  { AC(1, BUF_OUT, 2, 0, 0), AC(4, SOCKADDR_OUT, 5, 0, FR_FMT_S_SOCKADDR),
	    AC(5, PTR, 0, 0, 0), END } },
	{ "sendto", 6, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_NET | FR_SCC_WRITE,
	  { AC(1, BUF_IN, 2, 0, 0), AC(4, SOCKADDR_IN, 5, 0, FR_FMT_S_SOCKADDR), END } },
	{ "recvmsg", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_NET,
	  { AC(1, MSGHDR_OUT, 0, 56, 0), END } },
	{ "sendmsg", 3, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_NET,
	  { AC(1, MSGHDR_IN, 0, 56, 0), END } },
	{ "recvmmsg", 5, FR_R_INT, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_NET,
	  { AC(1, MMSGHDR_OUT, 0, 64, 0), END } },
	{ "sendmmsg", 4, FR_R_INT, FR_RP_CHECK, FR_WAIT_IO, FR_SCC_NET,
	  { AC(1, MMSGHDR_IN, 2, 64, 0), END } },
	{ "stat", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_FILE | FR_SCC_STAT,
	  { AC(0, PATH, 0, 0, 0), AC(1, STRUCT_OUT, 0, 144, FR_FMT_S_STAT), END } },
	{ "fstat", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_DESC | FR_SCC_STAT,
	  { AC(1, STRUCT_OUT, 0, 144, FR_FMT_S_STAT), END } },
	{ "lstat", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_STAT,
	  { AC(1, STRUCT_OUT, 0, 144, FR_FMT_S_STAT), END } },
	{ "newfstatat", 4, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_STAT,
	  { AC(0, FD, 0, 0, 0), AC(1, PATH, 0, 0, 0), AC(2, STRUCT_OUT, 0, 144, FR_FMT_S_STAT),
	    AC(3, FLAGS, 0, 0, FR_FMT_AT_FLAGS), END } },
	{ "statx", 5, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_STAT,
	  { AC(4, STRUCT_OUT, 0, 256, FR_FMT_S_STATX), END } },
	{ "statfs", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_STATFS,
	  { AC(1, STRUCT_OUT, 0, 120, FR_FMT_S_STATFS), END } },
	{ "fstatfs", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_STATFS,
	  { AC(1, STRUCT_OUT, 0, 120, FR_FMT_S_STATFS), END } },
	{ "getdents64", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, FR_SCC_DESC,
	  { AC(1, BUF_OUT, 2, 0, FR_FMT_S_DIRENT64), END } },
	{ "readlink", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_FILE,
	  { AC(1, BUF_OUT, 2, 0, 0), END } },
	{ "readlinkat", 4, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_FILE,
	  { AC(2, BUF_OUT, 3, 0, 0), END } },
	{ "getcwd", 2, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_FILE,
	  { AC(0, BUF_OUT, 1, 0, 0), END } },
	{ "clock_gettime", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_CLOCK,
	  { AC(0, ENUM, 0, 0, FR_FMT_CLOCK_ID), AC(1, STRUCT_OUT, 0, 16, FR_FMT_S_TIMESPEC), END } },
	{ "clock_getres", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_CLOCK,
	  { AC(1, STRUCT_OUT, 0, 16, FR_FMT_S_TIMESPEC), END } },
	{ "gettimeofday", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_CLOCK,
	  { AC(0, STRUCT_OUT, 0, 16, FR_FMT_S_TIMEVAL), AC(1, STRUCT_OUT, 0, 8, FR_FMT_S_TIMEZONE),
	    END } },
	{ "time", 1, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_CLOCK,
	  { AC(0, STRUCT_OUT, 0, 8, FR_FMT_S_INT64), END } },
	{ "nanosleep", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_SLEEP, 0,
	  { AC(0, STRUCT_IN, 0, 16, FR_FMT_S_TIMESPEC), AC(1, STRUCT_OUT, 0, 16, FR_FMT_S_TIMESPEC),
	    END } },
	{ "clock_nanosleep", 4, FR_R_INT, FR_RP_EMULATE, FR_WAIT_SLEEP, 0,
	  { AC(2, STRUCT_IN, 0, 16, FR_FMT_S_TIMESPEC), AC(3, STRUCT_OUT, 0, 16, FR_FMT_S_TIMESPEC),
	    END } },
	{ "getrandom", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_RANDOM,
	  { AC(0, BUF_OUT, 1, 0, 0), AC(2, FLAGS, 0, 0, FR_FMT_GRND_FLAGS), END } },
	{ "uname", 1, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(0, STRUCT_OUT, 0, 390, FR_FMT_S_UTSNAME), END } },
	{ "sysinfo", 1, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(0, STRUCT_OUT, 0, 112, FR_FMT_S_SYSINFO), END } },
	{ "getrlimit", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(1, STRUCT_OUT, 0, 16, FR_FMT_S_RLIMIT), END } },
	{ "prlimit64", 4, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(2, STRUCT_IN, 0, 16, FR_FMT_S_RLIMIT), AC(3, STRUCT_OUT, 0, 16, FR_FMT_S_RLIMIT),
	    END } },
	{ "getrusage", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(1, STRUCT_OUT, 0, 144, FR_FMT_S_RUSAGE), END } },
	{ "times", 1, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(0, STRUCT_OUT, 0, 32, FR_FMT_S_TMS), END } },
	{ "epoll_wait", 4, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(1, ARRAY_OUT, 0, 12, FR_FMT_S_EPOLL_EVENT), END } },
	{ "epoll_pwait", 6, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(1, ARRAY_OUT, 0, 12, FR_FMT_S_EPOLL_EVENT), AC(4, SIGSET_IN, 5, 0, 0), END } },
	{ "epoll_pwait2", 6, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(1, ARRAY_OUT, 0, 12, FR_FMT_S_EPOLL_EVENT),
	    AC(3, STRUCT_IN, 0, 16, FR_FMT_S_TIMESPEC), END } },
	{ "epoll_ctl", 4, FR_R_INT, FR_RP_CHECK, FR_WAIT_NONE, FR_SCC_DESC,
	  { AC(1, ENUM, 0, 0, FR_FMT_EPOLL_CTL_OP), AC(3, STRUCT_IN, 0, 12, FR_FMT_S_EPOLL_EVENT),
	    END } },
	{ "poll", 3, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(0, ARRAY_INOUT, 1, 8, FR_FMT_S_POLLFD), END } },
	{ "ppoll", 5, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(0, ARRAY_INOUT, 1, 8, FR_FMT_S_POLLFD), AC(3, SIGSET_IN, 4, 0, 0), END } },
	{ "select", 5, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(1, FDSET_INOUT, 0, 0, 0), AC(2, FDSET_INOUT, 0, 0, 0), AC(3, FDSET_INOUT, 0, 0, 0),
	    AC(4, STRUCT_INOUT, 0, 16, FR_FMT_S_TIMEVAL), END } },
	{ "pselect6", 6, FR_R_INT, FR_RP_EMULATE, FR_WAIT_POLL, FR_SCC_DESC,
	  { AC(1, FDSET_INOUT, 0, 0, 0), AC(4, STRUCT_INOUT, 0, 16, FR_FMT_S_TIMESPEC), END } },
	{ "pipe", 1, FR_R_INT, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC,
	  { AC(0, STRUCT_OUT, 0, 8, FR_FMT_S_FD_PAIR), END } },
	{ "pipe2", 2, FR_R_INT, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC,
	  { AC(0, STRUCT_OUT, 0, 8, FR_FMT_S_FD_PAIR), END } },
	{ "socketpair", 4, FR_R_INT, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(3, STRUCT_OUT, 0, 8, FR_FMT_S_FD_PAIR), END } },
	{ "accept", 3, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NET, FR_SCC_NET,
	  { AC(1, SOCKADDR_OUT, 2, 0, FR_FMT_S_SOCKADDR), AC(2, PTR, 0, 0, 0), END } },
	{ "accept4", 4, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NET, FR_SCC_NET,
	  { AC(1, SOCKADDR_OUT, 2, 0, FR_FMT_S_SOCKADDR), END } },
	{ "getsockname", 3, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(1, SOCKADDR_OUT, 2, 0, FR_FMT_S_SOCKADDR), END } },
	{ "getpeername", 3, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(1, SOCKADDR_OUT, 2, 0, FR_FMT_S_SOCKADDR), END } },
	{ "connect", 3, FR_R_INT, FR_RP_CHECK, FR_WAIT_NET, FR_SCC_NET,
	  { AC(1, SOCKADDR_IN, 2, 0, FR_FMT_S_SOCKADDR), END } },
	{ "bind", 3, FR_R_INT, FR_RP_CHECK, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(1, SOCKADDR_IN, 2, 0, FR_FMT_S_SOCKADDR), END } },
	{ "getsockopt", 5, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(3, SOCKADDR_OUT, 4, 0, FR_FMT_S_SOCKOPT), AC(4, PTR, 0, 0, 0), END } },
	{ "setsockopt", 5, FR_R_INT, FR_RP_CHECK, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(3, BUF_IN, 4, 0, FR_FMT_S_SOCKOPT), END } },
	{ "wait4", 4, FR_R_PID, FR_RP_EMULATE, FR_WAIT_CHILD, FR_SCC_PROCESS,
	  { AC(1, STRUCT_OUT, 0, 4, FR_FMT_S_WAIT_STATUS), AC(3, STRUCT_OUT, 0, 144, FR_FMT_S_RUSAGE),
	    END } },
	{ "waitid", 5, FR_R_INT, FR_RP_EMULATE, FR_WAIT_CHILD, FR_SCC_PROCESS,
	  { AC(2, STRUCT_OUT, 0, 128, FR_FMT_S_SIGINFO), AC(4, STRUCT_OUT, 0, 144, FR_FMT_S_RUSAGE),
	    END } },
	{ "open", 3, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_FILE | FR_SCC_DESC,
	  { AC(0, PATH, 0, 0, 0), AC(1, FLAGS, 0, 0, FR_FMT_OPEN_FLAGS), AC(2, MODE, 0, 0, 0), END } },
	{ "openat", 4, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_FILE | FR_SCC_DESC,
	  { AC(0, FD, 0, 0, 0), AC(1, PATH, 0, 0, 0), AC(2, FLAGS, 0, 0, FR_FMT_OPEN_FLAGS), END } },
	{ "openat2", 4, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_FILE,
	  { AC(1, PATH, 0, 0, 0), AC(2, BUF_IN, 3, 0, FR_FMT_S_OPEN_HOW), END } },
	{ "creat", 2, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_FILE,
	  { AC(0, PATH, 0, 0, 0), AC(1, MODE, 0, 0, 0), END } },
	{ "execve", 3, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_NONE, FR_SCC_FILE | FR_SCC_PROCESS,
	  { AC(0, PATH, 0, 0, 0), AC(1, STRV, 0, 0, 0), AC(2, STRV, 0, 0, 0), END } },
	{ "execveat", 5, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_NONE, FR_SCC_PROCESS,
	  { AC(1, PATH, 0, 0, 0), AC(2, STRV, 0, 0, 0), AC(3, STRV, 0, 0, 0), END } },
	{ "rt_sigaction", 4, FR_R_INT, FR_RP_REAL, FR_WAIT_NONE, FR_SCC_SIGNAL,
	  { AC(0, SIGNAL, 0, 0, 0), AC(1, STRUCT_IN, 0, 32, FR_FMT_S_SIGACTION),
	    AC(2, STRUCT_OUT, 0, 32, FR_FMT_S_SIGACTION), END } },
	{ "rt_sigprocmask", 4, FR_R_INT, FR_RP_REAL, FR_WAIT_NONE, FR_SCC_SIGNAL,
	  { AC(1, SIGSET_IN, 3, 0, 0), AC(2, SIGSET_OUT, 3, 0, 0), END } },
	{ "sched_getaffinity", 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(2, BUF_OUT, 1, 0, 0), END } },
	{ "getitimer", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(1, STRUCT_OUT, 0, 32, FR_FMT_S_ITIMERVAL), END } },
	{ "setitimer", 3, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, 0,
	  { AC(1, STRUCT_IN, 0, 32, FR_FMT_S_ITIMERVAL), AC(2, STRUCT_OUT, 0, 32, FR_FMT_S_ITIMERVAL),
	    END } },
	{ "timerfd_gettime", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_DESC,
	  { AC(1, STRUCT_OUT, 0, 32, FR_FMT_S_ITIMERSPEC), END } },
	/* policies of the other families */
	{ "mmap", 6, FR_R_PTR, FR_RP_SPECIAL, FR_WAIT_MEMORY, FR_SCC_MEMORY, { END } },
	{ "mprotect", 3, FR_R_INT, FR_RP_REAL, FR_WAIT_MEMORY, FR_SCC_MEMORY, { END } },
	{ "munmap", 2, FR_R_INT, FR_RP_REAL, FR_WAIT_MEMORY, FR_SCC_MEMORY, { END } },
	{ "brk", 1, FR_R_PTR, FR_RP_REAL, FR_WAIT_MEMORY, FR_SCC_MEMORY, { END } },
	{ "madvise", 3, FR_R_INT, FR_RP_REAL, FR_WAIT_MEMORY, FR_SCC_MEMORY, { END } },
	{ "clone", 5, FR_R_PID, FR_RP_REAL, FR_WAIT_NONE, FR_SCC_PROCESS,
	  { AC(0, FLAGS, 0, 0, FR_FMT_CLONE_FLAGS), END } },
	{ "fork", 0, FR_R_PID, FR_RP_REAL, FR_WAIT_NONE, FR_SCC_PROCESS, { END } },
	{ "clone3", 2, FR_R_PID, FR_RP_SPECIAL, FR_WAIT_NONE, FR_SCC_PROCESS,
	  { AC(0, BUF_IN, 1, 0, FR_FMT_S_CLONE_ARGS), END } },
	{ "exit", 1, FR_R_NONE, FR_RP_REAL, FR_WAIT_NONE, FR_SCC_PROCESS, { END } },
	{ "exit_group", 1, FR_R_NONE, FR_RP_REAL, FR_WAIT_NONE, FR_SCC_PROCESS, { END } },
	{ "set_robust_list", 2, FR_R_INT, FR_RP_REAL, FR_WAIT_NONE, 0, { END } },
	{ "rseq", 4, FR_R_INT, FR_RP_REAL, FR_WAIT_NONE, 0, { END } },
	{ "arch_prctl", 2, FR_R_INT, FR_RP_REAL, FR_WAIT_NONE, 0,
	  { AC(0, ENUM, 0, 0, FR_FMT_ARCH_PRCTL_CODE), END } },
	{ "set_tid_address", 1, FR_R_PID, FR_RP_REAL, FR_WAIT_NONE, 0, { END } },
	{ "sched_yield", 0, FR_R_INT, FR_RP_REAL, FR_WAIT_NONE, 0, { END } },
	{ "futex", 6, FR_R_INT, FR_RP_REAL, FR_WAIT_LOCK, 0,
	  { AC(1, FLAGS, 0, 0, FR_FMT_FUTEX_OP), AC(3, HEX, 0, 0, 0), END } },
	{ "close", 1, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "ioctl", 3, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_IO, FR_SCC_DESC, { END } },
	{ "fcntl", 3, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_LOCK, FR_SCC_DESC,
	  { AC(1, ENUM, 0, 0, FR_FMT_FCNTL_CMD), END } },
	{ "dup", 1, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "dup2", 2, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "dup3", 3, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "socket", 3, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_NET,
	  { AC(0, ENUM, 0, 0, FR_FMT_SOCK_FAMILY), AC(1, FLAGS, 0, 0, FR_FMT_SOCK_TYPE), END } },
	{ "eventfd2", 2, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "epoll_create1", 1, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "timerfd_create", 2, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "memfd_create", 2, FR_R_FD, FR_RP_FD_CREATE, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "ptrace", 4, FR_R_INT, FR_RP_UNSUPPORTED, FR_WAIT_NONE, 0, { END } },
	{ "process_vm_readv", 6, FR_R_SIZE, FR_RP_UNSUPPORTED, FR_WAIT_NONE, 0, { END } },
	{ "process_vm_writev", 6, FR_R_SIZE, FR_RP_UNSUPPORTED, FR_WAIT_NONE, 0, { END } },
	{ "io_uring_setup", 2, FR_R_FD, FR_RP_UNSUPPORTED, FR_WAIT_NONE, FR_SCC_DESC, { END } },
	{ "io_uring_enter", 6, FR_R_INT, FR_RP_UNSUPPORTED, FR_WAIT_IO, FR_SCC_DESC, { END } },
	{ "bpf", 3, FR_R_INT, FR_RP_UNSUPPORTED, FR_WAIT_NONE, 0, { END } },
	{ "perf_event_open", 5, FR_R_FD, FR_RP_UNSUPPORTED, FR_WAIT_NONE, 0, { END } },
	{ "kexec_load", 4, FR_R_INT, FR_RP_UNSUPPORTED, FR_WAIT_NONE, 0, { END } },
	{ "fsync", 1, FR_R_INT, FR_RP_CHECK, FR_WAIT_SYNC, FR_SCC_DESC, { END } },
	{ "unlink", 1, FR_R_INT, FR_RP_CHECK, FR_WAIT_NONE, FR_SCC_FILE, { END } },
	{ "kill", 2, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_NONE, FR_SCC_SIGNAL | FR_SCC_PROCESS,
	  { AC(1, SIGNAL, 0, 0, 0), END } },
	{ "getpid", 0, FR_R_PID, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_PURE, { END } },
	{ "gettid", 0, FR_R_PID, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_PURE, { END } },
	{ "getuid", 0, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_PURE | FR_SCC_CREDS, { END } },
	{ "setuid", 1, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_CREDS, { END } },
	{ "pause", 0, FR_R_INT, FR_RP_SPECIAL, FR_WAIT_SIGNAL, FR_SCC_SIGNAL, { END } },
	{ "rt_sigtimedwait", 4, FR_R_INT, FR_RP_EMULATE, FR_WAIT_SIGNAL, FR_SCC_SIGNAL,
	  { AC(0, SIGSET_IN, 3, 0, 0), AC(1, STRUCT_OUT, 0, 128, FR_FMT_S_SIGINFO), END } },
	{ "flock", 2, FR_R_INT, FR_RP_EMULATE, FR_WAIT_LOCK, FR_SCC_DESC, { END } },
	{ "shmget", 3, FR_R_INT, FR_RP_UNSUPPORTED, FR_WAIT_NONE, FR_SCC_IPC, { END } },
	{ "semop", 3, FR_R_INT, FR_RP_EMULATE, FR_WAIT_LOCK, FR_SCC_IPC, { END } },
	{ "uselib", 1, FR_R_INT, FR_RP_EMULATE, FR_WAIT_NONE, FR_SCC_FILE, { END } },
};

START_TEST(test_spot_rows)
{
	const struct row_check *c = &rows[_i];
	const struct fr_syscall_desc *d = fr_syscall_by_name(c->name);
	const struct arg_check *a;

	ck_assert_msg(d, "%s missing", c->name);
	ck_assert_msg(d->nargs == c->nargs, "%s: nargs %u", c->name, d->nargs);
	ck_assert_msg(d->ret == c->ret, "%s: ret %s", c->name, fr_ret_kind_name(d->ret));
	ck_assert_msg(d->replay == c->replay, "%s: replay %s, expected %s", c->name,
		      fr_replay_policy_name(d->replay), fr_replay_policy_name(c->replay));
	ck_assert_msg(d->wait == c->wait, "%s: wait %s, expected %s", c->name,
		      fr_wait_kind_name(d->wait), fr_wait_kind_name(c->wait));
	ck_assert_msg((d->cls & c->cls) == c->cls, "%s: classes %#x lack %#x", c->name, d->cls,
		      c->cls);
	for (a = c->args; a->idx >= 0; a++) {
		const struct fr_syscall_arg_desc *x = &d->args[a->idx];

		ck_assert_msg(x->kind == a->kind, "%s arg %d: kind %s, expected %s", c->name, a->idx,
			      fr_arg_kind_name(x->kind), fr_arg_kind_name(a->kind));
		if (a->len_arg)
			ck_assert_msg(x->len_arg == a->len_arg, "%s arg %d: len_arg %u", c->name,
				      a->idx, x->len_arg);
		if (a->size)
			ck_assert_msg(x->size == a->size, "%s arg %d: size %u", c->name, a->idx,
				      x->size);
		if (a->fmt)
			ck_assert_msg(x->fmt == a->fmt, "%s arg %d: fmt %s", c->name, a->idx,
				      fr_fmt_set_name(x->fmt));
	}
}
END_TEST

/* ---- classes ------------------------------------------------------------------------ */

START_TEST(test_class_names)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} cases[] = {
		{ "%file", FR_SCC_FILE },	{ "file", FR_SCC_FILE },
		{ "%desc", FR_SCC_DESC },	{ "%net", FR_SCC_NET },
		{ "net", FR_SCC_NET },		{ "network", FR_SCC_NET },
		{ "%network", FR_SCC_NET },	{ "%process", FR_SCC_PROCESS },
		{ "%signal", FR_SCC_SIGNAL },	{ "%ipc", FR_SCC_IPC },
		{ "%memory", FR_SCC_MEMORY },	{ "%clock", FR_SCC_CLOCK },
		{ "%stat", FR_SCC_STAT },	{ "%%stat", FR_SCC_STAT },
		{ "stat", FR_SCC_STAT },	{ "%statfs", FR_SCC_STATFS },
		{ "%%statfs", FR_SCC_STATFS },	{ "%creds", FR_SCC_CREDS },
		{ "%pure", FR_SCC_PURE },	{ "%NET", FR_SCC_NET },
		{ "%read", FR_SCC_READ },	{ "%write", FR_SCC_WRITE },
		{ "%random", FR_SCC_RANDOM },	{ "%bogus", 0 },
		{ "", 0 },			{ "%", 0 },
		{ "%%", 0 },			{ "%%%stat", 0 },
		{ "open", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(fr_syscall_class_by_name(cases[i].name) == cases[i].bit,
			      "'%s': %#x, expected %#x", cases[i].name,
			      fr_syscall_class_by_name(cases[i].name), cases[i].bit);
	ck_assert_uint_eq(fr_syscall_class_by_name(NULL), 0);
	for (i = 0; i < 15; i++) {
		const char *n = fr_syscall_class_name(1u << i);

		ck_assert_msg(n, "class bit %zu has no name", i);
		ck_assert_uint_eq(fr_syscall_class_by_name(n), 1u << i);
	}
	ck_assert_ptr_null(fr_syscall_class_name(3));
}
END_TEST

static const struct fr_syscall_desc *row(const char *name)
{
	const struct fr_syscall_desc *d = fr_syscall_by_name(name);

	ck_assert_msg(d, "%s missing", name);
	return d;
}

/* Class membership as strace defines it, for rows --inject users name. */
START_TEST(test_class_members)
{
	static const struct {
		const char *cls;
		const char *in[6];
		const char *out[4];
	} cases[] = {
		{ "%net", { "socket", "connect", "recvfrom", "sendmsg", "accept4", "getsockopt" },
		  { "read", "openat", "pipe", NULL } },
		{ "%file", { "open", "openat", "stat", "execve", "unlink", "readlink" },
		  { "read", "fstat", "close", NULL } },
		{ "%desc", { "read", "write", "close", "fstat", "epoll_wait", "dup2" },
		  { "stat", "socket", "getpid", NULL } },
		{ "%process", { "clone", "fork", "execve", "exit_group", "wait4", "kill" },
		  { "read", "getpid", NULL, NULL } },
		{ "%signal", { "rt_sigaction", "rt_sigprocmask", "kill", "tgkill", "sigaltstack",
			       "rt_sigreturn" },
		  { "read", NULL, NULL, NULL } },
		{ "%memory", { "mmap", "munmap", "brk", "mprotect", "madvise", "mremap" },
		  { "read", "open", NULL, NULL } },
		{ "%%stat", { "stat", "fstat", "lstat", "newfstatat", "statx", NULL },
		  { "statfs", "access", NULL, NULL } },
		{ "%clock", { "clock_gettime", "gettimeofday", "time", "clock_getres", NULL, NULL },
		  { "nanosleep", NULL, NULL, NULL } },
		{ "%pure", { "getpid", "getppid", "gettid", "getuid", "geteuid", "getpgrp" },
		  { "setuid", "getpgid", NULL, NULL } },
		{ "%ipc", { "shmget", "semop", "msgsnd", "msgrcv", NULL, NULL },
		  { "pipe", NULL, NULL, NULL } },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t bit = fr_syscall_class_by_name(cases[i].cls);

		ck_assert_uint_ne(bit, 0);
		for (j = 0; j < 6 && cases[i].in[j]; j++)
			ck_assert_msg(row(cases[i].in[j])->cls & bit, "%s not in %s", cases[i].in[j],
				      cases[i].cls);
		for (j = 0; j < 4 && cases[i].out[j]; j++)
			ck_assert_msg(!(row(cases[i].out[j])->cls & bit), "%s in %s", cases[i].out[j],
				      cases[i].cls);
	}
}
END_TEST

START_TEST(test_enum_names)
{
	unsigned k;

	for (k = 0; k <= FR_RP_SPECIAL; k++)
		ck_assert_ptr_nonnull(fr_replay_policy_name(k));
	ck_assert_ptr_null(fr_replay_policy_name(FR_RP_SPECIAL + 1));
	for (k = 0; k <= FR_WAIT_MEMORY; k++)
		ck_assert_ptr_nonnull(fr_wait_kind_name(k));
	ck_assert_ptr_null(fr_wait_kind_name(FR_WAIT_MEMORY + 1));
	for (k = 0; k < FR_A_KIND_COUNT; k++)
		ck_assert_ptr_nonnull(fr_arg_kind_name(k));
	ck_assert_ptr_null(fr_arg_kind_name(FR_A_KIND_COUNT));
	for (k = 0; k <= FR_R_PID; k++)
		ck_assert_ptr_nonnull(fr_ret_kind_name(k));
	ck_assert_str_eq(fr_replay_policy_name(FR_RP_EMULATE), "emulate");
	ck_assert_str_eq(fr_wait_kind_name(FR_WAIT_POLL), "poll");
	ck_assert_str_eq(fr_arg_kind_name(FR_A_BUF_OUT), "buf_out");
	/* in/out direction of every data kind */
	ck_assert(fr_arg_kind_is_in(FR_A_BUF_IN) && !fr_arg_kind_is_out(FR_A_BUF_IN));
	ck_assert(!fr_arg_kind_is_in(FR_A_BUF_OUT) && fr_arg_kind_is_out(FR_A_BUF_OUT));
	ck_assert(fr_arg_kind_is_in(FR_A_ARRAY_INOUT) && fr_arg_kind_is_out(FR_A_ARRAY_INOUT));
	ck_assert(fr_arg_kind_is_in(FR_A_FDSET_INOUT) && fr_arg_kind_is_out(FR_A_FDSET_INOUT));
	ck_assert(!fr_arg_kind_is_in(FR_A_FD) && !fr_arg_kind_is_out(FR_A_FD));
	ck_assert(fr_arg_kind_is_in(FR_A_PATH) && fr_arg_kind_is_in(FR_A_STRV));
}
END_TEST

/* Lookups are safe from several threads at once (the by-name index is
 * built on first use). */
#include <pthread.h>

static void *lookup_many(void *arg)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < 2000; i++)
		if (!fr_syscall_by_name(i & 1 ? "openat" : "clone3"))
			return (void *)1;
	return NULL;
}

START_TEST(test_lookup_threads)
{
	pthread_t t[4];
	void *r;
	int i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, lookup_many, NULL), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_ptr_null(r);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("syscalls");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_row_invariants);
	tcase_add_test(tc, test_gaps);
	tcase_add_test(tc, test_names_unique);
	tcase_add_test(tc, test_against_kernel_headers);
	tcase_add_test(tc, test_against_glibc);
	tcase_add_loop_test(tc, test_spot_rows, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_class_names);
	tcase_add_test(tc, test_class_members);
	tcase_add_test(tc, test_enum_names);
	tcase_add_test(tc, test_lookup_threads);
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
