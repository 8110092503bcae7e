// SPDX-License-Identifier: MIT
/*
 * model.c: one pass over a bundle's events builds the analysis model
 * (analyze/analyze.h): per-thread state intervals, blocked system calls,
 * wakeups with their waker, per-CPU run timelines, resources behind fds, data
 * flow on pipes and sockets, block I/O, reclaim and faults, futex wakes,
 * signals, TCP trouble, lifecycle and per-thread syscall statistics.
 *
 * Events arrive in time order.  Span events (syscall, page fault, reclaim)
 * arrive at their end, so what they cover is applied to the intervals already
 * built: a syscall names the wait of the off-CPU intervals inside it, a fault
 * or reclaim span sets a flag on the intervals inside it (splitting at its
 * start).
 *
 * Nothing of an event is kept but what the analysis needs, in fixed-size
 * records; variable-size data (paths) is kept once per resource.  The inputs
 * are hostile: ids, cpus and counts are bounded, strings are cut at their
 * buffer size, payload lengths are checked before use.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define MAX_CPUS 4096	  /* cpu numbers above are treated as corrupt */
#define MAX_FD (1u << 20) /* fd numbers above are not tracked */
#define MAX_SIGNALS (1u << 20)
#define MAX_TCP_EVENTS (1u << 22)
#define MAX_LOSS_RECORDS (1u << 16)
#define MAX_ERRORS (1u << 16)
#define PAGE_BYTES 4096

/* Errors that make an incident (docs/analysis.md).  Routine ones (ENOENT,
 * EAGAIN, EINTR, ...) are not. */
static const int incident_errnos[] = {
    ETIMEDOUT, ECONNRESET, EPIPE,  ECONNREFUSED, ECONNABORTED, EHOSTUNREACH, ENETUNREACH, ENETDOWN,
    EHOSTDOWN, EIO,	   ENOSPC, EDQUOT,	 ENOMEM,       EROFS,	     ESTALE,	  ENOLINK,
    EREMOTEIO, ENOBUFS,	   EMFILE, ENFILE,	 EDEADLK,      EOWNERDEAD,
};

/* fd table entry flags */
#define FDE_CLOEXEC 0x01
#define FDE_BORN 0x02
#define FDE_CLIENT 0x04
#define FDE_SERVER 0x08
#define FDE_USED 0x80

struct fdent {
	uint32_t res;  /* FA_NONE until known */
	uint8_t type;  /* enum fr_fd_type (when res is not known yet) */
	uint8_t flags; /* FDE_* */
	uint8_t side;  /* socketpair end (0 or 1) */
	uint8_t reserved;
	uint32_t pair; /* socketpair it came from: index + 1, 0 none */
};

/* The two ends of a socketpair: their resources once fdinfo names them. */
struct upair {
	uint32_t res[2];
};

struct range {
	uint64_t start, end;
};

struct proc_build {
	struct fdent *fds;
	uint32_t n_fds, cap_fds;
	uint64_t brk;
	struct range *anon; /* anonymous mappings, unsorted, disjoint */
	uint32_t n_anon, cap_anon;
};

/* A thread's request/response turns on one socket fd. */
struct req_track {
	uint32_t thread;
	int32_t fd;
	uint32_t res;
	uint8_t role;	  /* 0 unknown, 1 client, 2 server */
	uint8_t dir;	  /* direction of the current turn */
	uint8_t prev_dir; /* of the turn before */
	uint8_t reserved;
	uint64_t cur_first_enter, cur_last_exit;
	uint64_t prev_first_enter, prev_last_exit;
	struct fr_event_ref ref; /* last operation */
};

struct pending_bio {
	uint64_t ts;
	uint32_t thread;
};

struct fa_build {
	struct fa_options o;
	struct fa_map tid2th;	 /* (tid, 0) -> latest thread */
	struct fa_map pid2proc;	 /* (pid, 0) -> latest process */
	struct fa_map statmap;	 /* (thread, nr) -> stat */
	struct fa_map errmap;	 /* (thread, nr << 32 | errno) -> error */
	struct fa_map resmap;	 /* identity -> resource */
	struct fa_map streammap; /* identity -> stream */
	struct fa_map reqmap;	 /* (thread, fd) -> req_track */
	struct fa_map biomap;	 /* (dev, sector) -> pending issue */
	struct proc_build *pb;	 /* parallel to model->procs */
	uint32_t cap_pb;
	struct req_track *reqs;
	uint32_t n_reqs, cap_reqs;
	struct pending_bio *pend;
	uint32_t n_pend, cap_pend;
	struct upair *pairs;
	uint32_t n_pairs, cap_pairs;
	uint64_t n_flows;
	/* a direct-mapped cache in front of tid2th: most events name a few
	 * threads over and over (slot: tid + 1 and thread index) */
	uint32_t tc_tid[1024];
	uint32_t tc_idx[1024];
	/* the same in front of statmap: (thread + 1, nr) -> stat */
	uint32_t sc_th[1024], sc_nr[1024], sc_idx[1024];
	const struct fa_sysnr *nr;
	uint64_t next_progress;
	uint64_t total_events;
	bool oom;
};

/* ---- threads and processes ------------------------------------------------------ */

