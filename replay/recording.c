// SPDX-License-Identifier: MIT
/*
 * recording.c: load the recorded side of a replay (see recording.h).
 *
 * One pass over the bundle's events (syscalls, forks, execs, exits, signal
 * deliveries, losses).  The tree starts at the first exec of the chosen
 * process and grows with every fork event whose parent is in it; each
 * thread's stream collects its calls and delivered signals in bundle order.
 */
#include "replay/recording.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "formats/util.h"

#define MAX_STRV 65536 /* argv/env entries taken from an exec payload */
#define ARENA_BLOCK (1u << 20)

/* ---- arena: payload copies live as long as the recording ------------------ */

struct arena_block {
	struct arena_block *next;
	size_t cap, used;
	uint8_t data[];
};

static void *arena_alloc(void **arena, size_t len)
{
	struct arena_block *b = *arena;

	len = (len + 7) & ~(size_t)7;
	if (!b || b->cap - b->used < len) {
		size_t cap = FR_MAX(len, (size_t)ARENA_BLOCK);

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = *arena;
		*arena = b;
	}
	b->used += len;
	return b->data + b->used - len;
}

static void arena_free(void *arena)
{
	struct arena_block *b = arena, *n;

	for (; b; b = n) {
		n = b->next;
		free(b);
	}
}

/* ---- tid index: tid -> latest thread (open addressing) ---------------------- */

struct tid_index {
	uint32_t *keys; /* tid + 1; 0 = empty */
	uint32_t *vals;
	uint32_t cap, used;
};

static uint32_t tid_hash(uint32_t tid)
{
	return tid * 0x9e3779b1u;
}

static int tid_put(struct tid_index *x, uint32_t tid, uint32_t val)
{
	uint32_t i;

	if ((x->used + 1) * 2 > x->cap) {
		struct tid_index n = {0};
		uint32_t j;

		n.cap = x->cap ? x->cap * 2 : 64;
		n.keys = calloc(n.cap, sizeof(*n.keys));
		n.vals = calloc(n.cap, sizeof(*n.vals));
		if (!n.keys || !n.vals) {
			free(n.keys);
			free(n.vals);
			return -ENOMEM;
		}
		for (j = 0; j < x->cap; j++)
			if (x->keys[j])
				tid_put(&n, x->keys[j] - 1, x->vals[j]);
		free(x->keys);
		free(x->vals);
		*x = n;
	}
	for (i = tid_hash(tid) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		if (!x->keys[i]) {
			x->keys[i] = tid + 1;
			x->vals[i] = val;
			x->used++;
			return 0;
		}
		if (x->keys[i] == tid + 1) {
			x->vals[i] = val;
			return 0;
		}
	}
}

static bool tid_get(const struct tid_index *x, uint32_t tid, uint32_t *val)
{
	uint32_t i;

	if (!x->cap)
		return false;
	for (i = tid_hash(tid) & (x->cap - 1); x->keys[i]; i = (i + 1) & (x->cap - 1))
		if (x->keys[i] == tid + 1) {
			*val = x->vals[i];
			return true;
		}
	return false;
}

/* ---- helpers ----------------------------------------------------------------------- */

bool rp_call_is_unordered(unsigned nr)
{
	switch (nr) {
	case SYS_futex:
	case SYS_sched_yield:
	case 449: /* futex_waitv */
	case 454: /* futex_wake */
	case 455: /* futex_wait */
	case 456: /* futex_requeue */
		return true;
	default:
		return false;
	}
}

/* A futex wait that put the thread to sleep (woken, or timed out), as
 * opposed to one that returned at once because the word had changed. */
