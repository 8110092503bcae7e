// SPDX-License-Identifier: MIT
/*
 * test_whatif.c: what-if replay.
 *
 * The model of the recorded environment (replay/model.h) on bundles
 * written here event by event: what each stream holds and when, which
 * writes answer which reads, files by offset, opens, connects, clocks; the
 * path and address helpers, table-driven.  Then whole what-if replays of
 * tests/progs/wi_raw_wait (no libc: its calls are exactly its source's)
 * under the real ptrace engine: a peer's recorded answer arrives within a
 * longer timeout, not within a short one, a wait for what the recording
 * does not have ends the replay with a report, and strict replay is
 * unchanged.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/bundle.h"
#include "formats/syscalls.h"
#include "replay/model.h"
#include "replay/recording.h"
#include "replay/replay.h"
#include "replay/whatif.h"

#define MS 1000000ULL
#define T0 5000000000ULL

static char progs[4096];
static char tmpdir[256];

static void setup(void)
{
	const char *p = getenv("PROGS");

	if (!realpath(p && *p ? p : "build/progs", progs))
		snprintf(progs, sizeof(progs), "%s", p && *p ? p : "build/progs");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/frtest-whatif.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* ---- writing bundles --------------------------------------------------------------- */

struct pl {
	int kind, arg;
	const void *data;
	size_t len;
	uint8_t flags;
	size_t full_len; /* 0: len */
};

static struct fr_fdinfo fdinfo_pool[64];
static unsigned fdinfo_used;

static struct pl fdinfo(int arg, unsigned type, uint64_t dev, uint64_t ino, uint64_t pos,
			const struct fr_sock_tuple *t)
{
	struct fr_fdinfo *fi = &fdinfo_pool[fdinfo_used++ % 64];
	struct pl p = {FR_PL_FDINFO, arg, fi, sizeof(*fi), 0, 0};

	memset(fi, 0, sizeof(*fi));
	fi->type = (uint16_t)type;
	fi->dev = dev;
	fi->ino = ino;
	fi->pos = pos;
	if (t) {
		fi->tuple = *t;
		fi->sock_type = 1;
	}
	return p;
}

static struct pl in(int arg, const void *d, size_t n)
{
	struct pl p = {FR_PL_IN, arg, d, n, 0, 0};
	return p;
}

static struct pl out(int arg, const void *d, size_t n)
{
	struct pl p = {FR_PL_OUT, arg, d, n, 0, 0};
	return p;
}

static void sc(struct fr_writer *w, uint64_t enter, uint64_t exit, uint32_t pid, unsigned nr,
	       const uint64_t *args, int64_t ret, const struct pl *pls, int n)
{
	struct fr_event ev;
	int i;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = exit;
	ev.pid = ev.tid = pid;
	ev.type = FR_EV_SYSCALL;
	ev.u.sc.enter_ns = enter;
	ev.u.sc.nr = nr;
	ev.u.sc.ret = ret;
	for (i = 0; i < 6 && args; i++)
		ev.u.sc.args[i] = args[i];
	for (i = 0; i < n; i++) {
		struct fr_payload *p = &ev.payloads[ev.n_payloads++];

		p->kind = (uint8_t)pls[i].kind;
		p->arg = (uint8_t)pls[i].arg;
		p->flags = pls[i].flags;
		p->len = (uint32_t)pls[i].len;
		p->full_len = (uint32_t)(pls[i].full_len ? pls[i].full_len : pls[i].len);
		p->data = pls[i].data;
		if (p->len < p->full_len)
			ev.u.sc.flags |= FR_SC_PAYLOAD_CUT;
	}
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
}

#define ARGS(...) ((const uint64_t[6]){__VA_ARGS__})
#define PLS(...)                                                                                   \
	((const struct pl[]){__VA_ARGS__}),                                                        \
	    (int)(sizeof((const struct pl[]){__VA_ARGS__}) / sizeof(struct pl))

static void exec_event(struct fr_writer *w, uint64_t ts, uint32_t pid, const char *exe,
		       const char *argv_blob, size_t argv_len)
{
	struct fr_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = ts;
	ev.pid = ev.tid = pid;
	ev.type = FR_EV_PROC_EXEC;
	ev.u.exec.old_tid = pid;
	ev.payloads[0] = (struct fr_payload){
	    FR_PL_EXEC_FILENAME, 0xff, 0, 0, (uint32_t)strlen(exe), (uint32_t)strlen(exe),
	    (const uint8_t *)exe};
	ev.payloads[1] = (struct fr_payload){
	    FR_PL_EXEC_ARGV,	       0xff, 0, 0, (uint32_t)argv_len, (uint32_t)argv_len,
	    (const uint8_t *)argv_blob};
	ev.n_payloads = 2;
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
}

static void exit_event(struct fr_writer *w, uint64_t ts, uint32_t pid, int code)
{
	struct fr_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts_ns = ts;
	ev.pid = ev.tid = pid;
	ev.type = FR_EV_PROC_EXIT;
	ev.u.exit.status = (code & 0xff) << 8;
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
}