static bool is_kernel_comm(const char *c)
{
	static const char *const prefixes[] = {
	    "kworker",	  "ksoftirqd",	 "kswapd",    "kcompactd",  "jbd2",
	    "migration/", "rcu_",	 "irq/",      "khugepaged", "kthreadd",
	    "cpuhp/",	  "idle_inject", "writeback", "kblockd",    "scsi_",
	    "xfs",	  "btrfs",	 "ext4",      "kauditd",    "oom_reaper",
	};
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(c, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void set_comm(char *dst, const char *src)
{
	size_t n = strnlen(src, FR_COMM_LEN - 1);

	if (!n)
		return;
	memcpy(dst, src, n);
	dst[n] = 0;
}

uint32_t fa_model__proc_index(const struct fa_model *m, uint32_t pid)
{
	return m->b ? fa_map_get(&m->b->pid2proc, pid, 0) : FA_NONE;
}

static uint32_t proc_lookup(const struct fa_model *m, uint32_t pid)
{
	uint32_t i;

	if (m->b)
		return fa_map_get(&m->b->pid2proc, pid, 0);
	for (i = m->n_procs; i-- > 0;)
		if (m->procs[i].pid == pid)
			return i;
	return FA_NONE;
}

/* The last point at or before ts, or NULL. */
static const struct fa_mem_point *mem_point(const struct fa_process *p, uint64_t ts)
{
	uint32_t lo = 0, hi = p->n_mem;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->mem[mid].t <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &p->mem[lo - 1] : NULL;
}

uint64_t fa_process__mem_at(const struct fa_process *p, uint64_t ts)
{
	const struct fa_mem_point *now = mem_point(p, ts), *then;
	uint64_t anon, cache;

	if (!now)
		return 0;
	then = ts > FA_MEM_CACHE_WINDOW_NS ? mem_point(p, ts - FA_MEM_CACHE_WINDOW_NS) : NULL;
	/* within the bucket, what it reached; after it, where it ended */
	anon = (uint64_t)FR_MAX(ts < now->t + FA_MEM_BUCKET_NS ? now->anon_peak : now->anon_net, 0);
	cache = now->cache_total - (then ? then->cache_total : 0);
	return anon + cache;
}

/* Record a change of a process's memory at ts. */
static void mem_change(struct fa_model *m, uint32_t proc, uint64_t ts, int64_t anon, uint64_t cache)
{
	struct fa_process *p = &m->procs[proc];
	uint64_t t = ts - ts % FA_MEM_BUCKET_NS;
	struct fa_mem_point *l = p->n_mem ? &p->mem[p->n_mem - 1] : NULL, *n;

	if (!l || l->t != t) {
		int64_t anon_net = l ? l->anon_net : 0;
		uint64_t cache_total = l ? l->cache_total : 0;

		n = FA_PUSH(p->mem, p->n_mem, p->cap_mem); /* may move p->mem: l is stale */
		if (!n)
			return; /* blame gets coarser, nothing else */
		n->t = t;
		n->anon_net = n->anon_peak = anon_net;
		n->cache_total = cache_total;
		l = n;
	}
	l->anon_net += anon;
	l->anon_peak = FR_MAX(l->anon_peak, l->anon_net);
	l->cache_total += cache;
}

const struct fa_process *fa_model__find_process(const struct fa_model *m, uint32_t pid)
{
	uint32_t i = proc_lookup(m, pid);

	return i == FA_NONE ? NULL : &m->procs[i];
}

static uint32_t new_proc(struct fa_model *m, uint32_t pid, uint32_t ppid)
{
	struct fa_build *b = m->b;
	const struct fr_process *fp = fr_reader__find_process(m->reader, pid);
	struct fa_process *p;
	uint32_t i = m->n_procs;

	if (fa_grow((void **)&b->pb, &b->cap_pb, (uint64_t)i + 1, sizeof(*b->pb)))
		return FA_NONE;
	p = FA_PUSH(m->procs, m->n_procs, m->cap_procs);
	if (!p)
		return FA_NONE;
	memset(p, 0, sizeof(*p));
	memset(&b->pb[i], 0, sizeof(b->pb[i]));
	p->pid = pid;
	p->ppid = ppid;
	p->main = FA_NONE;
	p->exit_thread = FA_NONE;
	if (fp) {
		set_comm(p->comm, fp->comm);
		p->cgroup = fp->cgroup;
		if (!ppid)
			p->ppid = fp->ppid;
	}
	if (fa_map_put(&b->pid2proc, pid, 0, i)) {
		m->n_procs--;
		return FA_NONE;
	}
	return i;
}

static uint32_t get_proc(struct fa_model *m, uint32_t pid)
{
	uint32_t i = fa_map_get(&m->b->pid2proc, pid, 0);

	return i != FA_NONE ? i : new_proc(m, pid, 0);
}

static const char *comm_from_table(const struct fa_model *m, uint32_t pid, uint32_t tid)
{
	const struct fr_process *fp = fr_reader__find_process(m->reader, pid);
	uint32_t i;

	if (!fp)
		return NULL;
	for (i = 0; i < fp->n_threads; i++)
		if (fp->threads[i].tid == tid && fp->threads[i].comm[0])
			return fp->threads[i].comm;
	return fp->comm[0] && tid == pid ? fp->comm : NULL;
}

static uint32_t new_thread(struct fa_model *m, uint32_t tid, uint32_t pid, uint64_t ts)
{
	struct fa_thread *t;
	uint32_t i = m->n_threads, old = fa_map_get(&m->b->tid2th, tid, 0);
	const char *c;

	t = FA_PUSH(m->threads, m->n_threads, m->cap_threads);
	if (!t)
		return FA_NONE;
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = pid ? pid : tid;
	t->parent = FA_NONE;
	t->prev_gen = old;
	t->first_ns = ts;
	c = comm_from_table(m, t->pid, tid);
	if (c)
		set_comm(t->comm, c);
	if (fa_map_put(&m->b->tid2th, tid, 0, i)) {
		m->n_threads--;
		return FA_NONE;
	}
	m->b->tc_tid[tid & 1023] = tid + 1;
	m->b->tc_idx[tid & 1023] = i;
	return i;
}

static uint32_t tid_lookup(struct fa_build *b, uint32_t tid)
{
	uint32_t slot = tid & 1023, i;

	if (b->tc_tid[slot] == tid + 1)
		return b->tc_idx[slot];
	i = fa_map_get(&b->tid2th, tid, 0);
	if (i != FA_NONE) {
		b->tc_tid[slot] = tid + 1;
		b->tc_idx[slot] = i;
	}
	return i;
}

/*
 * The thread for an event's tid (created on first sight).  pid 0 means "not
 * known here" (e.g. the waker side of a softirq).  FA_NONE for the idle task
 * (tid 0) and on allocation failure.
 */
static uint32_t get_thread(struct fa_model *m, uint32_t tid, uint32_t pid, uint64_t ts)
{
	uint32_t i;

	if (!tid)
		return FA_NONE;
	i = tid_lookup(m->b, tid);
	if (i == FA_NONE)
		return new_thread(m, tid, pid, ts);
	if (pid && m->threads[i].pid != pid && (m->threads[i].flags & FA_TH_EXITED))
		return new_thread(m, tid, pid, ts); /* tid reused by another process */
	if (pid && !m->threads[i].pid)
		m->threads[i].pid = pid;
	return i;
}

uint32_t fa_model__find_thread(const struct fa_model *m, uint32_t tid, uint64_t at_ns)
{
	uint32_t i = FA_NONE, k;

	if (m->b) {
		i = fa_map_get(&m->b->tid2th, tid, 0);
	} else {
		for (k = m->n_threads; k-- > 0;)
			if (m->threads[k].tid == tid) {
				i = k;
				break;
			}
	}
	if (!at_ns)
		return i;
	while (i != FA_NONE && m->threads[i].first_ns > at_ns && m->threads[i].prev_gen != FA_NONE)
		i = m->threads[i].prev_gen;
	return i;
}

uint64_t fa_model__t0(const struct fa_model *m)
{
	if (m->manifest->window_start_ns && m->manifest->window_start_ns <= m->start_ns)
		return m->manifest->window_start_ns;
	return m->start_ns;
}

void fa_model__thread_name(const struct fa_model *m, uint32_t thread, char *buf, size_t len)
{
	const struct fa_thread *t;

	if (thread == FA_NONE || thread >= m->n_threads) {
		snprintf(buf, len, "?");
		return;
	}
	t = &m->threads[thread];
	if (t->pid == t->tid)
		snprintf(buf, len, "%s %u", t->comm[0] ? t->comm : "?", t->pid);
	else
		snprintf(buf, len, "%s %u/%u", t->comm[0] ? t->comm : "?", t->pid, t->tid);
}

/* ---- intervals ------------------------------------------------------------------ */

long fa_thread__interval_at(const struct fa_thread *t, uint64_t ts)
{
	long lo = 0, hi = (long)t->n_iv - 1, ans = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (t->iv[mid].start <= ts) {
			ans = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return ans;
}

uint64_t fa_thread__interval_end(const struct fa_thread *t, uint32_t i)
{
	if (i + 1 < t->n_iv)
		return t->iv[i + 1].start;
	return t->end_ns > t->iv[i].start ? t->end_ns : t->iv[i].start;
}

static struct fa_interval *push_iv(struct fa_model *m, struct fa_thread *t, uint64_t ts)
{
	struct fa_interval *iv = FA_PUSH(t->iv, t->n_iv, t->cap_iv);

	if (!iv) {
		m->b->oom = true;
		return NULL;
	}
	memset(iv, 0, sizeof(*iv));
	iv->start = ts;
	iv->wait = FA_NONE;
	iv->waker = FA_NONE;
	return iv;
}

static struct fa_interval *last_iv(struct fa_thread *t)
{
	return t->n_iv ? &t->iv[t->n_iv - 1] : NULL;
}

/*
 * Enter `state` at ts.  A zero-length last interval is overwritten; the same
 * state on the same cpu continues.  Flags of overlays do not continue into a
 * new state (they are applied when the span ends).
 */
static struct fa_interval *set_state(struct fa_model *m, uint32_t ti, uint64_t ts, unsigned state,
				     unsigned cpu)
{
	struct fa_thread *t = &m->threads[ti];
	struct fa_interval *l = last_iv(t);

	if (l && ts < l->start)
		ts = l->start; /* cannot go back: overlays may have split ahead */
	if (l && l->start == ts && t->n_iv > 1) {
		struct fa_interval *p = &t->iv[t->n_iv - 2];

		/* replace a zero-length interval, merging with the one before */
		if (p->state == state && p->cpu == cpu && !(p->flags & FA_IVF_WOKEN)) {
			t->n_iv--;
			return p;
		}
		memset(l, 0, sizeof(*l));
		l->start = ts;
		l->wait = FA_NONE;
		l->waker = FA_NONE;
		l->state = (uint8_t)state;
		l->cpu = (uint16_t)cpu;
		return l;
	}
	if (l && l->start == ts) {
		l->state = (uint8_t)state;
		l->cpu = (uint16_t)cpu;
		return l;
	}
	if (l && l->state == state && l->cpu == cpu &&
	    !(l->flags & (FA_IVF_FAULT | FA_IVF_RECLAIM)))
		return l;
	l = push_iv(m, t, ts);
	if (l) {
		l->state = (uint8_t)state;
		l->cpu = (uint16_t)cpu;
	}
	return l;
}

/* The thread executed kernel or user code at ts in its own context: it was
 * running.  Contradictions (the model says blocked) are repaired and counted. */
static void ensure_running(struct fa_model *m, uint32_t ti, uint64_t ts, unsigned cpu)
{
	struct fa_thread *t = &m->threads[ti];
	struct fa_interval *l = last_iv(t), *n;
	unsigned prev = l ? l->state : FA_ST_UNKNOWN;

	if (prev == FA_ST_RUNNING || prev == FA_ST_DEAD)
		return;
	n = set_state(m, ti, ts, FA_ST_RUNNING, cpu); /* may move t->iv */
	if (n && prev != FA_ST_UNKNOWN)
		n->flags |= FA_IVF_REPAIRED; /* counted at the end, for recorded threads */
}

/* Split the interval containing ts so that one starts exactly at ts.
 * Returns the index of the interval starting at ts, or -1 (none: ts after
 * everything is handled by the caller, or allocation failure). */
static long split_at(struct fa_model *m, struct fa_thread *t, uint64_t ts)
{
	long i = fa_thread__interval_at(t, ts);

	if (i < 0)
		return 0; /* before the first: the overlay starts at the first interval */
	if (t->iv[i].start == ts)
		return i;
	if (fa_grow((void **)&t->iv, &t->cap_iv, (uint64_t)t->n_iv + 1, sizeof(*t->iv))) {
		m->b->oom = true;
		return -1;
	}
	memmove(&t->iv[i + 2], &t->iv[i + 1], (t->n_iv - (size_t)i - 1) * sizeof(*t->iv));
	t->iv[i + 1] = t->iv[i];
	t->iv[i + 1].start = ts;
	/* the wake information belongs to the end of a blocked interval */
	t->iv[i].flags &= (uint8_t)~FA_IVF_WOKEN;
	t->iv[i].waker = FA_NONE;
	t->n_iv++;
	return i + 1;
}

/* Set `flags` on the thread's intervals within [s, e); e is "now". */
static void overlay(struct fa_model *m, uint32_t ti, uint64_t s, uint64_t e, uint8_t flags)
{
	struct fa_thread *t = &m->threads[ti];
	struct fa_interval *l;
	long i;

	if (!t->n_iv || e <= s)
		return;
	l = last_iv(t);
	if (l->start < e) {
		/* the span ends now: what follows e is outside it */
		uint8_t keep = l->flags;
		struct fa_interval *n = push_iv(m, t, e);

		if (!n)
			return;
		l = &t->iv[t->n_iv - 2];
		*n = *l;
		n->start = e;
		n->flags = keep & (uint8_t) ~(FA_IVF_WOKEN | flags);
		l->flags &= (uint8_t)~FA_IVF_WOKEN;
		l->waker = FA_NONE;
	}
	i = split_at(m, t, s);
	if (i < 0)
		return;
	for (; i < (long)t->n_iv && t->iv[i].start < e; i++)
		t->iv[i].flags |= flags;
}

/* ---- resources ------------------------------------------------------------------ */

static void res_key(const struct fa_resource *r, const char *name, uint64_t *a, uint64_t *b)
{
	uint64_t k = (uint64_t)r->kind << 56;

	switch (r->kind) {
	case FA_RES_TCP:
	case FA_RES_UDP:
		*a = k ^ fa_hash_bytes(&r->tuple, sizeof(r->tuple), 1);
		*b = fa_hash_bytes(&r->tuple, sizeof(r->tuple), 2);
		return;
	case FA_RES_FUTEX:
	case FA_RES_CHILD:
		*a = k | r->pid;
		*b = r->addr;
		return;
	case FA_RES_TIMER:
		*a = k;
		*b = r->addr;
		return;
	default:
		if (r->ino || !name) {
			*a = k ^ (r->dev & 0x00ffffffffffffffULL);
			*b = r->ino;
		} else {
			*a = k | (1ULL << 55);
			*b = fa_hash_bytes(name, strlen(name), 3);
		}
		return;
	}
}

static void format_tuple(char *buf, size_t len, const char *proto, const struct fr_sock_tuple *tu)
{
	struct fr_sb a, b;

	fr_sb_init(&a);
	fr_sb_init(&b);
	fr_print_sockaddr(&a, tu, true);
	fr_print_sockaddr(&b, tu, false);
	snprintf(buf, len, "%s %s->%s", proto, fr_sb_str(&a), fr_sb_str(&b));
	fr_sb_free(&a);
	fr_sb_free(&b);
}

static char *default_name(const struct fa_resource *r)
{
	char buf[256];

	switch (r->kind) {
	case FA_RES_FILE:
		snprintf(buf, sizeof(buf), "file (inode %" PRIu64 ")", r->ino);
		break;
	case FA_RES_PIPE:
		snprintf(buf, sizeof(buf), "pipe:[%" PRIu64 "]", r->ino);
		break;
	case FA_RES_UNIX:
		snprintf(buf, sizeof(buf), "unix:[%" PRIu64 "]", r->ino);
		break;
	case FA_RES_TCP:
		format_tuple(buf, sizeof(buf), "tcp", &r->tuple);
		break;
	case FA_RES_UDP:
		format_tuple(buf, sizeof(buf), "udp", &r->tuple);
		break;
	case FA_RES_SOCKET:
		snprintf(buf, sizeof(buf), "socket:[%" PRIu64 "]", r->ino);
		break;
	case FA_RES_CHR:
		snprintf(buf, sizeof(buf), "character device (inode %" PRIu64 ")", r->ino);
		break;
	case FA_RES_BLK:
		snprintf(buf, sizeof(buf), "block device (inode %" PRIu64 ")", r->ino);
		break;
	case FA_RES_ANON:
		snprintf(buf, sizeof(buf), "anon_inode:[%" PRIu64 "]", r->ino);
		break;
	case FA_RES_FUTEX:
		snprintf(buf, sizeof(buf), "futex 0x%" PRIx64, r->addr);
		break;
	case FA_RES_CHILD:
		if ((int64_t)r->addr > 0)
			snprintf(buf, sizeof(buf), "child %" PRIu64, r->addr);
		else
			snprintf(buf, sizeof(buf), "any child");
		break;
	case FA_RES_TIMER:
		if (r->addr) {
			char d[32];

			fr_fmt_duration(d, sizeof(d), r->addr);
			snprintf(buf, sizeof(buf), "timer %s", d);
		} else {
			snprintf(buf, sizeof(buf), "timer");
		}
		break;
	default:
		snprintf(buf, sizeof(buf), "fd (inode %" PRIu64 ")", r->ino);
		break;
	}
	return strdup(buf);
}

uint32_t fa_model__add_resource(struct fa_model *m, const struct fa_resource *r, const char *name)
{
	struct fa_resource *n;
	uint64_t a, b;
	uint32_t i;

	res_key(r, name, &a, &b);
	i = fa_map_get(&m->b->resmap, a, b);
	if (i != FA_NONE) {
		n = &m->res[i];
		n->flags |= r->flags;
		if (name && name[0] && n->kind == FA_RES_FILE && !strncmp(n->name, "file (", 6)) {
			char *d = strdup(name);

			if (d) {
				free(n->name);
				n->name = d;
			}
		}
		return i;
	}
	n = FA_PUSH(m->res, m->n_res, m->cap_res);
	if (!n)
		return FA_NONE;
	*n = *r;
	n->rd_stream = n->wr_stream = FA_NONE;
	n->peer = FA_NONE;
	n->name = name && name[0] ? strndup(name, 4096) : default_name(r);
	if (!n->name || fa_map_put(&m->b->resmap, a, b, m->n_res - 1)) {
		free(n->name);
		m->n_res--;
		return FA_NONE;
	}
	return m->n_res - 1;
}

const char *fa_res_name(const struct fa_model *m, uint32_t res)
{
	return res < m->n_res && m->res[res].name ? m->res[res].name : "";
}

static unsigned res_kind_of_fd(const struct fr_fdinfo *fi)
{
	switch (fi->type) {
	case FR_FD_FILE:
	case FR_FD_DIR:
		return FA_RES_FILE;
	case FR_FD_PIPE:
		return FA_RES_PIPE;
	case FR_FD_SOCKET:
		if (fi->tuple.family == 1)
			return FA_RES_UNIX;
		if (fi->tuple.protocol == 6)
			return FA_RES_TCP;
		if (fi->tuple.protocol == 17)
			return FA_RES_UDP;
		return FA_RES_SOCKET;
	case FR_FD_CHR:
		return FA_RES_CHR;
	case FR_FD_BLK:
		return FA_RES_BLK;
	case FR_FD_ANON:
		return FA_RES_ANON;
	default:
		return FA_RES_UNKNOWN;
	}
}

/* ---- fd tables -------------------------------------------------------------------- */

static struct fdent *fd_slot(struct fa_model *m, uint32_t proc, int64_t fd, bool create)
{
	struct proc_build *pb;

	if (proc == FA_NONE || fd < 0 || fd >= MAX_FD)
		return NULL;
	pb = &m->b->pb[proc];
	if ((uint64_t)fd >= pb->n_fds) {
		uint32_t old = pb->n_fds, k;

		if (!create)
			return NULL;
		if (fa_grow((void **)&pb->fds, &pb->cap_fds, (uint64_t)fd + 1, sizeof(*pb->fds)))
			return NULL;
		for (k = old; k <= fd; k++) {
			memset(&pb->fds[k], 0, sizeof(pb->fds[k]));
			pb->fds[k].res = FA_NONE;
		}
		pb->n_fds = (uint32_t)fd + 1;
	}
	if (!create && !(pb->fds[fd].flags & FDE_USED))
		return NULL;
	return &pb->fds[fd];
}

static void fd_set_entry(struct fa_model *m, uint32_t proc, int64_t fd, uint32_t res, unsigned type,
			 unsigned flags)
{
	struct fdent *e = fd_slot(m, proc, fd, true);

	if (!e)
		return;
	e->res = res;
	e->type = (uint8_t)type;
	e->flags = (uint8_t)(flags | FDE_USED);
	e->pair = 0;
	e->side = 0;
}

static void fd_close(struct fa_model *m, uint32_t proc, int64_t fd)
{
	struct fdent *e = fd_slot(m, proc, fd, false);

	if (e) {
		memset(e, 0, sizeof(*e));
		e->res = FA_NONE;
	}
}

static void fd_copy_table(struct fa_model *m, uint32_t from, uint32_t to)
{
	struct proc_build *a = &m->b->pb[from], *b = &m->b->pb[to];

	if (!a->n_fds || b->n_fds)
		return;
	if (fa_grow((void **)&b->fds, &b->cap_fds, a->n_fds, sizeof(*b->fds)))
		return;
	memcpy(b->fds, a->fds, (size_t)a->n_fds * sizeof(*a->fds));
	b->n_fds = a->n_fds;
	b->brk = a->brk;
}
/* A forked child starts with copies of its parent's mappings (not counted
 * as its own memory: copy-on-write shares them until touched). */

/* The resource behind `fd` of process `proc` at the time of `ev`: its
 * FR_PL_FDINFO payload for argument `arg` when present (and the fd table is
 * updated with it), else the fd table. */
static uint32_t resolve_fd(struct fa_model *m, uint32_t proc, int64_t fd, const struct fr_event *ev,
			   int arg)
{
	const struct fr_payload *p = fr_event_payload(ev, FR_PL_FDINFO, arg, -1);
	struct fdent *e = fd_slot(m, proc, fd, false);
	struct fr_fdinfo fi;
	struct fa_resource r;
	const char *name = NULL;
	uint32_t idx;

	if (!p || p->len < sizeof(fi))
		return e ? e->res : FA_NONE;
	memcpy(&fi, p->data, sizeof(fi));
	memset(&r, 0, sizeof(r));
	r.kind = (uint8_t)res_kind_of_fd(&fi);
	r.ino = fi.ino;
	r.dev = fi.dev;
	if (r.kind == FA_RES_TCP || r.kind == FA_RES_UDP)
		r.tuple = fi.tuple;
	if (e && e->res != FA_NONE) {
		const struct fa_resource *o = &m->res[e->res];

		if (o->kind == r.kind && (o->ino == r.ino || !o->ino) &&
		    (r.kind != FA_RES_TCP || !memcmp(&o->tuple, &r.tuple, sizeof(r.tuple))))
			return e->res;
		if (o->kind == r.kind && o->kind == FA_RES_FILE)
			name = o->name;
	}
	if (e) {
		if (e->flags & FDE_BORN)
			r.flags |= FA_RESF_BORN;
		if (e->flags & FDE_CLIENT)
			r.flags |= FA_RESF_CLIENT;
		if (e->flags & FDE_SERVER)
			r.flags |= FA_RESF_SERVER;
	}
	idx = fa_model__add_resource(m, &r, name);
	if (idx != FA_NONE) {
		uint32_t pair = e ? e->pair : 0;
		uint8_t side = e ? e->side : 0;

		fd_set_entry(m, proc, fd, idx, fi.type, e ? (e->flags & ~FDE_USED) : 0);
		if (pair && pair <= m->b->n_pairs && r.kind == FA_RES_UNIX) {
			/* one end of a socketpair named: link it with the other */
			struct upair *up = &m->b->pairs[pair - 1];
			struct fdent *ne = fd_slot(m, proc, fd, false);
			uint32_t other = up->res[!side];

			if (ne) {
				ne->pair = pair;
				ne->side = side;
			}
			up->res[side] = idx;
			if (other != FA_NONE && other != idx) {
				m->res[idx].peer = other;
				m->res[other].peer = idx;
			}
		}
	}
	return idx;
}

/* Resources of the process table's fd snapshots. */
static void load_proc_fds(struct fa_model *m)
{
	size_t i;
	uint32_t k;

	for (i = 0; i < fr_reader__nprocesses(m->reader); i++) {
		const struct fr_process *fp = fr_reader__process(m->reader, i);
		uint32_t pi = get_proc(m, fp->pid);

		if (pi == FA_NONE)
			return;
		for (k = 0; k < fp->n_fds; k++) {
			const struct fr_fd *f = &fp->fds[k];
			struct fr_fdinfo fi = {.ino = f->ino, .type = f->type, .tuple = f->tuple};
			struct fa_resource r;
			uint32_t idx;

			memset(&r, 0, sizeof(r));
			r.kind = (uint8_t)res_kind_of_fd(&fi);
			r.ino = f->ino;
			if (r.kind == FA_RES_TCP || r.kind == FA_RES_UDP)
				r.tuple = f->tuple;
			idx = fa_model__add_resource(
			    m, &r, r.kind == FA_RES_FILE || r.kind == FA_RES_CHR ? f->path : NULL);
			if (idx != FA_NONE)
				fd_set_entry(m, pi, f->fd, idx, f->type,
					     (f->flags & 02000000) ? FDE_CLOEXEC : 0);
		}
	}
}

/* ---- streams (data flow) -------------------------------------------------------- */

static uint32_t get_stream(struct fa_model *m, uint64_t a, uint64_t b, uint32_t res)
{
	struct fa_stream *s;
	uint32_t i = fa_map_get(&m->b->streammap, a, b);

	if (i != FA_NONE)
		return i;
	s = FA_PUSH(m->streams, m->n_streams, m->cap_streams);
	if (!s)
		return FA_NONE;
	memset(s, 0, sizeof(*s));
	s->res = res;
	s->last_reader = s->last_writer = FA_NONE;
	if (fa_map_put(&m->b->streammap, a, b, m->n_streams - 1)) {
		m->n_streams--;
		return FA_NONE;
	}
	return m->n_streams - 1;
}

/* Identity of the byte stream a read from / write to resource r uses. */
static bool stream_key(const struct fa_resource *r, int dir, uint64_t *a, uint64_t *b)
{
	struct fr_sock_tuple t;

	switch (r->kind) {
	case FA_RES_PIPE:
		*a = (uint64_t)FA_RES_PIPE << 56;
		*b = r->ino;
		return r->ino != 0;
	case FA_RES_TCP:
		/* data flows from the writer's local side to its remote side; a
		 * reader sees it arrive from its remote side */
		t = r->tuple;
		if (dir == FA_DIR_READ) {
			memcpy(t.saddr, r->tuple.daddr, sizeof(t.saddr));
			memcpy(t.daddr, r->tuple.saddr, sizeof(t.daddr));
			t.sport = r->tuple.dport;
			t.dport = r->tuple.sport;
		}
		*a = ((uint64_t)FA_RES_TCP << 56) ^ fa_hash_bytes(&t, sizeof(t), 4);
		*b = fa_hash_bytes(&t, sizeof(t), 5);
		return r->tuple.sport || r->tuple.dport;
	case FA_RES_UNIX:
		/* a unix socket's writes arrive at its peer: the stream is keyed
		 * by the writing end; a reader's is its peer's (once known) */
		*a = (uint64_t)FA_RES_UNIX << 56;
		*b = r->ino;
		return dir == FA_DIR_WRITE && r->ino != 0;
	default:
		return false;
	}
}

uint32_t fa_model__stream_of_res(const struct fa_model *m, uint32_t res, int dir)
{
	if (res >= m->n_res)
		return FA_NONE;
	if (dir == FA_DIR_READ && m->res[res].kind == FA_RES_UNIX)
		return m->res[res].peer < m->n_res ? m->res[m->res[res].peer].wr_stream : FA_NONE;
	return dir == FA_DIR_WRITE ? m->res[res].wr_stream : m->res[res].rd_stream;
}

static void flow(struct fa_model *m, uint32_t ti, uint32_t res, int dir, const struct fr_event *ev,
		 uint64_t enter, uint64_t len)
{
	struct fa_resource *r = &m->res[res];
	struct fa_stream *s;
	uint32_t si;
	uint64_t a, b;

	if (dir == FA_DIR_READ && r->kind == FA_RES_UNIX) {
		/* counted on the peer's stream when the pair is known */
		si = fa_model__stream_of_res(m, res, FA_DIR_READ);
		if (si != FA_NONE) {
			m->streams[si].read += len;
			m->streams[si].last_reader = ti;
		}
		return;
	}
	si = dir == FA_DIR_WRITE ? r->wr_stream : r->rd_stream;
	if (si == FA_NONE) {
		if (!stream_key(r, dir, &a, &b))
			return;
		si = get_stream(m, a, b, res);
		if (si == FA_NONE)
			return;
		r = &m->res[res];
		if (dir == FA_DIR_WRITE)
			r->wr_stream = si;
		else
			r->rd_stream = si;
	}
	s = &m->streams[si];
	if (r->flags & FA_RESF_BORN && !s->written && !s->read)
		s->aligned = true;
	if (dir == FA_DIR_READ) {
		if (s->res == FA_NONE || m->res[s->res].kind != r->kind)
			s->res = res;
		s->read += len;
		s->last_reader = ti;
		return;
	}
	s->last_writer = ti;
	if (m->b->n_flows >= m->b->o.max_flows) {
		m->st.flows_dropped++;
	} else {
		struct fa_flow *f = FA_PUSH(s->flows, s->n_flows, s->cap_flows);

		if (f) {
			f->enter_ns = enter;
			f->exit_ns = ev->ts_ns;
			f->off = s->written;
			f->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
			f->thread = ti;
			m->b->n_flows++;
		} else {
			m->st.flows_dropped++;
		}
	}
	s->written += len;
}

const struct fa_flow *fa_stream__writer(const struct fa_model *m, uint32_t stream,
					uint64_t block_start, uint64_t wake)
{
	const struct fa_stream *s;
	uint32_t lo, hi;

	if (stream >= m->n_streams)
		return NULL;
	s = &m->streams[stream];
	/* first write that completed at or after the block */
	lo = 0;
	hi = s->n_flows;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->flows[mid].exit_ns < block_start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->n_flows && s->flows[lo].enter_ns <= wake; lo++)
		return &s->flows[lo];
	return NULL;
}

const struct fa_flow *fa_stream__late_writer(const struct fa_model *m, uint32_t stream,
					     uint32_t res, uint32_t reader, uint64_t block_start,
					     uint64_t wake)
{
	const struct fa_stream *s, *req;
	const struct fa_flow *asked = NULL;
	uint32_t lo, hi, rs, i;

	if (stream >= m->n_streams || res >= m->n_res ||
	    (m->res[res].kind != FA_RES_TCP && m->res[res].kind != FA_RES_UNIX))
		return NULL;
	/* the reader's request: its last write on the other direction before
	 * the wait ended */
	rs = fa_model__stream_of_res(m, res, FA_DIR_WRITE);
	if (rs >= m->n_streams)
		return NULL;
	req = &m->streams[rs];
	for (i = req->n_flows; i-- > 0;) {
		if (req->flows[i].exit_ns > wake)
			continue;
		if (req->flows[i].thread == reader) {
			asked = &req->flows[i];
			break;
		}
	}
	if (!asked)
		return NULL;
	s = &m->streams[stream];
	/* the first write that completed after the wake ... */
	lo = 0;
	hi = s->n_flows;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->flows[mid].exit_ns <= wake)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ... with nothing in between: no answer arrived since the request
	 * (then the wait did not end for lack of one) */
	if (lo < s->n_flows &&
	    (!lo || s->flows[lo - 1].exit_ns < FR_MIN(block_start, asked->exit_ns)))
		return &s->flows[lo];
	return NULL;
}

/* ---- statistics ----------------------------------------------------------------- */

static unsigned hist_bucket(uint64_t ns)
{
	unsigned lg, sub;

	if (ns < 1)
		return 0;
	lg = 63u - (unsigned)__builtin_clzll(ns);
	sub = lg >= 2 ? (unsigned)((ns >> (lg - 2)) & 3) : (unsigned)((ns << (2 - lg)) & 3);
	if (lg * 4 + sub >= FA_HIST_BUCKETS)
		return FA_HIST_BUCKETS - 1;
	return lg * 4 + sub;
}

/* Lower bound of a bucket. */
static uint64_t bucket_low(unsigned b)
{
	unsigned lg = b / 4, sub = b % 4;

	if (lg >= 2)
		return (1ULL << lg) + ((uint64_t)sub << (lg - 2));
	return 1ULL << lg;
}

uint64_t fa_stat__median(const struct fa_stat *s)
{
	uint64_t half = (s->count + 1) / 2, seen = 0;
	unsigned b;

	for (b = 0; b < FA_HIST_BUCKETS; b++) {
		seen += s->hist[b];
		if (seen >= half && s->hist[b]) {
			/* middle of the bucket */
			uint64_t lo = bucket_low(b),
				 hi = b + 1 < FA_HIST_BUCKETS ? bucket_low(b + 1) : lo;

			return lo + (hi - lo) / 2;
		}
	}
	return 0;
}

static void stat_add(struct fa_model *m, uint32_t ti, uint32_t nr, const struct fa_sample *smp)
{
	struct fa_build *b = m->b;
	struct fa_stat *s;
	uint32_t slot = (ti * 31u + nr) & 1023, i, k;
	uint64_t d = smp->exit_ns - smp->enter_ns;

	if (b->sc_th[slot] == ti + 1 && b->sc_nr[slot] == nr)
		i = b->sc_idx[slot];
	else
		i = fa_map_get(&b->statmap, ti, nr);
	if (i == FA_NONE) {
		s = FA_PUSH(m->stats, m->n_stats, m->cap_stats);
		if (!s) {
			m->b->oom = true;
			return;
		}
		memset(s, 0, sizeof(*s));
		s->thread = ti;
		s->nr = nr;
		i = m->n_stats - 1;
		if (fa_map_put(&m->b->statmap, ti, nr, i)) {
			m->n_stats--;
			m->b->oom = true;
			return;
		}
	}
	b->sc_th[slot] = ti + 1;
	b->sc_nr[slot] = nr;
	b->sc_idx[slot] = i;
	s = &m->stats[i];
	s->count++;
	s->total_ns += d;
	if (s->hist[hist_bucket(d)] < UINT32_MAX)
		s->hist[hist_bucket(d)]++;
	/* keep the FA_TOPK slowest, slowest first */
	for (k = 0; k < s->n_top; k++)
		if (d > s->top[k].exit_ns - s->top[k].enter_ns)
			break;
	if (k >= FA_TOPK)
		return;
	if (s->n_top < FA_TOPK)
		s->n_top++;
	memmove(&s->top[k + 1], &s->top[k], (s->n_top - 1 - k) * sizeof(s->top[0]));
	s->top[k] = *smp;
}

static bool incident_errno(int e)
{
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(incident_errnos); i++)
		if (incident_errnos[i] == e)
			return true;
	return false;
}

