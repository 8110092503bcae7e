// SPDX-License-Identifier: MIT
/*
 * proctab.c: the process table: struct fr_process <-> JSON.
 *
 * The JSON form is specified in docs/bundle-format.md ("Process table").
 * Reading is defensive: every count and string length is capped, every type
 * checked; a bad entry fails the whole table with a message naming it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bundle.h"
#include "formats/jsonutil.h"
#include "formats/manifest.h"
#include "formats/util.h"

#define MAX_STR 65536        /* one path, argument or variable */
#define MAX_ARGS (1u << 16)  /* argv and env entries */
#define MAX_LIST (1u << 20)  /* threads, maps, fds */
#define MAX_RLIMITS 64
#define MAX_NS 16

static const char *const fd_type_names[] = {
	[FR_FD_UNKNOWN] = "unknown", [FR_FD_FILE] = "file", [FR_FD_DIR] = "dir",
	[FR_FD_PIPE] = "pipe",       [FR_FD_SOCKET] = "socket", [FR_FD_CHR] = "chr",
	[FR_FD_BLK] = "blk",         [FR_FD_ANON] = "anon",
};

void fr_process__clear(struct fr_process *p)
{
	uint32_t i;

	if (!p)
		return;
	free(p->exe);
	free(p->exe_build_id);
	free(p->cwd);
	free(p->cgroup);
	for (i = 0; p->argv && i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	for (i = 0; p->env && i < p->envc; i++)
		free(p->env[i]);
	free(p->env);
	free(p->threads);
	for (i = 0; p->maps && i < p->n_maps; i++) {
		free(p->maps[i].path);
		free(p->maps[i].build_id);
	}
	free(p->maps);
	for (i = 0; p->fds && i < p->n_fds; i++)
		free(p->fds[i].path);
	free(p->fds);
	free(p->rlimits);
	free(p->namespaces);
	memset(p, 0, sizeof(*p));
}

/* ---- copy ---------------------------------------------------------------------- */

static bool dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return true;
	*dst = strdup(src);
	return *dst != NULL;
}

static bool dup_strv(char ***dst, char *const *src, uint32_t n)
{
	uint32_t i;

	*dst = NULL;
	if (!src || !n)
		return true;
	*dst = calloc(n, sizeof(char *));
	if (!*dst)
		return false;
	for (i = 0; i < n; i++)
		if (!dup_str(&(*dst)[i], src[i]))
			return false;
	return true;
}

static bool dup_mem(void **dst, const void *src, size_t n, size_t size)
{
	*dst = NULL;
	if (!src || !n)
		return true;
	*dst = calloc(n, size);
	if (!*dst)
		return false;
	memcpy(*dst, src, n * size);
	return true;
}