static struct fr_writer *bundle_open(const char *name, char *path, size_t cap)
{
	struct fr_writer_opts o = {.mtime = 1795000000};
	struct fr_writer *w;
	char err[256];

	snprintf(path, cap, "%s/%s", tmpdir, name);
	ck_assert_msg(fr_writer__open(path, &o, &w, err, sizeof(err)) == 0, "%s", err);
	snprintf(fr_writer__manifest(w)->trigger_kind, 32, "record");
	fr_writer__manifest(w)->clock_to_utc_ns = 1795000000000000000LL - (int64_t)T0;
	return w;
}

/* The root process, started by an exec of exe with argv; its descriptors
 * 0..2 are (type, inode) pairs. */
static void bundle_root(struct fr_writer *w, uint32_t pid, const char *exe, char **argv,
			const struct fr_fd *fds, uint32_t n_fds, bool exited, int code)
{
	static char *env[] = {"PATH=/usr/bin:/bin", "LANG=C", NULL};
	struct fr_process p;
	uint32_t argc = 0;

	while (argv[argc])
		argc++;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ppid = 1;
	p.flags = FR_PROC_ROOT | (exited ? FR_PROC_EXITED : 0);
	p.exit_status = (code & 0xff) << 8;
	snprintf(p.comm, sizeof(p.comm), "prog");
	p.exe = (char *)exe;
	p.cwd = "/";
	p.argv = argv;
	p.argc = argc;
	p.env = env;
	p.envc = 2;
	p.fds = (struct fr_fd *)fds;
	p.n_fds = n_fds;
	p.start_ns = T0;
	ck_assert_int_eq(fr_writer__add_process(w, &p), 0);
}

static void bundle_peer(struct fr_writer *w, uint32_t pid, const char *comm)
{
	static char *argv[] = {"peer", NULL};
	struct fr_process p;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ppid = 1;
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	p.argv = argv;
	p.argc = 1;
	p.cwd = "/";
	ck_assert_int_eq(fr_writer__add_process(w, &p), 0);
}

static void bundle_finish(struct fr_writer *w)
{
	ck_assert_msg(fr_writer__finish(w) == 0, "%s", fr_writer__strerror(w));
	fr_writer__free(w);
}

/* Open bundle `path`, load the tree of pid and model it. */
struct loaded {
	struct fr_reader *r;
	struct rp_recording *rec;
	struct wm_model *m;
};

