// SPDX-License-Identifier: MIT
/*
 * whatif_calls.c: how what-if replay answers each call of the new path
 * (see whatif_impl.h).
 *
 * Streams (pipes, sockets, terminals) give the bytes the model has at the
 * virtual time: a peer's recorded writes once each is due (its recorded
 * time, later by as much as the program sent later what it answers), else
 * the program's own recorded reads at their times, or, between processes
 * of the replayed tree, what the other one wrote.  Files give the bytes
 * the recording saw at each offset.  Waits (poll, select, epoll, reads,
 * sleeps, futexes) are held until the model can answer them or their time
 * limit passes on the virtual clock.  Opening a path, looking it up,
 * connecting and accepting are answered as the recording shows for the
 * same path or address.  Memory, threads, processes, signal set-up and
 * exit run for real.  Anything else is answered as a recorded call with
 * the same arguments was; failing that, it fails with an error and the
 * report says the recording could not answer it: nothing reaches the
 * real files or the network.
 */
#include "replay/whatif_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/print.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define NR_clone3 435
#define NR_openat2 437
#define NR_close_range 436
#define NR_epoll_pwait2 441
#define NR_faccessat2 439
#define MAX_IOV 1024
#define EPOLLONESHOT_ (1u << 30)

/* ---- answers ------------------------------------------------------------------------ */

static void say(struct wi_answer *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct wi_answer *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
}

static void answer(struct wi_answer *a, int64_t ret, uint8_t how)
{
	a->v = WI_ANSWER;
	a->ret = ret;
	a->how = how;
}

static void unanswered(struct wi_answer *a, int err)
{
	answer(a, -err, WI_HOW_UNANSWERED);
	a->interesting = true;
}

static void run_real(struct wi_answer *a, bool may_block)
{
	a->v = WI_RUN_REAL;
	a->how = WI_HOW_REAL;
	a->real_may_block = may_block;
}

static void hold(struct wi_answer *a, uint64_t wake)
{
	a->v = WI_BLOCK;
	a->wake = wake;
}

static void out_add(struct wi_answer *a, unsigned arg, unsigned part, const uint8_t *data,
		    size_t len)
{
	struct fr_payload *p;

	if (a->n_out >= FR_MAX_PAYLOADS)
		return;
	p = &a->out[a->n_out++];
	memset(p, 0, sizeof(*p));
	p->kind = FR_PL_OUT;
	p->arg = (uint8_t)arg;
	p->part = (uint8_t)part;
	p->len = p->full_len = (uint32_t)len;
	p->data = data;
}

static const char *errname(int e)
{
	const char *n = fr_errno_name(e);

	return n ? n : "an error";
}

/* ---- small helpers -------------------------------------------------------------------- */

static struct wi_proc *proc_of(struct fr_replay *R, struct wi_thread *wt)
{
	return wi_proc_of(R, wt->th->proc);
}

static const struct fr_payload *in_arg(struct fr_replay *R, unsigned arg)
{
	return rp_live_payload(&R->live, (int)arg, 0);
}

/* The time the program passed as argument `arg` (a struct timespec, or with
 * `usec` a struct timeval), in nanoseconds into *ns; false, *ns untouched,
 * when it passed none that could be read. */
static bool time_arg(struct fr_replay *R, unsigned arg, bool usec, int64_t *ns)
{
	const struct fr_payload *ts = in_arg(R, arg);
	int64_t v[2];

	if (!ts || ts->len < 16)
		return false;
	memcpy(v, ts->data, 16);
	*ns = v[0] * 1000000000 + (usec ? v[1] * 1000 : v[1]);
	return true;
}

/* The live path argument, absolute (relative to the program's directory or
 * to dirfd); NULL when it cannot be told.  Caller frees. */
static char *live_path(struct fr_replay *R, struct wi_thread *wt, unsigned arg, int dirfd)
{
	const struct fr_payload *p = in_arg(R, arg);
	char buf[4096];
	const char *base = wt->th->proc->cwd;
	size_t n;

	if (!p)
		return NULL;
	n = FR_MIN((size_t)p->len, sizeof(buf) - 1);
	memcpy(buf, p->data, n);
	buf[n] = 0;
	if (!buf[0])
		return NULL;
	if (buf[0] != '/' && dirfd != AT_FDCWD) {
		struct wi_ofd *o = wi_fd_get(proc_of(R, wt), dirfd);

		base = o ? o->path : NULL;
		if (!base)
			return NULL;
	}
	return wm_path_join(buf[0] == '/' ? NULL : base, buf);
}

static double ms_rel(struct fr_replay *R, uint64_t t)
{
	return wi_ms(R->wi, t);
}

static const char *comm_of(struct fr_replay *R, uint32_t pid)
{
	const struct fr_process *p = fr_reader__find_process(R->reader, pid);

	return p && p->comm[0] ? p->comm : "?";
}

/* ---- streams ---------------------------------------------------------------------------- */

struct stream_view {
	const struct wm_chunk *chunks; /* the source's (NULL for live) */
	uint32_t n;
	uint64_t len;	 /* bytes known */
	bool eof;	 /* the end comes after len bytes */
	uint64_t eof_vt; /* when (virtual) */
};

static void view_of(struct fr_replay *R, const struct wi_robj *o, struct stream_view *v)
{
	const struct wm_obj *mo = o->mobj != WM_NONE ? &R->wi->m->objs[o->mobj] : NULL;

	memset(v, 0, sizeof(*v));
	switch (o->source) {
	case WM_SRC_PEER:
		v->chunks = mo->peer;
		v->n = mo->n_peer;
		v->len = mo->peer_len;
		v->eof = mo->peer_eof;
		if (v->eof)
			v->eof_vt = wi_avail_vt(R, o, mo->peer_eof_ns, mo->peer_eof_dep);
		break;
	case WM_SRC_OWN:
		v->chunks = mo->own;
		v->n = mo->n_own;
		v->len = mo->own_len;
		v->eof = mo->own_eof;
		if (v->eof)
			v->eof_vt = wi_avail_vt(R, o, mo->own_eof_ns, mo->own_eof_dep);
		break;
	default:
		v->len = o->live_len;
		v->eof = o->live_eof;
		v->eof_vt = o->live_eof_vt;
		break;
	}
}

/* Index of the chunk holding byte `off` (chunks sorted by offset), n when
 * none. */
static uint32_t chunk_at(const struct wm_chunk *c, uint32_t n, uint64_t off)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c[mid].off + c[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && c[lo].off <= off ? lo : n;
}

