// SPDX-License-Identifier: MIT
/*
 * incidents.c: finding what went wrong in a bundle, and turning each incident
 * into a breakdown, a critical path, root causes and a summary.
 *
 * Without --focus (docs/analysis.md, "Incidents"):
 *  - slow system calls and requests: a call (or a request on a socket) that
 *    took at least min_slow_ns longer than that thread's normal for it (the
 *    median of its calls of that kind, or of every thread's when it made too
 *    few) and min_ratio times the normal; sleeps count only what exceeds the
 *    requested duration; waits that are idle by nature (poll, epoll, select,
 *    pause, accept, a server's read of the next request) are not incidents;
 *  - error returns that mean trouble (ETIMEDOUT, ECONNRESET, EPIPE, ...);
 *  - fatal signals, OOM kills, non-zero exits;
 *  - threads that spent a large share of their time waiting for a CPU, or in
 *    reclaim and page faults.
 * With --focus, only incidents of the chosen threads and window, and for a
 * chosen process or thread the whole of its life in the window as one more.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define MIN_SAMPLES 8		   /* calls before a thread's median is its normal */
#define STALL_MIN_NS 50000000ULL   /* cpu-wait / memory-stall: at least 50 ms */
#define ERROR_SCORE_NS 50000000ULL /* errors rank like a 50 ms slowdown, plus their duration */

/* ---- focus ---------------------------------------------------------------------- */

int fa_focus__parse(struct fa_focus *f, const char *spec, char *err, size_t errlen)
{
	const char *v = strchr(spec, ':');
	uint64_t x;

	if (!v) {
		snprintf(err, errlen, "'%s' is not pid:N, tid:N, comm:NAME or window:T1-T2", spec);
		return -EINVAL;
	}
	v++;
	if (!strncmp(spec, "pid:", 4) || !strncmp(spec, "tid:", 4)) {
		if (fr_parse_u64(v, &x) || !x || x > UINT32_MAX) {
			snprintf(err, errlen, "'%s': '%s' is not a process or thread id", spec, v);
			return -EINVAL;
		}
		if (spec[0] == 'p')
			f->pid = (uint32_t)x;
		else
			f->tid = (uint32_t)x;
	} else if (!strncmp(spec, "comm:", 5)) {
		if (!*v || strlen(v) >= FR_COMM_LEN) {
			snprintf(err, errlen, "'%s': a comm is 1 to %d characters", spec,
				 FR_COMM_LEN - 1);
			return -EINVAL;
		}
		snprintf(f->comm, sizeof(f->comm), "%s", v);
	} else if (!strncmp(spec, "window:", 7)) {
		char a[64], *dash;
		uint64_t s, e;

		if (strlen(v) >= sizeof(a)) {
			snprintf(err, errlen, "'%s': window too long", spec);
			return -EINVAL;
		}
		strcpy(a, v);
		dash = strchr(a, '-');
		if (!dash) {
			snprintf(err, errlen,
				 "'%s': a window is T1-T2 (seconds from the start, or "
				 "durations like 1.5s, 200ms)",
				 spec);
			return -EINVAL;
		}
		*dash = 0;
		if (fr_parse_duration(a, 1000000000ULL, &s) ||
		    fr_parse_duration(dash + 1, 1000000000ULL, &e) || e <= s) {
			snprintf(err, errlen,
				 "'%s': a window is T1-T2 with T1 < T2 (seconds from "
				 "the start, or durations like 1.5s, 200ms)",
				 spec);
			return -EINVAL;
		}
		f->window = true;
		f->anchored = false;
		f->since_ns = s;
		f->until_ns = e;
	} else {
		snprintf(err, errlen, "'%s' is not pid:N, tid:N, comm:NAME or window:T1-T2", spec);
		return -EINVAL;
	}
	f->set = true;
	return 0;
}

void fa_focus__anchor(struct fa_focus *f, uint64_t t0_ns)
{
	if (!f->window || f->anchored)
		return;
	f->since_ns += t0_ns;
	f->until_ns += t0_ns;
	f->anchored = true;
}

static bool thread_in_focus(const struct fa_model *m, uint32_t ti, const struct fa_focus *f)
{
	const struct fa_thread *t = &m->threads[ti];

	if (!f || !f->set)
		return true;
	if (f->pid && t->pid != f->pid)
		return false;
	if (f->tid && t->tid != f->tid)
		return false;
	if (f->comm[0]) {
		const struct fa_process *p = fa_model__find_process(m, t->pid);

		if (strcmp(t->comm, f->comm) && (!p || strcmp(p->comm, f->comm)))
			return false;
	}
	return true;
}

/* Where a thread's life as the program it is starts: its exec when the
 * bundle has it (before, it was its parent's copy: in record mode, the
 * recorder's child waiting to start the command), else its first state. */
