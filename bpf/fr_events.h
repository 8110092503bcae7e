/* SPDX-License-Identifier: MIT */
/*
 * fr_events.h: the event model, read by both compilers.
 *
 * The eBPF programs (clang -target bpf, types from vmlinux.h) emit records in
 * this layout into the ring buffer; capture/ parses them; formats/ encodes the
 * bodies into bundle chunks and decodes them back into the same structs, which
 * analyze/ and replay/ consume.  Every struct here has fixed-width fields,
 * natural alignment and a _Static_assert on its size, so the two compilers
 * cannot disagree.
 *
 * Ring-buffer record (kernel -> capture), all little-endian:
 *
 *   offset size  field
 *   0      8     ts_ns     CLOCK_MONOTONIC (bpf_ktime_get_ns), the bundle clock
 *   8      4     pid       thread group id of the task the event is charged to
 *   12     4     tid       thread id of that task
 *   16     2     type      FR_EV_*
 *   18     2     cpu       CPU the event was observed on
 *   20     4     size      total record size in bytes, header included
 *   24     ...   body      struct fr_ev_<type>
 *   ...          payloads  zero or more (struct fr_payload_hdr + len bytes,
 *                          padded to 8), until size is reached
 *
 * "The task the event is charged to" is the current task unless the body says
 * otherwise (e.g. sched_switch: the task switching out; block completion: the
 * task that issued the request).
 *
 * Span events (syscall, page fault, reclaim) are emitted when the span ends:
 * ts_ns is the end, the body holds the start.
 *
 * Adding a field: append it to the body and bump FR_EVENT_ABI; the bundle
 * codec (formats/codec.c) fills fields missing from older records with zero.
 */
#ifndef FR_EVENTS_H
#define FR_EVENTS_H

#ifndef __bpf__
#include <stdint.h>
#endif

#define FR_EVENT_ABI 1
#define FR_COMM_LEN 16

/* Event types.  Values are part of the bundle format: never renumber. */
enum fr_event_type {
	FR_EV_NONE = 0,
	FR_EV_SYSCALL = 1,         /* struct fr_ev_syscall */
	FR_EV_SCHED_SWITCH = 2,    /* struct fr_ev_sched_switch */
	FR_EV_SCHED_WAKEUP = 3,    /* struct fr_ev_sched_wakeup */
	FR_EV_SCHED_MIGRATE = 4,   /* struct fr_ev_sched_migrate */
	FR_EV_PROC_FORK = 5,       /* struct fr_ev_proc_fork */
	FR_EV_PROC_EXEC = 6,       /* struct fr_ev_proc_exec */
	FR_EV_PROC_EXIT = 7,       /* struct fr_ev_proc_exit */
	FR_EV_PROC_COMM = 8,       /* struct fr_ev_proc_comm */
	FR_EV_PAGE_FAULT = 9,      /* struct fr_ev_page_fault */
	FR_EV_RECLAIM = 10,        /* struct fr_ev_reclaim */
	FR_EV_OOM_KILL = 11,       /* struct fr_ev_oom_kill */
	FR_EV_TCP_STATE = 12,      /* struct fr_ev_tcp */
	FR_EV_TCP_RETRANSMIT = 13, /* struct fr_ev_tcp */
	FR_EV_TCP_RESET = 14,      /* struct fr_ev_tcp */
	FR_EV_BLOCK_ISSUE = 15,    /* struct fr_ev_block */
	FR_EV_BLOCK_COMPLETE = 16, /* struct fr_ev_block */
	FR_EV_SIGNAL_GENERATE = 17,/* struct fr_ev_signal_generate */
	FR_EV_SIGNAL_DELIVER = 18, /* struct fr_ev_signal_deliver */
	FR_EV_LOST = 19,           /* struct fr_ev_lost */
	FR_EV_MARK = 20,           /* struct fr_ev_mark */
	FR_EV_TYPE_COUNT           /* one past the last type */
};

