// SPDX-License-Identifier: MIT
/*
 * strict_calls.c: what strict replay does with one matched call (see
 * strict_impl.h): serve it from the recording (outputs written, result
 * returned, writes mirrored), run it for real, or handle it specially
 * (clone, exec, mmap of files, exit, signals); the descriptor table that
 * follows emulated calls; the files replay runs or maps; time shifting and
 * the TSC; injection.
 */
#include "replay/strict_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"
#include "replay/elfnote.h"
#include "replay/whatif.h"

/* ---- time ------------------------------------------------------------------------- */

static bool clock_shifts(uint64_t clk)
{
	switch (clk) {
	case 0:	 /* CLOCK_REALTIME */
	case 1:	 /* CLOCK_MONOTONIC */
	case 4:	 /* CLOCK_MONOTONIC_RAW */
	case 5:	 /* CLOCK_REALTIME_COARSE */
	case 6:	 /* CLOCK_MONOTONIC_COARSE */
	case 7:	 /* CLOCK_BOOTTIME */
	case 8:	 /* CLOCK_REALTIME_ALARM */
	case 9:	 /* CLOCK_BOOTTIME_ALARM */
	case 11: /* CLOCK_TAI */
		return true;
	default: /* CPU-time clocks do not see delays */
		return false;
	}
}

/* Outputs of time calls run ahead by the injected delays. */
static void adjust_time(void *ctx, const struct rp_call *c, const struct fr_payload *p,
			uint8_t *data, size_t len)
{
	struct fr_replay *R = ctx;
	int64_t sh = R->shift_ns;

	if (!sh)
		return;
	if (c->sc.nr == SYS_clock_gettime && p->arg == 1 && len >= 16 &&
	    clock_shifts(c->sc.args[0])) {
		int64_t ts[2];

		memcpy(ts, data, 16);
		ts[1] += sh % 1000000000;
		ts[0] += sh / 1000000000 + ts[1] / 1000000000;
		ts[1] %= 1000000000;
		memcpy(data, ts, 16);
	} else if (c->sc.nr == SYS_gettimeofday && p->arg == 0 && len >= 16) {
		int64_t tv[2];

		memcpy(tv, data, 16);
		tv[1] += (sh / 1000) % 1000000;
		tv[0] += sh / 1000000000 + tv[1] / 1000000;
		tv[1] %= 1000000;
		memcpy(data, tv, 16);
	} else if (c->sc.nr == SYS_time && p->arg == 0 && len >= 8) {
		int64_t t;

		memcpy(&t, data, 8);
		t += sh / 1000000000;
		memcpy(data, &t, 8);
	}
}

static int64_t served_ret(struct fr_replay *R, const struct rp_call *c)
{
	if (c->sc.nr == SYS_time && c->sc.ret > 0)
		return c->sc.ret + R->shift_ns / 1000000000;
	return c->sc.ret;
}

/* The time-stamp counter the program reads: the recorded time of where the
 * thread is (its last call's exit), plus the injected delays, counting 1
 * per nanosecond and strictly increasing. */
uint64_t st_tsc_value(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_rthread *rt = st_rt_of(R, th);
	struct st_rstate *rs = st_rs_of(R, th);
	uint64_t base = rt ? rt->start_ns : R->rec->start.exec_ns;
	uint32_t i;

	if (rt && rs)
		for (i = FR_MIN(rs->item, rt->n_items); i-- > 0;)
			if (rt->items[i].kind == RP_ITEM_CALL) {
				base = R->rec->calls[rt->items[i].call].exit_ns;
				break;
			}
	base += (uint64_t)R->shift_ns;
	if (base <= th->last_tsc)
		base = th->last_tsc + 1;
	th->last_tsc = base;
	return base;
}

