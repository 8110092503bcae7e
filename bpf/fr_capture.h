/* SPDX-License-Identifier: MIT */
/*
 * fr_capture.h: what the capture agent (capture/) and its eBPF program
 * (bpf/fr_capture.bpf.c) share besides the event model of fr_events.h:
 * the configuration written into the program's read-only data before load,
 * the per-syscall payload capture plan, the internal piece record that
 * carries large payloads, and the indexes of the counter maps.
 *
 * Nothing here is stored in a bundle: it is the private protocol between the
 * kernel side and the agent of one flightrec binary, so it may change freely
 * between versions (the bundle format lives in fr_events.h).
 */
#ifndef FR_CAPTURE_H
#define FR_CAPTURE_H

#include "bpf/fr_events.h"

/* ---- configuration (rodata, set before load) ------------------------------ */

enum fr_capture_mode {
	/* Record the tasks the agent arms (the command of `flightrec record`)
	 * from their first execve on, and every task they create. */
	FR_MODE_TREE = 0,
	/* Record every task that matches the filter maps (none set: every
	 * task), except the agent itself. */
	FR_MODE_FILTER = 1,
};

/* fr_bpf_config.filters: which filter maps are in use (FR_MODE_FILTER). */
#define FR_FILTER_PID 0x1    /* map filter_pids: tgid -> 1 */
#define FR_FILTER_COMM 0x2   /* map filter_comms: char[16] -> 1 */
#define FR_FILTER_CGROUP 0x4 /* map filter_cgroups: cgroup v2 id -> 1 */

struct fr_bpf_config {
	uint32_t mode;		  /* enum fr_capture_mode */
	uint32_t filters;	  /* FR_FILTER_* */
	uint32_t agent_tgid;	  /* never recorded */
	uint32_t snaplen;	  /* bytes kept per payload item; 0 = FR_SNAPLEN_MAX */
	uint64_t wake_bytes;	  /* wake the agent when this much data waits */
	uint32_t state_hash;	  /* per-task state in a hash map (raw_tp fallback) */
	uint32_t wake_check_mask; /* check the backlog every (mask + 1) records of a CPU */
	uint32_t reserved1;
	uint32_t reserved;
};

/* "Complete payloads": the largest payload item a bundle reader accepts. */
#define FR_SNAPLEN_MAX (64u << 20)

/* ---- per-syscall capture plan ------------------------------------------------ */

/* What to read. */
enum fr_plan_op {
	FR_OP_NONE = 0,
	FR_OP_BUF,     /* bytes at args[arg]; length per `len` */
	FR_OP_STR,     /* NUL-terminated string at args[arg] (without its NUL) */
	FR_OP_STRV,    /* NULL-terminated array of strings at args[arg], NUL-separated */
	FR_OP_IOV,     /* struct iovec[args[len_arg]] at args[arg], data flattened */
	FR_OP_MSGHDR,  /* struct msghdr at args[arg]: parts 0 data, 1 name, 2 control,
			* FR_PART_STRUCT the msghdr itself */
	FR_OP_MMSGHDR, /* struct mmsghdr[n] at args[arg]: part FR_PART_STRUCT the array;
			* message i (of the first FR_MMSG_DATA): 3i data, 3i+1 name */
	FR_OP_COUNT
};

/* How long it is. */
enum fr_plan_len {
	FR_LEN_CONST = 0, /* `size` bytes */
	FR_LEN_ARG,	  /* args[len_arg] * size */
	FR_LEN_RET, /* ret * size (exit only); at most args[len_arg] * size with FR_PI_CAP_ARG */
	FR_LEN_ARG_PTR, /* the u32 at user address args[len_arg] (a socklen_t *) at exit,
			 * at most its value at entry (the buffer's size) */
	FR_LEN_FDSET,	/* an fd_set for args[len_arg] descriptors: ((n + 63) / 64) * 8 */
	FR_LEN_IOV,	/* IOV/MSGHDR at enter: the sum of the iovec lengths */
	FR_LEN_COUNT
};