static uint32_t live_at(const struct wi_robj *o, uint64_t off)
{
	uint32_t lo = 0, hi = o->n_live;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (o->live[mid].off + o->live[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct stream_now {
	uint64_t avail;	   /* bytes readable now (contiguous from rd) */
	bool eof;	   /* at the end now */
	uint64_t next;	   /* virtual time more becomes readable (WI_INF: never) */
	uint64_t first_ns; /* recorded time of the first readable byte */
	uint32_t first_pid;
	uint64_t next_ns; /* recorded time of the next bytes (when next is not WI_INF) */
	uint32_t next_pid;
	bool known_end; /* nothing more recorded and no end: waits for ever */
};

/* What reading runtime stream oi would give at the virtual time now. */
static void stream_now(struct fr_replay *R, uint32_t oi, uint64_t max, bool dgram,
		       struct stream_now *s)
{
	struct wi_state *W = R->wi;
	const struct wi_robj *o = &W->objs[oi];
	struct stream_view v;
	uint64_t off = o->rd;

	memset(s, 0, sizeof(*s));
	s->next = WI_INF;
	view_of(R, o, &v);
	if (o->source == WM_SRC_PEER || o->source == WM_SRC_OWN) {
		uint32_t i = chunk_at(v.chunks, v.n, off);

		for (; i < v.n && s->avail < max; i++) {
			const struct wm_chunk *c = &v.chunks[i];
			uint64_t at = wi_avail_vt(R, o, c->ns, c->dep);

			if (at > W->vnow) {
				s->next = at;
				s->next_ns = c->ns;
				s->next_pid = c->pid;
				break;
			}
			if (!s->avail) {
				s->first_ns = c->ns;
				s->first_pid = c->pid;
			}
			s->avail += c->off + c->len - FR_MAX(off, c->off);
			if (dgram)
				break;
		}
	} else {
		uint32_t i = live_at(o, off);

		for (; i < o->n_live && s->avail < max; i++) {
			const struct wi_live *l = &o->live[i];

			if (l->vt > W->vnow) {
				s->next = l->vt;
				s->next_ns = l->vt;
				break;
			}
			if (!s->avail) {
				s->first_ns = l->vt;
				s->first_pid = 0;
			}
			s->avail += l->off + l->len - FR_MAX(off, l->off);
			if (dgram)
				break;
		}
	}
	s->avail = FR_MIN(s->avail, max);
	if (!s->avail && off >= v.len) {
		if (v.eof && v.eof_vt <= W->vnow)
			s->eof = true;
		else if (v.eof)
			s->next = v.eof_vt;
		else if (s->next == WI_INF)
			s->known_end = true;
	}
}

/* Copy `len` readable bytes of stream oi from its read position. */
static uint8_t *stream_copy(struct fr_replay *R, uint32_t oi, uint64_t len)
{
	struct wi_state *W = R->wi;
	const struct wi_robj *o = &W->objs[oi];
	uint8_t *buf = wi_buf(R, len);
	uint64_t off = o->rd, got = 0;

	if (!buf)
		return NULL;
	if (o->source == WM_SRC_PEER || o->source == WM_SRC_OWN) {
		struct stream_view v;
		uint32_t i;

		view_of(R, o, &v);
		for (i = chunk_at(v.chunks, v.n, off); i < v.n && got < len; i++) {
			const struct wm_chunk *c = &v.chunks[i];
			uint64_t from = off + got - c->off, n = FR_MIN(c->len - from, len - got);

			memcpy(buf + got, c->data + from, n);
			got += n;
		}
	} else {
		uint32_t i;

		for (i = live_at(o, off); i < o->n_live && got < len; i++) {
			const struct wi_live *l = &o->live[i];
			uint64_t from = off + got - l->off, n = FR_MIN(l->len - from, len - got);

			memcpy(buf + got, l->data + from, n);
			got += n;
		}
	}
	return buf;
}

/* Where the bytes of a stream come from, for people. */
static void source_text(struct fr_replay *R, const struct wi_robj *o, const struct stream_now *s,
			char *buf, size_t len)
{
	double t = ms_rel(R, s->first_ns);

	switch (o->source) {
	case WM_SRC_PEER:
		snprintf(buf, len, "recorded from %s (pid %u) at +%.1f ms",
			 comm_of(R, s->first_pid), s->first_pid, t);
		break;
	case WM_SRC_OWN:
		snprintf(buf, len, "as the recorded program read them at +%.1f ms", t);
		break;
	default:
		snprintf(buf, len, "written by the replayed program at +%.1f ms", t);
		break;
	}
}

static void note_first_new_data(struct fr_replay *R, uint32_t oi, const struct stream_now *s,
				uint64_t n, bool timed)
{
	struct wi_state *W = R->wi;
	const struct wi_robj *o = &W->objs[oi];
	const struct wm_obj *mo = o->mobj != WM_NONE ? &W->m->objs[o->mobj] : NULL;
	char src[256];

	/* New: bytes the recorded program never read. */
	if (W->new_data_seen || !mo || o->source != WM_SRC_PEER || o->rd + n <= mo->own_len)
		return;
	W->new_data_seen = true;
	source_text(R, o, s, src, sizeof(src));
	if (s->first_ns + 500000 >= W->vnow) /* read as it arrived */
		snprintf(W->new_data, sizeof(W->new_data), "the data %s %s", src,
			 timed ? "arrives in time" : "is read");
	else
		snprintf(W->new_data, sizeof(W->new_data), "the data %s %s (read at +%.1f ms)", src,
			 timed ? "arrives in time" : "is read", ms_rel(R, W->vnow));
}

/* ---- readiness --------------------------------------------------------------------------------
 */

unsigned wi_fd_ready(struct fr_replay *R, struct wi_proc *p, int fd, uint64_t *next)
{
	struct wi_state *W = R->wi;
	struct wi_ofd *o = wi_fd_get(p, fd);
	struct wi_robj *ob;

	*next = WI_INF;
	if (!o)
		return POLLNVAL;
	if (o->obj == WI_NONE) {
		wi_note(R,
			"the recording does not show what descriptor %d stands for: it never "
			"becomes readable",
			fd);
		return POLLOUT;
	}
	ob = &W->objs[o->obj];
	switch (ob->kind) {
	case WM_STREAM:
	case WM_DGRAM: {
		struct stream_now s;

		stream_now(R, o->obj, 1, ob->kind == WM_DGRAM, &s);
		*next = s.next;
		if (s.avail)
			return POLLIN | POLLOUT;
		if (s.eof)
			return POLLIN | POLLOUT | POLLRDHUP;
		return POLLOUT;
	}
	case WM_LISTEN: {
		const struct wm_obj *mo = ob->mobj != WM_NONE ? &W->m->objs[ob->mobj] : NULL;

		if (!mo || ob->next_accept >= mo->n_accepts)
			return 0;
		if (mo->accepts[ob->next_accept].ns <= W->vnow)
			return POLLIN;
		*next = mo->accepts[ob->next_accept].ns;
		return 0;
	}
	case WM_OTHER:
	case WI_K_EPOLL:
	case WM_UNKNOWN:
		if (!ob->noted_unknown) {
			ob->noted_unknown = true;
			wi_note(R, "when %s is ready is not modelled: it never is", ob->name);
		}
		return 0;
	default: /* files, directories, /dev/null */
		return POLLIN | POLLOUT;
	}
}

/* ---- ids ------------------------------------------------------------------------------------- */

uint32_t wi_virtual_pid(struct fr_replay *R, pid_t real)
{
	struct st_proc *p;
	struct st_thread *th;

	for (p = R->procs; p; p = p->next)
		if (p->pid == real)
			return p->rpid;
	for (th = R->threads; th; th = th->next)
		if (th->t->tid == real)
			return st_rt_of(R, th) ? st_rt_of(R, th)->tid : (uint32_t)real;
	return (uint32_t)real;
}

pid_t wi_real_pid(struct fr_replay *R, uint32_t vpid, bool thread)
{
	struct st_proc *p;
	struct st_thread *th;

	if (thread)
		for (th = R->threads; th; th = th->next) {
			const struct rp_rthread *rt = st_rt_of(R, th);

			if ((rt ? rt->tid : (uint32_t)th->t->tid) == vpid && th->st != S_GONE)
				return th->t->tid;
		}
	for (p = R->procs; p; p = p->next)
		if (p->rpid == vpid)
			return p->pid;
	return 0;
}

/* ---- answered as recorded -----------------------------------------------------------------------
 */

static bool data_compared(unsigned kind)
{
	switch (kind) {
	case FR_A_PATH:
	case FR_A_STR:
	case FR_A_BUF_IN:
	case FR_A_SOCKADDR_IN:
	case FR_A_STRUCT_IN:
	case FR_A_ARRAY_IN:
		return true;
	default:
		return false;
	}
}

/* The model object a live descriptor stands for (WM_NONE: unknown). */
static uint32_t live_mobj(struct fr_replay *R, struct wi_thread *wt, int fd)
{
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), fd);

	if (!o || o->obj == WI_NONE)
		return WM_NONE;
	return R->wi->objs[o->obj].mobj;
}

static bool same_data(unsigned kind, const struct fr_payload *a, const struct fr_payload *b)
{
	size_t na = a->len, nb = b->len;
	uint8_t ka[RP_SOCKADDR_KEY_MAX], kb[RP_SOCKADDR_KEY_MAX];
	const uint8_t *x = a->data, *y = b->data;

	if (kind == FR_A_SOCKADDR_IN) {
		na = rp_sockaddr_key(x, na, ka);
		nb = rp_sockaddr_key(y, nb, kb);
		x = ka;
		y = kb;
	} else if (kind == FR_A_PATH || kind == FR_A_STR) {
		while (na && !x[na - 1])
			na--;
		while (nb && !y[nb - 1])
			nb--;
	}
	return na == nb && !memcmp(x, y, na);
}

/*
 * A recorded call that is the live call again: same number, same
 * descriptors (the same objects), same paths, flags and data passed in.
 * Prefers the same process, then the replayed tree, then the latest one
 * at or before the virtual time.  NULL when none.
 */
static const struct rp_call *similar(struct fr_replay *R, struct wi_thread *wt)
{
	const struct wm_model *m = R->wi->m;
	const struct rp_syscall *sc = &wt->th->t->sc;
	const struct fr_syscall_desc *d = fr_syscall((unsigned)sc->nr);
	const struct rp_call *best = NULL;
	int best_score = -1;
	const uint32_t *idx;
	uint32_t n, i, a;
	char *live_paths[6] = {0};

	if (!d)
		return NULL;
	idx = wm__calls_of(m, (unsigned)sc->nr, &n);
	for (a = 0; a < d->nargs && a < 6; a++)
		if (d->args[a].kind == FR_A_PATH) {
			int dirfd = AT_FDCWD;

			if (a > 0 && d->args[a - 1].kind == FR_A_FD)
				dirfd = (int)sc->args[a - 1];
			live_paths[a] = live_path(R, wt, a, dirfd);
		}
	for (i = 0; i < n; i++) {
		const struct rp_call *c = &m->calls[idx[i]];
		bool ok = true;
		int score = 0;

		if (c->flags & (RP_CALL_INCOMPLETE | RP_CALL_UNFINISHED))
			continue;
		for (a = 0; ok && a < d->nargs && a < 6; a++) {
			unsigned kind = d->args[a].kind;

			if (kind == FR_A_FD) {
				const struct fr_payload *fp =
				    rp_call_payload(c, FR_PL_FDINFO, (int)a, -1);
				uint32_t lm = live_mobj(R, wt, (int)sc->args[a]), cm = WM_NONE;

				if (fp && fp->len >= sizeof(struct fr_fdinfo)) {
					struct fr_fdinfo fi;

					memcpy(&fi, fp->data, sizeof(fi));
					cm = wm__obj_of(m, &fi);
				}
				if (lm != WM_NONE && cm != WM_NONE)
					ok = lm == cm;
				else
					ok = (int32_t)c->sc.args[a] == (int32_t)sc->args[a];
			} else if (kind == FR_A_PATH) {
				const struct fr_payload *cp =
				    rp_call_payload(c, FR_PL_IN, (int)a, -1);
				char buf[4096];
				size_t k;

				if (!cp || !live_paths[a]) {
					ok = false;
					continue;
				}
				k = FR_MIN((size_t)cp->len, sizeof(buf) - 1);
				memcpy(buf, cp->data, k);
				buf[k] = 0;
				if (buf[0] == '/') {
					char *norm = wm_path_join(NULL, buf);

					ok = norm && !strcmp(norm, live_paths[a]);
					free(norm);
				} else {
					const struct fr_payload *lp = in_arg(R, a);

					ok = lp && same_data(FR_A_PATH, cp, lp);
				}
			} else if (rp_scalar_compared((unsigned)sc->nr, a, kind)) {
				uint64_t x = c->sc.args[a], y = sc->args[a];

				if ((kind == FR_A_INT || kind == FR_A_UINT) &&
				    d->args[a].size == 4) {
					x &= 0xffffffffu;
					y &= 0xffffffffu;
				}
				ok = x == y;
			} else if (data_compared(kind)) {
				const struct fr_payload *cp =
				    rp_call_payload(c, FR_PL_IN, (int)a, -1);
				const struct fr_payload *lp = in_arg(R, a);

				ok = (!cp && !lp) || (cp && lp && same_data(kind, cp, lp));
			}
		}
		if (!ok)
			continue;
		if (c->pid == wt->th->proc->rpid)
			score += 4;
		if (m->in_tree[c->seq])
			score += 2;
		if (c->exit_ns <= R->wi->vnow)
			score += 1;
		if (score > best_score ||
		    (score == best_score && (score & 1) && c->exit_ns > best->exit_ns)) {
			best = c;
			best_score = score;
		}
	}
	for (a = 0; a < 6; a++)
		free(live_paths[a]);
	return best;
}

static bool as_recorded(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_call *c = similar(R, wt);

	if (!c)
		return false;
	answer(a, c->sc.ret, WI_HOW_RECORDED);
	a->as = c;
	say(a, "as recorded at +%.1f ms (%s, pid %u)", ms_rel(R, c->exit_ns), comm_of(R, c->pid),
	    c->pid);
	return true;
}

/* ---- reading ------------------------------------------------------------------------------------
 */

/* Sum of the lengths of the live call's iovec array. */
static uint64_t iov_total(struct wi_thread *wt, uint64_t addr, uint64_t cnt)
{
	uint64_t total = 0, i, v[2];

	for (i = 0; i < cnt && i < MAX_IOV; i++) {
		if (rp_thread__read(wt->th->t, addr + i * 16, v, 16) != 16)
			break;
		total += v[1];
	}
	return total;
}

/* A sockaddr for one side of a socket object's addresses (the peer's, or
 * with `local` its own); its length, 0 when not an inet socket. */
static size_t tuple_sockaddr(const struct wi_state *W, const struct wi_robj *o, bool local,
			     uint8_t *out)
{
	const struct wm_obj *mo = o->mobj != WM_NONE ? &W->m->objs[o->mobj] : NULL;
	const uint8_t *addr;
	uint16_t port, p;

	if (!mo || mo->fd_type != FR_FD_SOCKET)
		return 0;
	addr = local ? mo->tuple.saddr : mo->tuple.daddr;
	p = local ? mo->tuple.sport : mo->tuple.dport;
	port = (uint16_t)((p >> 8) | (p << 8)); /* network order */
	if (mo->tuple.family == 2) {
		memset(out, 0, 16);
		out[0] = 2;
		memcpy(out + 2, &port, 2);
		memcpy(out + 4, addr, 4);
		return 16;
	}
	if (mo->tuple.family == 10) {
		memset(out, 0, 28);
		out[0] = 10;
		memcpy(out + 2, &port, 2);
		memcpy(out + 8, addr, 16);
		return 28;
	}
	return 0;
}

static void do_read(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	unsigned nr = (unsigned)sc->nr;
	int fd = (int)sc->args[0];
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), fd);
	uint64_t count, flags = 0;
	bool positional = nr == SYS_pread64 || nr == SYS_preadv || nr == SYS_preadv2;
	struct wi_robj *ob;

	switch (nr) {
	case SYS_readv:
	case SYS_preadv:
	case SYS_preadv2:
		count = iov_total(wt, sc->args[1], sc->args[2]);
		break;
	case SYS_recvmsg: {
		uint64_t m[4] = {0}; /* name, namelen, iov, iovlen */

		rp_thread__read(wt->th->t, sc->args[1], m, sizeof(m));
		count = iov_total(wt, m[2], m[3]);
		flags = sc->args[2];
		break;
	}
	case SYS_recvfrom:
		count = sc->args[2];
		flags = sc->args[3];
		break;
	default:
		count = sc->args[2];
		break;
	}
	count = FR_MIN(count, (uint64_t)WI_IO_MAX);
	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		say(a, "descriptor %d is not open", fd);
		return;
	}
	if (o->obj == WI_NONE) {
		unanswered(a, EIO);
		say(a, "the recording does not show what descriptor %d stands for", fd);
		return;
	}
	ob = &W->objs[o->obj];
	switch (ob->kind) {
	case WM_NULL:
		answer(a, 0, WI_HOW_MODEL);
		return;
	case WM_FILE:
	case WI_K_VFILE: {
		uint64_t off = positional ? sc->args[3] : o->pos;
		const uint8_t *data = NULL;
		bool eof = false;
		int64_t got;

		if (ob->kind == WI_K_VFILE) {
			got = off >= ob->vlen ? 0 : (int64_t)FR_MIN(count, ob->vlen - off);
			data = ob->vdata + (got ? off : 0);
		} else {
			got = wm__file_bytes(&W->m->objs[ob->mobj], off, count, &data, &eof);
		}
		if (got < 0) {
			unanswered(a, EIO);
			say(a, "the recording never saw bytes %" PRIu64 ".. of %s", off, ob->name);
			return;
		}
		if (got && (nr == SYS_read || nr == SYS_pread64))
			out_add(a, 1, 0, data, (size_t)got);
		else if (got)
			out_add(a, 1, 0, data, (size_t)got); /* iovecs: scattered */
		if (!positional)
			o->pos += (uint64_t)got;
		answer(a, got, WI_HOW_MODEL);
		if (got)
			say(a, "%" PRId64 " bytes of %s at offset %" PRIu64 " as recorded", got,
			    ob->name, off);
		else
			say(a, "end of %s", ob->name);
		return;
	}
	case WM_DIR:
		answer(a, -EISDIR, WI_HOW_MODEL);
		return;
	case WM_LISTEN:
		answer(a, -ENOTCONN, WI_HOW_MODEL);
		return;
	case WM_STREAM:
	case WM_DGRAM: {
		struct stream_now s;
		bool nonblock = (o->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
		bool peek = flags & MSG_PEEK;
		char src[256];

		stream_now(R, o->obj, count ? count : 1, ob->kind == WM_DGRAM, &s);
		if (s.avail && count) {
			uint8_t *data = stream_copy(R, o->obj, s.avail);

			if (!data) {
				unanswered(a, ENOMEM);
				return;
			}
			out_add(a, 1, 0, data, (size_t)s.avail);
			if (nr == SYS_recvfrom && sc->args[4]) {
				uint8_t *sa = wi_buf(R, 28);
				size_t n = sa ? tuple_sockaddr(W, ob, false, sa) : 0;

				if (n)
					out_add(a, 4, 0, sa, n);
			}
			note_first_new_data(R, o->obj, &s, s.avail, wt->in_time);
			source_text(R, ob, &s, src, sizeof(src));
			if (!peek)
				W->objs[o->obj].rd += s.avail;
			answer(a, (int64_t)s.avail, WI_HOW_MODEL);
			a->interesting = true;
			if (wt->enter_vt < W->vnow)
				say(a, "%" PRIu64 " bytes on %s, %s; waited %.1f ms", s.avail,
				    ob->name, src, (double)(W->vnow - wt->enter_vt) / 1e6);
			else
				say(a, "%" PRIu64 " bytes on %s, %s", s.avail, ob->name, src);
			return;
		}
		if (s.eof || !count) {
			answer(a, 0, WI_HOW_MODEL);
			a->interesting = s.eof;
			if (s.eof)
				say(a, "end of %s (the other end closed it)", ob->name);
			return;
		}
		if (nonblock) {
			answer(a, -EAGAIN, WI_HOW_MODEL);
			if (s.next != WI_INF)
				say(a, "nothing to read on %s yet (more at +%.1f ms)", ob->name,
				    ms_rel(R, s.next));
			else
				say(a, "nothing to read on %s, and the recording has no more",
				    ob->name);
			return;
		}
		hold(a, s.next);
		if (s.known_end)
			say(a, "the recording has nothing more to read on %s", ob->name);
		else
			say(a, "waiting for data on %s (due at +%.1f ms)", ob->name,
			    ms_rel(R, s.next));
		return;
	}
	default:
		unanswered(a, EIO);
		say(a, "reading %s is not modelled", ob->name);
		return;
	}
}

