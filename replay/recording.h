/* SPDX-License-Identifier: MIT */
/*
 * recording.h: the recorded side of a replay.
 *
 * Loads from a bundle everything replaying one recorded process tree
 * needs, in memory: each recorded thread's stream (its system calls, with
 * their payloads copied, and the signals delivered to it, in order), who
 * created which thread and when, how each thread ended, and how the root
 * process was started (executable, argv, environment, cwd, descriptors,
 * rlimits).  Nothing here knows about ptrace: part 2 (what-if replay)
 * reads the same object.
 *
 * The bundle is hostile input: counts and lengths are bounded by what the
 * reader validated; times that go backwards within a thread are clamped.
 */
#ifndef FR_REPLAY_RECORDING_H
#define FR_REPLAY_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/bundle.h"

/* rp_call.flags */
#define RP_CALL_UNFINISHED                                                                         \
	0x1		       /* entered, never returned in the recording (FR_SC_NO_EXIT          \
				* on a call that returns: the thread was blocked in it when        \
				* its process ended or the recording stopped) */
#define RP_CALL_INCOMPLETE 0x2 /* a payload was truncated or unreadable when recorded */

/* One recorded system call. */
struct rp_call {
	struct fr_ev_syscall sc; /* number, arguments, result, enter time, flags */
	uint64_t exit_ns;	 /* the event's time: exit (or enter when it never returned) */
	uint32_t pid, tid;	 /* recorded ids */
	uint32_t seq;		 /* position among all calls of the tree (bundle order) */
	uint32_t index;		 /* position in its thread's calls (0-based) */
	uint32_t flags;		 /* RP_CALL_* */
	uint32_t n_payloads;
	struct fr_payload *payloads; /* data copied into the recording's arena */
};

enum rp_item_kind {
	RP_ITEM_CALL = 1,
	RP_ITEM_SIGNAL,
	RP_ITEM_WAIT, /* a futex wait that slept: when the thread was woken */
};

/* One entry of a thread's stream. */
struct rp_item {
	uint32_t kind; /* enum rp_item_kind */
	uint32_t call; /* RP_ITEM_CALL: index into rp_recording.calls */
	int32_t sig;   /* RP_ITEM_SIGNAL: signal, si_code, handler */
	int32_t code;
	uint64_t handler;
	uint64_t ts_ns;	   /* SIGNAL: delivery time; WAIT: when the wait ended */
	uint64_t enter_ns; /* WAIT: when it began */
	int64_t ret;	   /* WAIT: its result */
};

/* A recorded thread. */
struct rp_rthread {
	uint32_t tid, pid;
	uint32_t parent_tid;  /* the thread that created it; 0 for the replayed root */
	uint64_t clone_flags; /* of the creating call (fork event), 0 for the root */
	uint64_t start_ns;    /* creation (fork event) or, for the root, its exec */
	uint32_t n_children;  /* threads and processes it created, in order: */
	uint32_t *children;   /* indexes into rp_recording.threads */
	struct rp_item *items;
	uint32_t n_items;
	uint32_t n_calls;    /* RP_ITEM_CALL items */
	uint32_t unordered;  /* calls left out of the stream (futex, ...: see below) */
	bool exited;	     /* its exit was recorded: */
	int32_t exit_status; /* wait(2) status */
	uint64_t exit_ns;
	uint32_t cap_items, cap_children; /* private */
};

/* How the root process was started. */
struct rp_start {
	uint32_t pid;
	char *exec_path;       /* the file name passed to execve (exec event), else the exe */
	char *exe;	       /* the resolved executable (process table), may be NULL */
	char *exe_build_id;    /* may be NULL */
	char **argv;	       /* NULL-terminated */
	char **env;	       /* NULL-terminated */
	char *cwd;	       /* may be NULL */
	int32_t *fds;	       /* descriptors open at start */
	struct fr_fd *fd_info; /* their recorded description (path, type), n_fds of them */
	size_t n_fds;
	struct fr_rlimit *rlimits;
	size_t n_rlimits;
	uint64_t exec_ns;
};

/* A file the recording knows by path: mapped by a recorded process,
 * executed, or stored in the bundle (--with-files). */
struct rp_known_file {
	char *path;
	char *build_id; /* hex, NULL when unknown */
	bool stored;	/* the bundle holds a copy under this build-id */
};

struct rp_known_proc {
	uint32_t pid;
	char *exe;
	char *exe_build_id;
};

struct rp_recording {
	struct rp_call *calls; /* bundle order */
	uint32_t n_calls;
	struct rp_rthread *threads; /* creation order; threads[0] is the root */
	uint32_t n_threads;
	struct rp_start start;
	struct fr_manifest manifest_info; /* host, clocks (no owned JSON) */
	uint64_t lost_events;	    /* FR_EV_LOST counts inside the replayed tree's time span */
	uint64_t incomplete_calls;  /* calls with truncated or faulted payloads */
	uint64_t first_ns, last_ns; /* span of the replayed events */
	bool root_exited;
	int32_t root_exit_status;
	struct rp_known_file *files;
	size_t n_files;
	struct rp_known_proc *procs; /* every process of the bundle's table */
	size_t n_procs;
	/* private */
	void *arena;
	uint32_t cap_calls, cap_threads;
	void *tid_index;
};

/*
 * Is this call left out of the ordered streams?  futex and sched_yield
 * between threads of the replayed program run for real, and how many of
 * them a program makes depends on timing (lock contention), not on its
 * inputs; strict replay neither matches nor orders them.  (The futex waits
 * that slept stay in the stream as RP_ITEM_WAIT hints of when the thread
 * was woken.)  This function cannot fail.
 */
bool rp_call_is_unordered(unsigned nr);

/*
 * Load the tree of recorded process `pid` (0: the bundle's root process),
 * from its first exec in the bundle to its end.  Returns 0 or -errno with
 * a message in `err` (e.g. the process was not recorded from its exec).
 * `r` is only read; the recording holds copies of everything it needs.
 */
int rp_recording__load(struct fr_reader *r, uint32_t pid, struct rp_recording **out, char *err,
		       size_t errlen);
void rp_recording__free(struct rp_recording *rec);

/* The recorded thread with id `tid` (the latest incarnation), or NULL. */
struct rp_rthread *rp_recording__thread(const struct rp_recording *rec, uint32_t tid);

/* The build-id the recording knows for the file at `path`, or NULL. */
const char *rp_recording__build_id(const struct rp_recording *rec, const char *path);
/* The build-id under which the bundle stores a copy of the file with this
 * build-id, or (build_id NULL) of the file at `path`; NULL when none. */
const char *rp_recording__stored(const struct rp_recording *rec, const char *build_id,
				 const char *path);
/* What the process table says process `pid` executed, or NULL. */
const struct rp_known_proc *rp_recording__proc(const struct rp_recording *rec, uint32_t pid);

/* Payload of a call by kind/arg/part (-1 = any), or NULL. */
const struct fr_payload *rp_call_payload(const struct rp_call *c, int kind, int arg, int part);

/* The call as a decoded event (for printing with formats/print.h); payloads
 * point into the recording. */
void rp_call_to_event(const struct rp_call *c, struct fr_event *ev);

#endif /* FR_REPLAY_RECORDING_H */
