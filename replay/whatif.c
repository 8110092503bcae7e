// SPDX-License-Identifier: MIT
/*
 * whatif.c: what-if replay (see whatif.h): the changes asked for, the
 * switch from strict replay at the first divergence, the state the model
 * starts from, and the loop that runs the program on the virtual clock.
 *
 * The state at the switch.  Strict replay has served the program, call by
 * call, what the recording holds; the model must now know what the
 * program has: which descriptors it holds and what each stands for, how
 * far it has read each stream, what it has sent and when.  The calls
 * strict replay took (the recorded prefix of every thread) are walked in
 * recorded order and applied to the runtime state, with the recorded
 * results (or the injected ones), at the virtual times they happened
 * (their recorded times plus the injected delays then).
 *
 * The loop.  Threads run one at a time, as in strict replay: the one let
 * go runs until its next call, which the model answers at once (it goes
 * on), lets run in the kernel, or holds (a read with no data yet, a poll
 * before its timeout, a sleep).  When no thread can go on, the virtual
 * clock jumps to the earliest time one of the held calls can be answered
 * (data arrives, a timeout expires, an alarm rings).  Time also passes for
 * computation: the CPU time a thread used between two calls when that is
 * more than the noise of a ptrace stop (WI_COMPUTE_MIN_NS; the kernel's
 * per-thread schedstat, so waiting for a CPU on a loaded machine does not
 * count), and 1 us per call.  When every thread waits for something that will never come, the
 * replay ends and says so.
 */
#include "replay/whatif_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

/* Virtual cost of a call, and the least computation counted (less is the
 * noise of the ptrace stops themselves). */
#define WI_CALL_NS 1000
#define WI_COMPUTE_MIN_NS 50000
/* Nothing stops for this long while one thread runs: it spins. */
#define WI_SPIN_MS 3000

/* CPU time the thread has used (ns; the first field of its schedstat), 0
 * when unknown.  The file stays open: this runs at every call. */