/* ---- writing ------------------------------------------------------------------------------------
 */

static void first_line(char *out, size_t cap, const uint8_t *d, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < cap && d[i] != '\n'; i++)
		out[k++] = (d[i] >= 32 && d[i] < 127) ? (char)d[i] : '?';
	out[k] = 0;
}

static void do_write(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	int fd = (int)sc->args[0];
	struct wi_proc *p = proc_of(R, wt);
	struct wi_ofd *o = wi_fd_get(p, fd);
	const struct rp_fd *sf = rp_fdtable__get(wt->th->proc->fds, fd);
	const struct fr_payload *data = in_arg(R, WM_DATA_ARG);
	uint64_t len = data ? data->len : 0;

	if (R->live.fault) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	if (!o && !(sf && sf->kind != RP_FD_NONE)) {
		answer(a, -EBADF, WI_HOW_MODEL);
		say(a, "descriptor %d is not open", fd);
		return;
	}
	if (sf && (sf->kind == RP_FD_STDOUT || sf->kind == RP_FD_STDERR)) {
		answer(a, (int64_t)len, WI_HOW_OUTPUT);
		a->interesting = true;
		if (!W->first_output[0] && len) {
			char line[200];

			first_line(line, sizeof(line), data->data, len);
			snprintf(W->first_output, sizeof(W->first_output), "\"%s\" on %s", line,
				 sf->kind == RP_FD_STDOUT ? "stdout" : "stderr");
		}
		say(a, "shown on %s", sf->kind == RP_FD_STDOUT ? "stdout" : "stderr");
		return;
	}
	if (!o || o->obj == WI_NONE) {
		answer(a, (int64_t)len, WI_HOW_ACCEPTED);
		say(a, "to descriptor %d, which the recording does not show: not performed", fd);
		return;
	}
	switch (W->objs[o->obj].kind) {
	case WM_NULL:
		answer(a, (int64_t)len, WI_HOW_MODEL);
		return;
	case WM_STREAM:
	case WM_DGRAM: {
		uint32_t d = wi_dest_of(R, o->obj);

		wi_sent(R, d, data ? data->data : NULL, len, W->vnow);
		if (d != WI_NONE && W->objs[d].n_live) {
			answer(a, (int64_t)len, WI_HOW_MODEL);
			say(a, "to the replayed program's other end of %s", W->objs[o->obj].name);
		} else {
			answer(a, (int64_t)len, WI_HOW_ACCEPTED);
			a->interesting = true;
			say(a, "sent on %s (not really: the peer is the recording)",
			    W->objs[o->obj].name);
		}
		return;
	}
	case WI_K_VFILE: {
		struct wi_robj *ob = &W->objs[o->obj];
		uint64_t off = (o->flags & O_APPEND) ? ob->vlen : o->pos;

		if (sc->nr == SYS_pwrite64 || sc->nr == SYS_pwritev || sc->nr == SYS_pwritev2)
			off = sc->args[3];
		if (off + len <= (64u << 20)) {
			uint8_t *nd =
			    off + len > ob->vlen ? realloc(ob->vdata, off + len) : ob->vdata;

			if (nd) {
				if (off > ob->vlen)
					memset(nd + ob->vlen, 0, off - ob->vlen);
				if (len)
					memcpy(nd + off, data->data, len);
				ob->vdata = nd;
				ob->vlen = FR_MAX(ob->vlen, off + len);
			}
		}
		if (sc->nr == SYS_write || sc->nr == SYS_writev)
			o->pos = off + len;
		answer(a, (int64_t)len, WI_HOW_MODEL);
		say(a, "kept in %s (a file only the new path has)", ob->name);
		return;
	}
	default:
		if (sc->nr == SYS_write || sc->nr == SYS_writev)
			o->pos += len;
		answer(a, (int64_t)len, WI_HOW_ACCEPTED);
		a->interesting = true;
		say(a, "to %s: not written (replay never changes files)", W->objs[o->obj].name);
		return;
	}
}

/* ---- waiting for descriptors ---------------------------------------------------------------- */

/* What made descriptor fd ready, for people. */
static void ready_text(struct fr_replay *R, struct wi_proc *p, int fd, char *buf, size_t len)
{
	struct wi_state *W = R->wi;
	struct wi_ofd *o = wi_fd_get(p, fd);
	struct stream_now s;
	char src[256];

	buf[0] = 0;
	if (!o || o->obj == WI_NONE)
		return;
	if (W->objs[o->obj].kind != WM_STREAM && W->objs[o->obj].kind != WM_DGRAM)
		return;
	stream_now(R, o->obj, UINT64_MAX, false, &s);
	if (s.avail) {
		source_text(R, &W->objs[o->obj], &s, src, sizeof(src));
		snprintf(buf, len, "fd %d: %" PRIu64 " bytes on %s, %s", fd, s.avail,
			 W->objs[o->obj].name, src);
	} else if (s.eof) {
		snprintf(buf, len, "fd %d: end of %s", fd, W->objs[o->obj].name);
	}
}

/* The end of a wait: ready now, timed out, or held until `next`. */
/* A wait timed out while bytes were on their way on fd: say when they
 * come (once, for the summary). */
static void note_late_data(struct fr_replay *R, struct wi_proc *p, int fd, uint64_t deadline)
{
	struct wi_state *W = R->wi;
	struct wi_ofd *o = wi_fd_get(p, fd);
	const struct wi_robj *ob;
	struct stream_now s;
	char later[160] = "";

	if (W->late_data[0] || !o || o->obj == WI_NONE)
		return;
	ob = &W->objs[o->obj];
	if (ob->kind != WM_STREAM && ob->kind != WM_DGRAM)
		return;
	stream_now(R, o->obj, 1, false, &s);
	if (s.next == WI_INF || s.avail || (ob->source != WM_SRC_PEER && ob->source != WM_SRC_OWN))
		return;
	if (s.next > s.next_ns + 1000000)
		snprintf(later, sizeof(later),
			 " (%.1f ms later than recorded: it answers what the program sent later)",
			 (double)(s.next - s.next_ns) / 1e6);
	snprintf(W->late_data, sizeof(W->late_data),
		 "the data %s %s (pid %u) at +%.1f ms is due at +%.1f ms%s, after the time "
		 "limit (+%.1f ms)",
		 ob->source == WM_SRC_PEER ? "recorded from" : "the recorded program read from",
		 ob->source == WM_SRC_PEER ? comm_of(R, s.next_pid) : ob->name,
		 ob->source == WM_SRC_PEER ? s.next_pid : s.next_pid, ms_rel(R, s.next_ns),
		 ms_rel(R, s.next), later, ms_rel(R, deadline));
}

static void wait_verdict(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a,
			 int64_t ready, int64_t limit_ns, uint64_t next, const char *what,
			 const char *why, int next_fd)
{
	struct wi_state *W = R->wi;
	uint64_t deadline = limit_ns < 0 ? WI_INF : wt->enter_vt + (uint64_t)limit_ns;
	double waited = (double)(W->vnow - wt->enter_vt) / 1e6;

	wt->in_time = false;
	if (ready) {
		wt->in_time = limit_ns >= 0;
		answer(a, ready, WI_HOW_MODEL);
		a->interesting = waited >= 0.05 || a->interesting;
		if (waited >= 0.05)
			say(a, "ready after waiting %.1f ms%s%s", waited, why[0] ? ": " : "", why);
		else
			say(a, "ready%s%s", why[0] ? ": " : "", why);
		return;
	}
	if (W->vnow >= deadline) {
		answer(a, 0, WI_HOW_MODEL);
		a->interesting = true;
		if (next_fd >= 0 && next != WI_INF) {
			note_late_data(R, proc_of(R, wt), next_fd, deadline);
			say(a, "timed out after %.1f ms (virtual); fd %d has data due at +%.1f ms",
			    waited, next_fd, ms_rel(R, next));
		} else {
			say(a, "timed out after %.1f ms (virtual)", waited);
		}
		return;
	}
	hold(a, FR_MIN(next, deadline));
	if (next == WI_INF && deadline == WI_INF)
		say(a, "%s: nothing the recording has will make them ready", what);
	else
		say(a, "waiting on %s", what);
}

static void do_poll(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	const struct fr_payload *in = in_arg(R, 0);
	uint64_t nfds = FR_MIN(sc->args[1], (uint64_t)4096), i, next = WI_INF, nx;
	int64_t limit = -1, ready = 0;
	uint8_t *out;
	char why[512] = "";
	int next_fd = -1;

	if (sc->nr == SYS_poll) {
		limit = (int32_t)sc->args[2] < 0 ? -1 : (int64_t)(int32_t)sc->args[2] * 1000000;
	} else if (sc->args[2] && !time_arg(R, 2, false, &limit)) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	if (nfds && (!in || in->len < nfds * 8)) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	out = wi_buf(R, nfds * 8 + 1);
	if (!out) {
		unanswered(a, ENOMEM);
		return;
	}
	if (nfds)
		memcpy(out, in->data, nfds * 8);
	for (i = 0; i < nfds; i++) {
		int32_t fd;
		int16_t ev;
		uint16_t rev = 0;
		unsigned r;

		memcpy(&fd, out + i * 8, 4);
		memcpy(&ev, out + i * 8 + 4, 2);
		if (fd >= 0) {
			r = wi_fd_ready(R, p, fd, &nx);
			if ((ev & POLLRDNORM) && (r & POLLIN))
				r |= POLLRDNORM;
			if ((ev & POLLWRNORM) && (r & POLLOUT))
				r |= POLLWRNORM;
			rev = (uint16_t)(r & ((uint16_t)ev | POLLERR | POLLHUP | POLLNVAL));
			if (!(rev & ((uint16_t)ev | POLLHUP | POLLERR)) && nx < next) {
				next = nx;
				next_fd = fd;
			}
			if (rev && !why[0] && (rev & POLLIN))
				ready_text(R, p, fd, why, sizeof(why));
		}
		memcpy(out + i * 8 + 6, &rev, 2);
		if (rev)
			ready++;
	}
	wait_verdict(R, wt, a, ready, limit, next, "its descriptors", why, next_fd);
	if (a->v == WI_ANSWER && nfds)
		out_add(a, 0, 0, out, nfds * 8);
}

static void do_select(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	int nfds = (int)FR_MIN((uint64_t)(int32_t)sc->args[0], (uint64_t)4096), fd, k;
	size_t bytes = ((size_t)(nfds > 0 ? nfds : 0) + 63) / 64 * 8;
	uint8_t *sets[3] = {0};
	int64_t limit = -1, ready = 0;
	uint64_t next = WI_INF, nx;
	char why[512] = "";
	int next_fd = -1;
	static const unsigned want[3] = {POLLIN | POLLHUP | POLLERR, POLLOUT | POLLERR, POLLPRI};

	if ((int32_t)sc->args[0] < 0) {
		answer(a, -EINVAL, WI_HOW_MODEL);
		return;
	}
	if (sc->args[4] && !time_arg(R, 4, sc->nr == SYS_select, &limit)) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	for (k = 0; k < 3; k++) {
		const struct fr_payload *in = in_arg(R, (unsigned)k + 1);

		if (!sc->args[k + 1])
			continue;
		sets[k] = wi_buf(R, bytes + 1);
		if (!sets[k]) {
			unanswered(a, ENOMEM);
			return;
		}
		memset(sets[k], 0, bytes + 1);
		if (in)
			memcpy(sets[k], in->data, FR_MIN((size_t)in->len, bytes));
	}
	for (fd = 0; fd < nfds; fd++) {
		bool asked = false;
		unsigned r = 0;

		for (k = 0; k < 3; k++)
			if (sets[k] && (sets[k][fd / 8] & (1u << (fd % 8))))
				asked = true;
		if (!asked)
			continue;
		r = wi_fd_ready(R, p, fd, &nx);
		if (r & POLLNVAL) {
			answer(a, -EBADF, WI_HOW_MODEL);
			return;
		}
		for (k = 0; k < 3; k++) {
			if (!sets[k] || !(sets[k][fd / 8] & (1u << (fd % 8))))
				continue;
			if (r & want[k]) {
				ready++;
				if (k == 0 && !why[0])
					ready_text(R, p, fd, why, sizeof(why));
			} else {
				sets[k][fd / 8] &= (uint8_t) ~(1u << (fd % 8));
				if (k == 0 && nx < next) {
					next = nx;
					next_fd = fd;
				}
			}
		}
	}
	wait_verdict(R, wt, a, ready, limit, next, "its descriptors", why, next_fd);
	if (a->v == WI_ANSWER)
		for (k = 0; k < 3; k++)
			if (sets[k])
				out_add(a, (unsigned)k + 1, 0, sets[k], bytes);
}

