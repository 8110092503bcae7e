// SPDX-License-Identifier: MIT
/*
 * strict.c: strict replay, the driver of the ptrace engine (see replay.h).
 *
 * Scheduling.  Every recorded call has two points in time: its entry and
 * its exit; every recorded thread also has a start (its fork event, or the
 * exec for the root).  Replay walks these points in recorded order, one
 * thread's points after another's as the clock of the recording says:
 *
 *   START(T)   T's first stop is held until then; T starts running.
 *   ENTER(c)   T must be stopped at the entry of its next call: it is
 *              compared with c, then served (skipped with c's result and
 *              outputs) or run for real.
 *   EXIT(c)    T is let go into user space after c, with the signals the
 *              recording delivered to it next.
 *
 * A thread let go runs alone until its next stop (other threads are held
 * at their stops), so the interleaving of user-space segments follows the
 * recording and the program's shared memory sees its threads in the
 * recorded order.  futex and sched_yield are not matched nor ordered (how
 * many a program makes depends on timing): they run for real inside the
 * segment that makes them; a futex wait that would block lets the replay
 * go on with the other threads until it is woken.  When the recorded order
 * cannot be kept (all threads wait on each other, or a thread spins in user
 * space waiting for another one), the earliest point that can be taken is
 * taken and the relaxation counted.
 *
 * Signals are the recording's: a signal the recording shows delivered after
 * a call is sent (tgkill) when the thread leaves that call; signals the
 * replay produces on its own are dropped, except faults the program causes
 * itself (SIGSEGV at a bad address...), which are delivered.
 */

#include "replay/strict_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"
#include "replay/arch/x86_64/vdso.h"
#include "replay/whatif.h"

/* ---- logging -------------------------------------------------------------------- */

void st_vlog(struct fr_replay *R, const char *fmt, ...)
{
	va_list ap;

	if (!R->o.verbose)
		return;
	va_start(ap, fmt);
	fputs("replay: ", R->o.log);
	vfprintf(R->o.log, fmt, ap);
	fputc('\n', R->o.log);
	va_end(ap);
}

void st_warn(struct fr_replay *R, const char *fmt, ...)
{
	char buf[1024], **n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = realloc(R->res.warnings, (R->res.n_warnings + 1) * sizeof(*n));
	if (!n)
		return;
	R->res.warnings = n;
	n[R->res.n_warnings] = strdup(buf);
	if (n[R->res.n_warnings])
		R->res.n_warnings++;
	st_vlog(R, "warning: %s", buf);
}

/* ---- printing calls ------------------------------------------------------------- */

static char *print_event(const struct fr_event *ev)
{
	struct fr_print_opts po = {.strsize = STRSIZE};
	struct fr_sb sb;
	char *s;

	fr_sb_init(&sb);
	fr_print_event_details(&sb, ev, &po);
	s = strdup(fr_sb_str(&sb));
	fr_sb_free(&sb);
	return s;
}

char *st_print_call(const struct rp_call *c)
{
	struct fr_event ev;

	rp_call_to_event(c, &ev);
	return print_event(&ev);
}

static json_t *call_json(const struct fr_event *ev)
{
	struct fr_print_opts po = {.strsize = STRSIZE};
	json_t *o = json_object();

	if (o)
		fr_event_to_json(o, ev, &po);
	return o;
}

void st_remember(struct fr_replay *R, const struct rp_call *c)
{
	R->last[R->pos_last] = c;
	R->pos_last = (R->pos_last + 1) % FR_REPLAY_LAST_CALLS;
	if (R->n_last < FR_REPLAY_LAST_CALLS)
		R->n_last++;
}

/* ---- divergence ------------------------------------------------------------------ */

struct st_rstate *st_rs_of(struct fr_replay *R, struct st_thread *th)
{
	return th && th->rti >= 0 ? &R->rs[th->rti] : NULL;
}

const struct rp_rthread *st_rt_of(struct fr_replay *R, struct st_thread *th)
{
	return th && th->rti >= 0 ? &R->rec->threads[th->rti] : NULL;
}

/* See strict_impl.h. */
void st_diverge(struct fr_replay *R, struct st_thread *th, const char *kind,
		const struct rp_call *expected, bool with_live, const char *fmt, ...)
{
	struct fr_replay_divergence *d;
	const struct rp_rthread *rt = st_rt_of(R, th);
	struct st_rstate *rs = st_rs_of(R, th);
	struct fr_event ev;
	va_list ap;
	unsigned i;

	if (R->wi && wi_active(R)) {
		/* What-if replay is past the recording: a note, not an end. */
		char reason[512];

		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
		if (wi_note_divergence(R, th, kind, reason))
			return;
	}
	R->stop = true;
	if (R->res.first)
		return;
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	R->res.first = d;
	R->res.divergences = 1;
	snprintf(d->kind, sizeof(d->kind), "%s", kind);
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
	if (rt) {
		d->pid = rt->pid;
		d->tid = rt->tid;
	}
	if (th && th->t)
		d->real_tid = th->t->tid;
	if (expected) {
		d->thread_call = expected->index + 1ull;
		d->global_call = expected->seq + 1ull;
		rp_call_to_event(expected, &ev);
		d->expected = print_event(&ev);
		d->expected_json = call_json(&ev);
	} else if (rt && rs) {
		d->thread_call = rt->n_calls + 1ull;
	}
	if (with_live && th && th->t && th->t->state == RP_TS_ENTER) {
		if (rp_live_read(th->t, &R->live) == 0) {
			rp_live_to_event(&R->live, d->pid, d->tid, &ev);
			d->actual = print_event(&ev);
			d->actual_json = call_json(&ev);
		}
	}
	for (i = 0; i < R->n_last; i++) {
		unsigned k =
		    (R->pos_last + FR_REPLAY_LAST_CALLS - R->n_last + i) % FR_REPLAY_LAST_CALLS;
		const struct rp_call *c = R->last[k];
		char *s = st_print_call(c);
		size_t need = (s ? strlen(s) : 0) + 64;
		char *line = malloc(need);

		if (line)
			snprintf(line, need, "#%u %u/%u %s", c->seq + 1, c->pid, c->tid,
				 s ? s : "?");
		free(s);
		if (line)
			d->last[d->n_last++] = line;
	}
	snprintf(d->injection, sizeof(d->injection), "%s", R->injected);
	st_vlog(R, "divergence (%s): %s", kind, d->reason);
	if (R->wi)
		wi_diverged(R, th, kind);
}

/* ---- threads and processes ------------------------------------------------------- */

static struct st_proc *proc_new(struct fr_replay *R, pid_t pid, uint32_t rpid,
				struct rp_fdtable *fds, const char *cwd)
{
	struct st_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	p->rpid = rpid;
	p->fds = fds;
	p->cwd = cwd ? strdup(cwd) : NULL;
	p->next = R->procs;
	R->procs = p;
	return p;
}

struct st_proc *st_proc_cloned(struct fr_replay *R, const struct st_thread *parent,
			       const struct rp_thread *t, uint32_t rpid)
{
	struct rp_fdtable *fds;

	if (t->clone_flags & CLONE_FILES) {
		fds = parent->proc->fds;
		fds->refs++;
	} else {
		fds = rp_fdtable__copy(parent->proc->fds);
	}
	return fds ? proc_new(R, t->pid, rpid, fds, parent->proc->cwd) : NULL;
}

