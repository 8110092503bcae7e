// SPDX-License-Identifier: MIT
/* rules.c: --trigger-on rules, parsed and evaluated (see rules.h). */
#include "capture/rules.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

/* A signal by name ("SIGSEGV", "segv") or number ("11"); 0 when neither. */
static int signal_arg(const char *s)
{
	uint64_t v;
	int sig;

	if (!s || !*s)
		return 0;
	if (!fr_parse_u64(s, &v))
		return v >= 1 && v <= 64 ? (int)v : 0;
	sig = fr_signal_by_name(s);
	return sig > 0 ? sig : 0;
}

void fr_rule__clear(struct fr_rule *r)
{
	if (!r)
		return;
	free(r->times);
	memset(r, 0, sizeof(*r));
}

/* Qualifiers after the first comma: comm=, pid=, syscall=, as `allowed`. */
#define Q_COMM 0x1
#define Q_PID 0x2
#define Q_SYSCALL 0x4

static int parse_quals(char *q, unsigned allowed, struct fr_rule *r, const char *s, char *err,
		       size_t errlen)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(q, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		uint64_t v;

		if (!eq)
			goto bad;
		*eq++ = '\0';
		if (!strcmp(tok, "comm") && (allowed & Q_COMM) && !r->has_comm) {
			if (!*eq || strlen(eq) >= FR_COMM_LEN) {
				snprintf(err, errlen, "'%s': comm= wants a name of 1 to 15 characters",
					 s);
				return -EINVAL;
			}
			snprintf(r->comm, sizeof(r->comm), "%s", eq);
			r->has_comm = true;
		} else if (!strcmp(tok, "pid") && (allowed & Q_PID) && !r->has_pid) {
			if (fr_parse_u64(eq, &v) || !v || v > 0x7fffffff) {
				snprintf(err, errlen, "'%s': pid= wants a process id", s);
				return -EINVAL;
			}
			r->pid = (uint32_t)v;
			r->has_pid = true;
		} else if (!strcmp(tok, "syscall") && (allowed & Q_SYSCALL) && !r->has_syscall) {
			const struct fr_syscall_desc *d = fr_syscall_by_name(eq);

			if (!d) {
				snprintf(err, errlen, "'%s': '%s' is not a system call name", s, eq);
				return -EINVAL;
			}
			r->syscall_nr = d->nr;
			r->has_syscall = true;
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "'%s': unknown or repeated qualifier '%s' (this rule takes %s%s%s)", s,
		 tok, allowed & Q_COMM ? "comm=NAME " : "", allowed & Q_PID ? "pid=N " : "",
		 allowed & Q_SYSCALL ? "syscall=NAME" : "");
	return -EINVAL;
}