void st_sleep_ns(uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- output mirroring ---------------------------------------------------------------- */

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Copy `len` bytes at addr in the tracee to fd. */
static void mirror_range(struct fr_replay *R, struct st_thread *th, int fd, uint64_t addr,
			 uint64_t len)
{
	uint8_t buf[MIRROR_CHUNK];

	while (len) {
		size_t n = (size_t)FR_MIN(len, (uint64_t)sizeof(buf));
		ssize_t got = rp_thread__read(th->t, addr, buf, n);

		if (got <= 0)
			return;
		write_all(fd, buf, (size_t)got);
		R->res.mirrored_bytes += (uint64_t)got;
		addr += (uint64_t)got;
		len -= (uint64_t)got;
	}
}

/* A write-like call to the program's original stdout/stderr: show what the
 * program wrote (its first `count` bytes). */
void st_mirror(struct fr_replay *R, struct st_thread *th, int64_t count)
{
	const struct rp_fd *f = rp_fdtable__get(th->proc->fds, (int)th->t->sc.args[0]);
	uint64_t nr = th->t->sc.nr;
	int out;

	if (!f || count <= 0)
		return;
	if (f->kind == RP_FD_STDOUT)
		out = R->o.mirror_stdout_fd;
	else if (f->kind == RP_FD_STDERR)
		out = R->o.mirror_stderr_fd;
	else
		return;
	if (out < 0)
		return;
	if (nr == SYS_write || nr == SYS_pwrite64) {
		mirror_range(R, th, out, th->t->sc.args[1],
			     FR_MIN((uint64_t)count, th->t->sc.args[2]));
	} else if (nr == SYS_writev || nr == SYS_pwritev || nr == SYS_pwritev2) {
		uint64_t left = (uint64_t)count, i;

		for (i = 0; i < th->t->sc.args[2] && i < 1024 && left; i++) {
			uint64_t v[2];

			if (rp_thread__read(th->t, th->t->sc.args[1] + i * 16, v, 16) != 16)
				return;
			mirror_range(R, th, out, v[0], FR_MIN(v[1], left));
			left -= FR_MIN(v[1], left);
		}
	}
}

/* Calls that move bytes to a descriptor inside the kernel: what they copy
 * to the program's stdout or stderr is in no recording. */
static void warn_unmirrored(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	static const struct {
		unsigned nr;
		unsigned out_arg;
	} copies[] = {{SYS_sendfile, 0},
		      {SYS_splice, 2},
		      {SYS_tee, 1},
		      {SYS_copy_file_range, 2},
		      {SYS_vmsplice, 0}};
	const struct rp_fd *f;
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(copies); i++) {
		if (c->sc.nr != copies[i].nr || c->sc.ret <= 0)
			continue;
		f = rp_fdtable__get(th->proc->fds, (int)c->sc.args[copies[i].out_arg]);
		if (f && (f->kind == RP_FD_STDOUT || f->kind == RP_FD_STDERR))
			st_warn(R,
				"%" PRId64
				" bytes the program copied to its %s inside the kernel (%s) "
				"are not in the recording and are not shown",
				c->sc.ret, f->kind == RP_FD_STDOUT ? "stdout" : "stderr",
				fr_syscall_name(c->sc.nr));
	}
}

bool st_is_write_like(uint64_t nr)
{
	return nr == SYS_write || nr == SYS_pwrite64 || nr == SYS_writev || nr == SYS_pwritev ||
	       nr == SYS_pwritev2;
}

/* ---- files --------------------------------------------------------------------------- */

/* An absolute version of a path the program named, relative to its cwd or
 * to a directory descriptor. */
static char *resolve(struct st_thread *th, int dirfd, const char *path)
{
	const char *base = NULL;
	char *out;
	size_t n;

	if (!path)
		return NULL;
	if (path[0] == '/')
		return strdup(path);
	if (dirfd == AT_FDCWD) {
		base = th->proc->cwd;
	} else {
		const struct rp_fd *f = rp_fdtable__get(th->proc->fds, dirfd);

		base = f ? f->path : NULL;
	}
	if (!base)
		return strdup(path);
	n = strlen(base) + strlen(path) + 2;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s/%s", base, path);
	return out;
}

/* Extract the bundle's copy of file `build_id` into our temporary directory
 * (once); returns its path in buf. */