static struct st_thread *thread_new(struct fr_replay *R, struct rp_thread *t, struct st_proc *p)
{
	struct st_thread *th = calloc(1, sizeof(*th));

	if (!th)
		return NULL;
	th->t = t;
	th->proc = p;
	th->rti = -1;
	th->next = R->threads;
	R->threads = th;
	t->user = th;
	R->res.threads++;
	return th;
}

struct st_thread *st_thread_new(struct fr_replay *R, struct rp_thread *t, struct st_proc *p)
{
	return thread_new(R, t, p);
}

static void map_thread(struct fr_replay *R, struct st_thread *th, uint32_t rti)
{
	th->rti = (int32_t)rti;
	R->rs[rti].th = th;
}

/* Is any thread in user space or in a call that will stop soon, so that
 * waiting for an event makes progress?  `except` is not counted. */
static bool anything_moving(struct fr_replay *R, const struct st_thread *except)
{
	struct st_thread *th;

	if (R->eng && rp_engine__expecting(R->eng))
		return true; /* a new thread's first stop is on its way */
	for (th = R->threads; th; th = th->next) {
		if (th == except)
			continue;
		switch (th->st) {
		case S_RUNNING:
			if (!th->free_running)
				return true;
			break;
		case S_IN_REAL:
		case S_IN_UNORDERED:
		case S_EXITING:
			if (!th->would_block)
				return true;
			break;
		case S_GONE:
			/* found gone on resume: its death report is on its way */
			if (th->t->state != RP_TS_DEAD)
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

/* Is a thread running in user space (serialization: only one at a time)? */
static bool someone_running(struct fr_replay *R, const struct st_thread *except)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next) {
		if (th == except)
			continue;
		if (th->st == S_RUNNING && !th->free_running)
			return true;
		/* a futex call that will not sleep is part of its segment */
		if (th->st == S_IN_UNORDERED && !th->would_block)
			return true;
	}
	return false;
}

static bool someone_blocked(struct fr_replay *R)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next)
		if ((th->st == S_IN_REAL || th->st == S_IN_UNORDERED) && th->would_block)
			return true;
	return false;
}

/* ---- resuming --------------------------------------------------------------------- */

int st_resume(struct fr_replay *R, struct st_thread *th, enum rp_resume how, int sig,
	      enum st_state next)
{
	int err = rp_thread__resume(th->t, how, sig);

	if (err == -ESRCH) {
		/* killed meanwhile (its whole process exited): reported by
		 * the next wait */
		st_vlog(R, "thread %d is gone (resuming it from state %d)", th->t->tid, th->st);
		th->st = S_GONE;
		return 0;
	}
	if (err) {
		snprintf(R->err, sizeof(R->err), "resuming thread %d: %s", th->t->tid,
			 strerror(-err));
		R->stop = true;
		return err;
	}
	th->st = next;
	return 0;
}

/* A signal item the replay sends itself (the others are faults the program
 * causes, which happen on their own). */
static bool injectable(const struct rp_item *it)
{
	switch (it->sig) {
	case SIGKILL:
		/* The kernel's doing when another thread calls exit_group or
		 * execve (or a kill from outside, handled at the thread's
		 * end): it happens on its own when that call runs. */
		return false;
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
	case SIGSYS:
		return it->code <= 0; /* sent by a process, not raised by the CPU */
	default:
		return true;
	}
}

/* The next recorded signal of the thread's current segment (before its
 * next call), or -1. */
static int32_t next_signal_item(struct fr_replay *R, struct st_thread *th)
{
	struct st_rstate *rs = st_rs_of(R, th);
	const struct rp_rthread *rt = st_rt_of(R, th);
	uint32_t j;

	if (!rs)
		return -1;
	for (j = rs->item; j < rt->n_items; j++) {
		if (rt->items[j].kind == RP_ITEM_SIGNAL)
			return (int32_t)j;
		if (rt->items[j].kind == RP_ITEM_CALL)
			break;
	}
	return -1;
}

/* Send the next recorded signal of the thread, if the stream has one now. */
void st_arm_signal(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_rthread *rt = st_rt_of(R, th);
	const struct rp_item *it;
	int32_t j = next_signal_item(R, th);

	if (j < 0 || th->inject_sig)
		return;
	it = &rt->items[j];
	if (!injectable(it))
		return;
	if (rp_thread__kill(th->t, it->sig) == 0) {
		th->inject_sig = it->sig;
		th->inject_extra = false;
	}
}

static void release_wait(struct fr_replay *R, struct st_thread *th);
static void resume_mid(struct fr_replay *R, struct st_thread *th, uint64_t rec_ns);

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The thread starts a user-space segment that began at rec_ns in the
 * recording. */
static void running_since(struct st_thread *th, uint64_t rec_ns)
{
	th->seg_rec_ns = rec_ns;
	th->seg_wall_ms = wall_ms();
}

/* ---- the points ---------------------------------------------------------------------- */

/* Kinds in the order they are taken when times are equal. */
enum pt_kind { PT_EXIT = 1, PT_RESUME = 2, PT_START = 3, PT_ENTER = 4 };

struct point {
	int kind;
	uint32_t rti;
	uint64_t ts;
	uint32_t seq;
	uint32_t item; /* PT_ENTER / PT_EXIT: the call's item */
	const struct rp_call *call;
};

/* The next point of recorded thread rti, if it has one. */
static bool head_point(struct fr_replay *R, uint32_t rti, struct point *p)
{
	const struct rp_rthread *rt = &R->rec->threads[rti];
	struct st_rstate *rs = &R->rs[rti];
	uint32_t j;

	if (rs->done)
		return false;
	p->rti = rti;
	if (!rs->started) {
		p->kind = PT_START;
		p->ts = rt->start_ns;
		p->seq = rti;
		p->call = NULL;
		return true;
	}
	if (rs->th && rs->th->st == S_MID && rs->th->has_resume) {
		/* woken from a wait the recording shows: go on when it did */
		p->kind = PT_RESUME;
		p->ts = rs->th->resume_ts;
		p->seq = rti;
		p->call = NULL;
		return true;
	}
	for (j = rs->item; j < rt->n_items && rt->items[j].kind != RP_ITEM_CALL; j++)
		;
	if (j >= rt->n_items)
		return false;
	p->item = j;
	p->call = &R->rec->calls[rt->items[j].call];
	p->seq = p->call->seq;
	if (rs->phase == 0) {
		p->kind = PT_ENTER;
		p->ts = p->call->sc.enter_ns;
	} else {
		/* A call that never returned has no exit, except a successful
		 * exec, which capture reports without one. */
		uint64_t nr = p->call->sc.nr;

		if ((p->call->flags & RP_CALL_UNFINISHED) && nr != SYS_execve &&
		    nr != NR_execveat && nr != SYS_exit && nr != SYS_exit_group)
			return false;
		p->kind = PT_EXIT;
		p->ts = p->call->exit_ns;
		/* exit's "exit point" is the thread's recorded death */
		if ((nr == SYS_exit || nr == SYS_exit_group) && rt->exited)
			p->ts = FR_MAX(rt->exit_ns, p->call->sc.enter_ns);
	}
	return true;
}

static bool point_before(const struct point *a, const struct point *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->seq < b->seq;
}

