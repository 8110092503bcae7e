/* SPDX-License-Identifier: MIT */
/*
 * engine.h: the ptrace engine of `flightrec replay`.
 *
 * The engine knows how to run a program under ptrace and nothing about
 * recordings: it starts the program (ASLR off, TSC trapped, every system
 * call stopping in the tracer through a seccomp SECCOMP_RET_TRACE filter),
 * follows its threads and children, and turns each ptrace stop into one
 * event for a driver (strict replay: replay/strict.c; what-if replay can
 * drive the same engine).  The driver answers each event with the verbs
 * below: skip a call and set its result, let it run, read and write the
 * tracee's memory, run a system call of its own in the tracee, resume.
 *
 * One stop per emulated call: at the seccomp stop the call is skipped
 * (orig_rax = -1) with its result already in rax, and the thread is resumed
 * with PTRACE_CONT, so there is no syscall-exit stop.  A call that must run
 * for real and whose result the driver wants to see is resumed with
 * PTRACE_SYSCALL, which gives one syscall-exit stop.
 *
 * Threads are plain structs the driver may read; only the engine writes the
 * public fields.  Every verb returns 0 (or a count) or -errno.
 */
#ifndef FR_REPLAY_ENGINE_H
#define FR_REPLAY_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "formats/bundle.h"
#include "replay/arch/x86_64/arch.h"

/* Bytes of tracee memory the engine maps for its own use (paths of files it
 * opens in the tracee, ...), per address space. */
#define RP_SCRATCH_LEN 65536

enum rp_thread_state {
	RP_TS_RUNNING = 0, /* resumed: no stop to report */
	RP_TS_ENTER,	   /* stopped at the entry of a system call (seccomp stop) */
	RP_TS_EXIT,	   /* stopped at the exit of a system call */
	RP_TS_SIGNAL,	   /* stopped at the delivery of a signal */
	RP_TS_EVENT,	   /* another ptrace stop (clone, exec, first stop, tsc) */
	RP_TS_DEAD,	   /* exited or killed */
};

/* What rp_engine__wait reports. */
enum rp_stop {
	RP_STOP_TIMEOUT = 0,
	RP_STOP_ENTER,	/* t->sc holds the call: nr, args, ip */
	RP_STOP_EXIT,	/* t->sc.ret holds the result of the call t->sc */
	RP_STOP_CLONED, /* t created t->child (reported later with RP_STOP_NEW) */
	RP_STOP_NEW,	/* first stop of a new thread or process: t->parent, t->clone_flags */
	RP_STOP_EXEC,	/* t completed an execve (its exit stop follows when asked for) */
	RP_STOP_SIGNAL, /* a signal is about to be delivered: t->si */
	RP_STOP_TSC,	/* t executed rdtsc/rdtscp: answer with rp_thread__complete_tsc */
	RP_STOP_GONE,	/* t exited or was killed: t->wstatus */
};

/* A system call as the tracee made it. */
struct rp_syscall {
	uint64_t nr;
	uint64_t args[6];
	int64_t ret;   /* at RP_STOP_EXIT */
	uint64_t ip;   /* just after the syscall instruction */
	uint32_t arch; /* AUDIT_ARCH_*: calls of other ABIs are reported too */
};

/* An address space, shared by threads (CLONE_VM) and vfork children. */
struct rp_mm {
	unsigned refs;
	uint64_t scratch; /* address of the engine's scratch mapping, 0 = none yet */
};

struct rp_thread {
	pid_t tid; /* real thread id */
	pid_t pid; /* real thread-group id */
	enum rp_thread_state state;
	struct rp_syscall sc;	  /* the current system call (ENTER / EXIT) */
	siginfo_t si;		  /* RP_STOP_SIGNAL */
	int wstatus;		  /* RP_STOP_GONE: wait(2) status */
	struct rp_thread *parent; /* RP_STOP_NEW: the thread whose call created this one */
	struct rp_thread *child;  /* RP_STOP_CLONED: the thread just created */
	uint64_t clone_flags;	  /* RP_STOP_NEW: CLONE_* of the creating call */
	pid_t former_tid;	  /* RP_STOP_EXEC: tid before exec (a non-leader thread exec'd) */
	enum rp_tsc_insn tsc;	  /* RP_STOP_TSC */
	unsigned tsc_len;
	struct rp_mm *mm;
	void *user;		  /* the driver's */
	unsigned signals_dropped; /* signals that arrived while the engine ran its own calls */

	/* engine-private */
	struct rp_regs regs;
	bool regs_valid, regs_dirty;
	bool first_stop_seen, announced, want_exit;
	struct rp_thread *next;
};

struct rp_engine;

/* How to start the program. */
struct rp_spawn {
	const char *path; /* file to execute */
	char *const *argv;
	char *const *envp;
	const char *cwd; /* NULL: the replayer's */
	const int *fds;	 /* descriptors the program starts with: each gets a */
	size_t n_fds;	 /* /dev/null placeholder, every other one is closed */
	const struct fr_rlimit *rlimits;
	size_t n_rlimits;
};

/* Create an engine.  Blocks SIGCHLD in the caller (for timed waits) and
 * makes it a child subreaper; rp_engine__free undoes both.  0 or -errno. */
int rp_engine__new(struct rp_engine **out);
/* Kills every traced thread still alive, reaps them, frees everything. */
void rp_engine__free(struct rp_engine *e);