static void error_add(struct fa_model *m, uint32_t ti, uint32_t nr, int err,
		      const struct fa_sample *smp)
{
	uint32_t i = fa_map_get(&m->b->errmap, ti, (uint64_t)nr << 32 | (uint32_t)err);
	struct fa_error *e;

	if (i != FA_NONE) {
		if (m->errors[i].count < UINT32_MAX)
			m->errors[i].count++;
		return;
	}
	if (m->n_errors >= MAX_ERRORS)
		return;
	e = FA_PUSH(m->errors, m->n_errors, m->cap_errors);
	if (!e)
		return;
	e->thread = ti;
	e->nr = nr;
	e->err = err;
	e->count = 1;
	e->first = *smp;
	if (fa_map_put(&m->b->errmap, ti, (uint64_t)nr << 32 | (uint32_t)err, m->n_errors - 1))
		m->n_errors--;
}

/* ---- requests -------------------------------------------------------------------- */

static void req_emit(struct fa_model *m, struct req_track *q)
{
	struct fa_sample smp;
	uint32_t nr;

	if (!q->prev_dir || !q->dir)
		return;
	memset(&smp, 0, sizeof(smp));
	if (q->role == 1 && q->prev_dir == FA_DIR_WRITE && q->dir == FA_DIR_READ) {
		smp.enter_ns = q->prev_first_enter;
		nr = FA_NR_CLIENT_REQ;
	} else if (q->role == 2 && q->prev_dir == FA_DIR_READ && q->dir == FA_DIR_WRITE) {
		smp.enter_ns = q->prev_last_exit;
		nr = FA_NR_SERVER_REQ;
	} else {
		return;
	}
	smp.exit_ns = q->cur_last_exit;
	if (smp.exit_ns < smp.enter_ns)
		return;
	smp.arg[0] = (uint64_t)(int64_t)q->fd;
	smp.fd_res = q->res;
	smp.ref = q->ref;
	stat_add(m, q->thread, nr, &smp);
}

