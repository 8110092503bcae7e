// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * fr_capture.bpf.c: the kernel side of the flightrec recorder.
 *
 * One object with every probe.  Each handler is written once as an inline
 * function of the raw tracepoint arguments and instantiated twice: as a
 * tp_btf program (typed arguments, direct loads through kernel pointers,
 * task local storage) and as a raw_tp program (the fallback: reads through
 * bpf_probe_read_kernel, per-task state in a hash map keyed by tid).  The
 * agent loads one variant of each (capture/compat.c decides) and switches the
 * other off with bpf_program__set_autoload().
 *
 * Records go to one ring buffer in the layout of fr_events.h; see
 * fr_capture.h for the agent-private parts (plan, pieces, counters).
 *
 * System calls: the entry saves the arguments and reads the "in" payloads
 * the plan names (small ones into the task's stash, large ones straight to
 * the ring as pieces); the exit builds one record in a per-CPU scratch
 * buffer: header, body, the stash, the "out" payloads, and writes it with
 * bpf_ringbuf_output (records are exactly as large as their contents).
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpf/fr_capture.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile struct fr_bpf_config cfg = {};

/* ---- maps ------------------------------------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* the agent sets the size */
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, u32);
	__type(value, struct fr_sc_plan);
} plans SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct fr_task);
} tstore SEC(".maps");

/* raw_tp fallback: per-task state by tid */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct fr_task);
} thash SEC(".maps");

/* a zeroed fr_task to create hash entries from (never written) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct fr_task);
} zero_task SEC(".maps");

struct fr_scratch {
	u32 fill;
	u32 reserved;
	u8 buf[2 * FR_REC_MAX];
};

/* Per CPU (indexed by CPU number; the agent sizes it): the record being built. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct fr_scratch);
} scratch SEC(".maps");

struct fr_piece_buf {
	struct fr_rec_hdr hdr;
	struct fr_piece p;
	u8 data[2 * FR_PIECE_MAX];
};

/* Per CPU: a piece being sent, or a string being measured. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct fr_piece_buf);
} pscratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u8);
} filter_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[FR_COMM_LEN]);
	__type(value, u8);
} filter_comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u8);
} filter_cgroups SEC(".maps");

struct blk_issuer {
	u64 issue_ns;
	u64 pid_tgid;
};

/* block requests issued by recorded tasks: request -> issuer */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, u64);
	__type(value, struct blk_issuer);
} blk_rq SEC(".maps");

/* TCP sockets of recorded tasks, and the ports they listen on */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, u64);
	__type(value, u8);
} tcp_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u16);
	__type(value, u8);
} tcp_ports SEC(".maps");

/* ---- per-CPU counters and interrupt context, in .bss ------------------------- */

struct fr_pcpu pcpu[FR_MAX_CPUS] = {};

/* kswapd runs per node: when it woke */
uint64_t kswapd_start[64] = {};

/* A no-op the verifier inlines: gives a kernel pointer read as a number a
 * BTF type, so that its fields are read with plain (fault-safe) loads rather
 * than one bpf_probe_read_kernel each.  Linux 6.2+. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

#define CAST(type, p) ((type *)bpf_rdonly_cast((void *)(p), bpf_core_type_id_kernel(type)))

/* A task_struct argument of a handler, as a pointer direct loads can go
 * through: tp_btf arguments are typed already, raw_tp ones are cast.  (A
 * BPF_CORE_READ costs a helper call per field; the scheduler handlers read
 * half a dozen.) */
#define TASK_ARG(btf, v) ((btf) ? (struct task_struct *)(v) : CAST(struct task_struct, (v)))

/* The task's name: task->comm is NUL-padded to its 16 bytes (the kernel sets
 * it with strscpy_pad), so copying all 16 copies the name and its padding. */
static __always_inline void comm_copy(char *dst, const struct task_struct *task)
{
	__builtin_memcpy(dst, task->comm, FR_COMM_LEN);
}

/* ---- small helpers --------------------------------------------------------------- */

#define NR_read 0
#define NR_listen 50
#define NR_clone 56
#define NR_fork 57
#define NR_vfork 58
#define NR_execve 59
#define NR_clone3 435
#define NR_execveat 322

#define TASK_UNINTERRUPTIBLE 0x2
#define TASK_DEAD 0x80

static __always_inline struct fr_pcpu *this_pcpu(void)
{
	return &pcpu[bpf_get_smp_processor_id() & (FR_MAX_CPUS - 1)];
}

static __always_inline void stat_inc(u32 stat)
{
	if (stat < FR_STAT_COUNT)
		__sync_fetch_and_add(&this_pcpu()->stats[stat], 1);
}

static __always_inline void count_drop(void)
{
	struct fr_pcpu *c = this_pcpu();

	c->losses[FR_LOSS_RING_FULL]++;
	if (!c->lost_pending)
		c->lost_first_ns = bpf_ktime_get_ns();
	c->lost_pending++;
}

static __always_inline void count_loss(u32 cause)
{
	if (cause < FR_LOSS_CAUSE_COUNT)
		this_pcpu()->losses[cause]++;
}

/*
 * Wakeups are batched: records go in with BPF_RB_NO_WAKEUP and the agent
 * polls on a short timer; every Nth record of a CPU (N from the ring size,
 * at most 64) looks at how much is
 * waiting and wakes the agent once it is over the threshold, so a burst is
 * drained before the ring fills.
 */
static __always_inline u64 wake_flags(u64 size)
{
	struct fr_pcpu *c = this_pcpu();
	bool above;

	if ((++c->nrec & cfg.wake_check_mask) != 0)
		return BPF_RB_NO_WAKEUP;
	/* one wakeup when the backlog crosses the threshold, not one per check
	 * while it stays above: each costs an IPI */
	above = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= cfg.wake_bytes;
	if (above && !c->above) {
		c->above = 1;
		c->stats[FR_STAT_WAKEUPS]++;
		return BPF_RB_FORCE_WAKEUP;
	}
	c->above = above;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void hdr_fill(struct fr_rec_hdr *h, u64 ts, u64 pid_tgid, u16 type, u32 size)
{
	h->ts_ns = ts;
	h->pid = pid_tgid >> 32;
	h->tid = (u32)pid_tgid;
	h->type = type;
	h->cpu = bpf_get_smp_processor_id();
	h->size = size;
}

/* After a record went through: report the records this CPU dropped before,
 * as an FR_EV_LOST at the time the first of them was dropped. */
static __always_inline void lost_flush(void)
{
	struct fr_pcpu *c = this_pcpu();
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_lost l;
	} * r;

	if (!c->lost_pending)
		return;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r)
		return;
	hdr_fill(&r->h, c->lost_first_ns, 0, FR_EV_LOST, sizeof(*r));
	r->l.count = c->lost_pending;
	r->l.cause = FR_LOSS_RING_FULL;
	r->l.reserved = 0;
	c->lost_pending = 0;
	bpf_ringbuf_submit(r, 0);
	stat_inc(FR_STAT_LOST_RECORDS);
}

/* Write a record built in memory; counts it as dropped when there is no room. */
static __always_inline int emit(void *data, u64 size)
{
	/* every buffer records are built in holds at least 64 KiB */
	barrier_var(size);
	if (size > 65535)
		return -1;
	if (bpf_ringbuf_output(&rb, data, size, wake_flags(size))) {
		count_drop();
		return -1;
	}
	lost_flush();
	return 0;
}

/* Fixed-size records are reserved in the ring directly. */
#define REC_RESERVE(ptr)                                                                           \
	({                                                                                         \
		ptr = bpf_ringbuf_reserve(&rb, sizeof(*ptr), 0);                                   \
		if (!ptr)                                                                          \
			count_drop();                                                              \
		ptr;                                                                               \
	})

#define REC_SUBMIT(ptr)                                                                            \
	do {                                                                                       \
		bpf_ringbuf_submit(ptr, wake_flags(sizeof(*ptr)));                                 \
		lost_flush();                                                                      \
	} while (0)

static __always_inline u32 snap_cap(u32 item_max)
{
	u32 cap = cfg.snaplen ? cfg.snaplen : FR_SNAPLEN_MAX;

	if (cap > FR_SNAPLEN_MAX)
		cap = FR_SNAPLEN_MAX;
	if (item_max && item_max < cap)
		cap = item_max;
	return cap;
}

static __always_inline u32 round8(u32 n)
{
	return (n + 7) & ~7u;
}

/* ---- per-task state ---------------------------------------------------------------- */

static __always_inline struct fr_task *hash_state(u32 tid, bool create)
{
	struct fr_task *t = bpf_map_lookup_elem(&thash, &tid);
	u32 zero = 0;
	void *z;

	if (t || !create)
		return t;
	z = bpf_map_lookup_elem(&zero_task, &zero);
	if (!z)
		return NULL;
	bpf_map_update_elem(&thash, &tid, z, BPF_NOEXIST);
	return bpf_map_lookup_elem(&thash, &tid);
}