static int stored_copy(struct fr_replay *R, const char *build_id, char *buf, size_t cap)
{
	int fd, err;

	if (!R->tmpdir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(R->tmpdir, sizeof(R->tmpdir), "%s/flightrec-replay-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(R->tmpdir)) {
			R->tmpdir[0] = 0;
			return -errno;
		}
	}
	snprintf(buf, cap, "%s/%s", R->tmpdir, build_id);
	if (access(buf, R_OK) == 0)
		return 0;
	fd = open(buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (fd < 0)
		return -errno;
	err = fr_reader__copy_file(R->reader, build_id, fd);
	close(fd);
	if (err)
		unlink(buf);
	return err;
}

/*
 * The file to really use for `path` (a mapping or an exec): the file on
 * this machine when it is there, else the copy in the bundle.  Warns when
 * the local file differs from the recorded one.  Returns 0 with the path in
 * buf, -ENOENT when neither exists.
 */
int st_real_source(struct fr_replay *R, const char *path, const char *rec_build_id, char *buf,
		   size_t cap)
{
	char bid[130];
	const char *key;

	if (!rec_build_id)
		rec_build_id = rp_recording__build_id(R->rec, path);
	if (access(path, F_OK) == 0) {
		if (rec_build_id && rp_elf_build_id(path, bid, sizeof(bid)) == 0 &&
		    strcmp(bid, rec_build_id))
			st_warn(R,
				"%s is not the file that was recorded (build-id %s, recorded %s)",
				path, bid, rec_build_id);
		snprintf(buf, cap, "%s", path);
		return 0;
	}
	key = rp_recording__stored(R->rec, rec_build_id, rec_build_id ? NULL : path);
	if (key && stored_copy(R, key, buf, cap) == 0) {
		st_warn(R, "%s is missing here: using the copy stored in the bundle", path);
		return 0;
	}
	return -ENOENT;
}

/* Write a string into the tracee's scratch page; returns its address. */
static int scratch_str(struct st_thread *th, const char *s, uint64_t *addr)
{
	size_t n = strlen(s) + 1;
	int err;

	if (n > RP_SCRATCH_LEN)
		return -ENAMETOOLONG;
	err = rp_thread__scratch(th->t, addr);
	if (err)
		return err;
	return rp_thread__write(th->t, *addr, s, n);
}

/* Make descriptor `fd` of the tracee really refer to the file the program
 * believes it is (mmap of a file needs the real thing). */
static int install_fd(struct fr_replay *R, struct st_thread *th, int fd)
{
	struct rp_fd *f = rp_fdtable__get(th->proc->fds, fd);
	char src[4096];
	uint64_t addr, args[6] = {0};
	int64_t m, r;
	int err;

	if (!f || f->kind != RP_FD_FILE || !f->path)
		return -EBADF;
	err = st_real_source(R, f->path, NULL, src, sizeof(src));
	if (err)
		return err;
	if (f->real_path && !strcmp(f->real_path, src))
		return 0;
	err = scratch_str(th, src, &addr);
	if (err)
		return err;
	args[0] = (uint64_t)AT_FDCWD;
	args[1] = addr;
	args[2] = O_RDONLY | O_CLOEXEC;
	err = rp_thread__inject(th->t, SYS_openat, args, &m);
	if (err)
		return err;
	if (m < 0)
		return (int)m;
	if (m != fd) {
		uint64_t d[6] = {(uint64_t)m, (uint64_t)fd, f->cloexec ? O_CLOEXEC : 0, 0, 0, 0};
		uint64_t c[6] = {(uint64_t)m, 0, 0, 0, 0, 0};

		err = rp_thread__inject(th->t, SYS_dup3, d, &r);
		rp_thread__inject(th->t, SYS_close, c, &m);
		if (err)
			return err;
		if (r < 0)
			return (int)r;
	} else if (!f->cloexec) {
		uint64_t c[6] = {(uint64_t)fd, F_SETFD, 0, 0, 0, 0};

		rp_thread__inject(th->t, SYS_fcntl, c, &r);
	}
	st_vlog(R, "installed %s as descriptor %d of %d", src, fd, th->t->pid);
	return rp_fdtable__set_real(th->proc->fds, fd, src, f->cloexec);
}

/* ---- the descriptor table follows emulated calls ------------------------------------- */

static const char *in_string(const struct rp_call *c, unsigned arg, char *buf, size_t cap)
{
	const struct fr_payload *p = rp_call_payload(c, FR_PL_IN, (int)arg, -1);
	size_t n;

	if (!p)
		return NULL;
	n = FR_MIN((size_t)p->len, cap - 1);
	memcpy(buf, p->data, n);
	buf[n] = 0;
	return buf;
}

static int out_int_pair(const struct rp_call *c, unsigned arg, int32_t v[2])
{
	const struct fr_payload *p = rp_call_payload(c, FR_PL_OUT, (int)arg, -1);

	if (!p || p->len < 8)
		return -ENOENT;
	memcpy(v, p->data, 8);
	return 0;
}

static void track_fds(struct st_thread *th, const struct rp_call *c)
{
	struct rp_fdtable *ft = th->proc->fds;
	const uint64_t *a = c->sc.args;
	int64_t ret = c->sc.ret;
	char pathbuf[4096];
	const char *path;
	char *abs;
	int32_t pair[2];
	const struct fr_syscall_desc *d;

	switch (c->sc.nr) {
	case SYS_open:
	case SYS_creat:
	case SYS_openat:
	case 437: /* openat2 */
		if (ret < 0)
			return;
		path = in_string(c, c->sc.nr == SYS_open || c->sc.nr == SYS_creat ? 0 : 1, pathbuf,
				 sizeof(pathbuf));
		abs = resolve(
		    th, c->sc.nr == SYS_open || c->sc.nr == SYS_creat ? AT_FDCWD : (int)a[0], path);
		{
			uint64_t flags = c->sc.nr == SYS_open	  ? a[1]
					 : c->sc.nr == SYS_openat ? a[2]
								  : 0;

			if (c->sc.nr == 437) {
				const struct fr_payload *p = rp_call_payload(c, FR_PL_IN, 2, -1);

				if (p && p->len >= 8)
					memcpy(&flags, p->data, 8);
			}
			rp_fdtable__open(ft, (int)ret, RP_FD_FILE, abs, flags & O_CLOEXEC);
		}
		free(abs);
		return;
	case SYS_socket:
		if (ret >= 0)
			rp_fdtable__open(ft, (int)ret, RP_FD_SOCKET, NULL, a[1] & SOCK_CLOEXEC);
		return;
	case SYS_accept:
	case SYS_accept4:
		if (ret >= 0)
			rp_fdtable__open(ft, (int)ret, RP_FD_SOCKET, NULL,
					 c->sc.nr == SYS_accept4 && (a[3] & SOCK_CLOEXEC));
		return;
	case SYS_socketpair:
		if (ret >= 0 && out_int_pair(c, 3, pair) == 0) {
			rp_fdtable__open(ft, pair[0], RP_FD_SOCKET, NULL, a[1] & SOCK_CLOEXEC);
			rp_fdtable__open(ft, pair[1], RP_FD_SOCKET, NULL, a[1] & SOCK_CLOEXEC);
		}
		return;
	case SYS_pipe:
	case SYS_pipe2:
		if (ret >= 0 && out_int_pair(c, 0, pair) == 0) {
			bool ce = c->sc.nr == SYS_pipe2 && (a[1] & O_CLOEXEC);

			rp_fdtable__open(ft, pair[0], RP_FD_PIPE, NULL, ce);
			rp_fdtable__open(ft, pair[1], RP_FD_PIPE, NULL, ce);
		}
		return;
	case SYS_dup:
		if (ret >= 0)
			rp_fdtable__dup(ft, (int)a[0], (int)ret, false);
		return;
	case SYS_dup2:
	case SYS_dup3:
		if (ret >= 0)
			rp_fdtable__dup(ft, (int)a[0], (int)a[1],
					c->sc.nr == SYS_dup3 && (a[2] & O_CLOEXEC));
		return;
	case SYS_fcntl:
		if (ret < 0)
			return;
		if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC)
			rp_fdtable__dup(ft, (int)a[0], (int)ret, a[1] == F_DUPFD_CLOEXEC);
		else if (a[1] == F_SETFD) {
			struct rp_fd *f = rp_fdtable__get(ft, (int)a[0]);

			if (f)
				f->cloexec = a[2] & FD_CLOEXEC;
		}
		return;
	case SYS_close:
		rp_fdtable__close(ft, (int)a[0]);
		return;
	case 436: /* close_range */
		if (ret == 0) {
			uint64_t fd, hi = FR_MIN(a[1], (uint64_t)(1 << 20));

			for (fd = a[0]; fd <= hi; fd++) {
				struct rp_fd *f = rp_fdtable__get(ft, (int)fd);

				if (!f)
					continue;
				if (a[2] & 4 /* CLOSE_RANGE_CLOEXEC */)
					f->cloexec = true;
				else
					rp_fdtable__close(ft, (int)fd);
			}
		}
		return;
	case SYS_chdir:
		if (ret == 0) {
			path = in_string(c, 0, pathbuf, sizeof(pathbuf));
			abs = resolve(th, AT_FDCWD, path);
			if (abs) {
				free(th->proc->cwd);
				th->proc->cwd = abs;
			}
		}
		return;
	case SYS_fchdir:
		if (ret == 0) {
			const struct rp_fd *f = rp_fdtable__get(ft, (int)a[0]);

			if (f && f->path) {
				free(th->proc->cwd);
				th->proc->cwd = strdup(f->path);
			}
		}
		return;
	default:
		break;
	}
	d = fr_syscall(c->sc.nr);
	if (d && d->replay == FR_RP_FD_CREATE && ret >= 0) {
		/* eventfd, epoll, timerfd, signalfd, memfd, inotify, pidfd...:
		 * their close-on-exec flag is O_CLOEXEC in a flags argument. */
		bool ce = false;
		unsigned i;

		for (i = 0; i < d->nargs; i++)
			if (d->args[i].kind == FR_A_FLAGS)
				ce |= (a[i] & O_CLOEXEC) != 0;
		if (c->sc.nr == SYS_memfd_create)
			ce = a[1] & 1; /* MFD_CLOEXEC */
		if (c->sc.nr == 434 /* pidfd_open */)
			ce = true;
		rp_fdtable__open(ft, (int)ret, RP_FD_OTHER, NULL, ce);
	}
}