static uint64_t life_start(const struct fa_thread *t)
{
	if (t->exec_ns && t->n_iv && t->exec_ns >= t->iv[0].start && t->exec_ns < t->end_ns)
		return t->exec_ns;
	return t->n_iv ? t->iv[0].start : t->first_ns;
}

bool fa_focus__matches_any(const struct fa_model *m, const struct fa_focus *f)
{
	uint32_t i;

	if (!f || (!f->pid && !f->tid && !f->comm[0]))
		return true;
	for (i = 0; i < m->n_threads; i++)
		if ((m->threads[i].flags & FA_TH_RECORDED) && thread_in_focus(m, i, f))
			return true;
	return false;
}

static bool time_in_focus(const struct fa_focus *f, uint64_t s, uint64_t e)
{
	if (!f || !f->window)
		return true;
	return e >= f->since_ns && s <= f->until_ns;
}

/* ---- descriptions ---------------------------------------------------------------- */

static void describe_call(const struct fa_model *m, uint32_t nr, uint32_t res, char *buf,
			  size_t len)
{
	char tmp[32];
	const char *name = fa_syscall_name(nr, tmp, sizeof(tmp));

	if (nr == FA_NR_CLIENT_REQ || nr == FA_NR_SERVER_REQ)
		snprintf(buf, len, "%s on %s", name,
			 res != FA_NONE ? fa_res_name(m, res) : "a socket");
	else if (res != FA_NONE && res < m->n_res)
		snprintf(buf, len, "%s() on %s", name, fa_res_name(m, res));
	else
		snprintf(buf, len, "%s()", name);
}

void fa_describe_wait(const struct fa_model *m, uint32_t wait, char *buf, size_t len)
{
	if (wait >= m->n_waits) {
		snprintf(buf, len, "?");
		return;
	}
	describe_call(m, m->waits[wait].nr, m->waits[wait].res, buf, len);
}

/* ---- collecting ------------------------------------------------------------------- */

static struct fa_incident *push(struct fa_incidents *v)
{
	struct fa_incident *i = FA_PUSH(v->v, v->n, v->cap);

	if (i) {
		memset(i, 0, sizeof(*i));
		i->nr = FA_NONE;
		i->res = FA_NONE;
		i->culprit = FA_NONE;
		i->index = FA_NONE;
	}
	return i;
}

/* Median per syscall number over all threads (the normal of a thread that
 * made too few calls itself). */
static uint64_t global_median(const struct fa_model *m, uint32_t nr, uint64_t *count)
{
	uint32_t hist[FA_HIST_BUCKETS];
	struct fa_stat tmp;
	uint32_t i, b;

	memset(hist, 0, sizeof(hist));
	memset(&tmp, 0, sizeof(tmp));
	for (i = 0; i < m->n_stats; i++) {
		if (m->stats[i].nr != nr)
			continue;
		tmp.count += m->stats[i].count;
		for (b = 0; b < FA_HIST_BUCKETS; b++)
			tmp.hist[b] = (uint32_t)FR_MIN((uint64_t)tmp.hist[b] + m->stats[i].hist[b],
						       UINT32_MAX);
	}
	*count = tmp.count;
	return tmp.count ? fa_stat__median(&tmp) : 0;
}

static bool idle_by_nature(const struct fa_model *m, const struct fa_stat *s,
			   const struct fa_sample *smp)
{
	const struct fa_sysnr *n = fa_sysnr();
	unsigned wk = fa_wait_kind(s->nr);
	const struct fr_syscall_desc *d;

	if (s->nr == FA_NR_CLIENT_REQ || s->nr == FA_NR_SERVER_REQ)
		return false;
	if (wk == FR_WAIT_POLL || wk == FR_WAIT_SIGNAL)
		return true;
	if (s->nr == n->accept || s->nr == n->accept4 || s->nr == n->epoll_wait ||
	    s->nr == n->epoll_pwait || s->nr == n->epoll_pwait2 || s->nr == n->pause)
		return true;
	d = fr_syscall(s->nr);
	/* a server waiting for the next request on an accepted connection */
	if (d && (d->cls & FR_SCC_READ) && smp->fd_res < m->n_res &&
	    (m->res[smp->fd_res].flags & FA_RESF_SERVER))
		return true;
	return false;
}

static void find_slow(const struct fa_model *m, const struct fa_find_opts *o,
		      struct fa_incidents *out)
{
	uint32_t i, k;