/* State of the current task (works in tp_btf and raw_tp programs alike). */
static __always_inline struct fr_task *cur_state(bool create)
{
	if (cfg.state_hash)
		return hash_state((u32)bpf_get_current_pid_tgid(), create);
	return bpf_task_storage_get(&tstore, bpf_get_current_task_btf(), 0,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* State of another task: `task` is a typed pointer in tp_btf programs only. */
static __always_inline struct fr_task *task_state(struct task_struct *task, bool btf, bool create)
{
	if (btf && !cfg.state_hash)
		return bpf_task_storage_get(&tstore, task, 0,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	return hash_state(BPF_CORE_READ(task, pid), create);
}

static __always_inline bool filter_match(struct task_struct *task)
{
	u32 tgid = BPF_CORE_READ(task, tgid);
	char comm[FR_COMM_LEN];
	u64 cg;

	if (tgid == cfg.agent_tgid || BPF_CORE_READ(task, flags) & 0x00200000 /* PF_KTHREAD */)
		return false;
	if (!cfg.filters)
		return true;
	if ((cfg.filters & FR_FILTER_PID) && bpf_map_lookup_elem(&filter_pids, &tgid))
		return true;
	if (cfg.filters & FR_FILTER_COMM) {
		__builtin_memset(comm, 0, sizeof(comm));
		BPF_CORE_READ_STR_INTO(&comm, task, comm);
		if (bpf_map_lookup_elem(&filter_comms, comm))
			return true;
	}
	if (cfg.filters & FR_FILTER_CGROUP) {
		cg = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
		if (bpf_map_lookup_elem(&filter_cgroups, &cg))
			return true;
	}
	return false;
}

/*
 * Is `task` recorded?  Returns its state when it is, NULL otherwise.  In
 * FR_MODE_FILTER the decision is made at first sight and kept with the task
 * (re-made after exec and comm changes).
 */
static __always_inline struct fr_task *traced(struct task_struct *task, bool btf, bool is_cur)
{
	struct fr_task *t;

	if (is_cur)
		t = cur_state(false);
	else
		t = task_state(task, btf, false);
	if (t && t->state == FR_TS_TRACED)
		return t;
	if (cfg.mode != FR_MODE_FILTER || (t && t->state != FR_TS_NONE))
		return NULL;
	if (!t) {
		if (is_cur)
			t = cur_state(true);
		else
			t = task_state(task, btf, true);
		if (!t) {
			stat_inc(FR_STAT_TASK_ALLOC_FAIL);
			return NULL;
		}
		t->sc_nr = FR_NO_SYSCALL;
	}
	t->state = filter_match(task) ? FR_TS_TRACED : FR_TS_IGNORED;
	return t->state == FR_TS_TRACED ? t : NULL;
}

static __always_inline struct task_struct *cur_task(bool btf)
{
	if (btf)
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/* ---- payload capture ------------------------------------------------------------------ */

/* Where entry-time and exit-time items go. */
enum { SINK_STASH = 0, SINK_REC = 1 };
/* capture_item's `how`: the sink, whether the call has returned, and the
 * item's index in the plan (bits 8..15) */
#define HOW_REC 0x1
#define HOW_EXIT 0x2
#define HOW_IDX(i) ((u32)(i) << 8)

#define KAP(kind, arg, part) ((u32)(kind) | ((u32)(arg) << 8) | ((u32)(part) << 16))

/* Walk state for sending data as pieces: from one user buffer (n == 0) or
 * from an iovec array, in windows of at most FR_PIECE_MAX bytes. */
struct walk {
	u64 iov;      /* user address of struct iovec[n] */
	u64 cur_base; /* current segment */
	u64 cur_len;
	u64 in_off; /* bytes of the current segment done */
	u64 pid_tgid;
	u64 seq;
	u32 n;	   /* iovecs */
	u32 idx;   /* next iovec to load */
	u32 total; /* bytes to send */
	u32 pos;   /* bytes sent in pieces so far */
	u32 fill;  /* bytes in the current window */
	u32 kap;
	u32 pieces; /* 1: send full windows as pieces; 0: gather one window only */
	u32 fault;
};

struct sum_ctx {
	u64 iov;
	u64 sum;
	u32 n;
	u32 fault;
};

struct strv_ctx {
	u64 argv;
	u32 fill;
	u32 max;
	u32 done;
	u32 fault;
};

/*
 * The state of the bpf_loop callbacks lives in a per-CPU map value, not on
 * the stack: the verifier does not track values through map memory, so the
 * iterations of a callback converge instead of growing ranges until the
 * instruction limit.  Every value loaded from it is bounded before use.
 */
struct loop_state {
	struct walk w;
	struct sum_ctx sum;
	struct strv_ctx strv;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct loop_state);
} lstate SEC(".maps");

static __always_inline struct loop_state *loop_state(void)
{
	u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&lstate, &cpu);
}

static __always_inline int send_window(struct walk *w, struct fr_piece_buf *pb)
{
	u32 len = w->fill;

	if (len > FR_PIECE_MAX)
		return -1;
	hdr_fill(&pb->hdr, bpf_ktime_get_ns(), w->pid_tgid, FR_REC_PIECE,
		 sizeof(pb->hdr) + sizeof(pb->p) + len);
	pb->p.seq = w->seq;
	pb->p.kind = w->kap & 0xff;
	pb->p.arg = (w->kap >> 8) & 0xff;
	pb->p.part = (w->kap >> 16) & 0xff;
	pb->p.flags = w->fault ? FR_PLF_FAULT : 0;
	pb->p.offset = w->pos;
	pb->p.len = len;
	pb->p.total = w->total;
	emit(pb, sizeof(pb->hdr) + sizeof(pb->p) + len);
	w->pos += len;
	w->fill = 0;
	return 0;
}

static long walk_step(u32 i, void *vctx)
{
	struct loop_state *ls = loop_state();
	struct fr_piece_buf *pb;
	u32 cpu = bpf_get_smp_processor_id();
	u64 chunk, room, left;
	struct iovec iv;
	struct walk *w;
	long err;

	pb = bpf_map_lookup_elem(&pscratch, &cpu);
	if (!pb || !ls)
		return 1;
	w = &ls->w;
	if (w->pos + w->fill >= w->total || w->fault) {
		if (w->pieces && (w->fill || w->fault))
			send_window(w, pb);
		return 1;
	}
	if (w->in_off >= w->cur_len) {
		if (w->idx >= w->n) {
			/* the segments ended before `total`: send what there is */
			w->total = w->pos + w->fill;
			return 0;
		}
		if (bpf_probe_read_user(&iv, sizeof(iv), (void *)(w->iov + (u64)w->idx * 16))) {
			w->fault = 1;
			return 0;
		}
		w->idx++;
		w->cur_base = (u64)iv.iov_base;
		w->cur_len = iv.iov_len;
		w->in_off = 0;
		return 0;
	}
	chunk = w->cur_len - w->in_off;
	left = w->total - w->pos - w->fill;
	room = FR_PIECE_MAX - w->fill;
	if (chunk > left)
		chunk = left;
	if (chunk > room)
		chunk = room;
	if (chunk > FR_PIECE_MAX || w->fill >= FR_PIECE_MAX)
		return 1;
	err = bpf_probe_read_user(&pb->data[w->fill & (FR_PIECE_MAX - 1)], chunk,
				  (void *)(w->cur_base + w->in_off));
	if (err) {
		w->fault = 1;
		return 0;
	}
	w->fill += chunk;
	w->in_off += chunk;
	if (w->pieces && (w->fill == FR_PIECE_MAX || w->pos + w->fill >= w->total))
		send_window(w, pb);
	else if (!w->pieces && w->fill >= FR_PIECE_MAX)
		return 1;
	return 0;
}

static __always_inline u32 walk_loops(const struct walk *w)
{
	return w->n * 2 + w->total / (FR_PIECE_MAX / 2) + 4;
}

/* Write a payload item header. */
static __always_inline void put_hdr(struct fr_payload_hdr *h, u32 kap, u32 flags, u32 full, u32 len,
				    u32 reserved)
{
	h->kind = kap & 0xff;
	h->arg = (kap >> 8) & 0xff;
	h->part = (kap >> 16) & 0xff;
	h->flags = flags;
	h->full_len = full;
	h->len = len;
	h->reserved = reserved;
}

/* Accumulate syscall flags from item flags. */
static __always_inline void note_flags(struct fr_task *t, u32 flags)
{
	if (flags & FR_PLF_TRUNCATED)
		t->sc_flags |= FR_SC_PAYLOAD_CUT;
	if (flags & FR_PLF_FAULT)
		t->sc_flags |= FR_SC_PAYLOAD_FAULT;
}

/*
 * Put the item described by `w` (len = w->total captured bytes of `full`)
 * into the sink: inline when it fits, else as pieces behind a stub.  The data
 * comes from user memory (or w->kernel), a single buffer or an iovec walk.
 */
static __always_inline void put_walk(struct fr_task *t, struct fr_scratch *s, u32 sink,
				     struct walk *w, u32 full, u32 flags)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_piece_buf *pb;
	struct fr_payload_hdr *h;
	u32 off, len = w->total, limit, mask;
	u8 *area, *base;

	/* one branch decides area, limit and mask: the verifier follows each
	 * sink as its own path with constant bounds */
	if (sink == SINK_STASH) {
		off = t->stash_len;
		limit = FR_STASH;
		mask = FR_STASH - 1;
		area = t->stash;
	} else {
		off = s->fill;
		limit = FR_REC_MAX;
		mask = FR_REC_MAX - 1;
		area = s->buf;
	}
	if (off + sizeof(*h) + sizeof(struct fr_stub) > limit)
		return;
	barrier_var(off);
	off &= mask;
	base = area + off;
	h = (void *)base;

	if (off + sizeof(*h) + len <= limit && len <= FR_PIECE_MAX) {
		/* inline */
		u32 dlen = len;
		long err;

		if (w->n == 0) {
			/* one buffer: straight into the sink */
			barrier_var(dlen);
			dlen &= mask;
			err = bpf_probe_read_user(base + sizeof(*h), dlen, (void *)w->cur_base);
			if (err) {
				flags |= FR_PLF_FAULT;
				dlen = 0;
			}
		} else {
			/* an iovec walk: gather into the piece buffer, then copy */
			w->pieces = 0;
			bpf_loop(walk_loops(w), walk_step, NULL, 0);
			pb = bpf_map_lookup_elem(&pscratch, &cpu);
			if (!pb)
				return;
			dlen = w->fill;
			if (w->fault)
				flags |= FR_PLF_FAULT;
			barrier_var(dlen);
			dlen &= mask;
			bpf_probe_read_kernel(base + sizeof(*h), dlen, pb->data);
		}
		put_hdr(h, w->kap, flags, full, dlen, 0);
		off += sizeof(*h) + round8(dlen);
	} else {
		/* pieces, then a stub */
		w->pieces = 1;
		w->seq = t->seq;
		bpf_loop(walk_loops(w), walk_step, NULL, 0);
		if (w->fault)
			flags |= FR_PLF_FAULT;
		struct fr_stub *st = (void *)(base + sizeof(*h));

		put_hdr(h, w->kap, flags | FR_PLF_PIECES, full, sizeof(*st), 0);
		t->sc_flags |= FR_SC_HAS_STUBS;
		st->seq = w->seq;
		st->total = w->pos;
		st->reserved = 0;
		off += sizeof(*h) + sizeof(*st);
	}
	note_flags(t, flags);
	if (flags & FR_PLF_TRUNCATED)
		count_loss(FR_LOSS_PAYLOAD_TRUNCATED);
	if (flags & FR_PLF_FAULT)
		count_loss(FR_LOSS_READ_FAULT);
	if (sink == SINK_STASH)
		t->stash_len = off;
	else
		s->fill = off;
}

/* A single buffer of `full` bytes at `uptr`. */
static __always_inline void put_buf(struct fr_task *t, struct fr_scratch *s, u32 sink, u32 kap,
				    u64 uptr, u64 full, u32 cap)
{
	struct loop_state *ls;
	struct fr_payload_hdr *h;
	struct walk *w;
	u32 flags = 0, len, off;

	if (full > 0xffffffffull)
		full = 0xffffffffull;
	len = full;
	if (full > cap) {
		len = cap;
		flags |= FR_PLF_TRUNCATED;
	}
	/* the common case: small, into the task's own record, no loop */
	off = t->stash_len;
	if (sink == SINK_STASH && off + sizeof(*h) + len <= FR_STASH) {
		/* the masks are no-ops clang would drop after the check above;
		 * barrier_var keeps them for the verifier */
		barrier_var(off);
		off &= FR_STASH - 1;
		h = (void *)&t->stash[off];
		barrier_var(len);
		len &= FR_STASH - 1;
		if (bpf_probe_read_user(&t->stash[off + sizeof(*h)], len, (void *)uptr)) {
			flags |= FR_PLF_FAULT;
			len = 0;
		}
		put_hdr(h, kap, flags, full, len, 0);
		t->stash_len = off + sizeof(*h) + round8(len);
		if (flags) {
			note_flags(t, flags);
			if (flags & FR_PLF_TRUNCATED)
				count_loss(FR_LOSS_PAYLOAD_TRUNCATED);
			if (flags & FR_PLF_FAULT)
				count_loss(FR_LOSS_READ_FAULT);
		}
		return;
	}
	ls = loop_state();
	if (!ls)
		return;
	w = &ls->w;
	__builtin_memset(w, 0, sizeof(*w));
	w->total = len;
	w->cur_base = uptr;
	w->cur_len = len;
	w->pid_tgid = bpf_get_current_pid_tgid();
	w->kap = kap;
	put_walk(t, s, sink, w, full, flags);
}

static long sum_step(u32 i, void *vctx)
{
	struct loop_state *ls = loop_state();
	struct sum_ctx *c;
	struct iovec iv;

	if (!ls)
		return 1;
	c = &ls->sum;
	if (i >= c->n)
		return 1;
	if (bpf_probe_read_user(&iv, sizeof(iv), (void *)(c->iov + (u64)i * 16))) {
		c->fault = 1;
		return 1;
	}
	c->sum += iv.iov_len;
	return 0;
}

/* Data spread over struct iovec[n] at `iov`: `full` bytes of it (0xffffffff:
 * the sum of the lengths). */
static __always_inline void put_iov(struct fr_task *t, struct fr_scratch *s, u32 sink, u32 kap,
				    u64 iov, u64 n, u64 full, u32 cap)
{
	struct loop_state *ls = loop_state();
	struct walk *w;
	u32 flags = 0;

	if (!ls)
		return;
	if (n > 1024)
		n = 1024; /* UIO_MAXIOV */
	if (full == 0xffffffffull) {
		ls->sum.iov = iov;
		ls->sum.n = n;
		ls->sum.sum = 0;
		ls->sum.fault = 0;
		bpf_loop(n, sum_step, NULL, 0);
		full = ls->sum.sum;
		if (ls->sum.fault)
			flags |= FR_PLF_FAULT;
	}
	w = &ls->w;
	__builtin_memset(w, 0, sizeof(*w));
	if (full > 0xffffffffull)
		full = 0xffffffffull;
	w->total = full;
	if (full > cap) {
		w->total = cap;
		flags |= FR_PLF_TRUNCATED;
	}
	w->iov = iov;
	w->n = n;
	w->pid_tgid = bpf_get_current_pid_tgid();
	w->kap = kap;
	if (!n)
		w->n = 1, w->idx = 1; /* no segments: an empty walk, not a single buffer */
	put_walk(t, s, sink, w, full, flags);
}

/*
 * Put the first `n` bytes of the piece buffer (a string just read there) as
 * an item: copied inline when it fits, else sent in place as one piece.
 */
static __always_inline void put_pscratch(struct fr_task *t, struct fr_scratch *s, u32 sink, u32 kap,
					 u32 n, u32 full, u32 flags)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_piece_buf *pb = bpf_map_lookup_elem(&pscratch, &cpu);
	struct fr_payload_hdr *h;
	u32 off, limit, mask;
	u8 *area, *base;

	if (!pb || n > FR_PIECE_MAX)
		return;
	if (sink == SINK_STASH) {
		off = t->stash_len;
		limit = FR_STASH;
		mask = FR_STASH - 1;
		area = t->stash;
	} else {
		off = s->fill;
		limit = FR_REC_MAX;
		mask = FR_REC_MAX - 1;
		area = s->buf;
	}
	if (off + sizeof(*h) + sizeof(struct fr_stub) > limit)
		return;
	barrier_var(off);
	off &= mask;
	base = area + off;
	h = (void *)base;
	if (off + sizeof(*h) + n <= limit) {
		u32 dlen = n;

		barrier_var(dlen);
		dlen &= mask;
		bpf_probe_read_kernel(base + sizeof(*h), dlen, pb->data);
		put_hdr(h, kap, flags, full, dlen, 0);
		off += sizeof(*h) + round8(dlen);
	} else {
		struct fr_stub *st = (void *)(base + sizeof(*h));
		u32 len = n;

		hdr_fill(&pb->hdr, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_REC_PIECE,
			 sizeof(pb->hdr) + sizeof(pb->p) + len);
		pb->p.seq = t->seq;
		pb->p.kind = kap & 0xff;
		pb->p.arg = (kap >> 8) & 0xff;
		pb->p.part = (kap >> 16) & 0xff;
		pb->p.flags = 0;
		pb->p.offset = 0;
		pb->p.len = len;
		pb->p.total = len;
		emit(pb, sizeof(pb->hdr) + sizeof(pb->p) + len);
		put_hdr(h, kap, flags | FR_PLF_PIECES, full, sizeof(*st), 0);
		t->sc_flags |= FR_SC_HAS_STUBS;
		st->seq = t->seq;
		st->total = len;
		st->reserved = 0;
		off += sizeof(*h) + sizeof(*st);
	}
	note_flags(t, flags);
	if (flags & FR_PLF_TRUNCATED)
		count_loss(FR_LOSS_PAYLOAD_TRUNCATED);
	if (flags & FR_PLF_FAULT)
		count_loss(FR_LOSS_READ_FAULT);
	if (sink == SINK_STASH)
		t->stash_len = off;
	else
		s->fill = off;
}

