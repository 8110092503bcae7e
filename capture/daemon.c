// SPDX-License-Identifier: MIT
/*
 * daemon.c: the always-on flight recorder (see daemon.h).
 *
 * Locks: `lock` guards the trigger state (the job, cooldown, suppressed
 * triggers) and goes with the condition variable `cv` the writer waits on;
 * `plock` guards the process table the drain thread learns from events and
 * the writer reads.  Never both at once.  The ring has its own lock.
 */
/* fr_events.h before <signal.h>: see cmd_record.c */
#include "capture/daemon.h"
#include "capture/engine.h"
#include "capture/procfs.h"
#include "capture/reorder.h"
#include "capture/retention.h"
#include "capture/ring.h"
#include "capture/trigger.h"
#include "capture/webhook.h"
#include "cli/commands.h"
#include "formats/bundle.h"
#include "formats/util.h"

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How far behind the newest event records are held for ordering.  Shorter
 * than `flightrec record`'s 100 ms: the records held are copied into the
 * window and read back when released, and the larger the window the less of
 * it stays in the CPU caches (measured under the redis load: the window is
 * ~11% of the drain thread's time at 20 ms, mostly that copy; compressing
 * the ring's chunks is 46%, encoding events 15%).  Events reported later
 * than this (a page fault told when its task runs again) are stamped with
 * the last released time and counted (capture.agent.reorder_late). */
#define REORDER_WINDOW_NS 20000000ULL
#define REORDER_MAX_BYTES (32u << 20)
#define CUT_SLACK_NS 250000000ULL      /* after window end + reorder window */
#define PRUNE_EVERY_NS 2000000000ULL
#define PROC_BUCKETS 4096
#define PROC_MAX_THREADS 4096
#define PROC_ARGV_MAX 4096
#define MAX_WAITERS 32
#define MAX_SUPPRESSED_LISTED 64
#define TAKE_BATCH 256

/* ---- the process table learnt from events -------------------------------------- */

struct dthread {
	uint32_t tid;
	char comm[FR_COMM_LEN];
};

struct dproc {
	struct dproc *next; /* hash chain */
	uint32_t pid, ppid;
	char comm[FR_COMM_LEN];
	char *exe;
	char *argv;         /* NUL-separated */
	size_t argv_len;
	uint64_t first_ns, last_ns, start_ns, exit_ns;
	int32_t exit_status;
	bool exited;
	/* it had events of its own (a system call, its fork or exec): the
	 * filter records it.  With filters, a process only met on a CPU next
	 * to a recorded one (a switch, a wakeup) has none, and none of its
	 * data (argv, environment, maps, files) goes into a bundle. */
	bool recorded;
	struct dthread *threads;
	uint32_t nt, ct, last_t;
};

/* ---- a bundle being written --------------------------------------------------- */

struct job {
	bool active;
	char kind[16];
	char reason[FR_TRIGGER_REASON_MAX + 128];
	uint64_t trig_ns;
	uint64_t ws, we; /* window, event clock */
	struct timespec trig_utc;
	char path[4096];
	int waiters[MAX_WAITERS];
	int nwait;
	bool need_mark;  /* the drain thread still has to insert the mark */
	bool cut_done;   /* every event <= we is in a sealed chunk */
	bool ended_early;
	uint64_t cut_ns; /* the window end actually reached */
	json_t *suppressed; /* triggers suppressed while this job ran */
};

struct daemon {
	const struct fr_daemon_opts *o;
	struct fr_engine *engine;
	struct fr_reorder *reorder;
	struct fr_ring *ring;
	struct fr_buildid_cache *bc;
	int64_t clock_to_utc_ns;
	uint64_t start_ns; /* event clock at start */

	pthread_t drain_th, writer_th;
	bool drain_started, writer_started;
	atomic_bool stop;
	atomic_int fatal; /* -errno of a failure that stops the daemon */
	char fatal_msg[512];

	/* trigger state */
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct job job;
	uint64_t last_accept_ns;
	bool any_accept;
	uint64_t suppressed_total, suppressed_unlogged;
	uint64_t last_log_ns;
	json_t *suppressed_pending; /* suppressed since the last bundle (cooldown) */
	uint64_t bundles_written, bundles_failed;
	atomic_uint_fast64_t cut_at; /* drain: seal at the first event past this (0: none) */

	/* process table */
	pthread_mutex_t plock;
	struct dproc *buckets[PROC_BUCKETS];
	size_t nprocs;

	/* the drain thread's counters, published under `lock` for the writer */
	struct fr_engine_stats pub_es;
	struct fr_reorder_stats pub_rs;
	uint64_t pub_bad;

	/* drain thread only */
	struct fr_event ev;
	uint64_t bad_records, raised, redacted;
	uint64_t last_prune_ns;
	bool plock_held; /* the drain thread holds plock for a whole release */
	char comm_buf[FR_COMM_LEN];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int64_t measure_utc_offset(void)
{
	struct timespec m, r;

	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return ((int64_t)r.tv_sec - (int64_t)m.tv_sec) * 1000000000LL +
	       ((int64_t)r.tv_nsec - (int64_t)m.tv_nsec);
}

static void set_fatal(struct daemon *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_fatal(struct daemon *d, int err, const char *fmt, ...)
{
	int zero = 0;
	va_list ap;

	if (!atomic_compare_exchange_strong(&d->fatal, &zero, err ? err : -EIO))
		return;
	va_start(ap, fmt);
	vsnprintf(d->fatal_msg, sizeof(d->fatal_msg), fmt, ap);
	va_end(ap);
	atomic_store(&d->stop, true);
}

/* ---- process table ---------------------------------------------------------------- */

static struct dproc **pbucket(struct daemon *d, uint32_t pid)
{
	return &d->buckets[(pid * 2654435761u) % PROC_BUCKETS];
}

static struct dproc *proc_find(struct daemon *d, uint32_t pid)
{
	struct dproc *p;

	for (p = *pbucket(d, pid); p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void proc_free(struct dproc *p)
{
	free(p->exe);
	free(p->argv);
	free(p->threads);
	free(p);
}

static void proc_reset(struct dproc *p)
{
	struct dproc *next = p->next;
	uint32_t pid = p->pid;

	free(p->exe);
	free(p->argv);
	free(p->threads);
	memset(p, 0, sizeof(*p));
	p->next = next;
	p->pid = pid;
}

/* Identity of a process first seen running (not through a fork we saw). */
static void proc_fill_from_proc(struct dproc *p)
{
	char path[64], *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "/proc/%u/stat", p->pid);
	if (!fr_read_file(path, 4096, &buf, &len)) {
		/* "pid (comm) state ppid ...": comm may hold spaces and ')' */
		char *open = strchr(buf, '('), *close = strrchr(buf, ')');
		unsigned ppid;

		if (open && close && close > open) {
			snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(close - open - 1), open + 1);
			if (sscanf(close + 1, " %*c %u", &ppid) == 1)
				p->ppid = ppid;
		}
		free(buf);
	}
	snprintf(path, sizeof(path), "/proc/%u/cmdline", p->pid);
	buf = NULL;
	if (!fr_read_file(path, PROC_ARGV_MAX, &buf, &len) && len) {
		p->argv = buf;
		p->argv_len = len;
	} else {
		free(buf);
	}
	{
		char exe[4096];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%u/exe", p->pid);
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = '\0';
			p->exe = strdup(exe);
		}
	}
}

static struct dproc *proc_get(struct daemon *d, uint32_t pid, uint64_t ts, bool from_fork)
{
	struct dproc *p = proc_find(d, pid), **b;

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->first_ns = ts;
	p->last_ns = ts;
	if (!from_fork && pid)
		proc_fill_from_proc(p);
	b = pbucket(d, pid);
	p->next = *b;
	*b = p;
	d->nprocs++;
	return p;
}

static struct dthread *proc_thread(struct dproc *p, uint32_t tid)
{
	uint32_t i;

	/* events of one thread come in runs: try the last one first */
	if (p->last_t < p->nt && p->threads[p->last_t].tid == tid)
		return &p->threads[p->last_t];
	for (i = 0; i < p->nt; i++)
		if (p->threads[i].tid == tid) {
			p->last_t = i;
			return &p->threads[i];
		}
	if (p->nt >= PROC_MAX_THREADS)
		return NULL;
	if (p->nt == p->ct) {
		uint32_t c = p->ct ? 2 * p->ct : 4;
		struct dthread *n = realloc(p->threads, c * sizeof(*n));

		if (!n)
			return NULL;
		p->threads = n;
		p->ct = c;
	}
	memset(&p->threads[p->nt], 0, sizeof(p->threads[0]));
	p->threads[p->nt].tid = tid;
	return &p->threads[p->nt++];
}

static void set_comm(char *dst, const char *src)
{
	snprintf(dst, FR_COMM_LEN, "%.*s", FR_COMM_LEN - 1, src);
}

/* What the process table learns from one event (drain thread, plock held). */
static void track(struct daemon *d, const struct fr_event *ev)
{
	struct dproc *p, *c;
	struct dthread *t;
	const struct fr_payload *pl;

	if (!ev->pid && ev->type != FR_EV_PROC_FORK)
		return; /* idle task, marks */
	p = proc_get(d, ev->pid, ev->ts_ns, false);
	if (!p)
		return;
	p->last_ns = ev->ts_ns;
	t = proc_thread(p, ev->tid);
	if (ev->type == FR_EV_SYSCALL || ev->type == FR_EV_PROC_EXEC ||
	    ev->type == FR_EV_PROC_FORK)
		p->recorded = true;
	switch (ev->type) {
	case FR_EV_PROC_FORK:
		if (ev->u.fork.child_pid != ev->pid) {
			c = proc_find(d, ev->u.fork.child_pid);
			if (c)
				proc_reset(c); /* pid reused */
			else
				c = proc_get(d, ev->u.fork.child_pid, ev->ts_ns, true);
			if (!c)
				break;
			c->first_ns = c->last_ns = c->start_ns = ev->ts_ns;
			c->ppid = ev->pid;
			c->recorded = true; /* a recorded process's child is */
			set_comm(c->comm, ev->u.fork.child_comm);
			/* the child runs its parent's program until it execs */
			if (p->exe)
				c->exe = strdup(p->exe);
			if (p->argv && (c->argv = malloc(p->argv_len))) {
				memcpy(c->argv, p->argv, p->argv_len);
				c->argv_len = p->argv_len;
			}
			t = proc_thread(c, ev->u.fork.child_tid);
		} else {
			t = proc_thread(p, ev->u.fork.child_tid);
		}
		if (t)
			set_comm(t->comm, ev->u.fork.child_comm);
		break;
	case FR_EV_PROC_EXEC:
		set_comm(p->comm, ev->u.exec.comm);
		if (t)
			set_comm(t->comm, ev->u.exec.comm);
		pl = fr_event_payload(ev, FR_PL_EXEC_FILENAME, -1, -1);
		if (pl) {
			free(p->exe);
			p->exe = strndup((const char *)pl->data, pl->len);
		}
		pl = fr_event_payload(ev, FR_PL_EXEC_ARGV, -1, -1);
		if (pl) {
			size_t n = FR_MIN((size_t)pl->len, (size_t)PROC_ARGV_MAX);

			free(p->argv);
			p->argv = malloc(n ? n : 1);
			p->argv_len = p->argv ? n : 0;
			if (p->argv)
				memcpy(p->argv, pl->data, n);
		}
		break;
	case FR_EV_PROC_COMM:
		if (t)
			set_comm(t->comm, ev->u.comm.new_comm);
		if (ev->tid == ev->pid)
			set_comm(p->comm, ev->u.comm.new_comm);
		break;
	case FR_EV_PROC_EXIT:
		if (ev->u.exit.flags & FR_EXIT_GROUP_DEAD) {
			p->exited = true;
			p->exit_ns = ev->ts_ns;
			p->exit_status = ev->u.exit.status;
		}
		break;
	case FR_EV_SCHED_SWITCH:
		if (t && !t->comm[0])
			set_comm(t->comm, ev->u.sw.prev_comm);
		if (!p->comm[0] && ev->tid == ev->pid)
			set_comm(p->comm, ev->u.sw.prev_comm);
		break;
	default:
		break;
	}
}

/* Forget processes nobody can ask about any more (drain thread). */
static void prune(struct daemon *d, uint64_t now)
{
	uint64_t keep = d->o->pre_ns + d->o->post_ns + 5000000000ULL, bound;
	size_t i;

	bound = now > keep ? now - keep : 0;
	pthread_mutex_lock(&d->lock);
	if (d->job.active && d->job.ws < bound)
		bound = d->job.ws;
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_lock(&d->plock);
	for (i = 0; i < PROC_BUCKETS; i++) {
		struct dproc **pp = &d->buckets[i];

		while (*pp) {
			struct dproc *p = *pp;

			if (p->last_ns < bound) {
				*pp = p->next;
				proc_free(p);
				d->nprocs--;
			} else {
				pp = &p->next;
			}
		}
	}
	pthread_mutex_unlock(&d->plock);
}

/* Rules ask for task names (drain thread; plock is not held then). */
static const char *comm_lookup(void *ctx, uint32_t pid, uint32_t tid)
{
	struct daemon *d = ctx;
	struct dproc *p;
	uint32_t i;
	char path[64], *buf = NULL;
	size_t len;

	d->comm_buf[0] = '\0';
	if (!d->plock_held)
		pthread_mutex_lock(&d->plock);
	p = proc_find(d, pid);
	if (p) {
		for (i = 0; i < p->nt; i++)
			if (p->threads[i].tid == tid && p->threads[i].comm[0])
				set_comm(d->comm_buf, p->threads[i].comm);
		if (!d->comm_buf[0])
			set_comm(d->comm_buf, p->comm);
	}
	if (!d->plock_held)
		pthread_mutex_unlock(&d->plock);
	if (d->comm_buf[0])
		return d->comm_buf;
	snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", pid, tid);
	if (!fr_read_file(path, 64, &buf, &len)) {
		buf[strcspn(buf, "\n")] = '\0';
		set_comm(d->comm_buf, buf);
		free(buf);
	}
	return d->comm_buf;
}

/* ---- triggers -------------------------------------------------------------------------- */

enum tr_result { TR_ACCEPTED, TR_JOINED, TR_SUPPRESSED };

static void note_suppressed(json_t *list, const char *kind, const char *reason,
			    uint64_t ts, const char *why)
{
	if (list && json_array_size(list) < MAX_SUPPRESSED_LISTED)
		json_array_append_new(list, json_pack("{s:s,s:s,s:I,s:s}", "kind", kind, "reason",
						      reason, "ts_ns", (json_int_t)ts, "why", why));
}

/*
 * Ask for a bundle of the window around `ts` (event clock).  `waiter` is a
 * socket client to answer when the bundle is written (-1: none; on
 * TR_ACCEPTED/TR_JOINED it belongs to the job).  `msg` gets the bundle path
 * or why it was suppressed.
 */
static enum tr_result trigger_request(struct daemon *d, const char *kind, const char *reason,
				      uint64_t ts, int waiter, char *msg, size_t msglen)
{
	const struct fr_daemon_opts *o = d->o;
	enum tr_result res;
	char why[128];
	bool log_it = false;
	uint64_t now = mono_ns();

	pthread_mutex_lock(&d->lock);
	if (d->job.active) {
		if (waiter >= 0 && ts >= d->job.ws && ts <= d->job.we &&
		    d->job.nwait < MAX_WAITERS) {
			d->job.waiters[d->job.nwait++] = waiter;
			snprintf(msg, msglen, "%s", d->job.path);
			snprintf(why, sizeof(why), "joined the bundle in progress");
			res = TR_JOINED;
		} else {
			snprintf(why, sizeof(why), "a bundle is being written (%s)", d->job.path);
			snprintf(msg, msglen, "%s", why);
			res = TR_SUPPRESSED;
		}
		note_suppressed(d->job.suppressed, kind, reason, ts, why);
		d->suppressed_total++;
	} else if (d->any_accept && ts < d->last_accept_ns + o->cooldown_ns) {
		char left[32];

		fr_fmt_duration(left, sizeof(left), d->last_accept_ns + o->cooldown_ns - ts);
		snprintf(why, sizeof(why), "cooldown (%s left)", left);
		snprintf(msg, msglen, "%s", why);
		note_suppressed(d->suppressed_pending, kind, reason, ts, why);
		d->suppressed_total++;
		res = TR_SUPPRESSED;
	} else {
		struct job *j = &d->job;
		int64_t utc = (int64_t)ts + d->clock_to_utc_ns;
		int rc;

		memset(j, 0, sizeof(*j));
		snprintf(j->kind, sizeof(j->kind), "%s", kind);
		snprintf(j->reason, sizeof(j->reason), "%s", reason);
		j->trig_ns = ts;
		j->ws = ts > o->pre_ns ? ts - o->pre_ns : 0;
		j->we = ts + o->post_ns;
		j->trig_utc.tv_sec = (time_t)(utc / 1000000000LL);
		j->trig_utc.tv_nsec = (long)(utc % 1000000000LL);
		rc = fr_retention__name(o->out_dir, &j->trig_utc, kind, j->path, sizeof(j->path));
		if (rc) {
			snprintf(why, sizeof(why), "no bundle name available in %s: %s", o->out_dir,
				 strerror(-rc));
			snprintf(msg, msglen, "%s", why);
			d->suppressed_total++;
			res = TR_SUPPRESSED;
			memset(j, 0, sizeof(*j));
		} else {
			j->active = true;
			j->need_mark = strcmp(kind, "rule") != 0;
			j->suppressed = d->suppressed_pending ? d->suppressed_pending : json_array();
			d->suppressed_pending = json_array();
			if (waiter >= 0)
				j->waiters[j->nwait++] = waiter;
			d->last_accept_ns = ts;
			d->any_accept = true;
			atomic_store(&d->cut_at, j->we);
			snprintf(msg, msglen, "%s", j->path);
			res = TR_ACCEPTED;
			pthread_cond_broadcast(&d->cv);
		}
	}
	if (res != TR_ACCEPTED) {
		/* at most one line a second; the rest are counted */
		if (now - d->last_log_ns >= 1000000000ULL) {
			log_it = true;
			d->last_log_ns = now;
		} else {
			d->suppressed_unlogged++;
		}
	}
	if (log_it) {
		uint64_t more = d->suppressed_unlogged;
		char tail[64] = "";

		d->suppressed_unlogged = 0;
		pthread_mutex_unlock(&d->lock);
		if (more)
			snprintf(tail, sizeof(tail), "; %" PRIu64 " more suppressed meanwhile", more);
		pr_warn("capture: trigger %s: %s (%s: %s)%s\n",
			res == TR_JOINED ? "joined" : "suppressed", why, kind, reason, tail);
		return res;
	}
	pthread_mutex_unlock(&d->lock);
	if (res == TR_ACCEPTED)
		pr_info("capture: trigger (%s: %s): writing %s\n", kind, reason, msg);
	return res;
}

/* A mark event: FR_EV_MARK with the reason as FR_PL_TEXT. */
static void make_mark(struct fr_event *ev, uint64_t ts, const char *text, size_t len)
{
	memset(ev, 0, offsetof(struct fr_event, payloads));
	ev->ts_ns = ts;
	ev->type = FR_EV_MARK;
	ev->u.mark.kind = FR_MARK_TRIGGER;
	ev->n_payloads = 1;
	memset(&ev->payloads[0], 0, sizeof(ev->payloads[0]));
	ev->payloads[0].kind = FR_PL_TEXT;
	ev->payloads[0].arg = 0xff;
	ev->payloads[0].len = ev->payloads[0].full_len = (uint32_t)len;
	ev->payloads[0].data = (const uint8_t *)text;
}

/* The same as a ring-buffer record, for the reorder window. */
static int push_mark_record(struct daemon *d, uint64_t ts, const char *text)
{
	uint8_t rec[sizeof(struct fr_rec_hdr) + sizeof(struct fr_ev_mark) +
		    sizeof(struct fr_payload_hdr) + FR_TRIGGER_REASON_MAX + 256];
	size_t len = strlen(text), off;
	struct fr_rec_hdr h = { 0 };
	struct fr_ev_mark m = { .kind = FR_MARK_TRIGGER };
	struct fr_payload_hdr ph = { .kind = FR_PL_TEXT, .arg = 0xff };

	if (len > FR_TRIGGER_REASON_MAX + 200)
		len = FR_TRIGGER_REASON_MAX + 200;
	memset(rec, 0, sizeof(rec));
	off = sizeof(h);
	memcpy(rec + off, &m, sizeof(m));
	off += sizeof(m);
	ph.full_len = ph.len = (uint32_t)len;
	memcpy(rec + off, &ph, sizeof(ph));
	off += sizeof(ph);
	memcpy(rec + off, text, len);
	off += (len + 7) & ~(size_t)7;
	h.ts_ns = ts;
	h.type = FR_EV_MARK;
	h.size = (uint32_t)off;
	memcpy(rec, &h, sizeof(h));
	return fr_reorder__push(d->reorder, rec, off);
}

/* Drain thread: every event <= the job's window end is sealed in the ring. */
static void cut(struct daemon *d, bool early, uint64_t at)
{
	int rc = fr_ring__seal(d->ring);

	if (rc)
		set_fatal(d, rc, "compressing events: %s", strerror(-rc));
	atomic_store(&d->cut_at, 0);
	pthread_mutex_lock(&d->lock);
	if (d->job.active && !d->job.cut_done) {
		d->job.cut_done = true;
		d->job.ended_early = early;
		d->job.cut_ns = early ? FR_MIN(at, d->job.we) : d->job.we;
		pthread_cond_broadcast(&d->cv);
	}
	pthread_mutex_unlock(&d->lock);
}

/* ---- the drain thread ---------------------------------------------------------------------- */

/* Reorder window -> redaction, process table, rules, ring. */
static int on_release(void *ctx, void *rec, size_t len)
{
	struct daemon *d = ctx;
	struct fr_event *ev = &d->ev;
	uint64_t cut_at;
	bool raised = false;
	size_t i;
	int rc;

	if (fr_event_from_record(ev, rec, len) < 0) {
		d->bad_records++;
		return 0;
	}
	if (d->o->redact)
		d->redacted += fr_redact__event(d->o->redact, ev);
	if (!d->plock_held)
		pthread_mutex_lock(&d->plock);
	track(d, ev);
	if (!d->plock_held)
		pthread_mutex_unlock(&d->plock);

	cut_at = atomic_load(&d->cut_at);
	if (cut_at && ev->ts_ns > cut_at)
		cut(d, false, cut_at);
	rc = fr_ring__add(d->ring, ev, &raised);
	if (raised)
		d->raised++;
	if (rc == -EINVAL) {
		d->bad_records++;
		return 0;
	}
	if (rc) {
		set_fatal(d, rc, "keeping events in the ring: %s", strerror(-rc));
		return rc;
	}
	for (i = 0; i < d->o->n_rules; i++) {
		char reason[FR_TRIGGER_REASON_MAX + 64], msg[4200];
		uint64_t ts = ev->ts_ns;
		struct fr_event *mark;

		if (!fr_rule__eval(&d->o->rules[i], ev, comm_lookup, d, reason, sizeof(reason)))
			continue;
		if (trigger_request(d, "rule", reason, ts, -1, msg, sizeof(msg)) != TR_ACCEPTED)
			continue;
		/* the mark goes right after the event that fired the rule */
		mark = malloc(sizeof(*mark));
		if (!mark)
			continue;
		snprintf(msg, sizeof(msg), "rule: %s", reason);
		make_mark(mark, ts, msg, strlen(msg));
		rc = fr_ring__add(d->ring, mark, NULL);
		free(mark);
		if (rc && rc != -EINVAL) {
			set_fatal(d, rc, "keeping events in the ring: %s", strerror(-rc));
			return rc;
		}
		break; /* one trigger per event */
	}
	return 0;
}

static int on_record(void *ctx, const void *rec, size_t len)
{
	struct daemon *d = ctx;
	int rc = fr_reorder__push(d->reorder, rec, len);

	if (rc) {
		set_fatal(d, rc, "buffering events: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

/* Drain thread: release from the reorder window holding the process-table
 * lock once for the batch rather than once an event.  (Records the window
 * releases early for lack of memory, inside a push, take it per event.) */
static int release(struct daemon *d, bool all)
{
	int rc;

	pthread_mutex_lock(&d->plock);
	d->plock_held = true;
	rc = fr_reorder__release(d->reorder, all);
	d->plock_held = false;
	pthread_mutex_unlock(&d->plock);
	return rc;
}

/* Drain thread: the engine's and reorder window's counters are its own;
 * the writer reads this copy. */
static void publish_stats(struct daemon *d)
{
	struct fr_engine_stats es;
	struct fr_reorder_stats rs;

	fr_engine__stats(d->engine, &es);
	fr_reorder__stats(d->reorder, &rs);
	pthread_mutex_lock(&d->lock);
	d->pub_es = es;
	d->pub_rs = rs;
	d->pub_bad = d->bad_records;
	pthread_mutex_unlock(&d->lock);
}

static void *drain_main(void *arg)
{
	struct daemon *d = arg;
	sigset_t set;
	int rc;

	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (!atomic_load(&d->stop)) {
		uint64_t now, cut_at;
		bool mark = false;
		char text[FR_TRIGGER_REASON_MAX + 200];
		uint64_t mark_ts = 0;

		/* The kernel side wakes us only when much is waiting (engine.h:
		 * wake_bytes); a quiet system's events are fetched on the poll
		 * timeout, so that the ring and the rules stay at most ~50 ms
		 * behind. */
		rc = fr_engine__poll(d->engine, 50);
		if (rc >= 0)
			rc = fr_engine__drain(d->engine);
		if (rc < 0 && rc != -EINTR) {
			set_fatal(d, rc, "reading the ring buffer: %s", strerror(-rc));
			break;
		}
		pthread_mutex_lock(&d->lock);
		if (d->job.active && d->job.need_mark) {
			d->job.need_mark = false;
			mark = true;
			mark_ts = d->job.trig_ns;
			snprintf(text, sizeof(text), "%s: %s", d->job.kind, d->job.reason);
		}
		pthread_mutex_unlock(&d->lock);
		if (mark && push_mark_record(d, mark_ts, text))
			pr_warn("capture: cannot insert the trigger mark\n");
		rc = release(d, false);
		if (rc < 0)
			break;
		publish_stats(d);
		now = mono_ns();
		cut_at = atomic_load(&d->cut_at);
		if (cut_at && now > cut_at + REORDER_WINDOW_NS + CUT_SLACK_NS) {
			/* a quiet system: nothing newer pushes the window on */
			fr_engine__drain(d->engine);
			release(d, true);
			if (atomic_load(&d->cut_at))
				cut(d, false, cut_at);
		}
		if (now - d->last_prune_ns > PRUNE_EVERY_NS) {
			d->last_prune_ns = now;
			prune(d, now);
		}
	}
	/* stopping: what is in the kernel ring goes in, the window ends now */
	fr_engine__drain(d->engine);
	release(d, true);
	publish_stats(d);
	cut(d, true, mono_ns());
	return NULL;
}

/* ---- the writer thread ------------------------------------------------------------------------ */

struct wctx {
	struct daemon *d;
	struct fr_writer *w;
	uint64_t ws, we;
	uint64_t losses[FR_LOSS_CAUSE_COUNT];
	uint64_t items_lost;
	bool evicted_exact;
	uint8_t *scratch;
	size_t scratch_cap;
	int err;
};

static void count_event_losses(struct wctx *x, const struct fr_event *ev)
{
	uint32_t i;

	if (ev->type == FR_EV_LOST && ev->u.lost.cause < FR_LOSS_CAUSE_COUNT)
		x->losses[ev->u.lost.cause] += ev->u.lost.count;
	for (i = 0; i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++) {
		if (ev->payloads[i].flags & FR_PLF_TRUNCATED)
			x->losses[FR_LOSS_PAYLOAD_TRUNCATED]++;
		if (ev->payloads[i].flags & FR_PLF_FAULT)
			x->losses[FR_LOSS_READ_FAULT]++;
		if (ev->payloads[i].flags & FR_PLF_LOST)
			x->items_lost++;
	}
}

static int trim_event(void *ctx, const struct fr_event *ev)
{
	struct wctx *x = ctx;
	int rc;

	if (ev->ts_ns < x->ws || ev->ts_ns > x->we)
		return 0;
	rc = fr_writer__add_event(x->w, ev);
	if (rc)
		return rc;
	count_event_losses(x, ev);
	return 0;
}

/* A hole: events of the window the ring evicted before they were copied. */
static int add_evicted(struct wctx *x, uint64_t count, uint64_t ts)
{
	struct fr_event *ev;
	int rc;

	if (!count)
		return 0;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->ts_ns = ts;
	ev->type = FR_EV_LOST;
	ev->u.lost.count = count;
	ev->u.lost.cause = FR_LOSS_EVICTED;
	rc = fr_writer__add_event(x->w, ev);
	free(ev);
	if (!rc)
		x->losses[FR_LOSS_EVICTED] += count;
	return rc;
}

/* Copy one ring chunk's events of the window into the bundle. */
static int copy_chunk(struct wctx *x, const struct fr_ring_chunk *c)
{
	const struct fr_chunk_info *ci = &c->c.info;
	unsigned k;
	int rc;

	if (ci->last_ts < x->ws || ci->first_ts > x->we)
		return 0;
	if (ci->first_ts >= x->ws && ci->last_ts <= x->we) {
		rc = fr_writer__add_chunk(x->w, &c->c);
		if (rc)
			return rc;
		for (k = 0; k < FR_LOSS_CAUSE_COUNT; k++)
			x->losses[k] += c->losses[k];
		x->items_lost += c->items_lost;
		return 0;
	}
	return fr_chunk__decode(&c->c, &x->scratch, &x->scratch_cap, trim_event, x);
}

/* A process of the bundle's table, from events and the /proc snapshot. */
struct pentry {
	struct fr_process p;
	bool have_snap;
};

static char **strv_from_block(const char *b, size_t len, uint32_t *n)
{
	size_t i, k = 0, cnt = 0;
	char **v;

	for (i = 0; i < len; i++)
		if (!b[i])
			cnt++;
	if (len && b[len - 1])
		cnt++;
	v = calloc(cnt + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < len && k < cnt;) {
		size_t l = strnlen(b + i, len - i);

		v[k] = strndup(b + i, l);
		if (!v[k])
			break;
		k++;
		i += l + 1;
	}
	*n = (uint32_t)k;
	return v;
}

/* May the bundle hold what /proc says of p (argv, environment, maps, fds)?
 * Recording system-wide, yes; with filters, only for processes the filter
 * records. */
static bool proc_shown(const struct daemon *d, const struct dproc *p)
{
	const struct fr_daemon_opts *o = d->o;

	return !(o->n_pids + o->n_comms + o->n_cgroups) || p->recorded;
}

/* Snapshot /proc for the processes active in [ws, now] (writer thread). */
static struct pentry *snapshot_window(struct daemon *d, uint64_t ws, size_t *n_out)
{
	uint32_t *pids = NULL;
	size_t n = 0, cap = 0, i, k = 0;
	struct pentry *v;

	pthread_mutex_lock(&d->plock);
	for (i = 0; i < PROC_BUCKETS; i++) {
		struct dproc *p;

		for (p = d->buckets[i]; p; p = p->next) {
			if (p->last_ns < ws || p->exited || !p->pid || !proc_shown(d, p))
				continue;
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 256;
				uint32_t *np = realloc(pids, nc * sizeof(*np));

				if (!np)
					break;
				pids = np;
				cap = nc;
			}
			pids[n++] = p->pid;
		}
	}
	pthread_mutex_unlock(&d->plock);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		free(pids);
		*n_out = 0;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (fr_procfs__snapshot((pid_t)pids[i], FR_SNAP_ALL, d->bc, &v[k].p))
			continue;
		v[k].have_snap = true;
		k++;
	}
	free(pids);
	*n_out = k;
	return v;
}

static int add_processes(struct daemon *d, struct fr_writer *w, uint64_t ws, uint64_t we,
			 struct pentry *snaps, size_t nsnaps, uint64_t *redact_fail)
{
	size_t i, j;
	int rc = 0;
	bool *used = calloc(nsnaps ? nsnaps : 1, sizeof(*used));

	if (!used)
		return -ENOMEM;
	pthread_mutex_lock(&d->plock);
	for (i = 0; i < PROC_BUCKETS && !rc; i++) {
		struct dproc *p;

		for (p = d->buckets[i]; p && !rc; p = p->next) {
			struct fr_process fp, *out = &fp;
			struct pentry *s = NULL;
			uint32_t t;

			if (!p->pid || p->last_ns < ws || p->first_ns > we)
				continue;
			for (j = 0; j < nsnaps; j++)
				if (!used[j] && snaps[j].p.pid == p->pid) {
					s = &snaps[j];
					used[j] = true;
					break;
				}
			memset(&fp, 0, sizeof(fp));
			if (s) {
				out = &s->p;
				out->flags |= FR_PROC_SNAPSHOT;
			} else {
				fp.pid = p->pid;
				fp.ppid = p->ppid;
				memcpy(fp.comm, p->comm, FR_COMM_LEN);
				/* its name and threads only, when not recorded */
				fp.exe = p->exe && proc_shown(d, p) ? strdup(p->exe) : NULL;
				if (p->argv && proc_shown(d, p))
					fp.argv = strv_from_block(p->argv, p->argv_len, &fp.argc);
			}
			if (p->ppid)
				out->ppid = p->ppid;
			if (p->comm[0])
				memcpy(out->comm, p->comm, FR_COMM_LEN);
			out->start_ns = p->start_ns;
			if (p->exited && p->exit_ns <= we) {
				out->flags |= FR_PROC_EXITED;
				out->exit_ns = p->exit_ns;
				out->exit_status = p->exit_status;
			}
			if (!out->n_threads && p->nt) {
				out->threads = calloc(p->nt, sizeof(*out->threads));
				if (out->threads) {
					for (t = 0; t < p->nt; t++) {
						out->threads[t].tid = p->threads[t].tid;
						memcpy(out->threads[t].comm, p->threads[t].comm,
						       FR_COMM_LEN);
					}
					out->n_threads = p->nt;
				}
			}
			if (fr_redact__process(d->o->redact, out) < 0) {
				/* never write what could not be masked */
				(*redact_fail)++;
				fr_process__clear(out);
				continue;
			}
			rc = fr_writer__add_process(w, out);
			if (out == &fp)
				fr_process__clear(&fp);
		}
	}
	pthread_mutex_unlock(&d->plock);
	free(used);
	return rc;
}

static json_t *capture_json(struct daemon *d, const struct job *j, struct wctx *x,
			    uint64_t snap_ns, uint64_t redact_fail)
{
	const struct fr_daemon_opts *o = d->o;
	json_t *c, *filters = json_array(), *rules = json_array(), *agent, *ring;
	struct fr_engine_stats es;
	struct fr_reorder_stats rs;
	struct fr_ring_stats gs;
	struct rusage ru;
	json_t *suppressed;
	uint64_t bad;
	size_t i;

	for (i = 0; i < o->n_pids; i++)
		json_array_append_new(filters, json_pack("{s:s,s:I}", "kind", "pid", "pid",
							 (json_int_t)o->pids[i]));
	for (i = 0; i < o->n_comms; i++)
		json_array_append_new(filters,
				      json_pack("{s:s,s:s}", "kind", "comm", "comm", o->comms[i]));
	for (i = 0; i < o->n_cgroups; i++)
		json_array_append_new(filters, json_pack("{s:s,s:s,s:I}", "kind", "cgroup", "path",
							 o->cgroup_paths[i], "id",
							 (json_int_t)o->cgroups[i]));
	if (!json_array_size(filters))
		json_array_append_new(filters, json_pack("{s:s}", "kind", "system-wide"));
	for (i = 0; i < o->n_rules; i++)
		json_array_append_new(rules, json_pack("{s:s,s:I}", "rule", o->rules[i].text, "fired",
						       (json_int_t)o->rules[i].matches));
	pthread_mutex_lock(&d->lock);
	es = d->pub_es;
	rs = d->pub_rs;
	bad = d->pub_bad;
	/* triggers suppressed during this bundle are appended under the lock */
	suppressed = json_deep_copy(d->job.suppressed);
	pthread_mutex_unlock(&d->lock);
	fr_ring__stats(d->ring, &gs);
	getrusage(RUSAGE_SELF, &ru);
	agent = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
			  "cpu_ns",
			  (json_int_t)((uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
					       1000000000ULL +
				       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL),
			  "max_rss_bytes", (json_int_t)ru.ru_maxrss * 1024,
			  "ring_records", (json_int_t)es.ring_records,
			  "ring_full_total", (json_int_t)es.losses[FR_LOSS_RING_FULL],
			  "payloads_lost", (json_int_t)x->items_lost,
			  "reorder_late", (json_int_t)rs.late,
			  "reorder_forced", (json_int_t)rs.forced,
			  "bad_records", (json_int_t)(es.bad_records + bad),
			  "task_state_failures", (json_int_t)es.kstats[FR_STAT_TASK_ALLOC_FAIL],
			  "redaction_failures", (json_int_t)redact_fail);
	ring = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:b}",
			 "max_bytes", (json_int_t)o->ring_bytes,
			 "held_bytes", (json_int_t)gs.bytes,
			 "held_chunks", (json_int_t)gs.nchunks,
			 "chunk_raw_bytes", (json_int_t)gs.chunk_raw,
			 "evicted_events_total", (json_int_t)gs.evicted_events,
			 "oldest_ns", (json_int_t)gs.oldest_ts,
			 "evicted_exact", x->evicted_exact);
	c = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:s,s:I,s:I,s:I,s:o,s:o}",
		      "mode", "capture",
		      "snaplen", (json_int_t)o->snaplen,
		      "pre_ns", (json_int_t)o->pre_ns,
		      "post_ns", (json_int_t)o->post_ns,
		      "cooldown_ns", (json_int_t)o->cooldown_ns,
		      "kernel_buffer_bytes", (json_int_t)fr_engine__ring_bytes(d->engine),
		      "reorder_window_ns", (json_int_t)REORDER_WINDOW_NS,
		      "recording_since_ns", (json_int_t)d->start_ns,
		      "filters", filters,
		      "rules", rules,
		      "out", o->out_dir,
		      "max_bundles", (json_int_t)o->max_bundles,
		      "max_disk", (json_int_t)o->max_disk,
		      "snapshot_ns", (json_int_t)snap_ns,
		      "ring", ring,
		      "agent", agent);
	if (!c) {
		json_decref(suppressed);
		return NULL;
	}
	json_object_set_new(c, "window_requested",
			    json_pack("{s:I,s:I}", "start_ns", (json_int_t)j->ws, "end_ns",
				      (json_int_t)j->we));
	json_object_set_new(c, "ended_early", json_boolean(j->ended_early));
	json_object_set_new(c, "suppressed_triggers", suppressed ? suppressed : json_array());
	return c;
}