static void req_op(struct fa_model *m, uint32_t ti, int64_t fd, uint32_t res, int dir,
		   uint64_t enter, const struct fr_event *ev)
{
	struct fa_build *b = m->b;
	const struct fa_resource *r = &m->res[res];
	struct req_track *q;
	uint32_t i;

	if (r->kind != FA_RES_TCP && r->kind != FA_RES_UNIX)
		return;
	i = fa_map_get(&b->reqmap, ti, (uint64_t)fd);
	if (i != FA_NONE && b->reqs[i].res != res) {
		req_emit(m, &b->reqs[i]); /* the fd was reused for another connection */
		memset(&b->reqs[i], 0, sizeof(b->reqs[i]));
		b->reqs[i].thread = ti;
		b->reqs[i].fd = (int32_t)fd;
		b->reqs[i].res = res;
	}
	if (i == FA_NONE) {
		q = FA_PUSH(b->reqs, b->n_reqs, b->cap_reqs);
		if (!q)
			return;
		memset(q, 0, sizeof(*q));
		q->thread = ti;
		q->fd = (int32_t)fd;
		q->res = res;
		if (fa_map_put(&b->reqmap, ti, (uint64_t)fd, b->n_reqs - 1)) {
			b->n_reqs--;
			return;
		}
		i = b->n_reqs - 1;
	}
	q = &b->reqs[i];
	if (!q->role) {
		if (r->flags & FA_RESF_CLIENT)
			q->role = 1;
		else if (r->flags & FA_RESF_SERVER)
			q->role = 2;
		else
			q->role = dir == FA_DIR_WRITE ? 1 : 2;
		/* a side that reads first serves: its reads wait for the next request */
		if (q->role == 2)
			m->res[res].flags |= FA_RESF_SERVER;
	}
	if (q->dir == dir) {
		q->cur_last_exit = ev->ts_ns;
	} else {
		req_emit(m, q);
		q->prev_dir = q->dir;
		q->prev_first_enter = q->cur_first_enter;
		q->prev_last_exit = q->cur_last_exit;
		q->dir = (uint8_t)dir;
		q->cur_first_enter = enter;
		q->cur_last_exit = ev->ts_ns;
	}
	q->ref = ev->ref;
}

/* ---- system calls --------------------------------------------------------------- */

static uint32_t add_wait_res(struct fa_model *m, unsigned kind, uint32_t pid, uint64_t addr)
{
	struct fa_resource r;

	memset(&r, 0, sizeof(r));
	r.kind = (uint8_t)kind;
	r.pid = pid;
	r.addr = addr;
	return fa_model__add_resource(m, &r, NULL);
}

static uint64_t timespec_ns(const struct fr_payload *p)
{
	int64_t sec, nsec;

	if (!p || p->len < 16)
		return 0;
	memcpy(&sec, p->data, 8);
	memcpy(&nsec, p->data + 8, 8);
	if (sec < 0 || nsec < 0 || nsec >= 1000000000 || sec > 100LL * 365 * 86400)
		return 0;
	return (uint64_t)sec * 1000000000ULL + (uint64_t)nsec;
}

/*
 * What a poll()/ppoll() waits on when it waits for one thing: every entry
 * of its pollfd array (the recorded FR_PL_IN of argument 0) asks for input
 * (POLLIN) on a descriptor that is the same known resource.  A client
 * waiting for its answer with a timeout does that; a poll over several
 * resources waits on none in particular (FA_NONE).
 */
