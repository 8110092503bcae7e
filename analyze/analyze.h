/* SPDX-License-Identifier: MIT */
/*
 * analyze.h: the analysis of a bundle: a per-thread state model built from
 * the event stream, causal edges between threads, incidents, the critical
 * path of an incident and its root causes.  docs/analysis.md explains how
 * causes are decided and where the method stops; docs/report-schema.md the
 * JSON report.
 *
 * The pipeline, each stage a plain function over the previous one's data:
 *
 *   fa_model__build(reader)    stream every event once: thread state
 *                              intervals, blocked system calls and what they
 *                              waited on, wakeups, data flow, block I/O,
 *                              TCP, memory, lifecycle; per-thread syscall
 *                              statistics.  Events are not kept.
 *   fa_incidents__find(model)  slow system calls and requests relative to the
 *                              thread's own normal, error returns, fatal
 *                              signals, OOM kills, non-zero exits, CPU and
 *                              memory stalls; or the --focus selection.
 *   fa_critpath__walk(model)   the active path from the end of an incident's
 *                              interval back to its start, across threads.
 *   fa_causes__compute(path)   leaves grouped by category and culprit, with
 *                              an explanation in words.
 *   fa_report__text/json       the reports (analyze/report.c).
 *
 * Times are ns on the bundle's event clock.  Thread, wait and resource
 * references are indexes into the model's arrays; FA_NONE means "none".
 *
 * This library never includes or links libbpf (see DESIGN.md, "Layout").
 */
#ifndef FA_ANALYZE_H
#define FA_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "formats/bundle.h"
#include "formats/event.h"

#define FA_NONE UINT32_MAX

/* ---- thread states and categories ------------------------------------------ */

enum fa_state {
	FA_ST_UNKNOWN = 0, /* before the first event of the thread, or after a loss */
	FA_ST_RUNNING,	   /* on a CPU */
	FA_ST_RUNNABLE,	   /* woken or preempted, waiting for a CPU */
	FA_ST_BLOCKED,	   /* off CPU, waiting (see the interval's wait and wake info) */
	FA_ST_DEAD,	   /* after exit */
	FA_ST_COUNT
};

/* Root-cause categories (DESIGN.md, "Analysis"). */
enum fa_category {
	FA_CAT_RUNNING = 0,
	FA_CAT_CPU,  /* cpu-contention */
	FA_CAT_DISK, /* disk-io */
	FA_CAT_NETWORK,
	FA_CAT_IPC,
	FA_CAT_LOCK,
	FA_CAT_RECLAIM, /* memory-reclaim */
	FA_CAT_FAULT,	/* page-fault */
	FA_CAT_SLEEP,
	FA_CAT_UNKNOWN,
	FA_CAT_COUNT
};

const char *fa_state_name(unsigned state);	 /* "running", ... */
const char *fa_category_name(unsigned category); /* "cpu-contention", ... */

/* ---- the model -------------------------------------------------------------- */

/* fa_interval.flags */
#define FA_IVF_FAULT 0x01    /* inside a page-fault span */
#define FA_IVF_MAJOR 0x02    /* ... a major one (needed I/O) */
#define FA_IVF_RECLAIM 0x04  /* inside a direct/memcg reclaim span */
#define FA_IVF_WOKEN 0x08    /* BLOCKED: ended by a recorded wakeup (waker, wake_ctx) */
#define FA_IVF_REPAIRED 0x10 /* state inferred: an event contradicted the model */
#define FA_IVF_LOSS 0x20     /* events were lost while this interval was open */

/*
 * One state of a thread from `start` to the next interval's start (the last
 * interval of a thread ends at fa_thread.end_ns).  24 bytes: a model holds
 * about one per scheduling event.
 */
struct fa_interval {
	uint64_t start;
	uint32_t wait;	   /* BLOCKED/RUNNABLE inside a system call: fa_wait index, else FA_NONE */
	uint32_t waker;	   /* FA_IVF_WOKEN with wake_ctx FR_CTX_TASK: thread index of the waker */
	uint16_t cpu;	   /* RUNNING: its CPU; RUNNABLE: the run queue; else last CPU */
	uint8_t state;	   /* enum fa_state */
	uint8_t flags;	   /* FA_IVF_* */
	uint8_t wake_ctx;  /* enum fr_wake_ctx of the wakeup that ended a BLOCKED interval */
	uint8_t wake_info; /* softirq vector or irq number (low byte) */
	uint16_t reserved;
};