/* fr_plan_item.flags */
#define FR_PI_OK_ONLY 0x1 /* exit: only when the call succeeded (ret >= 0) */
#define FR_PI_CAP_ARG 0x2 /* FR_LEN_RET: capped by args[len_arg] * size */

struct fr_plan_item {
	uint8_t op;	 /* enum fr_plan_op */
	uint8_t arg;	 /* argument holding the user pointer (payload `arg`) */
	uint8_t len;	 /* enum fr_plan_len */
	uint8_t len_arg; /* argument giving a length or count */
	uint8_t kind;	 /* FR_PL_IN or FR_PL_OUT */
	uint8_t flags;	 /* FR_PI_* */
	uint16_t size;	 /* FR_LEN_CONST size, or element size */
	uint32_t max;	 /* cap of this item before the snaplen (0: none) */
};

#define FR_PLAN_MAX_ITEMS 12
/* sendmmsg/recvmmsg: messages whose data is captured (an event holds at most
 * FR_MAX_PAYLOADS = 16 items) */
#define FR_MMSG_DATA 6
#define FR_PLAN_NO_FD 0xff

/* fr_sc_plan.flags */
#define FR_PLAN_TRACE 0x1    /* record this syscall (else it is skipped entirely) */
#define FR_PLAN_NORETURN 0x2 /* never returns (exit, exit_group): emitted at entry */
#define FR_PLAN_EXEC 0x4     /* execve/execveat: emitted at the exec, FR_SC_NO_EXIT */
#define FR_PLAN_RET_FD 0x8   /* returns a new fd */
#define FR_PLAN_LENPTR 0x10  /* has FR_LEN_ARG_PTR exit items: read the lengths at entry */

/* Items [0, n_enter) are read at entry, [n_enter, n_enter + n_exit) at exit. */
struct fr_sc_plan {
	uint8_t flags; /* FR_PLAN_* */
	uint8_t n_enter;
	uint8_t n_exit;
	uint8_t fd_arg[2]; /* arguments resolved to struct fr_fdinfo at entry */
	uint8_t reserved[3];
	struct fr_plan_item items[FR_PLAN_MAX_ITEMS];
};

/* ---- internal records (kernel -> agent only) --------------------------------- */

/*
 * Record types above the event types are the agent's business and never
 * reach a bundle.
 *
 * A payload item too large to travel inside its event record is sent ahead
 * of it in pieces.  The event then holds a stub item: a fr_payload_hdr with
 * FR_PLF_PIECES set, full_len as usual, len 16, and a struct fr_stub as its
 * data.  The ring buffer is one for all CPUs and records are consumed in
 * reservation order, so a thread's pieces always precede the event they
 * belong to; `seq` (a per-task counter of syscalls and execs) tells pieces of
 * an event that never arrived (ring full) from those of the event at hand.
 */
#define FR_REC_PIECE 0x100

/* FR_PLF_PIECES: a stub item, data in FR_REC_PIECE records (never in a bundle) */
#define FR_PLF_PIECES 0x80
/* In fr_ev_syscall.flags of a record from the kernel: it holds stub items.
 * Spares the agent a look at the items of every record; cleared when the
 * record is put back together (never in a bundle). */
#define FR_SC_HAS_STUBS 0x80000000u

struct fr_stub {
	uint64_t seq;	/* fr_task.seq of the event */
	uint32_t total; /* bytes captured (<= full_len), carried by the pieces */
	uint32_t reserved;
};

/* Follows the fr_rec_hdr of an FR_REC_PIECE record; then `len` bytes. */
struct fr_piece {
	uint64_t seq; /* as in the stub */
	uint8_t kind;
	uint8_t arg;
	uint8_t part;
	uint8_t flags;	 /* FR_PLF_FAULT: reading at `offset` failed */
	uint32_t offset; /* of this piece within the item's captured bytes */
	uint32_t len;	 /* bytes that follow */
	uint32_t total;	 /* captured bytes of the whole item */
};

#define FR_PIECE_MAX (32u << 10) /* data bytes in one piece record */
#define FR_REC_MAX (32u << 10)	 /* an event record built in the scratch buffer */
#define FR_STASH (2u << 10)	 /* payload bytes kept in a task's own record */

