// SPDX-License-Identifier: MIT
/*
 * model.c: the recorded environment as a model (see model.h).
 *
 * One pass over every system call of the bundle, in time order, follows
 * each process's descriptors (what each number stood for, from the
 * FR_PL_FDINFO payloads capture attaches to descriptor arguments) and
 * files what crossed them: bytes written into a stream are filed under
 * the stream as its reader sees it (a TCP write on a->b is read on b->a),
 * bytes read from a file under the file at the position the read started
 * at, and so on.  Recorded calls are copied (the reader's buffers do not
 * last).
 */
#include "replay/model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"
#include "replay/syscall_io.h"

/* x86-64 numbers the model treats by name */
enum {
	NR_read = 0,
	NR_write = 1,
	NR_open = 2,
	NR_close = 3,
	NR_fstat = 5,
	NR_pread64 = 17,
	NR_pwrite64 = 18,
	NR_readv = 19,
	NR_writev = 20,
	NR_dup = 32,
	NR_dup2 = 33,
	NR_socket = 41,
	NR_connect = 42,
	NR_accept = 43,
	NR_sendto = 44,
	NR_recvfrom = 45,
	NR_sendmsg = 46,
	NR_recvmsg = 47,
	NR_shutdown = 48,
	NR_socketpair = 53,
	NR_fcntl = 72,
	NR_chdir = 80,
	NR_fchdir = 81,
	NR_creat = 85,
	NR_gettimeofday = 96,
	NR_getdents64 = 217,
	NR_clock_gettime = 228,
	NR_openat = 257,
	NR_newfstatat = 262,
	NR_accept4 = 288,
	NR_dup3 = 292,
	NR_pipe2 = 293,
	NR_preadv = 295,
	NR_pwritev = 296,
	NR_getrandom = 318,
	NR_preadv2 = 327,
	NR_pwritev2 = 328,
	NR_openat2 = 437,
	NR_pipe = 22,
};

#define AT_FDCWD_ (-100)
#define AT_EMPTY_PATH_ 0x1000
#define MAX_PATH 4096

bool wm_is_read(unsigned nr)
{
	switch (nr) {
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
	case NR_recvfrom:
	case NR_recvmsg:
		return true;
	default:
		return false;
	}
}

bool wm_is_write(unsigned nr)
{
	switch (nr) {
	case NR_write:
	case NR_pwrite64:
	case NR_writev:
	case NR_pwritev:
	case NR_pwritev2:
	case NR_sendto:
	case NR_sendmsg:
		return true;
	default:
		return false;
	}
}

/* ---- arena ------------------------------------------------------------------------- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	uint8_t data[];
};

#define ARENA_BLOCK (1u << 20)

static void *arena_alloc(void **arena, size_t len)
{
	struct arena_block *b = *arena;

	len = (len + 7) & ~(size_t)7;
	if (!b || b->cap - b->used < len) {
		size_t cap = len > ARENA_BLOCK / 4 ? len : ARENA_BLOCK;
		struct arena_block *n = malloc(sizeof(*n) + cap);

		if (!n)
			return NULL;
		n->used = 0;
		n->cap = cap;
		if (b && cap != ARENA_BLOCK) {
			/* a big one: keep filling the current block */
			n->next = b->next;
			b->next = n;
			n->used = len;
			return n->data;
		}
		n->next = b;
		*arena = b = n;
	}
	b->used += len;
	return b->data + b->used - len;
}

static void *arena_copy(void **arena, const void *p, size_t len)
{
	void *d = arena_alloc(arena, len ? len : 1);

	if (d && len)
		memcpy(d, p, len);
	return d;
}

static char *arena_str(void **arena, const char *s)
{
	return arena_copy(arena, s, strlen(s) + 1);
}

static void arena_free(void *arena)
{
	struct arena_block *b = arena, *n;

	for (; b; b = n) {
		n = b->next;
		free(b);
	}
}

/* ---- a hash map from byte keys to u32 ---------------------------------------------- */

struct kslot {
	uint64_t hash;
	const uint8_t *key; /* in the arena; NULL: empty */
	uint32_t len;
	uint32_t val;
};

struct kmap {
	struct kslot *slots;
	size_t cap, used;
};

static uint64_t hash_bytes(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 1469598103934665603ull;

	while (n--) {
		h ^= *b++;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

static struct kslot *kmap_find(const struct kmap *m, const void *key, size_t len, uint64_t h)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct kslot *s = &m->slots[i];

		if (!s->key)
			return s;
		if (s->hash == h && s->len == len && !memcmp(s->key, key, len))
			return s;
	}
}

static bool kmap_get(const struct kmap *m, const void *key, size_t len, uint32_t *val)
{
	struct kslot *s = kmap_find(m, key, len, hash_bytes(key, len));

	if (!s || !s->key)
		return false;
	*val = s->val;
	return true;
}