void st_track_fds(struct st_thread *th, const struct rp_call *c)
{
	track_fds(th, c);
}

/* ---- serving one call --------------------------------------------------------------- */

/* Serve `c` from the recording: outputs written, call skipped with its
 * result.  The thread stays stopped until the EXIT point. */
static void serve(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	int64_t ret = served_ret(R, c);
	int err;

	if (c->flags & RP_CALL_INCOMPLETE) {
		const struct fr_payload *p;
		uint32_t i;

		for (i = 0; i < c->n_payloads; i++) {
			p = &c->payloads[i];
			if (p->kind == FR_PL_OUT && (p->flags || p->len < p->full_len)) {
				st_diverge(R, th, "incomplete-recording", c, false,
					   "the recording holds only %u of the %u bytes this call "
					   "returned (snaplen): it cannot be served",
					   p->len, p->full_len);
				return;
			}
		}
	}
	if (ret >= 0 || ret < -4095) {
		err = rp_serve_outputs(th->t, c, adjust_time, R);
		if (err) {
			st_diverge(R, th, "serve-failed", c, true,
				   "the recorded output of this call cannot be written into the "
				   "program: %s",
				   err == -E2BIG ? "it does not fit the program's buffer"
						 : strerror(-err));
			return;
		}
	}
	/* Interrupted by a signal: the kernel restarts the call after the
	 * handler, or the program sees EINTR; what came next says which. */
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	    ret == -ERESTART_RESTARTBLOCK) {
		const struct rp_rthread *rt = st_rt_of(R, th);
		struct st_rstate *rs = st_rs_of(R, th);
		const struct rp_call *next = NULL;
		uint32_t j;

		for (j = rs->item + 1; j < rt->n_items; j++)
			if (rt->items[j].kind == RP_ITEM_CALL) {
				next = &R->rec->calls[rt->items[j].call];
				break;
			}
		if (next && (next->sc.nr == c->sc.nr || next->sc.nr == NR_restart_syscall) &&
		    ret != -ERESTARTNOHAND) {
			err = rp_thread__restart(th->t, next->sc.nr);
			if (!err) {
				th->cur = c;
				th->cur_real = false;
				th->st = S_SERVED;
				return;
			}
		}
		ret = -EINTR;
	}
	err = rp_thread__skip(th->t, ret);
	if (err) {
		snprintf(R->err, sizeof(R->err), "skipping a call: %s", strerror(-err));
		R->stop = true;
		return;
	}
	if (st_is_write_like(c->sc.nr))
		st_mirror(R, th, ret);
	else
		warn_unmirrored(R, th, c);
	track_fds(th, c);
	th->cur = c;
	th->cur_real = false;
	th->st = S_SERVED;
	R->res.syscalls_emulated++;
}