/* Record header (24 bytes).  See the table at the top of this file. */
struct fr_rec_hdr {
	uint64_t ts_ns;
	uint32_t pid;
	uint32_t tid;
	uint16_t type;
	uint16_t cpu;
	uint32_t size;
};

/* --- system calls ------------------------------------------------------- */

/* fr_ev_syscall.flags */
#define FR_SC_NO_EXIT    0x1 /* enter seen, exit not (exit_group, exec, end of window) */
#define FR_SC_NO_ENTER   0x2 /* exit seen, enter not (started before the window) */
#define FR_SC_PAYLOAD_CUT 0x4 /* some payload was truncated by the snaplen */
#define FR_SC_PAYLOAD_FAULT 0x8 /* some payload could not be read from user memory */

struct fr_ev_syscall {
	uint64_t enter_ns; /* ts of sys_enter; 0 with FR_SC_NO_ENTER */
	int64_t ret;       /* return value (-errno on error); 0 with FR_SC_NO_EXIT */
	uint64_t args[6];
	uint32_t nr;       /* x86-64 syscall number, see formats/syscalls.h */
	uint32_t flags;    /* FR_SC_* */
};

/* --- scheduling --------------------------------------------------------- */

/* Charged to the task switching out (prev). */
struct fr_ev_sched_switch {
	uint32_t next_pid;
	uint32_t next_tid;
	int64_t prev_state; /* TASK_* bits of prev; 0 = preempted while runnable */
	int32_t prev_prio;
	int32_t next_prio;
	char prev_comm[FR_COMM_LEN];
	char next_comm[FR_COMM_LEN];
};

/* fr_ev_sched_wakeup.flags */
#define FR_WAKE_WAKING 0x1 /* sched_waking: the waker's side, in its context */
#define FR_WAKE_WAKEUP 0x2 /* sched_wakeup: the wakee is now runnable */
#define FR_WAKE_NEW    0x4 /* sched_wakeup_new: first wakeup of a new task */

/* fr_ev_sched_wakeup.ctx: what the current CPU was doing when it woke the target. */
enum fr_wake_ctx {
	FR_CTX_TASK = 0,    /* the charged task itself (header pid/tid) */
	FR_CTX_HARDIRQ = 1, /* ctx_info = irq number when known */
	FR_CTX_SOFTIRQ = 2, /* ctx_info = softirq vector (NET_RX=3, BLOCK=4, TIMER=1, ...) */
	FR_CTX_NMI = 3,
	FR_CTX_TIMER = 4,   /* hrtimer/timer expiry (e.g. nanosleep, timeouts) */
};

/* Charged to the current task (the waker in task context, else the task the
 * interrupt landed on: look at ctx). */
struct fr_ev_sched_wakeup {
	uint32_t target_pid;
	uint32_t target_tid;
	int32_t target_cpu;
	uint16_t flags;    /* FR_WAKE_* */
	uint16_t ctx;      /* enum fr_wake_ctx */
	uint32_t ctx_info; /* irq number or softirq vector */
	uint32_t reserved;
	char target_comm[FR_COMM_LEN];
};

/* Charged to the current task; the migrated task is in the body. */
struct fr_ev_sched_migrate {
	uint32_t target_pid;
	uint32_t target_tid;
	int32_t orig_cpu;
	int32_t dest_cpu;
};

/* --- process lifecycle -------------------------------------------------- */

/* Charged to the parent.  child_pid == child_tid for a new process. */
struct fr_ev_proc_fork {
	uint32_t child_pid;
	uint32_t child_tid;
	uint64_t clone_flags;
	char child_comm[FR_COMM_LEN];
};

/* Charged to the task after a successful exec.  Payloads: FR_PL_EXEC_FILENAME,
 * FR_PL_EXEC_ARGV (NUL-separated), optionally FR_PL_EXEC_ENV. */
struct fr_ev_proc_exec {
	uint32_t old_tid; /* tid before exec (differs when a non-leader thread execs) */
	uint32_t flags;
	char comm[FR_COMM_LEN];
};

