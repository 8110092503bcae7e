// SPDX-License-Identifier: MIT
/*
 * critpath.c: the critical path of a thread over an interval, by the active
 * path method (F. Giraldeau and M. Dagenais, "Wait analysis of distributed
 * systems using kernel tracing", IEEE TPDS 2016; Trace Compass's "critical
 * path" analysis).
 *
 * Walk the thread's states backwards from the end of the interval.  Running
 * and runnable time is the thread's own (runnable time is charged to whoever
 * held the CPU).  A blocked interval is explained by what ended it: when a
 * task woke the thread (or wrote the data it read, or released the futex it
 * waited on, or exited as the child it waited for), the walk continues on
 * that task over the blocked interval, recursively; the blocked time is
 * replaced by what the other task was doing meanwhile.  When an interrupt, a
 * timer, the network or the disk ended the wait, or nothing recorded did, the
 * blocked interval is a leaf, classified by how it ended and by what it
 * waited on.
 *
 * Where two tasks could explain the same wait (the task that woke the thread
 * and the task that wrote the data it read), both walks are made and the one
 * that explains more time (less of it unknown) is kept.
 *
 * The result covers [start, end] exactly: durations of the segments sum to
 * end - start.
 */
#include <errno.h>
#include <string.h>

#include "analyze/internal.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define ALT_MAX_DEPTH 3 /* alternatives are compared only this close to the incident */

struct walk {
	const struct fa_model *m;
	struct fa_walk_opts o;
	struct fa_segment *seg; /* reverse time order while walking */
	uint32_t n, cap;
	uint64_t steps;
	bool truncated;
	bool oom;
	struct {
		uint64_t bucket; /* FA_MEM_BUCKET_NS bucket + 1, 0 = not computed */
		uint32_t culprit;
	} * memcg_cache;    /* per process */
	uint32_t root_wait; /* the incident thread's wait being explained */
};

/* ---- culprits ------------------------------------------------------------------- */

static bool same_memcg(const struct fa_process *a, const struct fa_process *b)
{
	if (a->memcg && b->memcg)
		return a->memcg == b->memcg;
	if (a->cgroup && b->cgroup)
		return !strcmp(a->cgroup, b->cgroup);
	/* nothing tells them apart (e.g. a recorded tree without cgroup data):
	 * assume one memory domain */
	return true;
}

uint32_t fa_memcg_culprit(const struct fa_model *m, uint32_t thread, uint64_t ts)
{
	const struct fa_process *self, *best = NULL;
	uint64_t best_mem = 0, self_mem;
	uint32_t i;

	if (thread >= m->n_threads)
		return FA_NONE;
	self = fa_model__find_process(m, m->threads[thread].pid);
	if (!self)
		return thread;
	for (i = 0; i < m->n_procs; i++) {
		const struct fa_process *p = &m->procs[i];
		uint64_t mem;

		if (!same_memcg(self, p))
			continue;
		mem = fa_process__mem_at(p, ts);
		if (!best || mem > best_mem ||
		    (mem == best_mem && p->ns_reclaim > best->ns_reclaim)) {
			best = p;
			best_mem = mem;
		}
	}
	if (!best || best == self || best->main == FA_NONE)
		return thread;
	/* only blame another process when it holds clearly more */
	self_mem = fa_process__mem_at(self, ts);
	if (best_mem <= self_mem + self_mem / 4)
		return thread;
	return best->main;
}

static uint32_t memcg_culprit_cached(struct walk *w, uint32_t thread, uint64_t ts)
{
	const struct fa_model *m = w->m;
	uint32_t pi = fa_model__proc_index(m, m->threads[thread].pid);
	uint64_t bucket = ts / FA_MEM_BUCKET_NS + 1;

	/* memory moves by buckets: reuse the answer within one */
	if (pi == FA_NONE || !w->memcg_cache)
		return fa_memcg_culprit(m, thread, ts);
	if (w->memcg_cache[pi].bucket != bucket) {
		w->memcg_cache[pi].bucket = bucket;
		w->memcg_cache[pi].culprit = fa_memcg_culprit(m, thread, ts);
	}
	return w->memcg_cache[pi].culprit;
}