/* A string measured first in the piece buffer (at most FR_PIECE_MAX bytes). */
static __always_inline void put_str(struct fr_task *t, struct fr_scratch *s, u32 sink, u32 kap,
				    u64 ptr, u32 cap, bool kernel)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_piece_buf *pb = bpf_map_lookup_elem(&pscratch, &cpu);
	u32 max = cap > FR_PIECE_MAX ? FR_PIECE_MAX : cap;
	long n;

	u32 size = max < FR_PIECE_MAX ? max + 1 : FR_PIECE_MAX;

	if (!pb)
		return;
	/* size <= FR_PIECE_MAX; the mask (a no-op) is for the verifier, which
	 * loses a clamp that clang turns into a conditional move */
	size &= 2 * FR_PIECE_MAX - 1;
	if (kernel)
		n = bpf_probe_read_kernel_str(pb->data, size, (void *)ptr);
	else
		n = bpf_probe_read_user_str(pb->data, size, (void *)ptr);
	if (n < 0) {
		put_pscratch(t, s, sink, kap, 0, 0, FR_PLF_FAULT);
		return;
	}
	if (n > 0)
		n--; /* without the NUL */
	/* a string that filled the buffer may go on: its full length is unknown */
	put_pscratch(t, s, sink, kap, n, n, n >= max ? FR_PLF_TRUNCATED : 0);
}

static long strv_step(u32 i, void *vctx)
{
	struct loop_state *ls = loop_state();
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_piece_buf *pb = bpf_map_lookup_elem(&pscratch, &cpu);
	struct strv_ctx *c;
	u64 p;
	long n;

	if (!pb || !ls)
		return 1;
	c = &ls->strv;
	if (c->fill >= c->max || c->max > FR_PIECE_MAX - 1)
		return 1;
	if (bpf_probe_read_user(&p, sizeof(p), (void *)(c->argv + (u64)i * 8))) {
		c->fault = 1;
		return 1;
	}
	if (!p) {
		c->done = 1;
		return 1;
	}
	n = bpf_probe_read_user_str(&pb->data[c->fill & (FR_PIECE_MAX - 1)],
				    (c->max - c->fill) & (FR_PIECE_MAX - 1), (void *)p);
	if (n < 0) {
		c->fault = 1;
		return 1;
	}
	c->fill += n;
	return 0;
}

/* A NULL-terminated array of strings, NUL-separated (at most FR_PIECE_MAX). */
static __always_inline void put_strv(struct fr_task *t, struct fr_scratch *s, u32 sink, u32 kap,
				     u64 argv, u32 cap)
{
	struct loop_state *ls = loop_state();
	struct strv_ctx *c;
	u32 flags = 0, fill;

	if (!ls)
		return;
	c = &ls->strv;
	c->argv = argv;
	c->fill = 0;
	c->max = cap > FR_PIECE_MAX - 1 ? FR_PIECE_MAX - 1 : cap;
	c->done = 0;
	c->fault = 0;
	bpf_loop(1024, strv_step, NULL, 0);
	if (c->fault)
		flags |= FR_PLF_FAULT;
	if (!c->done && !c->fault)
		flags |= FR_PLF_TRUNCATED;
	fill = c->fill;
	put_pscratch(t, s, sink, kap, fill, fill, flags);
}

/* ---- file descriptors ---------------------------------------------------------------------- */

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000

/* `sk` is a BTF pointer (typed tracepoint argument, or a bpf_rdonly_cast):
 * direct loads, where BPF_CORE_READ would cost a helper call per field
 * (seven of them, ~60 ns, on every syscall on a socket). */
static __always_inline void sock_tuple(const struct sock *sk, struct fr_sock_tuple *tp)
{
	u16 family = sk->__sk_common.skc_family;

	tp->family = family;
	tp->protocol = sk->sk_protocol;
	tp->sport = sk->__sk_common.skc_num;
	tp->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	if (family == 2 /* AF_INET */) {
		u32 a = sk->__sk_common.skc_rcv_saddr;
		u32 b = sk->__sk_common.skc_daddr;

		__builtin_memcpy(tp->saddr, &a, 4);
		__builtin_memcpy(tp->daddr, &b, 4);
	} else if (family == 10 /* AF_INET6 */) {
		u32 a[4], b[4];

		a[0] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[0];
		a[1] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[1];
		a[2] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[2];
		a[3] = sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[3];
		b[0] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[0];
		b[1] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[1];
		b[2] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[2];
		b[3] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[3];
		__builtin_memcpy(tp->saddr, a, 16);
		__builtin_memcpy(tp->daddr, b, 16);
	}
}