static uint64_t cpu_ns(struct wi_thread *wt)
{
	char buf[128];
	ssize_t n;

	if (wt->stat_fd < 0) {
		snprintf(buf, sizeof(buf), "/proc/%d/schedstat", (int)wt->th->t->tid);
		wt->stat_fd = open(buf, O_RDONLY | O_CLOEXEC);
		if (wt->stat_fd < 0)
			return 0;
	}
	n = pread(wt->stat_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strtoull(buf, NULL, 10);
}

static void thread_done(struct wi_thread *wt)
{
	if (wt && wt->stat_fd >= 0) {
		close(wt->stat_fd);
		wt->stat_fd = -1;
	}
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double wi_ms(const struct wi_state *W, uint64_t vt)
{
	return (double)(int64_t)(vt - W->m->start_ns) / 1e6;
}

void wi_note(struct fr_replay *R, const char *fmt, ...)
{
	struct fr_whatif_report *rep = &R->wi->rep;
	char buf[1024], **n;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < rep->n_notes; i++)
		if (!strcmp(rep->notes[i], buf))
			return;
	if (rep->n_notes >= 200)
		return;
	n = realloc(rep->notes, (rep->n_notes + 1) * sizeof(*n));
	if (!n)
		return;
	rep->notes = n;
	if ((n[rep->n_notes] = strdup(buf)))
		rep->n_notes++;
	st_vlog(R, "what-if: %s", buf);
}

struct wi_blk {
	struct wi_blk *next;
	uint8_t data[];
};

uint8_t *wi_buf(struct fr_replay *R, size_t len)
{
	struct wi_blk *b = malloc(sizeof(*b) + (len ? len : 1));

	if (!b)
		return NULL;
	b->next = R->wi->bufs;
	R->wi->bufs = b;
	return b->data;
}

void wi_buf_reset(struct fr_replay *R)
{
	struct wi_blk *b = R->wi->bufs, *n;

	for (; b; b = n) {
		n = b->next;
		free(b);
	}
	R->wi->bufs = NULL;
}

/* ---- the changes ------------------------------------------------------------------- */

static int add_change(struct fr_whatif_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int add_change(struct fr_whatif_report *rep, const char *fmt, ...)
{
	char buf[1024], **n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = realloc(rep->changes, (rep->n_changes + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	rep->changes = n;
	if (!(n[rep->n_changes] = strdup(buf)))
		return -ENOMEM;
	rep->n_changes++;
	return 0;
}

static size_t strv_len(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static int set_arg(struct fr_replay *R, const struct fr_replay_set_arg *sa, char *err,
		   size_t errlen)
{
	struct rp_start *s = &R->rec->start;
	size_t n = strv_len(s->argv);
	char *v, **nv;

	if (sa->index > n) {
		snprintf(err, errlen,
			 "--set-arg %u: the recorded program has %zu argument%s (argv[0] to "
			 "argv[%zu]): give one of those, or %zu to add one",
			 sa->index, n, n == 1 ? "" : "s", n ? n - 1 : 0, n);
		return -EINVAL;
	}
	if (!(v = strdup(sa->value)))
		return -ENOMEM;
	if (sa->index == n) {
		nv = realloc(s->argv, (n + 2) * sizeof(*nv));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		s->argv = nv;
		nv[n] = v;
		nv[n + 1] = NULL;
		return add_change(&R->wi->rep, "argv[%u] \"%s\" (added)", sa->index, v);
	}
	if (add_change(&R->wi->rep, "argv[%u] \"%s\" (recorded \"%s\")", sa->index, v,
		       s->argv[sa->index])) {
		free(v);
		return -ENOMEM;
	}
	free(s->argv[sa->index]);
	s->argv[sa->index] = v;
	return 0;
}

static int set_env(struct fr_replay *R, const char *kv, char *err, size_t errlen)
{
	struct rp_start *s = &R->rec->start;
	const char *eq = strchr(kv, '=');
	size_t n = strv_len(s->env), i, nl;
	char *v, **nv;

	if (!eq || eq == kv) {
		snprintf(err, errlen, "--set-env '%s': expected NAME=VALUE", kv);
		return -EINVAL;
	}
	nl = (size_t)(eq - kv) + 1;
	if (!(v = strdup(kv)))
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!strncmp(s->env[i], kv, nl)) {
			if (add_change(&R->wi->rep, "%s (recorded %s)", kv, s->env[i])) {
				free(v);
				return -ENOMEM;
			}
			free(s->env[i]);
			s->env[i] = v;
			return 0;
		}
	nv = realloc(s->env, (n + 2) * sizeof(*nv));
	if (!nv) {
		free(v);
		return -ENOMEM;
	}
	s->env = nv;
	nv[n] = v;
	nv[n + 1] = NULL;
	return add_change(&R->wi->rep, "%s (not set in the recording)", kv);
}

static void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns % 1000000 == 0)
		snprintf(buf, len, "%" PRIu64 " ms", ns / 1000000);
	else
		snprintf(buf, len, "%.3f ms", (double)ns / 1e6);
}

/* "read delayed by 500 ms at entry (--inject=read:delay_enter=500ms)" */
static int describe_injection(struct fr_replay *R, const struct rp_inject *in)
{
	const char *colon = strchr(in->spec, ':');
	char d[32];
	const char *sep = "";
	struct fr_sb sb;
	int rc;

	fr_sb_init(&sb);
	fr_sb_putn(&sb, in->spec, colon ? (size_t)(colon - in->spec) : strlen(in->spec));
	if (in->has_error) {
		fr_sb_printf(&sb, " failing with %s",
			     fr_errno_name(in->error) ? fr_errno_name(in->error) : "an error");
		sep = ",";
	} else if (in->has_retval) {
		fr_sb_printf(&sb, " returning %" PRId64, in->retval);
		sep = ",";
	}
	if (in->delay_enter_ns) {
		fmt_ns(d, sizeof(d), in->delay_enter_ns);
		fr_sb_printf(&sb, "%s delayed by %s at entry", sep, d);
		sep = ",";
	}
	if (in->delay_exit_ns) {
		fmt_ns(d, sizeof(d), in->delay_exit_ns);
		fr_sb_printf(&sb, "%s delayed by %s at exit", sep, d);
	}
	if (in->signal)
		fr_sb_printf(&sb, ", then signal %s",
			     fr_signal_name(in->signal) ? fr_signal_name(in->signal) : "?");
	rc = add_change(&R->wi->rep, "%s (--inject=%s)", fr_sb_str(&sb), in->spec);
	fr_sb_free(&sb);
	return rc;
}

int wi_open(struct fr_replay *R, char *err, size_t errlen)
{
	struct wi_state *W = calloc(1, sizeof(*W));
	size_t i;
	int rc = 0;

	if (!W) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	R->wi = W;
	R->res.whatif = &W->rep;
	for (i = 0; !rc && i < R->o.n_set_args; i++)
		rc = set_arg(R, &R->o.set_args[i], err, errlen);
	for (i = 0; !rc && i < R->o.n_set_env; i++)
		rc = set_env(R, R->o.set_env[i], err, errlen);
	for (i = 0; !rc && i < R->o.n_injects; i++)
		rc = describe_injection(R, &R->o.injects[i]);
	if (!rc)
		rc = wm__build(R->reader, R->rec, &W->m, err, errlen);
	else if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return rc;
}

static void robj_free(struct wi_robj *o)
{
	uint32_t i;

	for (i = 0; i < o->n_live; i++)
		free(o->live[i].data);
	free(o->live);
	free(o->sent);
	free(o->ep);
	free(o->vdata);
	free(o->name);
}

static void fdt_put(struct fr_replay *R, struct wi_fdt *t);

void wi_free(struct fr_replay *R)
{
	struct wi_state *W = R ? R->wi : NULL;
	struct st_thread *th;
	struct st_proc *p;
	uint32_t i;

	if (!W)
		return;
	for (th = R->threads; th; th = th->next) {
		thread_done(th->wi);
		free(th->wi);
		th->wi = NULL;
	}
	for (p = R->procs; p; p = p->next) {
		struct wi_proc *wp = p->wi;

		if (wp) {
			fdt_put(R, wp->fdt);
			free(wp);
			p->wi = NULL;
		}
	}
	for (i = 0; i < W->n_objs; i++)
		robj_free(&W->objs[i]);
	free(W->objs);
	free(W->of_mobj);
	free(W->connect_used);
	free(W->shifts);
	free(W->injected);
	wi_buf_reset(R);
	wm__free(W->m);
	if (R->res.whatif == &W->rep)
		R->res.whatif = NULL;
	wi_report_free(&W->rep);
	free(W);
	R->wi = NULL;
}

bool wi_active(const struct fr_replay *R)
{
	return R->wi && R->wi->active;
}

/* ---- hooks in strict replay ---------------------------------------------------------- */

void wi_note_shift(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	int64_t old = W->n_shifts ? W->shifts[W->n_shifts - 1].shift : 0;
	__typeof__(W->shifts) n;

	if (W->active && R->shift_ns > old)
		W->vnow += (uint64_t)(R->shift_ns - old); /* the delay passes now */
	n = realloc(W->shifts, (W->n_shifts + 1) * sizeof(*W->shifts));
	if (!n)
		return;
	W->shifts = n;
	n[W->n_shifts].rec_ns = R->now_rec_ns;
	n[W->n_shifts].shift = R->shift_ns;
	W->n_shifts++;
}

/* The injected delays in effect at recorded time t. */
static int64_t shift_at(const struct wi_state *W, uint64_t t)
{
	int64_t s = 0;
	uint32_t i;

	for (i = 0; i < W->n_shifts && W->shifts[i].rec_ns <= t; i++)
		s = W->shifts[i].shift;
	return s;
}

void wi_note_injected(struct fr_replay *R, const struct rp_call *c, int64_t ret)
{
	struct wi_state *W = R->wi;
	__typeof__(W->injected) n = realloc(W->injected, (W->n_injected + 1) * sizeof(*n));

	if (!n)
		return;
	W->injected = n;
	n[W->n_injected].seq = c->seq;
	n[W->n_injected].ret = ret;
	W->n_injected++;
}

/* Which argument of call nr is a time limit, and how it is passed. */
enum { TA_NONE = 0, TA_MS, TA_SEC, TA_TS, TA_TV, TA_ITV, TA_ITS };

static int time_arg(unsigned nr, unsigned *arg)
{
	switch (nr) {
	case 7: /* poll */
		*arg = 2;
		return TA_MS;
	case 232: /* epoll_wait */
	case 281: /* epoll_pwait */
		*arg = 3;
		return TA_MS;
	case 271: /* ppoll */
	case 128: /* rt_sigtimedwait */
	case 230: /* clock_nanosleep */
		*arg = 2;
		return TA_TS;
	case 441: /* epoll_pwait2 */
	case 270: /* pselect6 */
		*arg = 4;
		return TA_TS;
	case 23: /* select */
		*arg = 4;
		return TA_TV;
	case 35: /* nanosleep */
		*arg = 0;
		return TA_TS;
	case 37: /* alarm */
		*arg = 0;
		return TA_SEC;
	case 38: /* setitimer */
		*arg = 1;
		return TA_ITV;
	case 286: /* timerfd_settime */
		*arg = 2;
		return TA_ITS;
	default:
		return TA_NONE;
	}
}

/* The time limit of a call in ns (-1: none, wait for ever); false when it
 * cannot be told (an unreadable argument). */
static bool time_limit(unsigned nr, const uint64_t *args, const struct fr_payload *in, int64_t *ns)
{
	unsigned a;
	int64_t v[4];

	switch (time_arg(nr, &a)) {
	case TA_MS:
		*ns = (int32_t)args[a] < 0 ? -1 : (int64_t)(int32_t)args[a] * 1000000;
		return true;
	case TA_SEC:
		*ns = (int64_t)(uint32_t)args[a] * 1000000000;
		return true;
	case TA_TS:
	case TA_TV:
		if (!args[a]) {
			*ns = -1;
			return true;
		}
		if (!in || in->len < 16)
			return false;
		memcpy(v, in->data, 16);
		*ns = v[0] * 1000000000 + (time_arg(nr, &a) == TA_TV ? v[1] * 1000 : v[1]);
		return true;
	case TA_ITV:
	case TA_ITS:
		if (!in || in->len < 32)
			return false;
		memcpy(v, in->data, 32);
		*ns = v[2] * 1000000000 + (time_arg(nr, &a) == TA_ITV ? v[3] * 1000 : v[3]);
		return true;
	default:
		return false;
	}
}

static void fmt_limit(char *buf, size_t len, int64_t ns)
{
	if (ns < 0)
		snprintf(buf, len, "none");
	else if (ns % 1000000 == 0)
		snprintf(buf, len, "%" PRId64 " ms", ns / 1000000);
	else
		snprintf(buf, len, "%.3f ms", (double)ns / 1e6);
}

/* The live and recorded time limits of the same call, when both known. */
static bool limits(struct fr_replay *R, const struct rp_call *c, int64_t *live, int64_t *rec)
{
	unsigned a;

	if (time_arg(c->sc.nr, &a) == TA_NONE || R->live.sc.nr != c->sc.nr)
		return false;
	return time_limit(c->sc.nr, R->live.sc.args, rp_live_payload(&R->live, (int)a, 0), live) &&
	       time_limit(c->sc.nr, c->sc.args, rp_call_payload(c, FR_PL_IN, (int)a, -1), rec);
}

bool wi_check_call(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	int64_t live, rec;
	char a[32], b[32];
	const char *name = fr_syscall_name(c->sc.nr);

	if (!limits(R, c, &live, &rec) || live == rec)
		return false;
	fmt_limit(a, sizeof(a), live);
	fmt_limit(b, sizeof(b), rec);
	st_diverge(R, th, "arguments", c, true, "the time limit of %s differs: %s, recorded %s",
		   name ? name : "the call", a, b);
	return true;
}

bool wi_diverged(struct fr_replay *R, struct st_thread *th, const char *kind)
{
	struct wi_state *W = R->wi;
	const struct fr_replay_divergence *d = R->res.first;

	if (W->active || W->pending)
		return true;
	if (!strcmp(kind, "stuck") || !strcmp(kind, "unsupported"))
		return false;
	W->pending = true;
	/* A changed time limit is worth saying in the summary. */
	if (d && d->global_call && d->global_call <= R->rec->n_calls && th && th->t &&
	    th->t->state == RP_TS_ENTER && rp_live_read(th->t, &R->live) == 0) {
		const struct rp_call *c = &R->rec->calls[d->global_call - 1];
		int64_t live, rec;
		char a[32], b[32];

		if (limits(R, c, &live, &rec) && live != rec) {
			fmt_limit(a, sizeof(a), live);
			fmt_limit(b, sizeof(b), rec);
			W->timeout_arg = true;
			snprintf(W->timeout_text, sizeof(W->timeout_text),
				 "the %s time limit is %s (recorded %s)",
				 fr_syscall_name(c->sc.nr) ? fr_syscall_name(c->sc.nr) : "call", a,
				 b);
		}
	}
	return true;
}

bool wi_note_divergence(struct fr_replay *R, struct st_thread *th, const char *kind,
			const char *reason)
{
	(void)th;
	wi_note(R, "%s: %s", kind, reason);
	return true;
}

/* ---- runtime objects ------------------------------------------------------------------- */

uint32_t wi_robj_new(struct fr_replay *R, uint8_t kind, const char *name)
{
	struct wi_state *W = R->wi;
	struct wi_robj *o;

	if (W->n_objs == W->cap_objs) {
		uint32_t cap = W->cap_objs ? W->cap_objs * 2 : 64;
		struct wi_robj *n = realloc(W->objs, cap * sizeof(*n));

		if (!n)
			return WI_NONE;
		W->objs = n;
		W->cap_objs = cap;
	}
	o = &W->objs[W->n_objs];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->mobj = WM_NONE;
	o->reverse = WI_NONE;
	o->source = WM_SRC_TREE;
	o->name = strdup(name ? name : "?");
	return W->n_objs++;
}

uint32_t wi_robj_of(struct fr_replay *R, uint32_t mobj)
{
	struct wi_state *W = R->wi;
	const struct wm_obj *mo;
	uint32_t ri;

	if (mobj == WM_NONE || mobj >= W->m->n_objs)
		return WI_NONE;
	if (!W->of_mobj) {
		W->of_mobj = malloc(W->m->n_objs * sizeof(*W->of_mobj));
		if (!W->of_mobj)
			return WI_NONE;
		memset(W->of_mobj, 0xff, W->m->n_objs * sizeof(*W->of_mobj));
	}
	if (W->of_mobj[mobj] != WI_NONE)
		return W->of_mobj[mobj];
	mo = &W->m->objs[mobj];
	ri = wi_robj_new(R, mo->kind, mo->name);
	if (ri == WI_NONE)
		return WI_NONE;
	W->objs[ri].mobj = mobj;
	W->objs[ri].source = (uint8_t)wm__source(mo);
	W->objs[ri].fd_type = mo->fd_type;
	W->of_mobj[mobj] = ri;
	if (mo->reverse != WM_NONE) {
		uint32_t rr = wi_robj_of(R, mo->reverse);

		if (rr != WI_NONE) {
			W->objs[ri].reverse = rr;
			W->objs[rr].reverse = ri;
		}
	}
	return ri;
}

/* Does the tree read what is written into this object (so bytes the tree
 * writes there must be kept to be read back)? */
static bool tree_reads(const struct wi_state *W, const struct wi_robj *o)
{
	const struct wm_obj *mo;

	if (o->mobj == WM_NONE)
		return true;
	mo = &W->m->objs[o->mobj];
	/* it read from it in the recording, or it is a pipe between its own
	 * processes */
	return mo->n_own || mo->own_eof || (mo->fd_type == FR_FD_PIPE && !mo->n_peer);
}

void wi_sent(struct fr_replay *R, uint32_t ri, const uint8_t *data, uint64_t len, uint64_t vt)
{
	struct wi_state *W = R->wi;
	struct wi_robj *o;
	struct wi_sent *s;

	if (ri == WI_NONE || !len)
		return;
	o = &W->objs[ri];
	if (o->n_sent == o->cap_sent) {
		uint32_t cap = o->cap_sent ? o->cap_sent * 2 : 16;

		s = realloc(o->sent, cap * sizeof(*s));
		if (!s)
			return;
		o->sent = s;
		o->cap_sent = cap;
	}
	o->sent[o->n_sent].end = o->sent_len + len;
	o->sent[o->n_sent].vt = vt;
	o->n_sent++;
	/* Compare with what the tree sent in the recording, where a peer in
	 * the bundle answered it. */
	if (o->mobj != WM_NONE && data && !o->differs_noted && o->reverse != WI_NONE &&
	    W->objs[o->reverse].mobj != WM_NONE && W->m->objs[W->objs[o->reverse].mobj].n_peer) {
		const struct wm_obj *mo = &W->m->objs[o->mobj];
		uint64_t off = o->sent_len, k;
		uint32_t i;

		for (i = 0; i < mo->n_tree && off < o->sent_len + len; i++) {
			const struct wm_chunk *c = &mo->tree[i];

			for (k = FR_MAX(off, c->off); k < c->off + c->len && k < o->sent_len + len;
			     k++, off++)
				if (c->data[k - c->off] != data[k - o->sent_len]) {
					o->differs_noted = true;
					wi_note(R,
						"the program sent other bytes on %s than recorded "
						"(from byte %" PRIu64
						"): what the peer answered in the recording "
						"may not answer them",
						o->name, k);
					i = mo->n_tree;
					break;
				}
		}
		if (!o->differs_noted && o->sent_len + len > mo->tree_len && mo->n_tree &&
		    (mo->peer_pid || mo->n_own)) {
			o->differs_noted = true;
			wi_note(R,
				"the program sent more bytes on %s than recorded (%" PRIu64
				" after the recorded %" PRIu64 ")",
				o->name, o->sent_len + len - mo->tree_len, mo->tree_len);
		}
	}
	if (tree_reads(W, o) && data) {
		struct wi_live *l;

		if (o->n_live == o->cap_live) {
			uint32_t cap = o->cap_live ? o->cap_live * 2 : 16;

			l = realloc(o->live, cap * sizeof(*l));
			if (!l)
				goto out;
			o->live = l;
			o->cap_live = cap;
		}
		l = &o->live[o->n_live];
		l->data = malloc(len);
		if (!l->data)
			goto out;
		memcpy(l->data, data, len);
		l->off = o->live_len;
		l->len = (uint32_t)len;
		l->vt = vt;
		o->n_live++;
		o->live_len += len;
		W->changed = true;
	}
out:
	o->sent_len += len;
}

uint64_t wi_avail_vt(struct fr_replay *R, const struct wi_robj *o, uint64_t rec_ns, uint64_t dep)
{
	struct wi_state *W = R->wi;
	const struct wm_obj *mo = o->mobj != WM_NONE ? &W->m->objs[o->mobj] : NULL;
	const struct wi_robj *rv;
	const struct wm_obj *mrv;
	uint64_t lag = 0, sent_rec = 0, sent_v = 0;
	uint32_t i, lo, hi;

	if (!dep) {
		/* Nothing sent before it: it follows the connection. */
		if (mo && mo->connect_ns && o->connect_vt && o->connect_vt > mo->connect_ns)
			lag = o->connect_vt - mo->connect_ns;
		return rec_ns + lag;
	}
	if (o->reverse == WI_NONE)
		return rec_ns;
	rv = &W->objs[o->reverse];
	if (rv->mobj == WM_NONE)
		return rec_ns;
	mrv = &W->m->objs[rv->mobj];
	/* When byte dep - 1 was sent in the recording ... */
	lo = 0;
	hi = mrv->n_tree;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (mrv->tree[mid].off + mrv->tree[mid].len < dep)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= mrv->n_tree)
		return rec_ns; /* the peer read more than the tree sent: no clue */
	sent_rec = mrv->tree[lo].ns;
	/* ... and in the replay. */
	if (rv->sent_len < dep)
		return WI_INF;
	for (i = 0; i < rv->n_sent; i++)
		if (rv->sent[i].end >= dep) {
			sent_v = rv->sent[i].vt;
			break;
		}
	if (sent_v > sent_rec)
		lag = sent_v - sent_rec;
	return rec_ns + lag;
}

/* ---- descriptor tables ------------------------------------------------------------------- */

struct wi_ofd *wi_ofd_new(uint32_t obj, uint32_t flags, const char *path)
{
	struct wi_ofd *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->refs = 1;
	o->obj = obj;
	o->flags = flags;
	o->wr_obj = WI_NONE;
	o->path = path ? strdup(path) : NULL;
	return o;
}

void wi_ofd_put(struct fr_replay *R, struct wi_ofd *o)
{
	struct wi_state *W = R->wi;

	if (!o || --o->refs)
		return;
	if (o->wr_obj != WI_NONE && o->wr_obj < W->n_objs) {
		struct wi_robj *w = &W->objs[o->wr_obj];

		if (w->writers && !--w->writers) {
			w->live_eof = true;
			w->live_eof_vt = W->vnow;
			W->changed = true;
		}
	}
	free(o->path);
	free(o);
}

/* Where bytes written through an object arrive (runtime index). */
uint32_t wi_dest_of(struct fr_replay *R, uint32_t obj)
{
	struct wi_state *W = R->wi;
	const struct wi_robj *o;

	if (obj == WI_NONE)
		return WI_NONE;
	o = &W->objs[obj];
	if (o->kind != WM_STREAM && o->kind != WM_DGRAM)
		return WI_NONE;
	if (o->mobj != WM_NONE && W->m->objs[o->mobj].fd_type == FR_FD_PIPE)
		return obj;
	if (o->mobj == WM_NONE && o->reverse == WI_NONE)
		return obj; /* a pipe the new path made */
	return o->reverse;
}

/* The description now knows its object: count it as a writer where its
 * writes arrive, when it is one. */
void wi_ofd_set_obj(struct fr_replay *R, struct wi_ofd *o, uint32_t obj)
{
	o->obj = obj;
	if (o->can_write && o->wr_obj == WI_NONE) {
		uint32_t d = wi_dest_of(R, obj);

		if (d != WI_NONE) {
			o->wr_obj = d;
			R->wi->objs[d].writers++;
		}
	}
}

static struct wi_fdt *fdt_new(void)
{
	struct wi_fdt *t = calloc(1, sizeof(*t));

	if (t)
		t->refs = 1;
	return t;
}

static void fdt_put(struct fr_replay *R, struct wi_fdt *t)
{
	int i;

	if (!t || --t->refs)
		return;
	for (i = 0; i < t->cap; i++)
		wi_ofd_put(R, t->ofd[i]);
	free(t->ofd);
	free(t->cloexec);
	free(t);
}

static struct wi_fdt *fdt_copy(const struct wi_fdt *s)
{
	struct wi_fdt *t = fdt_new();
	int i;

	if (!t || !s)
		return t;
	if (s->cap) {
		t->ofd = calloc((size_t)s->cap, sizeof(*t->ofd));
		t->cloexec = calloc((size_t)s->cap, 1);
		if (!t->ofd || !t->cloexec) {
			free(t->ofd);
			free(t->cloexec);
			free(t);
			return NULL;
		}
		t->cap = s->cap;
		for (i = 0; i < s->cap; i++)
			if ((t->ofd[i] = s->ofd[i])) {
				t->ofd[i]->refs++;
				t->cloexec[i] = s->cloexec[i];
			}
	}
	return t;
}

static void fdt_exec(struct fr_replay *R, struct wi_fdt *t)
{
	int i;

	for (i = 0; t && i < t->cap; i++)
		if (t->ofd[i] && t->cloexec[i]) {
			wi_ofd_put(R, t->ofd[i]);
			t->ofd[i] = NULL;
		}
}

struct wi_ofd *wi_fd_get(struct wi_proc *p, int fd)
{
	if (!p || !p->fdt || fd < 0 || fd >= p->fdt->cap)
		return NULL;
	return p->fdt->ofd[fd];
}

int wi_fd_install(struct fr_replay *R, struct wi_proc *p, int fd, struct wi_ofd *o, bool cloexec)
{
	struct wi_fdt *t = p->fdt;

	if (fd < 0 || fd >= WI_MAX_FD) {
		wi_ofd_put(R, o);
		return -EBADF;
	}
	if (fd >= t->cap) {
		int cap = FR_MAX(fd + 1, t->cap * 2);
		struct wi_ofd **n = realloc(t->ofd, (size_t)cap * sizeof(*n));
		uint8_t *c;

		if (!n) {
			wi_ofd_put(R, o);
			return -ENOMEM;
		}
		t->ofd = n;
		c = realloc(t->cloexec, (size_t)cap);
		if (!c) {
			wi_ofd_put(R, o);
			return -ENOMEM;
		}
		t->cloexec = c;
		memset(t->ofd + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*n));
		memset(t->cloexec + t->cap, 0, (size_t)(cap - t->cap));
		t->cap = cap;
	}
	wi_ofd_put(R, t->ofd[fd]);
	t->ofd[fd] = o;
	t->cloexec[fd] = cloexec;
	return 0;
}