/* fa_thread.flags */
#define FA_TH_KERNEL 0x1 /* a kernel thread (kworker, kswapd, ksoftirqd, ...) */
#define FA_TH_EXITED 0x2
#define FA_TH_SYSCALLS 0x4 /* its system calls were recorded */
#define FA_TH_FORKED 0x8   /* its creation is in the bundle (birth_ns valid) */
#define FA_TH_RECORDED                                                                             \
	0x10 /* its own events were recorded (syscalls, or in the process table);                  \
	      * else only seen when it met recorded tasks: its timeline has holes */

struct fa_thread {
	uint32_t tid;
	uint32_t pid;
	uint32_t parent;	/* thread index of the creator (fork/clone), FA_NONE */
	uint32_t prev_gen;	/* an older thread with the same tid (tid reuse), FA_NONE */
	uint32_t flags;		/* FA_TH_* */
	char comm[FR_COMM_LEN]; /* the latest name */
	uint64_t first_ns;	/* first event that mentions the thread */
	uint64_t end_ns;	/* exit, else the last event of the bundle */
	uint64_t birth_ns;	/* FA_TH_FORKED: fork time */
	uint64_t exec_ns;	/* its first successful exec in the bundle, 0 none */
	int32_t exit_status;	/* FA_TH_EXITED: wait(2) status */
	uint32_t n_iv;
	struct fa_interval *iv; /* sorted by start, contiguous */
	uint32_t cap_iv;
	uint32_t n_syscalls;
	uint64_t ns_by_state[FA_ST_COUNT]; /* totals over the thread's intervals */
	uint64_t ns_fault;		   /* time inside page-fault spans */
	uint64_t ns_reclaim;		   /* time inside reclaim spans */
};

/* What a resource is. */
enum fa_res_kind {
	FA_RES_UNKNOWN = 0,
	FA_RES_FILE, /* regular file or directory: path */
	FA_RES_PIPE, /* pipe or FIFO: inode */
	FA_RES_TCP,  /* TCP socket: 4-tuple */
	FA_RES_UDP,
	FA_RES_UNIX,   /* unix socket: inode */
	FA_RES_SOCKET, /* other socket */
	FA_RES_CHR,    /* character device (tty, /dev/null) */
	FA_RES_BLK,    /* block device */
	FA_RES_ANON,   /* eventfd, epoll, timerfd, signalfd, ... */
	FA_RES_FUTEX,  /* futex word: pid + address */
	FA_RES_CHILD,  /* wait4/waitid: the awaited child (pid, 0 = any) */
	FA_RES_TIMER,  /* a sleep: requested duration in `addr` (ns), 0 unknown */
	FA_RES_KIND_COUNT
};

/* fa_resource.flags */
#define FA_RESF_BORN 0x1   /* created inside the window (pipe, socket, accept, connect) */
#define FA_RESF_CLIENT 0x2 /* a socket this side connected */
#define FA_RESF_SERVER 0x4 /* a socket this side accepted */

struct fa_resource {
	uint8_t kind;  /* enum fa_res_kind */
	uint8_t flags; /* FA_RESF_* */
	uint16_t reserved;
	uint32_t pid; /* FUTEX: the process (private futexes are per process) */
	uint64_t ino; /* PIPE/UNIX/FILE inode, when known */
	uint64_t dev;
	uint64_t addr;		    /* FUTEX address, CHILD pid, TIMER duration */
	struct fr_sock_tuple tuple; /* sockets: local (s) and remote (d) */
	uint32_t rd_stream;	    /* fa_stream reads from this resource consume, FA_NONE */
	uint32_t wr_stream;	    /* fa_stream writes to this resource feed, FA_NONE */
	uint32_t peer;		    /* unix socket: the other end of its socketpair, FA_NONE */
	char *name; /* "/var/log/app.log", "pipe:[1234]", "tcp 127.0.0.1:40000->127.0.0.1:8080" */
};

/*
 * A system call during which the thread was off CPU (blocked or runnable):
 * only those are kept.  What it waited on is `res`; `wait_kind` comes from the
 * syscall table.
 */