static uint32_t memcg_culprit_cached(struct walk *w, uint32_t thread, uint64_t ts);

/*
 * Who to blame for a major fault of `thread` at ts: a fault reads back a
 * page that was evicted, and when reclaim ran in the thread's memory cgroup
 * in the FA_MEM_CACHE_WINDOW_NS before, the page was likely evicted for the
 * process that filled it.  Otherwise the thread's own.
 */
static uint32_t fault_culprit(struct walk *w, uint32_t thread, uint64_t ts)
{
	const struct fa_model *m = w->m;
	const struct fa_process *self = fa_model__find_process(m, m->threads[thread].pid);
	uint64_t since = ts > FA_MEM_CACHE_WINDOW_NS ? ts - FA_MEM_CACHE_WINDOW_NS : 0;
	uint32_t lo = 0, hi = m->n_reclaims;

	if (!self)
		return thread;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (m->reclaims[mid].end_ns < since)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n_reclaims && m->reclaims[lo].start_ns <= ts; lo++) {
		const struct fa_span *r = &m->reclaims[lo];
		const struct fa_process *p;

		if (r->kind == FR_RECLAIM_KSWAPD || r->thread >= m->n_threads)
			continue;
		p = fa_model__find_process(m, m->threads[r->thread].pid);
		if (p && same_memcg(self, p))
			return memcg_culprit_cached(w, thread, ts);
	}
	return thread;
}

/* First index of a sorted-by-time array whose key is >= ts. */
#define LOWER_BOUND(arr, n, field, ts, out)                                                        \
	do {                                                                                       \
		uint32_t lo_ = 0, hi_ = (n);                                                       \
		while (lo_ < hi_) {                                                                \
			uint32_t mid_ = lo_ + (hi_ - lo_) / 2;                                     \
			if ((arr)[mid_].field < (ts))                                              \
				lo_ = mid_ + 1;                                                    \
			else                                                                       \
				hi_ = mid_;                                                        \
		}                                                                                  \
		(out) = lo_;                                                                       \
	} while (0)

uint32_t fa_disk_culprit(const struct fa_model *m, uint32_t thread, uint64_t s, uint64_t e,
			 uint32_t *n_bios, uint64_t *bytes)
{
	uint32_t i, k, best = FA_NONE, seen = 0;
	uint64_t best_bytes = 0, total = 0;
	struct {
		uint32_t t;
		uint64_t b;
	} acc[8];
	uint32_t n_acc = 0;

	LOWER_BOUND(m->bios, m->n_bios, complete_ns, s, i);
	for (; i < m->n_bios && m->bios[i].complete_ns <= e && seen < 100000; i++, seen++) {
		const struct fa_bio *b = &m->bios[i];

		total += b->bytes;
		for (k = 0; k < n_acc && acc[k].t != b->thread; k++)
			;
		if (k == n_acc) {
			if (n_acc == FR_ARRAY_SIZE(acc))
				continue;
			acc[n_acc].t = b->thread;
			acc[n_acc++].b = 0;
		}
		acc[k].b += b->bytes ? b->bytes : 1;
	}
	for (k = 0; k < n_acc; k++)
		if (acc[k].t != FA_NONE && acc[k].b > best_bytes) {
			best = acc[k].t;
			best_bytes = acc[k].b;
		}
	if (n_bios)
		*n_bios = seen;
	if (bytes)
		*bytes = total;
	return best != FA_NONE ? best : thread;
}

uint32_t fa_tcp_retransmits(const struct fa_model *m, uint32_t res, uint64_t s, uint64_t e)
{
	const struct fa_resource *r;
	uint32_t i, n = 0;

	if (res >= m->n_res || m->res[res].kind != FA_RES_TCP)
		return 0;
	r = &m->res[res];
	LOWER_BOUND(m->tcp, m->n_tcp, ts, s, i);
	for (; i < m->n_tcp && m->tcp[i].ts <= e; i++) {
		const struct fa_resource *o = &m->res[m->tcp[i].res];

		if (m->tcp[i].type != FR_EV_TCP_RETRANSMIT)
			continue;
		if (!memcmp(&o->tuple, &r->tuple, sizeof(r->tuple)) ||
		    (o->tuple.sport == r->tuple.dport && o->tuple.dport == r->tuple.sport &&
		     !memcmp(o->tuple.saddr, r->tuple.daddr, 16) &&
		     !memcmp(o->tuple.daddr, r->tuple.saddr, 16)))
			n++;
	}
	return n;
}