int fr_rule__parse(const char *s, struct fr_rule *r, char *err, size_t errlen)
{
	char buf[256], *quals;
	int rc = -EINVAL;

	memset(r, 0, sizeof(*r));
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "rule too long");
		return -EINVAL;
	}
	snprintf(r->text, sizeof(r->text), "%s", s);
	snprintf(buf, sizeof(buf), "%s", s);
	quals = strchr(buf, ',');
	if (quals)
		*quals++ = '\0';

	if (!strncmp(buf, "syscall-latency>", 16)) {
		r->kind = FR_RULE_LATENCY;
		if (fr_parse_duration(buf + 16, 1000000000ULL, &r->threshold_ns)) {
			snprintf(err, errlen, "'%s': '%s' is not a duration (500ms, 2s)", s, buf + 16);
			goto fail;
		}
		if (quals && parse_quals(quals, Q_COMM | Q_PID | Q_SYSCALL, r, s, err, errlen))
			goto fail;
	} else if (!strncmp(buf, "signal=", 7)) {
		char *save = NULL, *tok;

		r->kind = FR_RULE_SIGNAL;
		for (tok = strtok_r(buf + 7, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
			int sig = signal_arg(tok);

			if (!sig) {
				snprintf(err, errlen, "'%s': '%s' is not a signal (SIGSEGV, ABRT, 9)", s,
					 tok);
				goto fail;
			}
			r->sigmask |= 1ULL << (sig - 1);
		}
		if (!r->sigmask) {
			snprintf(err, errlen, "'%s': name at least one signal (signal=SIGSEGV|SIGABRT)",
				 s);
			goto fail;
		}
		if (quals && parse_quals(quals, Q_COMM | Q_PID, r, s, err, errlen))
			goto fail;
	} else if (!strcmp(buf, "oom")) {
		r->kind = FR_RULE_OOM;
		if (quals) {
			snprintf(err, errlen, "'%s': oom takes no qualifier", s);
			goto fail;
		}
	} else if (!strcmp(buf, "exit-nonzero")) {
		r->kind = FR_RULE_EXIT_NONZERO;
		if (quals && parse_quals(quals, Q_COMM | Q_PID, r, s, err, errlen))
			goto fail;
	} else if (!strncmp(buf, "tcp-retransmits>", 16)) {
		char *slash = strchr(buf + 16, '/');
		uint64_t n;

		r->kind = FR_RULE_TCP_RETRANSMITS;
		if (!slash)
			goto bad_rate;
		*slash++ = '\0';
		if (fr_parse_u64(buf + 16, &n) || n > FR_RULE_MAX_COUNT)
			goto bad_rate;
		if (!strcmp(slash, "s"))
			r->per_ns = 1000000000ULL;
		else if (fr_parse_duration(slash, 1000000000ULL, &r->per_ns) || !r->per_ns)
			goto bad_rate;
		r->count = (uint32_t)n;
		if (quals) {
			snprintf(err, errlen, "'%s': tcp-retransmits takes no qualifier", s);
			goto fail;
		}
		r->times = calloc((size_t)r->count + 1, sizeof(*r->times));
		if (!r->times) {
			rc = -ENOMEM;
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	} else {
		snprintf(err, errlen,
			 "'%s': unknown rule (syscall-latency>DUR[,comm=NAME|pid=N], "
			 "signal=SIG[|SIG...], oom, exit-nonzero[,comm=NAME], tcp-retransmits>N/s)",
			 s);
		goto fail;
	}
	return 0;
bad_rate:
	snprintf(err, errlen, "'%s': wants a count and an interval: tcp-retransmits>5/s or "
		 "tcp-retransmits>20/10s (count at most %d)", s, FR_RULE_MAX_COUNT);
fail:
	fr_rule__clear(r);
	return rc;
}

static const char *comm_of(fr_rule_comm_fn fn, void *ctx, uint32_t pid, uint32_t tid)
{
	const char *c = fn ? fn(ctx, pid, tid) : NULL;

	return c && *c ? c : NULL;
}

/* comm= and pid= qualifiers against the task of `ev`. */
static bool task_matches(const struct fr_rule *r, const struct fr_event *ev,
			 fr_rule_comm_fn comm, void *ctx)
{
	if (r->has_pid && ev->pid != r->pid)
		return false;
	if (r->has_comm) {
		const char *c = comm_of(comm, ctx, ev->pid, ev->tid);

		if (!c || strncmp(c, r->comm, FR_COMM_LEN - 1))
			return false;
	}
	return true;
}

static const char *sig_name(int sig, char *buf, size_t len)
{
	const char *n = fr_signal_name(sig);

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}

bool fr_rule__eval(struct fr_rule *r, const struct fr_event *ev, fr_rule_comm_fn comm,
		   void *ctx, char *reason, size_t len)
{
	char d1[32], d2[32], sb[32];
	const char *c;

	switch (r->kind) {
	case FR_RULE_LATENCY: {
		uint64_t dur;

		if (ev->type != FR_EV_SYSCALL || !ev->u.sc.enter_ns ||
		    (ev->u.sc.flags & (FR_SC_NO_ENTER | FR_SC_NO_EXIT)) || ev->ts_ns < ev->u.sc.enter_ns)
			return false;
		dur = ev->ts_ns - ev->u.sc.enter_ns;
		if (dur <= r->threshold_ns)
			return false;
		if (r->has_syscall && ev->u.sc.nr != r->syscall_nr)
			return false;
		if (!task_matches(r, ev, comm, ctx))
			return false;
		c = comm_of(comm, ctx, ev->pid, ev->tid);
		fr_fmt_duration(d1, sizeof(d1), dur);
		fr_fmt_duration(d2, sizeof(d2), r->threshold_ns);
		{
			const char *name = fr_syscall_name(ev->u.sc.nr);
			char nb[16];

			if (!name) {
				snprintf(nb, sizeof(nb), "syscall %u", ev->u.sc.nr);
				name = nb;
			}
			snprintf(reason, len, "%s: %s by %s[%u/%u] took %s (> %s)", r->text, name,
				 c ? c : "?", ev->pid, ev->tid, d1, d2);
		}
		break;
	}
	case FR_RULE_SIGNAL: {
		int sig = ev->u.sig_del.sig;

		if (ev->type != FR_EV_SIGNAL_DELIVER || sig < 1 || sig > 64 ||
		    !(r->sigmask & (1ULL << (sig - 1))))
			return false;
		if (!task_matches(r, ev, comm, ctx))
			return false;
		c = comm_of(comm, ctx, ev->pid, ev->tid);
		snprintf(reason, len, "%s: %s delivered to %s[%u/%u]", r->text,
			 sig_name(sig, sb, sizeof(sb)), c ? c : "?", ev->pid, ev->tid);
		break;
	}
	case FR_RULE_OOM:
		if (ev->type != FR_EV_OOM_KILL)
			return false;
		snprintf(reason, len, "%s: the OOM killer killed %.16s[%u] (anon rss %llu kB)%s",
			 r->text, ev->u.oom.victim_comm, ev->u.oom.victim_pid,
			 (unsigned long long)ev->u.oom.anon_rss_kb,
			 ev->u.oom.memcg_id ? " in a memory cgroup" : "");
		break;
	case FR_RULE_EXIT_NONZERO: {
		int st = ev->u.exit.status;

		if (ev->type != FR_EV_PROC_EXIT || !(ev->u.exit.flags & FR_EXIT_GROUP_DEAD) || !st)
			return false;
		if (!task_matches(r, ev, comm, ctx))
			return false;
		c = comm_of(comm, ctx, ev->pid, ev->tid);
		if (st & 0x7f)
			snprintf(reason, len, "%s: %s[%u] killed by %s", r->text, c ? c : "?", ev->pid,
				 sig_name(st & 0x7f, sb, sizeof(sb)));
		else
			snprintf(reason, len, "%s: %s[%u] exited with status %d", r->text,
				 c ? c : "?", ev->pid, (st >> 8) & 0xff);
		break;
	}
	case FR_RULE_TCP_RETRANSMITS: {
		uint32_t slots = r->count + 1, oldest;

		if (ev->type != FR_EV_TCP_RETRANSMIT)
			return false;
		r->times[r->head] = ev->ts_ns;
		r->head = (r->head + 1) % slots;
		if (r->filled < slots)
			r->filled++;
		if (r->filled < slots)
			return false;
		/* the buffer holds the last count+1 times; head is the oldest */
		oldest = r->head;
		if (ev->ts_ns - r->times[oldest] > r->per_ns)
			return false;
		fr_fmt_duration(d1, sizeof(d1), ev->ts_ns - r->times[oldest]);
		fr_fmt_duration(d2, sizeof(d2), r->per_ns);
		snprintf(reason, len, "%s: %u TCP retransmissions within %s (limit %u per %s)",
			 r->text, slots, d1, r->count, d2);
		/* start counting afresh: one burst fires once */
		r->filled = 0;
		break;
	}
	default:
		return false;
	}
	r->matches++;
	return true;
}
