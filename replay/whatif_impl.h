/* SPDX-License-Identifier: MIT */
/*
 * whatif_impl.h: what the parts of what-if replay share: whatif.c (the
 * switch from strict replay, the state the model starts from, the loop on
 * the virtual clock), whatif_calls.c (how each call of the new path is
 * answered) and whatif_report.c (the report).  Internal to replay/.
 *
 * Runtime objects.  The model (model.h) is what the recording holds and
 * never changes; what the replay does to it lives here: how far the
 * program has read each stream, what it sent and when (virtual time),
 * streams between processes of the replayed tree (their bytes are the
 * tree's own, written live), epoll sets, files the new path created.
 * Descriptors follow the kernel's shape: a table per process (shared with
 * CLONE_FILES) of entries pointing to open file descriptions (shared by
 * dup and fork), which hold the object and the file offset.
 */
#ifndef FR_REPLAY_WHATIF_IMPL_H
#define FR_REPLAY_WHATIF_IMPL_H

#include "replay/model.h"
#include "replay/strict_impl.h"
#include "replay/whatif.h"

#define WI_NONE UINT32_MAX
#define WI_INF UINT64_MAX
#define WI_MAX_FD 65536	     /* descriptor numbers the model follows */
#define WI_IO_MAX (1u << 20) /* bytes one modelled read returns at most */

/* Runtime object kinds beyond the model's (enum wm_kind). */
enum { WI_K_EPOLL = 32, WI_K_VFILE };

struct wi_live {
	uint64_t off;
	uint8_t *data;
	uint32_t len;
	uint64_t vt; /* virtual time it was written */
};

struct wi_sent {
	uint64_t end; /* offset after these bytes */
	uint64_t vt;  /* virtual time they were sent */
};

struct wi_epitem {
	int32_t fd;
	uint32_t events;
	uint64_t data;
};

struct wi_robj {
	uint8_t kind;	  /* enum wm_kind, WI_K_* */
	uint8_t source;	  /* enum wm_source, for streams */
	uint8_t fd_type;  /* enum fr_fd_type, when known */
	uint32_t mobj;	  /* the model's object, WM_NONE for one the new path made */
	uint32_t reverse; /* the other direction (runtime), WI_NONE */
	char *name;
	/* reading */
	uint64_t rd; /* bytes the tree has read (in the source's offsets) */
	struct wi_live *live;
	uint32_t n_live, cap_live;
	uint64_t live_len;
	unsigned writers; /* open write ends in the tree (live streams) */
	bool live_eof;
	uint64_t live_eof_vt;
	/* writing: what the tree sent into this object */
	struct wi_sent *sent;
	uint32_t n_sent, cap_sent;
	uint64_t sent_len;
	bool differs_noted;
	uint64_t connect_vt; /* the tree connected (this reading side) then, 0 */
	/* WI_K_EPOLL */
	struct wi_epitem *ep;
	uint32_t n_ep, cap_ep;
	/* WM_LISTEN */
	uint32_t next_accept;
	/* WI_K_VFILE: what the new path wrote (files are never written) */
	uint8_t *vdata;
	uint64_t vlen;
	/* reported once */
	bool noted_end, noted_unknown;
};

/* An open file description. */
struct wi_ofd {
	unsigned refs;
	uint32_t obj;	 /* runtime object, WI_NONE: unknown */
	uint64_t pos;	 /* files: offset; directories: next recorded answer */
	uint32_t flags;	 /* O_* status flags (O_NONBLOCK, O_APPEND, access mode) */
	bool can_write;	 /* a write end (pipe), or both (sockets) */
	uint32_t wr_obj; /* counted among the writers of this object, WI_NONE */
	char *path;	 /* the name it was opened by, absolute */
};

struct wi_fdt {
	unsigned refs; /* processes sharing it (CLONE_FILES) */
	struct wi_ofd **ofd;
	uint8_t *cloexec;
	int cap;
};

struct wi_proc {
	struct wi_fdt *fdt;
	uint64_t alarm_vt; /* ITIMER_REAL fires then (virtual), 0: not armed */
	uint64_t alarm_interval;
};