	for (i = 0; i < m->n_stats; i++) {
		const struct fa_stat *s = &m->stats[i];
		uint64_t typical = 0, gcount = 0;
		const struct fa_sample *best = NULL;
		uint64_t best_excess = 0;
		uint32_t similar = 0;
		struct fa_incident *inc;

		if (!thread_in_focus(m, s->thread, o->focus) || !s->n_top)
			continue;
		if (s->count >= MIN_SAMPLES) {
			typical = fa_stat__median(s);
		} else if (s->nr != FA_NR_CLIENT_REQ && s->nr != FA_NR_SERVER_REQ) {
			typical = global_median(m, s->nr, &gcount);
			if (gcount < MIN_SAMPLES)
				typical = 0;
		}
		for (k = 0; k < s->n_top; k++) {
			const struct fa_sample *smp = &s->top[k];
			uint64_t d = smp->exit_ns - smp->enter_ns, base = typical, excess;

			if (idle_by_nature(m, s, smp) ||
			    !time_in_focus(o->focus, smp->enter_ns, smp->exit_ns))
				continue;
			if (fa_wait_kind(s->nr) == FR_WAIT_SLEEP) {
				/* sleeping is intended: only longer than asked is slow */
				if (smp->fd_res >= m->n_res ||
				    m->res[smp->fd_res].kind != FA_RES_TIMER ||
				    !m->res[smp->fd_res].addr)
					continue;
				base = FR_MAX(base, m->res[smp->fd_res].addr);
			}
			excess = d > base ? d - base : 0;
			if (excess < o->min_slow_ns ||
			    (base && (double)d < o->min_ratio * (double)base))
				continue;
			if (!best) {
				best = smp;
				best_excess = excess;
			} else {
				similar++;
			}
		}
		if (!best)
			continue;
		inc = push(out);
		if (!inc)
			return;
		inc->kind = (s->nr == FA_NR_CLIENT_REQ || s->nr == FA_NR_SERVER_REQ)
				? FA_INC_SLOW_REQUEST
				: FA_INC_SLOW_SYSCALL;
		inc->thread = s->thread;
		inc->start_ns = best->enter_ns;
		inc->end_ns = best->exit_ns;
		inc->nr = s->nr;
		inc->res = best->fd_res;
		inc->ret = best->ret;
		inc->typical_ns = typical;
		inc->count = s->count;
		inc->score = (double)best_excess;
		describe_call(m, s->nr, best->fd_res, inc->what, sizeof(inc->what));
		if (similar)
			snprintf(inc->note, sizeof(inc->note),
				 "%u more slow %s call%s by this thread", similar,
				 inc->kind == FA_INC_SLOW_REQUEST
				     ? "request"
				     : fa_syscall_name(s->nr, (char[32]){0}, 32),
				 similar > 1 ? "s" : "");
	}
}

static void find_errors(const struct fa_model *m, const struct fa_find_opts *o,
			struct fa_incidents *out)
{
	uint32_t i;

	for (i = 0; i < m->n_errors; i++) {
		const struct fa_error *e = &m->errors[i];
		struct fa_incident *inc;
		char call[128];

		if (!thread_in_focus(m, e->thread, o->focus) ||
		    !time_in_focus(o->focus, e->first.enter_ns, e->first.exit_ns))
			continue;
		inc = push(out);
		if (!inc)
			return;
		inc->kind = FA_INC_ERROR;
		inc->index = i;
		inc->thread = e->thread;
		inc->start_ns = e->first.enter_ns;
		inc->end_ns = e->first.exit_ns;
		inc->nr = e->nr;
		inc->res = e->first.fd_res;
		inc->ret = -(int64_t)e->err;
		inc->count = e->count;
		inc->score = (double)(ERROR_SCORE_NS + (e->first.exit_ns - e->first.enter_ns));
		describe_call(m, e->nr, e->first.fd_res, call, sizeof(call));
		snprintf(inc->what, sizeof(inc->what), "%s failed with %s", call,
			 fr_errno_name(e->err) ? fr_errno_name(e->err) : "an error");
	}
}

/* The signal that killed process pid: its sender, when recorded. */
static const struct fa_signal *killing_signal(const struct fa_model *m, uint32_t pid, int sig,
					      uint64_t before)
{
	const struct fa_signal *best = NULL;
	uint32_t i;

	for (i = 0; i < m->n_signals; i++) {
		const struct fa_signal *s = &m->signals[i];

		if (s->ts > before)
			break;
		if (s->sig == sig &&
		    (s->target_pid == pid ||
		     (s->target_tid && fa_model__find_thread(m, s->target_tid, s->ts) != FA_NONE &&
		      m->threads[fa_model__find_thread(m, s->target_tid, s->ts)].pid == pid)))
			best = s;
	}
	return best;
}

static bool oom_victim(const struct fa_model *m, uint32_t pid)
{
	uint32_t i;

	for (i = 0; i < m->n_ooms; i++)
		if (m->ooms[i].victim_pid == pid)
			return true;
	return false;
}

/*
 * The wait that made a process give up: the last blocking call of its
 * exiting thread, when it was a wait for input (poll, select, epoll) that
 * ended with nothing ready, a timeout.  FA_NONE otherwise.  (Only the last
 * 256 intervals are looked at: a program that gives up does so at once.)
 */