static void load(struct loaded *l, const char *path, uint32_t pid)
{
	char err[512];

	ck_assert_msg(fr_reader__open(path, &l->r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(rp_recording__load(l->r, pid, &l->rec, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(wm__build(l->r, l->rec, &l->m, err, sizeof(err)) == 0, "%s", err);
}

static void unload(struct loaded *l)
{
	wm__free(l->m);
	rp_recording__free(l->rec);
	fr_reader__free(l->r);
}

static struct fr_sock_tuple tcp(uint16_t sport, uint16_t dport)
{
	struct fr_sock_tuple t;

	memset(&t, 0, sizeof(t));
	t.family = 2;
	t.protocol = 6;
	t.saddr[0] = 127;
	t.saddr[3] = 1;
	t.daddr[0] = 127;
	t.daddr[3] = 1;
	t.sport = sport;
	t.dport = dport;
	return t;
}

static uint32_t obj_of_tuple(const struct wm_model *m, const struct fr_sock_tuple *t)
{
	struct fr_fdinfo fi;

	memset(&fi, 0, sizeof(fi));
	fi.type = FR_FD_SOCKET;
	fi.sock_type = 1;
	fi.tuple = *t;
	return wm__obj_of(m, &fi);
}

/* ---- the model: streams ------------------------------------------------------------ */

/* A client (the tree) and a server (a peer in the bundle) over TCP: the
 * server's answer is filed under the client's reading side, with what it
 * had read before answering; its close is the client's end of stream. */
START_TEST(test_model_tcp_peer)
{
	static const char argv_blob[] = "client\0";
	static char *argv[] = {"client", NULL};
	struct fr_sock_tuple c = tcp(40000, 5000), s = tcp(5000, 40000), zero;
	uint8_t sa[16] = {2, 0, 0x13, 0x88, 127, 0, 0, 1}, key[RP_SOCKADDR_KEY_MAX];
	const struct wm_obj *o, *rv;
	char path[512];
	struct loaded l;
	struct fr_writer *w = bundle_open("tcp.frb", path, sizeof(path));
	uint32_t oi;

	memset(&zero, 0, sizeof(zero));
	zero.family = 2;
	exec_event(w, T0, 1000, "/bin/client", argv_blob, sizeof(argv_blob) - 1);
	sc(w, T0 + 1 * MS, T0 + 1 * MS + 10, 1000, SYS_connect, ARGS(3, 0x7000, 16), 0,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 11, 0, &zero), in(1, sa, 16)));
	sc(w, T0 + 2 * MS, T0 + 2 * MS + 10, 1000, SYS_write, ARGS(3, 0x7000, 4), 4,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 11, 0, &c), in(1, "GET\n", 4)));
	sc(w, T0 + 3 * MS, T0 + 3 * MS + 10, 2000, SYS_read, ARGS(4, 0x7000, 64), 4,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 22, 0, &s), out(1, "GET\n", 4)));
	sc(w, T0 + 800 * MS, T0 + 800 * MS + 10, 2000, SYS_write, ARGS(4, 0x7000, 7), 7,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 22, 0, &s), in(1, "ANSWER\n", 7)));
	sc(w, T0 + 801 * MS, T0 + 801 * MS + 10, 1000, SYS_read, ARGS(3, 0x7000, 64), 7,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 11, 0, &c), out(1, "ANSWER\n", 7)));
	sc(w, T0 + 802 * MS, T0 + 802 * MS + 10, 2000, SYS_close, ARGS(4), 0,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 22, 0, &zero)));
	sc(w, T0 + 803 * MS, T0 + 803 * MS + 10, 1000, SYS_read, ARGS(3, 0x7000, 64), 0,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 11, 0, &c)));
	sc(w, T0 + 804 * MS, T0 + 804 * MS, 1000, SYS_exit_group, ARGS(0), 0, NULL, 0);
	exit_event(w, T0 + 804 * MS + 100, 1000, 0);
	bundle_root(w, 1000, "/bin/client", argv, NULL, 0, true, 0);
	bundle_peer(w, 2000, "server");
	bundle_finish(w);

	load(&l, path, 1000);
	oi = obj_of_tuple(l.m, &c);
	ck_assert_uint_ne(oi, WM_NONE);
	o = &l.m->objs[oi];
	ck_assert_int_eq(o->kind, WM_STREAM);
	ck_assert_int_eq(wm__source(o), WM_SRC_PEER);
	ck_assert_uint_eq(o->n_peer, 1);
	ck_assert_uint_eq(o->peer[0].ns, T0 + 800 * MS + 10);
	ck_assert_uint_eq(o->peer[0].dep, 4); /* it answered the 4 bytes it read */
	ck_assert_uint_eq(o->peer[0].pid, 2000);
	ck_assert_int_eq(memcmp(o->peer[0].data, "ANSWER\n", 7), 0);
	ck_assert(o->peer_eof);
	ck_assert_uint_eq(o->peer_eof_ns, T0 + 802 * MS + 10);
	ck_assert_uint_eq(o->peer_eof_dep, 4);
	/* the client's own reads: the same bytes, then the end */
	ck_assert_uint_eq(o->n_own, 1);
	ck_assert_uint_eq(o->own[0].dep, 4);
	ck_assert(o->own_eof);
	/* the other direction: what the client sent, and when */
	ck_assert_uint_ne(o->reverse, WM_NONE);
	ck_assert_uint_eq(o->reverse, obj_of_tuple(l.m, &s));
	rv = &l.m->objs[o->reverse];
	ck_assert_uint_eq(rv->n_tree, 1);
	ck_assert_uint_eq(rv->tree[0].ns, T0 + 2 * MS + 10);
	ck_assert_uint_eq(rv->tree_len, 4);
	/* the connect, its address and the connection it made */
	ck_assert_uint_eq(l.m->n_connects, 1);
	ck_assert_uint_eq(l.m->connects[0].key_len, rp_sockaddr_key(sa, 16, key));
	ck_assert_int_eq(memcmp(l.m->connects[0].key, key, l.m->connects[0].key_len), 0);
	ck_assert_uint_eq(l.m->connects[0].obj, oi);
	ck_assert_uint_eq(o->connect_ns, T0 + 1 * MS + 10);
	unload(&l);
}
END_TEST

/* Bytes a peer wrote are not a source when the recording holds only part
 * of them (snaplen): the model does not make up the rest. */
START_TEST(test_model_truncated_not_a_source)
{
	static const char argv_blob[] = "client\0";
	static char *argv[] = {"client", NULL};
	struct fr_sock_tuple c = tcp(40001, 5001), s = tcp(5001, 40001);
	struct pl cut = in(1, "ANSW", 4);
	char path[512];
	struct loaded l;
	struct fr_writer *w = bundle_open("cut.frb", path, sizeof(path));
	const struct wm_obj *o;

	cut.full_len = 7;
	cut.flags = FR_PLF_TRUNCATED;
	exec_event(w, T0, 1000, "/bin/client", argv_blob, sizeof(argv_blob) - 1);
	sc(w, T0 + 1 * MS, T0 + 1 * MS, 1000, SYS_write, ARGS(3, 0x7000, 4), 4,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 11, 0, &c), in(1, "GET\n", 4)));
	sc(w, T0 + 2 * MS, T0 + 2 * MS, 2000, SYS_write, ARGS(4, 0x7000, 7), 7,
	   PLS(fdinfo(0, FR_FD_SOCKET, 0, 22, 0, &s), cut));
	bundle_root(w, 1000, "/bin/client", argv, NULL, 0, false, 0);
	bundle_finish(w);
	load(&l, path, 1000);
	o = &l.m->objs[obj_of_tuple(l.m, &c)];
	ck_assert_uint_eq(o->n_peer, 0);
	ck_assert_uint_eq(o->peer_len, 0);
	unload(&l);
}
END_TEST

