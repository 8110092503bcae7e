/* SPDX-License-Identifier: MIT */
/*
 * rules.h: `flightrec capture --trigger-on RULE`: conditions on the event
 * stream that fire a trigger.
 *
 *   syscall-latency>DUR[,comm=NAME|,pid=N][,syscall=NAME]
 *        a system call that took longer than DUR ("500ms", "2s"), from
 *        entry to exit; any call unless scoped (calls that wait by design,
 *        such as epoll_wait or nanosleep, count too: scope the rule)
 *   signal=SIG[|SIG]...[,comm=NAME|,pid=N]
 *        one of these signals is delivered to a task (SIGSEGV, SEGV, 11)
 *   oom
 *        the OOM killer kills a process (global or in a memory cgroup)
 *   exit-nonzero[,comm=NAME|,pid=N]
 *        a process (its last thread) exits with a non-zero status or is
 *        killed by a signal
 *   tcp-retransmits>N/s     (or N/DUR: "20/10s")
 *        more than N TCP retransmissions within any interval of one
 *        second (DUR), system-wide
 *
 * Qualifiers may be combined (all must hold).  Evaluation runs on the
 * recorder's drain thread, on events in time order; a rule keeps its own
 * state (the retransmit rate).
 */
#ifndef FR_CAPTURE_RULES_H
#define FR_CAPTURE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/event.h"

enum fr_rule_kind {
	FR_RULE_LATENCY = 1,
	FR_RULE_SIGNAL,
	FR_RULE_OOM,
	FR_RULE_EXIT_NONZERO,
	FR_RULE_TCP_RETRANSMITS,
};

#define FR_RULE_MAX_COUNT 100000 /* tcp-retransmits>N: largest N */

struct fr_rule {
	enum fr_rule_kind kind;
	char text[256];       /* the rule as given */
	/* qualifiers */
	bool has_comm, has_pid, has_syscall;
	char comm[FR_COMM_LEN];
	uint32_t pid;
	uint32_t syscall_nr;
	/* parameters */
	uint64_t threshold_ns; /* latency */
	uint64_t sigmask;      /* signal: bit (sig - 1) */
	uint32_t count;        /* retransmits: more than `count` ... */
	uint64_t per_ns;       /* ... within this interval */
	/* state: times of the last count+1 retransmits (a circular buffer) */
	uint64_t *times;
	uint32_t head, filled;
	uint64_t matches;      /* times the rule fired */
};

/* Parse `s` into `r`.  Returns 0, or -EINVAL with a message in `err`,
 * -ENOMEM.  Free with fr_rule__clear. */
int fr_rule__parse(const char *s, struct fr_rule *r, char *err, size_t errlen);
void fr_rule__clear(struct fr_rule *r);

/* How the evaluator learns the name of a task (NULL or "" when unknown). */
typedef const char *(*fr_rule_comm_fn)(void *ctx, uint32_t pid, uint32_t tid);

/*
 * Does `ev` fire rule `r`?  Returns true with a one-line explanation in
 * `reason` ("read by dm_slow[412] took 1.20 s (> 500 ms)").  `comm` is asked
 * only for rules with comm= and for the explanation; it may be NULL.
 */
bool fr_rule__eval(struct fr_rule *r, const struct fr_event *ev, fr_rule_comm_fn comm,
		   void *ctx, char *reason, size_t len);

#endif