void wi_fd_close(struct fr_replay *R, struct wi_proc *p, int fd)
{
	if (!p || !p->fdt || fd < 0 || fd >= p->fdt->cap)
		return;
	wi_ofd_put(R, p->fdt->ofd[fd]);
	p->fdt->ofd[fd] = NULL;
}

int wi_fd_lowest(struct wi_proc *p, int min)
{
	int fd;

	for (fd = FR_MAX(min, 0); fd < p->fdt->cap; fd++)
		if (!p->fdt->ofd[fd])
			return fd;
	return fd;
}

void wi_fd_set_cloexec(struct wi_proc *p, int fd, bool on)
{
	if (p && p->fdt && fd >= 0 && fd < p->fdt->cap)
		p->fdt->cloexec[fd] = on;
}

bool wi_fd_cloexec(struct wi_proc *p, int fd)
{
	return p && p->fdt && fd >= 0 && fd < p->fdt->cap && p->fdt->cloexec[fd];
}

struct wi_thread *wi_thread_of(struct fr_replay *R, struct st_thread *th)
{
	struct wi_thread *wt = th->wi;

	(void)R;
	if (!wt && (wt = calloc(1, sizeof(*wt)))) {
		wt->th = th;
		wt->ws = W_RUN;
		wt->stat_fd = -1;
		th->wi = wt;
	}
	return wt;
}