static uint32_t poll_resource(struct fa_model *m, uint32_t proc, const struct fr_event *ev)
{
	const struct fr_payload *p = fr_event_payload(ev, FR_PL_IN, 0, -1);
	uint32_t res = FA_NONE, i, n;

	if (!p || (p->flags & FR_PLF_TRUNCATED))
		return FA_NONE;
	n = p->len / 8;
	if (!n || n > ev->u.sc.args[1])
		return FA_NONE;
	for (i = 0; i < n; i++) {
		int32_t fd;
		int16_t events;
		const struct fdent *e;

		memcpy(&fd, p->data + i * 8, 4);
		memcpy(&events, p->data + i * 8 + 4, 2);
		if (fd < 0)
			continue; /* ignored by poll */
		e = fd_slot(m, proc, fd, false);
		if (!(events & 0x1 /* POLLIN */) || !e || e->res == FA_NONE ||
		    (res != FA_NONE && e->res != res))
			return FA_NONE;
		res = e->res;
	}
	return res;
}

/* What a blocking call waits on. */
static uint32_t wait_resource(struct fa_model *m, uint32_t proc, uint32_t pid,
			      const struct fr_event *ev, unsigned wk, uint32_t fd_res)
{
	const struct fa_sysnr *n = m->b->nr;
	const struct fr_ev_syscall *sc = &ev->u.sc;

	switch (wk) {
	case FR_WAIT_IO:
	case FR_WAIT_SYNC:
	case FR_WAIT_NET:
		return fd_res;
	case FR_WAIT_LOCK:
		if (sc->nr == n->futex)
			return add_wait_res(m, FA_RES_FUTEX, pid, sc->args[0]);
		return fd_res;
	case FR_WAIT_SLEEP: {
		uint64_t d = 0;

		if (sc->nr == n->nanosleep)
			d = timespec_ns(fr_event_payload(ev, FR_PL_IN, 0, -1));
		else if (sc->nr == n->clock_nanosleep && !(sc->args[1] & 1 /* TIMER_ABSTIME */))
			d = timespec_ns(fr_event_payload(ev, FR_PL_IN, 2, -1));
		return add_wait_res(m, FA_RES_TIMER, 0, d);
	}
	case FR_WAIT_CHILD:
		if (sc->nr == n->waitid)
			return add_wait_res(m, FA_RES_CHILD, pid,
					    sc->args[0] == 1 /* P_PID */ ? sc->args[1] : 0);
		return add_wait_res(m, FA_RES_CHILD, pid, (uint64_t)(int64_t)(int32_t)sc->args[0]);
	case FR_WAIT_POLL:
		if (sc->nr == n->poll || sc->nr == n->ppoll)
			return poll_resource(m, proc, ev);
		return FA_NONE;
	default:
		return FA_NONE;
	}
}

/* fd-table effects of a successful call. */
static void fd_effects(struct fa_model *m, uint32_t proc, const struct fr_event *ev)
{
	const struct fa_sysnr *n = m->b->nr;
	const struct fr_ev_syscall *sc = &ev->u.sc;
	int64_t ret = sc->ret;
	uint32_t nr = sc->nr;

	if (ret < 0 || (ev->u.sc.flags & FR_SC_NO_EXIT))
		return;
	if (nr == n->open || nr == n->openat || nr == n->creat || nr == n->openat2) {
		int parg = (nr == n->openat || nr == n->openat2) ? 1 : 0;
		const struct fr_payload *p = fr_event_payload(ev, FR_PL_IN, parg, -1);
		char path[4096];
		struct fa_resource r;
		uint32_t idx;
		uint64_t flags = nr == n->openat ? sc->args[2] : nr == n->open ? sc->args[1] : 0;

		memset(&r, 0, sizeof(r));
		r.kind = FA_RES_FILE;
		path[0] = 0;
		if (p) {
			size_t l = FR_MIN((size_t)p->len, sizeof(path) - 1);

			memcpy(path, p->data, l);
			path[l] = 0;
			path[strnlen(path, l)] = 0;
		}
		if (!path[0])
			return;
		idx = fa_model__add_resource(m, &r, path);
		if (idx != FA_NONE)
			fd_set_entry(m, proc, ret, idx, FR_FD_FILE,
				     (flags & 02000000) ? FDE_CLOEXEC : 0);
	} else if (nr == n->close) {
		fd_close(m, proc, (int64_t)sc->args[0]);
	} else if (nr == n->close_range) {
		uint64_t a = sc->args[0], b = FR_MIN(sc->args[1], (uint64_t)MAX_FD), k;
		struct proc_build *pb = &m->b->pb[proc];

		if (!(sc->args[2] & 4 /* CLOSE_RANGE_CLOEXEC */))
			for (k = a; k <= b && k < pb->n_fds; k++)
				fd_close(m, proc, (int64_t)k);
	} else if (nr == n->dup || nr == n->dup2 || nr == n->dup3 ||
		   (nr == n->fcntl && (sc->args[1] == 0 || sc->args[1] == 1030))) {
		struct fdent *e = fd_slot(m, proc, (int64_t)sc->args[0], false);

		if (e && (int64_t)sc->args[0] != ret) {
			struct fdent c = *e;

			c.flags &= (uint8_t)~FDE_CLOEXEC;
			fd_set_entry(m, proc, ret, c.res, c.type, c.flags & ~FDE_USED);
		}
	} else if (nr == n->pipe || nr == n->pipe2 || nr == n->socketpair) {
		const struct fr_payload *p =
		    fr_event_payload(ev, FR_PL_OUT, nr == n->socketpair ? 3 : 0, -1);
		int32_t fds[2];
		int k;

		if (!p || p->len < sizeof(fds))
			return;
		memcpy(fds, p->data, sizeof(fds));
		for (k = 0; k < 2; k++)
			fd_set_entry(m, proc, fds[k], FA_NONE,
				     nr == n->socketpair ? FR_FD_SOCKET : FR_FD_PIPE, FDE_BORN);
		if (nr == n->socketpair) {
			struct upair *up = FA_PUSH(m->b->pairs, m->b->n_pairs, m->b->cap_pairs);

			if (up) {
				up->res[0] = up->res[1] = FA_NONE;
				for (k = 0; k < 2; k++) {
					struct fdent *e = fd_slot(m, proc, fds[k], false);

					if (e) {
						e->pair = m->b->n_pairs;
						e->side = (uint8_t)k;
					}
				}
			}
		}
	} else if (nr == n->socket) {
		fd_set_entry(m, proc, ret, FA_NONE, FR_FD_SOCKET,
			     FDE_BORN | ((sc->args[1] & 02000000) ? FDE_CLOEXEC : 0));
	} else if (nr == n->accept || nr == n->accept4) {
		fd_set_entry(m, proc, ret, FA_NONE, FR_FD_SOCKET, FDE_BORN | FDE_SERVER);
	} else if (nr == n->connect) {
		struct fdent *e = fd_slot(m, proc, (int64_t)sc->args[0], true);

		if (e) {
			e->flags |= FDE_USED | FDE_CLIENT | FDE_BORN;
			e->res = FA_NONE; /* addresses change with connect: re-resolve */
		}
	}
}

#define MAX_ANON_RANGES 65536 /* per process; beyond, unmaps go uncounted */

/* Remove [a, b) from the process's anonymous ranges; returns bytes removed. */
static uint64_t anon_unmap(struct proc_build *pb, uint64_t a, uint64_t b)
{
	uint64_t gone = 0;
	uint32_t i;

	for (i = 0; i < pb->n_anon; i++) {
		struct range *r = &pb->anon[i];
		uint64_t lo = FR_MAX(r->start, a), hi = FR_MIN(r->end, b);

		if (lo >= hi)
			continue;
		gone += hi - lo;
		if (lo == r->start && hi == r->end) {
			*r = pb->anon[--pb->n_anon];
			i--;
		} else if (lo == r->start) {
			r->start = hi;
		} else if (hi == r->end) {
			r->end = lo;
		} else if (pb->n_anon < pb->cap_anon || pb->n_anon < MAX_ANON_RANGES) {
			struct range tail = {hi, r->end};
			struct range *n;

			r->end = lo;
			n = FA_PUSH(pb->anon, pb->n_anon, pb->cap_anon);
			if (n)
				*n = tail;
		}
	}
	return gone;
}

/*
 * Memory a process takes and gives back (for "who filled the memory
 * cgroup"): anonymous mappings (mmap MAP_ANONYMOUS, munmap of those, brk)
 * and page cache it dirties (written bytes, counted in on_syscall).
 */
static void alloc_effects(struct fa_model *m, uint32_t proc, const struct fr_event *ev)
{
	const struct fa_sysnr *n = m->b->nr;
	const struct fr_ev_syscall *sc = &ev->u.sc;
	struct proc_build *pb = &m->b->pb[proc];

	if (sc->ret < 0 && sc->ret > -4096)
		return;
	if (sc->nr == n->mmap && (sc->args[3] & 0x20 /* MAP_ANONYMOUS */)) {
		uint64_t len = FR_MIN(sc->args[1], (uint64_t)1 << 44), a = (uint64_t)sc->ret;
		struct range *r;

		len = (len + 4095) & ~4095ULL;
		anon_unmap(pb, a, a + len); /* MAP_FIXED over an old mapping replaces it */
		if (pb->n_anon < MAX_ANON_RANGES &&
		    (r = FA_PUSH(pb->anon, pb->n_anon, pb->cap_anon))) {
			r->start = a;
			r->end = a + len;
		}
		m->procs[proc].alloc_bytes += len;
		mem_change(m, proc, ev->ts_ns, (int64_t)len, 0);
	} else if (sc->nr == n->munmap) {
		uint64_t a = sc->args[0], len = FR_MIN(sc->args[1], (uint64_t)1 << 44);
		uint64_t gone = anon_unmap(pb, a, a + ((len + 4095) & ~4095ULL));

		if (gone)
			mem_change(m, proc, ev->ts_ns, -(int64_t)gone, 0);
	} else if (sc->nr == n->brk) {
		uint64_t nb = (uint64_t)sc->ret;

		if (pb->brk && nb > pb->brk && nb - pb->brk < ((uint64_t)1 << 44)) {
			m->procs[proc].alloc_bytes += nb - pb->brk;
			mem_change(m, proc, ev->ts_ns, (int64_t)(nb - pb->brk), 0);
		} else if (pb->brk && nb < pb->brk && pb->brk - nb < ((uint64_t)1 << 44)) {
			mem_change(m, proc, ev->ts_ns, -(int64_t)(pb->brk - nb), 0);
		}
		pb->brk = nb;
	}
}

static bool is_futex_wake(uint64_t op)
{
	switch (op & 0x7f) {
	case 1:	 /* FUTEX_WAKE */
	case 3:	 /* FUTEX_REQUEUE */
	case 4:	 /* FUTEX_CMP_REQUEUE */
	case 5:	 /* FUTEX_WAKE_OP */
	case 7:	 /* FUTEX_UNLOCK_PI */
	case 10: /* FUTEX_WAKE_BITSET */
	case 12: /* FUTEX_CMP_REQUEUE_PI */
		return true;
	default:
		return false;
	}
}