/* A pipe the tree writes and reads itself is its own: live in a replay. */
START_TEST(test_model_pipe_in_tree)
{
	static const char argv_blob[] = "p\0";
	static char *argv[] = {"p", NULL};
	int32_t fds[2] = {3, 4};
	char path[512];
	struct loaded l;
	struct fr_writer *w = bundle_open("pipe.frb", path, sizeof(path));
	struct fr_fdinfo fi;
	const struct wm_obj *o;

	exec_event(w, T0, 1000, "/bin/p", argv_blob, sizeof(argv_blob) - 1);
	sc(w, T0 + 1 * MS, T0 + 1 * MS, 1000, SYS_pipe2, ARGS(0x7000, 0), 0, PLS(out(0, fds, 8)));
	sc(w, T0 + 2 * MS, T0 + 2 * MS, 1000, SYS_write, ARGS(4, 0x7000, 2), 2,
	   PLS(fdinfo(0, FR_FD_PIPE, 9, 77, 0, NULL), in(1, "hi", 2)));
	sc(w, T0 + 3 * MS, T0 + 3 * MS, 1000, SYS_read, ARGS(3, 0x7000, 8), 2,
	   PLS(fdinfo(0, FR_FD_PIPE, 9, 77, 0, NULL), out(1, "hi", 2)));
	bundle_root(w, 1000, "/bin/p", argv, NULL, 0, false, 0);
	bundle_finish(w);
	load(&l, path, 1000);
	memset(&fi, 0, sizeof(fi));
	fi.type = FR_FD_PIPE;
	fi.dev = 9;
	fi.ino = 77;
	ck_assert_uint_ne(wm__obj_of(l.m, &fi), WM_NONE);
	o = &l.m->objs[wm__obj_of(l.m, &fi)];
	ck_assert_int_eq(wm__source(o), WM_SRC_TREE);
	ck_assert_uint_eq(o->tree_len, 2);
	ck_assert_uint_eq(o->own_len, 2);
	unload(&l);
}
END_TEST

/* ---- the model: files, opens, clocks ----------------------------------------------------- */

