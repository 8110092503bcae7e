// SPDX-License-Identifier: MIT
/*
 * engine.c: the ptrace engine (see engine.h).
 *
 * Stops come from waitpid(-1, __WALL).  The seccomp filter installed in
 * the child before its exec reports every system call as a
 * PTRACE_EVENT_SECCOMP stop at entry; that is the only entry stop the
 * engine reports.  Syscall-exit stops (SIGTRAP|0x80) happen only for calls
 * resumed with PTRACE_SYSCALL; PTRACE_GET_SYSCALL_INFO tells them apart from
 * the syscall-entry stops PTRACE_SYSCALL also produces (those are skipped:
 * the seccomp stop follows).
 */
#include "replay/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/util.h"

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define RP_PTRACE_OPTIONS                                                                          \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |    \
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP)

struct rp_engine {
	struct rp_thread *threads; /* creation order */
	struct rp_thread *tail;
	unsigned alive;
	sigset_t old_mask; /* the caller's, restored in the child */
	struct sigaction old_alrm;
	struct itimerval old_timer;
	bool timer_set;
	int old_subreaper;
	cpu_set_t old_cpus;
	bool cpus_set;
};

/* The tick that bounds timed waits: a blocking waitpid() is interrupted
 * (EINTR) every RP_TICK_MS to look at the clock.  A periodic timer costs
 * nothing per stop, where polling waitpid() would. */
#define RP_TICK_MS 100

static void on_tick(int sig)
{
	(void)sig;
}

/* ---- threads ------------------------------------------------------------- */

static struct rp_mm *mm_new(uint64_t scratch)
{
	struct rp_mm *mm = calloc(1, sizeof(*mm));

	if (mm) {
		mm->refs = 1;
		mm->scratch = scratch;
	}
	return mm;
}

static void mm_put(struct rp_mm *mm)
{
	if (mm && --mm->refs == 0)
		free(mm);
}

static struct rp_thread *thread_add(struct rp_engine *e, pid_t tid)
{
	struct rp_thread *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->tid = tid;
	t->pid = tid;
	t->state = RP_TS_EVENT;
	if (e->tail)
		e->tail->next = t;
	else
		e->threads = t;
	e->tail = t;
	e->alive++;
	return t;
}

struct rp_thread *rp_engine__find(struct rp_engine *e, pid_t tid)
{
	struct rp_thread *t;

	for (t = e->threads; t; t = t->next)
		if (t->tid == tid && t->state != RP_TS_DEAD)
			return t;
	return NULL;
}

struct rp_thread *rp_engine__threads(struct rp_engine *e)
{
	return e->threads;
}
unsigned rp_engine__alive(const struct rp_engine *e)
{
	return e->alive;
}

bool rp_engine__expecting(const struct rp_engine *e)
{
	const struct rp_thread *t;

	for (t = e->threads; t; t = t->next)
		if (t->state != RP_TS_DEAD && !t->announced)
			return true;
	return false;
}

static void thread_dead(struct rp_engine *e, struct rp_thread *t, int wstatus)
{
	if (t->state == RP_TS_DEAD)
		return;
	t->state = RP_TS_DEAD;
	t->wstatus = wstatus;
	t->regs_valid = t->regs_dirty = false;
	mm_put(t->mm);
	t->mm = NULL;
	e->alive--;
}

/* ---- engine ---------------------------------------------------------------- */

int rp_engine__new(struct rp_engine **out)
{
	struct rp_engine *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (!e)
		return -ENOMEM;
	sigprocmask(SIG_SETMASK, NULL, &e->old_mask);
	{
		struct sigaction sa;
		struct itimerval it = {{0, RP_TICK_MS * 1000}, {0, RP_TICK_MS * 1000}};
		sigset_t alrm;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_tick; /* no SA_RESTART: waitpid returns EINTR */
		sigemptyset(&sa.sa_mask);
		sigemptyset(&alrm);
		sigaddset(&alrm, SIGALRM);
		if (sigaction(SIGALRM, &sa, &e->old_alrm) == 0 &&
		    setitimer(ITIMER_REAL, &it, &e->old_timer) == 0)
			e->timer_set = true;
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	}
	/* The tracer and every tracee on one CPU: a ptrace stop is two
	 * context switches, and waking a task on another CPU costs an
	 * interrupt (dearer still in a VM).  Replay runs one thread at a time
	 * anyway (strict.c), so one CPU loses nothing.  Children inherit it. */
	if (sched_getaffinity(0, sizeof(e->old_cpus), &e->old_cpus) == 0) {
		cpu_set_t one;
		int cpu = sched_getcpu();

		CPU_ZERO(&one);
		if (cpu >= 0 && CPU_ISSET(cpu, &e->old_cpus)) {
			CPU_SET(cpu, &one);
			e->cpus_set = sched_setaffinity(0, sizeof(one), &one) == 0;
		}
	}
	/* Orphans of the replayed tree are reparented to us and reaped. */
	if (prctl(PR_GET_CHILD_SUBREAPER, &e->old_subreaper) < 0)
		e->old_subreaper = 0;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	*out = e;
	return 0;
}