int fr_process__copy(struct fr_process *dst, const struct fr_process *src)
{
	uint32_t i;

	*dst = *src;
	dst->exe = dst->exe_build_id = dst->cwd = dst->cgroup = NULL;
	dst->argv = dst->env = NULL;
	dst->threads = NULL;
	dst->maps = NULL;
	dst->fds = NULL;
	dst->rlimits = NULL;
	dst->namespaces = NULL;
	if (!dup_str(&dst->exe, src->exe) || !dup_str(&dst->exe_build_id, src->exe_build_id) ||
	    !dup_str(&dst->cwd, src->cwd) || !dup_str(&dst->cgroup, src->cgroup) ||
	    !dup_strv(&dst->argv, src->argv, src->argc) ||
	    !dup_strv(&dst->env, src->env, src->envc) ||
	    !dup_mem((void **)&dst->threads, src->threads, src->n_threads, sizeof(*src->threads)) ||
	    !dup_mem((void **)&dst->rlimits, src->rlimits, src->n_rlimits, sizeof(*src->rlimits)) ||
	    !dup_mem((void **)&dst->namespaces, src->namespaces, src->n_namespaces,
		     sizeof(*src->namespaces)))
		goto fail;
	if (src->maps && src->n_maps) {
		dst->maps = calloc(src->n_maps, sizeof(*dst->maps));
		if (!dst->maps)
			goto fail;
		for (i = 0; i < src->n_maps; i++) {
			dst->maps[i] = src->maps[i];
			dst->maps[i].path = dst->maps[i].build_id = NULL;
			if (!dup_str(&dst->maps[i].path, src->maps[i].path) ||
			    !dup_str(&dst->maps[i].build_id, src->maps[i].build_id))
				goto fail;
		}
	}
	if (src->fds && src->n_fds) {
		dst->fds = calloc(src->n_fds, sizeof(*dst->fds));
		if (!dst->fds)
			goto fail;
		for (i = 0; i < src->n_fds; i++) {
			dst->fds[i] = src->fds[i];
			dst->fds[i].path = NULL;
			if (!dup_str(&dst->fds[i].path, src->fds[i].path))
				goto fail;
		}
	}
	return 0;
fail:
	/* make the partially built copy safe to clear: counts must match arrays */
	if (!dst->argv)
		dst->argc = 0;
	if (!dst->env)
		dst->envc = 0;
	if (!dst->threads)
		dst->n_threads = 0;
	if (!dst->maps)
		dst->n_maps = 0;
	if (!dst->fds)
		dst->n_fds = 0;
	if (!dst->rlimits)
		dst->n_rlimits = 0;
	if (!dst->namespaces)
		dst->n_namespaces = 0;
	fr_process__clear(dst);
	return -ENOMEM;
}

/* ---- to JSON --------------------------------------------------------------------- */

static json_t *strv_json(char *const *v, uint32_t n)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; v && i < n; i++)
		json_array_append_new(a, fr_json_str(v[i]));
	return a;
}

static json_t *tuple_json(const struct fr_sock_tuple *t)
{
	char s[64], d[64];
	struct fr_sb sb;

	fr_sb_init(&sb);
	fr_sb_reset(&sb);
	if (t->family == 2) {
		snprintf(s, sizeof(s), "%u.%u.%u.%u", t->saddr[0], t->saddr[1], t->saddr[2],
			 t->saddr[3]);
		snprintf(d, sizeof(d), "%u.%u.%u.%u", t->daddr[0], t->daddr[1], t->daddr[2],
			 t->daddr[3]);
	} else {
		unsigned i;

		for (i = 0; i < 16; i++) {
			snprintf(s + 2 * i, 3, "%02x", t->saddr[i]);
			snprintf(d + 2 * i, 3, "%02x", t->daddr[i]);
		}
	}
	fr_sb_free(&sb);
	return json_pack("{s:i,s:i,s:s,s:i,s:s,s:i}", "family", t->family, "protocol",
			 t->protocol, "saddr", s, "sport", t->sport, "daddr", d, "dport",
			 t->dport);
}

static json_t *ju64(uint64_t v) { return json_integer((json_int_t)v); }
/* limits: UINT64_MAX (unlimited) is stored as -1 */
static json_t *jlim(uint64_t v) { return json_integer(v == UINT64_MAX ? -1 : (json_int_t)v); }