struct fa_wait {
	uint64_t enter_ns;
	uint64_t exit_ns; /* FA_WAITF_NO_EXIT: the end of the recording */
	int64_t ret;
	uint64_t arg[3];
	uint32_t nr;
	uint32_t thread;
	uint32_t res;		 /* fa_resource index, FA_NONE */
	uint8_t wait_kind;	 /* enum fr_wait_kind */
	uint8_t dir;		 /* FA_DIR_READ / FA_DIR_WRITE for data-moving calls */
	uint16_t flags;		 /* FA_WAITF_* */
	struct fr_event_ref ref; /* the syscall event, for fr_reader__get */
};

/* fa_wait.flags */
#define FA_WAITF_NO_EXIT 0x1  /* had not returned when the recording ended */
#define FA_WAITF_NO_ENTER 0x2 /* started before the recording (enter_ns is a bound) */

#define FA_DIR_NONE 0
#define FA_DIR_READ 1
#define FA_DIR_WRITE 2

/* A successful write to a pipe or socket stream: one side of a data-flow edge. */
struct fa_flow {
	uint64_t enter_ns;
	uint64_t exit_ns;
	uint64_t off; /* stream offset of the first byte (bytes written before) */
	uint32_t len;
	uint32_t thread;
};

/* A byte stream: one pipe, or one direction of a TCP connection. */
struct fa_stream {
	uint32_t res; /* the resource the reader sees (pipe, or the reader's socket) */
	uint32_t n_flows, cap_flows;
	struct fa_flow *flows; /* writes, by exit time */
	uint64_t written;      /* bytes written so far (next write's offset) */
	uint64_t read;	       /* bytes read so far */
	uint32_t last_reader;  /* thread of the last read, FA_NONE */
	uint32_t last_writer;  /* thread of the last write, FA_NONE */
	bool aligned; /* the stream was created in the window: offsets of both sides agree */
};

/* A block request from issue to completion. */
struct fa_bio {
	uint64_t issue_ns; /* 0 unknown */
	uint64_t complete_ns;
	uint32_t thread; /* issuer */
	uint32_t dev;
	uint32_t bytes;
	int32_t error;
	char rwbs[8];
};

/* A reclaim or page-fault span (reclaim: all; faults: major or long ones). */
struct fa_span {
	uint64_t start_ns;
	uint64_t end_ns;
	uint32_t thread;
	uint32_t kind;	/* reclaim: enum fr_reclaim_kind; fault: FR_PF_* flags */
	uint64_t memcg; /* reclaim: memcg id (cgroup inode); fault: address */
	uint64_t nr;	/* reclaim: pages reclaimed */
};

/* One CPU's "who is running" timeline, from sched_switch. */
struct fa_cpu_run {
	uint64_t ts;
	uint32_t thread; /* FA_NONE: idle */
	uint32_t reserved;
};

struct fa_cpu {
	uint32_t n, cap;
	struct fa_cpu_run *runs;
};

/* A futex wake (FUTEX_WAKE and friends) by a thread: futex wake-to-wait edges. */
struct fa_futex_wake {
	uint64_t enter_ns;
	uint64_t exit_ns;
	uint32_t thread;
	uint32_t res; /* FA_RES_FUTEX resource */
};

/* A signal sent (signal_generate). */
struct fa_signal {
	uint64_t ts;
	uint32_t sender; /* thread index, FA_NONE from the kernel */
	uint32_t target_tid;
	uint32_t target_pid;
	int32_t sig;
	int32_t code;
	int32_t result;
};

/* TCP events worth keeping: retransmits and resets, by connection. */
struct fa_tcp_event {
	uint64_t ts;
	uint32_t res;  /* FA_RES_TCP resource */
	uint16_t type; /* FR_EV_TCP_RETRANSMIT / FR_EV_TCP_RESET / FR_EV_TCP_STATE */
	int16_t newstate;
	uint32_t thread; /* charged task (may be unrelated: softirq) */
	uint32_t reserved;
};

struct fa_oom {
	uint64_t ts;
	uint32_t trigger; /* thread index of the allocating task */
	uint32_t victim_pid;
	uint64_t memcg;
	uint64_t anon_rss_kb;
	uint64_t total_vm_kb;
	char victim_comm[FR_COMM_LEN];
};

struct fa_loss {
	uint64_t ts;
	uint64_t count;
	uint32_t cause;
	uint32_t cpu;
};