void rp_engine__kill_all(struct rp_engine *e)
{
	struct rp_thread *t;

	for (t = e->threads; t; t = t->next)
		if (t->state != RP_TS_DEAD)
			syscall(SYS_tgkill, t->pid, t->tid, SIGKILL);
}

void rp_engine__free(struct rp_engine *e)
{
	struct rp_thread *t, *next;
	int st;

	if (!e)
		return;
	rp_engine__kill_all(e);
	/* Reap what is left: tracees first, then any orphan handed to us. */
	while (e->alive) {
		pid_t pid = waitpid(-1, &st, __WALL);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		t = rp_engine__find(e, pid);
		if (t && (WIFEXITED(st) || WIFSIGNALED(st)))
			thread_dead(e, t, st);
		else if (t && WIFSTOPPED(st))
			ptrace(PTRACE_CONT, pid, NULL, NULL); /* on its way to SIGKILL */
	}
	while (waitpid(-1, &st, __WALL | WNOHANG) > 0)
		;
	for (t = e->threads; t; t = next) {
		next = t->next;
		mm_put(t->mm);
		free(t);
	}
	prctl(PR_SET_CHILD_SUBREAPER, e->old_subreaper);
	if (e->cpus_set)
		sched_setaffinity(0, sizeof(e->old_cpus), &e->old_cpus);
	if (e->timer_set) {
		setitimer(ITIMER_REAL, &e->old_timer, NULL);
		sigaction(SIGALRM, &e->old_alrm, NULL);
	}
	sigprocmask(SIG_SETMASK, &e->old_mask, NULL);
	free(e);
}

/* ---- spawning ----------------------------------------------------------------- */

static void child_fail(int errfd, int err)
{
	int32_t v = err;

	if (write(errfd, &v, sizeof(v)) < 0) {
		/* nothing left to report with */
	}
	_exit(127);
}

/* In the child, between fork and exec.  Only async-signal-safe calls. */
static void child_setup(const struct rp_spawn *s, int go_fd, int err_fd, const sigset_t *mask)
{
	int persona, devnull, max_fd = 2;
	char c;
	size_t i;

	sigprocmask(SIG_SETMASK, mask, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	persona = personality(0xffffffff);
	if (persona < 0 || personality((unsigned long)persona | ADDR_NO_RANDOMIZE) < 0)
		child_fail(err_fd, errno);
	for (i = 0; i < s->n_rlimits; i++) {
		struct rlimit rl = {s->rlimits[i].cur, s->rlimits[i].max};

		if (s->rlimits[i].cur == UINT64_MAX)
			rl.rlim_cur = RLIM_INFINITY;
		if (s->rlimits[i].max == UINT64_MAX)
			rl.rlim_max = RLIM_INFINITY;
		/* Best effort: an unprivileged replayer cannot raise a hard
		 * limit; the parent warned about it. */
		setrlimit(s->rlimits[i].resource, &rl);
	}
	if (s->cwd && chdir(s->cwd) < 0) {
		/* The parent checked the directory and warned. */
	}
	/* Descriptors: placeholders at the recorded numbers, nothing else.
	 * The two control pipes sit above every recorded number. */
	for (i = 0; i < s->n_fds; i++)
		if (s->fds[i] > max_fd)
			max_fd = s->fds[i];
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		child_fail(err_fd, errno);
	if (go_fd <= max_fd || err_fd <= max_fd || devnull <= max_fd) {
		int g = fcntl(go_fd, F_DUPFD_CLOEXEC, max_fd + 1);
		int e2 = fcntl(err_fd, F_DUPFD_CLOEXEC, max_fd + 1);
		int d = fcntl(devnull, F_DUPFD_CLOEXEC, max_fd + 1);

		if (g < 0 || e2 < 0 || d < 0)
			child_fail(err_fd, errno);
		go_fd = g;
		err_fd = e2;
		devnull = d;
	}
	for (int fd = 0; fd <= max_fd; fd++) {
		bool keep = false;

		for (i = 0; i < s->n_fds; i++)
			keep |= s->fds[i] == fd;
		if (keep) {
			if (dup2(devnull, fd) < 0)
				child_fail(err_fd, errno);
		} else {
			close(fd);
		}
	}
	/* Everything above max_fd except the three we hold goes. */
	for (int fd = max_fd + 1; fd < 1024; fd++)
		if (fd != go_fd && fd != err_fd && fd != devnull)
			close(fd);
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0)
		child_fail(err_fd, errno);
	/* Wait until the tracer has seized us: the filter below makes every
	 * call stop in a tracer, and fails calls with ENOSYS without one. */
	if (read(go_fd, &c, 1) != 1)
		child_fail(err_fd, EPIPE);
	close(devnull);
	int err = rp_arch_install_trace_filter();
	if (err)
		child_fail(err_fd, -err);
	execve(s->path, s->argv, s->envp);
	child_fail(err_fd, errno);
}