/* Run `c` for real; its exit stop ends it (post_real). */
static void run_real(struct fr_replay *R, struct st_thread *th, const struct rp_call *c,
		     bool would_block)
{
	th->cur = c;
	th->cur_real = true;
	th->would_block = would_block;
	R->res.syscalls_real++;
	st_resume(R, th, RP_RESUME_TO_EXIT, 0, S_IN_REAL);
}

static void read_clone_args(struct st_thread *th)
{
	const struct rp_syscall *sc = &th->t->sc;

	th->clone_ptid = th->clone_ctid = 0;
	switch (sc->nr) {
	case SYS_clone:
		/* x86-64: clone(flags, stack, parent_tid, child_tid, tls) */
		th->clone_flags = sc->args[0];
		th->clone_ptid = sc->args[2];
		th->clone_ctid = sc->args[3];
		break;
	case NR_clone3: {
		uint64_t ca[4] = {0}; /* flags, pidfd, child_tid, parent_tid */

		rp_thread__read(th->t, sc->args[0], ca, sizeof(ca));
		th->clone_flags = ca[0];
		th->clone_ctid = ca[2];
		th->clone_ptid = ca[3];
		break;
	}
	case SYS_vfork:
		th->clone_flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	default:
		th->clone_flags = SIGCHLD;
		break;
	}
}