enum { CAN_NO = 0, CAN_YES, CAN_WAIT };

/* Is a call being run for real, about to reach its exit stop?  Nothing
 * else is taken meanwhile: two threads' mmaps in flight at once would get
 * their addresses in either order. */
static bool real_in_flight(struct fr_replay *R)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next)
		if (th->st == S_IN_REAL && !th->would_block)
			return true;
	return false;
}

static int can_take(struct fr_replay *R, const struct point *p)
{
	struct st_rstate *rs = &R->rs[p->rti];
	struct st_thread *th = rs->th;

	if (real_in_flight(R))
		return CAN_WAIT;
	switch (p->kind) {
	case PT_START:
		if (!th)
			return anything_moving(R, NULL) ? CAN_WAIT : CAN_NO;
		if (th->st != S_HELD)
			return CAN_WAIT;
		/* The creator's clone must be finished (its fixes to the new
		 * thread's memory done), unless it waits for the child (vfork). */
		{
			struct rp_thread *pt = th->t->parent;
			struct st_thread *parent = pt ? pt->user : NULL;

			if (parent && parent->st == S_IN_REAL && !parent->would_block)
				return CAN_WAIT;
		}
		return someone_running(R, th) ? CAN_WAIT : CAN_YES;
	case PT_RESUME:
		if (th->st == S_MID)
			return someone_running(R, th) ? CAN_WAIT : CAN_YES;
		return th->st == S_IN_UNORDERED && !th->would_block ? CAN_WAIT : CAN_NO;
	case PT_ENTER:
		if (!th)
			return CAN_NO;
		switch (th->st) {
		case S_AT_ENTRY:
			return CAN_YES;
		case S_WAIT_HELD:
		case S_MID:
			return someone_running(R, th) ? CAN_WAIT : CAN_YES; /* resume it */
		case S_RUNNING:
		case S_IN_REAL:
		case S_EXITING:
			return CAN_WAIT;
		case S_IN_UNORDERED:
			return th->would_block ? CAN_NO : CAN_WAIT;
		default:
			return CAN_NO;
		}
	case PT_EXIT:
		if (!th)
			return CAN_NO;
		if (th->st == S_SERVED || th->st == S_REAL_DONE || th->st == S_EXIT_HELD)
			return someone_running(R, th) ? CAN_WAIT : CAN_YES;
		if (th->st == S_IN_REAL)
			return th->would_block ? CAN_NO : CAN_WAIT;
		return CAN_NO;
	default:
		return CAN_NO;
	}
}

static void take_start(struct fr_replay *R, const struct point *p)
{
	struct st_rstate *rs = &R->rs[p->rti];
	struct st_thread *th = rs->th;

	rs->started = true;
	st_vlog(R, "start thread %u (real %d)", R->rec->threads[p->rti].tid, th->t->tid);
	st_arm_signal(R, th);
	running_since(th, p->ts);
	st_resume(R, th, RP_RESUME_RUN, 0, S_RUNNING);
}

static void take_enter(struct fr_replay *R, const struct point *p)
{
	struct st_rstate *rs = &R->rs[p->rti];
	struct st_thread *th = rs->th;
	const struct rp_call *c = p->call;
	const struct rp_rthread *rt = &R->rec->threads[p->rti];
	struct rp_mismatch_info mi;
	int64_t inj_ret = 0;

	if (th->st == S_MID) {
		/* Let it finish its segment up to this call. */
		resume_mid(R, th, th->has_resume ? th->resume_ts : p->ts);
		return;
	}
	if (th->st == S_WAIT_HELD) {
		/* Its next call is due: let its wait run now (what it waited
		 * for has most likely happened, so it returns at once). */
		release_wait(R, th);
		return;
	}
	{
		int32_t j = next_signal_item(R, th);

		if (j >= 0 && (uint32_t)j < p->item) {
			const struct rp_item *it = &rt->items[j];

			st_diverge(
			    R, th, "signal", c, true,
			    "signal %d (%s) was delivered before this call in the recording, "
			    "not in the replay",
			    it->sig, fr_signal_name(it->sig) ? fr_signal_name(it->sig) : "?");
			return;
		}
	}
	if (rp_live_read(th->t, &R->live) < 0) {
		snprintf(R->err, sizeof(R->err), "out of memory");
		R->stop = true;
		return;
	}
	st_remember(R, c);
	if (rp_compare_call(&R->live, c, &mi) != RP_MATCH) {
		const struct fr_syscall_desc *d = fr_syscall(c->sc.nr);
		struct fr_sb sb;

		fr_sb_init(&sb);
		rp_mismatch_describe(&sb, &mi, d);
		/* What a diverging write says is worth seeing (what-if replay
		 * goes on with the call, and shows it then). */
		if (R->wi) {
			/* shown by the model */
		} else if (mi.kind != RP_MISMATCH_NR && st_is_write_like(th->t->sc.nr)) {
			int64_t n = th->t->sc.nr == SYS_write || th->t->sc.nr == SYS_pwrite64
					? (int64_t)th->t->sc.args[2]
					: INT64_MAX;

			st_mirror(R, th, n);
		} else if (mi.kind == RP_MISMATCH_NR && st_is_write_like(th->t->sc.nr)) {
			st_mirror(R, th,
				  th->t->sc.nr == SYS_write ? (int64_t)th->t->sc.args[2]
							    : INT64_MAX);
		}
		st_diverge(R, th,
			   mi.kind == RP_MISMATCH_NR	? "syscall"
			   : mi.kind == RP_MISMATCH_ARG ? "arguments"
							: "data",
			   c, true, "%s", fr_sb_str(&sb));
		fr_sb_free(&sb);
		return;
	}
	if (R->wi && wi_check_call(R, th, c))
		return;
	if (R->o.verbose) {
		char *s = st_print_call(c);

		st_vlog(R, "#%u %u/%u %s", c->seq + 1, c->pid, c->tid, s ? s : "?");
		free(s);
	}
	rs->phase = 1;
	R->res.syscalls_replayed++;
	if (st_apply_injections(R, th, (unsigned)c->sc.nr, &inj_ret)) {
		int err = rp_thread__skip(th->t, inj_ret);

		if (err) {
			R->stop = true;
			snprintf(R->err, sizeof(R->err), "injecting: %s", strerror(-err));
			return;
		}
		if (st_is_write_like(c->sc.nr) && inj_ret > 0)
			st_mirror(R, th, inj_ret);
		if (R->wi)
			wi_note_injected(R, c, inj_ret);
		th->cur = c;
		th->cur_real = false;
		th->st = S_SERVED;
		return;
	}
	if (c->flags & RP_CALL_UNFINISHED && c->sc.nr != SYS_exit && c->sc.nr != SYS_exit_group &&
	    c->sc.nr != SYS_execve && c->sc.nr != NR_execveat) {
		/* It never returned in the recording: it stays in it. */
		th->st = S_PARKED;
		rs->done = true;
		st_vlog(R, "thread %u stays in its last call, as recorded", rt->tid);
		return;
	}
	st_take_call(R, th, c);
}