int rp_engine__spawn(struct rp_engine *e, const struct rp_spawn *s, struct rp_thread **root,
		     char *err, size_t errlen)
{
	int go[2] = {-1, -1}, ep[2] = {-1, -1}, st, rc = 0;
	struct rp_thread *t = NULL;
	pid_t pid;

	*root = NULL;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(go[1]);
		close(ep[0]);
		child_setup(s, go[0], ep[1], &e->old_mask);
	}
	close(go[0]);
	go[0] = -1;
	close(ep[1]);
	ep[1] = -1;
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)(long)RP_PTRACE_OPTIONS) < 0) {
		rc = -errno;
		snprintf(err, errlen, "ptrace(PTRACE_SEIZE): %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		goto out;
	}
	t = thread_add(e, pid);
	if (!t || !(t->mm = mm_new(0))) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		kill(pid, SIGKILL);
		goto out;
	}
	t->first_stop_seen = t->announced = true;
	if (write(go[1], "g", 1) != 1) {
		rc = -errno;
		snprintf(err, errlen, "starting the program: %s", strerror(errno));
		kill(pid, SIGKILL);
		goto out;
	}
	/* Let the child's own calls (execve, or the report of its failure)
	 * through until its exec completes or it dies. */
	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			goto out;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			int32_t cerr = 0;

			thread_dead(e, t, st);
			if (read(ep[0], &cerr, sizeof(cerr)) == sizeof(cerr) && cerr > 0) {
				rc = -cerr;
				snprintf(err, errlen, "cannot execute %s: %s", s->path,
					 strerror(cerr));
			} else {
				rc = -ECHILD;
				snprintf(err, errlen,
					 "the program died before its exec (status %#x)", st);
			}
			goto out;
		}
		if (!WIFSTOPPED(st))
			continue;
		if ((st >> 16) == PTRACE_EVENT_EXEC) {
			t->state = RP_TS_EVENT;
			t->regs_valid = t->regs_dirty = false;
			*root = t;
			goto out;
		}
		/* seccomp stops of pre-exec calls, group stops: continue */
		ptrace(PTRACE_CONT, pid, NULL, NULL);
	}
out:
	if (go[0] >= 0)
		close(go[0]);
	if (go[1] >= 0)
		close(go[1]);
	if (ep[0] >= 0)
		close(ep[0]);
	if (ep[1] >= 0)
		close(ep[1]);
	return rc;
}

/* ---- waiting ------------------------------------------------------------------- */

/* Flags of the clone-family call a thread is in, from its entry stop. */
static uint64_t clone_flags_of(struct rp_thread *p)
{
	switch (p->sc.nr) {
	case SYS_clone:
		return p->sc.args[0];
	case SYS_fork:
		return SIGCHLD;
	case SYS_vfork:
		return CLONE_VM | CLONE_VFORK | SIGCHLD;
	case SYS_clone3: {
		uint64_t flags = 0;

		if (rp_thread__read(p, p->sc.args[0], &flags, sizeof(flags)) != sizeof(flags))
			return 0;
		return flags;
	}
	default:
		return 0;
	}
}