START_TEST(test_model_files)
{
	static const char argv_blob[] = "f\0";
	static char *argv[] = {"f", NULL};
	uint8_t st[WM_STAT_LEN] = {0};
	uint64_t big = 100;
	char path[512];
	struct loaded l;
	struct fr_writer *w = bundle_open("files.frb", path, sizeof(path));
	const struct wm_open *ops[4];
	const struct wm_obj *f, *g;
	const uint8_t *d;
	bool eof;
	uint32_t fi, gi;

	memcpy(st + 48, &big, 8); /* st_size */
	exec_event(w, T0, 1000, "/bin/f", argv_blob, sizeof(argv_blob) - 1);
	/* relative to the process's directory ("/" in its table) */
	sc(w, T0 + 1 * MS, T0 + 1 * MS, 1000, SYS_openat, ARGS((uint64_t)-100, 0x7000, 0), 3,
	   PLS(in(1, "srv/./data.txt", 14)));
	sc(w, T0 + 2 * MS, T0 + 2 * MS, 1000, SYS_read, ARGS(3, 0x7000, 10), 10,
	   PLS(fdinfo(0, FR_FD_FILE, 5, 42, 0, NULL), out(1, "0123456789", 10)));
	sc(w, T0 + 3 * MS, T0 + 3 * MS, 1000, SYS_read, ARGS(3, 0x7000, 10), 3,
	   PLS(fdinfo(0, FR_FD_FILE, 5, 42, 10, NULL), out(1, "abc", 3)));
	sc(w, T0 + 4 * MS, T0 + 4 * MS, 1000, SYS_openat, ARGS((uint64_t)-100, 0x7000, 0), -2,
	   PLS(in(1, "/etc/missing", 12)));
	/* another process read part of a bigger file */
	sc(w, T0 + 5 * MS, T0 + 5 * MS, 2000, SYS_openat, ARGS((uint64_t)-100, 0x7000, 0), 5,
	   PLS(in(1, "/var/big", 8)));
	sc(w, T0 + 6 * MS, T0 + 6 * MS, 2000, SYS_fstat, ARGS(5, 0x7000), 0,
	   PLS(fdinfo(0, FR_FD_FILE, 5, 43, 0, NULL), out(1, st, sizeof(st))));
	sc(w, T0 + 7 * MS, T0 + 7 * MS, 2000, SYS_pread64, ARGS(5, 0x7000, 4, 60), 4,
	   PLS(fdinfo(0, FR_FD_FILE, 5, 43, 0, NULL), out(1, "WXYZ", 4)));
	/* overlapping the one before, and one further on */
	sc(w, T0 + 8 * MS, T0 + 8 * MS, 2000, SYS_pread64, ARGS(5, 0x7000, 4, 62), 4,
	   PLS(fdinfo(0, FR_FD_FILE, 5, 43, 0, NULL), out(1, "YZ12", 4)));
	sc(w, T0 + 9 * MS, T0 + 9 * MS, 2000, SYS_pread64, ARGS(5, 0x7000, 2, 80), 2,
	   PLS(fdinfo(0, FR_FD_FILE, 5, 43, 0, NULL), out(1, "!!", 2)));
	bundle_root(w, 1000, "/bin/f", argv, NULL, 0, false, 0);
	bundle_peer(w, 2000, "other");
	bundle_finish(w);
	load(&l, path, 1000);

	ck_assert_uint_eq(wm__opens(l.m, "/srv/data.txt", ops, 4), 1);
	ck_assert_int_eq(ops[0]->ret, 3);
	fi = wm__obj_of_path(l.m, "/srv/data.txt");
	ck_assert_uint_ne(fi, WM_NONE);
	f = &l.m->objs[fi];
	ck_assert_int_eq(f->kind, WM_FILE);
	ck_assert_str_eq(f->name, "/srv/data.txt");
	/* two reads, one after the other: one extent */
	ck_assert_int_eq(wm__file_bytes(f, 0, 100, &d, &eof), 13);
	ck_assert_int_eq(memcmp(d, "0123456789abc", 13), 0);
	ck_assert_int_eq(wm__file_bytes(f, 4, 3, &d, &eof), 3);
	ck_assert_int_eq(memcmp(d, "456", 3), 0);
	ck_assert_int_eq(wm__file_bytes(f, 10, 100, &d, &eof), 3);
	ck_assert_int_eq(memcmp(d, "abc", 3), 0);
	/* the short read was its end */
	ck_assert(f->size_known);
	ck_assert_uint_eq(f->size, 13);
	ck_assert_int_eq(wm__file_bytes(f, 13, 100, &d, &eof), 0);
	ck_assert(eof);

	ck_assert_uint_eq(wm__opens(l.m, "/etc/missing", ops, 4), 1);
	ck_assert_int_eq(ops[0]->ret, -2);
	ck_assert_uint_eq(wm__opens(l.m, "/etc/never", ops, 4), 0);

	gi = wm__obj_of_path(l.m, "/var/big");
	ck_assert_uint_ne(gi, WM_NONE);
	g = &l.m->objs[gi];
	ck_assert(g->size_known);
	ck_assert_uint_eq(g->size, 100);
	ck_assert_ptr_nonnull(g->stat);
	ck_assert_int_eq(wm__file_bytes(g, 60, 10, &d, &eof), 6);
	ck_assert_int_eq(memcmp(d, "WXYZ12", 6), 0);
	ck_assert_int_eq(wm__file_bytes(g, 63, 10, &d, &eof), 3);
	ck_assert_int_eq(memcmp(d, "Z12", 3), 0);
	ck_assert_int_eq(wm__file_bytes(g, 80, 10, &d, &eof), 2);
	/* bytes nobody read are not known: never made up */
	ck_assert_int_eq(wm__file_bytes(g, 0, 10, &d, &eof), -ENODATA);
	ck_assert_int_eq(wm__file_bytes(g, 66, 10, &d, &eof), -ENODATA);
	ck_assert_int_eq(wm__file_bytes(g, 79, 10, &d, &eof), -ENODATA);
	ck_assert_int_eq(wm__file_bytes(g, 82, 10, &d, &eof), -ENODATA);
	ck_assert(!eof);
	unload(&l);
}
END_TEST

START_TEST(test_model_clocks)
{
	static const char argv_blob[] = "c\0";
	static char *argv[] = {"c", NULL};
	int64_t ts[2] = {1795000000, 500}, off;
	char path[512];
	struct loaded l;
	struct fr_writer *w = bundle_open("clk.frb", path, sizeof(path));

	exec_event(w, T0, 1000, "/bin/c", argv_blob, sizeof(argv_blob) - 1);
	sc(w, T0 + 1 * MS, T0 + 2 * MS, 1000, SYS_clock_gettime, ARGS(0, 0x7000), 0,
	   PLS(out(1, ts, 16)));
	bundle_root(w, 1000, "/bin/c", argv, NULL, 0, false, 0);
	bundle_finish(w);
	load(&l, path, 1000);
	ck_assert(wm__clock_offset(l.m, 0, T0 + 10 * MS, &off));
	ck_assert_int_eq(off, 1795000000LL * 1000000000 + 500 - (int64_t)(T0 + 2 * MS));
	/* never read: the bundle's clock for monotonic, nothing for CPU time */
	ck_assert(wm__clock_offset(l.m, 1, T0, &off));
	ck_assert_int_eq(off, 0);
	ck_assert(!wm__clock_offset(l.m, 2 /* CLOCK_PROCESS_CPUTIME_ID */, T0, &off));
	unload(&l);
}
END_TEST

/* ---- helpers, table-driven --------------------------------------------------------------------
 */

