/* SPDX-License-Identifier: MIT */
/*
 * tracer.h: run the command of `flightrec record` under light ptrace
 * supervision.
 *
 * The command is forked with ASLR disabled (so that replay sees the same
 * addresses) and waits for a go-ahead before it execs, so the recorder can
 * arm the eBPF filter with its pid first.  The tree is ptrace-seized with
 * fork/clone/exec/exit events only (no syscall stops: the cost stays the
 * eBPF recorder's).  At each exec the vDSO time functions are patched into
 * real system calls (replay/arch/x86_64/vdso.h) and the process is
 * snapshotted from /proc; new processes are snapshotted at their first stop,
 * and maps are read again when a process exits (libraries loaded late).
 * Signals pass through; group stops (Ctrl-Z) are honoured with
 * PTRACE_LISTEN.
 */
#ifndef FR_CAPTURE_TRACER_H
#define FR_CAPTURE_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture/procfs.h"
#include "formats/bundle.h"

struct fr_tracer;

struct fr_tracer_opts {
	bool patch_vdso; /* default on in record */
	bool snapshots;	 /* /proc snapshots of the tree */
};

/* A snapshot kept by the tracer; `ts` on CLOCK_MONOTONIC (the event clock). */
struct fr_tracer_proc {
	struct fr_process p; /* identity, fds, threads at exec or first sight */
	uint64_t snap_ns;
	uint64_t exit_snap_ns; /* maps re-read at exit; 0 = not */
	int vdso_patched;      /* entry points patched at the last exec, -errno */
	bool exited;
	int wait_status; /* from the exit stop or waitpid */
};

/*
 * Fork the command (argv[0] searched in PATH), stopped before its exec, and
 * seize it.  Returns 0 with *pid set, or -errno with `err`.
 */
int fr_tracer__spawn(char *const argv[], const struct fr_tracer_opts *o, struct fr_tracer **out,
		     pid_t *pid, char *err, size_t errlen);

/*
 * Let the command exec.  Returns 0 once it did, or, when it could not run,
 * -errno of its exec (ENOENT, EACCES, ...) with `err`; the child has then
 * exited.
 */
int fr_tracer__release(struct fr_tracer *t, char *err, size_t errlen);

/*
 * Supervise until every process of the tree has exited.  Returns the wait
 * status of the command (the root), or -errno.
 */
int fr_tracer__run(struct fr_tracer *t);

/* Send `sig` to the root (for a recorder asked to stop). */
void fr_tracer__signal_root(struct fr_tracer *t, int sig);

size_t fr_tracer__nprocs(const struct fr_tracer *t);
struct fr_tracer_proc *fr_tracer__proc(struct fr_tracer *t, size_t i);
struct fr_buildid_cache *fr_tracer__buildids(struct fr_tracer *t);
/* vDSO patching summary: processes patched, failures, last error. */
void fr_tracer__vdso_stats(const struct fr_tracer *t, unsigned *ok, unsigned *failed,
			   const char **last_err);

void fr_tracer__free(struct fr_tracer *t);

#endif