static int fill_entry(struct rp_thread *t)
{
	struct rp_regs *r = rp_thread__regs(t);
	int i;

	if (!r)
		return -errno;
	t->sc.nr = rp_regs_nr(r);
	for (i = 0; i < 6; i++)
		t->sc.args[i] = rp_regs_arg(r, (unsigned)i);
	t->sc.ip = rp_regs_ip(r);
	t->sc.ret = 0;
	return 0;
}

/* Next thread whose first stop and creator are both known but which has
 * not been reported yet. */
static struct rp_thread *unannounced(struct rp_engine *e)
{
	struct rp_thread *t;

	for (t = e->threads; t; t = t->next)
		if (t->state != RP_TS_DEAD && !t->announced && t->first_stop_seen && t->parent)
			return t;
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Handle one waitpid result.  Returns an rp_stop to report, or -1 when the
 * stop was dealt with internally. */
static int on_status(struct rp_engine *e, pid_t pid, int st, struct rp_thread **out)
{
	struct rp_thread *t = rp_engine__find(e, pid);
	unsigned event;
	int sig;

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		if (!t)
			return -1; /* an orphan reaped as subreaper, or a late report */
		thread_dead(e, t, st);
		*out = t;
		return RP_STOP_GONE;
	}
	if (!WIFSTOPPED(st))
		return -1;
	if (!t) {
		/* The first stop of a new thread reported before its creator's
		 * clone event: hold it until the creator is known. */
		t = thread_add(e, pid);
		if (!t)
			return -1;
		t->first_stop_seen = true;
		return -1;
	}
	t->regs_valid = t->regs_dirty = false;
	sig = WSTOPSIG(st);
	event = (unsigned)st >> 16;
	*out = t;

	if (event == PTRACE_EVENT_SECCOMP) {
		t->state = RP_TS_ENTER;
		t->want_exit = false;
		if (fill_entry(t) < 0)
			return -1;
		/* x32 calls carry __X32_SYSCALL_BIT in the number.  (i386 calls
		 * through int 0x80 are not told apart: their numbers are
		 * foreign to the recording and show as divergences.) */
		t->sc.arch = (t->sc.nr & 0x40000000u) ? 0x4000003eu : RP_AUDIT_ARCH_NATIVE;
		return RP_STOP_ENTER;
	}
	if (sig == (SIGTRAP | 0x80)) {
		struct __ptrace_syscall_info info;

		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info) <= 0) {
			ptrace(PTRACE_CONT, pid, NULL, NULL);
			return -1;
		}
		if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
			t->state = RP_TS_EXIT;
			t->want_exit = false;
			t->sc.ret = info.exit.rval;
			return RP_STOP_EXIT;
		}
		/* A syscall-entry stop (we resumed with PTRACE_SYSCALL and the
		 * thread entered a new call): the seccomp stop follows. */
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		return -1;
	}
	switch (event) {
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK: {
		unsigned long msg = 0;
		struct rp_thread *c;
		uint64_t flags = clone_flags_of(t);

		t->state = RP_TS_EVENT;
		if (ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg) < 0)
			return -1;
		c = rp_engine__find(e, (pid_t)msg);
		if (!c && !(c = thread_add(e, (pid_t)msg)))
			return -1;
		c->parent = t;
		c->clone_flags = flags;
		c->pid = (flags & CLONE_THREAD) ? t->pid : c->tid;
		if (flags & CLONE_VM) {
			c->mm = t->mm;
			if (c->mm)
				c->mm->refs++;
		} else {
			/* A copy of the parent's memory, scratch mapping included. */
			c->mm = mm_new(t->mm ? t->mm->scratch : 0);
		}
		t->child = c;
		return RP_STOP_CLONED;
	}
	case PTRACE_EVENT_EXEC: {
		unsigned long former = 0;
		struct rp_thread *o;

		ptrace(PTRACE_GETEVENTMSG, pid, NULL, &former);
		t->former_tid = (pid_t)former;
		if (former && (pid_t)former != pid) {
			/* A non-leader thread exec'd and took the leader's tid: the
			 * object we know as `t` is the old leader, which is gone. */
			o = rp_engine__find(e, (pid_t)former);
			if (o) {
				thread_dead(e, t, 0);
				o->tid = pid;
				t = o;
				*out = t;
			}
		}
		t->state = RP_TS_EVENT;
		mm_put(t->mm);
		t->mm = mm_new(0);
		return RP_STOP_EXEC;
	}
	case PTRACE_EVENT_STOP:
		if (!t->first_stop_seen) {
			t->first_stop_seen = true;
			t->state = RP_TS_EVENT;
			return -1; /* reported through unannounced() */
		}
		/* A group stop: we deliver no stopping signal of our own, so let
		 * the thread go on. */
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		t->state = RP_TS_RUNNING;
		return -1;
	default:
		break;
	}
	if (event) {
		ptrace(PTRACE_CONT, pid, NULL, NULL);
		return -1;
	}
	/* A signal-delivery stop. */
	t->state = RP_TS_SIGNAL;
	memset(&t->si, 0, sizeof(t->si));
	if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &t->si) < 0)
		t->si.si_signo = sig;
	if (sig == SIGSEGV && t->si.si_code == SI_KERNEL) {
		struct rp_regs *r = rp_thread__regs(t);
		uint8_t insn[4];
		ssize_t n = r ? rp_thread__read(t, rp_regs_ip(r), insn, sizeof(insn)) : -1;

		if (n > 0) {
			t->tsc = rp_arch_decode_tsc(insn, (size_t)n, &t->tsc_len);
			if (t->tsc != RP_TSC_NONE) {
				t->state = RP_TS_EVENT;
				return RP_STOP_TSC;
			}
		}
	}
	return RP_STOP_SIGNAL;
}