static uint32_t timed_out_wait(const struct fa_model *m, uint32_t th, uint64_t exit_ns)
{
	const struct fa_thread *t = &m->threads[th];
	long i = fa_thread__interval_at(t, exit_ns);
	int n;

	for (n = 0; i >= 0 && n < 256; i--, n++) {
		const struct fa_wait *w;

		if (t->iv[i].wait == FA_NONE || t->iv[i].state != FA_ST_BLOCKED)
			continue;
		w = &m->waits[t->iv[i].wait];
		if (w->wait_kind == FR_WAIT_POLL && w->ret == 0 &&
		    !(w->flags & (FA_WAITF_NO_EXIT | FA_WAITF_NO_ENTER)) && w->exit_ns <= exit_ns &&
		    w->exit_ns > w->enter_ns)
			return t->iv[i].wait;
		return FA_NONE;
	}
	return FA_NONE;
}

static void find_exits(const struct fa_model *m, const struct fa_find_opts *o,
		       struct fa_incidents *out)
{
	uint32_t i;

	for (i = 0; i < m->n_procs; i++) {
		const struct fa_process *p = &m->procs[i];
		uint32_t th = p->exit_thread != FA_NONE ? p->exit_thread : p->main;
		int sig = p->exit_status & 0x7f, code = (p->exit_status >> 8) & 0xff;
		struct fa_incident *inc;

		if (!(p->flags & FA_TH_EXITED) || !p->exit_status || th == FA_NONE)
			continue;
		if (!thread_in_focus(m, th, o->focus) ||
		    !time_in_focus(o->focus, p->exit_ns, p->exit_ns))
			continue;
		if (sig && sig != 0x7f && oom_victim(m, p->pid))
			continue; /* the OOM kill is the incident */
		inc = push(out);
		if (!inc)
			return;
		inc->thread = th;
		inc->start_ns = inc->end_ns = p->exit_ns;
		if (sig && sig != 0x7f) {
			const struct fa_signal *s = killing_signal(m, p->pid, sig, p->exit_ns);
			const char *name = fr_signal_name(sig);

			inc->kind = FA_INC_FATAL_SIGNAL;
			inc->sig = sig;
			if (s && s->sender != FA_NONE) {
				inc->culprit = s->sender;
				/* a parent stopping its child is usually intended */
				if (m->threads[s->sender].pid == p->ppid)
					inc->score = (double)ERROR_SCORE_NS;
			}
			if (name)
				snprintf(inc->what, sizeof(inc->what), "killed by %s%s", name,
					 (p->exit_status & 0x80) ? " (core dumped)" : "");
			else
				snprintf(inc->what, sizeof(inc->what), "killed by signal %d%s", sig,
					 (p->exit_status & 0x80) ? " (core dumped)" : "");
		} else {
			uint32_t wi = timed_out_wait(m, th, p->exit_ns);

			inc->kind = FA_INC_EXIT;
			inc->sig = code;
			snprintf(inc->what, sizeof(inc->what), "exited with status %d", code);
			if (wi != FA_NONE) {
				/* it gave up waiting: the wait is what to explain */
				const struct fa_wait *w = &m->waits[wi];
				char call[128], d[32];

				fa_describe_wait(m, wi, call, sizeof(call));
				fr_fmt_duration(d, sizeof(d), w->exit_ns - w->enter_ns);
				inc->kind = FA_INC_TIMEOUT;
				inc->start_ns = w->enter_ns;
				inc->end_ns = w->exit_ns;
				inc->nr = w->nr;
				inc->res = w->res;
				inc->ret = w->ret;
				snprintf(inc->what, sizeof(inc->what),
					 "%s timed out after %s, then exited with status %d", call,
					 d, code);
			}
		}
	}
}

static void find_ooms(const struct fa_model *m, const struct fa_find_opts *o,
		      struct fa_incidents *out)
{
	uint32_t i;

	for (i = 0; i < m->n_ooms; i++) {
		const struct fa_oom *k = &m->ooms[i];
		const struct fa_process *p = fa_model__find_process(m, k->victim_pid);
		uint32_t th = p && p->main != FA_NONE ? p->main : k->trigger;
		struct fa_incident *inc;

		if (th == FA_NONE || !thread_in_focus(m, th, o->focus) ||
		    !time_in_focus(o->focus, k->ts, k->ts))
			continue;
		inc = push(out);
		if (!inc)
			return;
		inc->kind = FA_INC_OOM_KILL;
		inc->index = i;
		inc->thread = th;
		inc->start_ns = inc->end_ns = k->ts;
		inc->culprit = k->trigger;
		inc->sig = 9;
		snprintf(inc->what, sizeof(inc->what), "PID %u (%s) killed by the OOM killer",
			 k->victim_pid, k->victim_comm[0] ? k->victim_comm : "?");
	}
}

static void find_stalls(const struct fa_model *m, const struct fa_find_opts *o,
			struct fa_incidents *out)
{
	uint32_t i;