json_t *fr_process__to_json(const struct fr_process *p)
{
	json_t *o = json_object(), *a;
	uint32_t i;

	if (!o)
		return NULL;
	json_object_set_new(o, "pid", json_integer(p->pid));
	json_object_set_new(o, "ppid", json_integer(p->ppid));
	json_object_set_new(o, "uid", json_integer(p->uid));
	json_object_set_new(o, "gid", json_integer(p->gid));
	json_object_set_new(o, "euid", json_integer(p->euid));
	json_object_set_new(o, "egid", json_integer(p->egid));
	json_object_set_new(o, "root", json_boolean(p->flags & FR_PROC_ROOT));
	json_object_set_new(o, "snapshot", json_boolean(p->flags & FR_PROC_SNAPSHOT));
	json_object_set_new(o, "comm", fr_json_bytes(p->comm, strnlen(p->comm, FR_COMM_LEN)));
	json_object_set_new(o, "exe", fr_json_str(p->exe));
	json_object_set_new(o, "exe_build_id", fr_json_str(p->exe_build_id));
	json_object_set_new(o, "cwd", fr_json_str(p->cwd));
	json_object_set_new(o, "cgroup", fr_json_str(p->cgroup));
	json_object_set_new(o, "argv", strv_json(p->argv, p->argc));
	json_object_set_new(o, "env", strv_json(p->env, p->envc));
	json_object_set_new(o, "start_ns", ju64(p->start_ns));
	if (p->flags & FR_PROC_EXITED) {
		json_object_set_new(o, "exit_ns", ju64(p->exit_ns));
		json_object_set_new(o, "exit_status", json_integer(p->exit_status));
	}
	a = json_array();
	for (i = 0; p->threads && i < p->n_threads; i++)
		json_array_append_new(
			a, json_pack("{s:i,s:o}", "tid", p->threads[i].tid, "comm",
				     fr_json_bytes(p->threads[i].comm,
						   strnlen(p->threads[i].comm, FR_COMM_LEN))));
	json_object_set_new(o, "threads", a);
	a = json_array();
	for (i = 0; p->maps && i < p->n_maps; i++) {
		const struct fr_map *m = &p->maps[i];

		json_array_append_new(
			a, json_pack("{s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}", "start", ju64(m->start),
				     "end", ju64(m->end), "offset", ju64(m->offset), "inode",
				     ju64(m->inode), "perms", m->perms, "dev", m->dev, "path",
				     fr_json_str(m->path), "build_id", fr_json_str(m->build_id)));
	}
	json_object_set_new(o, "maps", a);
	a = json_array();
	for (i = 0; p->fds && i < p->n_fds; i++) {
		const struct fr_fd *f = &p->fds[i];
		json_t *fo = json_pack("{s:i,s:s,s:i,s:i,s:o,s:o,s:o}", "fd", f->fd, "type",
				       f->type < FR_ARRAY_SIZE(fd_type_names) ? fd_type_names[f->type]
									      : "unknown",
				       "sock_type", f->sock_type, "flags", f->flags, "pos",
				       ju64(f->pos), "ino", ju64(f->ino), "path", fr_json_str(f->path));

		if (f->type == FR_FD_SOCKET && f->tuple.family)
			json_object_set_new(fo, "socket", tuple_json(&f->tuple));
		json_array_append_new(a, fo);
	}
	json_object_set_new(o, "fds", a);
	a = json_array();
	for (i = 0; p->rlimits && i < p->n_rlimits; i++)
		json_array_append_new(a, json_pack("{s:i,s:o,s:o}", "resource",
						   p->rlimits[i].resource, "cur",
						   jlim(p->rlimits[i].cur), "max",
						   jlim(p->rlimits[i].max)));
	json_object_set_new(o, "rlimits", a);
	a = json_array();
	for (i = 0; p->namespaces && i < p->n_namespaces; i++)
		json_array_append_new(a, json_pack("{s:s,s:o}", "name", p->namespaces[i].name,
						   "ino", ju64(p->namespaces[i].ino)));
	json_object_set_new(o, "namespaces", a);
	return o;
}

/* ---- from JSON --------------------------------------------------------------------- */

struct ctx {
	char *err;
	size_t errlen;
	uint32_t pid;
};

#define FAIL(c, ...)                                                                 \
	do {                                                                         \
		int n_ = snprintf((c)->err, (c)->errlen, "process %u: ", (c)->pid);  \
		if (n_ >= 0 && (size_t)n_ < (c)->errlen)                             \
			snprintf((c)->err + n_, (c)->errlen - (size_t)n_, __VA_ARGS__); \
		return false;                                                        \
	} while (0)