/*
 * The open file behind descriptor `fd` of the current task, or NULL.  Direct
 * loads only: the slot of the fd array is read through a cast of its address
 * to a struct whose first member is a pointer (struct list_head, stable since
 * forever), which the verifier turns into a fault-safe load, where
 * bpf_probe_read_kernel cost a helper call (~8 ns a syscall).
 */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	struct file **fdarr = fdt->fd;
	struct list_head *slot;
	void *fp;

	if (fd < 0 || (u32)fd >= fdt->max_fds || !fdarr)
		return NULL;
	slot = CAST(struct list_head, (u64)fdarr + (u64)fd * sizeof(void *));
	fp = slot->next;
	if (!fp)
		return NULL;
	return CAST(struct file, fp);
}

/* Resolve descriptor `fd` of the current task.  Returns 0 when it is open. */
static __always_inline int resolve_fd(int fd, struct fr_fdinfo *fi)
{
	struct file *f = fd_file(fd);
	struct inode *inode;
	u16 mode;

	if (!f)
		return -1;
	inode = f->f_inode;
	mode = inode->i_mode;
	fi->fd = fd;
	fi->ino = inode->i_ino;
	fi->pos = f->f_pos;
	switch (mode & S_IFMT) {
	case S_IFREG:
		fi->type = FR_FD_FILE;
		break;
	case S_IFDIR:
		fi->type = FR_FD_DIR;
		break;
	case S_IFIFO:
		fi->type = FR_FD_PIPE;
		break;
	case S_IFCHR:
		fi->type = FR_FD_CHR;
		break;
	case S_IFBLK:
		fi->type = FR_FD_BLK;
		break;
	case S_IFSOCK:
		fi->type = FR_FD_SOCKET;
		break;
	default:
		fi->type = FR_FD_ANON; /* anon inodes have no type bits */
		break;
	}
	if (fi->type == FR_FD_CHR || fi->type == FR_FD_BLK)
		fi->dev = inode->i_rdev;
	else
		fi->dev = inode->i_sb->s_dev;
	if (fi->type == FR_FD_SOCKET) {
		struct socket *sock = CAST(struct socket, f->private_data);
		struct sock *sk = sock->sk;

		fi->sock_type = sock->type;
		if (sk)
			sock_tuple(sk, &fi->tuple);
	}
	return 0;
}

/*
 * listen() moves a socket to TCP_LISTEN without the inet_sock_set_state
 * tracepoint: remember the port a recorded task listens on here, so that
 * the connections accepted on it (whose state changes happen in softirq
 * context) are recorded too.
 */
__noinline int learn_listen(int fd)
{
	struct file *f = fd_file(fd);
	struct socket *sock;
	struct sock *sk;
	u16 port;
	u8 one = 1;

	if (!f || (f->f_inode->i_mode & S_IFMT) != S_IFSOCK)
		return 0;
	sock = CAST(struct socket, f->private_data);
	sk = sock->sk;
	if (!sk || sk->sk_protocol != 6 /* IPPROTO_TCP */)
		return 0;
	port = sk->__sk_common.skc_num;
	bpf_map_update_elem(&tcp_ports, &port, &one, BPF_ANY);
	return 0;
}

static __always_inline void put_fdinfo(struct fr_task *t, u32 arg)
{
	struct fr_payload_hdr *h;
	struct fr_fdinfo *fi;
	u32 off = t->stash_len;
	u64 v;

	if (arg >= 6 || off + sizeof(*h) + sizeof(*fi) > FR_STASH)
		return;
	v = t->rec_body.args[arg];
	off &= FR_STASH - 1;
	h = (void *)&t->stash[off];
	fi = (void *)&t->stash[(off + sizeof(*h)) & (2 * FR_STASH - 1)];
	if (off + sizeof(*h) + sizeof(*fi) > 2 * FR_STASH)
		return;
	__builtin_memset(fi, 0, sizeof(*fi));
	if (resolve_fd((int)v, fi))
		return;
	put_hdr(h, KAP(FR_PL_FDINFO, arg, 0), 0, sizeof(*fi), sizeof(*fi), 0);
	t->stash_len = off + sizeof(*h) + sizeof(*fi);
}

/* ---- the plan interpreter ------------------------------------------------------------------- */

struct user_msghdr_ {
	u64 name;
	u32 namelen;
	u32 pad0;
	u64 iov;
	u64 iovlen;
	u64 control;
	u64 controllen;
	u32 flags;
	u32 pad1;
};

static __always_inline u64 arg_of(const struct fr_task *t, u32 i)
{
	return i < 6 ? t->rec_body.args[i] : 0;
}

/*
 * One message of a sendmmsg/recvmmsg array at `mptr`: its data (part 0) and,
 * at exit, its address (part 1).  `how` carries the sink and exit bits, the
 * payload kind in bits 16..23 and the argument in bits 24..31.  A global
 * function: verified once, however many messages.
 */
__noinline int capture_mmsg(struct fr_task *t, struct fr_scratch *s, u32 how, u64 mptr, u32 cap)
{
	u32 sink = how & HOW_REC ? SINK_REC : SINK_STASH;
	u32 msg = (how >> 8) & 0xff, kind = (how >> 16) & 0xff, arg = (how >> 24) & 0xff;
	struct {
		struct user_msghdr_ h;
		u32 len; /* msg_len: bytes sent or received (set by the kernel) */
		u32 pad;
	} mm;

	if (!t || !s || msg >= FR_MMSG_DATA || bpf_probe_read_user(&mm, sizeof(mm), (void *)mptr))
		return 0;
	put_iov(t, s, sink, KAP(kind, arg, 3 * msg), mm.h.iov, mm.h.iovlen,
		(how & HOW_EXIT) ? mm.len : 0xffffffffull, cap);
	if (mm.h.name && mm.h.namelen)
		put_buf(t, s, sink, KAP(kind, arg, 3 * msg + 1), mm.h.name, mm.h.namelen,
			snap_cap(128));
	return 0;
}

/*
 * Capture item `idx` of the plan of the current syscall into the sink.  `ret`
 * is the return value at exit.  A global function: verified once, called
 * from every syscall program.
 */
__noinline int capture_item(struct fr_task *t, struct fr_scratch *s, const struct fr_plan_item *it,
			    u32 how, s64 ret)
{
	u32 sink = how & HOW_REC ? SINK_REC : SINK_STASH;
	u64 ptr, full = 0, n;
	u32 cap, kap;

	if (!t || !s || !it)
		return 0;
	if ((how & HOW_EXIT) && (it->flags & FR_PI_OK_ONLY) && ret < 0)
		return 0;
	ptr = arg_of(t, it->arg);
	if (!ptr)
		return 0; /* NULL: nothing passed, nothing to read */
	cap = snap_cap(it->max);
	kap = KAP(it->kind, it->arg, 0);

	switch (it->len) {
	case FR_LEN_CONST:
		full = it->size;
		break;
	case FR_LEN_ARG:
		full = arg_of(t, it->len_arg) * it->size;
		break;
	case FR_LEN_RET:
		full = ret > 0 ? (u64)ret * it->size : 0;
		if (it->flags & FR_PI_CAP_ARG) {
			n = arg_of(t, it->len_arg) * it->size;
			if (full > n)
				full = n;
		}
		break;
	case FR_LEN_ARG_PTR: {
		u32 v = 0, idx = (how >> 8) & 0xff;
		u64 lp = arg_of(t, it->len_arg);

		if (!lp || bpf_probe_read_user(&v, sizeof(v), (void *)lp))
			return 0;
		/* the kernel reports the whole length but wrote at most the
		 * buffer's size, which *lenptr held at entry */
		if (idx < FR_PLAN_MAX_ITEMS && v > t->inlen[idx])
			v = t->inlen[idx];
		full = v;
		break;
	}
	case FR_LEN_FDSET:
		n = arg_of(t, it->len_arg);
		if ((s64)n < 0 || n > 65536)
			return 0;
		full = ((n + 63) / 64) * 8;
		break;
	case FR_LEN_IOV:
		full = 0xffffffffull;
		break;
	default:
		return 0;
	}

	switch (it->op) {
	case FR_OP_BUF:
		put_buf(t, s, sink, kap, ptr, full, cap);
		break;
	case FR_OP_STR:
		put_str(t, s, sink, kap, ptr, cap, false);
		break;
	case FR_OP_STRV:
		put_strv(t, s, sink, kap, ptr, cap);
		break;
	case FR_OP_IOV:
		put_iov(t, s, sink, kap, ptr, arg_of(t, it->len_arg), full, cap);
		break;
	case FR_OP_MSGHDR: {
		struct user_msghdr_ m;

		if (bpf_probe_read_user(&m, sizeof(m), (void *)ptr))
			return 0;
		put_buf(t, s, sink, KAP(it->kind, it->arg, FR_PART_STRUCT), ptr, sizeof(m), cap);
		if (m.name && m.namelen)
			put_buf(t, s, sink, KAP(it->kind, it->arg, 1), m.name, m.namelen,
				snap_cap(128));
		if (m.control && m.controllen)
			put_buf(t, s, sink, KAP(it->kind, it->arg, 2), m.control, m.controllen,
				cap);
		put_iov(t, s, sink, KAP(it->kind, it->arg, 0), m.iov, m.iovlen, full, cap);
		break;
	}
	case FR_OP_MMSGHDR: {
		/* part FR_PART_STRUCT: the array of headers; message i (of the
		 * first FR_MMSG_DATA): part 3i its data (sent: its iovecs' total;
		 * received: msg_len), part 3i+1 its address */
		u32 i, m;

		n = (how & HOW_EXIT) ? (ret > 0 ? ret : 0) : arg_of(t, it->len_arg);
		if (n > 1024)
			n = 1024;
		put_buf(t, s, sink, KAP(it->kind, it->arg, FR_PART_STRUCT), ptr, n * 64, cap);
		m = n < FR_MMSG_DATA ? n : FR_MMSG_DATA;
		if (n > FR_MMSG_DATA)
			t->sc_flags |= FR_SC_PAYLOAD_CUT;
		for (i = 0; i < FR_MMSG_DATA; i++) {
			if (i >= m)
				break;
			capture_mmsg(t, s,
				     (how & (HOW_REC | HOW_EXIT)) | (i << 8) |
					 ((u32)it->kind << 16) | ((u32)it->arg << 24),
				     ptr + (u64)i * 64, cap);
		}
		break;
	}
	default:
		break;
	}
	return 0;
}