static void on_retention(void *ctx, const char *path, uint64_t size, int err)
{
	char sz[32];

	(void)ctx;
	fr_fmt_size(sz, sizeof(sz), size);
	if (err)
		pr_warn("capture: retention: cannot delete %s: %s\n", path,
			strerror(-err));
	else
		pr_info("capture: retention: deleted %s (%s)\n", path, sz);
}

/* Write the bundle of job `j` (a copy; the live one is d->job). */
static int write_job(struct daemon *d, struct job *j, char *err, size_t errlen)
{
	struct fr_writer_opts wo = { .zstd_level = 3, .mode = 0600 };
	struct fr_ring_chunk *cs[TAKE_BATCH];
	struct wctx x = { .d = d, .ws = j->ws, .we = j->we, .evicted_exact = true };
	struct pentry *snaps = NULL;
	size_t nsnaps = 0, n, i;
	uint64_t last_seq = 0, first_held, snap_ns, redact_fail = 0;
	struct fr_manifest *m;
	bool done = false, exact;
	int rc;

	rc = fr_writer__open(j->path, &wo, &x.w, err, errlen);
	if (rc)
		return rc;
	/* the processes of the window, as they are now */
	snap_ns = mono_ns();
	snaps = snapshot_window(d, j->ws, &nsnaps);
	pr_info("capture: %zu processes of the window snapshotted from /proc\n", nsnaps);

	while (!done) {
		bool cut_done;

		pthread_mutex_lock(&d->lock);
		cut_done = d->job.cut_done;
		if (!cut_done && last_seq == fr_ring__last_seq(d->ring)) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 200000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&d->cv, &d->lock, &until);
			cut_done = d->job.cut_done;
		}
		if (cut_done) {
			x.we = d->job.cut_ns;
			j->ended_early = d->job.ended_early;
		}
		pthread_mutex_unlock(&d->lock);

		/* what the ring holds now, newer than what was copied */
		for (;;) {
			n = fr_ring__take(d->ring, last_seq, x.ws, cs, TAKE_BATCH, &first_held);
			if (!n)
				break;
			for (i = 0; i < n && !rc; i++) {
				if (cs[i]->seq > last_seq + 1) {
					uint64_t lost = fr_ring__evicted(d->ring, last_seq, cs[i]->seq,
									 x.ws, x.we, &exact);

					if (!exact)
						x.evicted_exact = false;
					rc = add_evicted(&x, lost, FR_MAX(x.ws, cs[i]->c.info.first_ts));
				}
				if (!rc && cs[i]->c.info.first_ts <= x.we)
					rc = copy_chunk(&x, cs[i]);
				last_seq = cs[i]->seq;
			}
			for (i = 0; i < n; i++)
				fr_ring__put(d->ring, cs[i]);
			if (rc)
				goto out;
		}
		if (cut_done)
			done = true;
	}

	rc = add_processes(d, x.w, x.ws, x.we, snaps, nsnaps, &redact_fail);
	if (rc)
		goto out;
	m = fr_writer__manifest(x.w);
	snprintf(m->trigger_kind, sizeof(m->trigger_kind), "%s", j->kind);
	snprintf(m->trigger_reason, sizeof(m->trigger_reason), "%s", j->reason);
	m->trigger_ns = j->trig_ns;
	m->window_start_ns = FR_MAX(x.ws, d->start_ns);
	m->window_end_ns = x.we;
	m->clock_to_utc_ns = d->clock_to_utc_ns;
	for (i = 1; i < FR_LOSS_CAUSE_COUNT; i++)
		m->losses[i] = x.losses[i];
	m->capture = capture_json(d, j, &x, snap_ns, redact_fail);
	m->features = fr_engine__features(d->engine);
	m->redaction = fr_redact__to_json(d->o->redact);
	rc = fr_writer__finish(x.w);