/*
 * Fork, prepare and exec the program under ptrace (PTRACE_SEIZE with
 * EXITKILL, TRACESYSGOOD, TRACECLONE/FORK/VFORK/EXEC/SECCOMP; ASLR off;
 * PR_SET_TSC(PR_TSC_SIGSEGV); the seccomp trace filter; the placeholder fds,
 * rlimits and cwd of `s`).  Returns 0 with *root stopped at its exec
 * (state RP_TS_EVENT: the caller resumes it), or -errno with a message in
 * `err` (a failed exec says why).
 */
int rp_engine__spawn(struct rp_engine *e, const struct rp_spawn *s, struct rp_thread **root,
		     char *err, size_t errlen);

/*
 * Wait for the next stop of any traced thread, at most `timeout_ms`
 * milliseconds (-1: no limit).  Returns an enum rp_stop (RP_STOP_TIMEOUT
 * when the time ran out) with *t set, -ECHILD when no traced thread
 * remains, or -errno.
 */
int rp_engine__wait(struct rp_engine *e, int timeout_ms, struct rp_thread **t);

/* Traced threads, alive or dead, in creation order. */
struct rp_thread *rp_engine__threads(struct rp_engine *e);
/* Number of threads not yet gone. */
unsigned rp_engine__alive(const struct rp_engine *e);
/* Is a thread created (clone event seen, or first stop seen) but not yet
 * reported with RP_STOP_NEW?  Its report will come: waiting makes progress. */
bool rp_engine__expecting(const struct rp_engine *e);
/* The thread with real id `tid`, or NULL. */
struct rp_thread *rp_engine__find(struct rp_engine *e, pid_t tid);
/* SIGKILL every live traced thread (the engine still reports them gone). */
void rp_engine__kill_all(struct rp_engine *e);

/* ---- verbs on a stopped thread -------------------------------------------- */

/* RP_TS_ENTER: do not run the call; the thread will see `ret` as its result. */
int rp_thread__skip(struct rp_thread *t, int64_t ret);
/* RP_TS_ENTER: change argument i before the call runs for real. */
int rp_thread__set_arg(struct rp_thread *t, unsigned i, uint64_t v);
/* RP_TS_EXIT: change the result the thread sees. */
int rp_thread__set_ret(struct rp_thread *t, int64_t ret);
/* RP_TS_ENTER: re-issue a call later: the current call is skipped and the
 * thread put back onto its syscall instruction with number `nr` (the same
 * call, or restart_syscall), so it enters that call once resumed (after a
 * signal handler, say). */
int rp_thread__restart(struct rp_thread *t, uint64_t nr);
/* RP_STOP_TSC: load `tsc` as the instruction's result and step over it. */
int rp_thread__complete_tsc(struct rp_thread *t, uint64_t tsc);

enum rp_resume {
	RP_RESUME_RUN,	   /* PTRACE_CONT: run until the next call or event */
	RP_RESUME_TO_EXIT, /* PTRACE_SYSCALL: also stop at the exit of the current call */
};
/* Resume a stopped thread, delivering `sig` (0: none) at a signal stop. */
int rp_thread__resume(struct rp_thread *t, enum rp_resume how, int sig);
/* tgkill(2) the thread (a signal the tracee will see at its next stop). */
int rp_thread__kill(struct rp_thread *t, int sig);

/* Read up to len bytes of tracee memory at addr.  Returns the bytes read
 * (short when an unmapped page ends the range), or -errno. */
ssize_t rp_thread__read(struct rp_thread *t, uint64_t addr, void *buf, size_t len);
/* Write len bytes, through read-only mappings too.  0 or -errno (-EFAULT). */
int rp_thread__write(struct rp_thread *t, uint64_t addr, const void *buf, size_t len);
/* Read a NUL-terminated string into buf (capacity cap, NUL-terminated on
 * success).  Returns its length, -ENAMETOOLONG when no NUL within cap - 1
 * bytes (buf then holds the first cap - 1), or -errno. */
ssize_t rp_thread__read_str(struct rp_thread *t, uint64_t addr, char *buf, size_t cap);

/*
 * RP_TS_ENTER only, with no pending register change (inject before skip or
 * set_arg): run system call `nr` with `args` in the thread, for the engine's
 * or the driver's own purposes, and return its result in *ret.  The thread
 * ends up stopped at the entry of its own call again, as if nothing had
 * happened.  Two extra stops per injected call.
 */
int rp_thread__inject(struct rp_thread *t, long nr, const uint64_t args[6], int64_t *ret);
/* The address of the scratch mapping of t's address space, mapped on first
 * use (an injected mmap far from where the program's mappings go, so the
 * program's own addresses do not move).  RP_TS_ENTER only. */
int rp_thread__scratch(struct rp_thread *t, uint64_t *addr);
/* The program mapped or unmapped [addr, addr+len): forget the scratch
 * mapping if that range covered it. */
void rp_thread__note_unmap(struct rp_thread *t, uint64_t addr, uint64_t len);

/* Registers of a stopped thread (fetched once per stop).  NULL on error.
 * Call rp_thread__regs_changed after modifying them. */
struct rp_regs *rp_thread__regs(struct rp_thread *t);
void rp_thread__regs_changed(struct rp_thread *t);

#endif /* FR_REPLAY_ENGINE_H */