/* The thread that woke a futex waiter at `wake` by a futex wake on `res`. */
static uint32_t futex_waker(const struct fa_model *m, uint32_t res, uint64_t wake)
{
	uint32_t i;

	LOWER_BOUND(m->fwakes, m->n_fwakes, exit_ns, wake, i);
	for (; i < m->n_fwakes && i < m->n_fwakes; i++) {
		const struct fa_futex_wake *f = &m->fwakes[i];

		if (f->enter_ns > wake)
			break;
		if (f->res == res)
			return f->thread;
	}
	return FA_NONE;
}

/*
 * The thread whose exit ended a wait4/waitid on `res` during [s, e]: the
 * awaited child, or for "any child" the waiter's child process that exited
 * last in that time.  FA_NONE when none did.
 */
static uint32_t child_exit_thread(const struct fa_model *m, uint32_t waiter, uint32_t res,
				  uint64_t s, uint64_t e)
{
	const struct fa_resource *r = &m->res[res];
	const struct fa_process *best = NULL;
	uint32_t i;

	if ((int64_t)r->addr > 0) {
		const struct fa_process *p = fa_model__find_process(m, (uint32_t)r->addr);

		if (p && (p->flags & FA_TH_EXITED) && p->exit_ns >= s && p->exit_ns <= e)
			best = p;
	} else {
		for (i = 0; i < m->n_procs; i++) {
			const struct fa_process *p = &m->procs[i];

			if (p->ppid == m->threads[waiter].pid && (p->flags & FA_TH_EXITED) &&
			    p->exit_ns >= s && p->exit_ns <= e &&
			    (!best || p->exit_ns > best->exit_ns))
				best = p;
		}
	}
	if (!best)
		return FA_NONE;
	return best->exit_thread != FA_NONE ? best->exit_thread : best->main;
}

/* ---- categories ------------------------------------------------------------------ */

unsigned fa_category_of_wait(const struct fa_model *m, uint32_t wait)
{
	const struct fa_wait *w;
	const struct fr_syscall_desc *d;
	unsigned rk;

	if (wait >= m->n_waits)
		return FA_CAT_UNKNOWN;
	w = &m->waits[wait];
	rk = w->res < m->n_res ? m->res[w->res].kind : FA_RES_UNKNOWN;
	switch (w->wait_kind) {
	case FR_WAIT_POLL:
		/* a poll for input on one stream waits like a read of it */
		if (rk == FA_RES_UNKNOWN || w->res >= m->n_res)
			return FA_CAT_UNKNOWN;
		/* fall through */
	case FR_WAIT_IO:
	case FR_WAIT_NET:
		switch (rk) {
		case FA_RES_FILE:
		case FA_RES_BLK:
			return FA_CAT_DISK;
		case FA_RES_TCP:
		case FA_RES_UDP:
		case FA_RES_SOCKET:
			return FA_CAT_NETWORK;
		case FA_RES_PIPE:
		case FA_RES_UNIX:
		case FA_RES_ANON:
		case FA_RES_CHR:
			return FA_CAT_IPC;
		default:
			return w->wait_kind == FR_WAIT_NET ? FA_CAT_NETWORK : FA_CAT_UNKNOWN;
		}
	case FR_WAIT_SLEEP:
		return FA_CAT_SLEEP;
	case FR_WAIT_LOCK:
		return FA_CAT_LOCK;
	case FR_WAIT_CHILD:
	case FR_WAIT_SIGNAL:
		return FA_CAT_IPC;
	case FR_WAIT_SYNC:
		return FA_CAT_DISK;
	default:
		d = fr_syscall(w->nr);
		if (d && (d->cls & (FR_SCC_FILE | FR_SCC_STAT | FR_SCC_STATFS)))
			return FA_CAT_DISK;
		return FA_CAT_UNKNOWN;
	}
}

/* ---- emitting ------------------------------------------------------------------- */