int rp_engine__wait(struct rp_engine *e, int timeout_ms, struct rp_thread **out)
{
	int64_t deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;

	*out = NULL;
	for (;;) {
		struct rp_thread *t = unannounced(e);
		int st, r;
		pid_t pid;

		if (t) {
			t->announced = true;
			t->state = RP_TS_EVENT;
			*out = t;
			return RP_STOP_NEW;
		}
		if (!e->alive)
			return -ECHILD;
		if (timeout_ms >= 0 && !e->timer_set) {
			/* No tick: poll. */
			pid = waitpid(-1, &st, __WALL | WNOHANG);
			if (pid == 0) {
				struct timespec ts = {0, 1000000};

				if (now_ms() >= deadline)
					return RP_STOP_TIMEOUT;
				nanosleep(&ts, NULL);
				continue;
			}
		} else {
			pid = waitpid(-1, &st, __WALL);
		}
		if (pid < 0) {
			if (errno == EINTR) {
				if (timeout_ms >= 0 && now_ms() >= deadline)
					return RP_STOP_TIMEOUT;
				continue;
			}
			return -errno;
		}
		r = on_status(e, pid, st, out);
		if (r >= 0)
			return r;
	}
}

/* ---- registers ------------------------------------------------------------------- */

struct rp_regs *rp_thread__regs(struct rp_thread *t)
{
	int err;

	if (t->state == RP_TS_DEAD || t->state == RP_TS_RUNNING) {
		errno = ESRCH;
		return NULL;
	}
	if (!t->regs_valid) {
		err = rp_regs_get(t->tid, &t->regs);
		if (err) {
			errno = -err;
			return NULL;
		}
		t->regs_valid = true;
	}
	return &t->regs;
}

void rp_thread__regs_changed(struct rp_thread *t)
{
	t->regs_dirty = true;
}

static int flush_regs(struct rp_thread *t)
{
	int err;

	if (!t->regs_dirty)
		return 0;
	err = rp_regs_set(t->tid, &t->regs);
	if (!err)
		t->regs_dirty = false;
	return err;
}

/* The registers of `t` to change, when it is stopped in `state`: NULL with
 * errno EINVAL when it is not, or with the error of reading them.  They are
 * marked for writing back at the next resume. */
static struct rp_regs *regs_to_change(struct rp_thread *t, enum rp_thread_state state)
{
	struct rp_regs *r;

	if (t->state != state) {
		errno = EINVAL;
		return NULL;
	}
	r = rp_thread__regs(t);
	if (r)
		t->regs_dirty = true;
	return r;
}

int rp_thread__skip(struct rp_thread *t, int64_t ret)
{
	struct rp_regs *r = regs_to_change(t, RP_TS_ENTER);

	if (!r)
		return -errno;
	rp_regs_set_nr(r, (uint64_t)-1);
	rp_regs_set_ret(r, (uint64_t)ret);
	return 0;
}