static void take_exit(struct fr_replay *R, const struct point *p)
{
	struct st_rstate *rs = &R->rs[p->rti];
	struct st_thread *th = rs->th;

	if (th->delay_exit_ns) {
		if (!R->o.no_sleep)
			st_sleep_ns(th->delay_exit_ns);
		R->shift_ns += (int64_t)th->delay_exit_ns;
		th->delay_exit_ns = 0;
		if (R->wi)
			wi_note_shift(R);
	}
	rs->item = p->item + 1;
	rs->phase = 0;
	th->cur = NULL;
	if (th->st == S_EXIT_HELD) {
		st_resume(R, th, RP_RESUME_RUN, 0, S_EXITING);
		return;
	}
	st_arm_signal(R, th);
	running_since(th, p->ts);
	st_resume(R, th, RP_RESUME_RUN, 0, S_RUNNING);
}

static void take(struct fr_replay *R, const struct point *p)
{
	R->now_rec_ns = p->ts;
	switch (p->kind) {
	case PT_START:
		take_start(R, p);
		break;
	case PT_ENTER:
		take_enter(R, p);
		break;
	case PT_EXIT:
		take_exit(R, p);
		break;
	case PT_RESUME:
		resume_mid(R, R->rs[p->rti].th, p->ts);
		break;
	}
}

/* ---- events from the engine ----------------------------------------------------------- */

/* The thread entered a call past the end of its recorded stream. */
static void beyond_recording(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_rthread *rt = st_rt_of(R, th);
	struct st_rstate *rs = st_rs_of(R, th);

	if (rt && rt->exited && WIFSIGNALED(rt->exit_status)) {
		/* It was killed here in the recording (SIGKILL from outside,
		 * say): so it is now. */
		int sig = WTERMSIG(rt->exit_status);

		st_vlog(R, "thread %u: killed by signal %d, as recorded", rt->tid, sig);
		if (sig == SIGKILL || rp_thread__kill(th->t, sig) != 0)
			kill(th->t->pid, SIGKILL);
		else
			th->inject_sig = sig;
		rp_thread__skip(th->t, -EINTR);
		st_resume(R, th, RP_RESUME_RUN, 0, S_EXITING);
		if (rs)
			rs->done = true;
		return;
	}
	if (rt && !rt->exited) {
		/* The recording ends before the program does. */
		R->res.end_of_recording = true;
		th->st = S_PARKED;
		if (rs)
			rs->done = true;
		st_vlog(R, "thread %u: end of the recording", rt->tid);
		return;
	}
	st_diverge(R, th, "extra-call", NULL, true,
		   "the program makes a call here where the recording has none (the thread %s)",
		   rt ? "exited after its last recorded call" : "is not in the recording");
}

static bool stream_has_call(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_rthread *rt = st_rt_of(R, th);
	struct st_rstate *rs = st_rs_of(R, th);
	uint32_t j;

	if (!rt)
		return false;
	for (j = rs->item; j < rt->n_items; j++)
		if (rt->items[j].kind == RP_ITEM_CALL)
			return true;
	return false;
}

/* Would this futex call put the thread to sleep now? */
static bool futex_would_block(struct st_thread *th)
{
	const struct rp_syscall *sc = &th->t->sc;
	unsigned op = (unsigned)sc->args[1] & 0x7f; /* without PRIVATE and CLOCK_REALTIME */
	uint32_t v;

	if (sc->nr == 454 /* futex_wake */ || sc->nr == 456 /* futex_requeue */)
		return false;
	if (sc->nr == 455 /* futex_wait(uaddr, val, mask, flags, ...) */)
		return rp_thread__read(th->t, sc->args[0], &v, 4) == 4 &&
		       v == (uint32_t)sc->args[1];
	if (sc->nr != SYS_futex)
		return true; /* futex_waitv */
	if (op == 0 /* FUTEX_WAIT */ || op == 9 /* FUTEX_WAIT_BITSET */)
		return rp_thread__read(th->t, sc->args[0], &v, 4) == 4 &&
		       v == (uint32_t)sc->args[2];
	return op == 6 /* LOCK_PI */ || op == 13 /* LOCK_PI2 */ || op == 11 /* WAIT_REQUEUE_PI */;
}

/* The recorded wait of the current segment this live wait stands for:
 * the first unused one before the thread's next call.  -1 when the
 * recording shows the thread not sleeping here. */
static int32_t match_wait(struct fr_replay *R, struct st_thread *th)
{
	struct st_rstate *rs = st_rs_of(R, th);
	const struct rp_rthread *rt = st_rt_of(R, th);
	uint32_t j;

	if (!rs)
		return -1;
	for (j = FR_MAX(rs->item, rs->wait_pos); j < rt->n_items; j++) {
		if (rt->items[j].kind == RP_ITEM_CALL)
			break;
		if (rt->items[j].kind == RP_ITEM_WAIT)
			return (int32_t)j;
	}
	return -1;
}

static void release_wait(struct fr_replay *R, struct st_thread *th)
{
	th->would_block = futex_would_block(th);
	th->has_resume = false;
	st_resume(R, th, RP_RESUME_TO_EXIT, 0, S_IN_UNORDERED);
}

static void on_unordered(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_syscall *sc = &th->t->sc;

	R->res.unordered_calls++;
	th->would_block = false;
	th->has_resume = false;
	if (sc->nr == SYS_sched_yield) {
		/* A yield: let the recorded order decide who runs next. */
		rp_thread__skip(th->t, 0);
		th->st = S_MID;
		return;
	}
	if (futex_would_block(th)) {
		int32_t j = match_wait(R, th);
		struct st_rstate *rs = st_rs_of(R, th);

		if (j < 0) {
			/* The recording has this thread not sleeping here: it
			 * got here earlier than it did then.  Hold it until its
			 * next call is due. */
			th->st = S_WAIT_HELD;
			return;
		}
		/* A wait the recording shows: served, not slept.  The
		 * thread goes on when the recording says the wait ended, with
		 * its result then (woken: 0, or a timeout).  A futex wait may
		 * return early without a wake-up: the program checks its
		 * condition again, so this is always a correct answer, and it
		 * does not depend on who wakes whom in the replay. */
		rs->wait_pos = (uint32_t)j + 1;
		th->resume_ts = st_rt_of(R, th)->items[j].ts_ns;
		th->has_resume = true;
		th->wait_served = true;
		th->wait_ret = st_rt_of(R, th)->items[j].ret;
		th->st = S_MID;
		return;
	}
	st_resume(R, th, RP_RESUME_TO_EXIT, 0, S_IN_UNORDERED);
}

static void on_enter(struct fr_replay *R, struct st_thread *th)
{
	if (th->rti < 0) {
		st_diverge(R, th, "extra-thread", NULL, true,
			   "a thread or process the recording does not have makes calls");
		return;
	}
	if (th->t->sc.arch != RP_AUDIT_ARCH_NATIVE) {
		st_diverge(
		    R, th, "unsupported", NULL, true,
		    "the program made a system call of another ABI (x32 or i386), which replay "
		    "does not serve");
		return;
	}
	if (th->restarting) {
		th->restarting = false;
		if (th->cur && th->t->sc.nr == th->cur->sc.nr) {
			/* the restarted clone: the same call, run for real again */
			st_resume(R, th, RP_RESUME_TO_EXIT, 0, S_IN_REAL);
			return;
		}
		st_diverge(R, th, "result", th->cur, true,
			   "%s was cut by a signal and not made again",
			   fr_syscall_name(th->cur->sc.nr));
		return;
	}
	if (rp_call_is_unordered((unsigned)th->t->sc.nr)) {
		on_unordered(R, th);
		return;
	}
	th->st = S_AT_ENTRY;
	th->free_running = false;
	if (!stream_has_call(R, th))
		beyond_recording(R, th);
}