static __always_inline const struct fr_sc_plan *plan_of(u32 nr)
{
	return bpf_map_lookup_elem(&plans, &nr);
}

/* Entry-time captures of the current syscall. */
__noinline int enter_capture(struct fr_task *t, const struct fr_sc_plan *p)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_scratch *s;
	u32 i;

	if (!t || !p)
		return 0;
	if (p->fd_arg[0] < 6)
		put_fdinfo(t, p->fd_arg[0]);
	if (p->fd_arg[1] < 6)
		put_fdinfo(t, p->fd_arg[1]);
	if (p->flags & FR_PLAN_LENPTR) {
		for (i = 0; i < FR_PLAN_MAX_ITEMS; i++) {
			const struct fr_plan_item *it = &p->items[i];
			u64 lp;

			t->inlen[i] = 0;
			if (i < p->n_enter || it->len != FR_LEN_ARG_PTR)
				continue;
			lp = arg_of(t, it->len_arg);
			if (lp)
				bpf_probe_read_user(&t->inlen[i], sizeof(u32), (void *)lp);
		}
	}
	if (!p->n_enter)
		return 0;
	s = bpf_map_lookup_elem(&scratch, &cpu); /* not written: the items go to the stash */
	if (!s)
		return 0;
	t->redo = 0;
	for (i = 0; i < FR_PLAN_MAX_ITEMS; i++) {
		u32 before = t->stash_len, scf = t->sc_flags;
		struct fr_payload_hdr *h;

		if (i >= p->n_enter)
			break;
		capture_item(t, s, &p->items[i], 0, 0);
		/*
		 * The page holding the data may not be resident yet (a path in a
		 * library's .rodata never touched): a nofault read fails where the
		 * kernel will fault it in.  Read it again at exit, when the kernel
		 * has done so.
		 */
		if (t->stash_len <= before || before >= FR_STASH)
			continue;
		h = (void *)&t->stash[before & (FR_STASH - 1)];
		if ((h->flags & FR_PLF_FAULT) && !(h->flags & FR_PLF_PIECES)) {
			t->stash_len = before;
			t->sc_flags = scf;
			t->redo |= 1u << i;
			this_pcpu()->losses[FR_LOSS_READ_FAULT]--;
		}
	}
	return 0;
}

/*
 * Emit the syscall record of the current task: body from the saved entry,
 * the entry-time items, then the exit-time items read now, all in the
 * task's own record area, written to the ring from there.  `flags` adds
 * FR_SC_NO_EXIT / FR_SC_NO_ENTER.
 */
__noinline int emit_syscall(struct fr_task *t, s64 ret, u32 flags, u64 now)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
	const struct fr_sc_plan *p;
	u32 i, n, len, nr, idx;

	if (!t || !s)
		return 0;
	nr = t->sc_nr;
	p = plan_of(nr);
	if (p && t->redo) {
		for (i = 0; i < FR_PLAN_MAX_ITEMS; i++) {
			if (!(t->redo & (1u << i)))
				continue;
			if (!(flags & FR_SC_NO_EXIT)) {
				capture_item(t, s, &p->items[i], 0, 0);
			} else {
				/* no exit to wait for (exec replaced the memory, or
				 * exit_group): it stays unreadable */
				u32 off = t->stash_len;
				struct fr_payload_hdr *h;

				if (off + sizeof(*h) > FR_STASH)
					break;
				off &= FR_STASH - 1;
				h = (void *)&t->stash[off];
				put_hdr(h, KAP(p->items[i].kind, p->items[i].arg, 0), FR_PLF_FAULT,
					0, 0, 0);
				t->stash_len = off + sizeof(*h);
				t->sc_flags |= FR_SC_PAYLOAD_FAULT;
				count_loss(FR_LOSS_READ_FAULT);
			}
		}
		t->redo = 0;
	}
	if (p && !(flags & FR_SC_NO_EXIT) && p->n_exit) {
		n = p->n_enter;
		for (i = 0; i < FR_PLAN_MAX_ITEMS; i++) {
			if (i >= p->n_exit)
				break;
			idx = n + i;
			barrier_var(idx);
			if (idx >= FR_PLAN_MAX_ITEMS)
				break;
			capture_item(t, s, &p->items[idx], HOW_EXIT | HOW_IDX(idx), ret);
		}
	}
	t->rec_body.enter_ns = (flags & FR_SC_NO_ENTER) ? 0 : t->enter_ns;
	t->rec_body.ret = (flags & FR_SC_NO_EXIT) ? 0 : ret;
	/* the arguments were stored in the body at entry */
	t->rec_body.nr = nr;
	t->rec_body.flags = flags | t->sc_flags;
	len = t->stash_len;
	if (len > FR_STASH)
		len = FR_STASH;
	len += sizeof(t->rec_hdr) + sizeof(t->rec_body);
	hdr_fill(&t->rec_hdr, now, bpf_get_current_pid_tgid(), FR_EV_SYSCALL, len);
	emit(&t->rec_hdr, len);
	t->sc_nr = FR_NO_SYSCALL;
	t->stash_len = 0;
	t->sc_flags = 0;
	return 0;
}

/* ---- page faults ------------------------------------------------------------------------ */

/*
 * Major faults.  exceptions:page_fault_user marks the entry of every user
 * fault; the kernel has no tracepoint at its end.  A fault is reported when
 * it blocked on I/O: the task switched out in D state with in_iowait set
 * while the fault was pending (that is what a major fault does: it waits for
 * the page to be read).  Its end is when the task got the CPU back, which is
 * when the record is written.  A fault that did not block but still counted
 * as major (task->maj_flt grew) is reported at the task's next fault or
 * syscall, with its entry time as both start and end.
 */
static __always_inline void pf_emit(struct fr_task *t, u64 end, u64 pid_tgid)
{
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_page_fault pf;
	} * r;

	if (REC_RESERVE(r)) {
		hdr_fill(&r->h, end, pid_tgid, FR_EV_PAGE_FAULT, sizeof(*r));
		r->pf.start_ns = t->pf_start;
		r->pf.address = t->pf_addr;
		r->pf.ip = t->pf_ip;
		r->pf.error_code = t->pf_err;
		r->pf.flags = FR_PF_MAJOR | FR_PF_USER | ((t->pf_err & 2) ? FR_PF_WRITE : 0);
		REC_SUBMIT(r);
	}
	t->pf_start = 0;
}

/* At the task's next observation point: report a pending major fault that
 * did not block.  `task` is the current task. */
static __always_inline void pf_settle(struct fr_task *t, struct task_struct *task, bool btf)
{
	u64 maj;

	if (!t->pf_start)
		return;
	maj = btf ? task->maj_flt : BPF_CORE_READ(task, maj_flt);
	if (maj != t->pf_majflt)
		pf_emit(t, t->pf_start, bpf_get_current_pid_tgid());
	t->pf_start = 0;
}

/* ---- handlers ----------------------------------------------------------------------------- */

static __always_inline int do_sys_enter(u64 *ctx, bool btf)
{
	struct pt_regs *regs = (void *)ctx[0];
	long id = (long)ctx[1];
	const struct fr_sc_plan *p;
	struct fr_task *t;
	u64 now;

	t = cur_state(false);
	if (!t || t->state != FR_TS_TRACED) {
		if (t && t->state == FR_TS_ARMED && (id == NR_execve || id == NR_execveat))
			t->state = FR_TS_TRACED;
		else if (cfg.mode != FR_MODE_FILTER || (t && t->state != FR_TS_NONE))
			return 0;
		else if (!(t = traced(cur_task(btf), btf, true)))
			return 0;
	}
	now = bpf_ktime_get_ns();
	if (t->pf_start)
		pf_settle(t, cur_task(btf), btf);
	/* raw_tp: the same direct loads through a cast (no helper call each) */
	if (!btf)
		regs = CAST(struct pt_regs, regs);
	t->rec_body.args[0] = regs->di;
	t->rec_body.args[1] = regs->si;
	t->rec_body.args[2] = regs->dx;
	t->rec_body.args[3] = regs->r10;
	t->rec_body.args[4] = regs->r8;
	t->rec_body.args[5] = regs->r9;
	t->enter_ns = now;
	t->seq++;
	t->sc_nr = (u32)id;
	t->sc_flags = 0;
	t->stash_len = 0;
	p = plan_of((u32)id);
	if (!p)
		return 0; /* not a number the table knows: still recorded, no payload */
	if (!(p->flags & FR_PLAN_TRACE)) {
		t->sc_nr = FR_NO_SYSCALL;
		return 0;
	}
	if (p->n_enter || p->fd_arg[0] < 6 || (p->flags & FR_PLAN_LENPTR))
		enter_capture(t, p);
	if (p->flags & FR_PLAN_NORETURN)
		emit_syscall(t, 0, FR_SC_NO_EXIT, now);
	return 0;
}

static __always_inline int do_sys_exit(u64 *ctx, bool btf)
{
	struct pt_regs *regs = (void *)ctx[0];
	s64 ret = (s64)ctx[1];
	struct fr_task *t = cur_state(false);
	u32 flags = 0;

	if (!t || t->state != FR_TS_TRACED)
		return 0;
	if (t->sc_nr == FR_SKIP_EXIT) {
		t->sc_nr = FR_NO_SYSCALL;
		return 0;
	}
	if (t->sc_nr == FR_NO_SYSCALL) {
		/* the entry was not seen: a new task returning from clone, or a
		 * task that became recorded inside a syscall */
		if (!btf)
			regs = CAST(struct pt_regs, regs);
		t->sc_nr = regs->orig_ax;
		t->rec_body.args[0] = regs->di;
		t->rec_body.args[1] = regs->si;
		t->rec_body.args[2] = regs->dx;
		t->rec_body.args[3] = regs->r10;
		t->rec_body.args[4] = regs->r8;
		t->rec_body.args[5] = regs->r9;
		t->stash_len = 0;
		t->sc_flags = 0;
		t->seq++;
		flags = FR_SC_NO_ENTER;
		if (t->sc_nr >= 512)
			return 0;
	}
	if (t->sc_nr == NR_listen && ret == 0)
		learn_listen((int)t->rec_body.args[0]);
	emit_syscall(t, ret, flags, bpf_ktime_get_ns());
	return 0;
}