static void do_epoll_wait(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	struct wi_ofd *o = wi_fd_get(p, (int)sc->args[0]);
	int maxev = (int)sc->args[2];
	int64_t limit = -1, ready = 0;
	uint64_t next = WI_INF, nx;
	struct wi_robj *ep;
	uint8_t *out;
	uint32_t i;
	char why[512] = "";
	int next_fd = -1;

	if (!o || o->obj == WI_NONE || W->objs[o->obj].kind != WI_K_EPOLL) {
		answer(a, !o ? -EBADF : -EINVAL, WI_HOW_MODEL);
		return;
	}
	if (maxev <= 0) {
		answer(a, -EINVAL, WI_HOW_MODEL);
		return;
	}
	maxev = FR_MIN(maxev, 4096);
	if (sc->nr == NR_epoll_pwait2) {
		if (sc->args[3] && !time_arg(R, 3, false, &limit)) {
			answer(a, -EFAULT, WI_HOW_MODEL);
			return;
		}
	} else {
		limit = (int32_t)sc->args[3] < 0 ? -1 : (int64_t)(int32_t)sc->args[3] * 1000000;
	}
	out = wi_buf(R, (size_t)maxev * 12);
	if (!out) {
		unanswered(a, ENOMEM);
		return;
	}
	ep = &W->objs[o->obj];
	for (i = 0; i < ep->n_ep && ready < maxev; i++) {
		struct wi_epitem *it = &ep->ep[i];
		unsigned r, rev;

		if (!(it->events & ~(EPOLLONESHOT_ | (1u << 31) /* EPOLLET */)))
			continue;
		r = wi_fd_ready(R, p, it->fd, &nx);
		if (r & POLLNVAL)
			continue; /* closed: the kernel drops it */
		rev = r & (it->events | POLLERR | POLLHUP);
		if (!rev) {
			if (nx < next) {
				next = nx;
				next_fd = it->fd;
			}
			continue;
		}
		memcpy(out + ready * 12, &rev, 4);
		memcpy(out + ready * 12 + 4, &it->data, 8);
		ready++;
		if (!why[0] && (rev & POLLIN))
			ready_text(R, p, it->fd, why, sizeof(why));
	}
	wait_verdict(R, wt, a, ready, limit, next, "the epoll set", why, next_fd);
	if (a->v == WI_ANSWER && ready) {
		out_add(a, 1, 0, out, (size_t)ready * 12);
		for (i = 0; i < ep->n_ep; i++)
			if (ep->ep[i].events & EPOLLONESHOT_) {
				uint64_t dummy;
				unsigned r = wi_fd_ready(R, p, ep->ep[i].fd, &dummy);

				if (r & ep->ep[i].events)
					ep->ep[i].events = EPOLLONESHOT_; /* disarmed */
			}
	}
}

/* ---- time ------------------------------------------------------------------------------------ */

static bool clock_now(struct fr_replay *R, unsigned clk, int64_t *ns)
{
	int64_t off;

	if (!wm__clock_offset(R->wi->m, clk, R->wi->vnow, &off))
		return false;
	*ns = (int64_t)R->wi->vnow + off;
	return true;
}

static void do_time(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	int64_t now, *v = (int64_t *)(void *)wi_buf(R, 16);
	unsigned clk = sc->nr == SYS_clock_gettime ? (unsigned)sc->args[0] : 0;

	if (!v) {
		unanswered(a, ENOMEM);
		return;
	}
	if (!clock_now(R, clk, &now)) {
		if (!as_recorded(R, wt, a)) {
			unanswered(a, EINVAL);
			say(a, "the recording never read clock %u", clk);
		}
		return;
	}
	v[0] = now / 1000000000;
	v[1] = now % 1000000000;
	switch (sc->nr) {
	case SYS_clock_gettime:
		out_add(a, 1, 0, (uint8_t *)v, 16);
		answer(a, 0, WI_HOW_MODEL);
		break;
	case SYS_gettimeofday: {
		uint8_t *tz = wi_buf(R, 8);

		v[1] /= 1000;
		out_add(a, 0, 0, (uint8_t *)v, 16);
		if (tz && sc->args[1]) {
			memset(tz, 0, 8);
			out_add(a, 1, 0, tz, 8);
		}
		answer(a, 0, WI_HOW_MODEL);
		break;
	}
	default: /* time */
		out_add(a, 0, 0, (uint8_t *)v, 8);
		answer(a, v[0], WI_HOW_MODEL);
		break;
	}
	say(a, "the virtual clock");
}

static void do_sleep(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	bool absolute = sc->nr == SYS_clock_nanosleep && (sc->args[1] & 1 /* TIMER_ABSTIME */);
	const struct fr_payload *ts = in_arg(R, sc->nr == SYS_nanosleep ? 0 : 2);
	uint64_t until;
	int64_t v[2];

	if (!ts || ts->len < 16) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	memcpy(v, ts->data, 16);
	if (v[0] < 0 || v[1] < 0 || v[1] >= 1000000000) {
		answer(a, -EINVAL, WI_HOW_MODEL);
		return;
	}
	if (absolute) {
		int64_t off, target = v[0] * 1000000000 + v[1];

		if (!wm__clock_offset(W->m, (unsigned)sc->args[0], W->vnow, &off)) {
			unanswered(a, EINVAL);
			return;
		}
		until = target - off > 0 ? (uint64_t)(target - off) : 0;
	} else {
		until = wt->enter_vt + (uint64_t)(v[0] * 1000000000 + v[1]);
	}
	if (W->vnow >= until) {
		answer(a, 0, WI_HOW_MODEL);
		say(a, "slept %.1f ms (virtual)", (double)(W->vnow - wt->enter_vt) / 1e6);
		return;
	}
	hold(a, until);
	say(a, "sleeping until +%.1f ms", ms_rel(R, until));
}

static void put_itv(int64_t *v, uint64_t interval, uint64_t value, bool usec)
{
	uint64_t div = usec ? 1000 : 1;

	v[0] = (int64_t)(interval / 1000000000);
	v[1] = (int64_t)(interval % 1000000000 / div);
	v[2] = (int64_t)(value / 1000000000);
	v[3] = (int64_t)(value % 1000000000 / div);
}

static void do_timer(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	uint64_t left = p->alarm_vt > W->vnow ? p->alarm_vt - W->vnow : 0;
	int64_t *v;

	if (sc->nr == SYS_alarm) {
		uint64_t sec = (uint32_t)sc->args[0];

		p->alarm_vt = sec ? W->vnow + sec * 1000000000 : 0;
		p->alarm_interval = 0;
		answer(a, (int64_t)((left + 999999999) / 1000000000), WI_HOW_MODEL);
		a->interesting = true;
		say(a, sec ? "SIGALRM due at +%.1f ms (virtual)" : "alarm cancelled",
		    ms_rel(R, p->alarm_vt));
		return;
	}
	if (sc->args[0] != 0 /* ITIMER_REAL */) {
		if (!as_recorded(R, wt, a)) {
			answer(a, 0, WI_HOW_ACCEPTED);
			say(a, "CPU-time timers are not modelled: it never fires");
		}
		return;
	}
	v = (int64_t *)(void *)wi_buf(R, 32);
	if (!v) {
		unanswered(a, ENOMEM);
		return;
	}
	put_itv(v, p->alarm_interval, left, true);
	if (sc->nr == SYS_getitimer) {
		out_add(a, 1, 0, (uint8_t *)v, 32);
		answer(a, 0, WI_HOW_MODEL);
		return;
	}
	{
		const struct fr_payload *nv = in_arg(R, 1);
		int64_t n[4];

		if (!nv || nv->len < 32) {
			answer(a, -EFAULT, WI_HOW_MODEL);
			return;
		}
		memcpy(n, nv->data, 32);
		p->alarm_interval = (uint64_t)(n[0] * 1000000000 + n[1] * 1000);
		p->alarm_vt =
		    n[2] || n[3] ? W->vnow + (uint64_t)(n[2] * 1000000000 + n[3] * 1000) : 0;
		if (sc->args[2])
			out_add(a, 2, 0, (uint8_t *)v, 32);
		answer(a, 0, WI_HOW_MODEL);
		a->interesting = true;
		say(a, p->alarm_vt ? "SIGALRM due at +%.1f ms (virtual)" : "timer stopped",
		    ms_rel(R, p->alarm_vt));
	}
}

/* ---- files and paths --------------------------------------------------------------------------
 */

static int new_fd(struct fr_replay *R, struct wi_thread *wt, uint32_t obj, uint32_t flags,
		  const char *path, bool can_write, bool cloexec, int min)
{
	struct wi_proc *p = proc_of(R, wt);
	struct wi_ofd *o = wi_ofd_new(WI_NONE, flags, path);
	int fd, err;

	if (!o)
		return -ENOMEM;
	o->can_write = can_write;
	if (obj != WI_NONE)
		wi_ofd_set_obj(R, o, obj);
	fd = wi_fd_lowest(p, min);
	/* a number the program's real table uses for a mapping stays free */
	while (rp_fdtable__is_open(wt->th->proc->fds, fd) && !wi_fd_get(p, fd))
		fd = wi_fd_lowest(p, fd + 1);
	err = wi_fd_install(R, p, fd, o, cloexec);
	return err ? err : fd;
}

static void do_open(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	unsigned nr = (unsigned)sc->nr;
	unsigned parg = nr == SYS_open || nr == SYS_creat ? 0 : 1;
	uint64_t flags = nr == SYS_open ? sc->args[1] : nr == SYS_openat ? sc->args[2] : 0;
	const struct wm_open *ops[16];
	char *path;
	uint32_t n, i, obj = WI_NONE;
	int fd;

	if (nr == SYS_creat)
		flags = O_CREAT | O_WRONLY | O_TRUNC;
	if (nr == NR_openat2) {
		const struct fr_payload *h = in_arg(R, 2);

		if (h && h->len >= 8)
			memcpy(&flags, h->data, 8);
	}
	path = live_path(R, wt, parg, parg ? (int)sc->args[0] : AT_FDCWD);
	if (!path) {
		answer(a, in_arg(R, parg) ? -ENOENT : -EFAULT, WI_HOW_MODEL);
		return;
	}
	a->interesting = true;
	if (!strcmp(path, "/dev/null")) {
		fd = new_fd(R, wt, wi_robj_new(R, WM_NULL, "/dev/null"), (uint32_t)flags, path,
			    true, flags & O_CLOEXEC, 0);
		answer(a, fd, WI_HOW_MODEL);
		free(path);
		return;
	}
	n = wm__opens(W->m, path, ops, 16);
	if (n) {
		const struct wm_open *op = ops[0];

		for (i = 0; i < FR_MIN(n, 16u); i++)
			if ((ops[i]->flags & O_ACCMODE) == (flags & O_ACCMODE)) {
				op = ops[i];
				break;
			}
		if (op->ret < 0) {
			answer(a, op->ret, WI_HOW_RECORDED);
			say(a, "as opening %s failed at +%.1f ms (pid %u)", path, ms_rel(R, op->ns),
			    op->pid);
			free(path);
			return;
		}
		if (op->obj != WM_NONE)
			obj = wi_robj_of(R, op->obj);
		fd = new_fd(R, wt, obj, (uint32_t)(flags & ~(uint64_t)(O_CREAT | O_EXCL | O_TRUNC)),
			    path, (flags & O_ACCMODE) != O_RDONLY, flags & O_CLOEXEC, 0);
		answer(a, fd, WI_HOW_MODEL);
		if (obj == WI_NONE)
			say(a,
			    "%s, opened at +%.1f ms in the recording (what it holds is not "
			    "recorded)",
			    path, ms_rel(R, op->ns));
		else
			say(a, "%s, as opened at +%.1f ms in the recording", path,
			    ms_rel(R, op->ns));
		free(path);
		return;
	}
	if (flags & O_CREAT) {
		obj = wi_robj_new(R, WI_K_VFILE, path);
		fd = new_fd(R, wt, obj, (uint32_t)(flags & ~(uint64_t)(O_CREAT | O_EXCL | O_TRUNC)),
			    path, true, flags & O_CLOEXEC, 0);
		answer(a, fd, WI_HOW_MODEL);
		say(a, "created %s in the replay only (nothing is written to disk)", path);
		free(path);
		return;
	}
	unanswered(a, ENOENT);
	say(a, "the recording never opened %s: it is not looked up on this machine", path);
	free(path);
}