static bool get_uint(struct ctx *c, json_t *o, const char *key, uint64_t max, uint64_t *out,
		     bool required)
{
	json_t *v = json_object_get(o, key);

	*out = 0;
	if (!v || json_is_null(v)) {
		if (required)
			FAIL(c, "'%s' is missing", key);
		return true;
	}
	/* Full-range u64 values (addresses in the kernel half, device numbers)
	 * are stored as JSON integers, which are signed 64-bit: values from
	 * 2^63 up appear as their two's-complement negative. */
	if (!json_is_integer(v) || (json_integer_value(v) < 0 && max != UINT64_MAX) ||
	    (uint64_t)json_integer_value(v) > max)
		FAIL(c, "'%s' is not an integer in range", key);
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool get_u32(struct ctx *c, json_t *o, const char *key, uint32_t *out, bool required)
{
	uint64_t v;

	if (!get_uint(c, o, key, UINT32_MAX, &v, required))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool get_string(struct ctx *c, json_t *o, const char *key, char **out)
{
	if (fr_json_get_str(json_object_get(o, key), MAX_STR, out) < 0)
		FAIL(c, "'%s' is not a valid string", key);
	return true;
}

static bool get_fixed(struct ctx *c, json_t *o, const char *key, char *dst, size_t size)
{
	char *s = NULL;

	if (fr_json_get_str(json_object_get(o, key), size - 1, &s) < 0)
		FAIL(c, "'%s' is not a string of at most %zu bytes", key, size - 1);
	snprintf(dst, size, "%s", s ? s : "");
	free(s);
	return true;
}

/* An array member, at most `max` elements; *n = 0 and *out NULL when absent. */
static bool get_array(struct ctx *c, json_t *o, const char *key, size_t max, json_t **out,
		      uint32_t *n)
{
	json_t *a = json_object_get(o, key);

	*out = NULL;
	*n = 0;
	if (!a || json_is_null(a))
		return true;
	if (!json_is_array(a))
		FAIL(c, "'%s' is not an array", key);
	if (json_array_size(a) > max)
		FAIL(c, "'%s' has %zu entries, more than the %zu allowed", key,
		     json_array_size(a), max);
	*out = a;
	*n = (uint32_t)json_array_size(a);
	return true;
}

static bool get_strv(struct ctx *c, json_t *o, const char *key, char ***out, uint32_t *n)
{
	json_t *a;
	uint32_t i, cnt;

	if (!get_array(c, o, key, MAX_ARGS, &a, &cnt))
		return false;
	*out = NULL;
	*n = 0;
	if (!cnt)
		return true;
	*out = calloc(cnt, sizeof(char *));
	if (!*out)
		FAIL(c, "out of memory");
	*n = cnt;
	for (i = 0; i < cnt; i++)
		if (fr_json_get_str(json_array_get(a, i), MAX_STR, &(*out)[i]) < 0 ||
		    !(*out)[i])
			FAIL(c, "'%s'[%u] is not a valid string", key, i);
	return true;
}

static bool parse_tuple(struct ctx *c, json_t *s, struct fr_sock_tuple *t)
{
	uint32_t fam, proto, sport, dport;
	const char *sa, *da;

	if (!json_is_object(s) || !get_u32(c, s, "family", &fam, true) ||
	    !get_u32(c, s, "protocol", &proto, false) || !get_u32(c, s, "sport", &sport, false) ||
	    !get_u32(c, s, "dport", &dport, false))
		return false;
	if (fam > 0xffff || proto > 0xffff || sport > 0xffff || dport > 0xffff)
		FAIL(c, "socket field out of range");
	t->family = (uint16_t)fam;
	t->protocol = (uint16_t)proto;
	t->sport = (uint16_t)sport;
	t->dport = (uint16_t)dport;
	sa = json_string_value(json_object_get(s, "saddr"));
	da = json_string_value(json_object_get(s, "daddr"));
	if (!sa || !da)
		FAIL(c, "socket addresses missing");
	if (fam == 2) {
		unsigned a[4], b[4];

		if (sscanf(sa, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]) != 4 ||
		    sscanf(da, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]) != 4 || a[0] > 255 ||
		    a[1] > 255 || a[2] > 255 || a[3] > 255 || b[0] > 255 || b[1] > 255 ||
		    b[2] > 255 || b[3] > 255)
			FAIL(c, "bad IPv4 socket address");
		for (int i = 0; i < 4; i++) {
			t->saddr[i] = (uint8_t)a[i];
			t->daddr[i] = (uint8_t)b[i];
		}
	} else {
		if (strlen(sa) != 32 || strlen(da) != 32)
			FAIL(c, "bad socket address");
		for (int i = 0; i < 16; i++) {
			unsigned x, y;

			if (sscanf(sa + 2 * i, "%2x", &x) != 1 || sscanf(da + 2 * i, "%2x", &y) != 1)
				FAIL(c, "bad socket address");
			t->saddr[i] = (uint8_t)x;
			t->daddr[i] = (uint8_t)y;
		}
	}
	return true;
}