static void emit(struct walk *w, const struct fa_segment *in)
{
	struct fa_segment *l, *n, c = *in;

	if (c.end_ns <= c.start_ns)
		return;
	/* the incident thread's own time explains its own wait */
	c.root_wait = c.depth == 0 ? c.wait : w->root_wait;
	if (w->n) {
		l = &w->seg[w->n - 1];
		/* l is later in time: merge when contiguous and alike */
		if (l->start_ns == c.end_ns && l->thread == c.thread && l->state == c.state &&
		    l->category == c.category && l->culprit == c.culprit && l->wait == c.wait &&
		    l->res == c.res && l->from == c.from && l->via == c.via &&
		    l->depth == c.depth && l->flags == c.flags && l->wake_ctx == c.wake_ctx &&
		    l->root_wait == c.root_wait) {
			l->start_ns = c.start_ns;
			return;
		}
	}
	if (w->n >= w->o.max_segments) {
		w->truncated = true;
		return;
	}
	n = FA_PUSH(w->seg, w->n, w->cap);
	if (!n) {
		w->oom = true;
		return;
	}
	*n = c;
}

static struct fa_segment seg_init(uint32_t thread, uint64_t s, uint64_t e, unsigned state,
				  unsigned depth, unsigned via, uint32_t from)
{
	struct fa_segment g;

	memset(&g, 0, sizeof(g));
	g.start_ns = s;
	g.end_ns = e;
	g.thread = thread;
	g.culprit = thread;
	g.wait = FA_NONE;
	g.res = FA_NONE;
	g.from = from;
	g.state = (uint8_t)state;
	g.depth = (uint16_t)depth;
	g.via = (uint8_t)via;
	g.root_wait = FA_NONE;
	return g;
}

/* Runnable time: charged to whoever ran on the run queue's CPU meanwhile. */
static void emit_runnable(struct walk *w, const struct fa_segment *base, unsigned cpu)
{
	const struct fa_model *m = w->m;
	const struct fa_cpu *c = cpu < m->n_cpus ? &m->cpus[cpu] : NULL;
	struct fa_segment g = *base;
	uint64_t cur = base->end_ns;
	long j;

	g.category = FA_CAT_CPU;
	if (!c || !c->n) {
		g.culprit = FA_NONE;
		emit(w, &g);
		return;
	}
	{
		uint32_t lo;

		LOWER_BOUND(c->runs, c->n, ts, cur, lo);
		j = (long)lo - 1; /* last run starting before cur */
	}
	while (cur > base->start_ns) {
		uint64_t s;

		w->steps++;
		if (j < 0) {
			g.start_ns = base->start_ns;
			g.end_ns = cur;
			g.culprit = FA_NONE;
			emit(w, &g);
			break;
		}
		s = FR_MAX(c->runs[j].ts, base->start_ns);
		g.start_ns = s;
		g.end_ns = cur;
		g.culprit = c->runs[j].thread == base->thread ? FA_NONE : c->runs[j].thread;
		emit(w, &g);
		cur = s;
		j--;
		if (w->steps > w->o.max_steps) {
			w->truncated = true;
			if (cur > base->start_ns) {
				g.start_ns = base->start_ns;
				g.end_ns = cur;
				g.culprit = FA_NONE;
				emit(w, &g);
			}
			break;
		}
	}
}

static uint64_t explained_since(const struct walk *w, uint32_t n0)
{
	uint64_t x = 0;
	uint32_t i;

	for (i = n0; i < w->n; i++)
		if (w->seg[i].category != FA_CAT_UNKNOWN)
			x += w->seg[i].end_ns - w->seg[i].start_ns;
	return x;
}

static uint64_t walk(struct walk *w, uint32_t th, uint64_t a, uint64_t b, unsigned depth,
		     unsigned via, uint32_t from);