START_TEST(test_path_join)
{
	static const struct {
		const char *cwd, *path, *want;
	} cases[] = {
	    {"/a/b", "c", "/a/b/c"},	{"/a/b", "../c", "/a/c"}, {"/a/b", "/x/./y//z/", "/x/y/z"},
	    {NULL, "/x/../../y", "/y"}, {"/", "..", "/"},	  {"/a", "./b/../c", "/a/c"},
	    {"/a/", "b", "/a/b"},	{NULL, "/", "/"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = wm_path_join(cases[i].cwd, cases[i].path);

		ck_assert_ptr_nonnull(got);
		ck_assert_msg(!strcmp(got, cases[i].want), "join(%s, %s) = %s, want %s",
			      cases[i].cwd ? cases[i].cwd : "NULL", cases[i].path, got,
			      cases[i].want);
		free(got);
	}
}
END_TEST

START_TEST(test_sockaddr_key)
{
	uint8_t a[16] = {2, 0, 0x13, 0x88, 127, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8};
	uint8_t b[16] = {2, 0, 0x13, 0x88, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
	uint8_t c[16] = {2, 0, 0x13, 0x89, 127, 0, 0, 1};
	uint8_t u[20] = {1, 0, '/', 't', 'm', 'p', '/', 's', 0, 'x', 'y'};
	/* AF_NETLINK, pids 1 and 2: another family is its bytes */
	uint8_t n1[12] = {16, 0, 0, 0, 1}, n2[12] = {16, 0, 0, 0, 2};
	uint8_t ka[RP_SOCKADDR_KEY_MAX], kb[RP_SOCKADDR_KEY_MAX], kc[RP_SOCKADDR_KEY_MAX];
	uint8_t ku[RP_SOCKADDR_KEY_MAX];
	size_t na = rp_sockaddr_key(a, 16, ka), nb = rp_sockaddr_key(b, 16, kb);
	size_t nc = rp_sockaddr_key(c, 16, kc), nu = rp_sockaddr_key(u, 20, ku);

	/* padding the program never set does not tell addresses apart */
	ck_assert_uint_eq(na, 8);
	ck_assert(na == nb && !memcmp(ka, kb, na));
	/* the port does */
	ck_assert(na == nc && memcmp(ka, kc, na));
	/* a unix path up to its NUL */
	ck_assert_uint_eq(nu, 8);
	ck_assert_int_eq(memcmp(ku + 2, "/tmp/s", 6), 0);
	/* too short to hold a family; a cut address is compared as its bytes */
	ck_assert_uint_eq(rp_sockaddr_key(a, 1, ka), 0);
	ck_assert_uint_eq(rp_sockaddr_key(a, 4, ka), 4);
	ck_assert(rp_sockaddr_key(n1, 12, ka) == 12 && rp_sockaddr_key(n2, 12, kb) == 12);
	ck_assert(memcmp(ka, kb, 12));
}
END_TEST

/* ---- what-if replays under ptrace ------------------------------------------------------------ */

/*
 * wi_raw_wait's recording: it waited 750 ms for its stdin (a pipe from a
 * peer in the bundle) and timed out; the peer wrote at +800 ms.  With
 * `answer`, the peer's write is recorded; with `argv_timeout`, the
 * recorded argument.
 */
static void wait_bundle(char *path, size_t cap, const char *name, bool answer)
{
	static char argv_blob[4096];
	char exe[4096];
	char *argv[3];
	struct fr_fd fds[3];
	struct fr_writer *w = bundle_open(name, path, cap);
	int n;

	snprintf(exe, sizeof(exe), "%s/wi_raw_wait", progs);
	ck_assert_msg(access(exe, X_OK) == 0, "%s is not built (make %s)", exe, exe);
	n = snprintf(argv_blob, sizeof(argv_blob), "wi_raw_wait%c750%c", 0, 0);
	argv[0] = "wi_raw_wait";
	argv[1] = "750";
	argv[2] = NULL;
	memset(fds, 0, sizeof(fds));
	fds[0] = (struct fr_fd){.fd = 0, .type = FR_FD_PIPE, .ino = 77};
	fds[1] = (struct fr_fd){.fd = 1, .type = FR_FD_PIPE, .ino = 78, .flags = 1};
	fds[2] = (struct fr_fd){.fd = 2, .type = FR_FD_PIPE, .ino = 79, .flags = 1};
	exec_event(w, T0, 1000, exe, argv_blob, (size_t)n);
	sc(w, T0 + 1 * MS, T0 + 751 * MS, 1000, 7 /* poll */, ARGS(0x7000, 1, 750), 0,
	   PLS(in(0, "\0\0\0\0\1\0\0\0", 8), out(0, "\0\0\0\0\1\0\0\0", 8)));
	sc(w, T0 + 752 * MS, T0 + 752 * MS + 100, 1000, SYS_write, ARGS(1, 0x7000, 8), 8,
	   PLS(fdinfo(0, FR_FD_PIPE, 9, 78, 0, NULL), in(1, "timeout\n", 8)));
	sc(w, T0 + 753 * MS, T0 + 753 * MS, 1000, SYS_exit_group, ARGS(1), 0, NULL, 0);
	exit_event(w, T0 + 753 * MS + 100, 1000, 1);
	if (answer)
		sc(w, T0 + 799 * MS, T0 + 800 * MS, 2000, SYS_write, ARGS(1, 0x7000, 12), 12,
		   PLS(fdinfo(0, FR_FD_PIPE, 9, 77, 0, NULL), in(1, "late answer\n", 12)));
	bundle_root(w, 1000, exe, argv, fds, 3, true, 1);
	bundle_peer(w, 2000, "writer");
	bundle_finish(w);
}

struct run {
	struct fr_replay *rp;
	const struct fr_replay_result *res;
	char *out;
};

static char *slurp(int fd)
{
	off_t n = lseek(fd, 0, SEEK_END);
	char *s = calloc(1, (size_t)n + 1);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(pread(fd, s, (size_t)n, 0), n);
	return s;
}

static void run_whatif(struct run *r, const char *bundle, bool what_if, const char *timeout)
{
	struct fr_replay_set_arg sa = {1, timeout};
	struct fr_replay_opts o = {0};
	char err[1024];
	int ofd = memfd_create("out", MFD_CLOEXEC);

	ck_assert_int_ge(ofd, 0);
	o.mirror_stdout_fd = ofd;
	o.mirror_stderr_fd = -1;
	o.what_if = what_if;
	o.set_args = timeout ? &sa : NULL;
	o.n_set_args = timeout ? 1 : 0;
	o.verbose = getenv("REPLAY_VERBOSE") != NULL;
	if (fr_replay__open(bundle, &o, &r->rp, err, sizeof(err)))
		ck_abort_msg("open: %s", err);
	if (fr_replay__run(r->rp))
		ck_abort_msg("run: %s", fr_replay__strerror(r->rp));
	r->res = fr_replay__result(r->rp);
	r->out = slurp(ofd);
	close(ofd);
	if (o.verbose)
		fr_replay_result__print(stderr, r->res);
}

static void run_free(struct run *r)
{
	fr_replay__free(r->rp);
	free(r->out);
}

static const struct wi_event *event_of(const struct fr_whatif_report *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->n_events; i++)
		if (!strcmp(fr_syscall_name(w->events[i].nr) ? fr_syscall_name(w->events[i].nr)
							     : "",
			    name))
			return &w->events[i];
	return NULL;
}

/* Strict replay of the recording: identical. */
START_TEST(test_strict_unchanged)
{
	char path[512];
	struct run r;

	wait_bundle(path, sizeof(path), "wait.frb", true);
	run_whatif(&r, path, false, NULL);
	ck_assert(r.res->completed);
	ck_assert_ptr_null(r.res->whatif);
	ck_assert_str_eq(r.out, "timeout\n");
	run_free(&r);
	/* what-if replay that changes nothing: the recording, to its end */
	run_whatif(&r, path, true, NULL);
	ck_assert(r.res->completed);
	ck_assert_ptr_nonnull(r.res->whatif);
	ck_assert(!r.res->whatif->switched);
	ck_assert_ptr_nonnull(strstr(r.res->whatif->summary, "follows the recording to its end"));
	ck_assert_str_eq(r.out, "timeout\n");
	run_free(&r);
}
END_TEST

/* With a 1500 ms timeout, the peer's answer recorded at +800 ms arrives
 * within it: read, shown, exit 0 instead of 1. */
START_TEST(test_answer_in_time)
{
	char path[512];
	const struct fr_whatif_report *w;
	const struct wi_event *e;
	struct run r;

	wait_bundle(path, sizeof(path), "wait.frb", true);
	run_whatif(&r, path, true, "1500");
	ck_assert(!r.res->completed);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "arguments");
	w = r.res->whatif;
	ck_assert_ptr_nonnull(w);
	ck_assert(w->switched);
	ck_assert_str_eq(r.out, "got: late answer\n");
	ck_assert(w->ended);
	ck_assert_int_eq(WEXITSTATUS(w->status), 0);
	ck_assert(w->recorded_ended);
	ck_assert_int_eq(WEXITSTATUS(w->recorded_status), 1);
	e = event_of(w, "poll");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->how, WI_HOW_MODEL);
	/* answered when the peer's write was there: +800 ms (virtual) */
	ck_assert_msg(e->vt_ns >= 800 * MS && e->vt_ns < 805 * MS, "poll at %llu ns",
		      (unsigned long long)e->vt_ns);
	ck_assert_msg(e->enter_ns < 2 * MS, "poll made at %llu ns",
		      (unsigned long long)e->enter_ns);
	e = event_of(w, "read");
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(strstr(e->call, "late answer"));
	ck_assert_ptr_nonnull(strstr(e->detail, "recorded from writer (pid 2000) at +800.0 ms"));
	e = event_of(w, "write");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->how, WI_HOW_OUTPUT);
	ck_assert_uint_eq(w->unanswered, 0);
	ck_assert_ptr_nonnull(
	    strstr(w->summary, "the poll time limit is 1500 ms (recorded 750 ms)"));
	ck_assert_ptr_nonnull(strstr(w->summary, "arrives in time"));
	ck_assert_ptr_nonnull(strstr(w->summary, "exit 0 instead of 1"));
	run_free(&r);
}
END_TEST

