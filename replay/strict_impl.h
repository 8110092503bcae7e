/* SPDX-License-Identifier: MIT */
/*
 * strict_impl.h: what the two halves of strict replay share: strict.c (the
 * recorded order: points, events from the engine, the loop, the public
 * API) and strict_calls.c (what is done with one call: serving it from
 * the recording, running it, the special calls, descriptors, files,
 * mirroring, time, injection).  Internal to replay/.
 */
#ifndef FR_REPLAY_STRICT_IMPL_H
#define FR_REPLAY_STRICT_IMPL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "formats/bundle.h"
#include "replay/engine.h"
#include "replay/fdtable.h"
#include "replay/recording.h"
#include "replay/replay.h"
#include "replay/syscall_io.h"

/* A running thread that has not stopped after this long is assumed to spin
 * waiting for another one: the recorded order is relaxed for it. */
#define SPIN_TIMEOUT_MS 3000
/* A thread running a long computation holds the others up no longer than
 * it ran in the recording (at least this long): then the next recorded
 * point is taken alongside it, as it was concurrent then. */
#define LONG_SEGMENT_MS 50
/* With every thread blocked and no point to take, give up after this. */
#define STUCK_TIMEOUT_MS 5000
#define MIRROR_CHUNK 65536
/* Descriptors of the recorded start reproduced (numbers below, at most). */
#define RP_MAX_START_FD 65536
#define RP_MAX_START_FDS 1024
#define STRSIZE 64

/* x86-64 numbers the driver treats by name */
#define NR_restart_syscall 219
#define NR_clone3 435
#define NR_execveat 322
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

enum st_state {
	S_HELD = 1,	/* new thread held at its first stop until START */
	S_RUNNING,	/* in user space */
	S_AT_ENTRY,	/* stopped at the entry of an ordered call, not yet taken */
	S_SERVED,	/* call served (skipped): held until its EXIT point */
	S_IN_REAL,	/* running an ordered call for real, its exit stop to come */
	S_REAL_DONE,	/* at the exit stop of a real call: held until its EXIT point */
	S_IN_UNORDERED, /* running futex/sched_yield for real */
	S_MID,		/* stopped in the middle of a segment (after an unordered call) */
	S_WAIT_HELD,	/* at a futex wait the recording does not show: held until
			 * its next call is due, when the wait has likely lapsed */
	S_PARKED,	/* stays stopped: the recording ends for it here */
	S_EXIT_HELD,	/* at the entry of exit/exit_group, held until the
			 * recorded death of the thread */
	S_EXITING,	/* made exit/exit_group */
	S_GONE,
};

struct st_proc {
	struct st_proc *next;
	pid_t pid;
	uint32_t rpid;
	struct rp_fdtable *fds;
	char *cwd; /* as the program believes it is (chdir is not run) */
	void *wi;  /* what-if replay's state of the process (whatif.c) */
};

struct st_thread {
	struct st_thread *next;
	struct rp_thread *t;
	struct st_proc *proc;
	int32_t rti; /* recorded thread, -1 while unknown */
	enum st_state st;
	bool would_block;	   /* in a real call that waits for another thread */
	bool free_running;	   /* spun too long: no longer holds up the others */
	uint32_t created;	   /* threads and processes created so far */
	const struct rp_call *cur; /* the call between its ENTER and EXIT points */
	bool cur_real;
	bool restarting;      /* cur, run for real, was cut by a signal and restarts */
	uint64_t clone_flags; /* the clone in progress */
	uint64_t clone_ptid;
	uint64_t clone_ctid;
	int inject_sig;	   /* sent with tgkill, its delivery to come */
	bool inject_extra; /* ... and it is not the recording's (signal=) */
	uint64_t delay_exit_ns;
	uint32_t *counts; /* invocations per syscall number (injection) */
	uint64_t last_tsc;
	uint64_t resume_ts;  /* S_MID after a wait the recording shows: when */
	bool has_resume;     /* it was woken there */
	bool wait_served;    /* S_MID at a futex wait served from the recording: */
	int64_t wait_ret;    /* it returns this when the thread goes on */
	uint64_t seg_rec_ns; /* S_RUNNING: the recorded time its segment began, */
	int64_t seg_wall_ms; /* and when it began here */
	void *wi;	     /* what-if replay's state of the thread (whatif.c) */
};

struct st_rstate {
	struct st_thread *th;
	uint32_t item;	   /* next item of the recorded thread's stream */
	uint8_t phase;	   /* 0: the next call is to be entered, 1: to be left */
	uint32_t wait_pos; /* recorded waits before this are used */
	bool started;
	bool done; /* no more points: finished, parked or gone */
};