unsigned fa_via_of_wait(const struct fa_model *m, uint32_t wait)
{
	const struct fa_wait *wt = wait < m->n_waits ? &m->waits[wait] : NULL;
	unsigned rk = wt && wt->res < m->n_res ? m->res[wt->res].kind : FA_RES_UNKNOWN;

	switch (rk) {
	case FA_RES_PIPE:
		return FA_VIA_PIPE;
	case FA_RES_UNIX:
		return FA_VIA_UNIX;
	case FA_RES_TCP:
		return FA_VIA_TCP;
	case FA_RES_FUTEX:
		return FA_VIA_FUTEX;
	case FA_RES_CHILD:
		return FA_VIA_CHILD;
	default:
		return FA_VIA_WAKEUP;
	}
}

/* The edge kind from a waiter blocked in `wait` to the task `cause`. */
static unsigned via_of(const struct fa_model *m, uint32_t waiter, uint32_t wait, uint32_t cause,
		       uint64_t wake)
{
	unsigned via = fa_via_of_wait(m, wait);
	uint32_t i;

	if (via != FA_VIA_WAKEUP)
		return via;
	/* a signal sent by the cause to the waiter just before the wakeup */
	LOWER_BOUND(m->signals, m->n_signals, ts, wake > 1000000 ? wake - 1000000 : 0, i);
	for (; i < m->n_signals && m->signals[i].ts <= wake; i++)
		if (m->signals[i].sender == cause &&
		    (m->signals[i].target_tid == m->threads[waiter].tid ||
		     m->signals[i].target_pid == m->threads[waiter].pid))
			return FA_VIA_SIGNAL;
	return FA_VIA_WAKEUP;
}

/* Is thread t's timeline known over most of [s, e] (worth walking)? */
static bool tracked(const struct fa_model *m, uint32_t t, uint64_t s, uint64_t e)
{
	const struct fa_thread *th;

	if (t >= m->n_threads)
		return false;
	th = &m->threads[t];
	if (!th->n_iv || (th->flags & FA_TH_KERNEL) || !(th->flags & FA_TH_RECORDED))
		return false;
	return th->iv[0].start <= s + (e - s) / 2;
}

/* A blocked interval as a leaf: its category and culprit from how it ended
 * and what it waited on (docs/analysis.md, "Leaves"). */
static void classify_blocked(struct walk *w, struct fa_segment *gp, const struct fa_interval *iv,
			     uint32_t waker, uint64_t iv_start, uint64_t iv_end)
{
#define g (*gp)
	const struct fa_model *m = w->m;
	const struct fa_wait *wt = iv->wait < m->n_waits ? &m->waits[iv->wait] : NULL;
	unsigned cat;

	g.flags |= FA_SEGF_LEAF_BLOCKED;
	g.wake_ctx = (iv->flags & FA_IVF_WOKEN) ? iv->wake_ctx : 0xff;
	g.res = wt ? wt->res : FA_NONE;
	if (iv->flags & FA_IVF_RECLAIM) {
		cat = FA_CAT_RECLAIM;
	} else if ((iv->flags & FA_IVF_FAULT) && (!wt || (iv->flags & FA_IVF_MAJOR))) {
		cat = FA_CAT_FAULT;
	} else if ((iv->flags & FA_IVF_WOKEN) &&
		   (iv->wake_ctx == FR_CTX_TIMER || (iv->wake_ctx == FR_CTX_SOFTIRQ &&
						     (iv->wake_info == 1 || iv->wake_info == 8))) &&
		   (!wt || wt->wait_kind == FR_WAIT_SLEEP || wt->wait_kind == FR_WAIT_NONE)) {
		cat = FA_CAT_SLEEP; /* a timer ended it: sleeping, or waiting for a timeout */
	} else if ((iv->flags & FA_IVF_WOKEN) && iv->wake_ctx == FR_CTX_SOFTIRQ &&
		   (iv->wake_info == 2 || iv->wake_info == 3)) {
		cat = FA_CAT_NETWORK; /* NET_TX / NET_RX */
	} else if ((iv->flags & FA_IVF_WOKEN) && iv->wake_ctx == FR_CTX_SOFTIRQ &&
		   (iv->wake_info == 4 || iv->wake_info == 5)) {
		cat = FA_CAT_DISK; /* BLOCK / IRQ_POLL */
	} else if (wt) {
		cat = fa_category_of_wait(m, iv->wait);
		if (cat == FA_CAT_UNKNOWN && (iv->flags & FA_IVF_WOKEN) &&
		    iv->wake_ctx != FR_CTX_TASK) {
			uint32_t nb = 0;

			fa_disk_culprit(m, g.thread, iv_start, iv_end, &nb, NULL);
			if (nb)
				cat = FA_CAT_DISK;
		}
	} else {
		cat = FA_CAT_UNKNOWN;
	}
	g.category = (uint8_t)cat;
	switch (cat) {
	case FA_CAT_RECLAIM:
		g.culprit = memcg_culprit_cached(w, g.thread, g.start_ns);
		break;
	case FA_CAT_DISK:
		g.culprit = fa_disk_culprit(m, g.thread, iv_start, iv_end, NULL, NULL);
		break;
	case FA_CAT_FAULT:
		g.culprit =
		    (iv->flags & FA_IVF_MAJOR) ? fault_culprit(w, g.thread, g.start_ns) : g.thread;
		break;
	case FA_CAT_NETWORK:
		g.culprit = FA_NONE; /* the peer, outside */
		if (fa_tcp_retransmits(m, g.res, iv_start, iv_end))
			g.flags |= FA_SEGF_RETRANSMIT;
		break;
	case FA_CAT_LOCK:
	case FA_CAT_IPC:
	case FA_CAT_UNKNOWN:
		if (waker == FA_NONE && wt && g.res < m->n_res &&
		    m->res[g.res].kind == FA_RES_FUTEX)
			waker = futex_waker(m, g.res, iv_end);
		g.culprit = waker;
		break;
	default:
		g.culprit = g.thread;
		break;
	}
#undef g
}