out:
	if (rc && err[0] == '\0')
		snprintf(err, errlen, "%s", fr_writer__strerror(x.w));
	if (rc && !strcmp(err, "no error"))
		snprintf(err, errlen, "%s", strerror(-rc));
	for (i = 0; i < nsnaps; i++)
		fr_process__clear(&snaps[i].p);
	free(snaps);
	free(x.scratch);
	fr_writer__free(x.w);
	return rc;
}

static void *writer_main(void *arg)
{
	struct daemon *d = arg;
	sigset_t set;

	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		struct job j;
		char err[1024] = "";
		int rc, i, nwait;
		int waiters[MAX_WAITERS];

		pthread_mutex_lock(&d->lock);
		while (!d->job.active && !atomic_load(&d->stop))
			pthread_cond_wait(&d->cv, &d->lock);
		if (!d->job.active) {
			pthread_mutex_unlock(&d->lock);
			break;
		}
		j = d->job;
		j.suppressed = NULL; /* the live list is read under the lock */
		pthread_mutex_unlock(&d->lock);

		rc = write_job(d, &j, err, sizeof(err));

		pthread_mutex_lock(&d->lock);
		nwait = d->job.nwait;
		memcpy(waiters, d->job.waiters, sizeof(waiters));
		json_decref(d->job.suppressed);
		memset(&d->job, 0, sizeof(d->job));
		if (rc)
			d->bundles_failed++;
		else
			d->bundles_written++;
		pthread_mutex_unlock(&d->lock);

		if (!rc) {
			printf("%s\t%s: %s\n", j.path, j.kind, j.reason);
			fflush(stdout);
			rc = fr_retention__apply(d->o->out_dir, d->o->max_bundles, d->o->max_disk,
						 j.path, on_retention, d);
			if (rc < 0)
				pr_warn("capture: retention: cannot read %s: %s\n",
					d->o->out_dir, strerror(-rc));
			for (i = 0; i < nwait; i++)
				fr_trigger__reply(waiters[i], FR_TRIGGER_WRITTEN, "%s", j.path);
		} else {
			fr_error("capture: writing %s: %s", j.path, err);
			for (i = 0; i < nwait; i++)
				fr_trigger__reply(waiters[i], FR_TRIGGER_FAILED, "writing %s: %s",
						  j.path, err);
		}
		for (i = 0; i < nwait; i++)
			close(waiters[i]);
	}
	return NULL;
}