struct fr_replay {
	struct fr_replay_opts o;
	struct fr_reader *reader;
	struct rp_recording *rec;
	struct rp_engine *eng;
	struct st_rstate *rs;
	struct st_thread *threads;
	struct st_proc *procs;
	struct fr_replay_result res;
	char err[512];
	bool stop;
	bool ran;
	int64_t shift_ns;   /* injected delays: the program's clock runs ahead */
	char injected[256]; /* the last result-changing injection */
	const struct rp_call *last[FR_REPLAY_LAST_CALLS];
	unsigned n_last, pos_last;
	struct rp_live live;
	char tmpdir[256];
	bool vdso_warned, mmap_addr_warned;
	struct timespec t0;
	int start_fds[RP_MAX_START_FDS];		   /* the recorded start's fds, */
	const struct fr_fd *start_infos[RP_MAX_START_FDS]; /* as reproduced */
	struct wi_state *wi; /* what-if replay (whatif.c), NULL in strict replay */
	uint64_t now_rec_ns; /* the recorded time of the last point taken */
};

/* ---- shared by strict.c and strict_calls.c ------------------------------- */

/* Log one line with -v. */
void st_vlog(struct fr_replay *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add a warning to the result (and log it). */
void st_warn(struct fr_replay *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Stop the replay at a divergence of kind `kind`.  `expected` is the
 * recorded call (NULL when the recording has none there), `with_live` adds
 * the call the thread is stopped at.  Only the first divergence is kept.
 */
void st_diverge(struct fr_replay *R, struct st_thread *th, const char *kind,
		const struct rp_call *expected, bool with_live, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The scheduler state / the recorded thread of a replayed thread (NULL
 * while it is not mapped). */
struct st_rstate *st_rs_of(struct fr_replay *R, struct st_thread *th);
const struct rp_rthread *st_rt_of(struct fr_replay *R, struct st_thread *th);
/* Resume a thread and set its state to `next`; a thread found gone becomes
 * S_GONE.  0 or -errno (and the replay stops). */
int st_resume(struct fr_replay *R, struct st_thread *th, enum rp_resume how, int sig,
	      enum st_state next);
/* Send the thread the next recorded signal of its segment, if any. */
void st_arm_signal(struct fr_replay *R, struct st_thread *th);
/* A recorded call, printed as `flightrec events` does (caller frees). */
char *st_print_call(const struct rp_call *c);
/* Keep `c` among the last calls for the divergence report. */
void st_remember(struct fr_replay *R, const struct rp_call *c);

/* Do what `c` needs with the matched call thread `th` is stopped at:
 * serve it, run it, or the special handling of its number. */
void st_take_call(struct fr_replay *R, struct st_thread *th, const struct rp_call *c);
/* After the exit stop of a call run for real. */
void st_post_real(struct fr_replay *R, struct st_thread *th);
/* Apply the --inject specifications to the call th is entering; true when
 * one replaced its result (*ret). */
bool st_apply_injections(struct fr_replay *R, struct st_thread *th, unsigned nr, int64_t *ret);
/* Show what a write-like call writes to the program's stdout/stderr. */
void st_mirror(struct fr_replay *R, struct st_thread *th, int64_t count);
bool st_is_write_like(uint64_t nr);
/* The time-stamp counter value for the thread's next rdtsc. */
uint64_t st_tsc_value(struct fr_replay *R, struct st_thread *th);
/* The file to really use for `path`: this machine's, else the bundle's
 * copy.  0 with the path in buf, -ENOENT when neither exists. */
int st_real_source(struct fr_replay *R, const char *path, const char *rec_build_id, char *buf,
		   size_t cap);
void st_sleep_ns(uint64_t ns);

/* ---- for what-if replay (whatif*.c), which drives the same threads ----------- */

/* The process a clone without CLONE_THREAD made (recorded pid `rpid`, 0 to
 * be set later), its descriptors shared with its parent (CLONE_FILES) or
 * copied.  NULL on ENOMEM. */
struct st_proc *st_proc_cloned(struct fr_replay *R, const struct st_thread *parent,
			       const struct rp_thread *t, uint32_t rpid);
/* A replayed thread the driver keeps (NULL on ENOMEM). */
struct st_thread *st_thread_new(struct fr_replay *R, struct rp_thread *t, struct st_proc *p);
/* Rewrite the vDSO time functions of a freshly exec'd thread into calls. */
void st_patch_vdso(struct fr_replay *R, struct rp_thread *t);
/* Follow in the process's descriptor table what call c (recorded, or made
 * up with the same shape) did. */
void st_track_fds(struct st_thread *th, const struct rp_call *c);
/* Run the execve th is stopped at (the file on this machine or the stored
 * copy), as for recorded call c. */
void st_enter_exec(struct fr_replay *R, struct st_thread *th, const struct rp_call *c);
/* Put the real file the table names at descriptor fd of the tracee (for a
 * mapping).  0 or -errno. */
int st_install_fd(struct fr_replay *R, struct st_thread *th, int fd);

#endif /* FR_REPLAY_STRICT_IMPL_H */