struct wi_proc *wi_proc_of(struct fr_replay *R, struct st_proc *p)
{
	struct wi_proc *wp = p->wi;

	(void)R;
	if (!wp && (wp = calloc(1, sizeof(*wp)))) {
		if (!(wp->fdt = fdt_new())) {
			free(wp);
			return NULL;
		}
		p->wi = wp;
	}
	return wp;
}

/* ---- the state at the switch: the recorded prefix ---------------------------------------- */

struct ptab {
	uint32_t rpid;
	struct wi_fdt *fdt;
	bool early; /* made by the process's own calls, before its creator's clone */
};

struct prefix {
	struct ptab *t;
	uint32_t n, cap;
};

static struct ptab *ptab_entry(struct prefix *px, uint32_t rpid)
{
	uint32_t i;

	for (i = 0; i < px->n; i++)
		if (px->t[i].rpid == rpid)
			return &px->t[i];
	return NULL;
}

static struct wi_fdt *ptab_get(struct prefix *px, uint32_t rpid)
{
	struct ptab *e = ptab_entry(px, rpid);

	return e ? e->fdt : NULL;
}

/* Set the table of process rpid (taking the reference t holds); returns
 * its entry, NULL when out of memory. */
static struct ptab *ptab_set(struct fr_replay *R, struct prefix *px, uint32_t rpid,
			     struct wi_fdt *t)
{
	struct ptab *e = ptab_entry(px, rpid);

	if (e) {
		fdt_put(R, e->fdt);
	} else {
		if (px->n == px->cap) {
			uint32_t cap = px->cap ? px->cap * 2 : 8;
			struct ptab *n = realloc(px->t, cap * sizeof(*n));

			if (!n) {
				fdt_put(R, t);
				return NULL;
			}
			px->t = n;
			px->cap = cap;
		}
		e = &px->t[px->n++];
		e->rpid = rpid;
	}
	e->fdt = t;
	e->early = false;
	return e;
}

/*
 * The table of a process whose own calls come before its creator's clone
 * returned (the child ran first: calls are in the order they returned).
 * The creator is still inside the clone, so its table is the one the
 * child started with: shared or copied as the clone did.  NULL when the
 * recording does not say who created it.
 */
static struct wi_fdt *fdt_at_birth(struct fr_replay *R, struct prefix *px, uint32_t tid)
{
	const struct rp_rthread *rt = rp_recording__thread(R->rec, tid), *pt;
	struct wi_fdt *t;

	if (!rt || !rt->parent_tid || !(pt = rp_recording__thread(R->rec, rt->parent_tid)) ||
	    !(t = ptab_get(px, pt->pid)))
		return NULL;
	if (rt->clone_flags & CLONE_FILES) {
		t->refs++;
		return t;
	}
	return fdt_copy(t);
}

/* The model object a descriptor of the recorded start stands for (the
 * process table has no device numbers: matched by inode and addresses). */
static uint32_t start_obj(struct fr_replay *R, const struct fr_fd *f)
{
	const struct wm_model *m = R->wi->m;
	uint32_t i;

	if (!f->ino)
		return WM_NONE;
	for (i = 0; i < m->n_objs; i++) {
		const struct wm_obj *o = &m->objs[i];

		if (o->ino != f->ino || o->fd_type != f->type)
			continue;
		if (o->fd_type == FR_FD_SOCKET && (o->tuple.family == 2 || o->tuple.family == 10) &&
		    (o->tuple.sport != f->tuple.sport || o->tuple.dport != f->tuple.dport))
			continue;
		return i;
	}
	return WM_NONE;
}

static struct wi_fdt *start_table(struct fr_replay *R)
{
	const struct rp_start *s = &R->rec->start;
	struct wi_proc tmp = {.fdt = fdt_new()};
	size_t i;

	if (!tmp.fdt)
		return NULL;
	for (i = 0; i < s->n_fds; i++) {
		const struct fr_fd *f = &s->fd_info[i];
		uint32_t mobj = start_obj(R, f);
		struct wi_ofd *o;

		if (s->fds[i] < 0 || s->fds[i] >= WI_MAX_FD)
			continue;
		o = wi_ofd_new(WI_NONE, f->flags, f->path);
		if (!o)
			continue;
		o->can_write = (f->flags & O_ACCMODE) != O_RDONLY;
		o->pos = f->pos;
		if (mobj != WM_NONE) {
			wi_ofd_set_obj(R, o, wi_robj_of(R, mobj));
		} else if (f->path && !strcmp(f->path, "/dev/null")) {
			wi_ofd_set_obj(R, o, wi_robj_new(R, WM_NULL, "/dev/null"));
		} else if (f->type != FR_FD_UNKNOWN) {
			/* Not used in the recording: what it is, and nothing to
			 * read from it. */
			uint8_t kind = f->type == FR_FD_FILE   ? WM_FILE
				       : f->type == FR_FD_DIR  ? WM_DIR
				       : f->type == FR_FD_ANON ? WM_OTHER
							       : WM_STREAM;
			char name[300];
			uint32_t ri;

			if (f->path)
				snprintf(name, sizeof(name), "%s", f->path);
			else
				snprintf(name, sizeof(name),
					 "descriptor %d (not used in the recording)", s->fds[i]);
			ri = wi_robj_new(R, kind, name);
			if (ri != WI_NONE) {
				R->wi->objs[ri].fd_type = (uint8_t)f->type;
				R->wi->objs[ri].source = WM_SRC_NONE;
				wi_ofd_set_obj(R, o, ri);
			}
		}
		wi_fd_install(R, &tmp, s->fds[i], o, (f->flags & O_CLOEXEC) != 0);
	}
	return tmp.fdt;
}

/* The model's record of an open recorded call c made. */
static const struct wm_open *open_of(const struct wm_model *m, const struct rp_call *c)
{
	uint32_t lo = 0, hi = m->n_opens;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->opens[mid].ns < c->exit_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n_opens && m->opens[lo].ns == c->exit_ns; lo++)
		if (m->opens[lo].pid == c->pid)
			return &m->opens[lo];
	return NULL;
}

static int64_t recorded_ret(const struct wi_state *W, const struct rp_call *c)
{
	uint32_t i;

	for (i = 0; i < W->n_injected; i++)
		if (W->injected[i].seq == c->seq)
			return W->injected[i].ret;
	return c->sc.ret;
}

static uint64_t clone_flags_of(const struct rp_call *c)
{
	if (c->sc.nr == SYS_clone)
		return c->sc.args[0];
	if (c->sc.nr == 435) {
		const struct fr_payload *p = rp_call_payload(c, FR_PL_IN, 0, -1);
		uint64_t f = 0;

		if (p && p->len >= 8)
			memcpy(&f, p->data, 8);
		return f;
	}
	if (c->sc.nr == SYS_vfork)
		return CLONE_VM | CLONE_VFORK;
	return 0;
}

static void ep_update(struct wi_robj *ep, int op, int fd, const struct fr_payload *ev)
{
	uint32_t i, events = 0;
	uint64_t data = 0;

	if (ev && ev->len >= 12) {
		memcpy(&events, ev->data, 4);
		memcpy(&data, ev->data + 4, 8);
	}
	for (i = 0; i < ep->n_ep; i++)
		if (ep->ep[i].fd == fd)
			break;
	if (op == 2 /* EPOLL_CTL_DEL */) {
		if (i < ep->n_ep)
			ep->ep[i] = ep->ep[--ep->n_ep];
		return;
	}
	if (i == ep->n_ep) {
		if (op != 1 /* EPOLL_CTL_ADD */)
			return;
		if (ep->n_ep == ep->cap_ep) {
			uint32_t cap = ep->cap_ep ? ep->cap_ep * 2 : 8;
			struct wi_epitem *n = realloc(ep->ep, cap * sizeof(*n));

			if (!n)
				return;
			ep->ep = n;
			ep->cap_ep = cap;
		}
		ep->n_ep++;
	}
	ep->ep[i].fd = fd;
	ep->ep[i].events = events;
	ep->ep[i].data = data;
}