/* ---- the webhook (its own thread) ------------------------------------------------------------------- */

static enum fr_webhook_outcome on_webhook(void *ctx, const char *reason, const char *peer,
					  char *msg, size_t msglen)
{
	struct daemon *d = ctx;

	if (atomic_load(&d->stop)) {
		snprintf(msg, msglen, "the daemon is stopping");
		return FR_WEBHOOK_FAILED;
	}
	pr_info("capture: webhook: alert from %s: %s\n", peer, reason);
	switch (trigger_request(d, "webhook", reason, mono_ns(), -1, msg, msglen)) {
	case TR_ACCEPTED:
		return FR_WEBHOOK_ACCEPTED;
	case TR_JOINED:
		return FR_WEBHOOK_JOINED;
	default:
		return FR_WEBHOOK_SUPPRESSED;
	}
}

/* ---- the main thread ------------------------------------------------------------------------------- */

static void handle_client(struct daemon *d, int lfd)
{
	struct fr_trigger_req req;
	char why[512], msg[4200], reason[FR_TRIGGER_REASON_MAX + 64];
	enum tr_result res;
	uint64_t ts;
	int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (cfd < 0)
		return;
	if (fr_trigger__read(cfd, 2000, &req, why, sizeof(why))) {
		if (req.uid)
			pr_warn("capture: refused a trigger from uid %u (pid %d, %s): not "
				"root\n", (unsigned)req.uid, (int)req.pid, req.comm[0] ? req.comm : "?");
		fr_trigger__reply(cfd, FR_TRIGGER_REFUSED, "%s", why);
		close(cfd);
		return;
	}
	ts = mono_ns();
	snprintf(reason, sizeof(reason), "%s", req.reason[0] ? req.reason : "flightrec trigger");
	res = trigger_request(d, "socket", reason, ts, req.wait ? cfd : -1, msg, sizeof(msg));
	switch (res) {
	case TR_ACCEPTED:
		fr_trigger__reply(cfd, FR_TRIGGER_ACCEPTED, "%" PRIu64 " %s", ts, msg);
		break;
	case TR_JOINED:
		fr_trigger__reply(cfd, FR_TRIGGER_JOINED, "%" PRIu64 " %s", ts, msg);
		break;
	case TR_SUPPRESSED:
		fr_trigger__reply(cfd, FR_TRIGGER_SUPPRESSED, "%s", msg);
		break;
	}
	if (res == TR_SUPPRESSED || !req.wait)
		close(cfd);
	/* else the writer answers and closes */
}