/* At the exit stop of a call run for real: was it a clone the kernel will
 * make again?  fork and clone give up with ERESTARTNOINTR when a signal is
 * pending, and are always restarted, whatever becomes of the signal. */
static bool real_restarts(const struct st_thread *th)
{
	if (!th->cur || th->t->sc.ret != -ERESTARTNOINTR)
		return false;
	switch (th->cur->sc.nr) {
	case SYS_clone:
	case NR_clone3:
	case SYS_fork:
	case SYS_vfork:
		return true;
	default:
		return false;
	}
}

static void on_exit_stop(struct fr_replay *R, struct st_thread *th)
{
	if (th->st == S_IN_UNORDERED) {
		if (th->would_block) {
			/* Woken: it goes on when the recording says (the
			 * recorded wait's end), or when its next call is due. */
			th->would_block = false;
			th->st = S_MID;
		} else {
			/* A futex call inside the running segment. */
			st_resume(R, th, RP_RESUME_RUN, 0, S_RUNNING);
		}
		return;
	}
	if (th->st == S_IN_REAL) {
		if (real_restarts(th)) {
			/* A signal came while it created the thread or process (a
			 * child's SIGCHLD, most often): nothing was created and
			 * the kernel makes the same call again once the signal is
			 * dealt with.  Its entry comes back to on_enter. */
			st_vlog(R, "thread %d: %s cut by a signal, made again", th->t->tid,
				fr_syscall_name(th->cur->sc.nr));
			th->restarting = true;
			st_resume(R, th, RP_RESUME_RUN, 0, S_IN_REAL);
			return;
		}
		st_post_real(R, th);
		return;
	}
	/* An exit stop we did not ask for: go on. */
	st_resume(R, th, RP_RESUME_RUN, 0, th->st == S_RUNNING ? S_RUNNING : th->st);
}

static void on_new(struct fr_replay *R, struct rp_thread *t)
{
	struct st_thread *parent = t->parent ? t->parent->user : NULL;
	struct st_proc *proc;
	struct st_thread *th;
	const struct rp_rthread *prt;
	uint32_t rti, k;

	if (!parent) {
		kill(t->pid, SIGKILL);
		return;
	}
	if (t->clone_flags & CLONE_THREAD) {
		proc = parent->proc;
	} else {
		proc = st_proc_cloned(R, parent, t, 0);
		if (!proc) {
			snprintf(R->err, sizeof(R->err), "out of memory");
			R->stop = true;
			return;
		}
	}
	th = thread_new(R, t, proc);
	if (!th) {
		snprintf(R->err, sizeof(R->err), "out of memory");
		R->stop = true;
		return;
	}
	th->st = S_HELD;
	prt = st_rt_of(R, parent);
	k = parent->created++;
	if (!prt || k >= prt->n_children) {
		st_diverge(R, parent, "extra-thread", parent->cur, false,
			   "the program created a thread or process the recording does not have");
		return;
	}
	rti = prt->children[k];
	map_thread(R, th, rti);
	if (!(t->clone_flags & CLONE_THREAD))
		proc->rpid = R->rec->threads[rti].pid;
	if ((t->clone_flags & CLONE_THREAD) != (R->rec->threads[rti].clone_flags & CLONE_THREAD) &&
	    R->rec->threads[rti].clone_flags) {
		st_diverge(R, parent, "extra-thread", parent->cur, false,
			   "the program created a %s where the recording created a %s",
			   (t->clone_flags & CLONE_THREAD) ? "thread" : "process",
			   (t->clone_flags & CLONE_THREAD) ? "process" : "thread");
		return;
	}
	if ((t->clone_flags & CLONE_CHILD_SETTID) && parent->clone_ctid) {
		uint32_t v = R->rec->threads[rti].tid;

		rp_thread__write(t, parent->clone_ctid, &v, sizeof(v));
	}
	st_vlog(R, "new %s %d is recorded thread %u",
		(t->clone_flags & CLONE_THREAD) ? "thread" : "process", t->tid,
		R->rec->threads[rti].tid);
}

static void patch_vdso(struct fr_replay *R, struct rp_thread *t)
{
	char err[256] = "";
	int n;

	/* Time read through the vDSO would not enter the kernel: its entry
	 * points become system calls, which are served.  A program whose
	 * vDSO cannot be patched reads the real clock there, which shows as a
	 * divergence where the time matters. */
	n = fr_vdso_patch(t->tid, err, sizeof(err));
	if (n < 0 && !R->vdso_warned) {
		R->vdso_warned = true;
		st_warn(R, "patching the vDSO of %d: %s", t->tid, err);
	}
}

void st_patch_vdso(struct fr_replay *R, struct rp_thread *t)
{
	patch_vdso(R, t);
}

/*
 * A vfork child that execs or ends releases its creator, whose vfork then
 * returns: from now on the creator is on its way to its exit stop, which
 * the loop waits for rather than taking other points out of order.
 */
static void vfork_released(struct st_thread *th)
{
	struct st_thread *parent = th->t->parent ? th->t->parent->user : NULL;

	if ((th->t->clone_flags & CLONE_VFORK) && parent && parent->st == S_IN_REAL &&
	    parent->would_block && (parent->clone_flags & CLONE_VFORK))
		parent->would_block = false;
}

static void on_exec(struct fr_replay *R, struct st_thread *th)
{
	vfork_released(th);
	patch_vdso(R, th->t);
	rp_fdtable__exec(th->proc->fds);
	/* The execve's own exit stop follows. */
	st_resume(R, th, RP_RESUME_TO_EXIT, 0, S_IN_REAL);
}

static bool is_fault(const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
		return si->si_code > 0;
	default:
		return false;
	}
}

static void on_signal(struct fr_replay *R, struct st_thread *th)
{
	const siginfo_t *si = &th->t->si;
	struct st_rstate *rs = st_rs_of(R, th);
	const struct rp_rthread *rt = st_rt_of(R, th);
	const struct rp_item *next = NULL;
	enum st_state keep = th->st == S_RUNNING || th->st == S_HELD ? S_RUNNING : th->st;
	int sig = si->si_signo;

	int32_t nj = next_signal_item(R, th);

	if (nj >= 0)
		next = &rt->items[nj];
	if (th->inject_sig == sig) {
		th->inject_sig = 0;
		if (!th->inject_extra && next && next->sig == sig)
			rs->item = (uint32_t)nj + 1;
		th->inject_extra = false;
		R->res.signals_delivered++;
		st_vlog(R, "deliver signal %d to %d", sig, th->t->tid);
		st_arm_signal(R, th); /* the next one, if the recording had several */
		st_resume(R, th, RP_RESUME_RUN, sig, keep);
		return;
	}
	if (is_fault(si)) {
		/* The program's own doing: delivered whether or not the
		 * recording shows it (a crash the recording lacks shows up as
		 * a divergence when the thread dies). */
		if (next && next->sig == sig)
			rs->item = (uint32_t)nj + 1;
		R->res.signals_delivered++;
		st_resume(R, th, RP_RESUME_RUN, sig, keep);
		return;
	}
	R->res.signals_suppressed++;
	st_vlog(R, "drop signal %d for %d (not in the recording here)", sig, th->t->tid);
	st_resume(R, th, RP_RESUME_RUN, 0, keep);
}