	for (i = 0; i < m->n_threads; i++) {
		const struct fa_thread *t = &m->threads[i];
		uint64_t run = t->ns_by_state[FA_ST_RUNNING], wait = t->ns_by_state[FA_ST_RUNNABLE];
		uint64_t mem = t->ns_reclaim, life, s;
		uint32_t k;
		struct fa_incident *inc;

		/* a task seen only when it met recorded ones has holes in its
		 * timeline (it looks runnable while it ran unseen) */
		if (!t->n_iv || (t->flags & FA_TH_KERNEL) || !(t->flags & FA_TH_RECORDED) ||
		    !thread_in_focus(m, i, o->focus))
			continue;
		s = life_start(t);
		life = t->end_ns > s ? t->end_ns - s : 0;
		if (!time_in_focus(o->focus, s, t->end_ns))
			continue;
		for (k = 0; k < m->n_faults; k++) /* major faults only: minor ones are CPU work */
			if (m->faults[k].thread == i && (m->faults[k].kind & FR_PF_MAJOR))
				mem += m->faults[k].end_ns - m->faults[k].start_ns;
		if (wait >= FR_MAX(STALL_MIN_NS, o->min_slow_ns) && wait * 10 >= (wait + run) * 3) {
			inc = push(out);
			if (!inc)
				return;
			inc->kind = FA_INC_CPU_WAIT;
			inc->thread = i;
			inc->start_ns = s;
			inc->end_ns = t->end_ns;
			inc->score = (double)wait;
			snprintf(inc->what, sizeof(inc->what), "waited for a CPU");
		}
		if (mem >= FR_MAX(STALL_MIN_NS, o->min_slow_ns) && mem * 10 >= life) {
			inc = push(out);
			if (!inc)
				return;
			inc->kind = FA_INC_MEMORY_STALL;
			inc->thread = i;
			inc->start_ns = s;
			inc->end_ns = t->end_ns;
			inc->score = (double)mem;
			snprintf(inc->what, sizeof(inc->what),
				 "stalled on memory (reclaim, major faults)");
		}
	}
}

static void add_focus(const struct fa_model *m, const struct fa_find_opts *o,
		      struct fa_incidents *out)
{
	const struct fa_focus *f = o->focus;
	uint32_t i, added = 0;

	if (!f || (!f->pid && !f->tid && !f->comm[0]))
		return;
	for (i = 0; i < m->n_threads && added < 16; i++) {
		const struct fa_thread *t = &m->threads[i];
		struct fa_incident *inc;
		uint64_t s, e;

		if (!t->n_iv || !(t->flags & FA_TH_RECORDED) || !thread_in_focus(m, i, f))
			continue;
		/* a process is represented by its main thread, unless a tid is chosen */
		if (!f->tid && t->tid != t->pid)
			continue;
		s = life_start(t);
		e = t->end_ns;
		if (f->window) {
			s = FR_MAX(s, f->since_ns);
			e = FR_MIN(e, f->until_ns);
		}
		if (e <= s)
			continue;
		inc = push(out);
		if (!inc)
			return;
		inc->kind = FA_INC_FOCUS;
		inc->thread = i;
		inc->start_ns = s;
		inc->end_ns = e;
		inc->score = 1e30;
		snprintf(inc->what, sizeof(inc->what), "ran");
		added++;
	}
}

static int rank(const struct fa_incident *i)
{
	switch (i->kind) {
	case FA_INC_FOCUS:
		return 0;
	case FA_INC_OOM_KILL:
		return 1;
	case FA_INC_FATAL_SIGNAL:
		return i->score > 0 ? 4 : 2; /* killed by its parent: ranked by score */
	case FA_INC_EXIT:
	case FA_INC_TIMEOUT:
		return 3;
	default:
		return 4;
	}
}

static int cmp_incident(const void *a, const void *b)
{
	const struct fa_incident *x = a, *y = b;

	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	if (rank(x) < 4 && x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->thread < y->thread ? -1 : x->thread > y->thread;
}

/* A slow request mostly made of one slow call of the same thread says the
 * same thing twice: keep the call. */
static void dedupe(struct fa_incidents *v)
{
	uint32_t i, j, k = 0;

	for (i = 0; i < v->n; i++) {
		struct fa_incident *r = &v->v[i];
		bool dup = false;

		if (r->kind == FA_INC_SLOW_REQUEST) {
			for (j = 0; j < v->n && !dup; j++) {
				const struct fa_incident *c = &v->v[j];
				uint64_t lo, hi;

				if (c->kind != FA_INC_SLOW_SYSCALL || c->thread != r->thread)
					continue;
				lo = FR_MAX(c->start_ns, r->start_ns);
				hi = FR_MIN(c->end_ns, r->end_ns);
				if (hi > lo && (hi - lo) * 10 >= (r->end_ns - r->start_ns) * 8)
					dup = true;
			}
		}
		if (!dup)
			v->v[k++] = *r;
	}
	v->n = k;
}

int fa_incidents__find(const struct fa_model *m, const struct fa_find_opts *opts,
		       struct fa_incidents *out)
{
	struct fa_find_opts o = {0};

	memset(out, 0, sizeof(*out));
	if (opts)
		o = *opts;
	if (!o.top)
		o.top = 5;
	if (!o.min_slow_ns)
		o.min_slow_ns = 10000000;
	if (o.min_ratio <= 0)
		o.min_ratio = 4;
	add_focus(m, &o, out);
	find_ooms(m, &o, out);
	find_exits(m, &o, out);
	find_errors(m, &o, out);
	find_slow(m, &o, out);
	find_stalls(m, &o, out);
	dedupe(out);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_incident);
	if (out->n > o.top)
		out->n = o.top;
	return 0;
}

