/* SPDX-License-Identifier: MIT */
/*
 * print.h: events as text, in the spirit of `perf script` and `strace -f -tt`,
 * and the name tables (errno, signals, flag sets) that go with it.
 */
#ifndef FR_PRINT_H
#define FR_PRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/event.h"
#include "formats/util.h"

struct fr_print_opts {
	unsigned strsize;        /* bytes of a buffer shown, like strace -s (0: 32) */
	bool utc;                /* absolute UTC times instead of relative seconds */
	uint64_t t0_ns;          /* relative times are ts - t0 */
	int64_t clock_to_utc_ns; /* for utc */
	/* Name of a thread, for the "comm/pid/tid" column; may be NULL. */
	const char *(*comm_of)(void *ctx, uint32_t pid, uint32_t tid);
	void *ctx;
};

/* Append one line for `ev` (no newline) to `sb`:
 *   TIME COMM PID/TID [CPU] DETAILS
 * TIME is seconds since t0 ("%6u.%09u") or UTC; DETAILS is a system call as
 * strace writes it, with its duration, or "TYPE: fields" for other events:
 *   "     0.000012500 cat 102/102 [001] read(0<pipe:[777]>, "hello\n", 65536) = 6 <0.000004000>"
 *   "     0.000013500 sh 100/100 [001] sched_switch: sh:100 [120] S ==> cat:102 [120]"
 * docs/events.md describes every type. */
void fr_print_event(struct fr_sb *sb, const struct fr_event *ev,
		    const struct fr_print_opts *o);
/* Append just the DETAILS part (for a syscall: "write(1, "hello\n", 6) = 6",
 * without the duration; for other events "TYPE: fields"). */
void fr_print_event_details(struct fr_sb *sb, const struct fr_event *ev,
			    const struct fr_print_opts *o);
/* Append the decoded arguments of a syscall event, "ARG, ARG, ..." (what
 * sits between the parentheses). */
void fr_print_syscall_args(struct fr_sb *sb, const struct fr_event *ev,
			   const struct fr_print_opts *o);
/* Append a syscall's result: "6", "-1 ENOENT (No such file or directory)",
 * "0x7f0000000000", "?" when it did not return, then decoded results when
 * the call reports some ("1 ([{fd=3, revents=POLLIN}])"). */
void fr_print_syscall_ret(struct fr_sb *sb, const struct fr_event *ev,
			  const struct fr_print_opts *o);
/* Add the event as JSON members to `obj` (a jansson object) for --json. */
struct json_t;
int fr_event_to_json(struct json_t *obj, const struct fr_event *ev,
		     const struct fr_print_opts *o);

/* "ENOENT" for 2, NULL when unknown (includes the kernel-internal values a
 * tracer sees, ERESTARTSYS and friends). */
const char *fr_errno_name(int err);
/* "No such file or directory" for 2, NULL when unknown. */
const char *fr_errno_text(int err);
/* 2 for "ENOENT", -1 when unknown. */
int fr_errno_by_name(const char *name);
/* "SIGSEGV" for 11, NULL when unknown. */
const char *fr_signal_name(int sig);
/* 11 for "SIGSEGV" or "SEGV", -1 when unknown. */
int fr_signal_by_name(const char *name);
/* Append a value of a named set (enum fr_fmt_set): "O_RDONLY|O_CLOEXEC". */
void fr_print_flags(struct fr_sb *sb, unsigned set, uint64_t value);
/* TCP state name ("ESTABLISHED"), NULL when unknown. */
const char *fr_tcp_state_name(int state);
/* Task state letters for sched_switch prev_state ("S", "D", "R+", ...). */
void fr_print_task_state(struct fr_sb *sb, int64_t state);
/* "10.0.0.1:443" / "[::1]:80" for one side of a tuple (local: s, else d). */
void fr_print_sockaddr(struct fr_sb *sb, const struct fr_sock_tuple *t, bool local);

/* Name of a value of an enum set (FR_FMT_FCNTL_CMD, 4: "F_SETFL"); NULL for
 * an unknown value or a flag set. */
const char *fr_fmt_value_name(unsigned set, uint64_t value);
/* Name of a set ("open_flags", "struct stat"), NULL when out of range. */
const char *fr_fmt_set_name(unsigned set);
/* "SIGTERM", or the number when it has no name. */
void fr_print_signal(struct fr_sb *sb, int sig);
/* si_code name for a signal ("SI_USER", "SEGV_MAPERR"), NULL when unknown. */
const char *fr_si_code_name(int sig, int code);
/* Softirq vector name ("NET_RX"), NULL when unknown. */
const char *fr_softirq_name(unsigned vec);
/* A wait(2) status as people say it: "exit 0", "killed by SIGSEGV (core
 * dumped)", "stopped by SIGSTOP". */
void fr_print_exit_status(struct fr_sb *sb, int status);
/* A struct fr_sock_tuple connection, "10.0.0.1:5555->10.0.0.2:443". */
void fr_print_tuple(struct fr_sb *sb, const struct fr_sock_tuple *t);
/* The strace -y annotation of a file descriptor: "<pipe:[777]>",
 * "<TCP:[127.0.0.1:40000->127.0.0.1:8080]>", "<file:[8:1/1234]>". */
void fr_print_fdinfo(struct fr_sb *sb, const struct fr_fdinfo *fi);
/* Decode `len` captured bytes (of `full_len` at the source) with a struct
 * decoder (FR_FMT_S_*) or, for any other fmt, as an escaped string. */
void fr_print_data(struct fr_sb *sb, unsigned fmt, const uint8_t *data, size_t len,
		   size_t full_len, const struct fr_print_opts *o);

#endif /* FR_PRINT_H */