void wi_epoll_ctl(struct fr_replay *R, uint32_t epobj, int op, int fd, const struct fr_payload *ev)
{
	if (epobj != WI_NONE && R->wi->objs[epobj].kind == WI_K_EPOLL)
		ep_update(&R->wi->objs[epobj], op, fd, ev);
}

/* Apply recorded call c, taken by strict replay, to the runtime state. */
static void absorb(struct fr_replay *R, struct prefix *px, const struct rp_call *c)
{
	struct wi_state *W = R->wi;
	const struct wm_model *m = W->m;
	const struct fr_syscall_desc *d = fr_syscall(c->sc.nr);
	struct wi_fdt *t = ptab_get(px, c->pid);
	struct wi_proc p;
	int64_t ret = recorded_ret(W, c);
	uint64_t vt = c->exit_ns + (uint64_t)shift_at(W, c->exit_ns);
	const uint64_t *a = c->sc.args;
	struct wi_ofd *o;
	uint32_t i;

	if (!t) {
		struct ptab *e;

		t = fdt_at_birth(R, px, c->tid);
		if (!t)
			t = fdt_new();
		if (!t || !(e = ptab_set(R, px, c->pid, t)))
			return; /* out of memory: ptab_set dropped t */
		e->early = true;
	}
	p.fdt = t;
	/* What descriptors stand for. */
	for (i = 0; d && i < c->n_payloads; i++) {
		const struct fr_payload *pl = &c->payloads[i];
		struct fr_fdinfo fi;
		uint32_t mobj;

		if (pl->kind != FR_PL_FDINFO || pl->arg >= d->nargs || pl->len < sizeof(fi) ||
		    d->args[pl->arg].kind != FR_A_FD)
			continue;
		memcpy(&fi, pl->data, sizeof(fi));
		mobj = wm__obj_of(m, &fi);
		o = wi_fd_get(&p, (int)a[pl->arg]);
		if (mobj != WM_NONE && o && o->obj == WI_NONE)
			wi_ofd_set_obj(R, o, wi_robj_of(R, mobj));
	}
	o = wi_fd_get(&p, (int)a[0]);
	if (wm_is_read(c->sc.nr) && ret > 0 && o && o->obj != WI_NONE) {
		struct wi_robj *ob = &W->objs[o->obj];

		if (ob->kind == WM_FILE) {
			if (c->sc.nr == SYS_read || c->sc.nr == SYS_readv)
				o->pos += (uint64_t)ret;
		} else {
			ob->rd += (uint64_t)ret;
		}
		return;
	}
	if (wm_is_write(c->sc.nr) && ret > 0 && o && o->obj != WI_NONE) {
		const struct fr_payload *pl = rp_call_payload(c, FR_PL_IN, WM_DATA_ARG, 0);

		if (pl && pl->len >= (uint64_t)ret)
			wi_sent(R, wi_dest_of(R, o->obj), pl->data, (uint64_t)ret, vt);
		else
			wi_sent(R, wi_dest_of(R, o->obj), NULL, (uint64_t)ret, vt);
		return;
	}
	switch (c->sc.nr) {
	case SYS_open:
	case SYS_openat:
	case SYS_creat:
	case 437: /* openat2 */
		if (ret >= 0) {
			const struct wm_open *op = open_of(m, c);
			uint64_t fl = op ? op->flags : 0;

			o = wi_ofd_new(WI_NONE, (uint32_t)fl, op ? op->path : NULL);
			if (!o)
				return;
			o->can_write = (fl & O_ACCMODE) != O_RDONLY;
			if (op && op->obj != WM_NONE)
				wi_ofd_set_obj(R, o, wi_robj_of(R, op->obj));
			wi_fd_install(R, &p, (int)ret, o, (fl & O_CLOEXEC) != 0);
		}
		break;
	case SYS_socket:
		if (ret >= 0 &&
		    (o = wi_ofd_new(WI_NONE, (a[1] & SOCK_NONBLOCK) ? O_NONBLOCK : 0, NULL))) {
			o->can_write = true;
			wi_fd_install(R, &p, (int)ret, o, (a[1] & SOCK_CLOEXEC) != 0);
		}
		break;
	case SYS_pipe:
	case SYS_pipe2:
	case SYS_socketpair: {
		const struct fr_payload *pl =
		    rp_call_payload(c, FR_PL_OUT, c->sc.nr == SYS_socketpair ? 3 : 0, -1);
		uint64_t fl = c->sc.nr == SYS_pipe2 ? a[1] : c->sc.nr == SYS_socketpair ? a[1] : 0;
		bool nb = c->sc.nr == SYS_socketpair ? (fl & SOCK_NONBLOCK) : (fl & O_NONBLOCK);
		bool ce = c->sc.nr == SYS_socketpair ? (fl & SOCK_CLOEXEC) : (fl & O_CLOEXEC);
		int32_t v[2];
		int k;

		if (ret < 0 || !pl || pl->len < 8)
			break;
		memcpy(v, pl->data, 8);
		for (k = 0; k < 2; k++) {
			o = wi_ofd_new(WI_NONE, nb ? O_NONBLOCK : 0, NULL);
			if (!o)
				break;
			o->can_write = c->sc.nr == SYS_socketpair || k == 1;
			wi_fd_install(R, &p, v[k], o, ce);
		}
		break;
	}
	case SYS_accept:
	case SYS_accept4:
		if (ret >= 0) {
			if (o && o->obj != WI_NONE && W->objs[o->obj].kind == WM_LISTEN)
				W->objs[o->obj].next_accept++;
			o = wi_ofd_new(
			    WI_NONE,
			    c->sc.nr == SYS_accept4 && (a[3] & SOCK_NONBLOCK) ? O_NONBLOCK : 0,
			    NULL);
			if (o) {
				o->can_write = true;
				wi_fd_install(R, &p, (int)ret, o,
					      c->sc.nr == SYS_accept4 && (a[3] & SOCK_CLOEXEC));
			}
		}
		break;
	case SYS_connect:
		for (i = 0; i < m->n_connects; i++) {
			const struct wm_connect *cn = &m->connects[i];

			if (cn->pid == c->pid && cn->ns == c->exit_ns && cn->fd == (uint32_t)a[0]) {
				W->connect_used[i] = 1;
				if (cn->obj != WM_NONE && (ret == 0 || ret == -EINPROGRESS)) {
					uint32_t ro = wi_robj_of(R, cn->obj);

					if (ro != WI_NONE)
						W->objs[ro].connect_vt = vt;
					if (o && o->obj == WI_NONE && ro != WI_NONE)
						wi_ofd_set_obj(R, o, ro);
				}
				break;
			}
		}
		break;
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
		if (ret >= 0 && o && (c->sc.nr == SYS_dup || (int64_t)a[1] != (int64_t)a[0])) {
			o->refs++;
			wi_fd_install(R, &p, (int)ret, o,
				      c->sc.nr == SYS_dup3 && (a[2] & O_CLOEXEC));
		}
		break;
	case SYS_fcntl:
		if (ret < 0 || !o)
			break;
		if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC) {
			o->refs++;
			wi_fd_install(R, &p, (int)ret, o, a[1] == F_DUPFD_CLOEXEC);
		} else if (a[1] == F_SETFL) {
			o->flags = (o->flags & O_ACCMODE) | ((uint32_t)a[2] & ~(uint32_t)O_ACCMODE);
		} else if (a[1] == F_SETFD) {
			wi_fd_set_cloexec(&p, (int)a[0], a[2] & FD_CLOEXEC);
		}
		break;
	case SYS_close:
		wi_fd_close(R, &p, (int)a[0]);
		break;
	case 436: /* close_range */
		if (ret == 0) {
			uint64_t fd, hi = FR_MIN(a[1], (uint64_t)WI_MAX_FD);

			for (fd = a[0]; fd < (uint64_t)t->cap && fd <= hi; fd++) {
				if (a[2] & 4 /* CLOSE_RANGE_CLOEXEC */)
					wi_fd_set_cloexec(&p, (int)fd, true);
				else
					wi_fd_close(R, &p, (int)fd);
			}
		}
		break;
	case SYS_lseek:
		if (ret >= 0 && o)
			o->pos = (uint64_t)ret;
		break;
	case SYS_getdents64:
	case SYS_getdents:
		if (ret >= 0 && o)
			o->pos++;
		break;
	case SYS_getrandom:
		if (ret > 0)
			W->random_off += (uint64_t)ret;
		break;
	case SYS_epoll_create:
	case SYS_epoll_create1:
		if (ret >= 0 && (o = wi_ofd_new(wi_robj_new(R, WI_K_EPOLL, "epoll"), 0, NULL)))
			wi_fd_install(R, &p, (int)ret, o,
				      c->sc.nr == SYS_epoll_create1 && (a[0] & O_CLOEXEC));
		break;
	case SYS_epoll_ctl:
		if (ret == 0 && o)
			wi_epoll_ctl(R, o->obj, (int)a[1], (int)a[2],
				     rp_call_payload(c, FR_PL_IN, 3, -1));
		break;
	case SYS_clone:
	case 435: /* clone3 */
	case SYS_fork:
	case SYS_vfork: {
		uint64_t fl = clone_flags_of(c);
		struct ptab *e;

		if (ret <= 0 || (fl & CLONE_THREAD))
			break;
		if ((e = ptab_entry(px, (uint32_t)ret)) && e->early) {
			/* its table was made at its first call (fdt_at_birth) */
			e->early = false;
			break;
		}
		if (fl & CLONE_FILES) {
			t->refs++;
			ptab_set(R, px, (uint32_t)ret, t);
		} else {
			ptab_set(R, px, (uint32_t)ret, fdt_copy(t));
		}
		break;
	}
	case SYS_execve:
	case 322: /* execveat */
		if (ret == 0)
			fdt_exec(R, t);
		break;
	default:
		break;
	}
}