static int main_loop(struct daemon *d, int sfd, int lfd)
{
	for (;;) {
		struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN },
					 { .fd = lfd, .events = POLLIN } };
		int n = poll(pfd, lfd >= 0 ? 2 : 1, 500);

		if (atomic_load(&d->fatal))
			return FR_EXIT_FAIL;
		if (n < 0 && errno != EINTR)
			return FR_EXIT_FAIL;
		if (n <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				char reason[128], msg[4200], comm[32] = "";

				if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
					pr_info("capture: %s: stopping\n",
						si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
					return FR_EXIT_OK;
				}
				if (si.ssi_signo != SIGUSR1)
					continue;
				{
					char path[64], *buf = NULL;
					size_t len;

					snprintf(path, sizeof(path), "/proc/%u/comm", si.ssi_pid);
					if (!fr_read_file(path, 64, &buf, &len)) {
						buf[strcspn(buf, "\n")] = '\0';
						snprintf(comm, sizeof(comm), " (%s)", buf);
						free(buf);
					}
				}
				snprintf(reason, sizeof(reason), "SIGUSR1 from pid %u%s", si.ssi_pid,
					 comm);
				trigger_request(d, "signal", reason, mono_ns(), -1, msg, sizeof(msg));
			}
		}
		if (lfd >= 0 && (pfd[1].revents & POLLIN))
			handle_client(d, lfd);
	}
}