/* Absolute, normalised version of a recorded path argument (NULL if
 * relative: the recorded process's directory then is not kept). */
static char *rec_path(const struct rp_call *c, unsigned arg)
{
	const struct fr_payload *p = rp_call_payload(c, FR_PL_IN, (int)arg, -1);
	char buf[4096];
	size_t n;

	if (!p)
		return NULL;
	n = FR_MIN((size_t)p->len, sizeof(buf) - 1);
	memcpy(buf, p->data, n);
	buf[n] = 0;
	if (buf[0] != '/')
		return NULL;
	return wm_path_join(NULL, buf);
}

/* A recorded stat of `path` (any of stat, lstat, newfstatat): its struct
 * and result; NULL when none. */
static const struct rp_call *stat_of_path(struct fr_replay *R, const char *path, bool follow,
					  const uint8_t **st)
{
	static const unsigned nrs[] = {SYS_stat, SYS_lstat, SYS_newfstatat};
	const struct wm_model *m = R->wi->m;
	const struct rp_call *best = NULL;
	size_t k;

	for (k = 0; k < FR_ARRAY_SIZE(nrs); k++) {
		const uint32_t *idx;
		uint32_t n, i;
		unsigned parg = nrs[k] == SYS_newfstatat ? 1 : 0;
		unsigned oarg = parg + 1;

		if ((nrs[k] == SYS_lstat) == follow && nrs[k] != SYS_newfstatat)
			continue;
		idx = wm__calls_of(m, nrs[k], &n);
		for (i = 0; i < n; i++) {
			const struct rp_call *c = &m->calls[idx[i]];
			char *p;

			if (c->flags & RP_CALL_INCOMPLETE)
				continue;
			if (nrs[k] == SYS_newfstatat &&
			    (((c->sc.args[3] & AT_SYMLINK_NOFOLLOW) != 0) == follow))
				continue;
			p = rec_path(c, parg);
			if (p && !strcmp(p, path)) {
				const struct fr_payload *o =
				    rp_call_payload(c, FR_PL_OUT, (int)oarg, -1);

				if (c->sc.ret < 0 || (o && o->len >= WM_STAT_LEN)) {
					best = c;
					*st = c->sc.ret < 0 ? NULL : o->data;
				}
			}
			free(p);
		}
	}
	return best;
}

/* A struct stat made up from what an object is. */
static uint8_t *made_stat(struct fr_replay *R, const struct wi_robj *o)
{
	const struct wi_state *W = R->wi;
	const struct wm_obj *mo = o->mobj != WM_NONE ? &W->m->objs[o->mobj] : NULL;
	uint8_t *st = wi_buf(R, WM_STAT_LEN);
	uint32_t mode = 0;
	uint64_t v;

	if (!st)
		return NULL;
	memset(st, 0, WM_STAT_LEN);
	switch (o->kind) {
	case WM_FILE:
		mode = S_IFREG | 0644;
		break;
	case WI_K_VFILE:
		mode = S_IFREG | 0644;
		break;
	case WM_DIR:
		mode = S_IFDIR | 0755;
		break;
	case WM_NULL:
		mode = S_IFCHR | 0666;
		v = (1u << 8) | 3; /* makedev(1, 3) */
		memcpy(st + 40, &v, 8);
		break;
	case WM_LISTEN:
		mode = S_IFSOCK | 0777;
		break;
	default:
		mode = o->fd_type == FR_FD_SOCKET ? S_IFSOCK | 0777
		       : o->fd_type == FR_FD_CHR  ? S_IFCHR | 0620
						  : S_IFIFO | 0600;
		break;
	}
	memcpy(st + 24, &mode, 4);
	v = 1;
	memcpy(st + 16, &v, 8); /* st_nlink */
	if (mo) {
		memcpy(st + 0, &mo->dev, 8);
		memcpy(st + 8, &mo->ino, 8);
	}
	v = o->kind == WI_K_VFILE ? o->vlen : mo && mo->size_known ? mo->size : 0;
	memcpy(st + 48, &v, 8);
	v = 4096;
	memcpy(st + 56, &v, 8); /* st_blksize */
	return st;
}

static void do_fstat(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a, int fd,
		     unsigned out_arg)
{
	struct wi_state *W = R->wi;
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), fd);
	const struct wm_obj *mo;
	uint8_t *st;

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	if (o->obj == WI_NONE) {
		if (!as_recorded(R, wt, a)) {
			unanswered(a, EIO);
			say(a, "the recording does not show what descriptor %d stands for", fd);
		}
		return;
	}
	mo = W->objs[o->obj].mobj != WM_NONE ? &W->m->objs[W->objs[o->obj].mobj] : NULL;
	if (mo && mo->stat) {
		out_add(a, out_arg, 0, mo->stat, WM_STAT_LEN);
		answer(a, 0, WI_HOW_RECORDED);
		say(a, "the status of %s as recorded", W->objs[o->obj].name);
		return;
	}
	if (as_recorded(R, wt, a))
		return;
	st = made_stat(R, &W->objs[o->obj]);
	if (!st) {
		unanswered(a, ENOMEM);
		return;
	}
	out_add(a, out_arg, 0, st, WM_STAT_LEN);
	answer(a, 0, WI_HOW_MODEL);
	say(a, "made up from what descriptor %d is (%s)", fd, W->objs[o->obj].name);
}

/* stat, lstat, newfstatat, access, faccessat, readlink, statx...: as
 * recorded for the same path. */
static void do_lookup(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	unsigned nr = (unsigned)sc->nr;
	bool at = nr == SYS_newfstatat || nr == SYS_faccessat || nr == NR_faccessat2 ||
		  nr == SYS_readlinkat || nr == SYS_statx;
	unsigned parg = at ? 1 : 0;
	const struct rp_call *c;
	const uint8_t *st = NULL;
	char *path;

	if (nr == SYS_newfstatat && (sc->args[3] & AT_EMPTY_PATH)) {
		const struct fr_payload *p = in_arg(R, 1);

		if (!p || !p->len || !p->data[0]) {
			do_fstat(R, wt, a, (int)sc->args[0], 2);
			return;
		}
	}
	if (as_recorded(R, wt, a))
		return;
	path = live_path(R, wt, parg, at ? (int)sc->args[0] : AT_FDCWD);
	if (!path) {
		answer(a, in_arg(R, parg) ? -ENOENT : -EFAULT, WI_HOW_MODEL);
		return;
	}
	a->interesting = true;
	if (nr == SYS_stat || nr == SYS_lstat || nr == SYS_newfstatat || nr == SYS_access ||
	    nr == SYS_faccessat || nr == NR_faccessat2) {
		bool follow = nr != SYS_lstat &&
			      !(nr == SYS_newfstatat && (sc->args[3] & AT_SYMLINK_NOFOLLOW));
		uint32_t mobj;

		c = stat_of_path(R, path, follow, &st);
		if (!c && (mobj = wm__obj_of_path(R->wi->m, path)) != WM_NONE &&
		    R->wi->m->objs[mobj].stat)
			st = R->wi->m->objs[mobj].stat;
		if (c && c->sc.ret < 0) {
			answer(a, c->sc.ret, WI_HOW_RECORDED);
			say(a, "as looking up %s failed at +%.1f ms", path, ms_rel(R, c->exit_ns));
			free(path);
			return;
		}
		if (st) {
			if (nr == SYS_stat || nr == SYS_lstat)
				out_add(a, 1, 0, st, WM_STAT_LEN);
			else if (nr == SYS_newfstatat)
				out_add(a, 2, 0, st, WM_STAT_LEN);
			answer(a, 0, WI_HOW_RECORDED);
			say(a, "%s as recorded", path);
			free(path);
			return;
		}
	}
	unanswered(a, ENOENT);
	say(a, "the recording never looked %s up: it is not looked up on this machine", path);
	free(path);
}

static void do_getdents(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);
	const struct wm_obj *mo;
	const struct rp_call *c;

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	if (o->obj == WI_NONE || W->objs[o->obj].kind != WM_DIR || sc->nr != SYS_getdents64 ||
	    W->objs[o->obj].mobj == WM_NONE) {
		if (!as_recorded(R, wt, a)) {
			unanswered(a, o->obj != WI_NONE && W->objs[o->obj].kind != WM_DIR ? ENOTDIR
											  : EIO);
			say(a, "the recording has no listing of this directory");
		}
		return;
	}
	mo = &W->m->objs[W->objs[o->obj].mobj];
	if (o->pos >= mo->n_dents) {
		if (mo->dents_done || !mo->n_dents) {
			answer(a, 0, WI_HOW_RECORDED);
			return;
		}
		unanswered(a, EIO);
		say(a, "the recording holds only part of the listing of %s", W->objs[o->obj].name);
		return;
	}
	if (mo->dents[o->pos] >= W->m->n_calls) {
		unanswered(a, EIO);
		return;
	}
	c = &W->m->calls[mo->dents[o->pos]];
	if ((uint64_t)c->sc.ret > (uint32_t)sc->args[2]) {
		unanswered(a, EINVAL);
		say(a, "the recorded listing of %s does not fit the program's buffer",
		    W->objs[o->obj].name);
		return;
	}
	o->pos++;
	answer(a, c->sc.ret, WI_HOW_RECORDED);
	a->as = c;
	say(a, "the listing of %s as recorded", W->objs[o->obj].name);
}

static void do_lseek(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);
	int64_t off = (int64_t)sc->args[1], base;
	const struct wi_robj *ob;

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	if (o->obj == WI_NONE) {
		unanswered(a, EIO);
		say(a, "the recording does not show what descriptor %d stands for",
		    (int)sc->args[0]);
		return;
	}
	ob = &W->objs[o->obj];
	if (ob->kind == WM_STREAM || ob->kind == WM_DGRAM || ob->kind == WM_LISTEN) {
		answer(a, -ESPIPE, WI_HOW_MODEL);
		return;
	}
	if (ob->kind == WM_NULL) {
		answer(a, 0, WI_HOW_MODEL);
		return;
	}
	switch (sc->args[2]) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)o->pos;
		break;
	case SEEK_END:
		if (ob->kind == WI_K_VFILE) {
			base = (int64_t)ob->vlen;
		} else if (ob->mobj != WM_NONE && W->m->objs[ob->mobj].size_known) {
			base = (int64_t)W->m->objs[ob->mobj].size;
		} else {
			unanswered(a, EIO);
			say(a, "the recording does not show the size of %s", ob->name);
			return;
		}
		break;
	default:
		unanswered(a, EINVAL);
		say(a, "holes and data of %s are not recorded", ob->name);
		return;
	}
	if (base + off < 0) {
		answer(a, -EINVAL, WI_HOW_MODEL);
		return;
	}
	o->pos = (uint64_t)(base + off);
	answer(a, (int64_t)o->pos, WI_HOW_MODEL);
}

