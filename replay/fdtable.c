// SPDX-License-Identifier: MIT
/* fdtable.c: the replayed process's descriptor table (see fdtable.h). */
#include "replay/fdtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Descriptor numbers beyond this are refused (the kernel's default hard
 * limit is 1M; a hostile recording must not make us allocate more). */
#define RP_FD_MAX (1 << 20)

struct rp_fdtable *rp_fdtable__new(void)
{
	struct rp_fdtable *t = calloc(1, sizeof(*t));

	if (t)
		t->refs = 1;
	return t;
}

static void entry_clear(struct rp_fd *f)
{
	free(f->path);
	free(f->real_path);
	memset(f, 0, sizeof(*f));
}

void rp_fdtable__put(struct rp_fdtable *t)
{
	int i;

	if (!t || --t->refs)
		return;
	for (i = 0; i < t->cap; i++)
		entry_clear(&t->fds[i]);
	free(t->fds);
	free(t);
}

static int grow(struct rp_fdtable *t, int fd)
{
	int cap = t->cap ? t->cap : 16;
	struct rp_fd *n;

	if (fd < 0 || fd >= RP_FD_MAX)
		return -EBADF;
	if (fd < t->cap)
		return 0;
	while (cap <= fd)
		cap *= 2;
	n = realloc(t->fds, (size_t)cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*n));
	t->fds = n;
	t->cap = cap;
	return 0;
}

struct rp_fdtable *rp_fdtable__copy(const struct rp_fdtable *t)
{
	struct rp_fdtable *c = rp_fdtable__new();
	int i;

	if (!c)
		return NULL;
	if (t->cap && grow(c, t->cap - 1) < 0)
		goto fail;
	for (i = 0; i < t->cap; i++) {
		const struct rp_fd *s = &t->fds[i];
		struct rp_fd *d = &c->fds[i];

		d->kind = s->kind;
		d->cloexec = s->cloexec;
		d->real_cloexec = s->real_cloexec;
		if ((s->path && !(d->path = strdup(s->path))) ||
		    (s->real_path && !(d->real_path = strdup(s->real_path))))
			goto fail;
	}
	return c;
fail:
	rp_fdtable__put(c);
	return NULL;
}

struct rp_fd *rp_fdtable__get(struct rp_fdtable *t, int fd)
{
	if (fd < 0 || fd >= t->cap || t->fds[fd].kind == RP_FD_NONE)
		return NULL;
	return &t->fds[fd];
}

int rp_fdtable__open(struct rp_fdtable *t, int fd, enum rp_fd_kind kind, const char *path,
		     bool cloexec)
{
	char *p = NULL;
	int err = grow(t, fd);

	if (err)
		return err;
	if (path && !(p = strdup(path)))
		return -ENOMEM;
	free(t->fds[fd].path);
	t->fds[fd].path = p;
	t->fds[fd].kind = (uint8_t)kind;
	t->fds[fd].cloexec = cloexec;
	return 0;
}

int rp_fdtable__dup(struct rp_fdtable *t, int oldfd, int newfd, bool cloexec)
{
	struct rp_fd *o = rp_fdtable__get(t, oldfd);
	char *path;

	if (!o)
		return -EBADF;
	if (oldfd == newfd)
		return 0;
	path = o->path; /* open() copies it before the table may move */
	{
		char *copy = path ? strdup(path) : NULL;
		int err;

		if (path && !copy)
			return -ENOMEM;
		err =
		    rp_fdtable__open(t, newfd, (enum rp_fd_kind)t->fds[oldfd].kind, copy, cloexec);
		free(copy);
		return err;
	}
}

void rp_fdtable__close(struct rp_fdtable *t, int fd)
{
	if (fd < 0 || fd >= t->cap)
		return;
	free(t->fds[fd].path);
	t->fds[fd].path = NULL;
	t->fds[fd].kind = RP_FD_NONE;
	t->fds[fd].cloexec = false;
}

int rp_fdtable__set_real(struct rp_fdtable *t, int fd, const char *real_path, bool cloexec)
{
	char *p = NULL;
	int err = grow(t, fd);

	if (err)
		return err;
	if (real_path && !(p = strdup(real_path)))
		return -ENOMEM;
	free(t->fds[fd].real_path);
	t->fds[fd].real_path = p;
	t->fds[fd].real_cloexec = cloexec;
	return 0;
}

void rp_fdtable__exec(struct rp_fdtable *t)
{
	int i;

	for (i = 0; i < t->cap; i++) {
		struct rp_fd *f = &t->fds[i];

		if (f->kind != RP_FD_NONE && f->cloexec) {
			free(f->path);
			f->path = NULL;
			f->kind = RP_FD_NONE;
			f->cloexec = false;
		}
		if (f->real_path && f->real_cloexec) {
			free(f->real_path);
			f->real_path = NULL;
			f->real_cloexec = false;
		}
	}
}