static void on_syscall(struct fa_model *m, const struct fr_event *ev)
{
	const struct fa_sysnr *n = m->b->nr;
	const struct fr_ev_syscall *sc = &ev->u.sc;
	const struct fr_syscall_desc *d = fr_syscall(sc->nr);
	uint32_t ti = get_thread(m, ev->tid, ev->pid, ev->ts_ns), proc, fd_res = FA_NONE,
		 w = FA_NONE;
	bool no_exit = sc->flags & FR_SC_NO_EXIT, no_enter = sc->flags & FR_SC_NO_ENTER;
	uint64_t enter = sc->enter_ns, exit = ev->ts_ns;
	struct fa_thread *t;
	unsigned wk = d ? d->wait : FR_WAIT_NONE;
	int dir = FA_DIR_NONE;
	bool has_fd = d && d->nargs > 0 && d->args[0].kind == FR_A_FD;
	long i;

	if (ti == FA_NONE)
		return;
	proc = get_proc(m, ev->pid ? ev->pid : ev->tid);
	if (proc == FA_NONE)
		return;
	t = &m->threads[ti];
	t->flags |= FA_TH_SYSCALLS;
	t->n_syscalls++;
	if (no_enter || !enter || enter > exit)
		enter = FR_MAX(t->first_ns, m->start_ns);
	if (!no_exit)
		ensure_running(m, ti, exit, ev->cpu);
	if (d && (d->cls & FR_SCC_READ))
		dir = FA_DIR_READ;
	else if (d && (d->cls & FR_SCC_WRITE))
		dir = FA_DIR_WRITE;
	if (has_fd)
		fd_res = resolve_fd(m, proc, (int64_t)(int32_t)sc->args[0], ev, 0);

	/* name the wait of the off-CPU intervals inside the call */
	t = &m->threads[ti];
	for (i = (long)t->n_iv - 1; i >= 0 && t->iv[i].start >= enter; i--) {
		struct fa_interval *iv = &t->iv[i];

		if (iv->start >= exit && !no_exit)
			continue;
		if ((iv->state != FA_ST_BLOCKED && iv->state != FA_ST_RUNNABLE) ||
		    iv->wait != FA_NONE)
			continue;
		if (w == FA_NONE) {
			struct fa_wait *wt = FA_PUSH(m->waits, m->n_waits, m->cap_waits);

			if (!wt) {
				m->b->oom = true;
				break;
			}
			memset(wt, 0, sizeof(*wt));
			wt->enter_ns = enter;
			wt->exit_ns = exit;
			wt->ret = sc->ret;
			memcpy(wt->arg, sc->args, sizeof(wt->arg));
			wt->nr = sc->nr;
			wt->thread = ti;
			wt->wait_kind = (uint8_t)wk;
			wt->dir = (uint8_t)dir;
			wt->flags =
			    (no_exit ? FA_WAITF_NO_EXIT : 0) | (no_enter ? FA_WAITF_NO_ENTER : 0);
			wt->ref = ev->ref;
			wt->res = wait_resource(m, proc, t->pid, ev, wk, fd_res);
			w = m->n_waits - 1;
			t = &m->threads[ti];
		}
		t->iv[i].wait = w;
	}
	if (no_exit)
		return;

	/* statistics and incidents */
	{
		struct fa_sample smp;

		memset(&smp, 0, sizeof(smp));
		smp.enter_ns = enter;
		smp.exit_ns = exit;
		smp.ret = sc->ret;
		memcpy(smp.arg, sc->args, sizeof(smp.arg));
		smp.fd_res = fd_res;
		if (wk == FR_WAIT_SLEEP || wk == FR_WAIT_LOCK || wk == FR_WAIT_CHILD)
			smp.fd_res = w != FA_NONE ? m->waits[w].res
						  : wait_resource(m, proc, m->threads[ti].pid, ev,
								  wk, fd_res);
		smp.ref = ev->ref;
		if (!no_enter)
			stat_add(m, ti, sc->nr, &smp);
		if (sc->ret < 0 && sc->ret >= -4095 && incident_errno((int)-sc->ret))
			error_add(m, ti, sc->nr, (int)-sc->ret, &smp);
	}

	fd_effects(m, proc, ev);
	alloc_effects(m, proc, ev);
	if (sc->nr == n->execve || sc->nr == n->execveat) {
		/* exec closes O_CLOEXEC descriptors */
		struct proc_build *pb = &m->b->pb[proc];
		uint32_t k;

		if (sc->ret == 0)
			for (k = 0; k < pb->n_fds; k++)
				if (pb->fds[k].flags & FDE_CLOEXEC)
					fd_close(m, proc, k);
	}
	if (sc->nr == n->futex && is_futex_wake(sc->args[1]) && sc->ret > 0) {
		uint32_t r = add_wait_res(m, FA_RES_FUTEX, m->threads[ti].pid, sc->args[0]);
		struct fa_futex_wake *fw;

		if (r != FA_NONE && (fw = FA_PUSH(m->fwakes, m->n_fwakes, m->cap_fwakes))) {
			fw->enter_ns = enter;
			fw->exit_ns = exit;
			fw->thread = ti;
			fw->res = r;
		}
	}
	if (fd_res != FA_NONE && dir == FA_DIR_WRITE && sc->ret > 0 &&
	    m->res[fd_res].kind == FA_RES_FILE) {
		m->procs[proc].cache_bytes += (uint64_t)sc->ret;
		mem_change(m, proc, exit, 0, (uint64_t)sc->ret);
	}
	if (fd_res != FA_NONE && dir != FA_DIR_NONE && sc->ret > 0) {
		flow(m, ti, fd_res, dir, ev, enter, (uint64_t)sc->ret);
		req_op(m, ti, (int64_t)(int32_t)sc->args[0], fd_res, dir, enter, ev);
	}
	if (fd_res != FA_NONE && w != FA_NONE)
		m->waits[w].res = m->waits[w].res == FA_NONE ? fd_res : m->waits[w].res;
}

/* ---- scheduling ------------------------------------------------------------------- */

static struct fa_cpu *get_cpu(struct fa_model *m, unsigned cpu)
{
	if (cpu >= MAX_CPUS)
		return NULL;
	if (cpu >= m->n_cpus) {
		struct fa_cpu *n = realloc(m->cpus, (cpu + 1) * sizeof(*n));

		if (!n)
			return NULL;
		memset(&n[m->n_cpus], 0, (cpu + 1 - m->n_cpus) * sizeof(*n));
		m->cpus = n;
		m->n_cpus = cpu + 1;
	}
	return &m->cpus[cpu];
}

/*
 * prev_state as the switch event carries it: the task's state bits, 0 when it
 * was preempted while runnable.  Both encodings a recorder may use are
 * accepted: the raw __state (TASK_DEAD 0x80 at the final switch) and the
 * sched_switch tracepoint's report format (EXIT_DEAD 0x10, EXIT_ZOMBIE 0x20;
 * 0x100 = preempted; there 0x80 means TASK_IDLE, so 0x80 counts as dead only
 * for a thread whose exit was seen).
 */
static bool dead_state(const struct fa_thread *t, int64_t s)
{
	return (s & 0x30) || ((s & 0x80) && (t->flags & FA_TH_EXITED));
}

static bool preempted_state(int64_t s)
{
	return (s & 0xff) == 0 && !(s & 0x200) /* not TASK_PARKED-style extra bits */;
}

static void on_switch(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_sched_switch *sw = &ev->u.sw;
	uint32_t prev = get_thread(m, ev->tid, ev->pid, ev->ts_ns);
	uint32_t next = get_thread(m, sw->next_tid, sw->next_pid, ev->ts_ns);
	struct fa_cpu *c = get_cpu(m, ev->cpu);

	if (prev != FA_NONE) {
		struct fa_thread *t = &m->threads[prev];

		set_comm(t->comm, sw->prev_comm); /* the live name */
		ensure_running(m, prev, ev->ts_ns, ev->cpu);
		if (dead_state(t, sw->prev_state))
			set_state(m, prev, ev->ts_ns, FA_ST_DEAD, ev->cpu);
		else
			set_state(m, prev, ev->ts_ns,
				  preempted_state(sw->prev_state) ? FA_ST_RUNNABLE : FA_ST_BLOCKED,
				  ev->cpu);
	}
	if (next != FA_NONE) {
		struct fa_thread *t = &m->threads[next];

		set_comm(t->comm, sw->next_comm);
		set_state(m, next, ev->ts_ns, FA_ST_RUNNING, ev->cpu);
	}
	if (c) {
		struct fa_cpu_run *r = FA_PUSH(c->runs, c->n, c->cap);

		if (r) {
			r->ts = ev->ts_ns;
			r->thread = next;
			r->reserved = 0;
		} else {
			m->b->oom = true;
		}
	}
}

static void on_wakeup(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_sched_wakeup *wk = &ev->u.wake;
	uint32_t ti = get_thread(m, wk->target_tid, wk->target_pid, ev->ts_ns);
	uint32_t waker = FA_NONE;
	struct fa_thread *t;
	struct fa_interval *l;
	unsigned cpu =
	    wk->target_cpu >= 0 && wk->target_cpu < MAX_CPUS ? (unsigned)wk->target_cpu : ev->cpu;

	if (ti == FA_NONE)
		return;
	t = &m->threads[ti];
	set_comm(t->comm, wk->target_comm);
	if (wk->ctx == FR_CTX_TASK && ev->tid && ev->tid != wk->target_tid) {
		waker = get_thread(m, ev->tid, ev->pid, ev->ts_ns);
		if (waker != FA_NONE)
			ensure_running(m, waker, ev->ts_ns, ev->cpu);
	}
	t = &m->threads[ti];
	l = last_iv(t);
	if (!l) {
		l = push_iv(m, t, ev->ts_ns);
		if (!l)
			return;
		l->state = FA_ST_UNKNOWN;
	}
	if (wk->flags & FR_WAKE_NEW) {
		if (l->state == FA_ST_UNKNOWN || l->state == FA_ST_RUNNABLE) {
			set_state(m, ti, ev->ts_ns, FA_ST_RUNNABLE, cpu);
			if (waker != FA_NONE && t->parent == FA_NONE)
				m->threads[ti].parent = waker;
		}
		return;
	}
	switch (l->state) {
	case FA_ST_BLOCKED:
	case FA_ST_UNKNOWN:
		if (l->state == FA_ST_UNKNOWN)
			l->state = FA_ST_BLOCKED; /* woken: it was blocked */
		l->flags |= FA_IVF_WOKEN;
		l->waker = waker;
		l->wake_ctx = (uint8_t)wk->ctx;
		l->wake_info = (uint8_t)wk->ctx_info;
		set_state(m, ti, ev->ts_ns, FA_ST_RUNNABLE, cpu);
		break;
	case FA_ST_RUNNABLE:
		/* sched_wakeup after sched_waking: the run queue is now known */
		if (wk->flags & FR_WAKE_WAKEUP)
			l->cpu = (uint16_t)cpu;
		break;
	default:
		break;
	}
}

static void on_migrate(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_sched_migrate *mg = &ev->u.mig;
	uint32_t ti = fa_map_get(&m->b->tid2th, mg->target_tid, 0);
	struct fa_interval *l;

	if (ti == FA_NONE || mg->dest_cpu < 0 || mg->dest_cpu >= MAX_CPUS)
		return;
	l = last_iv(&m->threads[ti]);
	if (!l)
		return;
	if (l->state == FA_ST_RUNNABLE && l->cpu != mg->dest_cpu)
		set_state(m, ti, ev->ts_ns, FA_ST_RUNNABLE, (unsigned)mg->dest_cpu);
	else if (l->state == FA_ST_BLOCKED)
		l->cpu = (uint16_t)mg->dest_cpu;
}

/* ---- lifecycle ------------------------------------------------------------------ */