static void enter_exec(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	const struct rp_known_proc *kp = rp_recording__proc(R->rec, c->pid);
	char path[4096], src[4096], *abs;
	int dirfd = AT_FDCWD;
	uint64_t pa = th->t->sc.args[0];
	int err;

	if (c->sc.nr == NR_execveat) {
		dirfd = (int)th->t->sc.args[0];
		pa = th->t->sc.args[1];
		if (th->t->sc.args[4] & AT_EMPTY_PATH) {
			st_diverge(R, th, "unsupported", c, true,
				   "execveat of a descriptor (AT_EMPTY_PATH) is not replayed");
			return;
		}
	}
	if (rp_thread__read_str(th->t, pa, path, sizeof(path)) < 0) {
		st_diverge(R, th, "serve-failed", c, true,
			   "cannot read the path the program executes");
		return;
	}
	abs = resolve(th, dirfd, path);
	if (!abs) {
		R->stop = true;
		snprintf(R->err, sizeof(R->err), "out of memory");
		return;
	}
	/* The table's build-id is for the process's last program: this exec's
	 * file only when the names agree. */
	err =
	    st_real_source(R, abs, kp && kp->exe && !strcmp(kp->exe, abs) ? kp->exe_build_id : NULL,
			   src, sizeof(src));
	if (err) {
		st_diverge(
		    R, th, "serve-failed", c, true,
		    "cannot execute %s: it is not on this machine and the bundle holds no copy "
		    "(record with --with-files)",
		    abs);
		free(abs);
		return;
	}
	/* Another file, or a relative name: the program's working directory
	 * is not the tracee's real one (chdir is served), so it gets the
	 * absolute name. */
	if (strcmp(src, path)) {
		uint64_t addr;

		err = scratch_str(th, src, &addr);
		if (!err)
			err = rp_thread__set_arg(th->t, c->sc.nr == NR_execveat ? 1 : 0, addr);
		if (!err && c->sc.nr == NR_execveat)
			err = rp_thread__set_arg(th->t, 0, (uint64_t)AT_FDCWD);
		if (err) {
			st_diverge(R, th, "serve-failed", c, true,
				   "cannot redirect the exec to %s: %s", src, strerror(-err));
			free(abs);
			return;
		}
	}
	free(abs);
	run_real(R, th, c, false);
}

void st_enter_exec(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	enter_exec(R, th, c);
}

int st_install_fd(struct fr_replay *R, struct st_thread *th, int fd)
{
	return install_fd(R, th, fd);
}

static void enter_mmap(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	uint64_t flags = th->t->sc.args[3];
	int fd = (int)th->t->sc.args[4];

	if (flags & MAP_FIXED)
		rp_thread__note_unmap(th->t, th->t->sc.args[0], th->t->sc.args[1]);
	if (!(flags & MAP_ANONYMOUS) && fd >= 0) {
		int err = install_fd(R, th, fd);

		if (err) {
			/* A harmless stand-in: zeroed memory of the same shape. */
			st_warn(R,
				"mapping of descriptor %d: no file to map here (%s): mapped zeroes "
				"instead",
				fd, strerror(-err));
			rp_thread__set_arg(th->t, 3,
					   (flags & ~(uint64_t)MAP_SHARED) | MAP_PRIVATE |
					       MAP_ANONYMOUS);
			rp_thread__set_arg(th->t, 4, (uint64_t)-1);
			rp_thread__set_arg(th->t, 5, 0);
		}
	}
	run_real(R, th, c, false);
}

