/* SPDX-License-Identifier: MIT */
/*
 * whatif.h: what-if replay, the part of `flightrec replay` that goes on
 * after the program's path leaves the recording (--what-if, implied by
 * --inject, --set-env and --set-arg).
 *
 * Strict replay (strict.c) runs the program while it does what the
 * recording shows.  At the first divergence the replay switches: every
 * thread from then on is answered by a model of the recorded environment
 * (replay/model.h) on a virtual clock, instead of stopping:
 *
 *   reads return the bytes the model has available at the virtual time
 *   (a peer's recorded answers arrive as late as they did, and later when
 *   the program sent what they answer later); poll/select/epoll and
 *   timeouts are evaluated on the virtual clock; files are the bytes the
 *   recording saw; a call the recording cannot answer is reported and
 *   fails with an error, never reaching the real file or network.
 *
 * The result holds a report (struct fr_whatif_report) of what the new path
 * did: the changes asked for, where the program left the recording, each
 * call it made afterwards and how it was answered, at which virtual time,
 * and how the program ended compared with the recording.
 */
#ifndef FR_REPLAY_WHATIF_H
#define FR_REPLAY_WHATIF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct fr_replay;
struct st_thread;
struct rp_call;

/* How a call of the new path was answered. */
enum wi_how {
	WI_HOW_MODEL = 1, /* from the model: data, time, readiness, descriptors */
	WI_HOW_RECORDED,  /* as a recorded call with the same arguments was answered */
	WI_HOW_REAL,	  /* run for real (memory, threads, signal set-up, exit) */
	WI_HOW_OUTPUT,	  /* the program's output: shown (stdout, stderr) */
	WI_HOW_ACCEPTED,  /* taken and not performed (a write to a file or a peer) */
	WI_HOW_INJECTED,  /* the result an --inject specification gave */
	WI_HOW_UNANSWERED /* the recording cannot answer it: it failed with an error */
};

/* One call of the new path. */
struct wi_event {
	uint64_t vt_ns;	   /* virtual time it returned, from the program's start */
	uint64_t enter_ns; /* virtual time it was made (waits: how long) */
	uint32_t pid, tid; /* as the program knows them */
	uint16_t nr;
	uint8_t how; /* enum wi_how */
	bool interesting;
	char *call;   /* printed as `flightrec events` prints it, with its answer */
	char *detail; /* how it was answered, for people; may be NULL */
};

/* At most this many calls are kept in the report (the rest are counted). */
#define WI_MAX_EVENTS 5000

struct fr_whatif_report {
	bool switched;	    /* the program left the recording and went on */
	uint64_t switch_ns; /* virtual time it left, from the program's start */
	char **changes;	    /* what was changed, for people ("argv[3] ...") */
	size_t n_changes;
	struct wi_event *events;
	size_t n_events;
	uint64_t events_omitted;
	uint64_t calls;	     /* calls after the switch */
	uint64_t unanswered; /* of those, failed because the recording cannot answer */
	uint64_t by_how[WI_HOW_UNANSWERED + 1];
	char **notes; /* other differences worth knowing (bytes sent differ...) */
	size_t n_notes;
	/* how it ended */
	bool ended; /* the root process ended in the replay */
	int status; /* its wait status */
	uint64_t end_ns;
	bool recorded_ended;
	int recorded_status;
	uint64_t recorded_end_ns;
	char *stuck;   /* the replay stopped: every thread waits forever (why) */
	char *summary; /* one sentence: "with ..., ...; exit 0 instead of 1" */
};

/* ---- called by strict replay (strict.c, report.c) --------------------------------- */

/* fr_replay__open: apply --set-env/--set-arg to the start and build the
 * model.  0 or -errno with a message in err. */
int wi_open(struct fr_replay *R, char *err, size_t errlen);
void wi_free(struct fr_replay *R);
/* A divergence was found (st_diverge), the replay stops there unless this
 * returns true: the model takes over once the strict loop has returned. */
bool wi_diverged(struct fr_replay *R, struct st_thread *th, const char *kind);
/* After the model took over: a divergence strict code reports now is a
 * note of the report, not an end.  True when it was taken as such. */
bool wi_note_divergence(struct fr_replay *R, struct st_thread *th, const char *kind,
			const char *reason);
/* A matched call: in what-if replay its time arguments count too (a
 * timeout set differently is a divergence).  True when the call diverged
 * (st_diverge was called). */
bool wi_check_call(struct fr_replay *R, struct st_thread *th, const struct rp_call *c);
/* The injected delays moved the program's clock (R->shift_ns changed). */
void wi_note_shift(struct fr_replay *R);
/* An injection replaced the result of recorded call c with ret. */
void wi_note_injected(struct fr_replay *R, const struct rp_call *c, int64_t ret);
/* The strict loop returned: run the model if the replay switched.  0 or
 * -errno (R->err says why). */
int wi_run(struct fr_replay *R);
/* Is the model running the program (after the switch)? */
bool wi_active(const struct fr_replay *R);

/* The report for people, after the divergence report; and as JSON. */
void wi_report_print(FILE *f, const struct fr_whatif_report *w);
json_t *wi_report_json(const struct fr_whatif_report *w);
void wi_report_free(struct fr_whatif_report *w);

#endif /* FR_REPLAY_WHATIF_H */