/* ---- counters ------------------------------------------------------------------- */

/* Map `losses` (per-CPU array) is indexed by enum fr_loss_cause; map `stats`
 * (per-CPU array) by these. */
enum fr_stat {
	FR_STAT_TASK_ALLOC_FAIL = 0,  /* a task to record got no state: not recorded */
	FR_STAT_LOST_RECORDS,	  /* FR_EV_LOST records emitted */
	FR_STAT_WAKEUPS,	  /* forced wakeups of the agent */
	FR_STAT_BLOCK_TRACK_FULL, /* block request issuer map full */
	FR_STAT_COUNT
};

/* Per-CPU counters and interrupt context live in .bss (array `pcpu`, indexed
 * by CPU number), which the agent reads through the skeleton's mmap. */
#define FR_MAX_CPUS 512

struct fr_pcpu {
	uint64_t losses[FR_LOSS_CAUSE_COUNT]; /* enum fr_loss_cause */
	uint64_t lost_pending;		      /* dropped records not yet reported */
	uint64_t lost_first_ns;
	uint64_t stats[FR_STAT_COUNT]; /* enum fr_stat */
	/* interrupt context, from irq/softirq/timer entry and exit */
	uint32_t irq;
	uint32_t vec;
	int32_t hard_depth;
	int32_t soft_depth;
	int32_t timer_depth;
	uint32_t nrec;	/* records written, for batching wakeup checks */
	uint32_t above; /* the backlog was over the wakeup threshold at the last check */
} __attribute__((aligned(64)));

/* ---- per-task state --------------------------------------------------------------- */

enum fr_task_state {
	FR_TS_NONE = 0, /* not decided (FR_MODE_FILTER) */
	FR_TS_IGNORED = 1,
	FR_TS_ARMED = 2, /* recorded from its next execve on */
	FR_TS_TRACED = 3,
};

#define FR_NO_SYSCALL 0xffffffffu /* fr_task.sc_nr: no syscall in progress */
#define FR_SKIP_EXIT 0xfffffffeu  /* the exit of a successful execve: not emitted */

/*
 * The state kept per task (task local storage, or the hash map keyed by tid
 * in the raw_tp fallback).  The agent arms the root of a recorded tree by
 * writing a zeroed value with state = FR_TS_ARMED.
 */
struct fr_task {
	uint32_t state; /* enum fr_task_state */
	uint32_t sc_nr; /* syscall in progress, FR_NO_SYSCALL, FR_SKIP_EXIT */
	uint64_t enter_ns;
	uint32_t sc_flags;  /* FR_SC_PAYLOAD_* gathered at entry */
	uint32_t stash_len; /* bytes of payload items in stash */
	/* a user page fault in progress (see the page_fault_user handler) */
	uint64_t pf_start;
	uint64_t pf_addr;
	uint64_t pf_ip;
	uint64_t pf_majflt;  /* task->maj_flt at fault entry */
	uint64_t pf_resumed; /* when it got the CPU back after blocking */
	uint32_t pf_err;
	uint32_t pf_slept; /* blocked on I/O during the fault */
	/* direct or memcg reclaim in progress */
	uint64_t rc_start;
	uint64_t rc_gfp;
	uint32_t rc_order;
	uint32_t rc_kind;
	uint32_t reserved;
	uint32_t redo;	     /* entry items to read again at exit (not resident at entry) */
	uint32_t inlen[FR_PLAN_MAX_ITEMS]; /* FR_LEN_ARG_PTR exit items: the length at entry */
	uint64_t seq;			   /* events of this task that may carry pieces */
	/* The syscall record is built here, in the order it is written to the
	 * ring: header, body (whose args[] hold the arguments of the syscall in
	 * progress from its entry on), then its payload items (fr_payload_hdr + data,
	 * 8-aligned) in `stash`, which is twice its logical size so that
	 * bounded variable offsets satisfy the verifier. */
	struct fr_rec_hdr rec_hdr;
	struct fr_ev_syscall rec_body;
	uint8_t stash[2 * FR_STASH + 64];
};

#endif /* FR_CAPTURE_H */