/* A process's memory over time: in the bucket starting at t, its anonymous
 * memory (mmap minus munmap of anonymous regions, brk) reached anon_peak and
 * ended at anon_net, and it had dirtied cache_total bytes of files since the
 * start. */
#define FA_MEM_BUCKET_NS 10000000ULL	      /* 10 ms */
#define FA_MEM_CACHE_WINDOW_NS 10000000000ULL /* page cache counts for 10 s */
struct fa_mem_point {
	uint64_t t;
	int64_t anon_net;
	int64_t anon_peak;
	uint64_t cache_total;
};

/* Per process facts the analysis uses (the bundle's process table has the rest). */
struct fa_process {
	uint32_t pid;
	uint32_t ppid;
	uint32_t main;	/* thread index of the leader (tid == pid), FA_NONE */
	uint32_t flags; /* FA_TH_EXITED when the process is known to have exited */
	char comm[FR_COMM_LEN];
	uint64_t memcg;		  /* memcg id from its reclaim events, 0 unknown */
	const char *cgroup;	  /* from the process table (owned by the reader), may be NULL */
	uint64_t alloc_bytes;	  /* anonymous mmap + brk growth, in total */
	uint64_t fault_bytes;	  /* 4 KiB per page fault recorded */
	uint64_t cache_bytes;	  /* bytes written to regular files (page cache), in total */
	struct fa_mem_point *mem; /* memory over time, by FA_MEM_BUCKET_NS buckets */
	uint32_t n_mem, cap_mem;
	uint64_t n_reclaim; /* reclaim spans of its threads */
	uint64_t ns_reclaim;
	uint64_t exit_ns;
	int32_t exit_status;
	uint32_t exit_thread; /* thread index whose exit ended the process */
};

/* Statistics of one (thread, syscall) pair, or of a thread's requests. */
#define FA_TOPK 4
#define FA_HIST_BUCKETS 160   /* 4 per octave from 1 ns */
#define FA_NR_CLIENT_REQ 1000 /* pseudo syscall numbers for requests */
#define FA_NR_SERVER_REQ 1001

struct fa_sample {
	uint64_t enter_ns;
	uint64_t exit_ns;
	int64_t ret;
	uint64_t arg[3];
	uint32_t fd_res; /* resource of the fd argument when known */
	uint32_t reserved;
	struct fr_event_ref ref;
};

struct fa_stat {
	uint32_t thread;
	uint32_t nr;
	uint64_t count;
	uint64_t total_ns;
	uint32_t n_top;
	struct fa_sample top[FA_TOPK]; /* the slowest, slowest first */
	uint32_t hist[FA_HIST_BUCKETS];
};

/* An error return worth reporting, first instance of a (thread, nr, errno). */
struct fa_error {
	uint32_t thread;
	uint32_t nr;
	int32_t err; /* positive errno */
	uint32_t count;
	struct fa_sample first;
};

struct fa_model_stats {
	uint64_t events;
	uint64_t events_by_type[FR_EV_TYPE_COUNT];
	uint64_t repaired;	/* states inferred because events contradicted the model */
	uint64_t flows_dropped; /* data-flow records beyond the cap (counted, not kept) */
	uint64_t bios_dropped;
	uint64_t spans_dropped;
	uint64_t lost_events;	    /* sum of FR_EV_LOST counts */
	uint64_t unmatched_wakeups; /* wakeups of a thread that was not blocked */
};

struct fa_options {
	uint64_t since_ns; /* build only from events in [since, until] (0: no bound) */
	uint64_t until_ns;
	bool progress;	       /* progress on stderr */
	size_t max_flows;      /* cap of data-flow records (0: 8 M) */
	size_t max_bios;       /* cap of block requests (0: 4 M) */
	size_t max_spans;      /* cap of reclaim/fault spans (0: 4 M) */
	uint64_t fault_min_ns; /* minor faults shorter than this are not overlaid (0: 20 us) */
};

struct fa_model {
	struct fr_reader *reader; /* not owned; must outlive the model */
	const struct fr_manifest *manifest;
	uint64_t start_ns, end_ns; /* first and last event */