static void summary(struct daemon *d)
{
	struct fr_ring_stats gs;
	struct fr_engine_stats es;
	struct rusage ru;
	char held[32];
	uint64_t cpu;

	fr_ring__stats(d->ring, &gs);
	fr_engine__stats(d->engine, &es);
	getrusage(RUSAGE_SELF, &ru);
	cpu = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	      (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
	fr_fmt_size(held, sizeof(held), gs.bytes);
	fprintf(stderr,
		"flightrec: capture: stopped: %" PRIu64 " events recorded, %" PRIu64
		" evicted from the ring, %" PRIu64 " dropped by the kernel ring buffer; "
		"%s held in %" PRIu64 " chunks; %" PRIu64 " bundles written, %" PRIu64
		" failed, %" PRIu64 " triggers suppressed; cpu %.3f s, max rss %ld KiB\n",
		gs.events, gs.evicted_events, es.losses[FR_LOSS_RING_FULL], held, gs.nchunks,
		d->bundles_written, d->bundles_failed, d->suppressed_total, (double)cpu / 1e9,
		ru.ru_maxrss);
}

int fr_daemon__run(const struct fr_daemon_opts *o)
{
	struct fr_engine_opts eo = { 0 };
	struct fr_ring_opts ro = { .max_bytes = o->ring_bytes };
	struct fr_webhook *webhook = NULL;
	struct daemon *d;
	sigset_t set, old;
	char err[1024];
	int rc, status = FR_EXIT_FAIL, sfd = -1, lfd = -1, i;

	d = calloc(1, sizeof(*d));
	if (!d) {
		fr_error("capture: out of memory");
		return FR_EXIT_FAIL;
	}
	d->o = o;
	/* The ring's chunks (tens to hundreds of KiB each) come and go for as
	 * long as the daemon runs: served by mmap they go back to the system
	 * when evicted, and the heap does not fragment around them.  (glibc
	 * would otherwise raise its mmap threshold after the first frees.) */
	mallopt(M_MMAP_THRESHOLD, 32 << 10);
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->plock, NULL);
	pthread_cond_init(&d->cv, NULL);
	d->suppressed_pending = json_array();

	/* signals: blocked everywhere, read through a signalfd */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fr_error("capture: signalfd: %s", strerror(errno));
		goto out;
	}

	if (mkdir(o->out_dir, 0700) && errno != EEXIST) {
		fr_error("capture: cannot create %s: %s", o->out_dir, strerror(errno));
		goto out;
	}
	if (access(o->out_dir, W_OK | X_OK)) {
		fr_error("capture: cannot write into %s: %s", o->out_dir, strerror(errno));
		goto out;
	}
	rc = fr_retention__clean_temps(o->out_dir, on_retention, d);
	if (rc > 0)
		pr_warn("capture: removed %d unfinished bundle(s) left in %s by a "
			"daemon that was killed\n", rc, o->out_dir);

	rc = fr_ring__new(&ro, &d->ring);
	if (!rc)
		rc = fr_reorder__new(REORDER_WINDOW_NS, REORDER_MAX_BYTES, on_release, d,
				     &d->reorder);
	if (!rc)
		rc = fr_buildid_cache__new(&d->bc);
	if (rc) {
		fr_error("capture: out of memory");
		goto out;
	}

	eo.mode = FR_MODE_FILTER;
	eo.snaplen = o->snaplen ? o->snaplen : FR_SNAPLEN_MAX;
	eo.ring_bytes = o->kernel_bytes;
	eo.pids = o->pids;
	eo.n_pids = o->n_pids;
	eo.comms = o->comms;
	eo.n_comms = o->n_comms;
	eo.cgroups = o->cgroups;
	eo.n_cgroups = o->n_cgroups;
	eo.verbose = o->verbose;
	eo.on_record = on_record;
	eo.ctx = d;
	rc = fr_engine__open(&eo, &d->engine, err, sizeof(err));
	if (rc) {
		fr_error("capture: %s", err);
		goto out;
	}
	if (o->socket_path) {
		lfd = fr_trigger__listen(o->socket_path, err, sizeof(err));
		if (lfd < 0) {
			fr_error("capture: trigger socket %s: %s", o->socket_path, err);
			goto out;
		}
	}
	d->clock_to_utc_ns = measure_utc_offset();
	d->start_ns = mono_ns();
	d->last_prune_ns = d->start_ns;

	rc = pthread_create(&d->drain_th, NULL, drain_main, d);
	if (rc) {
		fr_error("capture: starting the drain thread: %s", strerror(rc));
		goto out;
	}
	d->drain_started = true;
	rc = pthread_create(&d->writer_th, NULL, writer_main, d);
	if (rc) {
		fr_error("capture: starting the writer thread: %s", strerror(rc));
		goto out;
	}
	d->writer_started = true;
	if (o->webhook_addr) {
		struct fr_webhook_opts wo = { .addr = o->webhook_addr,
					      .token_file = o->webhook_token_file,
					      .on_alert = on_webhook,
					      .ctx = d };

		rc = fr_webhook__start(&wo, &webhook, err, sizeof(err));
		if (rc) {
			fr_error("capture: --webhook: %s", err);
			goto out;
		}
	}

	{
		char ring[32], pre[32], post[32];

		fr_fmt_size(ring, sizeof(ring), o->ring_bytes);
		fr_fmt_duration(pre, sizeof(pre), o->pre_ns);
		fr_fmt_duration(post, sizeof(post), o->post_ns);
		fprintf(stderr,
			"flightrec: capture: recording %s; ring %s, window -%s/+%s, %zu rule(s), "
			"bundles into %s%s%s%s%s%s%s (pid %d)\n",
			o->n_pids + o->n_comms + o->n_cgroups ? "the filtered processes"
							      : "system-wide",
			ring, pre, post, o->n_rules, o->out_dir,
			o->socket_path ? ", trigger socket " : "",
			o->socket_path ? o->socket_path : "", webhook ? ", webhook http://" : "",
			webhook ? fr_webhook__address(webhook) : "", webhook ? FR_WEBHOOK_PATH : "",
			webhook && o->webhook_token_file ? " (bearer token)" : "", (int)getpid());
	}
	status = main_loop(d, sfd, lfd);