/*
 * Strict replay serves a call at its entry, with what the recording says
 * it returned when it left it.  A call served so whose recorded exit is
 * after the divergence got bytes or a readiness from the recorded future,
 * which the new path may never produce (a reader served its pipe's
 * recorded bytes before its writer diverged): such a call is made again,
 * and answered by the model.  Only calls whose result is the
 * environment's (the table's EMULATE: reads, waits, polls); not an
 * injected result, nor one strict replay already restarts (a signal).
 */
static bool reissue(struct fr_replay *R, const struct st_thread *th)
{
	const struct rp_call *c = th->cur;
	const struct fr_syscall_desc *d;
	uint32_t i;

	if (th->st != S_SERVED || !c || th->t->state != RP_TS_ENTER || c->exit_ns <= R->now_rec_ns)
		return false;
	d = fr_syscall(c->sc.nr);
	if (!d || d->replay != FR_RP_EMULATE)
		return false;
	if (c->sc.ret <= -ERESTARTSYS && c->sc.ret >= -ERESTART_RESTARTBLOCK)
		return false;
	for (i = 0; i < R->wi->n_injected; i++)
		if (R->wi->injected[i].seq == c->seq)
			return false;
	return true;
}

static int cmp_call_ptr(const void *a, const void *b)
{
	const struct rp_call *x = *(const struct rp_call *const *)a;
	const struct rp_call *y = *(const struct rp_call *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The calls strict replay took, in recorded order; *n of them (caller
 * frees).  The highest position is left in *last_seq. */
static const struct rp_call **taken_calls(struct fr_replay *R, uint32_t *n, uint32_t *last_seq)
{
	const struct rp_recording *rec = R->rec;
	const struct rp_call **v = NULL;
	uint32_t cap = 0, i, j;

	*n = 0;
	*last_seq = 0;
	for (i = 0; i < rec->n_threads; i++) {
		const struct rp_rthread *rt = &rec->threads[i];
		const struct st_rstate *rs = &R->rs[i];
		uint32_t end = FR_MIN(rs->item, rt->n_items);

		if (rs->phase == 1 && !(rs->th && reissue(R, rs->th))) {
			/* the call in progress (served, or running) is taken */
			for (j = rs->item; j < rt->n_items && rt->items[j].kind != RP_ITEM_CALL;
			     j++)
				;
			if (j < rt->n_items)
				end = j + 1;
		}
		for (j = 0; j < end; j++) {
			if (rt->items[j].kind != RP_ITEM_CALL || rt->items[j].call >= rec->n_calls)
				continue;
			if (*n == cap) {
				const struct rp_call **nv;

				cap = cap ? cap * 2 : 256;
				nv = realloc(v, cap * sizeof(*nv));
				if (!nv) {
					free(v);
					*n = 0;
					return NULL;
				}
				v = nv;
			}
			v[(*n)++] = &rec->calls[rt->items[j].call];
		}
	}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_call_ptr);
	if (*n)
		*last_seq = v[*n - 1]->seq;
	return v;
}

/* A descriptor whose object the prefix did not show: the recording may
 * show it later (a socket connected, then used only after the switch). */
static void look_ahead(struct fr_replay *R, uint32_t rpid, struct wi_fdt *t, uint32_t from)
{
	const struct rp_recording *rec = R->rec;
	int fd;
	uint32_t i, k;

	for (fd = 0; fd < t->cap; fd++) {
		struct wi_ofd *o = t->ofd[fd];

		if (!o || o->obj != WI_NONE)
			continue;
		for (i = from; i < rec->n_calls; i++) {
			const struct rp_call *c = &rec->calls[i];
			const struct fr_syscall_desc *d;
			bool found = false;

			if (c->pid != rpid)
				continue;
			if ((c->sc.nr == SYS_close && (int)c->sc.args[0] == fd) ||
			    ((c->sc.nr == SYS_dup2 || c->sc.nr == SYS_dup3) &&
			     (int)c->sc.args[1] == fd))
				break;
			d = fr_syscall(c->sc.nr);
			for (k = 0; d && k < c->n_payloads; k++) {
				const struct fr_payload *pl = &c->payloads[k];
				struct fr_fdinfo fi;
				uint32_t mobj;

				if (pl->kind != FR_PL_FDINFO || pl->arg >= d->nargs ||
				    d->args[pl->arg].kind != FR_A_FD || pl->len < sizeof(fi) ||
				    (int)c->sc.args[pl->arg] != fd)
					continue;
				memcpy(&fi, pl->data, sizeof(fi));
				mobj = wm__obj_of(R->wi->m, &fi);
				if (mobj != WM_NONE) {
					wi_ofd_set_obj(R, o, wi_robj_of(R, mobj));
					found = true;
					break;
				}
			}
			if (found)
				break;
		}
	}
}

static int build_state(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	struct prefix px = {0};
	const struct rp_call **calls;
	uint32_t n, last = 0, i;
	struct st_proc *p;

	W->connect_used = calloc(W->m->n_connects + 1, 1);
	if (!W->connect_used)
		return -ENOMEM;
	ptab_set(R, &px, R->rec->start.pid, start_table(R));
	calls = taken_calls(R, &n, &last);
	for (i = 0; i < n; i++)
		absorb(R, &px, calls[i]);
	free(calls);
	for (p = R->procs; p; p = p->next) {
		struct wi_proc *wp = calloc(1, sizeof(*wp));
		struct wi_fdt *t = ptab_get(&px, p->rpid);

		if (!wp)
			goto oom;
		if (t) {
			t->refs++;
			wp->fdt = t;
		} else if (!(wp->fdt = fdt_new())) {
			free(wp);
			goto oom;
		}
		p->wi = wp;
		look_ahead(R, p->rpid, wp->fdt, n ? last + 1 : 0);
	}
	for (i = 0; i < px.n; i++)
		fdt_put(R, px.t[i].fdt);
	free(px.t);
	return 0;
oom:
	for (i = 0; i < px.n; i++)
		fdt_put(R, px.t[i].fdt);
	free(px.t);
	return -ENOMEM;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static void enqueue(struct fr_replay *R, struct wi_thread *wt)
{
	struct wi_state *W = R->wi;

	if (wt->queued)
		return;
	wt->queued = true;
	wt->qnext = NULL;
	if (W->q_tail)
		W->q_tail->qnext = wt;
	else
		W->q_head = wt;
	W->q_tail = wt;
}

static struct wi_thread *dequeue(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	struct wi_thread *wt = W->q_head;

	if (!wt)
		return NULL;
	W->q_head = wt->qnext;
	if (!W->q_head)
		W->q_tail = NULL;
	wt->queued = false;
	return wt;
}

static void resume(struct fr_replay *R, struct wi_thread *wt, enum rp_resume how, int sig,
		   enum wi_tstate next)
{
	int err = rp_thread__resume(wt->th->t, how, sig);

	if (err == -ESRCH) {
		/* gone meanwhile: the engine reports its end */
		wt->ws = W_RUN;
		wt->run_since_ms = wall_ns() / 1000000;
		return;
	}
	if (err) {
		snprintf(R->err, sizeof(R->err), "resuming thread %d: %s", wt->th->t->tid,
			 strerror(-err));
		R->stop = true;
		return;
	}
	wt->ws = next;
	wt->spinning = false;
	wt->run_since_ms = wall_ns() / 1000000;
	wt->th->free_running = false;
}

/* Give a thread its answer and let it go. */
static void complete(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	struct st_thread *th = wt->th;
	struct rp_call syn;
	struct fr_payload pls[2 * FR_MAX_PAYLOADS];
	uint32_t i, n = 0;
	int err = 0;

	if (th->delay_exit_ns) {
		W->vnow += th->delay_exit_ns;
		R->shift_ns += (int64_t)th->delay_exit_ns;
		th->delay_exit_ns = 0;
	}
	/* The answer as a call: its outputs, and the inputs the descriptor
	 * table follows (paths). */
	memset(&syn, 0, sizeof(syn));
	syn.sc = R->live.sc;
	syn.sc.ret = a->ret;
	syn.sc.flags = 0;
	syn.pid = th->proc->rpid;
	syn.tid = (uint32_t)th->t->tid;
	for (i = 0; i < R->live.n_payloads && n < FR_ARRAY_SIZE(pls); i++)
		pls[n++] = R->live.payloads[i];
	for (i = 0; i < a->n_out && n < FR_ARRAY_SIZE(pls); i++)
		pls[n++] = a->out[i];
	syn.payloads = pls;
	syn.n_payloads = n;
	if (a->as)
		err = rp_serve_outputs(th->t, a->as, NULL, NULL);
	else if (a->n_out && (a->ret >= 0 || a->ret < -4095))
		err = rp_serve_outputs(th->t, &syn, NULL, NULL);
	if (err) {
		wi_note(R, "an answer could not be written into the program (%s): it got EFAULT",
			strerror(-err));
		a->ret = -EFAULT;
		syn.sc.ret = -EFAULT;
	}
	err = rp_thread__skip(th->t, a->ret);
	if (err && err != -ESRCH) {
		snprintf(R->err, sizeof(R->err), "answering a call: %s", strerror(-err));
		R->stop = true;
		return;
	}
	if (a->ret >= 0)
		st_track_fds(th, &syn);
	if (a->how == WI_HOW_OUTPUT && st_is_write_like(syn.sc.nr))
		st_mirror(R, th, a->ret);
	wi_report_call(R, wt, a);
	wi_buf_reset(R);
	wt->entered = false;
	wt->inj_result = false;
	wt->at_call = false;
	W->vnow += WI_CALL_NS;
	resume(R, wt, RP_RESUME_RUN, 0, W_RUN);
}

/* Look at the call wt is stopped at: answer it, run it, or hold it. */
static void take_call(struct fr_replay *R, struct wi_thread *wt)
{
	struct wi_state *W = R->wi;
	struct st_thread *th = wt->th;
	struct wi_answer a;

	if (rp_live_read(th->t, &R->live) < 0) {
		snprintf(R->err, sizeof(R->err), "out of memory");
		R->stop = true;
		return;
	}
	if (!wt->entered) {
		int64_t ret = 0;

		wt->entered = true;
		wt->enter_vt = W->vnow;
		wt->inj_result = th->t->sc.arch == RP_AUDIT_ARCH_NATIVE &&
				 st_apply_injections(R, th, (unsigned)th->t->sc.nr, &ret);
		wt->inj_ret = ret;
		wt->enter_vt = W->vnow; /* after the entry delay */
	}
	memset(&a, 0, sizeof(a));
	if (wt->inj_result) {
		a.v = WI_ANSWER;
		a.ret = wt->inj_ret;
		a.how = WI_HOW_INJECTED;
		a.interesting = true;
		snprintf(a.detail, sizeof(a.detail), "%s", R->injected);
	} else {
		wi_handle_call(R, wt, &a);
	}
	switch (a.v) {
	case WI_ANSWER:
		complete(R, wt, &a);
		break;
	case WI_BLOCK:
		wt->ws = W_BLOCK;
		wt->at_call = true;
		wt->wake = a.wake;
		snprintf(wt->why, sizeof(wt->why), "%.255s", a.detail);
		wi_buf_reset(R);
		break;
	case WI_RUN_REAL:
		/* Reported with its result at its exit stop, unless it has none
		 * (exit) or its inputs are gone by then (exec). */
		if (a.report_now)
			wi_report_call(R, wt, &a);
		wi_buf_reset(R);
		wt->entered = false;
		wt->at_call = false;
		wt->model_real = true;
		W->vnow += WI_CALL_NS;
		if (a.resumed) {
			wt->ws = a.real_may_block ? W_REAL : W_RUN;
			wt->run_since_ms = wall_ns() / 1000000;
		} else {
			resume(R, wt, RP_RESUME_TO_EXIT, 0, a.real_may_block ? W_REAL : W_RUN);
		}
		break;
	}
}

/* A stopped thread's turn. */
static void dispatch(struct fr_replay *R, struct wi_thread *wt)
{
	struct st_thread *th = wt->th;

	if (wt->ws == W_GONE)
		return;
	if (wt->at_call && th->t->state == RP_TS_ENTER) {
		take_call(R, wt);
		return;
	}
	if (th->t->state == RP_TS_EXIT) {
		if (wt->model_real) {
			wt->model_real = false;
			wi_after_real(R, wt);
		} else if (th->cur && th->cur_real) {
			/* a real call strict replay began */
			st_post_real(R, th);
			th->cur = NULL;
		}
	}
	if (R->stop)
		return;
	resume(R, wt, RP_RESUME_RUN, 0, W_RUN);
}

static void on_new(struct fr_replay *R, struct rp_thread *t)
{
	struct st_thread *parent = t->parent ? t->parent->user : NULL;
	struct st_proc *proc;
	struct st_thread *th;
	struct wi_thread *wt;

	if (!parent) {
		kill(t->pid, SIGKILL);
		return;
	}
	if (t->clone_flags & CLONE_THREAD) {
		proc = parent->proc;
	} else {
		struct wi_proc *pp = wi_proc_of(R, parent->proc), *wp;
		uint32_t rpid = (uint32_t)t->pid;

		/* A clone strict replay began has the recorded id. */
		if (parent->cur && parent->cur->sc.ret > 0 &&
		    (parent->cur->sc.nr == SYS_clone || parent->cur->sc.nr == 435 ||
		     parent->cur->sc.nr == SYS_fork || parent->cur->sc.nr == SYS_vfork))
			rpid = (uint32_t)parent->cur->sc.ret;
		proc = st_proc_cloned(R, parent, t, rpid);
		wp = proc ? calloc(1, sizeof(*wp)) : NULL;
		if (!wp || !pp) {
			snprintf(R->err, sizeof(R->err), "out of memory");
			R->stop = true;
			return;
		}
		if (t->clone_flags & CLONE_FILES) {
			wp->fdt = pp->fdt;
			wp->fdt->refs++;
		} else {
			wp->fdt = fdt_copy(pp->fdt);
		}
		proc->wi = wp;
	}
	th = st_thread_new(R, t, proc);
	wt = th ? wi_thread_of(R, th) : NULL;
	if (!wt) {
		snprintf(R->err, sizeof(R->err), "out of memory");
		R->stop = true;
		return;
	}
	th->st = S_HELD;
	wt->ws = W_READY;
	wt->at_call = false;
	enqueue(R, wt);
	st_vlog(R, "what-if: new %s %d", (t->clone_flags & CLONE_THREAD) ? "thread" : "process",
		t->tid);
}

/* Every thread of p gone: its descriptors close (a pipe's last writer
 * gone is its reader's end of file). */
static void proc_maybe_gone(struct fr_replay *R, struct st_proc *p)
{
	struct st_thread *th;
	struct wi_proc *wp = p->wi;

	for (th = R->threads; th; th = th->next)
		if (th->proc == p && th->st != S_GONE)
			return;
	if (wp && wp->fdt) {
		fdt_put(R, wp->fdt);
		wp->fdt = fdt_new();
	}
}

static void on_event(struct fr_replay *R, int kind, struct rp_thread *t)
{
	struct wi_state *W = R->wi;
	struct st_thread *th = t->user;
	struct wi_thread *wt;

	if (kind == RP_STOP_NEW) {
		on_new(R, t);
		return;
	}
	if (!th) {
		if (kind != RP_STOP_GONE)
			kill(t->pid, SIGKILL);
		return;
	}
	wt = wi_thread_of(R, th);
	if (!wt) {
		R->stop = true;
		return;
	}
	switch (kind) {
	case RP_STOP_ENTER: {
		/* Computation since its last call takes virtual time too. */
		uint64_t cpu = cpu_ns(wt);

		if (wt->cpu_ns && cpu > wt->cpu_ns + WI_COMPUTE_MIN_NS)
			W->vnow += cpu - wt->cpu_ns;
		wt->cpu_ns = cpu;
		th->st = S_AT_ENTRY;
		wt->ws = W_READY;
		wt->at_call = true;
		wt->entered = false;
		enqueue(R, wt);
		break;
	}
	case RP_STOP_EXIT:
		wt->ws = W_READY;
		wt->at_call = false;
		enqueue(R, wt);
		break;
	case RP_STOP_CLONED:
		rp_thread__resume(t, RP_RESUME_TO_EXIT, 0);
		break;
	case RP_STOP_EXEC:
		st_patch_vdso(R, t);
		rp_fdtable__exec(th->proc->fds);
		if (th->proc->wi)
			fdt_exec(R, ((struct wi_proc *)th->proc->wi)->fdt);
		rp_thread__resume(t, RP_RESUME_TO_EXIT, 0);
		break;
	case RP_STOP_SIGNAL:
		R->res.signals_delivered++;
		st_vlog(R, "what-if: deliver signal %d to %d", t->si.si_signo, t->tid);
		rp_thread__resume(t, RP_RESUME_RUN, t->si.si_signo);
		break;
	case RP_STOP_TSC: {
		uint64_t v = W->vnow > wt->tsc_last ? W->vnow : wt->tsc_last + 1;

		wt->tsc_last = v;
		rp_thread__complete_tsc(t, v);
		rp_thread__resume(t, RP_RESUME_RUN, 0);
		break;
	}
	case RP_STOP_GONE:
		wt->ws = W_GONE;
		th->st = S_GONE;
		thread_done(wt);
		if (R->rs[0].th && th == R->rs[0].th) {
			R->res.replayed_exit_known = true;
			R->res.replayed_status = t->wstatus;
			W->rep.ended = true;
			W->rep.status = t->wstatus;
			W->rep.end_ns = W->vnow - W->m->start_ns;
		}
		proc_maybe_gone(R, th->proc);
		break;
	default:
		break;
	}
}

static bool anyone_moving(struct fr_replay *R)
{
	struct st_thread *th;

	if (R->eng && rp_engine__expecting(R->eng))
		return true;
	for (th = R->threads; th; th = th->next) {
		struct wi_thread *wt = th->wi;

		if (wt && wt->ws == W_RUN && !wt->spinning)
			return true;
	}
	return false;
}

static int wait_event(struct fr_replay *R, int timeout_ms)
{
	struct rp_thread *t;
	int k = rp_engine__wait(R->eng, timeout_ms, &t);

	if (k > 0)
		on_event(R, k, t);
	return k;
}

/* Alarms (ITIMER_REAL) due: the signal goes to the process; a thread of it
 * held in the model is interrupted to take it. */
static void ring_alarms(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	struct st_proc *p;
	struct st_thread *th;

	for (p = R->procs; p; p = p->next) {
		struct wi_proc *wp = p->wi;
		struct st_thread *target = NULL;

		if (!wp || !wp->alarm_vt || wp->alarm_vt > W->vnow)
			continue;
		wp->alarm_vt = wp->alarm_interval ? W->vnow + wp->alarm_interval : 0;
		for (th = R->threads; th; th = th->next)
			if (th->proc == p && th->wi && ((struct wi_thread *)th->wi)->ws != W_GONE) {
				if (!target || ((struct wi_thread *)th->wi)->ws == W_BLOCK)
					target = th;
			}
		if (!target)
			continue;
		st_vlog(R, "what-if: SIGALRM for %d at +%.1f ms", p->pid, wi_ms(W, W->vnow));
		rp_thread__kill(target->t, SIGALRM);
		if (((struct wi_thread *)target->wi)->ws == W_BLOCK) {
			struct wi_thread *wt = target->wi;
			struct wi_answer a;

			memset(&a, 0, sizeof(a));
			rp_live_read(target->t, &R->live);
			a.v = WI_ANSWER;
			a.ret = -EINTR;
			a.how = WI_HOW_MODEL;
			a.interesting = true;
			snprintf(a.detail, sizeof(a.detail), "interrupted by SIGALRM (the alarm)");
			complete(R, wt, &a);
		}
	}
}

/* The earliest virtual time something held can change. */
static uint64_t next_wake(struct fr_replay *R)
{
	uint64_t t = WI_INF;
	struct st_thread *th;
	struct st_proc *p;

	for (th = R->threads; th; th = th->next) {
		struct wi_thread *wt = th->wi;

		if (wt && wt->ws == W_BLOCK && wt->wake < t)
			t = wt->wake;
	}
	for (p = R->procs; p; p = p->next) {
		struct wi_proc *wp = p->wi;

		if (wp && wp->alarm_vt && wp->alarm_vt < t)
			t = wp->alarm_vt;
	}
	return t;
}

/* Look again at the held calls that may be answered now. */
static bool retry_blocked(struct fr_replay *R, bool all)
{
	struct wi_state *W = R->wi;
	struct st_thread *th;
	bool any = false;

	for (th = R->threads; th && !R->stop; th = th->next) {
		struct wi_thread *wt = th->wi;

		if (!wt || wt->ws != W_BLOCK || (!all && wt->wake > W->vnow))
			continue;
		take_call(R, wt);
		if (wt->ws != W_BLOCK)
			any = true;
	}
	return any;
}

static void stuck(struct fr_replay *R, const char *why)
{
	struct wi_state *W = R->wi;
	struct fr_sb sb;
	struct st_thread *th;

	fr_sb_init(&sb);
	fr_sb_printf(&sb, "at +%.1f ms %s", wi_ms(W, W->vnow), why);
	for (th = R->threads; th; th = th->next) {
		struct wi_thread *wt = th->wi;
		char *call;

		if (!wt || (wt->ws != W_BLOCK && wt->ws != W_REAL))
			continue;
		fr_sb_printf(&sb, "; thread %u/%u ", th->proc->rpid,
			     st_rt_of(R, th) ? st_rt_of(R, th)->tid : (uint32_t)th->t->tid);
		if (wt->ws == W_BLOCK && rp_live_read(th->t, &R->live) == 0 &&
		    (call = wi_print_live(R, wt, 0, NULL, 0, false))) {
			fr_sb_printf(&sb, "waits in %s since +%.1f ms", call,
				     wi_ms(W, wt->enter_vt));
			if (wt->why[0])
				fr_sb_printf(&sb, " (%s)", wt->why);
			free(call);
		} else {
			fr_sb_printf(&sb, "waits in %s (run for real)",
				     fr_syscall_name((unsigned)th->t->sc.nr)
					 ? fr_syscall_name((unsigned)th->t->sc.nr)
					 : "a call");
		}
	}
	free(W->rep.stuck);
	W->rep.stuck = strdup(fr_sb_str(&sb));
	fr_sb_free(&sb);
	R->stop = true;
}

static bool anyone_left(struct fr_replay *R)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next)
		if (th->wi && ((struct wi_thread *)th->wi)->ws != W_GONE)
			return true;
	return false;
}