static __always_inline u64 clone_flags_of(struct fr_task *pt)
{
	u64 flags = 0;

	switch (pt->sc_nr) {
	case NR_clone:
		return pt->rec_body.args[0];
	case NR_fork:
		return 17; /* SIGCHLD */
	case NR_vfork:
		return 0x4000 | 0x100 | 17; /* CLONE_VFORK | CLONE_VM | SIGCHLD */
	case NR_clone3:
		bpf_probe_read_user(&flags, sizeof(flags), (void *)pt->rec_body.args[0]);
		return flags;
	}
	return 0;
}

static __always_inline int do_fork(u64 *ctx, bool btf)
{
	struct task_struct *parent = (void *)ctx[0], *child = (void *)ctx[1];
	struct fr_task *pt = traced(parent, btf, true), *ct;
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_proc_fork f;
	} * r;

	if (!pt)
		return 0;
	ct = task_state(child, btf, true);
	if (!ct) {
		stat_inc(FR_STAT_TASK_ALLOC_FAIL);
	} else {
		ct->state = FR_TS_TRACED;
		ct->sc_nr = FR_NO_SYSCALL;
		ct->stash_len = 0;
		ct->pf_start = 0;
		ct->rc_start = 0;
	}
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_PROC_FORK,
		 sizeof(*r));
	r->f.child_pid = BPF_CORE_READ(child, tgid);
	r->f.child_tid = BPF_CORE_READ(child, pid);
	r->f.clone_flags = clone_flags_of(pt);
	BPF_CORE_READ_STR_INTO(&r->f.child_comm, child, comm);
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int do_exec(u64 *ctx, bool btf)
{
	struct task_struct *task = (void *)ctx[0];
	pid_t old_pid = (pid_t)ctx[1];
	struct linux_binprm *bprm = (void *)ctx[2];
	u32 cpu = bpf_get_smp_processor_id();
	struct fr_scratch *s;
	struct fr_task *t;
	struct mm_struct *mm;
	struct fr_rec_hdr *h;
	struct fr_ev_proc_exec *b;
	u64 now = bpf_ktime_get_ns(), a0, a1, len;

	t = cur_state(false);
	if (t && cfg.mode == FR_MODE_FILTER && t->state != FR_TS_ARMED)
		t->state = FR_TS_NONE; /* decide again with the new comm */
	t = traced(task, btf, true);
	if (!t)
		return 0;
	if (t->sc_nr == NR_execve || t->sc_nr == NR_execveat) {
		emit_syscall(t, 0, FR_SC_NO_EXIT, now);
		t->sc_nr = FR_SKIP_EXIT;
	}
	t->seq++;
	s = bpf_map_lookup_elem(&scratch, &cpu);
	if (!s)
		return 0;
	h = (void *)s->buf;
	b = (void *)(s->buf + sizeof(*h));
	s->fill = sizeof(*h) + sizeof(*b);
	b->old_tid = old_pid;
	b->flags = 0;
	BPF_CORE_READ_STR_INTO(&b->comm, task, comm);
	put_str(t, s, SINK_REC, KAP(FR_PL_EXEC_FILENAME, 0xff, 0),
		(u64)BPF_CORE_READ(bprm, filename), snap_cap(4096), true);
	mm = BPF_CORE_READ(task, mm);
	a0 = BPF_CORE_READ(mm, arg_start);
	a1 = BPF_CORE_READ(mm, arg_end);
	len = a1 > a0 ? a1 - a0 : 0;
	put_buf(t, s, SINK_REC, KAP(FR_PL_EXEC_ARGV, 0xff, 0), a0, len, snap_cap(0));
	a0 = BPF_CORE_READ(mm, env_start);
	a1 = BPF_CORE_READ(mm, env_end);
	len = a1 > a0 ? a1 - a0 : 0;
	put_buf(t, s, SINK_REC, KAP(FR_PL_EXEC_ENV, 0xff, 0), a0, len, snap_cap(0));
	len = s->fill;
	if (len > FR_REC_MAX)
		len = FR_REC_MAX;
	hdr_fill(h, now, bpf_get_current_pid_tgid(), FR_EV_PROC_EXEC, len);
	emit(s->buf, len);
	t->sc_flags = 0;
	return 0;
}

static __always_inline int do_exit(u64 *ctx, bool btf)
{
	struct task_struct *task = (void *)ctx[0];
	bool group_dead = (bool)ctx[1];
	struct fr_task *t = traced(task, btf, true);
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_proc_exit e;
	} * r;
	u64 now = bpf_ktime_get_ns();

	if (!t)
		return 0;
	if (t->pf_start)
		pf_settle(t, task, btf);
	if (t->sc_nr < 512)
		emit_syscall(t, 0, FR_SC_NO_EXIT, now);
	t->sc_nr = FR_NO_SYSCALL;
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, now, bpf_get_current_pid_tgid(), FR_EV_PROC_EXIT, sizeof(*r));
	r->e.status = BPF_CORE_READ(task, exit_code);
	r->e.flags = group_dead ? FR_EXIT_GROUP_DEAD : 0;
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int do_rename(u64 *ctx, bool btf)
{
	struct task_struct *task = (void *)ctx[0];
	const char *comm = (void *)ctx[1];
	struct fr_task *t = traced(task, btf, false), *any;
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_proc_comm c;
	} * r;

	if (t && REC_RESERVE(r)) {
		hdr_fill(&r->h, bpf_ktime_get_ns(),
			 ((u64)BPF_CORE_READ(task, tgid) << 32) | BPF_CORE_READ(task, pid),
			 FR_EV_PROC_COMM, sizeof(*r));
		BPF_CORE_READ_STR_INTO(&r->c.old_comm, task, comm);
		__builtin_memset(r->c.new_comm, 0, sizeof(r->c.new_comm));
		bpf_probe_read_kernel_str(r->c.new_comm, sizeof(r->c.new_comm), comm);
		REC_SUBMIT(r);
	}
	/* decide again under the new name, recorded or not so far (the new
	 * comm is in place by the task's next event) */
	if (cfg.mode == FR_MODE_FILTER && (cfg.filters & FR_FILTER_COMM)) {
		any = task_state(task, btf, false);
		if (any && any->state != FR_TS_ARMED)
			any->state = FR_TS_NONE;
	}
	return 0;
}

/* ---- scheduling ---------------------------------------------------------------------------- */

/*
 * What the current CPU is doing, from the entry/exit tracepoints of device
 * interrupts, x86 system vectors (local timer, reschedule and call-function
 * IPIs, irq_work), softirqs and timer callbacks, counted per CPU.  (The
 * preempt count would say it directly, but __preempt_count is a per-CPU
 * variable that has no address for BPF on kernels without
 * CONFIG_KALLSYMS_ALL, such as this project's.)  NMIs are not tracked.
 */
static __always_inline void wake_ctx(u16 *ctx_out, u32 *info)
{
	struct fr_pcpu *c = this_pcpu();

	*info = 0;
	if (c->hard_depth > 0) {
		if (c->timer_depth > 0) {
			*ctx_out = FR_CTX_TIMER;
		} else {
			*ctx_out = FR_CTX_HARDIRQ;
			*info = c->irq;
		}
	} else if (c->soft_depth > 0) {
		*ctx_out = c->timer_depth > 0 ? FR_CTX_TIMER : FR_CTX_SOFTIRQ;
		*info = c->vec;
	} else if (c->timer_depth > 0) {
		*ctx_out = FR_CTX_TIMER; /* a timer callback run by hrtimer code outside irq */
	} else {
		*ctx_out = FR_CTX_TASK;
	}
}

static __always_inline int do_wake(u64 *ctx, bool btf, u16 kind)
{
	struct task_struct *p = (void *)ctx[0], *pt;
	struct fr_task *tp = traced(p, btf, false);
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_sched_wakeup w;
	} * r;
	u16 wctx;
	u32 info;

	wake_ctx(&wctx, &info);
	if (!tp && !(wctx == FR_CTX_TASK && traced(cur_task(btf), btf, true)))
		return 0;
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_SCHED_WAKEUP,
		 sizeof(*r));
	pt = TASK_ARG(btf, p);
	r->w.target_pid = pt->tgid;
	r->w.target_tid = pt->pid;
	r->w.target_cpu = kind != FR_WAKE_WAKING ? pt->thread_info.cpu : pt->wake_cpu;
	r->w.flags = kind;
	r->w.ctx = wctx;
	r->w.ctx_info = info;
	r->w.reserved = 0;
	comm_copy(r->w.target_comm, pt);
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int do_switch(u64 *ctx, bool btf)
{
	bool preempt = (bool)ctx[0];
	struct task_struct *prev = (void *)ctx[1], *next = (void *)ctx[2], *pv, *nx;
	u32 prev_state = (u32)ctx[3];
	struct fr_task *tp = traced(prev, btf, true), *tn = traced(next, btf, false);
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_sched_switch s;
	} * r;
	bool any;
	u64 now;

	{
		/* a context switch happens in task context only: whatever the
		 * interrupt depth counters say, they are 0 here (self-healing if an
		 * entry was ever seen without its exit) */
		struct fr_pcpu *c = this_pcpu();

		if (c->hard_depth | c->soft_depth | c->timer_depth)
			c->hard_depth = c->soft_depth = c->timer_depth = 0;
	}
	/* two tests, not one: clang would OR the pointers, which the verifier refuses */
	any = tp != NULL;
	barrier_var(any);
	if (!any && !tn)
		return 0;
	now = bpf_ktime_get_ns();
	pv = TASK_ARG(btf, prev);
	nx = TASK_ARG(btf, next);
	if (tp && tp->pf_start && (prev_state & TASK_UNINTERRUPTIBLE) &&
	    BPF_CORE_READ_BITFIELD(pv, in_iowait))
		tp->pf_slept = 1;
	if (REC_RESERVE(r)) {
		hdr_fill(&r->h, now, ((u64)pv->tgid << 32) | (u32)pv->pid, FR_EV_SCHED_SWITCH,
			 sizeof(*r));
		r->s.next_pid = nx->tgid;
		r->s.next_tid = nx->pid;
		r->s.prev_state = preempt ? 0 : prev_state;
		r->s.prev_prio = pv->prio;
		r->s.next_prio = nx->prio;
		comm_copy(r->s.prev_comm, pv);
		comm_copy(r->s.next_comm, nx);
		REC_SUBMIT(r);
	}
	/* a fault that blocked on I/O ends when its task runs again */
	if (tn && tn->pf_start && tn->pf_slept)
		pf_emit(tn, now, ((u64)nx->tgid << 32) | (u32)nx->pid);
	if (cfg.state_hash && tp && (prev_state & TASK_DEAD)) {
		u32 tid = pv->pid;

		bpf_map_delete_elem(&thash, &tid);
	}
	return 0;
}