out:
	atomic_store(&d->stop, true);
	fr_webhook__stop(webhook); /* no request in progress past this */
	if (lfd >= 0) {
		close(lfd);
		unlink(o->socket_path);
	}
	if (d->drain_started)
		pthread_join(d->drain_th, NULL);
	if (d->writer_started) {
		pthread_mutex_lock(&d->lock);
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->writer_th, NULL);
	}
	if (atomic_load(&d->fatal)) {
		fr_error("capture: %s", d->fatal_msg);
		status = FR_EXIT_FAIL;
	}
	if (d->engine && d->ring)
		summary(d);
	/* a job accepted after the writer left: its clients get an answer */
	for (i = 0; i < d->job.nwait; i++) {
		fr_trigger__reply(d->job.waiters[i], FR_TRIGGER_FAILED, "the daemon stopped");
		close(d->job.waiters[i]);
	}
	json_decref(d->job.suppressed);
	json_decref(d->suppressed_pending);
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	fr_reorder__free(d->reorder);
	fr_engine__free(d->engine);
	fr_ring__free(d->ring);
	fr_buildid_cache__free(d->bc);
	for (i = 0; i < PROC_BUCKETS; i++)
		while (d->buckets[i]) {
			struct dproc *p = d->buckets[i];

			d->buckets[i] = p->next;
			proc_free(p);
		}
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->plock);
	free(d);
	return status;
}