	struct fa_thread *threads;
	uint32_t n_threads, cap_threads;
	uint32_t n_recorded; /* threads with FA_TH_RECORDED */
	struct fa_process *procs;
	uint32_t n_procs, cap_procs;
	struct fa_wait *waits;
	uint32_t n_waits, cap_waits;
	struct fa_resource *res;
	uint32_t n_res, cap_res;
	struct fa_stream *streams;
	uint32_t n_streams, cap_streams;
	struct fa_bio *bios; /* by completion time */
	uint32_t n_bios, cap_bios;
	struct fa_span *reclaims; /* by end time */
	uint32_t n_reclaims, cap_reclaims;
	struct fa_span *faults; /* by end time */
	uint32_t n_faults, cap_faults;
	struct fa_cpu *cpus;
	uint32_t n_cpus;
	struct fa_futex_wake *fwakes; /* by exit time */
	uint32_t n_fwakes, cap_fwakes;
	struct fa_signal *signals;
	uint32_t n_signals, cap_signals;
	struct fa_tcp_event *tcp;
	uint32_t n_tcp, cap_tcp;
	struct fa_oom *ooms;
	uint32_t n_ooms, cap_ooms;
	struct fa_loss *losses;
	uint32_t n_losses, cap_losses;
	struct fa_stat *stats;
	uint32_t n_stats, cap_stats;
	struct fa_error *errors;
	uint32_t n_errors, cap_errors;
	uint64_t trigger_ns; /* the first trigger mark, 0 none */

	struct fa_model_stats st;
	struct fa_build *b; /* lookups by tid and pid (analyze/model.c, private) */
};

/*
 * Build the model from every event of `r` (within o->since/until when set).
 * `o` may be NULL.  Returns 0, or -errno with a message in `err`; on failure
 * *out is NULL.  The model keeps `r` (for fr_reader__get and the process
 * table): free the model first.
 */
int fa_model__build(struct fr_reader *r, const struct fa_options *o, struct fa_model **out,
		    char *err, size_t errlen);
void fa_model__free(struct fa_model *m);

/* The thread with this tid alive at `at_ns` (the latest one when `at_ns` is
 * 0), as an index, or FA_NONE. */
uint32_t fa_model__find_thread(const struct fa_model *m, uint32_t tid, uint64_t at_ns);
/* The process with this pid (the latest), or NULL. */
const struct fa_process *fa_model__find_process(const struct fa_model *m, uint32_t pid);
/* Index of the interval of thread `t` containing `ts` (the last one starting
 * at or before ts), or -1 when ts is before the first. */
long fa_thread__interval_at(const struct fa_thread *t, uint64_t ts);
/* End of interval i of thread t. */
uint64_t fa_thread__interval_end(const struct fa_thread *t, uint32_t i);
/* How much of its memory cgroup a process holds at `ts`, as far as the
 * recording shows: its anonymous memory then (mapped and not unmapped), plus
 * the page cache it dirtied in the FA_MEM_CACHE_WINDOW_NS before. */
uint64_t fa_process__mem_at(const struct fa_process *p, uint64_t ts);
/* A one-line description of a thread: "client 4242/4243". */
void fa_model__thread_name(const struct fa_model *m, uint32_t thread, char *buf, size_t len);
/* Where the reports' relative times ("+1.500000s") count from: the start of
 * the recorded window, or the first event when the manifest names no window
 * or one that starts after it.  Cannot fail. */
uint64_t fa_model__t0(const struct fa_model *m);
/* Median duration (ns) of the samples in a statistic (from its histogram). */
uint64_t fa_stat__median(const struct fa_stat *s);

/* ---- incidents --------------------------------------------------------------- */

enum fa_incident_kind {
	FA_INC_SLOW_SYSCALL = 0,
	FA_INC_SLOW_REQUEST,
	FA_INC_ERROR, /* an error return (ETIMEDOUT, ECONNRESET, EPIPE, ...) */
	FA_INC_FATAL_SIGNAL,
	FA_INC_OOM_KILL,
	FA_INC_EXIT,	     /* a process exited with a non-zero status */
	FA_INC_CPU_WAIT,     /* a thread spent a large share of its time runnable */
	FA_INC_MEMORY_STALL, /* ... in reclaim or major page faults */
	FA_INC_FOCUS,	     /* chosen with --focus */
	FA_INC_TIMEOUT,	     /* a process exited non-zero after its wait for input timed out */
	FA_INC_KIND_COUNT
};