static bool anyone_in(struct fr_replay *R, enum wi_tstate s)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next)
		if (th->wi && ((struct wi_thread *)th->wi)->ws == s)
			return true;
	return false;
}

static void loop(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	int real_idle_ms = 0;

	while (!R->stop && anyone_left(R)) {
		struct wi_thread *wt;
		uint64_t t;
		int k;

		if (anyone_moving(R)) {
			k = wait_event(R, WI_SPIN_MS);
			if (k == 0) {
				struct st_thread *th;

				/* Running for long without a call: let the others
				 * go on meanwhile. */
				for (th = R->threads; th; th = th->next)
					if (th->wi && ((struct wi_thread *)th->wi)->ws == W_RUN)
						((struct wi_thread *)th->wi)->spinning = true;
			} else if (k == -ECHILD) {
				break;
			} else if (k < 0) {
				snprintf(R->err, sizeof(R->err), "waiting for the program: %s",
					 strerror(-k));
				R->stop = true;
			}
			continue;
		}
		if ((wt = dequeue(R))) {
			dispatch(R, wt);
			real_idle_ms = 0;
			continue;
		}
		if (W->changed) {
			W->changed = false;
			if (retry_blocked(R, true))
				continue;
		}
		/* A call run for real may be about to return (a wait4 whose
		 * child is gone, a signal already there): its turn comes before
		 * the virtual clock moves on. */
		if (anyone_in(R, W_REAL)) {
			k = wait_event(R, 1);
			if (k > 0)
				continue;
			if (k == -ECHILD)
				break;
		}
		/* Nothing can go on now: on to the next time something can. */
		t = next_wake(R);
		if (t != WI_INF) {
			if (t > W->vnow)
				W->vnow = t;
			ring_alarms(R);
			retry_blocked(R, false);
			continue;
		}
		if (anyone_in(R, W_REAL) || anyone_in(R, W_RUN)) {
			/* threads in the kernel (a real wait, a spinner) */
			k = wait_event(R, 200);
			if (k == 0 && (real_idle_ms += 200) >= STUCK_TIMEOUT_MS)
				stuck(R, "every thread waits, and nothing the model holds can "
					 "wake them");
			else if (k == -ECHILD)
				break;
			else if (k < 0 && k != -ETIMEDOUT) {
				snprintf(R->err, sizeof(R->err), "waiting for the program: %s",
					 strerror(-k));
				R->stop = true;
			}
			continue;
		}
		/* Last: a futex word may have moved under a held wait. */
		if (retry_blocked(R, true))
			continue;
		stuck(R, "the program waits for what the recording does not have");
	}
}