static bool get_limit(struct ctx *c, json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < -1)
		FAIL(c, "rlimit '%s' is invalid", key);
	*out = json_integer_value(v) == -1 ? UINT64_MAX : (uint64_t)json_integer_value(v);
	return true;
}

static bool parse_process(struct ctx *c, json_t *o, struct fr_process *p)
{
	json_t *a, *v;
	uint32_t i, n;
	uint64_t u;

	if (!json_is_object(o))
		FAIL(c, "entry is not an object");
	if (!get_u32(c, o, "pid", &p->pid, true))
		return false;
	c->pid = p->pid;
	if (!get_u32(c, o, "ppid", &p->ppid, false) || !get_u32(c, o, "uid", &p->uid, false) ||
	    !get_u32(c, o, "gid", &p->gid, false) || !get_u32(c, o, "euid", &p->euid, false) ||
	    !get_u32(c, o, "egid", &p->egid, false))
		return false;
	if (json_is_true(json_object_get(o, "root")))
		p->flags |= FR_PROC_ROOT;
	if (json_is_true(json_object_get(o, "snapshot")))
		p->flags |= FR_PROC_SNAPSHOT;
	if (!get_fixed(c, o, "comm", p->comm, sizeof(p->comm)) ||
	    !get_string(c, o, "exe", &p->exe) ||
	    !get_string(c, o, "exe_build_id", &p->exe_build_id) ||
	    !get_string(c, o, "cwd", &p->cwd) || !get_string(c, o, "cgroup", &p->cgroup) ||
	    !get_strv(c, o, "argv", &p->argv, &p->argc) ||
	    !get_strv(c, o, "env", &p->env, &p->envc) ||
	    !get_uint(c, o, "start_ns", UINT64_MAX, &p->start_ns, false))
		return false;
	if (json_object_get(o, "exit_status")) {
		v = json_object_get(o, "exit_status");
		if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN ||
		    json_integer_value(v) > INT32_MAX)
			FAIL(c, "'exit_status' is invalid");
		p->exit_status = (int32_t)json_integer_value(v);
		if (!get_uint(c, o, "exit_ns", UINT64_MAX, &p->exit_ns, false))
			return false;
		p->flags |= FR_PROC_EXITED;
	}

	if (!get_array(c, o, "threads", MAX_LIST, &a, &n))
		return false;
	if (n) {
		p->threads = calloc(n, sizeof(*p->threads));
		if (!p->threads)
			FAIL(c, "out of memory");
		p->n_threads = n;
		for (i = 0; i < n; i++) {
			v = json_array_get(a, i);
			if (!json_is_object(v) || !get_u32(c, v, "tid", &p->threads[i].tid, true) ||
			    !get_fixed(c, v, "comm", p->threads[i].comm, sizeof(p->threads[i].comm)))
				return false;
		}
	}
	if (!get_array(c, o, "maps", MAX_LIST, &a, &n))
		return false;
	if (n) {
		p->maps = calloc(n, sizeof(*p->maps));
		if (!p->maps)
			FAIL(c, "out of memory");
		p->n_maps = n;
		for (i = 0; i < n; i++) {
			struct fr_map *m = &p->maps[i];

			v = json_array_get(a, i);
			if (!json_is_object(v) ||
			    !get_uint(c, v, "start", UINT64_MAX, &m->start, true) ||
			    !get_uint(c, v, "end", UINT64_MAX, &m->end, true) ||
			    !get_uint(c, v, "offset", UINT64_MAX, &m->offset, false) ||
			    !get_uint(c, v, "inode", UINT64_MAX, &m->inode, false) ||
			    !get_fixed(c, v, "perms", m->perms, sizeof(m->perms)) ||
			    !get_fixed(c, v, "dev", m->dev, sizeof(m->dev)) ||
			    !get_string(c, v, "path", &m->path) ||
			    !get_string(c, v, "build_id", &m->build_id))
				return false;
			if (m->end < m->start)
				FAIL(c, "map %u ends before it starts", i);
		}
	}
	if (!get_array(c, o, "fds", MAX_LIST, &a, &n))
		return false;
	if (n) {
		p->fds = calloc(n, sizeof(*p->fds));
		if (!p->fds)
			FAIL(c, "out of memory");
		p->n_fds = n;
		for (i = 0; i < n; i++) {
			struct fr_fd *f = &p->fds[i];
			const char *type;
			uint32_t st;
			json_t *fdv;
			size_t t;

			v = json_array_get(a, i);
			if (!json_is_object(v))
				FAIL(c, "fd entry %u is not an object", i);
			fdv = json_object_get(v, "fd");
			if (!json_is_integer(fdv) || json_integer_value(fdv) < 0 ||
			    json_integer_value(fdv) > INT32_MAX)
				FAIL(c, "fd entry %u has no valid 'fd'", i);
			f->fd = (int32_t)json_integer_value(fdv);
			type = json_string_value(json_object_get(v, "type"));
			f->type = FR_FD_UNKNOWN;
			for (t = 0; type && t < FR_ARRAY_SIZE(fd_type_names); t++)
				if (!strcmp(type, fd_type_names[t]))
					f->type = (uint16_t)t;
			if (!get_u32(c, v, "sock_type", &st, false) ||
			    !get_u32(c, v, "flags", &f->flags, false) ||
			    !get_uint(c, v, "pos", UINT64_MAX, &f->pos, false) ||
			    !get_uint(c, v, "ino", UINT64_MAX, &f->ino, false) ||
			    !get_string(c, v, "path", &f->path))
				return false;
			if (st > 0xffff)
				FAIL(c, "fd %d: sock_type out of range", f->fd);
			f->sock_type = (uint16_t)st;
			if (json_object_get(v, "socket") &&
			    !parse_tuple(c, json_object_get(v, "socket"), &f->tuple))
				return false;
		}
	}
	if (!get_array(c, o, "rlimits", MAX_RLIMITS, &a, &n))
		return false;
	if (n) {
		p->rlimits = calloc(n, sizeof(*p->rlimits));
		if (!p->rlimits)
			FAIL(c, "out of memory");
		p->n_rlimits = n;
		for (i = 0; i < n; i++) {
			v = json_array_get(a, i);
			if (!json_is_object(v) ||
			    !get_uint(c, v, "resource", 1024, &u, true) ||
			    !get_limit(c, v, "cur", &p->rlimits[i].cur) ||
			    !get_limit(c, v, "max", &p->rlimits[i].max))
				return false;
			p->rlimits[i].resource = (int32_t)u;
		}
	}
	if (!get_array(c, o, "namespaces", MAX_NS, &a, &n))
		return false;
	if (n) {
		p->namespaces = calloc(n, sizeof(*p->namespaces));
		if (!p->namespaces)
			FAIL(c, "out of memory");
		p->n_namespaces = n;
		for (i = 0; i < n; i++) {
			v = json_array_get(a, i);
			if (!json_is_object(v) ||
			    !get_fixed(c, v, "name", p->namespaces[i].name,
				       sizeof(p->namespaces[i].name)) ||
			    !get_uint(c, v, "ino", UINT64_MAX, &p->namespaces[i].ino, false))
				return false;
		}
	}
	return true;
}

int fr_process__from_json(struct fr_process *p, json_t *o, char *err, size_t errlen)
{
	struct ctx c = { err, errlen, 0 };

	memset(p, 0, sizeof(*p));
	if (!parse_process(&c, o, p)) {
		fr_process__clear(p);
		return -EINVAL;
	}
	return 0;
}