static bool wait_slept(const struct fr_ev_syscall *sc)
{
	unsigned op = (unsigned)sc->args[1] & 0x7f;

	if (sc->flags & (FR_SC_NO_EXIT | FR_SC_NO_ENTER))
		return false;
	if (sc->nr == 449 /* futex_waitv */)
		return sc->ret >= 0 || sc->ret == -ETIMEDOUT;
	if (sc->nr == 455 /* futex_wait */)
		return sc->ret == 0 || sc->ret == -ETIMEDOUT;
	if (sc->nr != SYS_futex)
		return false;
	if (op != 0 /* WAIT */ && op != 9 /* WAIT_BITSET */ && op != 6 /* LOCK_PI */ &&
	    op != 13 /* LOCK_PI2 */ && op != 11 /* WAIT_REQUEUE_PI */)
		return false;
	return sc->ret == 0 || sc->ret == -ETIMEDOUT;
}

const struct fr_payload *rp_call_payload(const struct rp_call *c, int kind, int arg, int part)
{
	uint32_t i;

	for (i = 0; i < c->n_payloads; i++) {
		const struct fr_payload *p = &c->payloads[i];

		if ((kind < 0 || p->kind == kind) && (arg < 0 || p->arg == arg) &&
		    (part < 0 || p->part == part))
			return p;
	}
	return NULL;
}

void rp_call_to_event(const struct rp_call *c, struct fr_event *ev)
{
	uint32_t i;

	memset(ev, 0, sizeof(*ev));
	ev->ts_ns = c->exit_ns;
	ev->pid = c->pid;
	ev->tid = c->tid;
	ev->type = FR_EV_SYSCALL;
	ev->u.sc = c->sc;
	for (i = 0; i < c->n_payloads && i < FR_MAX_PAYLOADS; i++)
		ev->payloads[i] = c->payloads[i];
	ev->n_payloads = i;
}

struct rp_rthread *rp_recording__thread(const struct rp_recording *rec, uint32_t tid)
{
	uint32_t i;

	if (!tid_get(rec->tid_index, tid, &i))
		return NULL;
	return &rec->threads[i];
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* NULL-terminated copy of n strings. */
static char **strv_copy(char *const *v, size_t n)
{
	char **out = calloc(n + 1, sizeof(*out));
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++)
		if (!(out[i] = strdup(v[i] ? v[i] : "")))
			goto fail;
	return out;
fail:
	while (i--)
		free(out[i]);
	free(out);
	return NULL;
}

/* Split a NUL-separated blob (exec payloads) into a NULL-terminated vector. */
static char **strv_from_blob(const uint8_t *data, size_t len)
{
	size_t n = 0, i, start = 0, k = 0;
	char **out;

	for (i = 0; i < len; i++)
		if (!data[i])
			n++;
	if (len && data[len - 1])
		n++;
	if (n > MAX_STRV)
		n = MAX_STRV;
	out = calloc(n + 1, sizeof(*out));
	if (!out)
		return NULL;
	for (i = 0; i <= len && k < n; i++) {
		if (i == len || !data[i]) {
			if (i == len && i == start)
				break;
			out[k] = strndup((const char *)data + start, i - start);
			if (!out[k])
				goto fail;
			k++;
			start = i + 1;
		}
	}
	return out;
fail:
	while (k--)
		free(out[k]);
	free(out);
	return NULL;
}