static int kmap_put(struct kmap *m, void **arena, const void *key, size_t len, uint32_t val)
{
	uint64_t h = hash_bytes(key, len);
	struct kslot *s;

	if ((m->used + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256, i;
		struct kslot *n = calloc(cap, sizeof(*n)), *old = m->slots;
		size_t ocap = m->cap;

		if (!n)
			return -ENOMEM;
		m->slots = n;
		m->cap = cap;
		for (i = 0; i < ocap; i++)
			if (old[i].key)
				*kmap_find(m, old[i].key, old[i].len, old[i].hash) = old[i];
		free(old);
	}
	s = kmap_find(m, key, len, h);
	if (!s->key) {
		s->key = arena_copy(arena, key, len);
		if (!s->key)
			return -ENOMEM;
		s->hash = h;
		s->len = (uint32_t)len;
		m->used++;
	}
	s->val = val;
	return 0;
}

static void kmap_free(struct kmap *m)
{
	if (m)
		free(m->slots);
	free(m);
}

/* ---- growing arrays ---------------------------------------------------------------- */

static void *grow(void *p, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t n = *cap ? *cap : 8;
	void *q;

	if (need <= *cap)
		return p;
	while (n < need) {
		if (n > UINT32_MAX / 2)
			return NULL;
		n *= 2;
	}
	q = realloc(p, (size_t)n * size);
	if (q)
		*cap = n;
	return q;
}

#define PUSH(arr, n, cap)                                                                          \
	({                                                                                         \
		__typeof__(arr) _q = grow((arr), &(cap), (n) + 1, sizeof(*(arr)));                 \
		_q ? ((arr) = _q, memset(&(arr)[(n)], 0, sizeof(*(arr))), &(arr)[(n)++]) : NULL;   \
	})

/* ---- paths ------------------------------------------------------------------------- */

char *wm_path_join(const char *cwd, const char *path)
{
	size_t n = (cwd ? strlen(cwd) : 0) + strlen(path) + 3;
	char *buf = malloc(n), *out = malloc(n);
	char *seg, *save = NULL;
	size_t o = 0;

	if (!buf || !out) {
		free(buf);
		free(out);
		return NULL;
	}
	if (path[0] == '/' || !cwd)
		snprintf(buf, n, "%s", path);
	else
		snprintf(buf, n, "%s/%s", cwd, path);
	/* Lexical normalisation: "." and empty segments go, ".." pops one. */
	for (seg = strtok_r(buf, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, seg, strlen(seg));
		o += strlen(seg);
	}
	if (!o)
		out[o++] = '/';
	out[o] = 0;
	free(buf);
	return out;
}

/* ---- objects ----------------------------------------------------------------------- */

struct objkey {
	uint8_t cls;
	uint8_t pad[7];
	uint64_t dev, ino;
	struct fr_sock_tuple t;
};

static unsigned sock_proto(const struct fr_fdinfo *fi)
{
	if (fi->tuple.protocol)
		return fi->tuple.protocol;
	return fi->sock_type == 1 ? 6 : fi->sock_type == 2 ? 17 : 0;
}

static bool port_or_addr(const uint8_t *a, uint16_t port)
{
	static const uint8_t zero[16];

	return port || memcmp(a, zero, 16);
}

/* The key of what fi identifies, and the kind of object; false: nothing. */
static bool key_of(const struct fr_fdinfo *fi, struct objkey *k, uint8_t *kind)
{
	memset(k, 0, sizeof(*k));
	switch (fi->type) {
	case FR_FD_FILE:
		k->cls = 'F';
		*kind = WM_FILE;
		break;
	case FR_FD_DIR:
		k->cls = 'D';
		*kind = WM_DIR;
		break;
	case FR_FD_PIPE:
		k->cls = 'P';
		*kind = WM_STREAM;
		break;
	case FR_FD_CHR:
		k->cls = 'C';
		*kind = WM_STREAM;
		break;
	case FR_FD_SOCKET:
		if (fi->tuple.family == 2 || fi->tuple.family == 10) {
			unsigned p = sock_proto(fi);

			k->t.family = fi->tuple.family;
			k->t.protocol = (uint16_t)p;
			memcpy(k->t.saddr, fi->tuple.saddr, 16);
			k->t.sport = fi->tuple.sport;
			if (p == 6 && fi->tuple.sport &&
			    port_or_addr(fi->tuple.daddr, fi->tuple.dport) && fi->tuple.dport) {
				k->cls = 'T';
				memcpy(k->t.daddr, fi->tuple.daddr, 16);
				k->t.dport = fi->tuple.dport;
				*kind = WM_STREAM;
			} else if (p == 6 && fi->tuple.sport) {
				k->cls = 'L';
				*kind = WM_LISTEN;
			} else if (p == 17 && fi->tuple.sport) {
				k->cls = 'u';
				*kind = WM_DGRAM;
			} else {
				return false; /* not bound or connected yet */
			}
			return true;
		}
		k->cls = 'U';
		*kind = fi->sock_type == 2 ? WM_DGRAM : WM_STREAM;
		k->ino = fi->ino;
		return fi->ino != 0;
	case FR_FD_ANON:
		k->cls = 'A';
		*kind = WM_OTHER;
		break;
	default:
		return false;
	}
	k->dev = fi->dev;
	k->ino = fi->ino;
	return fi->ino != 0;
}

uint32_t wm__obj_of(const struct wm_model *m, const struct fr_fdinfo *fi)
{
	struct objkey k;
	uint8_t kind;
	uint32_t v;

	if (!fi || !key_of(fi, &k, &kind) || !kmap_get(m->objmap, &k, sizeof(k), &v))
		return WM_NONE;
	return v;
}

static char *obj_name(struct wm_model *m, const struct fr_fdinfo *fi, unsigned kind)
{
	struct fr_sb sb;
	char *s;

	fr_sb_init(&sb);
	switch (fi->type) {
	case FR_FD_PIPE:
		fr_sb_printf(&sb, "pipe:[%" PRIu64 "]", fi->ino);
		break;
	case FR_FD_SOCKET:
		if (fi->tuple.family == 2 || fi->tuple.family == 10) {
			unsigned p = sock_proto(fi);

			fr_sb_puts(&sb, p == 6 ? "TCP " : p == 17 ? "UDP " : "socket ");
			fr_print_tuple(&sb, &fi->tuple);
		} else {
			fr_sb_printf(&sb, "socket:[%" PRIu64 "]", fi->ino);
		}
		break;
	default:
		fr_sb_printf(&sb, "%s inode %" PRIu64,
			     kind == WM_FILE  ? "file"
			     : kind == WM_DIR ? "directory"
					      : "device",
			     fi->ino);
		break;
	}
	s = arena_str(&m->arena, fr_sb_str(&sb));
	fr_sb_free(&sb);
	return s;
}

/* The object fi identifies, created when new; WM_NONE when fi identifies
 * nothing (or out of memory). */
static uint32_t obj_get(struct wm_model *m, const struct fr_fdinfo *fi)
{
	struct objkey k;
	struct wm_obj *o;
	uint8_t kind;
	uint32_t v;

	if (!key_of(fi, &k, &kind))
		return WM_NONE;
	if (kmap_get(m->objmap, &k, sizeof(k), &v))
		return v;
	o = PUSH(m->objs, m->n_objs, m->cap_objs);
	if (!o)
		return WM_NONE;
	o->kind = kind;
	o->fd_type = (uint8_t)fi->type;
	o->sock_type = fi->sock_type;
	o->dev = fi->dev;
	o->ino = fi->ino;
	o->tuple = fi->tuple;
	o->reverse = WM_NONE;
	o->name = obj_name(m, fi, kind);
	v = m->n_objs - 1;
	if (kmap_put(m->objmap, &m->arena, &k, sizeof(k), v)) {
		m->n_objs--;
		return WM_NONE;
	}
	if (k.cls == 'T') {
		/* the other direction: the same connection seen from its peer */
		struct fr_fdinfo r = *fi;
		uint32_t ri;

		memcpy(r.tuple.saddr, fi->tuple.daddr, 16);
		memcpy(r.tuple.daddr, fi->tuple.saddr, 16);
		r.tuple.sport = fi->tuple.dport;
		r.tuple.dport = fi->tuple.sport;
		ri = obj_get(m, &r);
		if (ri != WM_NONE) {
			m->objs[v].reverse = ri;
			m->objs[ri].reverse = v;
		}
	}
	return v;
}

/* ---- the per-process descriptor state of the pass ---------------------------------- */

struct fdstate {
	uint64_t key; /* pid << 32 | fd */
	bool live;
	uint32_t obj;
	uint64_t rd; /* bytes this descriptor read from its object */
	bool wrote;
	bool in_tree;
	char *path;	      /* opened by this name */
	uint32_t open_idx;    /* the open waiting to learn its object */
	uint32_t accept_obj;  /* the accept waiting: listening object, */
	uint32_t accept_idx;  /* and its entry */
	uint32_t connect_idx; /* the connect waiting */
	int32_t pair_fd;      /* socketpair: the other end, -1 */
};

struct pass {
	struct wm_model *m;
	struct fr_reader *r;
	struct fdstate *fds;
	uint32_t n_fds, cap_fds;
	struct kmap fdmap; /* key -> index into fds */
	struct kmap cwdmap;
	char **cwds;
	uint32_t n_cwds, cap_cwds;
};

static struct fdstate *fd_find(struct pass *ps, uint32_t pid, int64_t fd)
{
	uint64_t key = (uint64_t)pid << 32 | (uint32_t)fd;
	uint32_t i;

	if (fd < 0 || fd > INT32_MAX || !kmap_get(&ps->fdmap, &key, sizeof(key), &i))
		return NULL;
	return ps->fds[i].live ? &ps->fds[i] : NULL;
}

/* A fresh state for (pid, fd) (a new open), replacing any. */
static struct fdstate *fd_new(struct pass *ps, uint32_t pid, int64_t fd, bool in_tree)
{
	uint64_t key = (uint64_t)pid << 32 | (uint32_t)fd;
	struct fdstate *s;
	uint32_t i;

	if (fd < 0 || fd > INT32_MAX)
		return NULL;
	if (kmap_get(&ps->fdmap, &key, sizeof(key), &i)) {
		s = &ps->fds[i];
	} else {
		s = PUSH(ps->fds, ps->n_fds, ps->cap_fds);
		if (!s || kmap_put(&ps->fdmap, &ps->m->arena, &key, sizeof(key), ps->n_fds - 1))
			return NULL;
	}
	memset(s, 0, sizeof(*s));
	s->key = key;
	s->live = true;
	s->in_tree = in_tree;
	s->obj = WM_NONE;
	s->open_idx = s->accept_obj = s->connect_idx = WM_NONE;
	s->pair_fd = -1;
	return s;
}

static struct fdstate *fd_get(struct pass *ps, uint32_t pid, int64_t fd, bool in_tree)
{
	struct fdstate *s = fd_find(ps, pid, fd);

	return s ? s : fd_new(ps, pid, fd, in_tree);
}

static const char *cwd_of(struct pass *ps, uint32_t pid)
{
	uint32_t i;
	const struct fr_process *p;

	if (kmap_get(&ps->cwdmap, &pid, sizeof(pid), &i))
		return ps->cwds[i];
	p = fr_reader__find_process(ps->r, pid);
	return p ? p->cwd : NULL;
}

static void set_cwd(struct pass *ps, uint32_t pid, const char *cwd)
{
	char **slot = PUSH(ps->cwds, ps->n_cwds, ps->cap_cwds);

	if (!slot)
		return;
	*slot = arena_str(&ps->m->arena, cwd);
	if (!*slot || kmap_put(&ps->cwdmap, &ps->m->arena, &pid, sizeof(pid), ps->n_cwds - 1))
		ps->n_cwds--;
}

/* ---- building ------------------------------------------------------------------------ */

struct wm_pathent {
	uint32_t *opens;
	uint32_t n_opens, cap_opens;
};

static bool call_in_tree(const struct rp_recording *rec, const struct fr_event *ev)
{
	const struct rp_rthread *t = rp_recording__thread(rec, ev->tid);

	return t && t->pid == ev->pid && ev->ts_ns >= rec->start.exec_ns;
}

/* Copy a syscall event into the model. */
static struct rp_call *keep_call(struct wm_model *m, const struct fr_event *ev, bool in_tree)
{
	struct rp_call *c = PUSH(m->calls, m->n_calls, m->cap_calls);
	uint8_t *t;
	uint32_t i, *slot;
	unsigned nr = ev->u.sc.nr;

	if (!c)
		return NULL;
	if (m->cap_in_tree < m->cap_calls) {
		t = realloc(m->in_tree, m->cap_calls);
		if (!t) {
			m->n_calls--;
			return NULL;
		}
		m->in_tree = t;
		m->cap_in_tree = m->cap_calls;
	}
	m->in_tree[m->n_calls - 1] = in_tree;
	c->sc = ev->u.sc;
	c->exit_ns = ev->ts_ns;
	c->pid = ev->pid;
	c->tid = ev->tid;
	c->seq = m->n_calls - 1;
	if (c->sc.flags & FR_SC_NO_EXIT)
		c->flags |= RP_CALL_UNFINISHED;
	if (!c->sc.enter_ns || c->sc.enter_ns > c->exit_ns)
		c->sc.enter_ns = c->exit_ns;
	if (ev->n_payloads) {
		c->payloads = arena_alloc(&m->arena, ev->n_payloads * sizeof(*c->payloads));
		if (!c->payloads)
			return NULL;
		for (i = 0; i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++) {
			c->payloads[i] = ev->payloads[i];
			if (c->payloads[i].flags || c->payloads[i].len < c->payloads[i].full_len)
				c->flags |= RP_CALL_INCOMPLETE;
			c->payloads[i].data =
			    arena_copy(&m->arena, ev->payloads[i].data, ev->payloads[i].len);
			if (!c->payloads[i].data)
				return NULL;
		}
		c->n_payloads = i;
	}
	if (nr < FR_NR_SYSCALLS) {
		slot = PUSH(m->by_nr[nr], m->n_by_nr[nr], m->cap_by_nr[nr]);
		if (!slot)
			return NULL;
		*slot = c->seq;
	}
	return c;
}

static const struct fr_payload *payload(const struct rp_call *c, int kind, int arg, int part)
{
	return rp_call_payload(c, kind, arg, part);
}

static struct wm_chunk *add_chunk(struct wm_chunk **arr, uint32_t *n, uint32_t *cap, uint64_t off,
				  const uint8_t *data, uint32_t len, uint64_t ns)
{
	struct wm_chunk *ch = PUSH(*arr, *n, *cap);

	if (!ch)
		return NULL;
	ch->off = off;
	ch->data = data;
	ch->len = len;
	ch->ns = ns;
	return ch;
}

/* The descriptor argument `a` of c now stands for obj: learn what was
 * waiting for it. */
static void learn(struct pass *ps, struct fdstate *s, uint32_t obj, const struct rp_call *c)
{
	struct wm_model *m = ps->m;

	s->obj = obj;
	if (s->open_idx != WM_NONE) {
		m->opens[s->open_idx].obj = obj;
		if (s->path && m->objs[obj].kind != WM_STREAM)
			m->objs[obj].name = s->path;
		if (s->path && !strcmp(s->path, "/dev/null"))
			m->objs[obj].kind = WM_NULL;
		s->open_idx = WM_NONE;
	}
	if (s->accept_obj != WM_NONE) {
		struct wm_obj *l = &m->objs[s->accept_obj];

		if (s->accept_idx < l->n_accepts)
			l->accepts[s->accept_idx].obj = obj;
		s->accept_obj = WM_NONE;
	}
	if (s->connect_idx != WM_NONE) {
		struct wm_connect *cn = &m->connects[s->connect_idx];

		cn->obj = obj;
		if (cn->ret == 0 || cn->ret == -115 /* EINPROGRESS */)
			m->objs[obj].connect_ns = cn->ns;
		s->connect_idx = WM_NONE;
	}
	if (s->pair_fd >= 0) {
		struct fdstate *o = fd_find(ps, c->pid, s->pair_fd);

		if (o && o->obj != WM_NONE && o->obj != obj) {
			m->objs[obj].reverse = o->obj;
			m->objs[o->obj].reverse = obj;
			o->pair_fd = -1;
		}
		if (o && o->obj != WM_NONE)
			s->pair_fd = -1;
	}
}

static void file_range(struct wm_obj *o, uint64_t pos, const uint8_t *data, uint32_t len,
		       uint64_t ns)
{
	if (len)
		add_chunk(&o->ranges, &o->n_ranges, &o->cap_ranges, pos, data, len, ns);
}

static void on_read(struct pass *ps, const struct rp_call *c, bool in_tree)
{
	struct wm_model *m = ps->m;
	struct fdstate *s = fd_find(ps, c->pid, (int64_t)c->sc.args[0]);
	const struct fr_payload *p = payload(c, FR_PL_OUT, WM_DATA_ARG, 0);
	const struct fr_payload *fi = payload(c, FR_PL_FDINFO, 0, -1);
	int64_t ret = c->sc.ret;
	uint32_t len;
	struct wm_obj *o;

	if (!s || s->obj == WM_NONE || ret < 0)
		return;
	o = &m->objs[s->obj];
	len = p ? (uint32_t)FR_MIN((uint64_t)p->len, (uint64_t)ret) : 0;
	if (o->kind == WM_FILE) {
		uint64_t pos;
		bool fixed =
		    c->sc.nr == NR_pread64 || c->sc.nr == NR_preadv || c->sc.nr == NR_preadv2;

		if (fixed) {
			pos = c->sc.args[3];
		} else if (fi && fi->len >= sizeof(struct fr_fdinfo)) {
			struct fr_fdinfo f;

			memcpy(&f, fi->data, sizeof(f));
			pos = f.pos;
		} else {
			return;
		}
		if (ret > 0 && (!p || p->len < (uint64_t)ret))
			return; /* the bytes are not all there */
		if (pos > (1ull << 62))
			return; /* hostile: offsets beyond any file */
		file_range(o, pos, p ? p->data : NULL, len, c->exit_ns);
		/* A regular file's short read is its end. */
		if ((c->sc.nr == NR_read || c->sc.nr == NR_pread64) &&
		    (uint64_t)ret < c->sc.args[2] && !o->size_known) {
			o->size_known = true;
			o->size = pos + (uint64_t)ret;
		}
		return;
	}
	if (o->kind != WM_STREAM && o->kind != WM_DGRAM)
		return;
	if (!in_tree) {
		s->rd += (uint64_t)ret;
		return;
	}
	if (ret == 0) {
		if (!o->own_eof) {
			o->own_eof = true;
			o->own_eof_ns = c->exit_ns;
			o->own_eof_dep = o->reverse != WM_NONE ? m->objs[o->reverse].tree_len : 0;
		}
		return;
	}
	if (len < (uint64_t)ret)
		return; /* incomplete: not a source of bytes */
	{
		struct wm_chunk *ch = add_chunk(&o->own, &o->n_own, &o->cap_own, o->own_len,
						p->data, len, c->exit_ns);

		if (ch) {
			ch->pid = c->pid;
			ch->dep = o->reverse != WM_NONE ? m->objs[o->reverse].tree_len : 0;
			o->own_len += len;
		}
	}
}

/* Where bytes written through this descriptor's object arrive. */
static uint32_t dest_of(const struct wm_model *m, uint32_t obj)
{
	const struct wm_obj *o = &m->objs[obj];

	if (o->fd_type == FR_FD_PIPE)
		return obj; /* one inode, both ends */
	if (o->fd_type == FR_FD_SOCKET)
		return o->reverse;
	return WM_NONE;
}

static void on_write(struct pass *ps, const struct rp_call *c, bool in_tree)
{
	struct wm_model *m = ps->m;
	struct fdstate *s = fd_find(ps, c->pid, (int64_t)c->sc.args[0]);
	const struct fr_payload *p = payload(c, FR_PL_IN, WM_DATA_ARG, 0);
	int64_t ret = c->sc.ret;
	uint32_t d, len;
	struct wm_obj *o;
	struct wm_chunk *ch;

	if (!s || s->obj == WM_NONE || ret <= 0 || !p)
		return;
	s->wrote = true;
	d = dest_of(m, s->obj);
	if (d == WM_NONE)
		return;
	o = &m->objs[d];
	if (o->kind != WM_STREAM)
		return;
	len = (uint32_t)FR_MIN((uint64_t)p->len, (uint64_t)ret);
	if (len < (uint64_t)ret)
		return; /* the recording holds a prefix only */
	if (in_tree) {
		ch = add_chunk(&o->tree, &o->n_tree, &o->cap_tree, o->tree_len, p->data, len,
			       c->exit_ns);
		if (ch) {
			ch->pid = c->pid;
			o->tree_len += len;
		}
		return;
	}
	ch = add_chunk(&o->peer, &o->n_peer, &o->cap_peer, o->peer_len, p->data, len, c->exit_ns);
	if (ch) {
		ch->pid = c->pid;
		ch->dep = s->rd;
		o->peer_len += len;
		o->peer_pid = c->pid;
		o->peer_eof = false;
	}
}

/* An outside writer's end of a stream closed: its reader sees the end. */
static void writer_gone(struct pass *ps, struct fdstate *s, uint64_t ns)
{
	uint32_t d;
	struct wm_obj *o;

	if (s->in_tree || s->obj == WM_NONE || !s->wrote)
		return;
	d = dest_of(ps->m, s->obj);
	if (d == WM_NONE)
		return;
	o = &ps->m->objs[d];
	o->peer_eof = true;
	o->peer_eof_ns = ns;
	o->peer_eof_dep = s->rd;
}

/* The absolute path argument `arg` of c, or NULL. */
static char *call_path(struct pass *ps, const struct rp_call *c, unsigned arg, int64_t dirfd)
{
	const struct fr_payload *p = payload(c, FR_PL_IN, (int)arg, -1);
	char buf[MAX_PATH];
	const char *base = NULL;
	size_t n;

	if (!p || (p->flags & FR_PLF_TRUNCATED))
		return NULL;
	n = FR_MIN((size_t)p->len, sizeof(buf) - 1);
	memcpy(buf, p->data, n);
	buf[n] = 0;
	n = strnlen(buf, n);
	buf[n] = 0;
	if (!buf[0])
		return NULL;
	if (buf[0] != '/') {
		if (dirfd == AT_FDCWD_) {
			base = cwd_of(ps, c->pid);
		} else {
			struct fdstate *s = fd_find(ps, c->pid, dirfd);

			base = s ? s->path : NULL;
		}
		if (!base)
			return NULL;
	}
	return wm_path_join(base, buf);
}

/* Path entries live in a vector; the map holds their index. */
struct pathvec {
	struct wm_pathent *v;
	uint32_t n, cap;
};

static struct wm_pathent *path_get(struct wm_model *m, struct pathvec *pv, const char *path,
				   bool create)
{
	uint32_t v;

	if (kmap_get(m->pathmap, path, strlen(path), &v))
		return v < pv->n ? &pv->v[v] : NULL;
	if (!create)
		return NULL;
	if (!PUSH(pv->v, pv->n, pv->cap))
		return NULL;
	if (kmap_put(m->pathmap, &m->arena, path, strlen(path), pv->n - 1)) {
		pv->n--;
		return NULL;
	}
	return &pv->v[pv->n - 1];
}

static void on_open(struct pass *ps, struct pathvec *pv, const struct rp_call *c, bool in_tree)
{
	struct wm_model *m = ps->m;
	unsigned nr = c->sc.nr;
	unsigned parg = nr == NR_open || nr == NR_creat ? 0 : 1;
	int64_t dirfd = parg ? (int64_t)(int32_t)c->sc.args[0] : AT_FDCWD_;
	char *abs = call_path(ps, c, parg, dirfd);
	struct wm_open *op;
	struct wm_pathent *pe;
	struct fdstate *s;

	if (!abs)
		return;
	op = PUSH(m->opens, m->n_opens, m->cap_opens);
	pe = op ? path_get(m, pv, abs, true) : NULL;
	if (!op || !pe || !PUSH(pe->opens, pe->n_opens, pe->cap_opens)) {
		free(abs);
		return;
	}
	pe->opens[pe->n_opens - 1] = m->n_opens - 1;
	op->path = arena_str(&m->arena, abs);
	op->flags = nr == NR_open ? c->sc.args[1] : nr == NR_openat ? c->sc.args[2] : 0;
	if (nr == NR_creat)
		op->flags = 01 | 0100 | 01000; /* O_WRONLY|O_CREAT|O_TRUNC */
	if (nr == NR_openat2) {
		const struct fr_payload *h = payload(c, FR_PL_IN, 2, -1);

		if (h && h->len >= 8)
			memcpy(&op->flags, h->data, 8);
	}
	op->ret = c->sc.ret;
	op->ns = c->exit_ns;
	op->pid = c->pid;
	op->tree = in_tree;
	op->obj = WM_NONE;
	if (c->sc.ret >= 0 && (s = fd_new(ps, c->pid, c->sc.ret, in_tree))) {
		s->path = (char *)op->path;
		s->open_idx = m->n_opens - 1;
	}
	free(abs);
}

static void on_dup(struct pass *ps, const struct rp_call *c, int64_t oldfd, int64_t newfd)
{
	struct fdstate *o = fd_find(ps, c->pid, oldfd), *n;
	struct fdstate copy;

	if (!o || newfd < 0)
		return;
	copy = *o;
	n = fd_new(ps, c->pid, newfd, o->in_tree);
	if (!n)
		return;
	copy.key = n->key;
	*n = copy;
	n->open_idx = n->accept_obj = n->connect_idx = WM_NONE;
}

static void on_stat(struct pass *ps, const struct rp_call *c)
{
	struct wm_model *m = ps->m;
	struct fdstate *s;
	const struct fr_payload *p;
	unsigned arg = c->sc.nr == NR_fstat ? 1 : 2;
	struct wm_obj *o;

	if (c->sc.ret != 0)
		return;
	if (c->sc.nr == NR_newfstatat) {
		const struct fr_payload *path = payload(c, FR_PL_IN, 1, -1);

		if (!(c->sc.args[3] & AT_EMPTY_PATH_) || (path && path->len && path->data[0]))
			return;
	}
	s = fd_find(ps, c->pid, (int64_t)c->sc.args[0]);
	p = payload(c, FR_PL_OUT, (int)arg, -1);
	if (!s || s->obj == WM_NONE || !p || p->len < WM_STAT_LEN)
		return;
	o = &m->objs[s->obj];
	o->stat = p->data;
	if (o->kind == WM_FILE) {
		uint64_t size;

		memcpy(&size, p->data + 48, 8); /* st_size */
		o->size_known = true;
		o->size = size;
	}
}

static void on_event(struct pass *ps, struct pathvec *pv, const struct fr_event *ev)
{
	struct wm_model *m = ps->m;
	const struct rp_recording *rec = m->rec;
	bool in_tree = call_in_tree(rec, ev);
	struct rp_call *c;
	const struct fr_syscall_desc *d;
	unsigned nr;
	uint32_t i;
	int64_t ret;
	struct fdstate *s;

	if (ev->type == FR_EV_PROC_EXIT) {
		if ((ev->u.exit.flags & FR_EXIT_GROUP_DEAD) && !in_tree)
			for (i = 0; i < ps->n_fds; i++)
				if (ps->fds[i].live && ps->fds[i].key >> 32 == ev->pid)
					writer_gone(ps, &ps->fds[i], ev->ts_ns);
		return;
	}
	if (ev->type != FR_EV_SYSCALL || (ev->u.sc.flags & FR_SC_NO_ENTER))
		return;
	c = keep_call(m, ev, in_tree);
	if (!c)
		return;
	nr = c->sc.nr;
	ret = c->sc.ret;
	d = fr_syscall(nr);
	/* What each descriptor argument stands for. */
	for (i = 0; d && i < c->n_payloads; i++) {
		const struct fr_payload *p = &c->payloads[i];
		struct fr_fdinfo fi;
		uint32_t obj;

		if (p->kind != FR_PL_FDINFO || p->arg >= d->nargs || p->len < sizeof(fi) ||
		    d->args[p->arg].kind != FR_A_FD)
			continue;
		memcpy(&fi, p->data, sizeof(fi));
		obj = obj_get(m, &fi);
		if (obj == WM_NONE)
			continue;
		s = fd_get(ps, c->pid, (int64_t)(int32_t)c->sc.args[p->arg], in_tree);
		if (s && (s->obj != obj || s->open_idx != WM_NONE || s->accept_obj != WM_NONE ||
			  s->connect_idx != WM_NONE || s->pair_fd >= 0))
			learn(ps, s, obj, c);
		if (m->objs[obj].kind == WM_STREAM && m->objs[obj].fd_type == FR_FD_CHR && s &&
		    s->path && !strcmp(s->path, "/dev/null"))
			m->objs[obj].kind = WM_NULL;
	}
	if (wm_is_read(nr)) {
		on_read(ps, c, in_tree);
	} else if (wm_is_write(nr)) {
		on_write(ps, c, in_tree);
	}
	switch (nr) {
	case NR_open:
	case NR_openat:
	case NR_creat:
	case NR_openat2:
		on_open(ps, pv, c, in_tree);
		break;
	case NR_close:
		if ((s = fd_find(ps, c->pid, (int64_t)(int32_t)c->sc.args[0]))) {
			writer_gone(ps, s, c->exit_ns);
			s->live = false;
		}
		break;
	case NR_shutdown:
		if ((c->sc.args[1] == 1 || c->sc.args[1] == 2) &&
		    (s = fd_find(ps, c->pid, (int64_t)(int32_t)c->sc.args[0])))
			writer_gone(ps, s, c->exit_ns);
		break;
	case NR_dup:
		on_dup(ps, c, (int32_t)c->sc.args[0], ret);
		break;
	case NR_dup2:
	case NR_dup3:
		if (ret >= 0)
			on_dup(ps, c, (int32_t)c->sc.args[0], (int32_t)c->sc.args[1]);
		break;
	case NR_fcntl:
		if (ret >= 0 && (c->sc.args[1] == 0 || c->sc.args[1] == 1030))
			on_dup(ps, c, (int32_t)c->sc.args[0], ret);
		break;
	case NR_socket:
		if (ret >= 0)
			fd_new(ps, c->pid, ret, in_tree);
		break;
	case NR_pipe:
	case NR_pipe2:
	case NR_socketpair: {
		const struct fr_payload *p = payload(c, FR_PL_OUT, nr == NR_socketpair ? 3 : 0, -1);
		int32_t v[2];
		struct fdstate *a, *b;

		if (ret < 0 || !p || p->len < 8)
			break;
		memcpy(v, p->data, 8);
		a = fd_new(ps, c->pid, v[0], in_tree);
		b = fd_new(ps, c->pid, v[1], in_tree);
		if (a && b && nr == NR_socketpair) {
			a->pair_fd = v[1];
			b->pair_fd = v[0];
		}
		break;
	}
	case NR_accept:
	case NR_accept4: {
		struct fdstate *l = fd_find(ps, c->pid, (int64_t)(int32_t)c->sc.args[0]);
		struct fdstate *n;

		if (ret < 0)
			break;
		n = fd_new(ps, c->pid, ret, in_tree);
		if (in_tree && l && l->obj != WM_NONE && m->objs[l->obj].kind == WM_LISTEN && n) {
			struct wm_obj *lo = &m->objs[l->obj];
			struct wm_accept *a = PUSH(lo->accepts, lo->n_accepts, lo->cap_accepts);
			const struct fr_payload *sa = payload(c, FR_PL_OUT, 1, -1);

			if (!a)
				break;
			a->ns = c->exit_ns;
			a->ret = ret;
			a->pid = c->pid;
			a->fd = (uint32_t)ret;
			a->obj = WM_NONE;
			if (sa) {
				a->sa_len = FR_MIN(sa->len, (uint32_t)sizeof(a->sa));
				memcpy(a->sa, sa->data, a->sa_len);
			}
			n->accept_obj = l->obj;
			n->accept_idx = lo->n_accepts - 1;
		}
		break;
	}
	case NR_connect:
		if (in_tree) {
			const struct fr_payload *sa = payload(c, FR_PL_IN, 1, -1);
			struct wm_connect *cn;

			if (!sa)
				break;
			cn = PUSH(m->connects, m->n_connects, m->cap_connects);
			if (!cn)
				break;
			cn->ns = c->exit_ns;
			cn->ret = ret;
			cn->pid = c->pid;
			cn->fd = (uint32_t)c->sc.args[0];
			cn->key_len = (uint32_t)rp_sockaddr_key(sa->data, sa->len, cn->key);
			cn->obj = WM_NONE;
			if ((s = fd_get(ps, c->pid, (int64_t)(int32_t)c->sc.args[0], in_tree)))
				s->connect_idx = m->n_connects - 1;
		}
		break;
	case NR_getdents64:
		if ((s = fd_find(ps, c->pid, (int64_t)(int32_t)c->sc.args[0])) &&
		    s->obj != WM_NONE && m->objs[s->obj].kind == WM_DIR && ret >= 0) {
			struct wm_obj *o = &m->objs[s->obj];
			uint32_t *slot;

			if (o->dents_done ||
			    (o->n_dents &&
			     (o->dents_pid != c->pid || o->dents_fd != (uint32_t)c->sc.args[0])))
				break;
			if (c->flags & RP_CALL_INCOMPLETE)
				break;
			slot = PUSH(o->dents, o->n_dents, o->cap_dents);
			if (!slot)
				break;
			*slot = c->seq;
			o->dents_pid = c->pid;
			o->dents_fd = (uint32_t)c->sc.args[0];
			if (ret == 0)
				o->dents_done = true;
		}
		break;
	case NR_fstat:
	case NR_newfstatat:
		on_stat(ps, c);
		break;
	case NR_chdir:
		if (ret == 0) {
			char *abs = call_path(ps, c, 0, AT_FDCWD_);

			if (abs)
				set_cwd(ps, c->pid, abs);
			free(abs);
		}
		break;
	case NR_fchdir:
		if (ret == 0 && (s = fd_find(ps, c->pid, (int64_t)(int32_t)c->sc.args[0])) &&
		    s->path)
			set_cwd(ps, c->pid, s->path);
		break;
	case NR_clock_gettime:
	case NR_gettimeofday:
		if (in_tree && ret == 0) {
			unsigned clk = nr == NR_gettimeofday ? 0 : (unsigned)c->sc.args[0];
			const struct fr_payload *p =
			    payload(c, FR_PL_OUT, nr == NR_gettimeofday ? 0 : 1, -1);
			struct wm_clock_sample *cs;
			int64_t v[2];

			if (clk >= WM_MAX_CLOCK || !p || p->len < 16)
				break;
			memcpy(v, p->data, 16);
			cs = PUSH(m->clocks[clk], m->n_clocks[clk], m->cap_clocks[clk]);
			if (!cs)
				break;
			cs->ns = c->exit_ns;
			cs->offset = v[0] * 1000000000 +
				     (nr == NR_gettimeofday ? v[1] * 1000 : v[1]) -
				     (int64_t)c->exit_ns;
		}
		break;
	case NR_getrandom:
		if (in_tree && ret > 0) {
			const struct fr_payload *p = payload(c, FR_PL_OUT, 0, -1);

			if (p && p->len >= (uint64_t)ret)
				add_chunk(&m->random, &m->n_random, &m->cap_random, 0, p->data,
					  (uint32_t)ret, c->exit_ns);
		}
		break;
	default:
		break;
	}
}

static int cmp_chunk_off(const void *a, const void *b)
{
	const struct wm_chunk *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* A file's ranges, sorted and merged into extents (overlapping reads of
 * the same bytes agree: a file read twice over shows its bytes twice).
 * 0 or -ENOMEM (the ranges are then left as they were). */
static int merge_ranges(struct wm_model *m, struct wm_obj *o)
{
	struct wm_chunk *v = o->ranges;
	uint32_t n = o->n_ranges, i, k = 0;

	if (n < 2)
		return 0;
	qsort(v, n, sizeof(*v), cmp_chunk_off);
	for (i = 0; i < n;) {
		uint64_t start = v[i].off, end = v[i].off + v[i].len, ns = v[i].ns;
		uint32_t j = i + 1, first = i;
		uint8_t *d;

		while (j < n && v[j].off <= end) {
			end = FR_MAX(end, v[j].off + v[j].len);
			ns = FR_MIN(ns, v[j].ns);
			j++;
		}
		if (j - first > 1) {
			if (end - start > UINT32_MAX)
				return -E2BIG;
			d = arena_alloc(&m->arena, end - start);
			if (!d)
				return -ENOMEM;
			for (; i < j; i++)
				memcpy(d + (v[i].off - start), v[i].data, v[i].len);
			v[k].data = d;
		} else {
			v[k].data = v[i].data;
			i++;
		}
		v[k].off = start;
		v[k].len = (uint32_t)(end - start);
		v[k].ns = ns;
		v[k].pid = 0;
		v[k].dep = 0;
		k++;
		i = j;
	}
	o->n_ranges = k;
	return 0;
}

int wm__build(struct fr_reader *r, const struct rp_recording *rec, struct wm_model **out, char *err,
	      size_t errlen)
{
	struct wm_model *m = calloc(1, sizeof(*m));
	struct pass ps = {0};
	struct pathvec pv = {0};
	struct fr_filter f = {0};
	const struct fr_event *ev;
	uint32_t i;
	int k;

	*out = NULL;
	if (!m || !(m->objmap = calloc(1, sizeof(struct kmap))) ||
	    !(m->pathmap = calloc(1, sizeof(struct kmap))) ||
	    !(m->by_nr = calloc(FR_NR_SYSCALLS, sizeof(*m->by_nr))) ||
	    !(m->n_by_nr = calloc(FR_NR_SYSCALLS, sizeof(*m->n_by_nr))) ||
	    !(m->cap_by_nr = calloc(FR_NR_SYSCALLS, sizeof(*m->cap_by_nr))))
		goto oom;
	m->rec = rec;
	m->start_ns = rec->start.exec_ns;
	m->clock_to_utc_ns = rec->manifest_info.clock_to_utc_ns;
	ps.m = m;
	ps.r = r;
	f.type_mask = (1ull << FR_EV_SYSCALL) | (1ull << FR_EV_PROC_EXIT);
	fr_reader__set_filter(r, &f);
	while ((k = fr_reader__next(r, &ev)) > 0) {
		size_t before = m->n_calls;

		on_event(&ps, &pv, ev);
		if (ev->type == FR_EV_SYSCALL && !(ev->u.sc.flags & FR_SC_NO_ENTER) &&
		    m->n_calls == before)
			goto oom;
	}
	fr_reader__set_filter(r, NULL);
	if (k < 0) {
		snprintf(err, errlen, "reading events: %s", fr_reader__strerror(r));
		goto fail;
	}
	/* Keep the opens per path for wm__opens: the pathmap maps a path to
	 * its entry's index; entries move into the model. */
	m->paths = pv.v;
	m->n_paths = pv.n;
	free(ps.fds);
	free(ps.fdmap.slots);
	free(ps.cwdmap.slots);
	free(ps.cwds);
	for (i = 0; i < m->n_objs; i++)
		if (m->objs[i].kind == WM_FILE && merge_ranges(m, &m->objs[i]) == -ENOMEM) {
			snprintf(err, errlen, "out of memory building the model of the recording");
			wm__free(m);
			return -ENOMEM;
		}
	*out = m;
	return 0;
oom:
	fr_reader__set_filter(r, NULL);
	snprintf(err, errlen, "out of memory building the model of the recording");
fail:
	free(ps.fds);
	free(ps.fdmap.slots);
	free(ps.cwdmap.slots);
	free(ps.cwds);
	for (i = 0; i < pv.n; i++)
		free(pv.v[i].opens);
	free(pv.v);
	wm__free(m);
	return -ENOMEM;
}

void wm__free(struct wm_model *m)
{
	uint32_t i;

	if (!m)
		return;
	for (i = 0; i < m->n_objs; i++) {
		struct wm_obj *o = &m->objs[i];

		free(o->peer);
		free(o->tree);
		free(o->own);
		free(o->ranges);
		free(o->dents);
		free(o->accepts);
	}
	free(m->objs);
	for (i = 0; i < m->n_paths; i++)
		free(m->paths[i].opens);
	free(m->paths);
	if (m->by_nr)
		for (i = 0; i < FR_NR_SYSCALLS; i++)
			free(m->by_nr[i]);
	free(m->by_nr);
	free(m->n_by_nr);
	free(m->cap_by_nr);
	free(m->calls);
	free(m->in_tree);
	free(m->opens);
	free(m->connects);
	for (i = 0; i < WM_MAX_CLOCK; i++)
		free(m->clocks[i]);
	free(m->random);
	kmap_free(m->objmap);
	kmap_free(m->pathmap);
	arena_free(m->arena);
	free(m);
}

uint32_t wm__opens(const struct wm_model *m, const char *path, const struct wm_open **out,
		   uint32_t cap)
{
	const struct wm_pathent *pe;
	uint32_t v, i, n = 0;

	if (!path || !kmap_get(m->pathmap, path, strlen(path), &v) || v >= m->n_paths)
		return 0;
	pe = &m->paths[v];
	for (i = pe->n_opens; i-- > 0 && n < cap;)
		if (pe->opens[i] < m->n_opens)
			out[n++] = &m->opens[pe->opens[i]];
	return pe->n_opens;
}

uint32_t wm__obj_of_path(const struct wm_model *m, const char *path)
{
	const struct wm_open *ops[64];
	uint32_t n = wm__opens(m, path, ops, 64), i;

	for (i = 0; i < n && i < 64; i++)
		if (ops[i]->obj != WM_NONE)
			return ops[i]->obj;
	return WM_NONE;
}

enum wm_source wm__source(const struct wm_obj *o)
{
	if (o->n_peer || o->peer_eof)
		return WM_SRC_PEER;
	if (o->n_tree)
		return WM_SRC_TREE;
	if (o->n_own || o->own_eof)
		return WM_SRC_OWN;
	return WM_SRC_NONE;
}

int64_t wm__file_bytes(const struct wm_obj *o, uint64_t off, uint64_t max, const uint8_t **data,
		       bool *eof)
{
	uint64_t best_end = 0;
	const struct wm_chunk *best = NULL;

	*eof = false;
	*data = NULL;
	if (o->size_known && off >= o->size) {
		*eof = true;
		return 0;
	}
	/* Extents, sorted and disjoint (merge_ranges): the last that starts
	 * at or before off. */
	{
		uint32_t lo = 0, hi = o->n_ranges;

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (o->ranges[mid].off <= off)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo) {
			const struct wm_chunk *r = &o->ranges[lo - 1];

			if (off < r->off + r->len) {
				best = r;
				best_end = r->off + r->len;
			}
		}
	}
	if (!best)
		return -ENODATA;
	if (o->size_known && best_end > o->size)
		best_end = o->size;
	*data = best->data + (off - best->off);
	return (int64_t)FR_MIN(max, best_end - off);
}

bool wm__clock_offset(const struct wm_model *m, unsigned clk, uint64_t ns, int64_t *offset)
{
	uint32_t n, i;

	if (clk < WM_MAX_CLOCK && (n = m->n_clocks[clk])) {
		const struct wm_clock_sample *s = m->clocks[clk];

		*offset = s[0].offset;
		for (i = 0; i < n && s[i].ns <= ns; i++)
			*offset = s[i].offset;
		return true;
	}
	switch (clk) {
	case 0:	 /* CLOCK_REALTIME */
	case 5:	 /* CLOCK_REALTIME_COARSE */
	case 8:	 /* CLOCK_REALTIME_ALARM */
	case 11: /* CLOCK_TAI (leap seconds aside) */
		*offset = m->clock_to_utc_ns;
		return true;
	case 1: /* CLOCK_MONOTONIC: the bundle's clock */
	case 4:
	case 6:
	case 7: /* CLOCK_BOOTTIME: as monotonic, unless the tree read it */
	case 9:
		*offset = 0;
		return true;
	default:
		return false; /* CPU-time clocks */
	}
}