/* fr_ev_proc_exit.flags */
#define FR_EXIT_GROUP_DEAD 0x1 /* last thread of the process */

struct fr_ev_proc_exit {
	int32_t status; /* wait(2) status: (code << 8) | termsig | 0x80 core */
	uint32_t flags; /* FR_EXIT_* */
};

struct fr_ev_proc_comm {
	char old_comm[FR_COMM_LEN];
	char new_comm[FR_COMM_LEN];
};

/* --- memory ------------------------------------------------------------- */

/* fr_ev_page_fault.flags */
#define FR_PF_MAJOR 0x1 /* needed I/O */
#define FR_PF_USER  0x2 /* fault on a user address */
#define FR_PF_WRITE 0x4

struct fr_ev_page_fault {
	uint64_t start_ns; /* 0 when only the fault entry was seen */
	uint64_t address;
	uint64_t ip;
	uint32_t error_code;
	uint32_t flags; /* FR_PF_* */
};

enum fr_reclaim_kind {
	FR_RECLAIM_DIRECT = 1,       /* mm_vmscan_direct_reclaim_begin/end */
	FR_RECLAIM_MEMCG = 2,        /* mm_vmscan_memcg_reclaim_begin/end */
	FR_RECLAIM_MEMCG_SOFT = 3,   /* mm_vmscan_memcg_softlimit_reclaim_begin/end */
	FR_RECLAIM_KSWAPD = 4,       /* kswapd wake to sleep, charged to kswapd */
	FR_RECLAIM_COMPACTION = 5,   /* direct compaction */
};

struct fr_ev_reclaim {
	uint64_t start_ns;
	uint64_t nr_reclaimed;
	uint64_t gfp_flags;
	uint64_t memcg_id; /* cgroup inode number, 0 if global */
	uint32_t kind;     /* enum fr_reclaim_kind */
	uint32_t order;
};

/* Charged to the task whose allocation triggered the kill. */
struct fr_ev_oom_kill {
	uint32_t victim_pid;
	int32_t oom_score_adj;
	uint64_t total_vm_kb;
	uint64_t anon_rss_kb;
	uint64_t file_rss_kb;
	uint64_t shmem_rss_kb;
	uint64_t memcg_id;
	uint32_t uid;
	uint32_t reserved;
	char victim_comm[FR_COMM_LEN];
};

/* --- network ------------------------------------------------------------ */

/* A connection's addresses.  family is AF_INET (2) or AF_INET6 (10); IPv4
 * addresses occupy the first 4 bytes of saddr/daddr.  Ports in host order.
 * "s" is the local side of the socket, "d" the remote one. */
struct fr_sock_tuple {
	uint8_t saddr[16];
	uint8_t daddr[16];
	uint16_t sport;
	uint16_t dport;
	uint16_t family;
	uint16_t protocol; /* IPPROTO_TCP, IPPROTO_UDP, 0 unknown */
};

/* TCP states as in the kernel (TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12). */
struct fr_ev_tcp {
	struct fr_sock_tuple tuple;
	uint64_t sock_id; /* kernel socket address: stable identity within a bundle */
	int32_t oldstate; /* FR_EV_TCP_STATE only; else the current state */
	int32_t newstate;
};

/* --- block I/O ---------------------------------------------------------- */

/* ISSUE is charged to the issuing task; COMPLETE too (the kernel side
 * remembers the issuer per request), with the completing CPU in the header. */
struct fr_ev_block {
	uint64_t sector;
	uint64_t issue_ns; /* COMPLETE: when it was issued; 0 if unknown */
	uint32_t dev;      /* MKDEV(major, minor) as the kernel encodes it (20-bit minor) */
	uint32_t nr_bytes;
	int32_t error;     /* COMPLETE: 0 or -errno */
	char rwbs[8];      /* "R", "W", "WS", "FWS", ... as in blktrace */
	uint32_t reserved;
};