static void on_fork(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_proc_fork *f = &ev->u.fork;
	uint32_t parent = get_thread(m, ev->tid, ev->pid, ev->ts_ns), child, cp, pp;
	struct fa_thread *c;
	bool thread = f->child_pid == ev->pid && ev->pid;

	if (!f->child_tid)
		return;
	if (parent != FA_NONE)
		ensure_running(m, parent, ev->ts_ns, ev->cpu);
	child = fa_map_get(&m->b->tid2th, f->child_tid, 0);
	if (child == FA_NONE || m->threads[child].n_iv > 1 ||
	    m->threads[child].first_ns < ev->ts_ns)
		child = new_thread(m, f->child_tid, f->child_pid, ev->ts_ns);
	if (child == FA_NONE)
		return;
	c = &m->threads[child];
	c->pid = f->child_pid ? f->child_pid : f->child_tid;
	c->parent = parent;
	c->birth_ns = ev->ts_ns;
	c->flags |= FA_TH_FORKED;
	set_comm(c->comm, f->child_comm);
	if (!c->n_iv)
		set_state(m, child, ev->ts_ns, FA_ST_RUNNABLE, ev->cpu);
	if (!thread) {
		pp = get_proc(m, ev->pid ? ev->pid : ev->tid);
		cp = fa_map_get(&m->b->pid2proc, c->pid, 0);
		if (cp == FA_NONE || m->procs[cp].exit_ns)
			cp = new_proc(m, c->pid, ev->pid);
		if (cp != FA_NONE && pp != FA_NONE) {
			m->procs[cp].ppid = m->procs[pp].pid;
			set_comm(m->procs[cp].comm, f->child_comm);
			fd_copy_table(m, pp, cp);
			m->procs[cp].main = child;
		}
	}
}

static void on_exec(struct fa_model *m, const struct fr_event *ev)
{
	uint32_t ti, pi;

	if (ev->u.exec.old_tid && ev->u.exec.old_tid != ev->tid) {
		/* a non-leader thread exec'd: it takes the leader's tid */
		uint32_t old = fa_map_get(&m->b->tid2th, ev->u.exec.old_tid, 0);

		if (old != FA_NONE) {
			m->threads[old].tid = ev->tid;
			fa_map_put(&m->b->tid2th, ev->tid, 0, old);
			m->b->tc_tid[ev->tid & 1023] = ev->tid + 1;
			m->b->tc_idx[ev->tid & 1023] = old;
		}
	}
	ti = get_thread(m, ev->tid, ev->pid, ev->ts_ns);
	if (ti == FA_NONE)
		return;
	ensure_running(m, ti, ev->ts_ns, ev->cpu);
	set_comm(m->threads[ti].comm, ev->u.exec.comm);
	if (!m->threads[ti].exec_ns)
		m->threads[ti].exec_ns = ev->ts_ns;
	pi = get_proc(m, ev->pid ? ev->pid : ev->tid);
	if (pi != FA_NONE) {
		set_comm(m->procs[pi].comm, ev->u.exec.comm);
		m->procs[pi].main = ti;
	}
}

static void on_proc_exit(struct fa_model *m, const struct fr_event *ev)
{
	uint32_t ti = get_thread(m, ev->tid, ev->pid, ev->ts_ns), pi;
	struct fa_thread *t;

	if (ti == FA_NONE)
		return;
	ensure_running(m, ti, ev->ts_ns, ev->cpu);
	t = &m->threads[ti];
	t->flags |= FA_TH_EXITED;
	t->end_ns = ev->ts_ns;
	t->exit_status = ev->u.exit.status;
	if (ev->u.exit.flags & FR_EXIT_GROUP_DEAD) {
		pi = get_proc(m, ev->pid ? ev->pid : ev->tid);
		if (pi != FA_NONE) {
			m->procs[pi].flags |= FA_TH_EXITED;
			m->procs[pi].exit_ns = ev->ts_ns;
			m->procs[pi].exit_status = ev->u.exit.status;
			m->procs[pi].exit_thread = ti;
		}
	}
}

static void on_comm(struct fa_model *m, const struct fr_event *ev)
{
	uint32_t ti = get_thread(m, ev->tid, ev->pid, ev->ts_ns), pi;

	if (ti == FA_NONE)
		return;
	set_comm(m->threads[ti].comm, ev->u.comm.new_comm);
	if (ev->tid == ev->pid) {
		pi = get_proc(m, ev->pid);
		if (pi != FA_NONE)
			set_comm(m->procs[pi].comm, ev->u.comm.new_comm);
	}
}

/* ---- memory ---------------------------------------------------------------------- */

static void push_span(struct fa_model *m, struct fa_span **v, uint32_t *n, uint32_t *cap,
		      const struct fa_span *s)
{
	struct fa_span *d;

	if ((uint64_t)m->n_reclaims + m->n_faults >= m->b->o.max_spans) {
		m->st.spans_dropped++;
		return;
	}
	d = FA_PUSH(*v, *n, *cap);
	if (d)
		*d = *s;
	else
		m->st.spans_dropped++;
}

static void on_fault(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_page_fault *pf = &ev->u.pf;
	uint32_t ti = get_thread(m, ev->tid, ev->pid, ev->ts_ns), pi;
	uint64_t s = pf->start_ns && pf->start_ns <= ev->ts_ns ? pf->start_ns : ev->ts_ns;
	bool major = pf->flags & FR_PF_MAJOR;

	if (ti == FA_NONE)
		return;
	ensure_running(m, ti, ev->ts_ns, ev->cpu);
	pi = get_proc(m, ev->pid ? ev->pid : ev->tid);
	if (pi != FA_NONE)
		m->procs[pi].fault_bytes += PAGE_BYTES;
	m->threads[ti].ns_fault += ev->ts_ns - s;
	if (major || ev->ts_ns - s >= m->b->o.fault_min_ns) {
		struct fa_span sp = {s, ev->ts_ns, ti, pf->flags, pf->address, 0};

		overlay(m, ti, s, ev->ts_ns, FA_IVF_FAULT | (major ? FA_IVF_MAJOR : 0));
		push_span(m, &m->faults, &m->n_faults, &m->cap_faults, &sp);
	}
}

static void on_reclaim(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_reclaim *rc = &ev->u.reclaim;
	uint32_t ti = get_thread(m, ev->tid, ev->pid, ev->ts_ns), pi;
	uint64_t s = rc->start_ns && rc->start_ns <= ev->ts_ns ? rc->start_ns : ev->ts_ns;
	struct fa_span sp;

	if (ti == FA_NONE)
		return;
	sp = (struct fa_span){s, ev->ts_ns, ti, rc->kind, rc->memcg_id, rc->nr_reclaimed};
	push_span(m, &m->reclaims, &m->n_reclaims, &m->cap_reclaims, &sp);
	if (rc->kind == FR_RECLAIM_KSWAPD) {
		m->threads[ti].flags |= FA_TH_KERNEL;
		return;
	}
	ensure_running(m, ti, ev->ts_ns, ev->cpu);
	overlay(m, ti, s, ev->ts_ns, FA_IVF_RECLAIM);
	m->threads[ti].ns_reclaim += ev->ts_ns - s;
	pi = get_proc(m, ev->pid ? ev->pid : ev->tid);
	if (pi != FA_NONE) {
		m->procs[pi].n_reclaim++;
		m->procs[pi].ns_reclaim += ev->ts_ns - s;
		if (rc->memcg_id)
			m->procs[pi].memcg = rc->memcg_id;
	}
}

static void on_oom(struct fa_model *m, const struct fr_event *ev)
{
	struct fa_oom *o = FA_PUSH(m->ooms, m->n_ooms, m->cap_ooms);

	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->ts = ev->ts_ns;
	o->trigger = get_thread(m, ev->tid, ev->pid, ev->ts_ns);
	o->victim_pid = ev->u.oom.victim_pid;
	o->memcg = ev->u.oom.memcg_id;
	o->anon_rss_kb = ev->u.oom.anon_rss_kb;
	o->total_vm_kb = ev->u.oom.total_vm_kb;
	set_comm(o->victim_comm, ev->u.oom.victim_comm);
}

/* ---- network, block, signals ----------------------------------------------------- */

static void on_tcp(struct fa_model *m, const struct fr_event *ev)
{
	struct fa_resource r;
	struct fa_tcp_event *te;
	uint32_t idx;

	if (ev->type == FR_EV_TCP_STATE && ev->u.tcp.newstate != 1 /* ESTABLISHED */ &&
	    ev->u.tcp.newstate != 7 /* CLOSE */ && ev->u.tcp.newstate != 2 /* SYN_SENT */)
		return;
	if (m->n_tcp >= MAX_TCP_EVENTS)
		return;
	memset(&r, 0, sizeof(r));
	r.kind = FA_RES_TCP;
	r.tuple = ev->u.tcp.tuple;
	r.tuple.protocol = 6;
	idx = fa_model__add_resource(m, &r, NULL);
	if (idx == FA_NONE)
		return;
	te = FA_PUSH(m->tcp, m->n_tcp, m->cap_tcp);
	if (!te)
		return;
	te->ts = ev->ts_ns;
	te->res = idx;
	te->type = ev->type;
	te->newstate = (int16_t)ev->u.tcp.newstate;
	te->thread = ev->tid ? fa_map_get(&m->b->tid2th, ev->tid, 0) : FA_NONE;
	te->reserved = 0;
}

static void on_block(struct fa_model *m, const struct fr_event *ev)
{
	const struct fr_ev_block *bk = &ev->u.blk;
	struct fa_build *b = m->b;
	uint32_t ti = ev->tid ? get_thread(m, ev->tid, ev->pid, ev->ts_ns) : FA_NONE;
	struct fa_bio *bio;

	if (ev->type == FR_EV_BLOCK_ISSUE) {
		struct pending_bio *p;
		uint32_t i = fa_map_get(&b->biomap, bk->dev, bk->sector);

		if (i == FA_NONE) {
			if (b->n_pend >= m->b->o.max_bios)
				return;
			p = FA_PUSH(b->pend, b->n_pend, b->cap_pend);
			if (!p || fa_map_put(&b->biomap, bk->dev, bk->sector, b->n_pend - 1))
				return;
		} else {
			p = &b->pend[i];
		}
		p->ts = ev->ts_ns;
		p->thread = ti;
		return;
	}
	if (m->n_bios >= b->o.max_bios) {
		m->st.bios_dropped++;
		return;
	}
	bio = FA_PUSH(m->bios, m->n_bios, m->cap_bios);
	if (!bio) {
		m->st.bios_dropped++;
		return;
	}
	memset(bio, 0, sizeof(*bio));
	bio->issue_ns = bk->issue_ns <= ev->ts_ns ? bk->issue_ns : 0;
	bio->complete_ns = ev->ts_ns;
	bio->thread = ti;
	bio->dev = bk->dev;
	bio->bytes = bk->nr_bytes;
	bio->error = bk->error;
	memcpy(bio->rwbs, bk->rwbs, sizeof(bio->rwbs));
	bio->rwbs[sizeof(bio->rwbs) - 1] = 0;
	if (!bio->issue_ns || bio->thread == FA_NONE) {
		uint32_t i = fa_map_get(&b->biomap, bk->dev, bk->sector);

		if (i != FA_NONE && b->pend[i].ts <= ev->ts_ns) {
			if (!bio->issue_ns)
				bio->issue_ns = b->pend[i].ts;
			if (bio->thread == FA_NONE)
				bio->thread = b->pend[i].thread;
		}
	}
}

static void on_signal(struct fa_model *m, const struct fr_event *ev)
{
	struct fa_signal *s;

	if (m->n_signals >= MAX_SIGNALS)
		return;
	s = FA_PUSH(m->signals, m->n_signals, m->cap_signals);
	if (!s)
		return;
	s->ts = ev->ts_ns;
	s->sender = ev->tid ? get_thread(m, ev->tid, ev->pid, ev->ts_ns) : FA_NONE;
	s->target_tid = ev->u.sig_gen.target_tid;
	s->target_pid = ev->u.sig_gen.target_pid;
	s->sig = ev->u.sig_gen.sig;
	s->code = ev->u.sig_gen.code;
	s->result = ev->u.sig_gen.result;
}