static void on_gone(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_rthread *rt = st_rt_of(R, th);
	struct st_rstate *rs = st_rs_of(R, th);
	bool leader = th->t->tid == th->t->pid;
	int st = th->t->wstatus;

	th->st = S_GONE;
	vfork_released(th);
	st_vlog(R, "thread %d ended: %s %d", th->t->tid, WIFSIGNALED(st) ? "signal" : "exit status",
		WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	if (th->t->tid == R->rs[0].th->t->tid) {
		R->res.replayed_exit_known = true;
		R->res.replayed_status = st;
	}
	if (!rt || R->stop)
		return;
	if (rs) {
		uint32_t j;

		rs->done = true;
		for (j = rs->item; j < rt->n_items; j++) {
			const struct rp_item *it = &rt->items[j];
			const struct rp_call *c;

			if (it->kind != RP_ITEM_CALL)
				continue;
			c = &R->rec->calls[it->call];
			if (j == rs->item + 0 && rs->phase == 1)
				continue; /* died in it: exit_group, or killed while in it */
			if (c->flags & RP_CALL_UNFINISHED)
				continue;
			st_diverge(
			    R, th, "missing-call", c, false,
			    "thread %u ended (%s %d) while the recording goes on with this call",
			    rt->tid, WIFSIGNALED(st) ? "killed by signal" : "exit status",
			    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			return;
		}
	}
	if (leader && rt->exited && rt->tid == rt->pid &&
	    WIFSIGNALED(rt->exit_status) != WIFSIGNALED(st))
		st_diverge(R, th, "exit", NULL, false, "process %u ended %s, in the recording %s",
			   rt->pid, WIFSIGNALED(st) ? "by a signal" : "by exiting",
			   WIFSIGNALED(rt->exit_status) ? "by a signal" : "by exiting");
}

static void on_event(struct fr_replay *R, int kind, struct rp_thread *t)
{
	struct st_thread *th = t->user;

	if (kind == RP_STOP_NEW) {
		on_new(R, t);
		return;
	}
	if (!th) {
		/* A thread we have no record of (its creator diverged). */
		if (kind != RP_STOP_GONE) {
			st_vlog(R, "unknown thread %d (stop %d): killed", t->tid, kind);
			kill(t->pid, SIGKILL);
		}
		return;
	}
	switch (kind) {
	case RP_STOP_ENTER:
		on_enter(R, th);
		break;
	case RP_STOP_EXIT:
		on_exit_stop(R, th);
		break;
	case RP_STOP_CLONED:
		/* Still inside its clone: on to the clone's exit stop.  A vfork
		 * now waits for its child, whose first stop is on its way. */
		if (th->st == S_IN_REAL && (th->clone_flags & CLONE_VFORK))
			th->would_block = true;
		st_resume(R, th, RP_RESUME_TO_EXIT, 0, th->st);
		break;
	case RP_STOP_EXEC:
		on_exec(R, th);
		break;
	case RP_STOP_SIGNAL:
		on_signal(R, th);
		break;
	case RP_STOP_TSC:
		rp_thread__complete_tsc(t, st_tsc_value(R, th));
		st_resume(R, th, RP_RESUME_RUN, 0, th->st == S_HELD ? S_RUNNING : th->st);
		break;
	case RP_STOP_GONE:
		on_gone(R, th);
		break;
	default:
		break;
	}
}

/* ---- the loop ---------------------------------------------------------------------------- */

static bool next_point(struct fr_replay *R, struct point *best)
{
	struct point p;
	bool have = false;
	uint32_t i;

	for (i = 0; i < R->rec->n_threads; i++)
		if (head_point(R, i, &p) && (!have || point_before(&p, best))) {
			*best = p;
			have = true;
		}
	return have;
}

/* The earliest point that can be taken now, other than the blocked head. */
static bool relax_point(struct fr_replay *R, struct point *best)
{
	struct point p;
	bool have = false;
	uint32_t i;

	for (i = 0; i < R->rec->n_threads; i++)
		if (head_point(R, i, &p) && can_take(R, &p) == CAN_YES &&
		    (!have || point_before(&p, best))) {
			*best = p;
			have = true;
		}
	return have;
}

/* The thread stopped mid-segment (or held at a wait) whose next point is
 * the earliest: the one to let go when nothing else can move. */
static struct st_thread *mid_thread(struct fr_replay *R)
{
	struct st_thread *best = NULL;
	struct point bp, p;
	uint32_t i;

	for (i = 0; i < R->rec->n_threads; i++) {
		struct st_thread *th = R->rs[i].th;

		if (!th || (th->st != S_MID && th->st != S_WAIT_HELD))
			continue;
		if (!head_point(R, i, &p)) {
			p.ts = UINT64_MAX;
			p.kind = PT_ENTER;
			p.seq = UINT32_MAX;
		}
		if (!best || point_before(&p, &bp)) {
			best = th;
			bp = p;
		}
	}
	return best;
}

/* Let a thread stopped mid-segment go on; a wait served from the
 * recording returns what it returned then. */
static void resume_mid(struct fr_replay *R, struct st_thread *th, uint64_t rec_ns)
{
	running_since(th, rec_ns);
	th->has_resume = false;
	th->free_running = false;
	if (th->wait_served) {
		th->wait_served = false;
		rp_thread__skip(th->t, th->wait_ret);
	}
	st_resume(R, th, RP_RESUME_RUN, 0, S_RUNNING);
}

/* Let a thread held mid-segment go. */
static void let_go(struct fr_replay *R, struct st_thread *th)
{
	R->res.order_relaxations++;
	if (th->st == S_WAIT_HELD) {
		release_wait(R, th);
		return;
	}
	resume_mid(R, th, th->has_resume ? th->resume_ts : th->seg_rec_ns);
}

static int wait_and_handle(struct fr_replay *R, int timeout_ms)
{
	struct rp_thread *t;
	int k = rp_engine__wait(R->eng, timeout_ms, &t);

	if (k > 0) {
		on_event(R, k, t);
		return 1;
	}
	return k; /* 0 timeout, -ECHILD, -errno */
}

/* Mark the threads running too long as free: they no longer hold up the
 * recorded order (a spin-wait on another thread would otherwise never end). */
static void free_spinners(struct fr_replay *R)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next)
		if (th->st == S_RUNNING && !th->free_running) {
			th->free_running = true;
			R->res.order_relaxations++;
			st_vlog(R, "thread %d runs on while the others go on (spinning?)",
				th->t->tid);
		}
}