void fa_incident__clear(struct fa_incident *inc)
{
	free(inc->path);
	free(inc->causes);
	inc->path = NULL;
	inc->causes = NULL;
	inc->n_path = inc->n_causes = 0;
}

void fa_incidents__free(struct fa_incidents *v)
{
	uint32_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++)
		fa_incident__clear(&v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* ---- explaining -------------------------------------------------------------------- */

static void breakdown(const struct fa_model *m, struct fa_incident *inc)
{
	const struct fa_thread *t = &m->threads[inc->thread];
	long i = inc->end_ns > inc->start_ns ? fa_thread__interval_at(t, inc->end_ns - 1) : -1;
	uint64_t cur = inc->end_ns;

	memset(inc->breakdown, 0, sizeof(inc->breakdown));
	for (; i >= 0 && cur > inc->start_ns; i--) {
		uint64_t s = FR_MAX(t->iv[i].start, inc->start_ns);

		inc->breakdown[fa_interval_category(m, inc->thread, (uint32_t)i)] += cur - s;
		cur = s;
	}
	if (cur > inc->start_ns)
		inc->breakdown[FA_CAT_UNKNOWN] += cur - inc->start_ns;
}

static void fmt_dur(char *buf, size_t len, uint64_t ns)
{
	fr_fmt_duration(buf, len, ns);
}

static void lower_first(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
	if (dst[0] >= 'A' && dst[0] <= 'Z' && !(dst[1] >= 'A' && dst[1] <= 'Z'))
		dst[0] = (char)(dst[0] - 'A' + 'a');
}

/*
 * The process holding the most memory at `ts` among those the recording
 * places in memory cgroup `memcg` (by their reclaim events): its main
 * thread, or FA_NONE.  An OOM kill in a memory cgroup names its cgroup; a
 * process of another one, or of none known, did not fill it.
 */
static uint32_t memcg_largest(const struct fa_model *m, uint64_t memcg, uint64_t ts)
{
	const struct fa_process *best = NULL;
	uint64_t best_mem = 0;
	uint32_t i;

	for (i = 0; i < m->n_procs; i++) {
		const struct fa_process *p = &m->procs[i];
		uint64_t mem;

		if (p->memcg != memcg || p->main == FA_NONE)
			continue;
		mem = fa_process__mem_at(p, ts);
		if (mem > best_mem) {
			best = p;
			best_mem = mem;
		}
	}
	return best ? best->main : FA_NONE;
}

/* The explanation of failure incidents (no duration to walk). */
static int explain_failure(const struct fa_model *m, struct fa_incident *inc)
{
	struct fa_cause *c = calloc(1, sizeof(*c));
	char who[64], cul[64];

	if (!c)
		return -ENOMEM;
	c->wait = FA_NONE;
	c->res = FA_NONE;
	c->on_thread = inc->thread;
	c->share = 1.0;
	fa_model__thread_name(m, inc->thread, who, sizeof(who));
	fa_model__thread_name(m, inc->culprit, cul, sizeof(cul));
	switch (inc->kind) {
	case FA_INC_OOM_KILL: {
		const struct fa_oom *k = inc->index < m->n_ooms ? &m->ooms[inc->index] : NULL;
		uint32_t big = k && k->memcg ? memcg_largest(m, k->memcg, inc->start_ns)
			       : inc->culprit != FA_NONE
				   ? fa_memcg_culprit(m, inc->culprit, inc->start_ns)
				   : FA_NONE;
		char bigname[64], victim[96], rss[32] = "";

		c->category = FA_CAT_RECLAIM;
		if (inc->culprit != FA_NONE)
			c->culprits[c->n_culprits++].thread = inc->culprit;
		if (big != FA_NONE && big != inc->culprit)
			c->culprits[c->n_culprits++].thread = big;
		fa_model__thread_name(m, big, bigname, sizeof(bigname));
		if (k) {
			fr_fmt_size(rss, sizeof(rss), k->anon_rss_kb * 1024);
			snprintf(victim, sizeof(victim), "PID %u (%s, %s of anonymous memory)",
				 k->victim_pid, k->victim_comm[0] ? k->victim_comm : "?", rss);
		} else {
			snprintf(victim, sizeof(victim), "%s", who);
		}
		snprintf(c->explanation, sizeof(c->explanation),
			 "%s was killed by the OOM killer when %s needed memory and none could be "
			 "reclaimed%s%s.",
			 victim, inc->culprit != FA_NONE ? cul : "an allocation",
			 big != FA_NONE && big != inc->culprit
			     ? "; the largest allocator in that memory "
			       "cgroup was "
			     : "",
			 big != FA_NONE && big != inc->culprit ? bigname : "");
		break;
	}
	case FA_INC_FATAL_SIGNAL: {
		const char *sn = fr_signal_name(inc->sig);
		char sname[32];

		if (sn)
			snprintf(sname, sizeof(sname), "%s", sn);
		else
			snprintf(sname, sizeof(sname), "signal %d", inc->sig);
		if (inc->culprit != FA_NONE &&
		    m->threads[inc->culprit].pid != m->threads[inc->thread].pid) {
			c->category = FA_CAT_IPC;
			c->culprits[c->n_culprits++].thread = inc->culprit;
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s was killed by %s sent by %s.", who, sname, cul);
		} else {
			c->category = FA_CAT_RUNNING;
			c->culprits[c->n_culprits++].thread = inc->thread;
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s died of %s raised by its own execution (%s).", who, sname,
				 inc->sig == 11 || inc->sig == 7 ? "an invalid memory access"
				 : inc->sig == 6 ? "abort(), e.g. a failed assertion"
				 : inc->sig == 8 ? "an arithmetic fault"
						 : "no sender was recorded");
		}
		break;
	}
	default: { /* FA_INC_EXIT: the last failed call of the process before it */
		const struct fa_error *last = NULL;
		uint32_t i;

		for (i = 0; i < m->n_errors; i++) {
			const struct fa_error *e = &m->errors[i];

			if (m->threads[e->thread].pid == m->threads[inc->thread].pid &&
			    e->first.exit_ns <= inc->end_ns &&
			    (!last || e->first.exit_ns > last->first.exit_ns))
				last = e;
		}
		c->culprits[c->n_culprits++].thread = inc->thread;
		if (last) {
			char call[128], t[32];

			describe_call(m, last->nr, last->first.fd_res, call, sizeof(call));
			c->res = last->first.fd_res;
			c->category = c->res < m->n_res && (m->res[c->res].kind == FA_RES_TCP ||
							    m->res[c->res].kind == FA_RES_UDP ||
							    m->res[c->res].kind == FA_RES_SOCKET)
					  ? FA_CAT_NETWORK
				      : c->res < m->n_res && m->res[c->res].kind == FA_RES_FILE
					  ? FA_CAT_DISK
					  : FA_CAT_UNKNOWN;
			fmt_dur(t, sizeof(t), inc->end_ns - last->first.exit_ns);
			snprintf(c->explanation, sizeof(c->explanation),
				 "%s exited with status %d %s after %s failed with %s.", who,
				 inc->sig, t, call,
				 fr_errno_name(last->err) ? fr_errno_name(last->err) : "an error");
		} else {
			c->category = FA_CAT_UNKNOWN;
			snprintf(
			    c->explanation, sizeof(c->explanation),
			    "%s exited with status %d; no failed system call was recorded before "
			    "it: the program decided to.",
			    who, inc->sig);
		}
		break;
	}
	}
	inc->causes = c;
	inc->n_causes = 1;
	snprintf(inc->summary, sizeof(inc->summary), "%s", c->explanation);
	return 0;
}