static uint64_t walk_blocked(struct walk *w, uint32_t th, long i, uint64_t s, uint64_t e,
			     unsigned depth, unsigned via, uint32_t from)
{
	const struct fa_model *m = w->m;
	const struct fa_thread *t = &m->threads[th];
	const struct fa_interval *iv = &t->iv[i];
	const struct fa_wait *wt = iv->wait < m->n_waits ? &m->waits[iv->wait] : NULL;
	uint64_t iv_start = iv->start, iv_end = fa_thread__interval_end(t, (uint32_t)i);
	uint32_t waker = FA_NONE, writer = FA_NONE, cand[2], n_cand = 0, k;
	unsigned cvia[2];
	struct fa_segment g = seg_init(th, s, e, FA_ST_BLOCKED, depth, via, from);
	uint32_t n0 = w->n;

	g.wait = iv->wait;
	if ((iv->flags & FA_IVF_WOKEN) && iv->wake_ctx == FR_CTX_TASK)
		waker = iv->waker;
	if (wt && wt->res < m->n_res && m->res[wt->res].kind == FA_RES_FUTEX && waker == FA_NONE &&
	    (iv->flags & FA_IVF_WOKEN))
		waker = futex_waker(m, wt->res, iv_end);
	/* a child's exit ends a wait for it, whoever delivers the news (under
	 * ptrace, e.g. `flightrec record`, the tracer wakes the parent) */
	if (wt && wt->res < m->n_res && m->res[wt->res].kind == FA_RES_CHILD &&
	    (iv->flags & FA_IVF_WOKEN))
		writer = child_exit_thread(m, th, wt->res, iv_start, iv_end);
	if (wt &&
	    (wt->dir == FA_DIR_READ || (wt->wait_kind == FR_WAIT_POLL && wt->res != FA_NONE))) {
		uint32_t st = fa_model__stream_of_res(m, wt->res, FA_DIR_READ);
		const struct fa_flow *f =
		    st != FA_NONE ? fa_stream__writer(m, st, iv_start, iv_end) : NULL;

		if (f && f->thread != th)
			writer = f->thread;
		/* Nothing arrived before the wait ended (a timeout): the peer
		 * that answered later, after the thread had sent its request,
		 * was still working on the answer meanwhile.  Its time over the
		 * wait is what the thread waited for. */
		if (!f && waker == FA_NONE && st != FA_NONE) {
			f = fa_stream__late_writer(m, st, wt->res, th, iv_start, iv_end);
			if (f && f->thread != th)
				writer = f->thread;
		}
	}
	if (depth < w->o.max_depth) {
		if (waker != FA_NONE && waker != th && tracked(m, waker, s, e)) {
			cvia[n_cand] = via_of(m, th, iv->wait, waker, iv_end);
			cand[n_cand++] = waker;
		}
		if (writer != FA_NONE && writer != waker && tracked(m, writer, s, e) &&
		    (n_cand == 0 || depth < ALT_MAX_DEPTH)) {
			cvia[n_cand] = via_of(m, th, iv->wait, writer, iv_end);
			cand[n_cand++] = writer;
		}
	}
	if (!n_cand) {
		classify_blocked(w, &g, iv, waker != FA_NONE ? waker : writer, iv_start, iv_end);
		emit(w, &g);
		return g.category != FA_CAT_UNKNOWN ? e - s : 0;
	}
	if (depth == 0)
		w->root_wait = iv->wait;
	if (n_cand == 1) {
		uint64_t x = walk(w, cand[0], s, e, depth + 1, cvia[0], th);

		x = explained_since(w, n0);
		if (x * 2 < e - s && !w->truncated) {
			/* the other task's timeline says little: the wait itself may say more */
			classify_blocked(w, &g, iv, cand[0], iv_start, iv_end);
			if (g.category != FA_CAT_UNKNOWN) {
				w->n = n0;
				emit(w, &g);
				return e - s;
			}
		}
		return x;
	}
	/* two candidates: keep the walk that explains more */
	{
		struct fa_segment *save = NULL;
		uint32_t n_save = 0;
		uint64_t x[2];

		walk(w, cand[0], s, e, depth + 1, cvia[0], th);
		x[0] = explained_since(w, n0);
		n_save = w->n - n0;
		save = malloc((size_t)(n_save ? n_save : 1) * sizeof(*save));
		if (!save) {
			w->oom = true;
			return x[0];
		}
		memcpy(save, &w->seg[n0], (size_t)n_save * sizeof(*save));
		w->n = n0;
		walk(w, cand[1], s, e, depth + 1, cvia[1], th);
		x[1] = explained_since(w, n0);
		k = x[1] > x[0] ? 1 : 0;
		if (k == 0) {
			w->n = n0;
			for (uint32_t j = 0; j < n_save && !w->oom; j++) {
				struct fa_segment *d = FA_PUSH(w->seg, w->n, w->cap);

				if (!d)
					w->oom = true;
				else
					*d = save[j];
			}
		}
		free(save);
		return x[k];
	}
}