static void loop(struct fr_replay *R)
{
	int idle_ms = 0;

	while (!R->stop) {
		struct point p;
		int c, k;

		if (!next_point(R, &p)) {
			/* Every recorded point is taken: wait for the program to
			 * finish (threads past their streams get parked or are
			 * diverging). */
			struct st_thread *th;
			bool live = false;

			for (th = R->threads; th; th = th->next)
				if (th->st != S_GONE && th->st != S_PARKED)
					live = true;
			if (!live)
				break;
			if ((th = mid_thread(R)) && !someone_running(R, th)) {
				let_go(R, th);
				continue;
			}
			for (th = R->threads; th; th = th->next)
				if (th->st == S_SERVED || th->st == S_REAL_DONE ||
				    th->st == S_HELD || th->st == S_EXIT_HELD) {
					/* Held at a point that will not come: let it go. */
					if (!someone_running(R, th))
						st_resume(R, th, RP_RESUME_RUN, 0,
							  th->st == S_EXIT_HELD ? S_EXITING
										: S_RUNNING);
				}
			k = wait_and_handle(R, anything_moving(R, NULL) ? SPIN_TIMEOUT_MS
									: STUCK_TIMEOUT_MS);
			if (k == -ECHILD)
				break;
			if (k == 0) {
				if (anything_moving(R, NULL)) {
					free_spinners(R);
					continue;
				}
				st_diverge(
				    R, NULL, "stuck", NULL, false,
				    "the program does not finish after the last recorded call "
				    "(blocked)");
			} else if (k < 0) {
				snprintf(R->err, sizeof(R->err), "waiting for the program: %s",
					 strerror(-k));
				R->stop = true;
			}
			continue;
		}
		c = can_take(R, &p);
		if (c == CAN_YES) {
			take(R, &p);
			idle_ms = 0;
			continue;
		}
		if (c == CAN_WAIT || anything_moving(R, NULL)) {
			int timeout = SPIN_TIMEOUT_MS;
			struct st_thread *th;
			int64_t now = wall_ms();

			/* A thread in a long computation: once it has run as
			 * long as it did in the recording before this point,
			 * the point is taken alongside it. */
			for (th = R->threads; th; th = th->next) {
				int64_t gap, left;

				if (th->st != S_RUNNING || th->free_running ||
				    p.ts <= th->seg_rec_ns)
					continue;
				gap = (int64_t)((p.ts - th->seg_rec_ns) / 1000000);
				left =
				    th->seg_wall_ms + FR_MAX(gap, (int64_t)LONG_SEGMENT_MS) - now;
				if (left <= 0) {
					th->free_running = true;
					R->res.order_relaxations++;
					st_vlog(R,
						"thread %d computes on alongside the next point "
						"(%" PRId64 " ms, as recorded)",
						th->t->tid, gap);
					timeout = 0;
				} else if (left < timeout) {
					timeout = (int)left;
				}
			}
			if (!timeout)
				continue;
			k = wait_and_handle(R, timeout);
			if (k == 0 && timeout == SPIN_TIMEOUT_MS) {
				free_spinners(R);
				idle_ms += SPIN_TIMEOUT_MS;
			} else if (k == -ECHILD) {
				break;
			} else if (k < 0) {
				snprintf(R->err, sizeof(R->err), "waiting for the program: %s",
					 strerror(-k));
				R->stop = true;
			}
			continue;
		}
		/* Nothing moves and the head cannot be taken: take another
		 * point, or let a thread held mid-segment go. */
		{
			struct st_thread *mid = mid_thread(R);
			struct point q;

			if (mid) {
				let_go(R, mid);
				continue;
			}
			if (relax_point(R, &q)) {
				R->res.order_relaxations++;
				st_vlog(R,
					"recorded order relaxed: taking a later point of thread %u",
					R->rec->threads[q.rti].tid);
				take(R, &q);
				continue;
			}
		}
		if (someone_blocked(R) && idle_ms < STUCK_TIMEOUT_MS) {
			k = wait_and_handle(R, 200);
			if (k == 0)
				idle_ms += 200;
			else if (k == -ECHILD)
				break;
			continue;
		}
		{
			struct st_thread *th = R->rs[p.rti].th;

			st_diverge(
			    R, th, "stuck", p.call, false,
			    "the replay cannot go on: thread %u is %s and every other thread waits",
			    R->rec->threads[p.rti].tid,
			    !th						      ? "not created"
			    : th->st == S_GONE				      ? "gone"
			    : th->st == S_IN_UNORDERED || th->st == S_IN_REAL ? "blocked in a call"
									      : "held");
		}
	}
}

/* Wind down: kill what is left and collect every exit. */
static void drain(struct fr_replay *R)
{
	struct rp_thread *t;
	int k;

	rp_engine__kill_all(R->eng);
	while ((k = rp_engine__wait(R->eng, 2000, &t)) > 0) {
		if (k == RP_STOP_GONE) {
			struct st_thread *th = t->user;

			if (th)
				th->st = S_GONE;
		} else if (t->state != RP_TS_DEAD && t->state != RP_TS_RUNNING) {
			rp_thread__resume(t, RP_RESUME_RUN, 0);
		}
	}
}

/* ---- public ------------------------------------------------------------------------------- */