int wi_run(struct fr_replay *R)
{
	struct wi_state *W = R->wi;
	struct st_thread *th;
	int rc;

	if (!W->pending) {
		wi_report_finish(R);
		return 0;
	}
	if (R->err[0]) {
		wi_report_finish(R);
		return 0; /* the replay failed for another reason */
	}
	W->active = true;
	R->stop = false;
	W->vnow = (R->now_rec_ns ? R->now_rec_ns : R->rec->start.exec_ns) + (uint64_t)R->shift_ns;
	W->rep.switched = true;
	W->rep.switch_ns = W->vnow - W->m->start_ns;
	rc = build_state(R);
	if (rc) {
		snprintf(R->err, sizeof(R->err), "building the what-if state: %s", strerror(-rc));
		return rc;
	}
	/* Every thread as strict replay left it. */
	{
		struct st_thread *order[1024];
		size_t n = 0, i;

		for (th = R->threads; th && n < FR_ARRAY_SIZE(order); th = th->next)
			order[n++] = th;
		for (i = n; i-- > 0;) {
			struct wi_thread *wt;

			th = order[i];
			wt = wi_thread_of(R, th);
			if (!wt)
				return -ENOMEM;
			if (th->st != S_GONE)
				wt->cpu_ns = cpu_ns(wt);
			switch (th->st) {
			case S_GONE:
				wt->ws = W_GONE;
				break;
			case S_RUNNING:
			case S_EXITING:
				wt->ws = W_RUN;
				wt->run_since_ms = wall_ns() / 1000000;
				break;
			case S_IN_UNORDERED:
			case S_IN_REAL:
				wt->ws = th->would_block ? W_REAL : W_RUN;
				wt->run_since_ms = wall_ns() / 1000000;
				break;
			case S_MID:
				wt->ws = W_READY;
				wt->at_call = th->wait_served && th->t->state == RP_TS_ENTER;
				th->wait_served = false;
				enqueue(R, wt);
				break;
			case S_SERVED:
				if (reissue(R, th) &&
				    rp_thread__restart(th->t, th->cur->sc.nr) == 0) {
					st_vlog(R, "what-if: %d makes its %s again", th->t->tid,
						fr_syscall_name((unsigned)th->cur->sc.nr)
						    ? fr_syscall_name((unsigned)th->cur->sc.nr)
						    : "call");
					th->cur = NULL;
				}
				wt->ws = W_READY;
				wt->at_call = false;
				enqueue(R, wt);
				break;
			case S_REAL_DONE:
			case S_HELD:
				wt->ws = W_READY;
				wt->at_call = false;
				enqueue(R, wt);
				break;
			default: /* at the entry of a call: the model's now */
				wt->ws = W_READY;
				wt->at_call = th->t->state == RP_TS_ENTER;
				enqueue(R, wt);
				break;
			}
		}
	}
	st_vlog(R, "what-if: the model takes over at +%.1f ms", wi_ms(W, W->vnow));
	loop(R);
	wi_report_finish(R);
	return 0;
}