/* Who is to blame for an error return, when the error names another party. */
static void error_culprit(const struct fa_model *m, struct fa_incident *inc, char *buf, size_t len)
{
	int err = (int)-inc->ret;
	const struct fa_resource *r = inc->res < m->n_res ? &m->res[inc->res] : NULL;
	uint32_t peer = FA_NONE;
	char name[64];

	buf[0] = 0;
	if (!r)
		return;
	if (err == EPIPE && r->wr_stream != FA_NONE)
		peer = m->streams[r->wr_stream].last_reader;
	else if ((err == ECONNRESET || err == EPIPE) && r->kind == FA_RES_TCP) {
		/* the other end of the connection: who wrote what we read */
		if (r->rd_stream != FA_NONE)
			peer = m->streams[r->rd_stream].last_writer;
	}
	if (peer != FA_NONE && peer != inc->thread) {
		const struct fa_process *p = fa_model__find_process(m, m->threads[peer].pid);

		inc->culprit = peer;
		fa_model__thread_name(m, peer, name, sizeof(name));
		snprintf(buf, len, " The other end belonged to %s%s.", name,
			 p && (p->flags & FA_TH_EXITED) && p->exit_ns <= inc->end_ns
			     ? ", which had exited"
			     : ", which closed it");
	} else if (err == ECONNREFUSED) {
		snprintf(buf, len, " Nothing was listening at %s.",
			 r->name ? r->name : "the address");
	} else if (err == ETIMEDOUT && r->kind == FA_RES_TCP) {
		uint32_t n = fa_tcp_retransmits(m, inc->res, inc->start_ns, inc->end_ns);

		if (n)
			snprintf(buf, len, " %u TCP retransmissions went unanswered.", n);
	}
}

