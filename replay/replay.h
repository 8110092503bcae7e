/* SPDX-License-Identifier: MIT */
/*
 * replay.h: strict replay of a recorded process tree (`flightrec replay`).
 *
 *   struct fr_replay *rp;
 *   fr_replay__open("x.frb", &opts, &rp, err, sizeof(err));
 *   fr_replay__run(rp);                 // re-executes the program
 *   res = fr_replay__result(rp);        // completed? diverged where?
 *   fr_replay__free(rp);
 *
 * The program runs for real under ptrace (replay/engine.h); its inputs and
 * its environment come from the recording (replay/recording.h); its
 * outputs are compared with the recording and never performed; what it
 * wrote to its stdout and stderr is mirrored onto the descriptors given in
 * the options.  docs/replay.md describes what strict replay reproduces and
 * what it cannot.
 */
#ifndef FR_REPLAY_H
#define FR_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "replay/inject.h"

/* --set-arg N=VALUE: argument N of the program (0: its name) is VALUE. */
struct fr_replay_set_arg {
	unsigned index;
	const char *value;
};

struct fr_replay_opts {
	uint32_t pid;			 /* recorded process to replay; 0: the root */
	const struct rp_inject *injects; /* --inject specifications */
	size_t n_injects;
	int mirror_stdout_fd; /* the program's stdout goes here; -1: nowhere */
	int mirror_stderr_fd; /* and its stderr here */
	bool verbose;	      /* log every replayed call on `log` */
	bool no_sleep;	      /* injected delays shift the program's clock
			       * without the replayer sleeping */
	FILE *log;	      /* NULL: stderr */
	/* What-if replay (replay/whatif.h): after the first divergence, go on
	 * against a model of the recorded environment instead of stopping.
	 * Implied by set_env and set_args (not by injects: the library keeps
	 * strict replay's meaning of those; the command line implies it). */
	bool what_if;
	const char *const *set_env; /* NAME=VALUE: the program's environment, changed */
	size_t n_set_env;
	const struct fr_replay_set_arg *set_args; /* the program's arguments, changed */
	size_t n_set_args;
};

/* Calls kept for the "last syscalls" part of a divergence report. */
#define FR_REPLAY_LAST_CALLS 8

struct fr_replay_divergence {
	char kind[32];	   /* "syscall", "arguments", "data", "signal", "exit", "extra-call",
			    * "missing-call", "unsupported", "incomplete-recording", "stuck",
			    * "serve-failed", "result", "extra-thread" */
	char reason[512];  /* one line for people */
	uint32_t pid, tid; /* recorded ids of the thread */
	int32_t real_tid;
	uint64_t thread_call;  /* 1-based position among the thread's recorded calls */
	uint64_t global_call;  /* 1-based position among all recorded calls */
	char *expected;	       /* the recorded call, printed; NULL when none */
	char *actual;	       /* the call the program made, printed; NULL when none */
	json_t *expected_json; /* the same, as `flightrec events --json` objects */
	json_t *actual_json;
	char *last[FR_REPLAY_LAST_CALLS]; /* recent recorded calls, oldest first */
	unsigned n_last;
	char injection[256]; /* the injection that fired before, if any */
};

struct fr_replay_result {
	bool completed;	       /* every recorded call replayed, no divergence */
	bool end_of_recording; /* the recording ended before the program did */
	unsigned divergences;  /* 0 or 1: strict replay stops at the first */
	bool recorded_exit_known;
	int recorded_status; /* wait(2) status of the root process */
	bool replayed_exit_known;
	int replayed_status;
	uint64_t syscalls_recorded; /* ordered calls of the replayed tree */
	uint64_t syscalls_replayed; /* of those, matched and served or run */
	uint64_t syscalls_emulated;
	uint64_t syscalls_real;
	uint64_t unordered_calls; /* futex, sched_yield: run, not compared */
	uint64_t signals_delivered;
	uint64_t signals_suppressed; /* arrived in the replay, not in the recording */
	uint64_t injections;	     /* injections that fired */
	uint64_t order_relaxations;  /* times the recorded order had to be left to
				      * avoid a deadlock or a spinning thread */
	uint64_t mirrored_bytes;
	uint64_t threads;
	double elapsed_s;
	struct fr_replay_divergence *first; /* the first divergence, or NULL */
	struct fr_whatif_report *whatif;    /* what-if replay: what the new path did */
	char **warnings;
	size_t n_warnings;
};

struct fr_replay;
struct fr_whatif_report;

/* Open the bundle and load the recording.  Returns 0 or -errno with a
 * message in `err`. */
int fr_replay__open(const char *bundle_path, const struct fr_replay_opts *o, struct fr_replay **out,
		    char *err, size_t errlen);
/*
 * Replay.  Returns 0 when the replay ran to its end (completed, diverged or
 * reached the end of the recording: see the result), or -errno when it
 * could not run (fr_replay__strerror says why).
 */
int fr_replay__run(struct fr_replay *r);
const struct fr_replay_result *fr_replay__result(const struct fr_replay *r);
const char *fr_replay__strerror(const struct fr_replay *r);
void fr_replay__free(struct fr_replay *r);

/* The result as the --json object (new reference). */
json_t *fr_replay_result__json(const struct fr_replay_result *res);
/* The result for people: the divergence report or a one-line summary. */
void fr_replay_result__print(FILE *f, const struct fr_replay_result *res);

/* Exit status as a shell shows it: the code, or 128 + signal. */
int fr_replay_status_code(int wstatus);

#endif /* FR_REPLAY_H */