/* --- signals ------------------------------------------------------------ */

/* Charged to the sender (current). */
struct fr_ev_signal_generate {
	uint32_t target_pid;
	uint32_t target_tid;
	int32_t sig;
	int32_t code;   /* si_code */
	int32_t result; /* TRACE_SIGNAL_DELIVERED = 0, IGNORED, ALREADY_PENDING, ... */
	uint32_t reserved;
};

/* Charged to the receiving task.  <signal.h> defines sa_handler as a macro
 * (a member of struct sigaction's union): keep it from rewriting the field
 * name when that header was included first.  Code that includes <signal.h>
 * and reads the field writes (ev->u.sig_del.sa_handler) after an #undef, or
 * uses fr_sig_del_handler(). */
#pragma push_macro("sa_handler")
#undef sa_handler
struct fr_ev_signal_deliver {
	int32_t sig;
	int32_t code;
	uint64_t sa_handler; /* 0 = SIG_DFL, 1 = SIG_IGN, else handler address */
	uint64_t sa_flags;
};

static inline uint64_t fr_sig_del_handler(const struct fr_ev_signal_deliver *d)
{
	return d->sa_handler;
}
#pragma pop_macro("sa_handler")

/* --- bookkeeping -------------------------------------------------------- */

enum fr_loss_cause {
	FR_LOSS_RING_FULL = 1,       /* kernel ring buffer had no room */
	FR_LOSS_PAYLOAD_TRUNCATED = 2, /* payload longer than the snaplen */
	FR_LOSS_READ_FAULT = 3,      /* user memory could not be read */
	FR_LOSS_EVICTED = 4,         /* flight-recorder ring evicted older data */
	FR_LOSS_CAUSE_COUNT
};

/* Emitted by capture where events are known to be missing, so that a reader
 * sees the hole at its place in time (totals are in the manifest as well). */
struct fr_ev_lost {
	uint64_t count;
	uint32_t cause; /* enum fr_loss_cause */
	uint32_t reserved;
};

enum fr_mark_kind {
	FR_MARK_TRIGGER = 1,       /* a trigger fired; FR_PL_TEXT holds the reason */
	FR_MARK_WINDOW_START = 2,
	FR_MARK_WINDOW_END = 3,
	FR_MARK_NOTE = 4,
};

struct fr_ev_mark {
	uint32_t kind; /* enum fr_mark_kind */
	uint32_t reserved;
};

/* --- payloads ----------------------------------------------------------- */

/* What a payload item holds. */
enum fr_payload_kind {
	FR_PL_IN = 1,            /* bytes user space passed in (write buffer, path, sockaddr) */
	FR_PL_OUT = 2,           /* bytes the kernel wrote to user space (read buffer, stat) */
	FR_PL_FDINFO = 3,        /* struct fr_fdinfo for syscall argument `arg` */
	FR_PL_EXEC_FILENAME = 4, /* exec: the file name */
	FR_PL_EXEC_ARGV = 5,     /* exec: argv, NUL-separated */
	FR_PL_EXEC_ENV = 6,      /* exec: envp, NUL-separated */
	FR_PL_TEXT = 7,          /* free text (mark reasons) */
	FR_PL_KIND_COUNT
};

/* fr_payload_hdr.flags */
#define FR_PLF_TRUNCATED 0x1 /* len < full_len because of the snaplen */
#define FR_PLF_FAULT     0x2 /* reading user memory failed; len bytes are what was read */
#define FR_PLF_LOST      0x4 /* part of the data was dropped on the way (ring buffer
			      * full); len bytes are the part that arrived */

/* A payload item: which syscall argument it belongs to (arg), and for
 * compound arguments which part (msghdr: 0 data, 1 name, 2 control;
 * iovec data is flattened into part 0 in iovec order; mmsghdr arrays:
 * message i uses 3i, 3i+1 and 3i+2 the same way; FR_PART_STRUCT holds the
 * msghdr or the mmsghdr array itself, as passed or as the kernel left it). */