/* With 780 ms, the answer is still late: a timeout at +781 ms, as
 * recorded (later). */
START_TEST(test_answer_too_late)
{
	char path[512];
	const struct fr_whatif_report *w;
	const struct wi_event *e;
	struct run r;

	wait_bundle(path, sizeof(path), "wait.frb", true);
	run_whatif(&r, path, true, "780");
	w = r.res->whatif;
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(r.out, "timeout\n");
	ck_assert_int_eq(WEXITSTATUS(w->status), 1);
	e = event_of(w, "poll");
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(e->vt_ns >= 781 * MS && e->vt_ns < 786 * MS, "poll at %llu ns",
		      (unsigned long long)e->vt_ns);
	ck_assert_ptr_nonnull(strstr(e->call, "= 0 (Timeout)"));
	ck_assert_ptr_nonnull(strstr(w->summary, "is due at +800.0 ms, after the time limit"));
	ck_assert_ptr_nonnull(strstr(w->summary, "exit 1, as recorded"));
	run_free(&r);
}
END_TEST

/* Waiting for ever for what the recording does not have: the replay ends
 * and says so, instead of hanging. */
START_TEST(test_waits_for_ever)
{
	char path[512];
	const struct fr_whatif_report *w;
	struct run r;

	wait_bundle(path, sizeof(path), "noanswer.frb", false);
	run_whatif(&r, path, true, "-1");
	w = r.res->whatif;
	ck_assert_ptr_nonnull(w);
	ck_assert(w->switched);
	ck_assert(!w->ended);
	ck_assert_ptr_nonnull(w->stuck);
	ck_assert_ptr_nonnull(strstr(w->stuck, "waits in poll("));
	ck_assert_ptr_nonnull(strstr(w->summary, "it then waits for ever"));
	ck_assert_str_eq(r.out, "");
	run_free(&r);

	/* with a time limit, the virtual clock runs to it: 2 s pass at once */
	wait_bundle(path, sizeof(path), "noanswer.frb", false);
	run_whatif(&r, path, true, "2000");
	w = r.res->whatif;
	ck_assert_str_eq(r.out, "timeout\n");
	ck_assert(w->ended);
	ck_assert(event_of(w, "poll")->vt_ns >= 2001 * MS);
	ck_assert_msg(r.res->elapsed_s < 1.5, "took %.3f s", r.res->elapsed_s);
	run_free(&r);
}
END_TEST