static __always_inline int do_migrate(u64 *ctx, bool btf)
{
	struct task_struct *p = (void *)ctx[0];
	int dest = (int)ctx[1];
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_sched_migrate m;
	} * r;

	if (!traced(p, btf, false))
		return 0;
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_SCHED_MIGRATE,
		 sizeof(*r));
	p = TASK_ARG(btf, p);
	r->m.target_pid = p->tgid;
	r->m.target_tid = p->pid;
	r->m.orig_cpu = p->thread_info.cpu;
	r->m.dest_cpu = dest;
	REC_SUBMIT(r);
	return 0;
}

/*
 * The memory cgroup of a task, as its cgroup id (the kernfs inode number of
 * its directory): the cgroup of the memory controller's css, which is the
 * task's cgroup v2 on a unified hierarchy and its v1 memory cgroup on a
 * legacy one.
 */
static __always_inline u64 memcg_of(struct task_struct *task)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);

	if (id < 0 || id >= CGROUP_SUBSYS_COUNT)
		return 0;
	return BPF_CORE_READ(task, cgroups, subsys[id], cgroup, kn, id);
}

/* ---- memory ------------------------------------------------------------------------------- */

static __always_inline int do_page_fault(u64 *ctx, bool btf)
{
	u64 address = ctx[0];
	struct pt_regs *regs = (void *)ctx[1];
	u64 error_code = ctx[2];
	struct task_struct *task = cur_task(btf);
	struct fr_task *t = traced(task, btf, true);

	if (!t)
		return 0;
	if (t->pf_start)
		pf_settle(t, task, btf);
	t->pf_start = bpf_ktime_get_ns();
	t->pf_addr = address;
	t->pf_ip = BPF_CORE_READ(regs, ip);
	t->pf_err = error_code;
	t->pf_slept = 0;
	t->pf_majflt = btf ? task->maj_flt : BPF_CORE_READ(task, maj_flt);
	return 0;
}

static __always_inline int do_reclaim_begin(u64 *ctx, bool btf, u32 kind)
{
	struct fr_task *t = traced(cur_task(btf), btf, true);

	if (!t)
		return 0;
	t->rc_start = bpf_ktime_get_ns();
	t->rc_order = (u32)ctx[0];
	t->rc_gfp = (u32)ctx[1];
	t->rc_kind = kind;
	return 0;
}

static __always_inline int do_reclaim_end(u64 *ctx, bool btf, u32 kind)
{
	struct fr_task *t = traced(cur_task(btf), btf, true);
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_reclaim rc;
	} * r;

	if (!t || !t->rc_start || t->rc_kind != kind)
		return 0;
	if (REC_RESERVE(r)) {
		hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_RECLAIM,
			 sizeof(*r));
		r->rc.start_ns = t->rc_start;
		r->rc.nr_reclaimed = ctx[0];
		r->rc.gfp_flags = t->rc_gfp;
		r->rc.memcg_id =
			kind == FR_RECLAIM_DIRECT ? 0 : memcg_of((void *)bpf_get_current_task());
		r->rc.kind = kind;
		r->rc.order = t->rc_order;
		REC_SUBMIT(r);
	}
	t->rc_start = 0;
	return 0;
}

static __always_inline int do_kswapd_wake(u64 *ctx)
{
	u32 nid = (u32)ctx[0];

	if (nid < 64 && !kswapd_start[nid])
		kswapd_start[nid] = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int do_kswapd_sleep(u64 *ctx)
{
	u32 nid = (u32)ctx[0];
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_reclaim rc;
	} * r;
	u64 start;

	if (nid >= 64 || !(start = kswapd_start[nid]))
		return 0;
	kswapd_start[nid] = 0;
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_RECLAIM, sizeof(*r));
	__builtin_memset(&r->rc, 0, sizeof(r->rc));
	r->rc.start_ns = start;
	r->rc.kind = FR_RECLAIM_KSWAPD;
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int do_oom(u64 *ctx, bool btf)
{
	struct task_struct *v = (void *)ctx[0];
	u32 uid = (u32)ctx[1];
	struct mm_struct *mm = BPF_CORE_READ(v, mm);
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_oom_kill o;
	} * r;

	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_OOM_KILL, sizeof(*r));
	r->o.victim_pid = BPF_CORE_READ(v, tgid);
	r->o.oom_score_adj = BPF_CORE_READ(v, signal, oom_score_adj);
	r->o.total_vm_kb = BPF_CORE_READ(mm, total_vm) * 4;
	/* rss_stat: MM_FILEPAGES 0, MM_ANONPAGES 1, MM_SWAPENTS 2, MM_SHMEMPAGES 3 */
	r->o.file_rss_kb = BPF_CORE_READ(mm, rss_stat[0].count) * 4;
	r->o.anon_rss_kb = BPF_CORE_READ(mm, rss_stat[1].count) * 4;
	r->o.shmem_rss_kb = BPF_CORE_READ(mm, rss_stat[3].count) * 4;
	r->o.memcg_id = memcg_of(v);
	r->o.uid = uid;
	r->o.reserved = 0;
	BPF_CORE_READ_STR_INTO(&r->o.victim_comm, v, comm);
	REC_SUBMIT(r);
	return 0;
}

/* ---- network -------------------------------------------------------------------------------- */

#define TCP_LISTEN 10
#define TCP_CLOSE 7

/* Is this TCP socket one of the recorded tasks'?  Sockets are learnt when a
 * recorded task changes their state (connect, listen, close); connections
 * accepted on a learnt listening port are learnt by their local port. */
static __always_inline bool sock_traced(const struct sock *sk, bool btf, bool learn)
{
	u64 key = (u64)sk;
	u16 port;
	u8 one = 1;

	if (bpf_map_lookup_elem(&tcp_socks, &key))
		return true;
	port = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (bpf_map_lookup_elem(&tcp_ports, &port))
		goto learn;
	{
		u16 wctx;
		u32 info;

		wake_ctx(&wctx, &info);
		if (wctx != FR_CTX_TASK || !traced(cur_task(btf), btf, true))
			return false;
	}
learn:
	if (learn)
		bpf_map_update_elem(&tcp_socks, &key, &one, BPF_ANY);
	return true;
}

static __always_inline int emit_tcp(const struct sock *sk, u16 type, int oldstate, int newstate)
{
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_tcp t;
	} * r;

	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), type, sizeof(*r));
	__builtin_memset(&r->t.tuple, 0, sizeof(r->t.tuple));
	sock_tuple(sk, &r->t.tuple);
	r->t.sock_id = (u64)sk;
	r->t.oldstate = oldstate;
	r->t.newstate = newstate;
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int do_sock_state(u64 *ctx, bool btf)
{
	const struct sock *sk = btf ? (void *)ctx[0] : CAST(struct sock, ctx[0]);
	int oldstate = (int)ctx[1], newstate = (int)ctx[2];
	u64 key = (u64)sk;
	u16 port;
	u8 one = 1;

	if (BPF_CORE_READ(sk, sk_protocol) != 6 /* IPPROTO_TCP */)
		return 0;
	if (!sock_traced(sk, btf, newstate != TCP_CLOSE))
		return 0;
	port = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (newstate == TCP_LISTEN)
		bpf_map_update_elem(&tcp_ports, &port, &one, BPF_ANY);
	else if (oldstate == TCP_LISTEN)
		bpf_map_delete_elem(&tcp_ports, &port);
	if (newstate == TCP_CLOSE)
		bpf_map_delete_elem(&tcp_socks, &key);
	return emit_tcp(sk, FR_EV_TCP_STATE, oldstate, newstate);
}

static __always_inline int do_tcp_event(u64 *ctx, bool btf, u16 type)
{
	const struct sock *sk = btf ? (void *)ctx[0] : CAST(struct sock, ctx[0]);
	int state;

	if (!sk || !sock_traced(sk, btf, false))
		return 0;
	state = BPF_CORE_READ(sk, __sk_common.skc_state);
	return emit_tcp(sk, type, state, state);
}

/* ---- block I/O ------------------------------------------------------------------------------- */

static __always_inline void rwbs_of(u32 op_flags, char *rwbs)
{
	u32 op = op_flags & 0xff; /* REQ_OP_MASK */
	int i = 0;

	/* REQ_OP_READ 0, WRITE 1, FLUSH 2, DISCARD 3, SECURE_ERASE 5, WRITE_ZEROES 9;
	 * flag bits (6.x): __REQ_SYNC 11, __REQ_META 12, __REQ_FUA 17, __REQ_PREFLUSH 18,
	 * __REQ_RAHEAD 19 */
	if (op_flags & (1u << 18))
		rwbs[i++] = 'F';
	if (op == 1 || op == 9)
		rwbs[i++] = 'W';
	else if (op == 3)
		rwbs[i++] = 'D';
	else if (op == 5)
		rwbs[i++] = 'D', rwbs[i++] = 'E';
	else if (op == 2)
		rwbs[i++] = 'F';
	else if (op == 0)
		rwbs[i++] = 'R';
	else
		rwbs[i++] = 'N';
	if (op_flags & (1u << 17))
		rwbs[i++] = 'F';
	if (op_flags & (1u << 19))
		rwbs[i++] = 'A';
	if (op_flags & (1u << 11))
		rwbs[i++] = 'S';
	if (op_flags & (1u << 12))
		rwbs[i++] = 'M';
	rwbs[i & 7] = 0;
}

static __always_inline u32 rq_dev(struct request *rq)
{
	struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
	u32 major, minor;

	if (!disk)
		return 0;
	major = BPF_CORE_READ(disk, major);
	minor = BPF_CORE_READ(disk, first_minor);
	return (major << 20) | minor;
}