static void on_lost(struct fa_model *m, const struct fr_event *ev)
{
	struct fa_loss *l;
	uint32_t i;

	m->st.lost_events += ev->u.lost.count;
	if (m->n_losses < MAX_LOSS_RECORDS &&
	    (l = FA_PUSH(m->losses, m->n_losses, m->cap_losses))) {
		l->ts = ev->ts_ns;
		l->count = ev->u.lost.count;
		l->cause = ev->u.lost.cause;
		l->cpu = ev->cpu;
	}
	if (ev->u.lost.cause != FR_LOSS_RING_FULL && ev->u.lost.cause != FR_LOSS_EVICTED)
		return; /* payload losses do not hide state changes */
	for (i = 0; i < m->n_threads; i++)
		if (m->threads[i].n_iv)
			m->threads[i].iv[m->threads[i].n_iv - 1].flags |= FA_IVF_LOSS;
}

/* ---- the pass --------------------------------------------------------------------- */

static void dispatch(struct fa_model *m, const struct fr_event *ev)
{
	switch (ev->type) {
	case FR_EV_SYSCALL:
		on_syscall(m, ev);
		break;
	case FR_EV_SCHED_SWITCH:
		on_switch(m, ev);
		break;
	case FR_EV_SCHED_WAKEUP:
		on_wakeup(m, ev);
		break;
	case FR_EV_SCHED_MIGRATE:
		on_migrate(m, ev);
		break;
	case FR_EV_PROC_FORK:
		on_fork(m, ev);
		break;
	case FR_EV_PROC_EXEC:
		on_exec(m, ev);
		break;
	case FR_EV_PROC_EXIT:
		on_proc_exit(m, ev);
		break;
	case FR_EV_PROC_COMM:
		on_comm(m, ev);
		break;
	case FR_EV_PAGE_FAULT:
		on_fault(m, ev);
		break;
	case FR_EV_RECLAIM:
		on_reclaim(m, ev);
		break;
	case FR_EV_OOM_KILL:
		on_oom(m, ev);
		break;
	case FR_EV_TCP_STATE:
	case FR_EV_TCP_RETRANSMIT:
	case FR_EV_TCP_RESET:
		on_tcp(m, ev);
		break;
	case FR_EV_BLOCK_ISSUE:
	case FR_EV_BLOCK_COMPLETE:
		on_block(m, ev);
		break;
	case FR_EV_SIGNAL_GENERATE:
		on_signal(m, ev);
		break;
	case FR_EV_LOST:
		on_lost(m, ev);
		break;
	case FR_EV_MARK:
		if (ev->u.mark.kind == FR_MARK_TRIGGER && !m->trigger_ns)
			m->trigger_ns = ev->ts_ns;
		break;
	default:
		break;
	}
}

/*
 * Was the bundle written by `flightrec capture` with --pid, --comm or
 * --cgroup filters?  Its process table then lists every process with an
 * event in the window, including those only met on a CPU next to a recorded
 * one (a switch to or from it): their timelines have holes.
 */
static bool filtered_capture(const struct fr_manifest *mf)
{
	json_t *mode, *filters, *f;
	size_t i;

	if (!mf || !mf->capture)
		return false;
	mode = json_object_get(mf->capture, "mode");
	filters = json_object_get(mf->capture, "filters");
	if (!json_is_string(mode) || strcmp(json_string_value(mode), "capture") ||
	    !json_is_array(filters))
		return false;
	json_array_foreach (filters, i, f) {
		json_t *k = json_object_get(f, "kind");

		if (json_is_string(k) && strcmp(json_string_value(k), "system-wide"))
			return true;
	}
	return false;
}

static void finalize(struct fa_model *m)
{
	struct fa_build *b = m->b;
	bool filtered = filtered_capture(fr_reader__manifest(m->reader));
	uint32_t i, k;

	for (i = 0; i < b->n_reqs; i++)
		req_emit(m, &b->reqs[i]);
	for (i = 0; i < m->n_threads; i++) {
		struct fa_thread *t = &m->threads[i];

		if (!(t->flags & FA_TH_EXITED) || t->end_ns < t->first_ns)
			t->end_ns = m->end_ns;
		if (t->n_iv && t->end_ns < t->iv[t->n_iv - 1].start)
			t->end_ns = t->iv[t->n_iv - 1].start;
		{
			/* kernel threads have no executable (a system-wide process
			 * table lists them too) */
			const struct fr_process *fp = fr_reader__find_process(m->reader, t->pid);

			if (is_kernel_comm(t->comm) && (!fp || !fp->exe || !fp->exe[0]))
				t->flags |= FA_TH_KERNEL;
		}
		/* in a filtered capture, only threads with events of their own
		 * (system calls, fork, exit) were recorded by the filter */
		if (fr_reader__find_process(m->reader, t->pid) &&
		    (!filtered || (t->flags & (FA_TH_SYSCALLS | FA_TH_FORKED | FA_TH_EXITED))))
			t->flags |= FA_TH_RECORDED;
		memset(t->ns_by_state, 0, sizeof(t->ns_by_state));
		for (k = 0; k < t->n_iv; k++) {
			t->ns_by_state[t->iv[k].state] +=
			    fa_thread__interval_end(t, k) - t->iv[k].start;
			/* a task seen only when it meets recorded ones has holes: its
			 * contradictions are expected, not worth reporting */
			if ((t->iv[k].flags & FA_IVF_REPAIRED) &&
			    (t->flags & (FA_TH_RECORDED | FA_TH_SYSCALLS)))
				m->st.repaired++;
		}
		if (t->flags & FA_TH_SYSCALLS)
			t->flags |= FA_TH_RECORDED;
		if (t->flags & FA_TH_RECORDED)
			m->n_recorded++;
		if (t->tid == t->pid) {
			uint32_t pi = fa_map_get(&b->pid2proc, t->pid, 0);

			if (pi != FA_NONE && m->procs[pi].main == FA_NONE)
				m->procs[pi].main = i;
		}
	}
}

static void progress(struct fa_model *m, bool last)
{
	struct fa_build *b = m->b;

	if (!b->o.progress)
		return;
	if (last) {
		fprintf(stderr, "\ranalyze: %" PRIu64 " events read%20s\n", m->st.events, "");
		return;
	}
	if (m->st.events < b->next_progress)
		return;
	b->next_progress = m->st.events + (1u << 20);
	if (b->total_events)
		fprintf(stderr, "\ranalyze: %" PRIu64 "/%" PRIu64 " events (%u%%)", m->st.events,
			b->total_events, (unsigned)(m->st.events * 100 / b->total_events));
	else
		fprintf(stderr, "\ranalyze: %" PRIu64 " events", m->st.events);
}

/* Free what only the pass over the events needs (all but the thread and
 * process lookups) and leave it empty, so that it may be freed again. */
static void free_pass_state(struct fa_build *b, uint32_t n_procs)
{
	uint32_t i;

	fa_map_free(&b->statmap);
	fa_map_free(&b->errmap);
	fa_map_free(&b->resmap);
	fa_map_free(&b->streammap);
	fa_map_free(&b->reqmap);
	fa_map_free(&b->biomap);
	for (i = 0; i < n_procs && i < b->cap_pb; i++) {
		free(b->pb[i].fds);
		free(b->pb[i].anon);
	}
	free(b->pb);
	b->pb = NULL;
	b->cap_pb = 0;
	free(b->reqs);
	b->reqs = NULL;
	b->n_reqs = b->cap_reqs = 0;
	free(b->pend);
	b->pend = NULL;
	b->n_pend = b->cap_pend = 0;
	free(b->pairs);
	b->pairs = NULL;
	b->n_pairs = b->cap_pairs = 0;
}

/* After the pass only the thread and process lookups are needed. */
static void trim_build(struct fa_model *m)
{
	struct fa_build *b = m->b;
	uint32_t i;

	/* A TCP socket that never read (a client whose poll for the answer
	 * timed out) or never wrote still has that direction's stream when
	 * its peer used it: link it, for the critical path. */
	for (i = 0; i < m->n_res; i++) {
		struct fa_resource *r = &m->res[i];
		uint64_t ka, kb;

		if (r->kind != FA_RES_TCP)
			continue;
		if (r->rd_stream == FA_NONE && stream_key(r, FA_DIR_READ, &ka, &kb))
			r->rd_stream = fa_map_get(&b->streammap, ka, kb);
		if (r->wr_stream == FA_NONE && stream_key(r, FA_DIR_WRITE, &ka, &kb))
			r->wr_stream = fa_map_get(&b->streammap, ka, kb);
	}
	free_pass_state(b, m->n_procs);
}

static void free_build(struct fa_model *m)
{
	struct fa_build *b = m->b;

	if (!b)
		return;
	fa_map_free(&b->tid2th);
	fa_map_free(&b->pid2proc);
	free_pass_state(b, m->n_procs);
	free(b);
	m->b = NULL;
}

int fa_model__build(struct fr_reader *r, const struct fa_options *o, struct fa_model **out,
		    char *err, size_t errlen)
{
	struct fa_model *m;
	const struct fr_event *ev;
	struct fr_filter f;
	int rc;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->b = calloc(1, sizeof(*m->b)))) {
		free(m);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	m->reader = r;
	m->manifest = fr_reader__manifest(r);
	if (o)
		m->b->o = *o;
	if (!m->b->o.max_flows)
		m->b->o.max_flows = 8u << 20;
	if (!m->b->o.max_bios)
		m->b->o.max_bios = 4u << 20;
	if (!m->b->o.max_spans)
		m->b->o.max_spans = 4u << 20;
	if (!m->b->o.fault_min_ns)
		m->b->o.fault_min_ns = 20000;
	m->b->nr = fa_sysnr();
	m->b->total_events = m->manifest->event_count;
	m->b->next_progress = 1u << 20;
	load_proc_fds(m);

	memset(&f, 0, sizeof(f));
	f.since_ns = m->b->o.since_ns;
	f.until_ns = m->b->o.until_ns;
	fr_reader__set_filter(r, (f.since_ns || f.until_ns) ? &f : NULL);
	while ((rc = fr_reader__next(r, &ev)) == 1) {
		if (!m->st.events)
			m->start_ns = ev->ts_ns;
		m->end_ns = ev->ts_ns;
		m->st.events++;
		if (ev->type < FR_EV_TYPE_COUNT)
			m->st.events_by_type[ev->type]++;
		dispatch(m, ev);
		if (m->b->oom) {
			rc = -ENOMEM;
			break;
		}
		if ((m->st.events & 0xffff) == 0)
			progress(m, false);
	}
	fr_reader__set_filter(r, NULL);
	if (rc < 0) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "out of memory after %" PRIu64 " events",
				 m->st.events);
		else
			snprintf(err, errlen, "%s", fr_reader__strerror(r));
		fa_model__free(m);
		return rc;
	}
	finalize(m);
	trim_build(m);
	progress(m, true);
	*out = m;
	return 0;
}

void fa_model__free(struct fa_model *m)
{
	uint32_t i;

	if (!m)
		return;
	free_build(m);
	for (i = 0; i < m->n_threads; i++)
		free(m->threads[i].iv);
	free(m->threads);
	for (i = 0; i < m->n_procs; i++)
		free(m->procs[i].mem);
	free(m->procs);
	free(m->waits);
	for (i = 0; i < m->n_res; i++)
		free(m->res[i].name);
	free(m->res);
	for (i = 0; i < m->n_streams; i++)
		free(m->streams[i].flows);
	free(m->streams);
	free(m->bios);
	free(m->reclaims);
	free(m->faults);
	for (i = 0; i < m->n_cpus; i++)
		free(m->cpus[i].runs);
	free(m->cpus);
	free(m->fwakes);
	free(m->signals);
	free(m->tcp);
	free(m->ooms);
	free(m->losses);
	free(m->stats);
	free(m->errors);
	free(m);
}
