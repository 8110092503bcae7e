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
 *   TIME COMM PID/TID [CPU] TYPE DETAILS
 * e.g. "   0.000123 echo 4242/4242 [001] syscall write(1, "hello\n", 6) = 6 <0.000004>" */
void fr_print_event(struct fr_sb *sb, const struct fr_event *ev,
		    const struct fr_print_opts *o);
/* Append just the DETAILS part (for a syscall: "write(1, "hello\n", 6) = 6"). */
void fr_print_event_details(struct fr_sb *sb, const struct fr_event *ev,
			    const struct fr_print_opts *o);
/* Add the event as JSON members to `obj` (a jansson object) for --json. */
struct json_t;
int fr_event_to_json(struct json_t *obj, const struct fr_event *ev,
		     const struct fr_print_opts *o);

/* "ENOENT" for 2, NULL when unknown. */
const char *fr_errno_name(int err);
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

#endif /* FR_PRINT_H */