int fr_replay__open(const char *bundle_path, const struct fr_replay_opts *o, struct fr_replay **out,
		    char *err, size_t errlen)
{
	struct fr_replay *R = calloc(1, sizeof(*R));
	char e[512];
	int rc;

	*out = NULL;
	if (!R) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	R->o = *o;
	if (!R->o.log)
		R->o.log = stderr;
	rc = fr_reader__open(bundle_path, &R->reader, e, sizeof(e));
	if (rc) {
		snprintf(err, errlen, "%s: %s", bundle_path, e);
		free(R);
		return rc;
	}
	rc = rp_recording__load(R->reader, o->pid, &R->rec, e, sizeof(e));
	if (rc) {
		snprintf(err, errlen, "%s: %s", bundle_path, e);
		fr_reader__free(R->reader);
		free(R);
		return rc;
	}
	R->rs = calloc(R->rec->n_threads ? R->rec->n_threads : 1, sizeof(*R->rs));
	if (!R->rs) {
		fr_replay__free(R);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	R->res.syscalls_recorded = R->rec->n_calls;
	R->res.recorded_exit_known = R->rec->root_exited;
	R->res.recorded_status = R->rec->root_exit_status;
	if ((o->what_if || o->n_set_env || o->n_set_args) && (rc = wi_open(R, e, sizeof(e)))) {
		snprintf(err, errlen, "%s: %s", bundle_path, e);
		fr_replay__free(R);
		return rc;
	}
	if (R->rec->lost_events)
		st_warn(R,
			"the recording lost %" PRIu64 " events: replay may diverge where they were",
			R->rec->lost_events);
	*out = R;
	return 0;
}

static int start(struct fr_replay *R)
{
	const struct rp_start *s = &R->rec->start;
	struct rp_spawn sp = {0};
	struct rp_fdtable *fds;
	struct st_proc *proc;
	struct st_thread *th;
	struct rp_thread *root;
	char path[4096], e[512];
	int *fds_ok = R->start_fds;
	const struct fr_fd **infos = R->start_infos;
	size_t i, n_fds = 0;
	int rc;

	{
		/* A relative name was relative to the recorded directory. */
		char *abs = NULL;

		if (s->exec_path[0] != '/' && s->cwd) {
			const char *rel = s->exec_path;
			size_t n;

			while (rel[0] == '.' && rel[1] == '/')
				rel += 2;
			n = strlen(s->cwd) + strlen(rel) + 2;
			abs = malloc(n);
			if (abs)
				snprintf(abs, n, "%s/%s", s->cwd, rel);
		}
		rc = st_real_source(R, abs ? abs : s->exec_path, s->exe_build_id, path,
				    sizeof(path));
		free(abs);
	}
	if (rc && s->exe && strcmp(s->exe, s->exec_path))
		rc = st_real_source(R, s->exe, s->exe_build_id, path, sizeof(path));
	if (rc) {
		snprintf(
		    R->err, sizeof(R->err),
		    "cannot execute %s: it is not on this machine and the bundle holds no copy "
		    "(record with --with-files)",
		    s->exec_path);
		return rc;
	}
	sp.path = path;
	sp.argv = s->argv;
	sp.envp = s->env;
	if (s->cwd) {
		struct stat stb;

		if (stat(s->cwd, &stb) == 0 && S_ISDIR(stb.st_mode))
			sp.cwd = s->cwd;
		else
			st_warn(R,
				"the recorded working directory %s is not here: replaying from %s",
				s->cwd, "the current one");
	}
	/* Descriptor numbers from the bundle: a hostile one must not make the
	 * child walk millions of numbers. */
	for (i = 0; i < s->n_fds; i++) {
		if (s->fds[i] >= 0 && s->fds[i] < RP_MAX_START_FD && n_fds < RP_MAX_START_FDS) {
			fds_ok[n_fds] = s->fds[i];
			infos[n_fds++] = &s->fd_info[i];
		} else {
			st_warn(R, "descriptor %d of the recorded process is not reproduced",
				s->fds[i]);
		}
	}
	sp.fds = fds_ok;
	sp.n_fds = n_fds;
	sp.rlimits = s->rlimits;
	sp.n_rlimits = s->n_rlimits;
	rc = rp_engine__new(&R->eng);
	if (rc) {
		snprintf(R->err, sizeof(R->err), "starting the tracer: %s", strerror(-rc));
		return rc;
	}
	rc = rp_engine__spawn(R->eng, &sp, &root, e, sizeof(e));
	if (rc) {
		snprintf(R->err, sizeof(R->err), "%s", e);
		return rc;
	}
	fds = rp_fdtable__new();
	if (!fds)
		return -ENOMEM;
	for (i = 0; i < n_fds; i++) {
		int fd = fds_ok[i];
		enum rp_fd_kind kind = RP_FD_OTHER;
		const char *p = infos[i]->path;

		if (fd == 0)
			kind = RP_FD_STDIN;
		else if (fd == 1)
			kind = RP_FD_STDOUT;
		else if (fd == 2)
			kind = RP_FD_STDERR;
		else if (infos[i]->type == FR_FD_FILE || infos[i]->type == FR_FD_DIR)
			kind = RP_FD_FILE;
		else if (infos[i]->type == FR_FD_PIPE)
			kind = RP_FD_PIPE;
		else if (infos[i]->type == FR_FD_SOCKET)
			kind = RP_FD_SOCKET;
		rp_fdtable__open(fds, fd, kind, kind == RP_FD_FILE ? p : NULL, false);
		rp_fdtable__set_real(fds, fd, "/dev/null", false);
	}
	proc = proc_new(R, root->pid, s->pid, fds, s->cwd);
	if (!proc) {
		rp_fdtable__put(fds);
		return -ENOMEM;
	}
	th = thread_new(R, root, proc);
	if (!th)
		return -ENOMEM;
	map_thread(R, th, 0);
	th->st = S_HELD;
	patch_vdso(R, root);
	return 0;
}

int fr_replay__run(struct fr_replay *R)
{
	struct timespec t1;
	struct st_rstate *rs;
	uint32_t i;
	int rc;

	if (R->ran)
		return -EALREADY;
	R->ran = true;
	clock_gettime(CLOCK_MONOTONIC, &R->t0);
	rc = start(R);
	if (rc) {
		if (!R->err[0])
			snprintf(R->err, sizeof(R->err), "starting the program: %s", strerror(-rc));
		return rc;
	}
	loop(R);
	if (R->wi && (rc = wi_run(R)) && !R->err[0])
		snprintf(R->err, sizeof(R->err), "what-if replay: %s", strerror(-rc));
	drain(R);
	/* The engine's tick (SIGALRM, without SA_RESTART) would interrupt
	 * the caller's writes of the result to a slow pipe: done with it. */
	rp_engine__free(R->eng);
	R->eng = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	R->res.elapsed_s = (double)(t1.tv_sec - R->t0.tv_sec) + (t1.tv_nsec - R->t0.tv_nsec) / 1e9;
	if (R->err[0] && !R->res.first)
		return -EIO;
	if (!R->res.first && !(R->wi && wi_active(R))) {
		bool all = true;

		for (i = 0; i < R->rec->n_threads; i++) {
			rs = &R->rs[i];
			if (!rs->done && !(rs->started && !stream_has_call(R, rs->th)))
				all = false;
		}
		if (!all && !R->res.end_of_recording) {
			st_diverge(R, NULL, "missing-call", NULL, false,
				   "the replay ended before every recorded call was made");
		} else if (R->res.recorded_exit_known && R->res.replayed_exit_known &&
			   R->res.recorded_status != R->res.replayed_status &&
			   !R->res.end_of_recording) {
			st_diverge(R, R->rs[0].th, "exit", NULL, false,
				   "the program ended with status %d, %d in the recording",
				   fr_replay_status_code(R->res.replayed_status),
				   fr_replay_status_code(R->res.recorded_status));
		}
	}
	R->res.completed = !R->res.first;
	return 0;
}

const struct fr_replay_result *fr_replay__result(const struct fr_replay *R)
{
	return &R->res;
}
const char *fr_replay__strerror(const struct fr_replay *R)
{
	return R->err[0] ? R->err : "unknown error";
}

static void divergence_free(struct fr_replay_divergence *d)
{
	unsigned i;

	if (!d)
		return;
	free(d->expected);
	free(d->actual);
	json_decref(d->expected_json);
	json_decref(d->actual_json);
	for (i = 0; i < d->n_last; i++)
		free(d->last[i]);
	free(d);
}

/* Remove our temporary directory: only files we wrote, named by build-id,
 * live there. */
static void rm_tmpdir(const char *dir)
{
	struct dirent *de;
	DIR *dp;

	if (!dir[0])
		return;
	dp = opendir(dir);
	if (dp) {
		while ((de = readdir(dp)))
			if (de->d_name[0] != '.')
				unlinkat(dirfd(dp), de->d_name, 0);
		closedir(dp);
	}
	rmdir(dir);
}

void fr_replay__free(struct fr_replay *R)
{
	struct st_thread *th, *tn;
	struct st_proc *p, *pn;
	size_t i;

	if (!R)
		return;
	rp_engine__free(R->eng);
	wi_free(R);
	for (th = R->threads; th; th = tn) {
		tn = th->next;
		free(th->counts);
		free(th);
	}
	for (p = R->procs; p; p = pn) {
		pn = p->next;
		rp_fdtable__put(p->fds);
		free(p->cwd);
		free(p);
	}
	rm_tmpdir(R->tmpdir);
	rp_live_release(&R->live);
	free(R->rs);
	rp_recording__free(R->rec);
	fr_reader__free(R->reader);
	divergence_free(R->res.first);
	for (i = 0; i < R->res.n_warnings; i++)
		free(R->res.warnings[i]);
	free(R->res.warnings);
	free(R);
}