#define FR_PART_STRUCT 255
struct fr_payload_hdr {
	uint8_t kind;  /* enum fr_payload_kind */
	uint8_t arg;   /* syscall argument index 0..5, 0xff when none */
	uint8_t part;
	uint8_t flags; /* FR_PLF_* */
	uint32_t full_len; /* length of the data at the source */
	uint32_t len;      /* bytes captured (<= full_len) that follow */
	uint32_t reserved;
};

/* fr_fdinfo.type */
enum fr_fd_type {
	FR_FD_UNKNOWN = 0,
	FR_FD_FILE = 1,
	FR_FD_DIR = 2,
	FR_FD_PIPE = 3,
	FR_FD_SOCKET = 4,
	FR_FD_CHR = 5,
	FR_FD_BLK = 6,
	FR_FD_ANON = 7, /* eventfd, epoll, timerfd, signalfd, ... */
};

/* The resolved description behind a file descriptor at syscall time. */
struct fr_fdinfo {
	uint64_t ino;  /* inode number: pipes and sockets are matched by it */
	uint64_t dev;
	uint64_t pos;  /* file position before the call, when meaningful */
	struct fr_sock_tuple tuple; /* sockets: addresses at syscall time */
	int32_t fd;
	uint16_t type; /* enum fr_fd_type */
	uint16_t sock_type; /* SOCK_STREAM, SOCK_DGRAM, ... */
};

#define FR_PAYLOAD_ALIGN 8
#define FR_PAYLOAD_ITEM_SIZE(len) \
	((uint32_t)(sizeof(struct fr_payload_hdr) + (((len) + 7u) & ~7u)))

_Static_assert(sizeof(struct fr_rec_hdr) == 24, "fr_rec_hdr");
_Static_assert(sizeof(struct fr_ev_syscall) == 72, "fr_ev_syscall");
_Static_assert(sizeof(struct fr_ev_sched_switch) == 56, "fr_ev_sched_switch");
_Static_assert(sizeof(struct fr_ev_sched_wakeup) == 40, "fr_ev_sched_wakeup");
_Static_assert(sizeof(struct fr_ev_sched_migrate) == 16, "fr_ev_sched_migrate");
_Static_assert(sizeof(struct fr_ev_proc_fork) == 32, "fr_ev_proc_fork");
_Static_assert(sizeof(struct fr_ev_proc_exec) == 24, "fr_ev_proc_exec");
_Static_assert(sizeof(struct fr_ev_proc_exit) == 8, "fr_ev_proc_exit");
_Static_assert(sizeof(struct fr_ev_proc_comm) == 32, "fr_ev_proc_comm");
_Static_assert(sizeof(struct fr_ev_page_fault) == 32, "fr_ev_page_fault");
_Static_assert(sizeof(struct fr_ev_reclaim) == 40, "fr_ev_reclaim");
_Static_assert(sizeof(struct fr_ev_oom_kill) == 72, "fr_ev_oom_kill");
_Static_assert(sizeof(struct fr_sock_tuple) == 40, "fr_sock_tuple");
_Static_assert(sizeof(struct fr_ev_tcp) == 56, "fr_ev_tcp");
_Static_assert(sizeof(struct fr_ev_block) == 40, "fr_ev_block");
_Static_assert(sizeof(struct fr_ev_signal_generate) == 24, "fr_ev_signal_generate");
_Static_assert(sizeof(struct fr_ev_signal_deliver) == 24, "fr_ev_signal_deliver");
_Static_assert(sizeof(struct fr_ev_lost) == 16, "fr_ev_lost");
_Static_assert(sizeof(struct fr_ev_mark) == 8, "fr_ev_mark");
_Static_assert(sizeof(struct fr_payload_hdr) == 16, "fr_payload_hdr");
_Static_assert(sizeof(struct fr_fdinfo) == 72, "fr_fdinfo");

#endif /* FR_EVENTS_H */