/* The JSON form carries the same. */
START_TEST(test_json)
{
	char path[512];
	struct run r;
	json_t *j, *w, *ev;
	size_t i;
	bool saw_read = false;

	wait_bundle(path, sizeof(path), "wait.frb", true);
	run_whatif(&r, path, true, "1500");
	j = fr_replay_result__json(r.res);
	ck_assert_ptr_nonnull(j);
	w = json_object_get(j, "what_if");
	ck_assert_ptr_nonnull(w);
	ck_assert(json_is_true(json_object_get(w, "switched")));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(w, "changes"), 0)),
			 "argv[1] \"1500\" (recorded \"750\")");
	ck_assert_int_eq(
	    json_integer_value(json_object_get(json_object_get(w, "outcome"), "replayed_exit")), 0);
	ck_assert_int_eq(
	    json_integer_value(json_object_get(json_object_get(w, "outcome"), "recorded_exit")), 1);
	ev = json_object_get(w, "events");
	for (i = 0; i < json_array_size(ev); i++) {
		json_t *e = json_array_get(ev, i);

		if (!strcmp(json_string_value(json_object_get(e, "syscall")), "read")) {
			saw_read = true;
			ck_assert_str_eq(json_string_value(json_object_get(e, "how")), "model");
		}
	}
	ck_assert(saw_read);
	ck_assert(json_is_string(json_object_get(w, "summary")));
	json_decref(j);
	run_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("whatif");
	TCase *tm = tcase_create("model");
	TCase *tr = tcase_create("replay");

	tcase_add_checked_fixture(tm, setup, teardown);
	tcase_add_test(tm, test_model_tcp_peer);
	tcase_add_test(tm, test_model_truncated_not_a_source);
	tcase_add_test(tm, test_model_pipe_in_tree);
	tcase_add_test(tm, test_model_files);
	tcase_add_test(tm, test_model_clocks);
	tcase_add_test(tm, test_path_join);
	tcase_add_test(tm, test_sockaddr_key);
	suite_add_tcase(s, tm);
	tcase_add_checked_fixture(tr, setup, teardown);
	tcase_set_timeout(tr, 60);
	tcase_add_test(tr, test_strict_unchanged);
	tcase_add_test(tr, test_answer_in_time);
	tcase_add_test(tr, test_answer_too_late);
	tcase_add_test(tr, test_waits_for_ever);
	tcase_add_test(tr, test_json);
	suite_add_tcase(s, tr);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