int fa_incident__explain(const struct fa_model *m, struct fa_incident *inc,
			 const struct fa_walk_opts *o)
{
	char who[64], d[32], typ[32], tmp[1024];
	int err;
	uint32_t i;

	fa_incident__clear(inc);
	if (inc->thread >= m->n_threads)
		return -EINVAL;
	breakdown(m, inc);
	if (inc->kind == FA_INC_OOM_KILL || inc->kind == FA_INC_FATAL_SIGNAL ||
	    inc->kind == FA_INC_EXIT)
		return explain_failure(m, inc);
	err = fa_critpath__walk(m, inc->thread, inc->start_ns, inc->end_ns, o, &inc->path,
				&inc->n_path, &inc->path_truncated);
	if (err)
		return err;
	err = fa_causes__compute(m, inc, inc->path, inc->n_path, &inc->causes, &inc->n_causes);
	if (err)
		return err;

	fa_model__thread_name(m, inc->thread, who, sizeof(who));
	fmt_dur(d, sizeof(d), inc->end_ns - inc->start_ns);
	typ[0] = 0;
	if (inc->typical_ns &&
	    (inc->kind == FA_INC_SLOW_SYSCALL || inc->kind == FA_INC_SLOW_REQUEST)) {
		char t[32];

		fmt_dur(t, sizeof(t), inc->typical_ns);
		snprintf(typ, sizeof(typ), " (normally %s)", t);
	}
	switch (inc->kind) {
	case FA_INC_SLOW_SYSCALL:
	case FA_INC_SLOW_REQUEST:
		snprintf(inc->summary, sizeof(inc->summary), "The %s by %s took %s%s", inc->what,
			 who, d, typ);
		break;
	case FA_INC_ERROR:
		snprintf(inc->summary, sizeof(inc->summary),
			 "The %s in %s (%" PRIu64 " time%s); the call took %s", inc->what, who,
			 inc->count, inc->count == 1 ? "" : "s", d);
		break;
	case FA_INC_CPU_WAIT:
		snprintf(
		    inc->summary, sizeof(inc->summary), "%s waited %s for a CPU during its %s", who,
		    (fmt_dur(typ, sizeof(typ), m->threads[inc->thread].ns_by_state[FA_ST_RUNNABLE]),
		     typ),
		    d);
		break;
	case FA_INC_MEMORY_STALL:
		snprintf(inc->summary, sizeof(inc->summary), "%s stalled on memory during its %s",
			 who, d);
		break;
	case FA_INC_TIMEOUT: {
		char call[128];

		describe_call(m, inc->nr, inc->res, call, sizeof(call));
		snprintf(inc->summary, sizeof(inc->summary),
			 "%s gave up: its %s timed out after %s and it exited with status %d", who,
			 call, d, inc->sig);
		break;
	}
	default:
		snprintf(inc->summary, sizeof(inc->summary), "%s ran for %s", who, d);
		break;
	}
	for (i = 0; i < inc->n_causes && i < 3; i++) {
		const struct fa_cause *c = &inc->causes[i];
		size_t l = strlen(inc->summary);

		if (i > 0 && c->share < 0.1)
			break;
		lower_first(tmp, sizeof(tmp), c->brief);
		snprintf(inc->summary + l, sizeof(inc->summary) - l, "%s%s",
			 i == 0 ? " because " : "; ", tmp);
		l = strlen(inc->summary);
		if (l && inc->summary[l - 1] == '.')
			inc->summary[l - 1] = 0;
	}
	{
		size_t l = strlen(inc->summary);

		snprintf(inc->summary + l, sizeof(inc->summary) - l, ".");
	}
	if (inc->kind == FA_INC_ERROR) {
		size_t l = strlen(inc->summary);

		error_culprit(m, inc, tmp, sizeof(tmp));
		snprintf(inc->summary + l, sizeof(inc->summary) - l, "%s", tmp);
	}
	/* losses inside the incident make it approximate: say so */
	for (i = 0; i < m->n_losses; i++)
		if (m->losses[i].ts >= inc->start_ns && m->losses[i].ts <= inc->end_ns &&
		    (m->losses[i].cause == FR_LOSS_RING_FULL ||
		     m->losses[i].cause == FR_LOSS_EVICTED)) {
			size_t l = strlen(inc->note);

			snprintf(inc->note + l, sizeof(inc->note) - l,
				 "%sevents were lost during this "
				 "incident: the path may be incomplete",
				 l ? "; " : "");
			break;
		}
	if (inc->path_truncated) {
		size_t l = strlen(inc->note);

		snprintf(inc->note + l, sizeof(inc->note) - l,
			 "%sthe critical path was cut short by "
			 "the analysis budget",
			 l ? "; " : "");
	}
	return 0;
}
