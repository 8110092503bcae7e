// SPDX-License-Identifier: MIT
/*
 * export_perfetto.c: `flightrec export --perfetto`: Chrome trace-event JSON
 * (analyze/export_perfetto.h says what is in it).
 *
 * The bundle is read twice: once by the model (thread states, wakeups,
 * which threads were recorded), once here, in time order, writing each
 * event as it comes.  A thread's states are written lazily, up to the next
 * system call of the thread that the pass meets: the call's slice first,
 * then the states inside it, so that the slices of a track nest exactly
 * (Perfetto drops slices that overlap without nesting).  Nothing is held
 * per event: memory is the model plus the writes still waiting for their
 * reader.
 *
 * Data flow is matched per stream: a pipe (by inode), one direction of a
 * TCP connection (the writer's local->remote is the reader's
 * remote->local), or a socketpair (what one end writes, the other end
 * reads: the model pairs the ends).  Writes and reads queue in the order
 * they return (a reader woken by a write often returns before the writer
 * does, so a read may wait for the write that fed it); the oldest bytes
 * written go to the oldest read, but never from a write that began after
 * the read returned: such a read got bytes written before the recording
 * started, and gets no arrow.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyze/export_perfetto.h"
#include "analyze/internal.h"
#include "formats/jsonutil.h"
#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define MAX_FLOWS_PER_READ 16 /* writes one read may point back to */
#define MAX_QUEUED (1u << 20) /* writes and reads waiting, over all streams */

/* A write whose bytes were not all read yet, or a read whose bytes were
 * not all found yet. */
struct pending {
	uint64_t enter_ns, exit_ns;
	uint32_t pid, tid;
	uint64_t left;	  /* bytes */
	uint32_t n_flows; /* reads: arrows drawn to it */
};

struct queue {
	struct pending *q;
	uint32_t head, n, cap; /* q[head..n) are waiting */
};

/* The two sides of a stream.  Events come in the order calls return, and a
 * reader woken by a write often returns before the writer does: a read may
 * wait here for the write that fed it. */
struct stream {
	struct queue w, r;
};

struct cursor {
	uint64_t at; /* states are written up to here */
	uint32_t iv; /* the interval `at` is in */
	bool started;
};

struct pf {
	const struct fa_model *m;
	FILE *out;
	uint64_t t0;
	bool first;
	int err;
	uint64_t next_id;
	struct cursor *cur; /* per model thread */
	/* per tid track: written up to here (a tid's generations in the model,
	 * e.g. before and after an exec, share one track) */
	struct fa_map track_map;
	uint64_t *track_at;
	uint32_t n_tracks, cap_tracks;
	struct fa_map stream_map;
	struct stream *streams;
	uint32_t n_streams, cap_streams;
	struct fa_map unix_peer; /* unix socket inode -> resource of its peer */
	uint64_t queued;
	struct fr_sb sb;
	struct fa_perfetto_stats st;
};

/* ---- writing ------------------------------------------------------------------------------ */

static json_t *ts_json(const struct pf *p, uint64_t ns)
{
	uint64_t r = ns > p->t0 ? ns - p->t0 : 0;

	/* microseconds, exact nanoseconds + 0.4 ns (see the header) */
	return json_real((double)r / 1000.0 + 0.0004);
}

static json_t *dur_json(uint64_t ns)
{
	return json_real((double)ns / 1000.0 + 0.0004);
}

/* Write one event and drop it.  Errors stick in p->err. */
static void emit(struct pf *p, json_t *o)
{
	if (!o) {
		if (!p->err)
			p->err = -ENOMEM;
		return;
	}
	if (!p->err) {
		if (fputs(p->first ? "\n" : ",\n", p->out) == EOF ||
		    json_dumpf(o, p->out, JSON_COMPACT | JSON_REAL_PRECISION(15)) != 0)
			p->err = -EIO;
		p->first = false;
	}
	json_decref(o);
}