/* Handle a matched call by its number (what replay does regardless of the
 * table) or its table policy. */
void st_take_call(struct fr_replay *R, struct st_thread *th, const struct rp_call *c)
{
	const struct fr_syscall_desc *d = fr_syscall(c->sc.nr);
	uint64_t nr = c->sc.nr;

	/* Calls the recording shows failing fail the same way, without
	 * running: the kernel's state is unchanged by a failed call, and
	 * running it could succeed here (an exec along PATH, say). */
	switch (nr) {
	case SYS_rt_sigreturn:
		/* Its "result" is the restored rax, often an error: it must run
		 * whatever the recording says it returned. */
		run_real(R, th, c, false);
		return;
	case SYS_exit:
	case SYS_exit_group:
		/* Not yet: a thread dies when the recording shows it dead (its
		 * exit event), a little after it entered exit, and what others
		 * do meanwhile may depend on it being alive (glibc reuses a
		 * thread's stack only once the kernel has cleared its tid). */
		th->cur = c;
		th->cur_real = true;
		R->res.syscalls_real++;
		th->st = S_EXIT_HELD;
		return;
	case SYS_execve:
	case NR_execveat:
		if (c->sc.ret < 0)
			break;
		enter_exec(R, th, c);
		return;
	case SYS_clone:
	case NR_clone3:
	case SYS_fork:
	case SYS_vfork:
		if (c->sc.ret < 0)
			break;
		read_clone_args(th);
		/* A vfork waits for its child, but only once the child exists:
		 * until its event stop (RP_STOP_CLONED) the parent is still on
		 * its way, and the loop must wait for it rather than take other
		 * threads' points out of order. */
		run_real(R, th, c, false);
		return;
	case SYS_mmap:
		if (c->sc.ret < 0 && c->sc.ret >= -4095)
			break;
		enter_mmap(R, th, c);
		return;
	case SYS_munmap:
	case SYS_mremap:
		if (c->sc.ret < 0 && c->sc.ret >= -4095)
			break;
		rp_thread__note_unmap(th->t, th->t->sc.args[0], th->t->sc.args[1]);
		run_real(R, th, c, false);
		return;
	case SYS_set_tid_address:
		run_real(R, th, c, false);
		return;
	case SYS_rt_sigsuspend:
		/* Run it, with the recorded signal already pending, so that the
		 * mask it installs decides the delivery as it did. */
		st_arm_signal(R, th);
		run_real(R, th, c, false);
		return;
	case SYS_kill:
	case SYS_tkill:
	case SYS_tgkill:
	case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo:
	case SYS_wait4:
	case SYS_waitid:
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
	case SYS_chdir:
	case SYS_fchdir:
	case SYS_close:
	case SYS_fcntl:
	case SYS_ioctl:
		/* Signals come from the recording; children are reaped by the
		 * recording's answers; sleeping and directory changes are the
		 * program's view only; descriptors are the table's. */
		serve(R, th, c);
		return;
	default:
		break;
	}
	if (!d) {
		st_diverge(R, th, "unsupported", c, true,
			   "system call %" PRIu64 " is not in flightrec's syscall table", nr);
		return;
	}
	if (c->sc.ret < 0 && c->sc.ret >= -4095 &&
	    (d->replay == FR_RP_REAL || d->replay == FR_RP_SPECIAL)) {
		serve(R, th, c);
		return;
	}
	switch (d->replay) {
	case FR_RP_EMULATE:
	case FR_RP_CHECK:
	case FR_RP_FD_CREATE:
		serve(R, th, c);
		return;
	case FR_RP_REAL:
		run_real(R, th, c, false);
		return;
	case FR_RP_SPECIAL:
		/* A special call this replay has no dedicated code for: what
		 * it returns and writes is what the recording says. */
		serve(R, th, c);
		return;
	default:
		st_diverge(R, th, "unsupported", c, true,
			   "%s cannot be replayed (the syscall table marks it unsupported)",
			   d->name);
		return;
	}
}