static void do_fcntl(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	int fd = (int)sc->args[0];
	struct wi_ofd *o = wi_fd_get(p, fd);
	int nfd;

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	answer(a, 0, WI_HOW_MODEL);
	switch ((int)sc->args[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		nfd = wi_fd_lowest(p, (int)sc->args[2]);
		o->refs++;
		a->ret = wi_fd_install(R, p, nfd, o, (int)sc->args[1] == F_DUPFD_CLOEXEC);
		if (!a->ret)
			a->ret = nfd;
		break;
	case F_GETFD:
		a->ret = wi_fd_cloexec(p, fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		wi_fd_set_cloexec(p, fd, sc->args[2] & FD_CLOEXEC);
		break;
	case F_GETFL:
		a->ret = o->flags & ~(uint32_t)O_CLOEXEC;
		break;
	case F_SETFL:
		o->flags = (o->flags & O_ACCMODE) |
			   ((uint32_t)sc->args[2] &
			    (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME));
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		a->how = WI_HOW_ACCEPTED;
		say(a, "file locks are always granted in the model");
		break;
	default:
		if (!as_recorded(R, wt, a)) {
			answer(a, 0, WI_HOW_ACCEPTED);
			say(a, "not performed");
		}
		break;
	}
}

static void do_dup(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	int old = (int)sc->args[0], nfd;
	struct wi_ofd *o = wi_fd_get(p, old);
	int err;

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	if (sc->nr == SYS_dup) {
		nfd = wi_fd_lowest(p, 0);
	} else {
		nfd = (int)sc->args[1];
		if (nfd == old) {
			answer(a, sc->nr == SYS_dup3 ? -EINVAL : nfd, WI_HOW_MODEL);
			return;
		}
	}
	o->refs++;
	err = wi_fd_install(R, p, nfd, o, sc->nr == SYS_dup3 && (sc->args[2] & O_CLOEXEC));
	answer(a, err ? err : nfd, WI_HOW_MODEL);
}

static void do_close(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);

	if (sc->nr == NR_close_range) {
		uint64_t fd, hi = FR_MIN(sc->args[1], (uint64_t)WI_MAX_FD);

		for (fd = sc->args[0]; p->fdt && fd < (uint64_t)p->fdt->cap && fd <= hi; fd++) {
			if (sc->args[2] & 4 /* CLOSE_RANGE_CLOEXEC */)
				wi_fd_set_cloexec(p, (int)fd, true);
			else
				wi_fd_close(R, p, (int)fd);
		}
		answer(a, 0, WI_HOW_MODEL);
		return;
	}
	if (!wi_fd_get(p, (int)sc->args[0]) &&
	    !rp_fdtable__is_open(wt->th->proc->fds, (int)sc->args[0])) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	wi_fd_close(R, p, (int)sc->args[0]);
	answer(a, 0, WI_HOW_MODEL);
}

static void do_chdir(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	const struct wm_open *ops[4];
	const uint8_t *st = NULL;
	const struct rp_call *c;
	char *path;
	uint32_t mode = 0;

	if (sc->nr == SYS_fchdir) {
		struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);

		answer(a, !o ? -EBADF : o->path ? 0 : -ENOTDIR, WI_HOW_MODEL);
		return;
	}
	if (as_recorded(R, wt, a))
		return;
	path = live_path(R, wt, 0, AT_FDCWD);
	if (!path) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	c = stat_of_path(R, path, true, &st);
	if (st)
		memcpy(&mode, st + 24, 4);
	if ((st && S_ISDIR(mode)) || (wm__opens(R->wi->m, path, ops, 4) && ops[0]->ret >= 0 &&
				      (ops[0]->flags & O_DIRECTORY))) {
		answer(a, 0, WI_HOW_MODEL);
		say(a, "%s is a directory in the recording", path);
	} else if (c && c->sc.ret < 0) {
		answer(a, c->sc.ret, WI_HOW_RECORDED);
	} else {
		unanswered(a, ENOENT);
		say(a, "the recording does not show %s as a directory", path);
	}
	free(path);
}

static void do_getcwd(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const char *cwd = wt->th->proc->cwd;
	size_t n;
	uint8_t *b;

	if (!cwd) {
		if (!as_recorded(R, wt, a))
			unanswered(a, ENOENT);
		return;
	}
	n = strlen(cwd) + 1;
	if (n > wt->th->t->sc.args[1]) {
		answer(a, -ERANGE, WI_HOW_MODEL);
		return;
	}
	b = wi_buf(R, n);
	if (!b) {
		unanswered(a, ENOMEM);
		return;
	}
	memcpy(b, cwd, n);
	out_add(a, 0, 0, b, n);
	answer(a, (int64_t)n, WI_HOW_MODEL);
}

static void do_ioctl(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_proc *p = proc_of(R, wt);
	struct wi_ofd *o = wi_fd_get(p, (int)sc->args[0]);
	uint32_t req = (uint32_t)sc->args[1];
	const struct wi_robj *ob = o && o->obj != WI_NONE ? &W->objs[o->obj] : NULL;

	if (!o && !rp_fdtable__is_open(wt->th->proc->fds, (int)sc->args[0])) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	switch (req) {
	case 0x541B: /* FIONREAD */
		if (ob && (ob->kind == WM_STREAM || ob->kind == WM_DGRAM)) {
			struct stream_now s;
			int32_t *v = (int32_t *)(void *)wi_buf(R, 4);

			if (!v) {
				unanswered(a, ENOMEM);
				return;
			}
			stream_now(R, o->obj, INT32_MAX, false, &s);
			*v = (int32_t)s.avail;
			out_add(a, 2, 0, (uint8_t *)v, 4);
			answer(a, 0, WI_HOW_MODEL);
			return;
		}
		break;
	case 0x5421: /* FIONBIO */
		if (o) {
			int32_t on = 0;

			rp_thread__read(wt->th->t, sc->args[2], &on, 4);
			o->flags = on ? o->flags | O_NONBLOCK : o->flags & ~(uint32_t)O_NONBLOCK;
			answer(a, 0, WI_HOW_MODEL);
			return;
		}
		break;
	case 0x5451: /* FIOCLEX */
	case 0x5450: /* FIONCLEX */
		wi_fd_set_cloexec(p, (int)sc->args[0], req == 0x5451);
		answer(a, 0, WI_HOW_MODEL);
		return;
	default:
		break;
	}
	if (as_recorded(R, wt, a))
		return;
	if (ob && (req >> 8) == 0x54 &&
	    !(ob->mobj != WM_NONE && W->m->objs[ob->mobj].fd_type == FR_FD_CHR)) {
		/* a terminal request on what is no terminal */
		answer(a, -ENOTTY, WI_HOW_MODEL);
		say(a, "%s is not a terminal", ob->name);
		return;
	}
	unanswered(a, ENOTTY);
	say(a, "the recording has no such request on this descriptor");
}

/* Calls that change files: replay never does. */
static bool changes_files(unsigned nr)
{
	switch (nr) {
	case SYS_unlink:
	case SYS_unlinkat:
	case SYS_rename:
	case SYS_renameat:
	case SYS_renameat2:
	case SYS_mkdir:
	case SYS_mkdirat:
	case SYS_rmdir:
	case SYS_link:
	case SYS_linkat:
	case SYS_symlink:
	case SYS_symlinkat:
	case SYS_chmod:
	case SYS_fchmodat:
	case SYS_chown:
	case SYS_lchown:
	case SYS_fchownat:
	case SYS_truncate:
	case SYS_utimes:
	case SYS_utimensat:
	case SYS_mknod:
	case SYS_mknodat:
	case SYS_setxattr:
	case SYS_lsetxattr:
	case SYS_removexattr:
	case SYS_lremovexattr:
		return true;
	default:
		return false;
	}
}

/* ---- network ------------------------------------------------------------------------------------
 */

static void addr_text(const uint8_t *sa, size_t n, char *buf, size_t len)
{
	uint16_t fam = 0, port;

	buf[0] = 0;
	if (n >= 2)
		memcpy(&fam, sa, 2);
	if (fam == 2 && n >= 8) {
		port = (uint16_t)(sa[2] << 8 | sa[3]);
		snprintf(buf, len, "%u.%u.%u.%u:%u", sa[4], sa[5], sa[6], sa[7], port);
	} else if (fam == 1 && n > 2) {
		snprintf(buf, len, "%.*s", (int)FR_MIN(n - 2, (size_t)108), (const char *)sa + 2);
	} else {
		snprintf(buf, len, "an address of family %u", fam);
	}
}

static void do_connect(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);
	const struct fr_payload *sa = in_arg(R, 1);
	uint8_t key[RP_SOCKADDR_KEY_MAX];
	size_t klen = sa ? rp_sockaddr_key(sa->data, sa->len, key) : 0;
	uint32_t i, pick = WI_NONE;
	char at[160];

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	addr_text(sa ? sa->data : NULL, sa ? sa->len : 0, at, sizeof(at));
	a->interesting = true;
	for (i = 0; i < W->m->n_connects; i++) {
		const struct wm_connect *cn = &W->m->connects[i];

		if (W->connect_used[i] || cn->key_len != klen || memcmp(cn->key, key, klen))
			continue;
		if (pick == WI_NONE || (cn->pid == wt->th->proc->rpid &&
					W->m->connects[pick].pid != wt->th->proc->rpid))
			pick = i;
	}
	if (pick == WI_NONE) {
		unanswered(a, ECONNREFUSED);
		say(a, "the recording has no (more) connections to %s: the network is never used",
		    at);
		return;
	}
	W->connect_used[pick] = 1;
	{
		const struct wm_connect *cn = &W->m->connects[pick];

		answer(a, cn->ret, WI_HOW_MODEL);
		if ((cn->ret == 0 || cn->ret == -EINPROGRESS) && cn->obj != WM_NONE) {
			uint32_t ro = wi_robj_of(R, cn->obj);

			if (ro != WI_NONE) {
				W->objs[ro].connect_vt = W->vnow;
				if (o->obj == WI_NONE)
					wi_ofd_set_obj(R, o, ro);
			}
		}
		say(a, "the connection to %s recorded at +%.1f ms", at, ms_rel(R, cn->ns));
	}
}

static void do_accept(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);
	uint64_t fl = sc->nr == SYS_accept4 ? sc->args[3] : 0;
	const struct wm_obj *mo;
	const struct wm_accept *ac;
	struct wi_robj *ob;
	int fd;

	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	if (o->obj == WI_NONE || W->objs[o->obj].kind != WM_LISTEN ||
	    W->objs[o->obj].mobj == WM_NONE) {
		unanswered(a, EINVAL);
		say(a, "the recording shows no listening socket here");
		return;
	}
	ob = &W->objs[o->obj];
	mo = &W->m->objs[ob->mobj];
	if (ob->next_accept >= mo->n_accepts) {
		if (o->flags & O_NONBLOCK) {
			answer(a, -EAGAIN, WI_HOW_MODEL);
			return;
		}
		hold(a, WI_INF);
		say(a, "the recording has no more connections on %s", ob->name);
		return;
	}
	ac = &mo->accepts[ob->next_accept];
	if (ac->ns > W->vnow) {
		if (o->flags & O_NONBLOCK) {
			answer(a, -EAGAIN, WI_HOW_MODEL);
			return;
		}
		hold(a, ac->ns);
		say(a, "the next connection on %s arrives at +%.1f ms", ob->name,
		    ms_rel(R, ac->ns));
		return;
	}
	ob->next_accept++;
	if (ac->ret < 0) {
		answer(a, ac->ret, WI_HOW_RECORDED);
		return;
	}
	fd = new_fd(R, wt, ac->obj != WM_NONE ? wi_robj_of(R, ac->obj) : WI_NONE,
		    (fl & SOCK_NONBLOCK) ? O_NONBLOCK : 0, NULL, true, fl & SOCK_CLOEXEC, 0);
	if (fd >= 0 && sc->args[1] && ac->sa_len)
		out_add(a, 1, 0, ac->sa, ac->sa_len);
	answer(a, fd, WI_HOW_MODEL);
	a->interesting = true;
	say(a, "the connection accepted at +%.1f ms in the recording", ms_rel(R, ac->ns));
}

static void do_sockname(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);
	const struct wm_obj *mo;
	uint8_t *sa;
	size_t n;

	if (as_recorded(R, wt, a))
		return;
	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	mo = o->obj != WI_NONE && W->objs[o->obj].mobj != WM_NONE
		 ? &W->m->objs[W->objs[o->obj].mobj]
		 : NULL;
	sa = wi_buf(R, 28);
	if (!mo || !sa) {
		unanswered(a, ENOTCONN);
		return;
	}
	n = tuple_sockaddr(W, &W->objs[o->obj], sc->nr == SYS_getsockname, sa);
	if (!n) {
		unanswered(a, ENOTCONN);
		return;
	}
	out_add(a, 1, 0, sa, n);
	answer(a, 0, WI_HOW_MODEL);
}

static void do_pipe(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	bool pair = sc->nr == SYS_socketpair;
	uint64_t fl = pair ? sc->args[1] : sc->nr == SYS_pipe2 ? sc->args[1] : 0;
	bool nb = pair ? (fl & SOCK_NONBLOCK) : (fl & O_NONBLOCK);
	bool ce = pair ? (fl & SOCK_CLOEXEC) : (fl & O_CLOEXEC);
	int32_t *v = (int32_t *)(void *)wi_buf(R, 8);
	uint32_t o0, o1;

	if (!v) {
		unanswered(a, ENOMEM);
		return;
	}
	o0 = wi_robj_new(R, WM_STREAM, pair ? "socketpair (new)" : "pipe (new)");
	o1 = pair ? wi_robj_new(R, WM_STREAM, "socketpair (new)") : o0;
	if (o0 == WI_NONE || o1 == WI_NONE) {
		unanswered(a, ENOMEM);
		return;
	}
	if (pair) {
		W->objs[o0].reverse = o1;
		W->objs[o1].reverse = o0;
	}
	v[0] = new_fd(R, wt, o0, nb ? O_NONBLOCK : 0, NULL, pair, ce, 0);
	v[1] = new_fd(R, wt, o1, nb ? O_NONBLOCK : 0, NULL, true, ce, 0);
	if (v[0] < 0 || v[1] < 0) {
		unanswered(a, ENOMEM);
		return;
	}
	out_add(a, pair ? 3 : 0, 0, (uint8_t *)v, 8);
	answer(a, 0, WI_HOW_MODEL);
	say(a, "made in the model (its bytes are the replayed program's own)");
}

