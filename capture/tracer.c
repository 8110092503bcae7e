// SPDX-License-Identifier: MIT
/* tracer.c: ptrace supervision of the recorded tree (see tracer.h). */
#include "capture/tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture/compat.h"
#include "formats/util.h"
#include "replay/arch/x86_64/vdso.h"

struct fr_tracer {
	struct fr_tracer_opts o;
	pid_t root;
	int go_fd;  /* write end: the child execs when it reads a byte */
	int err_fd; /* read end: errno of a failed exec, EOF after a good one */
	bool seized;
	int root_status;
	bool root_done;
	/* tids known to be traced (their first stop seen) */
	pid_t *known;
	size_t nknown, cap_known;
	struct fr_tracer_proc *procs;
	size_t nprocs, cap_procs;
	struct fr_buildid_cache *bc;
	unsigned vdso_ok, vdso_failed;
	char vdso_err[256];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool is_known(struct fr_tracer *t, pid_t pid)
{
	size_t i;

	for (i = 0; i < t->nknown; i++)
		if (t->known[i] == pid)
			return true;
	return false;
}

static void add_known(struct fr_tracer *t, pid_t pid)
{
	if (is_known(t, pid))
		return;
	if (t->nknown == t->cap_known) {
		size_t cap = t->cap_known ? 2 * t->cap_known : 64;
		pid_t *n = realloc(t->known, cap * sizeof(*n));

		if (!n)
			return;
		t->known = n;
		t->cap_known = cap;
	}
	t->known[t->nknown++] = pid;
}

static void del_known(struct fr_tracer *t, pid_t pid)
{
	size_t i;

	for (i = 0; i < t->nknown; i++)
		if (t->known[i] == pid) {
			t->known[i] = t->known[--t->nknown];
			return;
		}
}

/* Thread group of a tid, from /proc (0 when gone). */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[256];
	pid_t tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/* The live entry of process `pid`, or NULL. */
static struct fr_tracer_proc *find_proc(struct fr_tracer *t, pid_t pid)
{
	size_t i = t->nprocs;