const char *fa_incident_kind_name(unsigned kind); /* "slow-syscall", ... */

/* --focus: every set criterion must hold. */
struct fa_focus {
	uint32_t pid;		/* 0: any */
	uint32_t tid;		/* 0: any */
	char comm[FR_COMM_LEN]; /* "": any */
	bool window;		/* since/until are set */
	bool anchored;		/* ... and absolute (fa_focus__anchor ran) */
	uint64_t since_ns;	/* relative to the start until anchored */
	uint64_t until_ns;
	bool set; /* any criterion */
};

/* Parse one --focus SPEC ("pid:N", "tid:N", "comm:NAME", "window:T1-T2" with
 * T relative to `t0_ns`, durations as fr_parse_duration with bare seconds)
 * into `f` (criteria accumulate).  Returns 0 or -EINVAL with a message. */
int fa_focus__parse(struct fa_focus *f, const char *spec, char *err, size_t errlen);
/* Turn a window parsed relative to 0 into absolute times (t0 = model start). */
void fa_focus__anchor(struct fa_focus *f, uint64_t t0_ns);
/* Does any recorded thread match the focus's pid/tid/comm (true when it
 * names none)? */
bool fa_focus__matches_any(const struct fa_model *m, const struct fa_focus *f);

struct fa_segment;
struct fa_cause;

struct fa_incident {
	uint32_t kind;	 /* enum fa_incident_kind */
	uint32_t thread; /* the thread the incident happened to */
	uint64_t start_ns;
	uint64_t end_ns;
	uint32_t nr;  /* syscall (or FA_NR_*_REQ), FA_NONE */
	uint32_t res; /* resource involved, FA_NONE */
	int64_t ret;
	uint64_t typical_ns; /* the thread's normal for this call, 0 unknown */
	uint64_t count;	     /* errors: how many times; slow: calls of that kind */
	int32_t sig;	     /* fatal signal / exit status (exit, timeout) */
	uint32_t culprit;    /* failures: responsible thread when known (sender, OOM trigger) */
	uint32_t index;	     /* OOM kills: the fa_oom record; errors: the fa_error; else FA_NONE */
	double score;	     /* ranking */
	char what[160];	     /* "read() on pipe:[1234]" */
	char summary[1024];  /* the plain-English paragraph */
	char note[256];	     /* warnings (data lost during the incident, ...) */

	/* filled by fa_incident__explain */
	uint64_t breakdown[FA_CAT_COUNT]; /* the thread's own time by category */
	struct fa_segment *path;
	uint32_t n_path;
	bool path_truncated;
	struct fa_cause *causes;
	uint32_t n_causes;
};

struct fa_incidents {
	struct fa_incident *v;
	uint32_t n, cap;
};

struct fa_find_opts {
	unsigned top;	      /* at most this many (0: 5) */
	uint64_t min_slow_ns; /* slow calls/requests must exceed their normal by this (0: 10 ms) */
	double min_ratio;     /* ... and be this many times the normal (0: 4) */
	const struct fa_focus *focus; /* may be NULL */
};

/* Find incidents, most important first (docs/analysis.md, "Incidents").
 * Returns 0 or -ENOMEM.  Free with fa_incidents__free. */
int fa_incidents__find(const struct fa_model *m, const struct fa_find_opts *o,
		       struct fa_incidents *out);
void fa_incidents__free(struct fa_incidents *v);

/* ---- critical path and root causes ------------------------------------------ */

/* How the walk reached a segment's thread from the thread that waited on it. */
enum fa_via {
	FA_VIA_SELF = 0, /* the incident thread itself */
	FA_VIA_WAKEUP,	 /* a wakeup from a task, no better-known relation */
	FA_VIA_PIPE,	 /* data written to a pipe the waiter read */
	FA_VIA_UNIX,
	FA_VIA_TCP,
	FA_VIA_FUTEX,  /* futex wake of the futex the waiter waited on */
	FA_VIA_CHILD,  /* the awaited child exited */
	FA_VIA_SIGNAL, /* a signal sent to the waiter */
	FA_VIA_FORK,   /* before the thread existed: its creator */
	FA_VIA_COUNT
};

const char *fa_via_name(unsigned via); /* "self", "wakeup", "pipe", ... */