/* ---- processes and signals ---------------------------------------------------------------------
 */

static void do_kill(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	int sig = sc->nr == SYS_kill || sc->nr == SYS_tkill ? (int)sc->args[1] : (int)sc->args[2];
	int32_t target = sc->nr == SYS_tgkill ? (int32_t)sc->args[1] : (int32_t)sc->args[0];
	bool thread = sc->nr != SYS_kill;
	struct st_proc *p;
	pid_t real;
	int sent = 0;

	if (!thread && target <= 0) {
		/* the process group or everything: the replayed processes */
		for (p = R->procs; p; p = p->next)
			if (!sig || kill(p->pid, sig) == 0)
				sent++;
		answer(a, sent ? 0 : -ESRCH, WI_HOW_MODEL);
		say(a, "to the replayed processes only");
		return;
	}
	real = wi_real_pid(R, (uint32_t)target, thread);
	if (!real) {
		if (!sig && as_recorded(R, wt, a))
			return;
		answer(a, sig ? 0 : -ESRCH, sig ? WI_HOW_ACCEPTED : WI_HOW_MODEL);
		a->interesting = true;
		say(a, "%d is not a replayed process: not sent", target);
		return;
	}
	if (sig) {
		long r;

		if (thread) {
			struct st_thread *th;
			pid_t tgid = real;

			for (th = R->threads; th; th = th->next)
				if (th->t->tid == real)
					tgid = th->t->pid;
			r = syscall(SYS_tgkill, tgid, real, sig);
		} else {
			r = kill(real, sig);
		}
		answer(a, r < 0 ? -errno : 0, WI_HOW_MODEL);
		a->interesting = true;
		say(a, "signal %s sent", fr_signal_name(sig) ? fr_signal_name(sig) : "?");
		return;
	}
	answer(a, 0, WI_HOW_MODEL);
}

static void do_wait(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;

	if (sc->nr == SYS_wait4) {
		int32_t pid = (int32_t)sc->args[0];

		if (pid > 0 || pid < -1) {
			pid_t real = wi_real_pid(R, (uint32_t)(pid > 0 ? pid : -pid), false);

			if (!real) {
				answer(a, -ECHILD, WI_HOW_MODEL);
				say(a, "%d is not a replayed process", pid);
				return;
			}
			rp_thread__set_arg(wt->th->t, 0,
					   (uint64_t)(int64_t)(pid > 0 ? real : -real));
		}
		run_real(a, !(sc->args[2] & WNOHANG));
		return;
	}
	/* waitid(idtype, id, infop, options, ru) */
	if (sc->args[0] == P_PID) {
		pid_t real = wi_real_pid(R, (uint32_t)sc->args[1], false);

		if (!real) {
			answer(a, -ECHILD, WI_HOW_MODEL);
			return;
		}
		rp_thread__set_arg(wt->th->t, 1, (uint64_t)real);
	}
	run_real(a, !(sc->args[3] & WNOHANG));
}

/* Wake up to n threads the model holds in a futex wait on (mm, addr). */
static int64_t futex_wake(struct fr_replay *R, struct wi_thread *wt, uint64_t addr, uint32_t bitset,
			  int64_t n)
{
	struct st_thread *th;
	int64_t woken = 0;

	for (th = R->threads; th && woken < n; th = th->next) {
		struct wi_thread *o = th->wi;

		if (!o || o == wt || o->ws != W_BLOCK || !o->fx_waiting || o->fx_woken ||
		    o->fx_addr != addr || th->t->mm != wt->th->t->mm || !(o->fx_bitset & bitset))
			continue;
		o->fx_woken = true;
		woken++;
	}
	if (woken)
		R->wi->changed = true;
	return woken;
}

static bool real_futex_waiter(struct fr_replay *R)
{
	struct st_thread *th;

	for (th = R->threads; th; th = th->next) {
		struct wi_thread *o = th->wi;

		if (o && o->ws == W_REAL && th->t->sc.nr == SYS_futex)
			return true;
	}
	return false;
}

static bool wake_op(struct wi_thread *wt, uint64_t addr2, uint32_t op, bool *cmp)
{
	uint32_t old, nv, arg = (op >> 12) & 0xfff, cmparg = op & 0xfff;
	unsigned o = (op >> 28) & 7, c = (op >> 24) & 15;

	if (op & (8u << 28))
		arg = 1u << (arg & 31);
	if (rp_thread__read(wt->th->t, addr2, &old, 4) != 4)
		return false;
	switch (o) {
	case 0:
		nv = arg;
		break;
	case 1:
		nv = old + arg;
		break;
	case 2:
		nv = old | arg;
		break;
	case 3:
		nv = old & ~arg;
		break;
	case 4:
		nv = old ^ arg;
		break;
	default:
		return false;
	}
	if (rp_thread__write(wt->th->t, addr2, &nv, 4))
		return false;
	switch (c) {
	case 0:
		*cmp = (int32_t)old == (int32_t)cmparg;
		break;
	case 1:
		*cmp = (int32_t)old != (int32_t)cmparg;
		break;
	case 2:
		*cmp = (int32_t)old < (int32_t)cmparg;
		break;
	case 3:
		*cmp = (int32_t)old <= (int32_t)cmparg;
		break;
	case 4:
		*cmp = (int32_t)old > (int32_t)cmparg;
		break;
	case 5:
		*cmp = (int32_t)old >= (int32_t)cmparg;
		break;
	default:
		return false;
	}
	return true;
}

static void do_futex(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	unsigned cmd = (unsigned)sc->args[1] & 0x7f;
	bool realtime = sc->args[1] & 256;
	uint64_t addr = sc->args[0];
	uint32_t val = (uint32_t)sc->args[2], word;
	int64_t n;

	switch (cmd) {
	case 0: /* FUTEX_WAIT */
	case 9: /* FUTEX_WAIT_BITSET */
		if (rp_thread__read(wt->th->t, addr, &word, 4) != 4) {
			answer(a, -EFAULT, WI_HOW_MODEL);
			return;
		}
		if (!wt->fx_waiting) {
			uint32_t bitset = cmd == 9 ? (uint32_t)sc->args[5] : ~0u;
			int64_t ns, off;

			if (!bitset) {
				answer(a, -EINVAL, WI_HOW_MODEL);
				return;
			}
			if (word != val) {
				answer(a, -EAGAIN, WI_HOW_MODEL);
				return;
			}
			wt->fx_waiting = true;
			wt->fx_woken = false;
			wt->fx_addr = addr;
			wt->fx_bitset = bitset;
			wt->fx_val = val;
			wt->fx_deadline = WI_INF;
			if (sc->args[3] && time_arg(R, 3, false, &ns)) {
				if (cmd == 0) {
					wt->fx_deadline = wt->enter_vt + (uint64_t)ns;
				} else if (wm__clock_offset(W->m, realtime ? 0 : 1, W->vnow,
							    &off)) {
					int64_t t = ns - off;

					wt->fx_deadline = t > 0 ? (uint64_t)t : 0;
				}
			}
		}
		if (wt->fx_woken || word != wt->fx_val) {
			wt->fx_waiting = false;
			answer(a, 0, WI_HOW_MODEL);
			return;
		}
		if (W->vnow >= wt->fx_deadline) {
			wt->fx_waiting = false;
			answer(a, -ETIMEDOUT, WI_HOW_MODEL);
			a->interesting = true;
			say(a, "timed out (virtual)");
			return;
		}
		hold(a, wt->fx_deadline);
		say(a, "a futex wait (another thread's wake, or its time limit)");
		return;
	case 1:	 /* FUTEX_WAKE */
	case 10: /* FUTEX_WAKE_BITSET */
		n = futex_wake(R, wt, addr, cmd == 10 ? (uint32_t)sc->args[5] : ~0u,
			       (int32_t)val > 0 ? (int32_t)val : 0);
		if (real_futex_waiter(R) && n < (int32_t)val) {
			wt->fx_extra = n;
			run_real(a, false);
			return;
		}
		answer(a, n, WI_HOW_MODEL);
		return;
	case 3: /* FUTEX_REQUEUE */
	case 4: /* FUTEX_CMP_REQUEUE */
		if (cmd == 4) {
			if (rp_thread__read(wt->th->t, addr, &word, 4) != 4) {
				answer(a, -EFAULT, WI_HOW_MODEL);
				return;
			}
			if (word != (uint32_t)sc->args[5]) {
				answer(a, -EAGAIN, WI_HOW_MODEL);
				return;
			}
		}
		/* Waking them all instead of requeueing is allowed: a futex
		 * wait may always return (the waiter checks again). */
		answer(a, futex_wake(R, wt, addr, ~0u, INT64_MAX), WI_HOW_MODEL);
		return;
	case 5: { /* FUTEX_WAKE_OP */
		bool cmp = false;

		if (!wake_op(wt, sc->args[4], (uint32_t)sc->args[5], &cmp)) {
			answer(a, -EFAULT, WI_HOW_MODEL);
			return;
		}
		n = futex_wake(R, wt, addr, ~0u, (int32_t)val);
		if (cmp)
			n += futex_wake(R, wt, sc->args[4], ~0u, (int32_t)(uint32_t)sc->args[3]);
		answer(a, n, WI_HOW_MODEL);
		return;
	}
	default: /* priority inheritance: the kernel's */
		run_real(a, cmd == 6 || cmd == 11 || cmd == 13);
		return;
	}
}

static void do_random(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	uint64_t want = FR_MIN(sc->args[1], (uint64_t)WI_IO_MAX), got = 0, skip = W->random_off;
	uint8_t *buf = wi_buf(R, want + 1);
	uint32_t i;

	if (!buf) {
		unanswered(a, ENOMEM);
		return;
	}
	for (i = 0; i < W->m->n_random && got < want; i++) {
		const struct wm_chunk *c = &W->m->random[i];
		uint64_t n;

		if (skip >= c->len) {
			skip -= c->len;
			continue;
		}
		n = FR_MIN(c->len - skip, want - got);
		memcpy(buf + got, c->data + skip, n);
		got += n;
		skip = 0;
	}
	if (!got && want) {
		unanswered(a, (sc->args[2] & 1 /* GRND_NONBLOCK */) ? EAGAIN : ENOSYS);
		say(a, "the recording has no more random bytes");
		return;
	}
	W->random_off += got;
	if (got)
		out_add(a, 0, 0, buf, got);
	answer(a, (int64_t)got, WI_HOW_MODEL);
	say(a, "random bytes the recorded program got");
}

static bool opened_in_recording(struct fr_replay *R, const char *path)
{
	const struct wm_open *ops[16];
	uint32_t n = wm__opens(R->wi->m, path, ops, 16), i;

	for (i = 0; i < FR_MIN(n, 16u); i++)
		if (ops[i]->ret >= 0)
			return true;
	return false;
}

static void do_mmap(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct wi_state *W = R->wi;
	const struct rp_syscall *sc = &wt->th->t->sc;
	uint64_t flags = sc->args[3];
	int fd = (int)sc->args[4];
	struct wi_ofd *o;
	const char *path;
	int err;

	if (flags & MAP_FIXED)
		rp_thread__note_unmap(wt->th->t, sc->args[0], sc->args[1]);
	if ((flags & MAP_ANONYMOUS) || fd < 0) {
		run_real(a, false);
		return;
	}
	o = wi_fd_get(proc_of(R, wt), fd);
	path = o ? o->path : NULL;
	if (!o) {
		answer(a, -EBADF, WI_HOW_MODEL);
		return;
	}
	/* As in strict replay, what a mapping holds comes from the file on
	 * this machine (or the bundle's copy): allowed for the files the
	 * recording shows in use (mapped, run, or opened), so that a program
	 * the new path runs can load its libraries; a file the recording never
	 * saw is not read. */
	if (!path || (!rp_recording__build_id(R->rec, path) &&
		      !rp_recording__stored(R->rec, NULL, path) && !opened_in_recording(R, path))) {
		unanswered(a, ENODEV);
		say(a,
		    "mapping %s: the recording never used this file (it is not read from this "
		    "machine)",
		    path		? path
		    : o->obj != WI_NONE ? W->objs[o->obj].name
					: "this descriptor");
		return;
	}
	err = st_install_fd(R, wt->th, fd);
	if (err) {
		unanswered(a, ENODEV);
		say(a, "mapping %s: %s", path, strerror(-err));
		return;
	}
	run_real(a, false);
}

/* A recorded exec of the same file that failed (a search along PATH). */
static const struct rp_call *exec_failed(struct fr_replay *R, const char *path)
{
	const struct wm_model *m = R->wi->m;
	static const unsigned nrs[] = {SYS_execve, 322};
	size_t k;

	for (k = 0; k < FR_ARRAY_SIZE(nrs); k++) {
		uint32_t n, i;
		const uint32_t *idx = wm__calls_of(m, nrs[k], &n);

		for (i = 0; i < n; i++) {
			const struct rp_call *c = &m->calls[idx[i]];
			char *p = rec_path(c, nrs[k] == 322 ? 1 : 0);
			bool same = p && !strcmp(p, path);

			free(p);
			if (same && c->sc.ret < 0 && c->sc.ret >= -4095)
				return c;
		}
	}
	return NULL;
}