static void strv_free(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

/* ---- building ------------------------------------------------------------------------ */

static struct rp_rthread *thread_new(struct rp_recording *rec, uint32_t tid, uint32_t pid)
{
	struct rp_rthread *t;

	if (rec->n_threads == rec->cap_threads) {
		uint32_t cap = rec->cap_threads ? rec->cap_threads * 2 : 16;
		struct rp_rthread *n = realloc(rec->threads, cap * sizeof(*n));

		if (!n)
			return NULL;
		rec->threads = n;
		rec->cap_threads = cap;
	}
	t = &rec->threads[rec->n_threads];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = pid;
	if (tid_put(rec->tid_index, tid, rec->n_threads) < 0)
		return NULL;
	rec->n_threads++;
	return t;
}

static int thread_push(struct rp_rthread *t, const struct rp_item *it)
{
	if (t->n_items == t->cap_items) {
		uint32_t cap = t->cap_items ? t->cap_items * 2 : 64;
		struct rp_item *n = realloc(t->items, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->items = n;
		t->cap_items = cap;
	}
	t->items[t->n_items++] = *it;
	return 0;
}

static int add_child(struct rp_rthread *parent, uint32_t child_index)
{
	if (parent->n_children == parent->cap_children) {
		uint32_t cap = parent->cap_children ? parent->cap_children * 2 : 8;
		uint32_t *n = realloc(parent->children, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		parent->children = n;
		parent->cap_children = cap;
	}
	parent->children[parent->n_children++] = child_index;
	return 0;
}

static int add_call(struct rp_recording *rec, struct rp_rthread *t, const struct fr_event *ev)
{
	struct rp_item it = {.kind = RP_ITEM_CALL};
	struct rp_call *c;
	uint32_t i;

	if (rec->n_calls == rec->cap_calls) {
		uint32_t cap = rec->cap_calls ? rec->cap_calls * 2 : 1024;
		struct rp_call *n;

		if (cap < rec->cap_calls)
			return -EOVERFLOW;
		n = realloc(rec->calls, (size_t)cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		rec->calls = n;
		rec->cap_calls = cap;
	}
	c = &rec->calls[rec->n_calls];
	memset(c, 0, sizeof(*c));
	c->sc = ev->u.sc;
	c->exit_ns = ev->ts_ns;
	c->pid = ev->pid;
	c->tid = ev->tid;
	c->seq = rec->n_calls;
	c->index = t->n_calls;
	if (c->sc.flags & FR_SC_NO_EXIT)
		c->flags |= RP_CALL_UNFINISHED;
	if (c->sc.flags & (FR_SC_PAYLOAD_CUT | FR_SC_PAYLOAD_FAULT))
		c->flags |= RP_CALL_INCOMPLETE;
	/* Within a thread, time only moves forward (clamp hostile input). */
	if (!c->sc.enter_ns || c->sc.enter_ns > c->exit_ns)
		c->sc.enter_ns = c->exit_ns;
	if (t->n_items) {
		uint64_t prev = 0;

		for (i = t->n_items; i-- > 0;)
			if (t->items[i].kind == RP_ITEM_CALL) {
				prev = rec->calls[t->items[i].call].exit_ns;
				break;
			}
		if (c->sc.enter_ns < prev)
			c->sc.enter_ns = prev;
		if (c->exit_ns < c->sc.enter_ns)
			c->exit_ns = c->sc.enter_ns;
	}
	if (ev->n_payloads) {
		c->payloads = arena_alloc(&rec->arena, ev->n_payloads * sizeof(*c->payloads));
		if (!c->payloads)
			return -ENOMEM;
		for (i = 0; i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++) {
			struct fr_payload *p = &c->payloads[i];
			uint8_t *d;

			*p = ev->payloads[i];
			/* Truncated, unreadable, or partly lost on the way:
			 * every payload flag says the bytes are not all there. */
			if (p->flags || p->len < p->full_len)
				c->flags |= RP_CALL_INCOMPLETE;
			d = arena_alloc(&rec->arena, p->len ? p->len : 1);
			if (!d)
				return -ENOMEM;
			if (p->len)
				memcpy(d, ev->payloads[i].data, p->len);
			p->data = d;
		}
		c->n_payloads = i;
	}
	if (c->flags & RP_CALL_INCOMPLETE)
		rec->incomplete_calls++;
	it.call = rec->n_calls;
	if (thread_push(t, &it) < 0)
		return -ENOMEM;
	t->n_calls++;
	rec->n_calls++;
	return 0;
}

/* The execve call that started the root: its path, argv and environment
 * are exactly what the program was started with (the exec event's argv is
 * the kernel's, rewritten for #! scripts, and the process table holds the
 * state after the last exec).  Replaces what fill_start found. */
static int apply_execve(struct rp_recording *rec, const struct fr_event *ev)
{
	struct rp_start *s = &rec->start;
	unsigned base = ev->u.sc.nr == 322 ? 1 : 0; /* execveat(dirfd, path, argv, envp) */
	const struct fr_payload *path = fr_event_payload(ev, FR_PL_IN, (int)base, -1);
	const struct fr_payload *av = fr_event_payload(ev, FR_PL_IN, (int)base + 1, -1);
	const struct fr_payload *en = fr_event_payload(ev, FR_PL_IN, (int)base + 2, -1);
	char **v;

	if (path && path->len && !(path->flags & FR_PLF_TRUNCATED)) {
		char *p = strndup((const char *)path->data, path->len);

		if (!p)
			return -ENOMEM;
		free(s->exec_path);
		s->exec_path = p;
	}
	if (av && !(av->flags & FR_PLF_TRUNCATED)) {
		if (!(v = strv_from_blob(av->data, av->len)))
			return -ENOMEM;
		strv_free(s->argv);
		s->argv = v;
	}
	if (en && !(en->flags & FR_PLF_TRUNCATED)) {
		if (!(v = strv_from_blob(en->data, en->len)))
			return -ENOMEM;
		strv_free(s->env);
		s->env = v;
	}
	return 0;
}

/* A deep copy of an execve event (its payloads point into reader buffers
 * that the next event replaces). */
static int keep_event(struct fr_event *dst, uint8_t **buf, const struct fr_event *ev)
{
	size_t total = 0, off = 0;
	uint32_t i;
	uint8_t *b;

	for (i = 0; i < ev->n_payloads; i++)
		total += ev->payloads[i].len;
	b = malloc(total ? total : 1);
	if (!b)
		return -ENOMEM;
	*dst = *ev;
	for (i = 0; i < ev->n_payloads; i++) {
		memcpy(b + off, ev->payloads[i].data, ev->payloads[i].len);
		dst->payloads[i].data = b + off;
		off += ev->payloads[i].len;
	}
	free(*buf);
	*buf = b;
	return 0;
}

/* Does `name`, relative to `cwd` when it is relative, name `abs`? */
static bool same_file_name(const char *abs, const char *name, const char *cwd)
{
	size_t n;

	if (name[0] == '/' || !cwd)
		return !strcmp(abs, name);
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	n = strlen(cwd);
	while (n > 1 && cwd[n - 1] == '/')
		n--;
	return !strncmp(abs, cwd, n) && abs[n] == '/' && !strcmp(abs + n + 1, name);
}

/* The root's start from the process table, with the exec event's payloads
 * filling what the table lacks. */
static int fill_start(struct rp_recording *rec, const struct fr_process *p,
		      const struct fr_event *ex)
{
	struct rp_start *s = &rec->start;
	const struct fr_payload *fn = fr_event_payload(ex, FR_PL_EXEC_FILENAME, -1, -1);
	const struct fr_payload *av = fr_event_payload(ex, FR_PL_EXEC_ARGV, -1, -1);
	const struct fr_payload *en = fr_event_payload(ex, FR_PL_EXEC_ENV, -1, -1);
	size_t i;

	s->exec_ns = ex->ts_ns;
	if (fn && fn->len)
		s->exec_path = strndup((const char *)fn->data, fn->len);
	if (p) {
		/* The table describes the process after its last exec: its
		 * program and arguments are the root's start only when that is
		 * the file this exec ran. */
		bool same = p->exe && s->exec_path && same_file_name(p->exe, s->exec_path, p->cwd);

		if (same) {
			s->exe = xstrdup(p->exe);
			s->exe_build_id = xstrdup(p->exe_build_id);
			if (p->argc)
				s->argv = strv_copy(p->argv, p->argc);
		}
		s->cwd = xstrdup(p->cwd);
		if (!en && p->envc)
			s->env = strv_copy(p->env, p->envc);
		if (p->n_fds) {
			s->fds = calloc(p->n_fds, sizeof(*s->fds));
			s->fd_info = calloc(p->n_fds, sizeof(*s->fd_info));
			if (!s->fds || !s->fd_info)
				return -ENOMEM;
			for (i = 0; i < p->n_fds; i++) {
				s->fds[i] = p->fds[i].fd;
				s->fd_info[i] = p->fds[i];
				s->fd_info[i].path = xstrdup(p->fds[i].path);
			}
			s->n_fds = p->n_fds;
		}
		if (p->n_rlimits) {
			s->rlimits = calloc(p->n_rlimits, sizeof(*s->rlimits));
			if (!s->rlimits)
				return -ENOMEM;
			memcpy(s->rlimits, p->rlimits, p->n_rlimits * sizeof(*s->rlimits));
			s->n_rlimits = p->n_rlimits;
		}
	}
	if (!s->argv && av)
		s->argv = strv_from_blob(av->data, av->len);
	if (!s->env && en)
		s->env = strv_from_blob(en->data, en->len);
	if (!s->env)
		s->env = calloc(1, sizeof(char *));
	if (!s->exec_path && s->exe)
		s->exec_path = strdup(s->exe);
	if (!s->exec_path && s->argv && s->argv[0])
		s->exec_path = strdup(s->argv[0]);
	if (!s->argv && s->exec_path) {
		s->argv = calloc(2, sizeof(char *));
		if (s->argv)
			s->argv[0] = strdup(s->exec_path);
	}
	if (!s->n_fds) {
		/* No descriptor table recorded: the usual three. */
		s->fds = calloc(3, sizeof(*s->fds));
		s->fd_info = calloc(3, sizeof(*s->fd_info));
		if (!s->fds || !s->fd_info)
			return -ENOMEM;
		for (i = 0; i < 3; i++) {
			s->fds[i] = (int32_t)i;
			s->fd_info[i].fd = (int32_t)i;
			s->fd_info[i].type = FR_FD_CHR;
		}
		s->n_fds = 3;
	}
	if (!s->exec_path || !s->argv || !s->env)
		return -ENOMEM;
	return 0;
}

const char *rp_recording__build_id(const struct rp_recording *rec, const char *path)
{
	size_t i;

	if (!path)
		return NULL;
	for (i = 0; i < rec->n_files; i++)
		if (rec->files[i].build_id && !strcmp(rec->files[i].path, path))
			return rec->files[i].build_id;
	return NULL;
}

const char *rp_recording__stored(const struct rp_recording *rec, const char *build_id,
				 const char *path)
{
	size_t i;

	for (i = 0; i < rec->n_files; i++) {
		const struct rp_known_file *f = &rec->files[i];

		if (!f->stored)
			continue;
		if (build_id ? !strcmp(f->build_id, build_id) : (path && !strcmp(f->path, path)))
			return f->build_id;
	}
	return NULL;
}

const struct rp_known_proc *rp_recording__proc(const struct rp_recording *rec, uint32_t pid)
{
	size_t i;

	for (i = rec->n_procs; i-- > 0;)
		if (rec->procs[i].pid == pid)
			return &rec->procs[i];
	return NULL;
}

static int add_file(struct rp_recording *rec, const char *path, const char *build_id, bool stored,
		    size_t *cap)
{
	struct rp_known_file *f;
	size_t i;

	if (!path || !*path)
		return 0;
	for (i = 0; i < rec->n_files; i++) {
		f = &rec->files[i];
		if (!strcmp(f->path, path) &&
		    (!build_id || (f->build_id && !strcmp(f->build_id, build_id)))) {
			f->stored |= stored;
			return 0;
		}
	}
	if (rec->n_files == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct rp_known_file *n = realloc(rec->files, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		rec->files = n;
		*cap = ncap;
	}
	f = &rec->files[rec->n_files];
	f->path = strdup(path);
	f->build_id = build_id ? strdup(build_id) : NULL;
	f->stored = stored;
	if (!f->path || (build_id && !f->build_id)) {
		free(f->path);
		free(f->build_id);
		return -ENOMEM;
	}
	rec->n_files++;
	return 0;
}

/* Files and executables the bundle knows of, with their build-ids. */
static int load_files(struct rp_recording *rec, struct fr_reader *r)
{
	size_t i, j, cap = 0, np = fr_reader__nprocesses(r);

	for (i = 0; i < fr_reader__nfiles(r); i++) {
		const struct fr_file_info *fi = fr_reader__file(r, i);

		if (add_file(rec, fi->path, fi->build_id, true, &cap) < 0)
			return -ENOMEM;
	}
	rec->procs = calloc(np ? np : 1, sizeof(*rec->procs));
	if (!rec->procs)
		return -ENOMEM;
	for (i = 0; i < np; i++) {
		const struct fr_process *p = fr_reader__process(r, i);
		struct rp_known_proc *kp = &rec->procs[rec->n_procs++];

		kp->pid = p->pid;
		kp->exe = xstrdup(p->exe);
		kp->exe_build_id = xstrdup(p->exe_build_id);
		if ((p->exe && !kp->exe) || (p->exe_build_id && !kp->exe_build_id))
			return -ENOMEM;
		if (p->exe && add_file(rec, p->exe, p->exe_build_id, false, &cap) < 0)
			return -ENOMEM;
		for (j = 0; j < p->n_maps; j++)
			if (p->maps[j].path && p->maps[j].path[0] == '/' &&
			    add_file(rec, p->maps[j].path, p->maps[j].build_id, false, &cap) < 0)
				return -ENOMEM;
	}
	return 0;
}

static uint32_t pick_root(struct fr_reader *r)
{
	const struct fr_process *best = NULL;
	size_t i;

	for (i = 0; i < fr_reader__nprocesses(r); i++) {
		const struct fr_process *p = fr_reader__process(r, i);

		if ((p->flags & FR_PROC_ROOT) && (!best || p->start_ns < best->start_ns))
			best = p;
	}
	return best ? best->pid : 0;
}

static bool pid_in(const uint32_t *set, size_t n, uint32_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == pid)
			return true;
	return false;
}

int rp_recording__load(struct fr_reader *r, uint32_t pid, struct rp_recording **out, char *err,
		       size_t errlen)
{
	struct fr_filter f = {0};
	struct rp_recording *rec;
	const struct fr_event *ev;
	uint32_t *tree = NULL;
	size_t n_tree = 0, cap_tree = 0;
	bool started = false, have_execve = false;
	struct fr_event execve_ev;
	uint8_t *execve_buf = NULL;
	int rc = 0, k;

	*out = NULL;
	rec = calloc(1, sizeof(*rec));
	if (!rec || !(rec->tid_index = calloc(1, sizeof(struct tid_index)))) {
		free(rec);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	{
		const struct fr_manifest *m = fr_reader__manifest(r);

		memcpy(&rec->manifest_info, m, sizeof(*m));
		rec->manifest_info.capture = rec->manifest_info.features = NULL;
		rec->manifest_info.redaction = rec->manifest_info.extra = NULL;
	}
	if (!pid) {
		pid = pick_root(r);
		if (!pid) {
			snprintf(err, errlen,
				 "the bundle marks no process as the root of a recorded "
				 "tree: name one with --pid");
			rc = -ENOENT;
			goto fail;
		}
	}
	rec->start.pid = pid;
	if (load_files(rec, r) < 0)
		goto oom;
	f.type_mask = (1ull << FR_EV_SYSCALL) | (1ull << FR_EV_PROC_FORK) |
		      (1ull << FR_EV_PROC_EXEC) | (1ull << FR_EV_PROC_EXIT) |
		      (1ull << FR_EV_SIGNAL_DELIVER) | (1ull << FR_EV_LOST);
	fr_reader__set_filter(r, &f);
	while ((k = fr_reader__next(r, &ev)) > 0) {
		struct rp_rthread *t;
		uint32_t ti;

		if (!started) {
			if (ev->type == FR_EV_SYSCALL && ev->tid == pid &&
			    (ev->u.sc.nr == 59 || ev->u.sc.nr == 322)) {
				if (keep_event(&execve_ev, &execve_buf, ev) < 0)
					goto oom;
				have_execve = true;
			}
			if (ev->type != FR_EV_PROC_EXEC || ev->pid != pid)
				continue;
			started = true;
			rc = fill_start(rec, fr_reader__find_process(r, pid), ev);
			if (!rc && have_execve)
				rc = apply_execve(rec, &execve_ev);
			if (rc)
				goto oom;
			if (!thread_new(rec, ev->tid, pid))
				goto oom;
			rec->threads[0].start_ns = ev->ts_ns;
			if (!(tree = malloc(16 * sizeof(*tree))))
				goto oom;
			cap_tree = 16;
			tree[n_tree++] = pid;
			rec->first_ns = ev->ts_ns;
			continue;
		}
		if (ev->type == FR_EV_LOST) {
			rec->lost_events += ev->u.lost.count;
			continue;
		}
		if (!pid_in(tree, n_tree, ev->pid))
			continue;
		rec->last_ns = ev->ts_ns;
		switch (ev->type) {
		case FR_EV_PROC_FORK: {
			struct rp_rthread *c, *parent;
			uint32_t pi;

			if (!tid_get(rec->tid_index, ev->tid, &pi))
				break;
			if (!pid_in(tree, n_tree, ev->u.fork.child_pid)) {
				if (n_tree == cap_tree) {
					uint32_t *n = realloc(tree, cap_tree * 2 * sizeof(*tree));

					if (!n)
						goto oom;
					tree = n;
					cap_tree *= 2;
				}
				tree[n_tree++] = ev->u.fork.child_pid;
			}
			c = thread_new(rec, ev->u.fork.child_tid, ev->u.fork.child_pid);
			if (!c)
				goto oom;
			parent = &rec->threads[pi]; /* after thread_new: it may move */
			c->parent_tid = ev->tid;
			c->clone_flags = ev->u.fork.clone_flags;
			c->start_ns = ev->ts_ns;
			if (add_child(parent, rec->n_threads - 1) < 0)
				goto oom;
			break;
		}
		case FR_EV_PROC_EXEC:
			if (ev->u.exec.old_tid && ev->u.exec.old_tid != ev->tid &&
			    tid_get(rec->tid_index, ev->u.exec.old_tid, &ti)) {
				/* A non-leader thread exec'd: it goes on under the
				 * leader's id; the old leader is gone. */
				uint32_t li;

				if (tid_get(rec->tid_index, ev->tid, &li) && li != ti)
					rec->threads[li].exited = true;
				rec->threads[ti].tid = ev->tid;
				if (tid_put(rec->tid_index, ev->tid, ti) < 0)
					goto oom;
			}
			break;
		case FR_EV_PROC_EXIT:
			if (!tid_get(rec->tid_index, ev->tid, &ti))
				break;
			t = &rec->threads[ti];
			t->exited = true;
			t->exit_status = ev->u.exit.status;
			t->exit_ns = ev->ts_ns;
			if (ev->pid == pid && (ev->u.exit.flags & FR_EXIT_GROUP_DEAD)) {
				rec->root_exited = true;
				rec->root_exit_status = ev->u.exit.status;
			}
			break;
		case FR_EV_SIGNAL_DELIVER: {
			struct rp_item it = {.kind = RP_ITEM_SIGNAL};

			if (!tid_get(rec->tid_index, ev->tid, &ti) || rec->threads[ti].exited)
				break;
			it.sig = ev->u.sig_del.sig;
			it.code = ev->u.sig_del.code;
			it.handler = fr_sig_del_handler(&ev->u.sig_del);
			it.ts_ns = ev->ts_ns;
			if (thread_push(&rec->threads[ti], &it) < 0)
				goto oom;
			break;
		}
		case FR_EV_SYSCALL:
			if (!tid_get(rec->tid_index, ev->tid, &ti) || rec->threads[ti].exited)
				break;
			t = &rec->threads[ti];
			/* Calls the root entered before its exec belong to the
			 * recorder's child, not to the program. */
			if (ti == 0 && ev->u.sc.enter_ns < rec->start.exec_ns &&
			    !(ev->u.sc.flags & FR_SC_NO_ENTER)) {
				/* ... the execve that started it, reported after
				 * the exec, says how it was started. */
				if (!have_execve && (ev->u.sc.nr == 59 || ev->u.sc.nr == 322) &&
				    ev->u.sc.ret >= 0) {
					have_execve = true;
					if (apply_execve(rec, ev) < 0)
						goto oom;
				}
				break;
			}
			if (rp_call_is_unordered(ev->u.sc.nr)) {
				t->unordered++;
				if (wait_slept(&ev->u.sc)) {
					struct rp_item it = {.kind = RP_ITEM_WAIT};

					it.ts_ns = ev->ts_ns;
					it.enter_ns = ev->u.sc.enter_ns;
					it.ret = ev->u.sc.ret;
					if (thread_push(t, &it) < 0)
						goto oom;
				}
				break;
			}
			/* Made by the kernel's uprobe trampolines, not by the
			 * program: the replayed program has no uprobes. */
			if (ev->u.sc.nr == 335 /* uretprobe */ || ev->u.sc.nr == 336 /* uprobe */) {
				t->unordered++;
				break;
			}
			/* An exit without its entry: the child's side of the
			 * fork or clone that created it (or a call begun before
			 * the recording).  The replayed thread never enters it. */
			if (ev->u.sc.flags & FR_SC_NO_ENTER) {
				t->unordered++;
				break;
			}
			if (add_call(rec, t, ev) < 0)
				goto oom;
			break;
		default:
			break;
		}
	}
	if (k < 0) {
		snprintf(err, errlen, "reading events: %s", fr_reader__strerror(r));
		rc = k;
		goto fail;
	}
	if (!started) {
		snprintf(
		    err, errlen,
		    "process %u was not recorded from its start (no exec of it in the bundle); "
		    "replay needs a recording made with 'flightrec record'",
		    pid);
		rc = -ENOENT;
		goto fail;
	}
	if (!rec->root_exited) {
		const struct fr_process *p = fr_reader__find_process(r, pid);

		if (p && (p->flags & FR_PROC_EXITED)) {
			rec->root_exited = true;
			rec->root_exit_status = p->exit_status;
		}
	}
	fr_reader__set_filter(r, NULL);
	free(tree);
	free(execve_buf);
	*out = rec;
	return 0;
oom:
	snprintf(err, errlen, "out of memory loading the recording");
	rc = -ENOMEM;
fail:
	fr_reader__set_filter(r, NULL);
	free(tree);
	free(execve_buf);
	rp_recording__free(rec);
	return rc;
}

void rp_recording__free(struct rp_recording *rec)
{
	struct tid_index *x;
	uint32_t i;
	size_t j;

	if (!rec)
		return;
	for (i = 0; i < rec->n_threads; i++) {
		free(rec->threads[i].items);
		free(rec->threads[i].children);
	}
	free(rec->threads);
	free(rec->calls);
	free(rec->start.exec_path);
	free(rec->start.exe);
	free(rec->start.exe_build_id);
	strv_free(rec->start.argv);
	strv_free(rec->start.env);
	free(rec->start.cwd);
	free(rec->start.fds);
	if (rec->start.fd_info)
		for (j = 0; j < rec->start.n_fds; j++)
			free(rec->start.fd_info[j].path);
	free(rec->start.fd_info);
	free(rec->start.rlimits);
	for (j = 0; j < rec->n_files; j++) {
		free(rec->files[j].path);
		free(rec->files[j].build_id);
	}
	free(rec->files);
	for (j = 0; j < rec->n_procs; j++) {
		free(rec->procs[j].exe);
		free(rec->procs[j].exe_build_id);
	}
	free(rec->procs);
	x = rec->tid_index;
	if (x) {
		free(x->keys);
		free(x->vals);
		free(x);
	}
	arena_free(rec->arena);
	free(rec);
}