	while (i--)
		if (t->procs[i].p.pid == (uint32_t)pid && !t->procs[i].exited)
			return &t->procs[i];
	return NULL;
}

static struct fr_tracer_proc *new_proc(struct fr_tracer *t)
{
	if (t->nprocs == t->cap_procs) {
		size_t cap = t->cap_procs ? 2 * t->cap_procs : 16;
		struct fr_tracer_proc *n = realloc(t->procs, cap * sizeof(*n));

		if (!n)
			return NULL;
		t->procs = n;
		t->cap_procs = cap;
	}
	memset(&t->procs[t->nprocs], 0, sizeof(t->procs[0]));
	return &t->procs[t->nprocs++];
}

/* Snapshot process `pid` (a thread group leader) now. */
static void snapshot(struct fr_tracer *t, pid_t pid, bool at_exec)
{
	struct fr_tracer_proc *tp;
	struct fr_process p;

	if (!t->o.snapshots)
		return;
	if (fr_procfs__snapshot(pid, FR_SNAP_ALL, t->bc, &p))
		return;
	tp = find_proc(t, pid);
	if (tp && !at_exec) {
		fr_process__clear(&p); /* first sight already taken */
		return;
	}
	if (!tp)
		tp = new_proc(t);
	if (!tp) {
		fr_process__clear(&p);
		return;
	}
	fr_process__clear(&tp->p);
	tp->p = p;
	tp->snap_ns = mono_ns();
}

/* At the exit stop of a leader: its maps now hold every library it loaded. */
static void exit_snapshot(struct fr_tracer *t, pid_t pid, int status)
{
	struct fr_tracer_proc *tp = find_proc(t, pid);
	struct fr_process p;

	if (!tp)
		return;
	tp->wait_status = status;
	if (!t->o.snapshots || fr_procfs__snapshot(pid, FR_SNAP_MAPS, t->bc, &p))
		return;
	if (p.n_maps) {
		size_t i;

		for (i = 0; i < tp->p.n_maps; i++) {
			free(tp->p.maps[i].path);
			free(tp->p.maps[i].build_id);
		}
		free(tp->p.maps);
		tp->p.maps = p.maps;
		tp->p.n_maps = p.n_maps;
		p.maps = NULL;
		p.n_maps = 0;
		tp->exit_snap_ns = mono_ns();
	}
	fr_process__clear(&p);
}

int fr_tracer__spawn(char *const argv[], const struct fr_tracer_opts *o, struct fr_tracer **out,
		     pid_t *pid_out, char *err, size_t errlen)
{
	int go[2] = {-1, -1}, ep[2] = {-1, -1}, rc;
	struct fr_tracer *t;
	pid_t pid;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t || fr_buildid_cache__new(&t->bc)) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	t->o = *o;
	t->go_fd = t->err_fd = -1;
	if (pipe2(go, O_CLOEXEC) || pipe2(ep, O_CLOEXEC)) {
		rc = -errno;
		snprintf(err, errlen, "creating pipes: %s", strerror(-rc));
		goto fail;
	}
	/* orphans of the tree become our children: we see every exit */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		snprintf(err, errlen, "fork: %s", strerror(-rc));
		goto fail;
	}
	if (pid == 0) {
		sigset_t all;
		char c;
		int e, pers;

		close(go[1]);
		close(ep[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		pers = personality(0xffffffff);
		if (pers != -1)
			personality((unsigned long)pers | ADDR_NO_RANDOMIZE);
		if (read(go[0], &c, 1) != 1)
			_exit(127); /* the recorder went away */
		close(go[0]);
		execvp(argv[0], argv);
		e = errno;
		if (write(ep[1], &e, sizeof(e)) != (ssize_t)sizeof(e))
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	close(go[0]);
	close(ep[1]);
	t->root = pid;
	t->go_fd = go[1];
	t->err_fd = ep[0];
	errno = EPERM;
	if (!fr_compat_env_hidden("ptrace") &&
	    ptrace(PTRACE_SEIZE, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
				  PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT)) == 0) {
		t->seized = true;
		add_known(t, pid);
	} else {
		pr_warn("record: cannot ptrace the command (%s): time read through the "
			"vDSO will not be recorded and the process table will be thin\n",
			strerror(errno));
	}
	*pid_out = pid;
	*out = t;
	return 0;
fail:
	if (go[0] >= 0)
		close(go[0]), close(go[1]);
	if (ep[0] >= 0)
		close(ep[0]), close(ep[1]);
	fr_tracer__free(t);
	return rc;
}

int fr_tracer__release(struct fr_tracer *t, char *err, size_t errlen)
{
	int e = 0, st;
	ssize_t n;

	if (write(t->go_fd, "x", 1) != 1) {
		snprintf(err, errlen, "starting the command: %s", strerror(errno));
		return -errno;
	}
	close(t->go_fd);
	t->go_fd = -1;
	do
		n = read(t->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(t->err_fd);
	t->err_fd = -1;
	if (n == (ssize_t)sizeof(e)) {
		/* exec failed: collect the child */
		for (;;) {
			pid_t p = waitpid(t->root, &st, __WALL);

			if (p < 0 && errno == EINTR)
				continue;
			if (p < 0 || WIFEXITED(st) || WIFSIGNALED(st))
				break;
			if (WIFSTOPPED(st))
				ptrace(PTRACE_CONT, t->root, NULL, NULL);
		}
		t->root_done = true;
		snprintf(err, errlen, "%s", strerror(e));
		return -e;
	}
	return 0;
}

static void resume(struct fr_tracer *t, pid_t pid, int sig)
{
	(void)t;
	ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
}

static void on_stop(struct fr_tracer *t, pid_t pid, int st)
{
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	unsigned long msg = 0;
	bool first = !is_known(t, pid);

	add_known(t, pid);
	switch (event) {
	case PTRACE_EVENT_EXEC: {
		char err[256];
		int rc;

		rc = fr_vdso_patch(pid, err, sizeof(err));
		if (rc >= 0) {
			t->vdso_ok++;
		} else {
			t->vdso_failed++;
			snprintf(t->vdso_err, sizeof(t->vdso_err), "%s", err);
			pr_warn("record: %s\n", err);
		}
		snapshot(t, pid, true);
		{
			struct fr_tracer_proc *tp = find_proc(t, pid);

			if (tp)
				tp->vdso_patched = rc;
		}
		resume(t, pid, 0);
		return;
	}
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_VFORK_DONE:
		resume(t, pid, 0);
		return;
	case PTRACE_EVENT_EXIT:
		ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
		if (tgid_of(pid) == pid)
			exit_snapshot(t, pid, (int)msg);
		resume(t, pid, 0);
		return;
	case PTRACE_EVENT_STOP:
		if (first) {
			/* a new task of the tree: a process is seen for the first time */
			if (tgid_of(pid) == pid)
				snapshot(t, pid, false);
			resume(t, pid, 0);
		} else if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			ptrace(PTRACE_LISTEN, pid, NULL, NULL); /* group stop: stay stopped */
		} else {
			resume(t, pid, 0);
		}
		return;
	default:
		/* signal-delivery-stop: deliver it */
		resume(t, pid, sig);
		return;
	}
}

int fr_tracer__run(struct fr_tracer *t)
{
	int st;

	if (t->root_done)
		return t->root_status;
	for (;;) {
		pid_t pid = waitpid(-1, &st, __WALL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			return -errno;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			struct fr_tracer_proc *tp = find_proc(t, pid);

			del_known(t, pid);
			if (tp) {
				tp->exited = true;
				tp->wait_status = st;
			}
			if (pid == t->root) {
				t->root_status = st;
				t->root_done = true;
			}
			continue;
		}
		if (WIFSTOPPED(st) && t->seized)
			on_stop(t, pid, st);
	}
	return t->root_done ? t->root_status : -ECHILD;
}

void fr_tracer__signal_root(struct fr_tracer *t, int sig)
{
	if (t && t->root > 0 && !t->root_done)
		kill(t->root, sig);
}

size_t fr_tracer__nprocs(const struct fr_tracer *t)
{
	return t->nprocs;
}

struct fr_tracer_proc *fr_tracer__proc(struct fr_tracer *t, size_t i)
{
	return i < t->nprocs ? &t->procs[i] : NULL;
}

struct fr_buildid_cache *fr_tracer__buildids(struct fr_tracer *t)
{
	return t->bc;
}

void fr_tracer__vdso_stats(const struct fr_tracer *t, unsigned *ok, unsigned *failed,
			   const char **last_err)
{
	*ok = t->vdso_ok;
	*failed = t->vdso_failed;
	*last_err = t->vdso_err[0] ? t->vdso_err : NULL;
}

void fr_tracer__free(struct fr_tracer *t)
{
	size_t i;

	if (!t)
		return;
	if (t->go_fd >= 0)
		close(t->go_fd);
	if (t->err_fd >= 0)
		close(t->err_fd);
	for (i = 0; i < t->nprocs; i++)
		fr_process__clear(&t->procs[i].p);
	free(t->procs);
	free(t->known);
	fr_buildid_cache__free(t->bc);
	free(t);
}