/* After the exit stop of a call run for real. */
void st_post_real(struct fr_replay *R, struct st_thread *th)
{
	const struct rp_call *c = th->cur;
	int64_t real = th->t->sc.ret;

	th->would_block = false;
	th->st = S_REAL_DONE;
	if (!c)
		return;
	switch (c->sc.nr) {
	case SYS_clone:
	case NR_clone3:
	case SYS_fork:
	case SYS_vfork:
		if (real < 0) {
			st_diverge(
			    R, th, "result", c, false,
			    "creating a thread or process failed here (%s) where it succeeded",
			    strerror((int)-real));
			return;
		}
		/* The program knows its children by their recorded ids. */
		rp_thread__set_ret(th->t, c->sc.ret);
		if (th->clone_flags & CLONE_PARENT_SETTID && th->clone_ptid) {
			uint32_t v = (uint32_t)c->sc.ret;

			rp_thread__write(th->t, th->clone_ptid, &v, sizeof(v));
		}
		return;
	case SYS_set_tid_address:
		rp_thread__set_ret(th->t, c->sc.ret);
		return;
	case SYS_rt_sigreturn:
		return; /* restored registers, not a result */
	case SYS_rt_sigsuspend:
		rp_thread__set_ret(th->t, c->sc.ret == -ERESTARTNOHAND ? -EINTR : c->sc.ret);
		return;
	case SYS_mmap:
	case SYS_brk:
	case SYS_mremap:
		if (real < 0 && real >= -4095 && !(c->sc.ret < 0 && c->sc.ret >= -4095)) {
			st_diverge(R, th, "result", c, false,
				   "%s failed here (%s) where it succeeded in the recording",
				   fr_syscall_name(c->sc.nr), strerror((int)-real));
			return;
		}
		if (real != c->sc.ret && !R->mmap_addr_warned) {
			R->mmap_addr_warned = true;
			st_warn(R,
				"memory is laid out differently than in the recording (%s returned "
				"%#" PRIx64 ", recorded %#" PRIx64 ")",
				fr_syscall_name(c->sc.nr), (uint64_t)real, (uint64_t)c->sc.ret);
		}
		return;
	default:
		break;
	}
	if ((real < 0 && real >= -4095) != (c->sc.ret < 0 && c->sc.ret >= -4095))
		st_diverge(R, th, "result", c, false,
			   "%s returned %" PRId64 " here, %" PRId64 " in the recording",
			   fr_syscall_name(c->sc.nr) ? fr_syscall_name(c->sc.nr) : "the call", real,
			   c->sc.ret);
}

/* ---- injection ---------------------------------------------------------------------- */

/* Apply the --inject specifications to the call thread `th` is entering.
 * Returns true when one replaced the call's result (*ret). */
bool st_apply_injections(struct fr_replay *R, struct st_thread *th, unsigned nr, int64_t *ret)
{
	bool changed = false;
	uint32_t n;
	size_t i;

	if (!R->o.n_injects || nr >= FR_NR_SYSCALLS)
		return false;
	if (!th->counts && !(th->counts = calloc(FR_NR_SYSCALLS, sizeof(*th->counts))))
		return false;
	n = ++th->counts[nr];
	for (i = 0; i < R->o.n_injects; i++) {
		const struct rp_inject *in = &R->o.injects[i];

		if (!rp_inject_covers(in, nr) || !rp_inject_when(in, n))
			continue;
		R->res.injections++;
		st_vlog(R, "inject %s into %s #%u of thread %d", in->spec, fr_syscall_name(nr), n,
			th->t->tid);
		if (in->delay_enter_ns) {
			/* After a what-if switch the clock is virtual: nothing
			 * to wait for. */
			if (!R->o.no_sleep && !(R->wi && wi_active(R)))
				st_sleep_ns(in->delay_enter_ns);
			R->shift_ns += (int64_t)in->delay_enter_ns;
			if (R->wi)
				wi_note_shift(R);
		}
		th->delay_exit_ns += in->delay_exit_ns;
		if (in->signal && rp_thread__kill(th->t, in->signal) == 0) {
			th->inject_sig = in->signal;
			th->inject_extra = true;
		}
		if (rp_inject_changes_result(in)) {
			*ret = in->has_error ? -(int64_t)in->error : in->retval;
			changed = true;
			snprintf(R->injected, sizeof(R->injected), "%s (invocation %u of %s)",
				 in->spec, n, fr_syscall_name(nr) ? fr_syscall_name(nr) : "?");
		}
	}
	return changed;
}