/* fa_segment.flags */
#define FA_SEGF_LEAF_BLOCKED 0x1 /* a blocked interval no thread explains (leaf) */
#define FA_SEGF_RETRANSMIT 0x2	 /* TCP retransmits on the connection in this span */

/*
 * One piece of the critical path: `thread` was in `state` from start to end,
 * and that time is charged to `category` and `culprit`.
 */
struct fa_segment {
	uint64_t start_ns;
	uint64_t end_ns;
	uint32_t thread;
	uint32_t culprit;   /* thread index responsible, FA_NONE (e.g. a remote peer) */
	uint32_t wait;	    /* the blocked call of `thread`, FA_NONE */
	uint32_t res;	    /* the resource waited on, FA_NONE */
	uint32_t from;	    /* the thread that waited on this one (the edge's waiter), FA_NONE */
	uint32_t root_wait; /* the incident thread's blocked call this time explains, FA_NONE */
	uint8_t state;	    /* enum fa_state */
	uint8_t category;   /* enum fa_category */
	uint8_t via;	    /* enum fa_via: the edge from `from` to `thread` */
	uint8_t wake_ctx;   /* leaf blocked segments: how the wait ended */
	uint16_t depth;	    /* hops from the incident thread */
	uint16_t flags;	    /* FA_SEGF_* */
};

struct fa_walk_opts {
	unsigned max_depth;    /* hops across threads (0: 32) */
	uint64_t max_steps;    /* intervals visited per incident (0: 20 M) */
	uint32_t max_segments; /* merged segments kept (0: 100000) */
};

/*
 * The critical path of `thread` over [start, end]: segments in time order
 * that cover the interval exactly (their durations sum to end - start).
 * Returns 0 with *out (free()) and *n set, or -ENOMEM.  *truncated is set when
 * a budget stopped the walk early (the rest is charged to the last thread).
 */
int fa_critpath__walk(const struct fa_model *m, uint32_t thread, uint64_t start, uint64_t end,
		      const struct fa_walk_opts *o, struct fa_segment **out, uint32_t *n,
		      bool *truncated);

struct fa_culprit {
	uint32_t thread; /* FA_NONE: not a local thread (see peer) */
	uint64_t ns;
};

#define FA_MAX_CULPRITS 4

/* One root cause: time charged to a category and culprit. */
struct fa_cause {
	uint8_t category;
	uint64_t ns;
	double share; /* of the incident's duration */
	uint32_t n_culprits;
	struct fa_culprit culprits[FA_MAX_CULPRITS]; /* most time first */
	uint32_t on_thread; /* where most of the time was spent (may differ from the culprit) */
	uint32_t res;	    /* most frequent resource, FA_NONE */
	uint32_t wait;	    /* a representative blocked call, FA_NONE */
	char explanation[512];
	char brief[512]; /* the explanation without "while <incident thread> waited ..." */
};

/*
 * Root causes of a critical path: its segments grouped by (category, culprit),
 * most time first, with explanations.  `total_ns` is the incident's duration
 * (for shares).  Returns 0 with *out (free()) and *n, or -ENOMEM.
 */
int fa_causes__compute(const struct fa_model *m, const struct fa_incident *inc,
		       const struct fa_segment *path, uint32_t n_path, struct fa_cause **out,
		       uint32_t *n);

/* Fill an incident's breakdown, critical path, root causes and summary. */
int fa_incident__explain(const struct fa_model *m, struct fa_incident *inc,
			 const struct fa_walk_opts *o);
void fa_incident__clear(struct fa_incident *inc);

/* ---- reports ---------------------------------------------------------------- */

struct fa_report_opts {
	bool color;
	unsigned max_path_lines; /* text: critical path lines shown (0: 12) */
	const char *file;	 /* bundle name for headers */
};

/* The text report of one bundle to `f`. */
void fa_report__text(FILE *f, const struct fa_model *m, const struct fa_incidents *inc,
		     const struct fa_report_opts *o);

struct json_t;
/* The JSON objects: one per incident appended to `incidents` (a JSON array),
 * and the bundle description object (returned, new reference). */
int fa_report__json_incidents(struct json_t *incidents, const struct fa_model *m,
			      const struct fa_incidents *inc, const char *file);
struct json_t *fa_report__json_bundle(const struct fa_model *m, const char *file);

#endif /* FA_ANALYZE_H */