int rp_thread__set_arg(struct rp_thread *t, unsigned i, uint64_t v)
{
	struct rp_regs *r;

	if (i > 5)
		return -EINVAL;
	r = regs_to_change(t, RP_TS_ENTER);
	if (!r)
		return -errno;
	rp_regs_set_arg(r, i, v);
	t->sc.args[i] = v;
	return 0;
}

int rp_thread__set_ret(struct rp_thread *t, int64_t ret)
{
	struct rp_regs *r = regs_to_change(t, RP_TS_EXIT);

	if (!r)
		return -errno;
	rp_regs_set_ret(r, (uint64_t)ret);
	t->sc.ret = ret;
	return 0;
}

int rp_thread__restart(struct rp_thread *t, uint64_t nr)
{
	struct rp_regs *r = regs_to_change(t, RP_TS_ENTER);

	if (!r)
		return -errno;
	rp_regs_set_ip(r, rp_regs_ip(r) - RP_SYSCALL_INSN_LEN);
	rp_regs_set_restart_nr(r, nr);
	rp_regs_set_nr(r, (uint64_t)-1);
	return 0;
}

int rp_thread__complete_tsc(struct rp_thread *t, uint64_t tsc)
{
	struct rp_regs *r = rp_thread__regs(t);

	if (!r)
		return -errno;
	rp_arch_complete_tsc(r, t->tsc, t->tsc_len, tsc, 0);
	t->regs_dirty = true;
	return 0;
}

int rp_thread__resume(struct rp_thread *t, enum rp_resume how, int sig)
{
	int err;

	if (t->state == RP_TS_DEAD)
		return -ESRCH;
	if (t->state == RP_TS_RUNNING)
		return -EINVAL;
	err = flush_regs(t);
	if (err)
		return err;
	if (ptrace(how == RP_RESUME_TO_EXIT ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, NULL,
		   (void *)(long)sig) < 0)
		return -errno;
	t->want_exit = how == RP_RESUME_TO_EXIT;
	t->state = RP_TS_RUNNING;
	t->regs_valid = false;
	return 0;
}

int rp_thread__kill(struct rp_thread *t, int sig)
{
	if (syscall(SYS_tgkill, t->pid, t->tid, sig) < 0)
		return -errno;
	return 0;
}

/* ---- memory ----------------------------------------------------------------------- */

ssize_t rp_thread__read(struct rp_thread *t, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {buf, len}, remote = {(void *)addr, len};
	ssize_t n;

	if (!len)
		return 0;
	n = process_vm_readv(t->tid, &local, 1, &remote, 1, 0);
	if (n >= 0)
		return n;
	if (errno == EFAULT)
		return -EFAULT;
	/* Fall back to /proc/PID/mem (e.g. process_vm_readv not permitted). */
	{
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/mem", t->tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = pread(fd, buf, len, (off_t)addr);
		if (n < 0)
			n = -errno;
		close(fd);
		return n;
	}
}