static void do_exec(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	struct st_thread *th = wt->th;
	const struct rp_call *failed;
	struct rp_call c;
	char *path = live_path(R, wt, th->t->sc.nr == 322 ? 1 : 0,
			       th->t->sc.nr == 322 ? (int)th->t->sc.args[0] : AT_FDCWD);

	if (!path) {
		answer(a, -EFAULT, WI_HOW_MODEL);
		return;
	}
	failed = exec_failed(R, path);
	if (failed) {
		answer(a, failed->sc.ret, WI_HOW_RECORDED);
		say(a, "as executing %s failed at +%.1f ms", path, ms_rel(R, failed->exit_ns));
		free(path);
		return;
	}
	if (access(path, F_OK) != 0 && !rp_recording__stored(R->rec, NULL, path)) {
		unanswered(a, ENOENT);
		say(a, "%s is not on this machine nor in the bundle", path);
		free(path);
		return;
	}
	free(path);
	memset(&c, 0, sizeof(c));
	c.sc = R->live.sc;
	c.sc.ret = 0;
	c.pid = th->proc->rpid;
	c.tid = (uint32_t)th->t->tid;
	st_enter_exec(R, th, &c);
	th->cur = NULL; /* c does not outlive this call */
	if (th->st == S_IN_REAL) {
		run_real(a, false);
		a->resumed = true;
		a->report_now = true;
		a->interesting = true;
		return;
	}
	unanswered(a, ENOENT);
	say(a, "the program to execute is not on this machine nor in the bundle");
}

/* ---- the dispatch -------------------------------------------------------------------------------
 */

void wi_handle_call(struct fr_replay *R, struct wi_thread *wt, struct wi_answer *a)
{
	const struct rp_syscall *sc = &wt->th->t->sc;
	unsigned nr = (unsigned)sc->nr;
	const struct fr_syscall_desc *d;

	memset(a, 0, sizeof(*a));
	if (sc->arch != RP_AUDIT_ARCH_NATIVE) {
		unanswered(a, ENOSYS);
		say(a, "a call of another ABI (x32 or i386)");
		return;
	}
	if (wm_is_read(nr)) {
		do_read(R, wt, a);
		return;
	}
	if (wm_is_write(nr)) {
		do_write(R, wt, a);
		return;
	}
	if (changes_files(nr)) {
		if (!as_recorded(R, wt, a)) {
			unanswered(a, EROFS);
			say(a, "replay never changes files, and the recording does not show this "
			       "change");
		}
		a->interesting = true;
		return;
	}
	switch (nr) {
	case SYS_poll:
	case SYS_ppoll:
		do_poll(R, wt, a);
		return;
	case SYS_select:
	case SYS_pselect6:
		do_select(R, wt, a);
		return;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
	case NR_epoll_pwait2:
		do_epoll_wait(R, wt, a);
		return;
	case SYS_epoll_create:
	case SYS_epoll_create1: {
		int fd = new_fd(R, wt, wi_robj_new(R, WI_K_EPOLL, "epoll"), 0, NULL, false,
				nr == SYS_epoll_create1 && (sc->args[0] & O_CLOEXEC), 0);

		answer(a, fd, WI_HOW_MODEL);
		return;
	}
	case SYS_epoll_ctl: {
		struct wi_ofd *o = wi_fd_get(proc_of(R, wt), (int)sc->args[0]);

		if (!o || o->obj == WI_NONE || R->wi->objs[o->obj].kind != WI_K_EPOLL) {
			answer(a, !o ? -EBADF : -EINVAL, WI_HOW_MODEL);
			return;
		}
		if (!wi_fd_get(proc_of(R, wt), (int)sc->args[2])) {
			answer(a, -EBADF, WI_HOW_MODEL);
			return;
		}
		wi_epoll_ctl(R, o->obj, (int)sc->args[1], (int)sc->args[2], in_arg(R, 3));
		answer(a, 0, WI_HOW_MODEL);
		return;
	}
	case SYS_clock_gettime:
	case SYS_gettimeofday:
	case SYS_time:
		do_time(R, wt, a);
		return;
	case SYS_clock_getres:
		if (!as_recorded(R, wt, a)) {
			int64_t *v = (int64_t *)(void *)wi_buf(R, 16);

			if (v) {
				v[0] = 0;
				v[1] = 1;
				out_add(a, 1, 0, (uint8_t *)v, 16);
			}
			answer(a, 0, WI_HOW_MODEL);
		}
		return;
	case SYS_nanosleep:
	case SYS_clock_nanosleep:
		do_sleep(R, wt, a);
		return;
	case SYS_alarm:
	case SYS_setitimer:
	case SYS_getitimer:
		do_timer(R, wt, a);
		return;
	case SYS_open:
	case SYS_openat:
	case SYS_creat:
	case NR_openat2:
		do_open(R, wt, a);
		return;
	case SYS_close:
	case NR_close_range:
		do_close(R, wt, a);
		return;
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
		do_dup(R, wt, a);
		return;
	case SYS_fcntl:
		do_fcntl(R, wt, a);
		return;
	case SYS_lseek:
		do_lseek(R, wt, a);
		return;
	case SYS_fstat:
		do_fstat(R, wt, a, (int)sc->args[0], 1);
		return;
	case SYS_stat:
	case SYS_lstat:
	case SYS_newfstatat:
	case SYS_statx:
	case SYS_access:
	case SYS_faccessat:
	case NR_faccessat2:
	case SYS_readlink:
	case SYS_readlinkat:
		do_lookup(R, wt, a);
		return;
	case SYS_getdents64:
	case SYS_getdents:
		do_getdents(R, wt, a);
		return;
	case SYS_chdir:
	case SYS_fchdir:
		do_chdir(R, wt, a);
		return;
	case SYS_getcwd:
		do_getcwd(R, wt, a);
		return;
	case SYS_ioctl:
		do_ioctl(R, wt, a);
		return;
	case SYS_fsync:
	case SYS_fdatasync:
	case SYS_sync:
	case SYS_syncfs:
	case SYS_flock:
	case SYS_fadvise64:
	case SYS_ftruncate:
	case SYS_fallocate:
	case SYS_fchmod:
	case SYS_fchown:
		answer(a, 0, WI_HOW_ACCEPTED);
		say(a, "not performed (replay never changes files)");
		return;
	case SYS_socket: {
		int fd = new_fd(R, wt, WI_NONE, (sc->args[1] & SOCK_NONBLOCK) ? O_NONBLOCK : 0,
				NULL, true, sc->args[1] & SOCK_CLOEXEC, 0);

		answer(a, fd, WI_HOW_MODEL);
		say(a, "a new socket");
		return;
	}
	case SYS_connect:
		do_connect(R, wt, a);
		return;
	case SYS_accept:
	case SYS_accept4:
		do_accept(R, wt, a);
		return;
	case SYS_getsockname:
	case SYS_getpeername:
		do_sockname(R, wt, a);
		return;
	case SYS_getsockopt:
		if (sc->args[1] == SOL_SOCKET && sc->args[2] == SO_ERROR) {
			int32_t *v = (int32_t *)(void *)wi_buf(R, 4);

			if (v) {
				*v = 0;
				out_add(a, 3, 0, (uint8_t *)v, 4);
			}
			answer(a, 0, WI_HOW_MODEL);
			return;
		}
		if (!as_recorded(R, wt, a)) {
			unanswered(a, ENOPROTOOPT);
			say(a, "the recording has no such option read on this socket");
		}
		return;
	case SYS_pipe:
	case SYS_pipe2:
	case SYS_socketpair:
		do_pipe(R, wt, a);
		return;
	case SYS_getpid:
		answer(a, wt->th->proc->rpid, WI_HOW_MODEL);
		return;
	case SYS_gettid: {
		const struct rp_rthread *rt = st_rt_of(R, wt->th);

		answer(a, rt ? rt->tid : (uint32_t)wt->th->t->tid, WI_HOW_MODEL);
		return;
	}
	case SYS_getppid:
		if (!as_recorded(R, wt, a)) {
			answer(a, 1, WI_HOW_MODEL);
			say(a, "its parent is outside the replay");
		}
		return;
	case SYS_kill:
	case SYS_tkill:
	case SYS_tgkill:
		do_kill(R, wt, a);
		return;
	case SYS_wait4:
	case SYS_waitid:
		do_wait(R, wt, a);
		return;
	case SYS_clone:
	case NR_clone3:
	case SYS_fork:
	case SYS_vfork: {
		uint64_t fl = nr == SYS_clone ? sc->args[0] : nr == SYS_vfork ? CLONE_VFORK : 0;

		if (nr == NR_clone3) {
			const struct fr_payload *p = in_arg(R, 0);

			if (p && p->len >= 8)
				memcpy(&fl, p->data, 8);
		}
		run_real(a, (fl & CLONE_VFORK) != 0);
		a->interesting = !(fl & CLONE_THREAD);
		return;
	}
	case SYS_execve:
	case 322: /* execveat */
		do_exec(R, wt, a);
		return;
	case SYS_exit:
	case SYS_exit_group:
		run_real(a, false);
		a->report_now = true;
		a->interesting = true;
		return;
	case SYS_futex:
		do_futex(R, wt, a);
		return;
	case 449: /* futex_waitv */
	case 455: /* futex_wait */
		run_real(a, true);
		return;
	case SYS_sched_yield:
		answer(a, 0, WI_HOW_MODEL);
		return;
	case SYS_pause:
	case SYS_rt_sigsuspend:
	case SYS_rt_sigtimedwait:
		run_real(a, true);
		return;
	case SYS_getrandom:
		do_random(R, wt, a);
		return;
	case SYS_mmap:
		do_mmap(R, wt, a);
		return;
	case SYS_munmap:
	case SYS_mremap:
		rp_thread__note_unmap(wt->th->t, sc->args[0], sc->args[1]);
		run_real(a, false);
		return;
	default:
		break;
	}
	d = fr_syscall(nr);
	if (!d) {
		unanswered(a, ENOSYS);
		say(a, "system call %u is not in flightrec's syscall table", nr);
		return;
	}
	switch (d->replay) {
	case FR_RP_REAL:
		run_real(a, false);
		return;
	case FR_RP_FD_CREATE: {
		char name[64];
		int fd;

		snprintf(name, sizeof(name), "%s (not modelled)", d->name);
		fd = new_fd(R, wt, wi_robj_new(R, WM_OTHER, name), 0, NULL, true, false, 0);
		answer(a, fd, WI_HOW_MODEL);
		a->interesting = true;
		say(a, "a %s descriptor: what it does is not modelled", d->name);
		return;
	}
	case FR_RP_CHECK:
		if (!as_recorded(R, wt, a)) {
			answer(a, 0, WI_HOW_ACCEPTED);
			say(a, "not performed");
		}
		return;
	case FR_RP_EMULATE:
	case FR_RP_SPECIAL:
		if (!as_recorded(R, wt, a)) {
			unanswered(a, ENOSYS);
			say(a, "the recording has no %s with these arguments to answer it",
			    d->name);
		}
		return;
	default:
		unanswered(a, ENOSYS);
		say(a, "%s is not supported by replay", d->name);
		return;
	}
}

void wi_after_real(struct fr_replay *R, struct wi_thread *wt)
{
	struct rp_thread *t = wt->th->t;
	struct wi_answer a;
	int64_t ret = t->sc.ret;

	switch (t->sc.nr) {
	case SYS_wait4:
		if (ret > 0) {
			ret = wi_virtual_pid(R, (pid_t)ret);
			rp_thread__set_ret(t, ret);
		}
		break;
	case SYS_waitid:
		if (ret == 0 && t->sc.args[2]) {
			int32_t pid;

			if (rp_thread__read(t, t->sc.args[2] + 16, &pid, 4) == 4 && pid > 0) {
				pid = (int32_t)wi_virtual_pid(R, pid);
				rp_thread__write(t, t->sc.args[2] + 16, &pid, 4);
			}
		}
		break;
	case SYS_futex:
		if (wt->fx_extra && ret >= 0) {
			ret += wt->fx_extra;
			rp_thread__set_ret(t, ret);
		}
		wt->fx_extra = 0;
		break;
	default:
		break;
	}
	if (rp_live_read(t, &R->live) < 0)
		return;
	memset(&a, 0, sizeof(a));
	a.v = WI_ANSWER;
	a.ret = ret;
	a.how = WI_HOW_REAL;
	a.interesting = t->sc.nr == SYS_wait4 || t->sc.nr == SYS_waitid || t->sc.nr == SYS_clone ||
			t->sc.nr == SYS_fork || t->sc.nr == SYS_vfork || t->sc.nr == NR_clone3;
	if (ret < 0 && ret >= -4095)
		say(&a, "run for real: it failed (%s)", errname((int)-ret));
	wi_report_call(R, wt, &a);
	wi_buf_reset(R);
}
