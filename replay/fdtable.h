/* SPDX-License-Identifier: MIT */
/*
 * fdtable.h: the descriptor table a replayed process believes it has.
 *
 * Calls that create descriptors are not run: the program gets the numbers
 * of the recording, and this table remembers what each number stands for
 * (the replayer's original stdin/stdout/stderr, a file and its path, a
 * pipe, a socket) so that writes to the original stdout and stderr can be
 * mirrored, and so that a later real call that needs a real descriptor
 * (mmap of a file) can get one installed at the same number.  It also
 * remembers what is really behind each number in the tracee (nothing, a
 * /dev/null placeholder, or a file the replayer opened there).
 */
#ifndef FR_REPLAY_FDTABLE_H
#define FR_REPLAY_FDTABLE_H

#include <stdbool.h>
#include <stdint.h>

enum rp_fd_kind {
	RP_FD_NONE = 0,
	RP_FD_STDIN, /* the replayed program's original standard streams */
	RP_FD_STDOUT,
	RP_FD_STDERR,
	RP_FD_FILE, /* a file (path known when it was opened by name) */
	RP_FD_PIPE,
	RP_FD_SOCKET,
	RP_FD_OTHER, /* epoll, eventfd, timerfd, signalfd, memfd, ... */
};

struct rp_fd {
	uint8_t kind; /* enum rp_fd_kind */
	bool cloexec;
	char *path;	   /* RP_FD_FILE: as the program named it (absolute when known) */
	char *real_path;   /* what the replayer installed at this number in the
			    * tracee ("/dev/null" for the start placeholders), NULL:
			    * nothing real there */
	bool real_cloexec; /* the real descriptor goes away at exec */
};

struct rp_fdtable {
	unsigned refs; /* processes sharing it (CLONE_FILES) */
	struct rp_fd *fds;
	int cap;
};

struct rp_fdtable *rp_fdtable__new(void);
/* A copy for a forked process (refs 1).  NULL on ENOMEM. */
struct rp_fdtable *rp_fdtable__copy(const struct rp_fdtable *t);
void rp_fdtable__put(struct rp_fdtable *t);

/* The entry for fd, or NULL when it is not open. */
struct rp_fd *rp_fdtable__get(struct rp_fdtable *t, int fd);
/* Open fd as `kind` (replacing what was there; the real side is kept).
 * `path` is copied; may be NULL.  Returns 0, -EBADF (fd < 0 or too large)
 * or -ENOMEM. */
int rp_fdtable__open(struct rp_fdtable *t, int fd, enum rp_fd_kind kind, const char *path,
		     bool cloexec);
/* dup2 semantics: newfd becomes what oldfd is.  -EBADF when oldfd is not open. */
int rp_fdtable__dup(struct rp_fdtable *t, int oldfd, int newfd, bool cloexec);
void rp_fdtable__close(struct rp_fdtable *t, int fd);
/* Record what is really at fd in the tracee (NULL: nothing). */
int rp_fdtable__set_real(struct rp_fdtable *t, int fd, const char *real_path, bool cloexec);
/* After a successful exec: close-on-exec entries disappear, on both sides. */
void rp_fdtable__exec(struct rp_fdtable *t);
/* Is this a number the table knows, open? */
static inline bool rp_fdtable__is_open(struct rp_fdtable *t, int fd)
{
	struct rp_fd *f = rp_fdtable__get(t, fd);

	return f && f->kind != RP_FD_NONE;
}

#endif /* FR_REPLAY_FDTABLE_H */