/*
 * Append (in reverse time order) the segments explaining [a, b] of thread
 * th.  Returns the time explained (not unknown).
 */
static uint64_t walk(struct walk *w, uint32_t th, uint64_t a, uint64_t b, unsigned depth,
		     unsigned via, uint32_t from)
{
	const struct fa_model *m = w->m;
	const struct fa_thread *t = &m->threads[th];
	uint64_t cur = b, x = 0;
	long i;

	if (b <= a)
		return 0;
	i = fa_thread__interval_at(t, b - 1);
	while (cur > a && !w->oom) {
		const struct fa_interval *iv;
		struct fa_segment g;
		uint64_t s;

		if (++w->steps > w->o.max_steps)
			w->truncated = true;
		if (w->truncated) {
			/* out of budget: the rest stays with this thread, unexplained
			 * (pushed past the segment cap: at most one per open level) */
			struct fa_segment *d = FA_PUSH(w->seg, w->n, w->cap);

			g = seg_init(th, a, cur, FA_ST_UNKNOWN, depth, via, from);
			g.category = FA_CAT_UNKNOWN;
			g.culprit = FA_NONE;
			if (d)
				*d = g;
			else
				w->oom = true;
			break;
		}
		if (i < 0) {
			/* before the thread's first state: its creator, or unknown */
			if ((t->flags & FA_TH_FORKED) && t->parent != FA_NONE && t->parent != th &&
			    depth < w->o.max_depth && t->birth_ns > a) {
				uint64_t bt = FR_MIN(t->birth_ns, cur);

				if (bt < cur) {
					g = seg_init(th, bt, cur, FA_ST_UNKNOWN, depth, via, from);
					g.category = FA_CAT_UNKNOWN;
					g.culprit = FA_NONE;
					emit(w, &g);
				}
				x += walk(w, t->parent, a, bt, depth + 1, FA_VIA_FORK, th);
			} else {
				g = seg_init(th, a, cur, FA_ST_UNKNOWN, depth, via, from);
				g.category = FA_CAT_UNKNOWN;
				g.culprit = FA_NONE;
				emit(w, &g);
			}
			break;
		}
		iv = &t->iv[i];
		s = FR_MAX(iv->start, a);
		g = seg_init(th, s, cur, iv->state, depth, via, from);
		g.wait = iv->wait;
		if (g.wait < m->n_waits)
			g.res = m->waits[g.wait].res;
		switch (iv->state) {
		case FA_ST_RUNNING:
			if (iv->flags & FA_IVF_RECLAIM) {
				g.category = FA_CAT_RECLAIM;
				g.culprit = memcg_culprit_cached(w, th, s);
			} else if (iv->flags & FA_IVF_FAULT) {
				g.category = FA_CAT_FAULT;
				if (iv->flags & FA_IVF_MAJOR)
					g.culprit = fault_culprit(w, th, s);
			} else {
				g.category = FA_CAT_RUNNING;
			}
			emit(w, &g);
			x += cur - s;
			break;
		case FA_ST_RUNNABLE:
			emit_runnable(w, &g, iv->cpu);
			x += cur - s;
			break;
		case FA_ST_BLOCKED:
			x += walk_blocked(w, th, i, s, cur, depth, via, from);
			break;
		default:
			g.category = FA_CAT_UNKNOWN;
			g.culprit = FA_NONE;
			emit(w, &g);
			break;
		}
		cur = s;
		i--;
	}
	return x;
}