static __always_inline int do_rq_issue(u64 *ctx, bool btf)
{
	struct request *rq = (void *)ctx[0];
	struct blk_issuer is;
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_block b;
	} * r;
	u64 key = (u64)rq;

	if (!traced(cur_task(btf), btf, true))
		return 0;
	is.issue_ns = bpf_ktime_get_ns();
	is.pid_tgid = bpf_get_current_pid_tgid();
	if (bpf_map_update_elem(&blk_rq, &key, &is, BPF_ANY))
		stat_inc(FR_STAT_BLOCK_TRACK_FULL);
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, is.issue_ns, is.pid_tgid, FR_EV_BLOCK_ISSUE, sizeof(*r));
	__builtin_memset(&r->b, 0, sizeof(r->b));
	r->b.sector = BPF_CORE_READ(rq, __sector);
	r->b.dev = rq_dev(rq);
	r->b.nr_bytes = BPF_CORE_READ(rq, __data_len);
	rwbs_of(BPF_CORE_READ(rq, cmd_flags), r->b.rwbs);
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int blk_errno(u32 sts)
{
	switch (sts) {
	case 0:
		return 0;
	case 1:
		return -95; /* BLK_STS_NOTSUPP: EOPNOTSUPP */
	case 2:
		return -110; /* TIMEOUT: ETIMEDOUT */
	case 3:
		return -28; /* NOSPC: ENOSPC */
	case 4:
		return -67; /* TRANSPORT: ENOLINK */
	case 5:
		return -121; /* TARGET: EREMOTEIO */
	case 7:
		return -61; /* MEDIUM: ENODATA */
	case 8:
		return -84; /* PROTECTION: EILSEQ */
	case 9:
		return -12; /* RESOURCE: ENOMEM */
	case 12:
		return -11; /* AGAIN: EAGAIN */
	default:
		return -5; /* EIO */
	}
}

static __always_inline int do_rq_complete(u64 *ctx, bool btf)
{
	struct request *rq = (void *)ctx[0];
	u32 sts = (u32)ctx[1], nr_bytes = (u32)ctx[2];
	struct blk_issuer *is;
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_block b;
	} * r;
	u64 key = (u64)rq;
	u32 left;

	is = bpf_map_lookup_elem(&blk_rq, &key);
	if (!is)
		return 0;
	if (REC_RESERVE(r)) {
		hdr_fill(&r->h, bpf_ktime_get_ns(), is->pid_tgid, FR_EV_BLOCK_COMPLETE, sizeof(*r));
		__builtin_memset(&r->b, 0, sizeof(r->b));
		r->b.sector = BPF_CORE_READ(rq, __sector);
		r->b.issue_ns = is->issue_ns;
		r->b.dev = rq_dev(rq);
		r->b.nr_bytes = nr_bytes;
		r->b.error = blk_errno(sts);
		rwbs_of(BPF_CORE_READ(rq, cmd_flags), r->b.rwbs);
		REC_SUBMIT(r);
	}
	left = BPF_CORE_READ(rq, __data_len);
	if (nr_bytes >= left)
		bpf_map_delete_elem(&blk_rq, &key);
	return 0;
}

/* ---- signals ------------------------------------------------------------------------------- */

static __always_inline int si_code_of(struct kernel_siginfo *info)
{
	if ((u64)info == 0)
		return 0; /* SEND_SIG_NOINFO: SI_USER */
	if ((u64)info == 1)
		return 0x80; /* SEND_SIG_PRIV: SI_KERNEL */
	return BPF_CORE_READ(info, si_code);
}

static __always_inline int do_sig_generate(u64 *ctx, bool btf)
{
	int sig = (int)ctx[0];
	struct kernel_siginfo *info = (void *)ctx[1];
	struct task_struct *task = (void *)ctx[2];
	int result = (int)ctx[4];
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_signal_generate g;
	} * r;
	u16 wctx;
	u32 winfo;

	if (!traced(task, btf, false)) {
		wake_ctx(&wctx, &winfo);
		if (wctx != FR_CTX_TASK || !traced(cur_task(btf), btf, true))
			return 0;
	}
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_SIGNAL_GENERATE,
		 sizeof(*r));
	r->g.target_pid = BPF_CORE_READ(task, tgid);
	r->g.target_tid = BPF_CORE_READ(task, pid);
	r->g.sig = sig;
	r->g.code = si_code_of(info);
	r->g.result = result;
	r->g.reserved = 0;
	REC_SUBMIT(r);
	return 0;
}

static __always_inline int do_sig_deliver(u64 *ctx, bool btf)
{
	int sig = (int)ctx[0];
	struct kernel_siginfo *info = (void *)ctx[1];
	struct k_sigaction *ka = (void *)ctx[2];
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_signal_deliver d;
	} * r;

	if (!traced(cur_task(btf), btf, true))
		return 0;
	if (!REC_RESERVE(r))
		return 0;
	hdr_fill(&r->h, bpf_ktime_get_ns(), bpf_get_current_pid_tgid(), FR_EV_SIGNAL_DELIVER,
		 sizeof(*r));
	r->d.sig = sig;
	r->d.code = si_code_of(info);
	r->d.sa_handler = (u64)BPF_CORE_READ(ka, sa.sa_handler);
	r->d.sa_flags = BPF_CORE_READ(ka, sa.sa_flags);
	REC_SUBMIT(r);
	return 0;
}

/* ---- interrupt context tracking ---------------------------------------------------------- */

static __always_inline int do_irq_entry(u64 *ctx)
{
	struct fr_pcpu *c = this_pcpu();

	c->irq = (u32)ctx[0];
	c->hard_depth++;
	return 0;
}

static __always_inline int do_irq_exit(u64 *ctx)
{
	struct fr_pcpu *c = this_pcpu();

	if (c->hard_depth > 0)
		c->hard_depth--;
	return 0;
}

static __always_inline int do_softirq_entry(u64 *ctx)
{
	struct fr_pcpu *c = this_pcpu();

	c->vec = (u32)ctx[0];
	c->soft_depth++;
	return 0;
}

static __always_inline int do_softirq_exit(u64 *ctx)
{
	struct fr_pcpu *c = this_pcpu();

	if (c->soft_depth > 0)
		c->soft_depth--;
	return 0;
}

static __always_inline int do_timer_entry(u64 *ctx)
{
	this_pcpu()->timer_depth++;
	return 0;
}

static __always_inline int do_timer_exit(u64 *ctx)
{
	struct fr_pcpu *c = this_pcpu();

	if (c->timer_depth > 0)
		c->timer_depth--;
	return 0;
}

/* ---- the programs: a tp_btf and a raw_tp instance of each handler -------------------------- */

#define FR_PROG(tp, call)                                                                          \
	SEC("tp_btf/" #tp)                                                                         \
	int tb_##tp(u64 *ctx)                                                                      \
	{                                                                                          \
		const bool btf = true;                                                             \
		(void)btf;                                                                         \
		return call;                                                                       \
	}                                                                                          \
	SEC("raw_tp/" #tp)                                                                         \
	int rt_##tp(u64 *ctx)                                                                      \
	{                                                                                          \
		const bool btf = false;                                                            \
		(void)btf;                                                                         \
		return call;                                                                       \
	}

FR_PROG(sys_enter, do_sys_enter(ctx, btf))
FR_PROG(sys_exit, do_sys_exit(ctx, btf))
FR_PROG(sched_process_fork, do_fork(ctx, btf))
FR_PROG(sched_process_exec, do_exec(ctx, btf))
FR_PROG(sched_process_exit, do_exit(ctx, btf))
FR_PROG(task_rename, do_rename(ctx, btf))
FR_PROG(sched_switch, do_switch(ctx, btf))
FR_PROG(sched_waking, do_wake(ctx, btf, FR_WAKE_WAKING))
FR_PROG(sched_wakeup, do_wake(ctx, btf, FR_WAKE_WAKEUP))
FR_PROG(sched_wakeup_new, do_wake(ctx, btf, FR_WAKE_NEW | FR_WAKE_WAKEUP))
FR_PROG(sched_migrate_task, do_migrate(ctx, btf))
FR_PROG(page_fault_user, do_page_fault(ctx, btf))
FR_PROG(mm_vmscan_direct_reclaim_begin, do_reclaim_begin(ctx, btf, FR_RECLAIM_DIRECT))
FR_PROG(mm_vmscan_direct_reclaim_end, do_reclaim_end(ctx, btf, FR_RECLAIM_DIRECT))
FR_PROG(mm_vmscan_memcg_reclaim_begin, do_reclaim_begin(ctx, btf, FR_RECLAIM_MEMCG))
FR_PROG(mm_vmscan_memcg_reclaim_end, do_reclaim_end(ctx, btf, FR_RECLAIM_MEMCG))
FR_PROG(mm_vmscan_memcg_softlimit_reclaim_begin, do_reclaim_begin(ctx, btf, FR_RECLAIM_MEMCG_SOFT))
FR_PROG(mm_vmscan_memcg_softlimit_reclaim_end, do_reclaim_end(ctx, btf, FR_RECLAIM_MEMCG_SOFT))
FR_PROG(mm_vmscan_kswapd_wake, do_kswapd_wake(ctx))
FR_PROG(mm_vmscan_kswapd_sleep, do_kswapd_sleep(ctx))
FR_PROG(mark_victim, do_oom(ctx, btf))
FR_PROG(inet_sock_set_state, do_sock_state(ctx, btf))
FR_PROG(tcp_retransmit_skb, do_tcp_event(ctx, btf, FR_EV_TCP_RETRANSMIT))
FR_PROG(tcp_send_reset, do_tcp_event(ctx, btf, FR_EV_TCP_RESET))
FR_PROG(tcp_receive_reset, do_tcp_event(ctx, btf, FR_EV_TCP_RESET))
FR_PROG(block_rq_issue, do_rq_issue(ctx, btf))
FR_PROG(block_rq_complete, do_rq_complete(ctx, btf))
FR_PROG(signal_generate, do_sig_generate(ctx, btf))
FR_PROG(signal_deliver, do_sig_deliver(ctx, btf))
FR_PROG(irq_handler_entry, do_irq_entry(ctx))
FR_PROG(irq_handler_exit, do_irq_exit(ctx))
FR_PROG(softirq_entry, do_softirq_entry(ctx))
FR_PROG(softirq_exit, do_softirq_exit(ctx))
FR_PROG(local_timer_entry, do_irq_entry(ctx))
FR_PROG(local_timer_exit, do_irq_exit(ctx))
FR_PROG(reschedule_entry, do_irq_entry(ctx))
FR_PROG(reschedule_exit, do_irq_exit(ctx))
FR_PROG(call_function_entry, do_irq_entry(ctx))
FR_PROG(call_function_exit, do_irq_exit(ctx))
FR_PROG(call_function_single_entry, do_irq_entry(ctx))
FR_PROG(call_function_single_exit, do_irq_exit(ctx))
FR_PROG(irq_work_entry, do_irq_entry(ctx))
FR_PROG(irq_work_exit, do_irq_exit(ctx))
FR_PROG(hrtimer_expire_entry, do_timer_entry(ctx))
FR_PROG(hrtimer_expire_exit, do_timer_exit(ctx))
FR_PROG(timer_expire_entry, do_timer_entry(ctx))
FR_PROG(timer_expire_exit, do_timer_exit(ctx))