enum wi_tstate {
	W_RUN = 1, /* resumed: in user space or in a real call; a stop will come */
	W_REAL,	   /* in a real call that may wait for another thread or process */
	W_READY,   /* stopped: to be answered or resumed */
	W_BLOCK,   /* stopped at a call the model answers later (virtual time) */
	W_GONE,
};

struct wi_thread {
	struct st_thread *th;
	enum wi_tstate ws;
	bool at_call;	   /* W_READY / W_BLOCK: stopped at a call's entry */
	bool model_real;   /* a real call the model let run: its exit stop to come */
	bool entered;	   /* the current call's entry was taken (injections done) */
	bool inj_result;   /* an injection replaced its result: */
	int64_t inj_ret;   /* this one */
	uint64_t enter_vt; /* virtual time the current call was made */
	uint64_t wake;	   /* W_BLOCK: look again then (WI_INF: when something changes) */
	uint64_t tsc_last;
	int64_t run_since_ms; /* W_RUN: wall clock it was let go (spinning threads) */
	uint64_t cpu_ns;      /* its CPU time at its last call (computation) */
	int stat_fd;	      /* its /proc/TID/schedstat, -1: not open */
	bool spinning;	      /* ran on too long: does not hold the others up */
	/* futex emulation: waiting on this word */
	bool fx_waiting;
	uint64_t fx_addr;
	uint32_t fx_bitset;
	uint32_t fx_val;
	bool fx_woken;
	uint64_t fx_deadline;
	int64_t fx_extra;	 /* a wake run for real too: waiters the model woke */
	struct wi_thread *qnext; /* ready queue */
	bool queued;
	char why[256]; /* W_BLOCK: what it waits for */
	bool in_time;  /* its last wait with a time limit ended ready */
};

/* What a handler decides for a call. */
enum wi_verdict {
	WI_ANSWER = 1, /* skip it with `ret` and the outputs below */
	WI_BLOCK,      /* not yet: look again at virtual time `wake` */
	WI_RUN_REAL,   /* let it run in the kernel */
};

struct wi_answer {
	enum wi_verdict v;
	int64_t ret;
	uint8_t how; /* enum wi_how */
	bool interesting;
	bool real_may_block; /* WI_RUN_REAL: it may wait for someone else */
	bool resumed;	     /* WI_RUN_REAL: the handler already let it go */
	bool report_now;     /* WI_RUN_REAL: report it at entry (it does not return) */
	uint64_t wake;
	struct fr_payload out[FR_MAX_PAYLOADS];
	uint32_t n_out;
	const struct rp_call *as; /* WI_ANSWER: serve this recorded call's outputs instead */
	char detail[640];
};

struct wi_state {
	struct wm_model *m;
	struct fr_whatif_report rep;
	bool pending; /* a divergence: the model takes over after the strict loop */
	bool active;
	uint64_t vnow; /* the virtual clock: the bundle's clock plus the injected delays */
	struct {
		uint64_t rec_ns;
		int64_t shift;
	} * shifts; /* R->shift_ns from recorded time rec_ns on */
	uint32_t n_shifts, cap_shifts;
	struct {
		uint32_t seq;
		int64_t ret;
	} * injected; /* recorded calls whose result an injection replaced */
	uint32_t n_injected, cap_injected;
	struct wi_robj *objs;
	uint32_t n_objs, cap_objs;
	uint32_t *of_mobj;     /* model object -> runtime object */
	uint8_t *connect_used; /* per model connect */
	uint64_t random_off;   /* random bytes of the recording used */
	struct wi_thread *q_head, *q_tail;
	bool changed;		   /* a stream got bytes, a futex word moved: look again */
	void *bufs;		   /* answers' bytes (wi_buf), freed by wi_buf_reset */
	uint32_t next_virtual_pid; /* ids of what the new path creates */
	/* the first new data the program read, for the summary */
	bool new_data_seen;
	char new_data[512];
	char first_output[256];
	char first_unanswered[400];
	char late_data[512];
	bool timeout_arg;
	char timeout_text[256];
};

/* ---- whatif.c ------------------------------------------------------------------------ */