int rp_thread__write(struct rp_thread *t, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = {(void *)buf, len}, remote = {(void *)addr, len};
	ssize_t n;
	char path[64];
	int fd;

	if (!len)
		return 0;
	n = process_vm_writev(t->tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	/* Short or refused (a read-only page): /proc/PID/mem writes through
	 * page protections, as a debugger does. */
	snprintf(path, sizeof(path), "/proc/%d/mem", t->tid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pwrite(fd, buf, len, (off_t)addr);
	close(fd);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EFAULT;
}

ssize_t rp_thread__read_str(struct rp_thread *t, uint64_t addr, char *buf, size_t cap)
{
	size_t got = 0;

	if (!cap)
		return -EINVAL;
	while (got < cap - 1) {
		/* Never read across a page boundary in one go: the next page may
		 * be unmapped while the string ends before it. */
		size_t page_left = 4096 - ((addr + got) & 4095);
		size_t want = FR_MIN(page_left, cap - 1 - got);
		ssize_t n = rp_thread__read(t, addr + got, buf + got, want);
		void *nul;

		if (n <= 0) {
			buf[got] = 0;
			return n < 0 ? n : -EFAULT;
		}
		nul = memchr(buf + got, 0, (size_t)n);
		if (nul)
			return (char *)nul - buf;
		got += (size_t)n;
	}
	buf[cap - 1] = 0;
	return -ENAMETOOLONG;
}

/* ---- running our own system calls in the tracee ----------------------------------- */

/* Wait for `t` specifically; signals that arrive meanwhile are dropped
 * (counted): the engine's own calls are not where the program gets them. */
static int wait_self(struct rp_thread *t, int *st)
{
	for (;;) {
		if (waitpid(t->tid, st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!WIFSTOPPED(*st))
			return -ESRCH;
		if (((unsigned)*st >> 16) == 0 && WSTOPSIG(*st) != (SIGTRAP | 0x80)) {
			t->signals_dropped++;
			ptrace(PTRACE_CONT, t->tid, NULL, NULL);
			continue;
		}
		return 0;
	}
}

int rp_thread__inject(struct rp_thread *t, long nr, const uint64_t args[6], int64_t *ret)
{
	struct rp_regs saved, r;
	struct __ptrace_syscall_info info;
	int st, err, i;

	if (t->state != RP_TS_ENTER)
		return -EINVAL;
	if (t->regs_dirty)
		return -EBUSY;
	if (!rp_thread__regs(t))
		return -errno;
	saved = t->regs;
	r = saved;
	rp_regs_set_nr(&r, (uint64_t)nr);
	for (i = 0; i < 6; i++)
		rp_regs_set_arg(&r, (unsigned)i, args[i]);
	err = rp_regs_set(t->tid, &r);
	if (err)
		return err;
	/* Run it: the changed number is filtered again and allowed, and
	 * PTRACE_SYSCALL gives us its exit. */
	if (ptrace(PTRACE_SYSCALL, t->tid, NULL, NULL) < 0)
		return -errno;
	for (;;) {
		err = wait_self(t, &st);
		if (err)
			goto dead;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80) &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_EXIT)
			break;
		ptrace(PTRACE_SYSCALL, t->tid, NULL, NULL);
	}
	*ret = info.exit.rval;
	/* Back onto the syscall instruction with the original number: the
	 * thread enters its own call again and stops at its seccomp stop. */
	r = saved;
	rp_regs_set_ip(&r, rp_regs_ip(&saved) - RP_SYSCALL_INSN_LEN);
	rp_regs_set_restart_nr(&r, rp_regs_nr(&saved));
	err = rp_regs_set(t->tid, &r);
	if (err)
		return err;
	if (ptrace(PTRACE_CONT, t->tid, NULL, NULL) < 0)
		return -errno;
	for (;;) {
		err = wait_self(t, &st);
		if (err)
			goto dead;
		if (((unsigned)st >> 16) == PTRACE_EVENT_SECCOMP)
			break;
		ptrace(PTRACE_CONT, t->tid, NULL, NULL);
	}
	/* The registers are the saved ones again (rax = -ENOSYS at entry). */
	t->regs = saved;
	t->regs_valid = true;
	t->regs_dirty = false;
	return 0;
dead:
	t->state = RP_TS_RUNNING; /* its death is reported by the next wait */
	return err;
}

int rp_thread__scratch(struct rp_thread *t, uint64_t *addr)
{
	/* Far below where mmap places things top-down (just under the stack,
	 * ASLR being off) and far above the heap. */
	static const uint64_t hints[] = {0x7e0000000000ULL, 0x3e0000000000ULL, 0x1e0000000000ULL};
	size_t i;

	if (!t->mm)
		return -ESRCH;
	if (t->mm->scratch) {
		*addr = t->mm->scratch;
		return 0;
	}
	for (i = 0; i < FR_ARRAY_SIZE(hints); i++) {
		uint64_t args[6] = {hints[i],
				    RP_SCRATCH_LEN,
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				    (uint64_t)-1,
				    0};
		int64_t ret;
		int err = rp_thread__inject(t, SYS_mmap, args, &ret);

		if (err)
			return err;
		if (ret == (int64_t)hints[i]) {
			t->mm->scratch = hints[i];
			*addr = hints[i];
			return 0;
		}
		if (ret >= 0 && ret != (int64_t)hints[i]) {
			/* A kernel without MAP_FIXED_NOREPLACE placed it elsewhere. */
			uint64_t un[6] = {(uint64_t)ret, RP_SCRATCH_LEN, 0, 0, 0, 0};

			rp_thread__inject(t, SYS_munmap, un, &ret);
		}
	}
	return -ENOMEM;
}

void rp_thread__note_unmap(struct rp_thread *t, uint64_t addr, uint64_t len)
{
	if (t->mm && t->mm->scratch && addr < t->mm->scratch + RP_SCRATCH_LEN &&
	    addr + len > t->mm->scratch)
		t->mm->scratch = 0;
}