int fa_critpath__walk(const struct fa_model *m, uint32_t thread, uint64_t start, uint64_t end,
		      const struct fa_walk_opts *o, struct fa_segment **out, uint32_t *n,
		      bool *truncated)
{
	struct walk w;
	uint32_t i;

	*out = NULL;
	*n = 0;
	if (truncated)
		*truncated = false;
	if (thread >= m->n_threads || end < start)
		return -EINVAL;
	memset(&w, 0, sizeof(w));
	w.m = m;
	if (o)
		w.o = *o;
	if (!w.o.max_depth)
		w.o.max_depth = 32;
	if (!w.o.max_steps)
		w.o.max_steps = 20000000;
	if (!w.o.max_segments)
		w.o.max_segments = 100000;
	w.memcg_cache = calloc(m->n_procs ? m->n_procs : 1, sizeof(*w.memcg_cache));
	walk(&w, thread, start, end, 0, FA_VIA_SELF, FA_NONE);
	free(w.memcg_cache);
	if (w.oom) {
		free(w.seg);
		return -ENOMEM;
	}
	/* reverse into time order */
	for (i = 0; i < w.n / 2; i++) {
		struct fa_segment tmp = w.seg[i];

		w.seg[i] = w.seg[w.n - 1 - i];
		w.seg[w.n - 1 - i] = tmp;
	}
	*out = w.seg;
	*n = w.n;
	if (truncated)
		*truncated = w.truncated;
	return 0;
}

unsigned fa_interval_category(const struct fa_model *m, uint32_t thread, uint32_t i)
{
	const struct fa_thread *t = &m->threads[thread];
	const struct fa_interval *iv = &t->iv[i];
	struct walk w;
	struct fa_segment g;

	switch (iv->state) {
	case FA_ST_RUNNING:
		if (iv->flags & FA_IVF_RECLAIM)
			return FA_CAT_RECLAIM;
		return (iv->flags & FA_IVF_FAULT) ? FA_CAT_FAULT : FA_CAT_RUNNING;
	case FA_ST_RUNNABLE:
		return FA_CAT_CPU;
	case FA_ST_BLOCKED:
		memset(&w, 0, sizeof(w));
		w.m = m;
		g = seg_init(thread, iv->start, fa_thread__interval_end(t, i), FA_ST_BLOCKED, 0,
			     FA_VIA_SELF, FA_NONE);
		classify_blocked(&w, &g, iv, FA_NONE, g.start_ns, g.end_ns);
		return g.category;
	default:
		return FA_CAT_UNKNOWN;
	}
}