/* Virtual time, from the program's start, in ms, for people. */
double wi_ms(const struct wi_state *W, uint64_t vt);
/* The runtime object of model object `mobj` (made on first use). */
uint32_t wi_robj_of(struct fr_replay *R, uint32_t mobj);
/* A new runtime object of kind `kind` with no model object. */
uint32_t wi_robj_new(struct fr_replay *R, uint8_t kind, const char *name);
struct wi_thread *wi_thread_of(struct fr_replay *R, struct st_thread *th);
struct wi_proc *wi_proc_of(struct fr_replay *R, struct st_proc *p);
/* Descriptor tables. */
struct wi_ofd *wi_fd_get(struct wi_proc *p, int fd);
int wi_fd_install(struct fr_replay *R, struct wi_proc *p, int fd, struct wi_ofd *o, bool cloexec);
int wi_fd_lowest(struct wi_proc *p, int min);
void wi_fd_close(struct fr_replay *R, struct wi_proc *p, int fd);
void wi_fd_set_cloexec(struct wi_proc *p, int fd, bool on);
bool wi_fd_cloexec(struct wi_proc *p, int fd);
struct wi_ofd *wi_ofd_new(uint32_t obj, uint32_t flags, const char *path);
void wi_ofd_put(struct fr_replay *R, struct wi_ofd *o);
/* The description now knows its object (and, for a write end, counts
 * among the writers where its bytes arrive). */
void wi_ofd_set_obj(struct fr_replay *R, struct wi_ofd *o, uint32_t obj);
/* Where bytes written through runtime object obj arrive (WI_NONE: they
 * leave the model: files, terminals). */
uint32_t wi_dest_of(struct fr_replay *R, uint32_t obj);
void wi_epoll_ctl(struct fr_replay *R, uint32_t epobj, int op, int fd, const struct fr_payload *ev);
/* The tree sent `len` bytes (`data`) into runtime object `obj` at virtual
 * time vt: kept for the peer's timing, compared with what was recorded,
 * and readable at once when the reading end is the tree's own. */
void wi_sent(struct fr_replay *R, uint32_t obj, const uint8_t *data, uint64_t len, uint64_t vt);
/* When the recorded chunk with this dependency can be there (virtual),
 * given what the tree has sent on the other direction; WI_INF: not until
 * the tree sends more. */
uint64_t wi_avail_vt(struct fr_replay *R, const struct wi_robj *o, uint64_t rec_ns, uint64_t dep);
/* Add a line to the report's notes (once per text). */
void wi_note(struct fr_replay *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Scratch for an answer's bytes (NULL on ENOMEM), valid until
 * wi_buf_reset, which the loop calls once the answer is given. */
uint8_t *wi_buf(struct fr_replay *R, size_t len);
void wi_buf_reset(struct fr_replay *R);

/* ---- whatif_calls.c ------------------------------------------------------------------ */

/* Decide what to do with the call `wt` is stopped at (R->live holds its
 * inputs).  Fills `a`. */
void wi_handle_call(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a);
/* Fix up a real call the model let run, at its exit stop. */
void wi_after_real(struct fr_replay *R, struct wi_thread *wt);
/* Readiness for poll-like calls: POLLIN/POLLOUT/POLLHUP bits of fd now,
 * and in *next the virtual time it may change (WI_INF: not by itself). */
unsigned wi_fd_ready(struct fr_replay *R, struct wi_proc *p, int fd, uint64_t *next);
/* The recorded process id the program knows a real pid by, and back. */
uint32_t wi_virtual_pid(struct fr_replay *R, pid_t real);
pid_t wi_real_pid(struct fr_replay *R, uint32_t vpid, bool thread);

/* ---- whatif_report.c ----------------------------------------------------------------- */

/* Keep one answered call in the report. */
void wi_report_call(struct fr_replay *R, struct wi_thread *wt, const struct wi_answer *a);
/* The end of the replay: outcome and summary. */
void wi_report_finish(struct fr_replay *R);
/* A call printed as `flightrec events` prints it, with result and outputs. */
char *wi_print_live(struct fr_replay *R, struct wi_thread *wt, int64_t ret,
		    const struct fr_payload *out, uint32_t n_out, bool show_result);

#endif /* FR_REPLAY_WHATIF_IMPL_H */