static json_t *base(const char *ph, const char *name, uint32_t pid, uint32_t tid)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (json_object_set_new(o, "ph", json_string(ph)) ||
	    json_object_set_new(o, "name", fr_json_text(name)) ||
	    json_object_set_new(o, "pid", json_integer(pid)) ||
	    json_object_set_new(o, "tid", json_integer(tid))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void slice(struct pf *p, const char *name, const char *cat, uint32_t pid, uint32_t tid,
		  uint64_t s, uint64_t e, json_t *args)
{
	json_t *o = base("X", name, pid, tid);

	if (s < p->t0)
		s = p->t0; /* times are relative to t0: nothing may start before it */
	if (e < s)
		e = s;
	if (o) {
		json_object_set_new(o, "cat", json_string(cat));
		json_object_set_new(o, "ts", ts_json(p, s));
		json_object_set_new(o, "dur", dur_json(e - s));
		if (args)
			json_object_set_new(o, "args", args);
	} else {
		json_decref(args);
	}
	emit(p, o);
}

/* An instant event: on a thread's track, or global (tid 0: scope "g"). */
static void instant(struct pf *p, const char *name, uint32_t pid, uint32_t tid, uint64_t ts,
		    json_t *args)
{
	json_t *o = base("i", name, pid, tid);

	if (o) {
		json_object_set_new(o, "cat", json_string("event"));
		json_object_set_new(o, "s", json_string(tid ? "t" : "g"));
		json_object_set_new(o, "ts", ts_json(p, ts));
		if (args)
			json_object_set_new(o, "args", args);
	} else {
		json_decref(args);
	}
	emit(p, o);
	p->st.instants++;
}

/* A flow arrow from (pid0, tid0) at t0 to (pid1, tid1) at t1, both bound
 * to the slice enclosing their time. */
static void flow(struct pf *p, const char *cat, uint32_t pid0, uint32_t tid0, uint64_t ts0,
		 uint32_t pid1, uint32_t tid1, uint64_t ts1)
{
	uint64_t id = ++p->next_id;
	json_t *s = base("s", cat, pid0, tid0), *f = base("f", cat, pid1, tid1);

	if (s) {
		json_object_set_new(s, "cat", json_string(cat));
		json_object_set_new(s, "id", json_integer((json_int_t)id));
		json_object_set_new(s, "ts", ts_json(p, ts0));
	}
	if (f) {
		json_object_set_new(f, "cat", json_string(cat));
		json_object_set_new(f, "id", json_integer((json_int_t)id));
		json_object_set_new(f, "ts", ts_json(p, ts1));
		json_object_set_new(f, "bp", json_string("e"));
	}
	emit(p, s);
	emit(p, f);
}

/* ---- thread states ------------------------------------------------------------------------- */

static bool on_track(const struct fa_model *m, uint32_t t)
{
	return t < m->n_threads && (m->threads[t].flags & FA_TH_RECORDED) && m->threads[t].n_iv;
}

static json_t *state_args(const struct pf *p, const struct fa_thread *th, uint32_t i)
{
	const struct fa_model *m = p->m;
	const struct fa_interval *iv = &th->iv[i];
	json_t *a = json_object();
	char buf[128];

	if (!a)
		return NULL;
	if (iv->state == FA_ST_RUNNING || iv->state == FA_ST_RUNNABLE)
		json_object_set_new(a, "cpu", json_integer(iv->cpu));
	if (iv->flags & FA_IVF_RECLAIM)
		json_object_set_new(a, "in", json_string("memory reclaim"));
	else if (iv->flags & FA_IVF_FAULT)
		json_object_set_new(
		    a, "in",
		    json_string((iv->flags & FA_IVF_MAJOR) ? "major page fault" : "page fault"));
	if (iv->state == FA_ST_BLOCKED && iv->wait < m->n_waits) {
		fa_describe_wait(m, iv->wait, buf, sizeof(buf));
		json_object_set_new(a, "waiting in", fr_json_text(buf));
	}
	if (iv->state == FA_ST_BLOCKED && (iv->flags & FA_IVF_WOKEN)) {
		if (iv->wake_ctx == FR_CTX_TASK && iv->waker < m->n_threads) {
			fa_model__thread_name(m, iv->waker, buf, sizeof(buf));
		} else {
			const char *sn =
			    iv->wake_ctx == FR_CTX_SOFTIRQ ? fr_softirq_name(iv->wake_info) : NULL;

			snprintf(buf, sizeof(buf), "%s%s%s",
				 iv->wake_ctx == FR_CTX_HARDIRQ	  ? "hard IRQ"
				 : iv->wake_ctx == FR_CTX_SOFTIRQ ? "softirq"
				 : iv->wake_ctx == FR_CTX_TIMER	  ? "timer"
								  : "NMI",
				 sn ? " " : "", sn ? sn : "");
		}
		json_object_set_new(a, "woken by", fr_json_text(buf));
	}
	if (iv->flags & FA_IVF_REPAIRED)
		json_object_set_new(a, "inferred", json_true());
	if (iv->flags & FA_IVF_LOSS)
		json_object_set_new(a, "events lost", json_true());
	return a;
}

/* How far the track of `tid` is written (NULL when out of memory). */
static uint64_t *track_of(struct pf *p, uint32_t tid)
{
	uint32_t i = fa_map_get(&p->track_map, tid, 0);
	uint64_t *t;

	if (i != FA_NONE)
		return &p->track_at[i];
	t = FA_PUSH(p->track_at, p->n_tracks, p->cap_tracks);
	if (!t || fa_map_put(&p->track_map, tid, 0, p->n_tracks - 1)) {
		p->err = -ENOMEM;
		return NULL;
	}
	*t = 0;
	return t;
}

/* Write the states of thread t from its cursor up to `until`. */
static void states_until(struct pf *p, uint32_t t, uint64_t until)
{
	const struct fa_thread *th = &p->m->threads[t];
	struct cursor *c = &p->cur[t];
	uint64_t *tr;

	if (!on_track(p->m, t) || !(tr = track_of(p, th->tid)))
		return;
	if (!c->started) {
		c->iv = 0;
		c->started = true;
	}
	if (c->at < *tr)
		c->at = *tr; /* an older generation of the tid wrote this far */
	while (c->iv < th->n_iv && c->at < until && !p->err) {
		const struct fa_interval *iv = &th->iv[c->iv];
		uint64_t e = fa_thread__interval_end(th, c->iv), s = FR_MAX(iv->start, c->at);
		uint64_t pe = FR_MIN(e, until);

		if (e <= c->at) {
			c->iv++;
			continue;
		}
		if (pe > s && (iv->state == FA_ST_RUNNING || iv->state == FA_ST_RUNNABLE ||
			       iv->state == FA_ST_BLOCKED)) {
			slice(p, fa_state_name(iv->state), "state", th->pid, th->tid, s, pe,
			      state_args(p, th, c->iv));
			p->st.states++;
		}
		c->at = pe;
		if (pe >= e)
			c->iv++;
	}
	if (c->at < until)
		c->at = until;
	if (*tr < c->at)
		*tr = c->at;
}

/* ---- data flow ---------------------------------------------------------------------------- */

static struct stream *stream_of(struct pf *p, uint64_t ka, uint64_t kb, bool create)
{
	uint32_t i = fa_map_get(&p->stream_map, ka, kb);
	struct stream *s;

	if (i != FA_NONE)
		return &p->streams[i];
	if (!create)
		return NULL;
	s = FA_PUSH(p->streams, p->n_streams, p->cap_streams);
	if (!s || fa_map_put(&p->stream_map, ka, kb, p->n_streams - 1)) {
		p->err = -ENOMEM;
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	return s;
}

static void tuple_swap(struct fr_sock_tuple *t)
{
	uint8_t a[16];
	uint16_t x = t->sport;

	memcpy(a, t->saddr, 16);
	memcpy(t->saddr, t->daddr, 16);
	memcpy(t->daddr, a, 16);
	t->sport = t->dport;
	t->dport = x;
}

/*
 * The stream key of a data-moving call on the descriptor described by fi,
 * as the writer sees it: false when the descriptor is not a byte stream
 * this export follows.
 */
static bool stream_key(const struct pf *p, const struct fr_fdinfo *fi, bool write, uint64_t *ka,
		       uint64_t *kb)
{
	if (fi->type == FR_FD_PIPE) {
		*ka = 1;
		*kb = fi->ino;
		return fi->ino != 0;
	}
	if (fi->type != FR_FD_SOCKET || fi->sock_type != 1 /* SOCK_STREAM */)
		return false;
	if ((fi->tuple.family == 2 || fi->tuple.family == 10) && fi->tuple.sport &&
	    fi->tuple.dport) {
		struct fr_sock_tuple t = fi->tuple;

		if (!write)
			tuple_swap(&t);
		*ka = 2;
		*kb = fa_hash_bytes(&t, sizeof(t), 0x7e57);
		return true;
	}
	if (fi->tuple.family == 1 || fi->tuple.family == 0) {
		/* unix: a writer's bytes arrive at its peer end; key by the
		 * reading end's inode */
		uint32_t r = fa_map_get(&p->unix_peer, fi->ino, 0);

		if (write) {
			if (r == FA_NONE || r >= p->m->n_res)
				return false;
			*kb = p->m->res[r].ino;
		} else {
			*kb = fi->ino;
		}
		*ka = 3;
		return *kb != 0;
	}
	return false;
}

static struct pending *q_push(struct pf *p, struct queue *q)
{
	struct pending *x;

	if (q->head && q->head == q->n) {
		q->head = q->n = 0;
	} else if (q->head > 1024 && q->head * 2 > q->n) {
		memmove(q->q, q->q + q->head, (size_t)(q->n - q->head) * sizeof(*q->q));
		q->n -= q->head;
		q->head = 0;
	}
	x = FA_PUSH(q->q, q->n, q->cap);
	if (!x) {
		p->err = -ENOMEM;
		return NULL;
	}
	p->queued++;
	return x;
}

static void q_pop(struct pf *p, struct queue *q)
{
	q->head++;
	p->queued--;
}

/* Pair the bytes of the oldest writes with the oldest reads, FIFO. */
static void match(struct pf *p, struct stream *s)
{
	while (s->w.head < s->w.n && s->r.head < s->r.n) {
		struct pending *w = &s->w.q[s->w.head], *r = &s->r.q[s->r.head];
		uint64_t take = FR_MIN(w->left, r->left);

		if (w->enter_ns > r->exit_ns) {
			/* the read returned before this write began: its bytes were
			 * written before the recording; it gets no arrow */
			q_pop(p, &s->r);
			continue;
		}
		if (r->n_flows < MAX_FLOWS_PER_READ) {
			flow(p, "data", w->pid, w->tid,
			     w->enter_ns + (w->exit_ns - w->enter_ns) / 2, r->pid, r->tid,
			     r->enter_ns + (r->exit_ns - r->enter_ns) / 2);
			p->st.data_flows++;
			r->n_flows++;
		} else {
			p->st.flows_capped++;
		}
		w->left -= take;
		r->left -= take;
		if (!w->left)
			q_pop(p, &s->w);
		if (!r->left)
			q_pop(p, &s->r);
	}
}

/* A read or write of a byte stream: queue it, and draw the arrows from
 * writes to the reads that got their bytes.  `enter` is where the call's
 * slice starts. */
static void data_flow(struct pf *p, const struct fr_event *ev, const struct fr_syscall_desc *d,
		      uint64_t enter)
{
	const struct fr_payload *pl = fr_event_payload(ev, FR_PL_FDINFO, 0, -1);
	bool write = d->cls & FR_SCC_WRITE;
	struct fr_fdinfo fi;
	struct stream *s;
	struct pending *x;
	uint64_t ka, kb;

	if (!pl || pl->len < sizeof(fi) || ev->u.sc.ret <= 0 || (ev->u.sc.flags & FR_SC_NO_ENTER))
		return;
	if (!(d->cls & (FR_SCC_READ | FR_SCC_WRITE)))
		return;
	memcpy(&fi, pl->data, sizeof(fi));
	if (!stream_key(p, &fi, write, &ka, &kb))
		return;
	if (p->queued >= MAX_QUEUED) {
		p->st.flows_capped++;
		return;
	}
	s = stream_of(p, ka, kb, true);
	if (!s)
		return;
	x = q_push(p, write ? &s->w : &s->r);
	if (!x)
		return;
	x->enter_ns = enter;
	x->exit_ns = ev->ts_ns;
	x->pid = ev->pid;
	x->tid = ev->tid;
	x->left = (uint64_t)ev->u.sc.ret;
	x->n_flows = 0;
	match(p, s);
}

/* ---- events ------------------------------------------------------------------------------- */

static void syscall_event(struct pf *p, const struct fr_event *ev)
{
	const struct fa_model *m = p->m;
	uint32_t t = fa_model__find_thread(m, ev->tid, ev->ts_ns);
	const struct fr_syscall_desc *d = fr_syscall(ev->u.sc.nr);
	struct fr_print_opts po = {.strsize = 48};
	uint64_t enter, exit = ev->ts_ns;
	char nbuf[32];
	const char *name;
	json_t *args;

	if (!on_track(m, t)) {
		p->st.skipped_syscalls++;
		return;
	}
	enter = (ev->u.sc.flags & FR_SC_NO_ENTER) || ev->u.sc.enter_ns < p->t0 ? p->t0
									       : ev->u.sc.enter_ns;
	{
		uint64_t *tr = track_of(p, ev->tid);

		if (!tr)
			return;
		if (enter < *tr)
			enter = *tr; /* overlaps what is written: keep the track nested */
	}
	if (exit < enter) {
		p->st.skipped_syscalls++;
		return;
	}
	states_until(p, t, enter);
	name = fr_syscall_name(ev->u.sc.nr);
	if (!name) {
		snprintf(nbuf, sizeof(nbuf), "syscall_%u", ev->u.sc.nr);
		name = nbuf;
	}
	fr_sb_reset(&p->sb);
	fr_print_event_details(&p->sb, ev, &po);
	args = json_object();
	if (args) {
		json_object_set_new(args, "call", fr_json_text(fr_sb_str(&p->sb)));
		if (!(ev->u.sc.flags & FR_SC_NO_EXIT))
			json_object_set_new(args, "ret", json_integer(ev->u.sc.ret));
		if (ev->u.sc.ret < 0 && ev->u.sc.ret >= -4095 && fr_errno_name((int)-ev->u.sc.ret))
			json_object_set_new(args, "errno",
					    json_string(fr_errno_name((int)-ev->u.sc.ret)));
		if (ev->u.sc.flags & FR_SC_NO_ENTER)
			json_object_set_new(args, "started before the recording", json_true());
		if (ev->u.sc.flags & FR_SC_NO_EXIT)
			json_object_set_new(args, "did not return", json_true());
	}
	slice(p, name, "syscall", ev->pid, ev->tid, enter, exit, args);
	p->st.syscalls++;
	states_until(p, t, exit);
	if (d)
		data_flow(p, ev, d, enter);
}

static void other_event(struct pf *p, const struct fr_event *ev)
{
	const struct fa_model *m = p->m;
	uint32_t t = fa_model__find_thread(m, ev->tid, ev->ts_ns);
	bool mine = on_track(m, t);
	char name[160], tb[96];
	struct fr_sb *sb = &p->sb;

	switch (ev->type) {
	case FR_EV_SIGNAL_GENERATE: {
		const struct fr_ev_signal_generate *g = &ev->u.sig_gen;
		const char *sn = fr_signal_name(g->sig);
		uint32_t target = fa_model__find_thread(m, g->target_tid, ev->ts_ns);

		if (sn)
			snprintf(tb, sizeof(tb), "%s", sn);
		else
			snprintf(tb, sizeof(tb), "signal %d", g->sig);
		if (mine) {
			snprintf(name, sizeof(name), "send %s", tb);
			instant(p, name, ev->pid, ev->tid, ev->ts_ns,
				json_pack("{s:i,s:i,s:i}", "to pid", (int)g->target_pid, "to tid",
					  (int)g->target_tid, "result", g->result));
		} else if (on_track(m, target)) {
			snprintf(name, sizeof(name), "%s from %u", tb, ev->pid);
			instant(
			    p, name, m->threads[target].pid, g->target_tid, ev->ts_ns,
			    json_pack("{s:i,s:i}", "from pid", (int)ev->pid, "result", g->result));
		}
		break;
	}
	case FR_EV_SIGNAL_DELIVER: {
		const char *sn = fr_signal_name(ev->u.sig_del.sig);

		if (!mine)
			break;
		if (sn)
			snprintf(name, sizeof(name), "deliver %s", sn);
		else
			snprintf(name, sizeof(name), "deliver signal %d", ev->u.sig_del.sig);
		instant(p, name, ev->pid, ev->tid, ev->ts_ns, NULL);
		break;
	}
	case FR_EV_OOM_KILL: {
		const struct fr_ev_oom_kill *k = &ev->u.oom;
		char comm[FR_COMM_LEN + 1];

		memcpy(comm, k->victim_comm, FR_COMM_LEN);
		comm[FR_COMM_LEN] = 0;
		snprintf(name, sizeof(name), "OOM kill of %u (%s)", k->victim_pid, comm);
		instant(p, name, ev->pid, 0, ev->ts_ns,
			json_pack("{s:i,s:I,s:I,s:i}", "triggered by tid", (int)ev->tid,
				  "anon_rss_kb", (json_int_t)k->anon_rss_kb, "total_vm_kb",
				  (json_int_t)k->total_vm_kb, "oom_score_adj", k->oom_score_adj));
		break;
	}
	case FR_EV_TCP_RETRANSMIT:
	case FR_EV_TCP_RESET: {
		const char *what =
		    ev->type == FR_EV_TCP_RETRANSMIT ? "TCP retransmit" : "TCP reset";

		fr_sb_reset(sb);
		fr_print_tuple(sb, &ev->u.tcp.tuple);
		instant(p, what, mine ? ev->pid : 0, mine ? ev->tid : 0, ev->ts_ns,
			json_pack("{s:o,s:s}", "connection", fr_json_text(fr_sb_str(sb)), "state",
				  fr_tcp_state_name(ev->u.tcp.newstate)
				      ? fr_tcp_state_name(ev->u.tcp.newstate)
				      : "?"));
		break;
	}
	case FR_EV_MARK:
		if (ev->u.mark.kind == FR_MARK_TRIGGER) {
			const struct fr_payload *pl = fr_event_payload(ev, FR_PL_TEXT, -1, -1);
			char reason[256] = "";

			if (pl)
				snprintf(reason, sizeof(reason), "%.*s",
					 (int)FR_MIN(pl->len, sizeof(reason) - 1),
					 (const char *)pl->data);
			instant(p, "trigger", 0, 0, ev->ts_ns,
				json_pack("{s:o}", "reason", fr_json_text(reason)));
		}
		break;
	case FR_EV_LOST:
		snprintf(name, sizeof(name), "%" PRIu64 " events lost (%s)", ev->u.lost.count,
			 fr_loss_cause_name(ev->u.lost.cause) ? fr_loss_cause_name(ev->u.lost.cause)
							      : "?");
		instant(p, name, 0, 0, ev->ts_ns, NULL);
		break;
	default:
		break;
	}
}

/* Wakeups by recorded tasks, from the model: an arrow from the waker,
 * running when it woke the thread, to the woken thread. */
static void wakeups(struct pf *p)
{
	const struct fa_model *m = p->m;
	uint32_t t, i;

	for (t = 0; t < m->n_threads && !p->err; t++) {
		const struct fa_thread *th = &m->threads[t];

		if (!on_track(m, t))
			continue;
		for (i = 0; i < th->n_iv && !p->err; i++) {
			const struct fa_interval *iv = &th->iv[i];
			uint64_t e = fa_thread__interval_end(th, i), next_e;
			const struct fa_thread *w;
			long wi;

			if (iv->state != FA_ST_BLOCKED || !(iv->flags & FA_IVF_WOKEN) ||
			    iv->wake_ctx != FR_CTX_TASK || iv->waker == t ||
			    !on_track(m, iv->waker) || i + 1 >= th->n_iv)
				continue;
			w = &m->threads[iv->waker];
			wi = fa_thread__interval_at(w, e);
			if (wi < 0 || w->iv[wi].state != FA_ST_RUNNING)
				continue; /* the waker's slice there is unknown */
			/* the arrow lands inside the woken thread's next slice */
			next_e = fa_thread__interval_end(th, i + 1);
			flow(p, "wakeup", w->pid, w->tid, e, th->pid, th->tid,
			     next_e > e + 1 ? e + 1 : e);
			p->st.wakeup_flows++;
		}
	}
}

static void metadata(struct pf *p)
{
	const struct fa_model *m = p->m;
	uint32_t i;

	for (i = 0; i < m->n_procs; i++) {
		const struct fa_process *pr = &m->procs[i];
		json_t *o = base("M", "process_name", pr->pid, pr->pid);

		if (o)
			json_object_set_new(o, "args",
					    json_pack("{s:o}", "name", fr_json_text(pr->comm)));
		emit(p, o);
	}
	for (i = 0; i < m->n_threads; i++) {
		const struct fa_thread *th = &m->threads[i];
		json_t *o;

		if (!on_track(m, i) || (th->prev_gen != FA_NONE && on_track(m, th->prev_gen)))
			continue; /* a reused tid: one track, named once */
		o = base("M", "thread_name", th->pid, th->tid);
		if (o)
			json_object_set_new(o, "args",
					    json_pack("{s:o}", "name", fr_json_text(th->comm)));
		emit(p, o);
		p->st.threads++;
	}
}

int fa_export_perfetto(struct fr_reader *r, FILE *out, struct fa_perfetto_stats *st, char *err,
		       size_t errlen)
{
	const struct fr_manifest *mf = fr_reader__manifest(r);
	struct fa_model *m = NULL;
	struct pf p;
	const struct fr_event *ev;
	json_t *other;
	uint32_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	err[0] = 0;
	rc = fa_model__build(r, NULL, &m, err, errlen);
	if (rc)
		return rc;
	p.m = m;
	p.out = out;
	p.first = true;
	p.t0 = fa_model__t0(m);
	fr_sb_init(&p.sb);
	p.cur = calloc(m->n_threads ? m->n_threads : 1, sizeof(*p.cur));
	if (!p.cur) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < m->n_res; i++)
		if (m->res[i].kind == FA_RES_UNIX && m->res[i].peer < m->n_res && m->res[i].ino &&
		    fa_map_put(&p.unix_peer, m->res[i].ino, 0, m->res[i].peer)) {
			rc = -ENOMEM;
			goto out;
		}
	other = json_pack("{s:s,s:s,s:s,s:I}", "tool", "flightrec " FR_VERSION, "host",
			  mf->hostname, "kernel", mf->kernel_release, "clock_to_utc_ns",
			  (json_int_t)mf->clock_to_utc_ns);
	if (!other) {
		rc = -ENOMEM;
		goto out;
	}
	if (fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":", out) == EOF ||
	    json_dumpf(other, out, JSON_COMPACT) != 0 || fputs(",\"traceEvents\":[", out) == EOF)
		p.err = -EIO;
	json_decref(other);
	metadata(&p);
	fr_reader__set_filter(r, NULL);
	fr_reader__rewind(r);
	while (!p.err && (rc = fr_reader__next(r, &ev)) > 0) {
		if (ev->type == FR_EV_SYSCALL)
			syscall_event(&p, ev);
		else
			other_event(&p, ev);
	}
	if (rc < 0) {
		snprintf(err, errlen, "reading events: %s", fr_reader__strerror(r));
		goto out;
	}
	for (i = 0; i < m->n_threads && !p.err; i++)
		if (on_track(m, i))
			states_until(
			    &p, i, fa_thread__interval_end(&m->threads[i], m->threads[i].n_iv - 1));
	wakeups(&p);
	if (!p.err && fputs("\n]}\n", out) == EOF)
		p.err = -EIO;
	if (p.sb.oom && !p.err)
		p.err = -ENOMEM;
	rc = p.err;
	if (rc)
		snprintf(err, errlen, "%s",
			 rc == -EIO ? "writing the trace failed" : strerror(-rc));
out:
	if (rc == -ENOMEM && err[0] == 0)
		snprintf(err, errlen, "out of memory");
	if (st)
		*st = p.st;
	for (i = 0; i < p.n_streams; i++) {
		free(p.streams[i].w.q);
		free(p.streams[i].r.q);
	}
	free(p.streams);
	fa_map_free(&p.stream_map);
	fa_map_free(&p.unix_peer);
	fa_map_free(&p.track_map);
	free(p.track_at);
	free(p.cur);
	fr_sb_free(&p.sb);
	fa_model__free(m);
	return rc;
}
