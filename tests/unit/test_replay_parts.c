// SPDX-License-Identifier: MIT
/*
 * test_replay_parts.c: the parts of replay that need no tracee: --inject
 * parsing and matching, the descriptor table, comparing a call with its
 * recording, loading a recording's streams, reading ELF build-ids.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "replay/elfnote.h"
#include "replay/fdtable.h"
#include "replay/inject.h"
#include "replay/recording.h"
#include "replay/syscall_io.h"
#include "test_replay_lib.h"

/* ---- --inject ------------------------------------------------------------------ */

static const struct {
	const char *spec;
	bool ok;
	const char *covers;	/* a syscall in the set */
	const char *not_covers; /* one that is not */
	int error;
	int64_t retval;
	uint64_t delay_enter, delay_exit;
	const char *err_part; /* in the error message */
} inject_cases[] = {
    {"connect:error=ECONNREFUSED", true, "connect", "read", ECONNREFUSED, 0, 0, 0, NULL},
    {"read:delay_enter=500ms:when=2", true, "read", "write", 0, 0, 500000000, 0, NULL},
    {"read,write:retval=0", true, "write", "openat", 0, 0, 0, 0, NULL},
    {"openat:error=2", true, "openat", "open", ENOENT, 0, 0, 0, NULL},
    {"read:delay_exit=100", true, "read", NULL, 0, 0, 0, 100000, NULL}, /* bare: us */
    {"%net:error=ENETDOWN", true, "connect", "read", ENETDOWN, 0, 0, 0, NULL},
    {"%file:error=EACCES", true, "openat", "read", EACCES, 0, 0, 0, NULL},
    {"!read:error=EIO", true, "write", "read", EIO, 0, 0, 0, NULL},
    {"/^clock_:error=EINVAL", true, "clock_gettime", "time", EINVAL, 0, 0, 0, NULL},
    {"read", false, NULL, NULL, 0, 0, 0, 0, "nothing to inject"},
    {"read:error=ENOPE", false, NULL, NULL, 0, 0, 0, 0, "unknown error"},
    {"nosuchcall:error=EIO", false, NULL, NULL, 0, 0, 0, 0, "unknown system call"},
    {"read:error=EIO:retval=1", false, NULL, NULL, 0, 0, 0, 0, "exclude"},
    {"read:delay_enter=soon", false, NULL, NULL, 0, 0, 0, 0, "bad delay"},
    {"read:error=EIO:when=0", false, NULL, NULL, 0, 0, 0, 0, "when="},
    {"read:error=EIO:when=3..2", false, NULL, NULL, 0, 0, 0, 0, "when="},
    {"read:poke_enter=@arg1=00", false, NULL, NULL, 0, 0, 0, 0, "not supported"},
    {"%nosuchclass:error=EIO", false, NULL, NULL, 0, 0, 0, 0, "class"},
};

START_TEST(test_inject_parse)
{
	struct rp_inject in;
	char err[256];
	int rc;

	err[0] = 0;
	rc = rp_inject_parse(inject_cases[_i].spec, &in, err, sizeof(err));
	ck_assert_msg((rc == 0) == inject_cases[_i].ok, "%s: rc %d (%s)", inject_cases[_i].spec, rc,
		      err);
	if (!inject_cases[_i].ok) {
		ck_assert_ptr_nonnull(strstr(err, inject_cases[_i].err_part));
		return;
	}
	ck_assert(rp_inject_covers(&in, fr_syscall_by_name(inject_cases[_i].covers)->nr));
	if (inject_cases[_i].not_covers)
		ck_assert(
		    !rp_inject_covers(&in, fr_syscall_by_name(inject_cases[_i].not_covers)->nr));
	ck_assert_int_eq(in.has_error ? in.error : 0, inject_cases[_i].error);
	ck_assert_int_eq(in.retval, inject_cases[_i].retval);
	ck_assert_uint_eq(in.delay_enter_ns, inject_cases[_i].delay_enter);
	ck_assert_uint_eq(in.delay_exit_ns, inject_cases[_i].delay_exit);
}
END_TEST

static const struct {
	const char *when;
	const char *fires; /* invocations 1..12 that fire, as 0/1 */
} when_cases[] = {
    {NULL, "111111111111"}, /* no when=: every invocation */
    {"2", "010000000000"},    {"3+", "001111111111"},	  {"2+3", "010010010010"},
    {"2..4", "011100000000"}, {"2..9+3", "010010010000"}, {"1..3+", "111000000000"},
};

START_TEST(test_inject_when)
{
	char spec[64], err[128];
	struct rp_inject in;
	uint32_t n;

	if (when_cases[_i].when)
		snprintf(spec, sizeof(spec), "read:error=EIO:when=%s", when_cases[_i].when);
	else
		snprintf(spec, sizeof(spec), "read:error=EIO");
	ck_assert_int_eq(rp_inject_parse(spec, &in, err, sizeof(err)), 0);
	for (n = 1; n <= 12; n++)
		ck_assert_msg(rp_inject_when(&in, n) == (when_cases[_i].fires[n - 1] == '1'),
			      "%s: invocation %u", spec, n);
}
END_TEST

/* ---- descriptor table ------------------------------------------------------------ */

START_TEST(test_fdtable)
{
	struct rp_fdtable *t = rp_fdtable__new(), *c;
	struct rp_fd *f;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(rp_fdtable__open(t, 1, RP_FD_STDOUT, NULL, false), 0);
	ck_assert_int_eq(rp_fdtable__open(t, 3, RP_FD_FILE, "/etc/x", true), 0);
	ck_assert_int_eq(rp_fdtable__set_real(t, 3, "/etc/x", true), 0);
	ck_assert_int_eq(rp_fdtable__dup(t, 1, 7, false), 0);
	f = rp_fdtable__get(t, 7);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, RP_FD_STDOUT);
	ck_assert_int_eq(rp_fdtable__dup(t, 5, 6, false), -EBADF);
	ck_assert_int_eq(rp_fdtable__open(t, -1, RP_FD_FILE, NULL, false), -EBADF);
	ck_assert_int_eq(rp_fdtable__open(t, 1 << 21, RP_FD_FILE, NULL, false), -EBADF);
	c = rp_fdtable__copy(t);
	ck_assert_ptr_nonnull(c);
	rp_fdtable__close(t, 7);
	ck_assert(!rp_fdtable__is_open(t, 7));
	ck_assert(rp_fdtable__is_open(c, 7)); /* the copy is independent */
	/* exec: close-on-exec entries go, on both sides */
	rp_fdtable__exec(t);
	ck_assert(!rp_fdtable__is_open(t, 3));
	ck_assert(rp_fdtable__is_open(t, 1));
	ck_assert_ptr_null(t->fds[3].real_path);
	ck_assert_str_eq(c->fds[3].path, "/etc/x");
	rp_fdtable__put(t);
	rp_fdtable__put(c);
}
END_TEST

/* ---- comparing calls ---------------------------------------------------------------- */

static void live_init(struct rp_live *lc, unsigned nr, const uint64_t args[6])
{
	memset(lc, 0, sizeof(*lc));
	lc->sc.nr = nr;
	memcpy(lc->sc.args, args, 6 * sizeof(uint64_t));
}

static void add_pl(struct fr_payload *p, uint32_t *n, int kind, unsigned arg, unsigned part,
		   const void *data, uint32_t len, uint32_t full)
{
	struct fr_payload *x = &p[(*n)++];

	memset(x, 0, sizeof(*x));
	x->kind = (uint8_t)kind;
	x->arg = (uint8_t)arg;
	x->part = (uint8_t)part;
	x->data = data;
	x->len = len;
	x->full_len = full;
	if (len < full)
		x->flags = FR_PLF_TRUNCATED;
}

START_TEST(test_compare_calls)
{
	struct fr_payload rp[4], lp[4];
	struct rp_call rc;
	struct rp_live lc;
	struct rp_mismatch_info mi;
	uint64_t wargs[6] = {1, 0x1000, 6, 0, 0, 0};
	uint64_t wargs2[6] = {1, 0x2000, 6, 0, 0, 0};		     /* pointer differs: fine */
	uint64_t wargs3[6] = {2, 0x1000, 6, 0, 0, 0};		     /* fd differs */
	uint64_t wargs4[6] = {1 | (7ull << 32), 0x1000, 6, 0, 0, 0}; /* upper half of an fd */
	uint64_t margs[6] = {0x7f0000000000, 4096, 3, 0x22, (uint64_t)-1, 0};
	uint64_t margs2[6] = {0x7f0000009000, 4096, 3, 0x22, (uint64_t)-1, 0};
	uint64_t margs3[6] = {0x7f0000000000, 8192, 3, 0x22, (uint64_t)-1, 0};

	memset(&rc, 0, sizeof(rc));
	rc.sc.nr = SYS_write;
	memcpy(rc.sc.args, wargs, sizeof(wargs));
	rc.payloads = rp;
	add_pl(rp, &rc.n_payloads, FR_PL_IN, 1, 0, "hello\n", 6, 6);

	live_init(&lc, SYS_write, wargs2);
	add_pl(lp, &lc.n_payloads, FR_PL_IN, 1, 0, "hello\n", 6, 6);
	memcpy(lc.payloads, lp, sizeof(lp[0]));
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MATCH);

	live_init(&lc, SYS_write, wargs4);
	lc.n_payloads = 0;
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, "hello\n", 6, 6);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MATCH);

	live_init(&lc, SYS_write, wargs3);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, "hello\n", 6, 6);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_ARG);
	ck_assert_int_eq(mi.arg, 0);

	live_init(&lc, SYS_write, wargs);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, "hellO\n", 6, 6);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_DATA);
	ck_assert_uint_eq(mi.offset, 4);

	live_init(&lc, SYS_read, wargs);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_NR);

	/* A recording that holds a prefix (snaplen) compares on the prefix. */
	rc.n_payloads = 0;
	add_pl(rp, &rc.n_payloads, FR_PL_IN, 1, 0, "hel", 3, 6);
	live_init(&lc, SYS_write, wargs);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, "hello\n", 6, 6);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MATCH);

	/* mmap: the address hint is not compared, the length is. */
	memset(&rc, 0, sizeof(rc));
	rc.sc.nr = SYS_mmap;
	memcpy(rc.sc.args, margs, sizeof(margs));
	live_init(&lc, SYS_mmap, margs2);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MATCH);
	live_init(&lc, SYS_mmap, margs3);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_ARG);
	ck_assert_int_eq(mi.arg, 1);
}
END_TEST

START_TEST(test_compare_paths_and_sockaddrs)
{
	struct fr_payload rp[2];
	struct rp_call rc;
	struct rp_live lc;
	struct rp_mismatch_info mi;
	uint64_t oargs[6] = {(uint64_t)-100, 0x1000, 0, 0, 0, 0};
	uint64_t cargs[6] = {3, 0x1000, 16, 0, 0, 0};
	/* sockaddr_in 127.0.0.1:8080, with garbage in sin_zero on one side */
	uint8_t sa1[16] = {2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
	uint8_t sa2[16] = {2, 0, 0x1f, 0x90, 127, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9};
	uint8_t sa3[16] = {2, 0, 0x1f, 0x91, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};

	memset(&rc, 0, sizeof(rc));
	rc.sc.nr = SYS_openat;
	memcpy(rc.sc.args, oargs, sizeof(oargs));
	rc.payloads = rp;
	/* with and without the terminating NUL: the same path */
	add_pl(rp, &rc.n_payloads, FR_PL_IN, 1, 0, "/etc/hosts\0", 11, 11);
	live_init(&lc, SYS_openat, oargs);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, "/etc/hosts", 10, 10);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MATCH);
	live_init(&lc, SYS_openat, oargs);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, "/etc/hostS", 10, 10);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_DATA);

	memset(&rc, 0, sizeof(rc));
	rc.sc.nr = SYS_connect;
	memcpy(rc.sc.args, cargs, sizeof(cargs));
	rc.payloads = rp;
	add_pl(rp, &rc.n_payloads, FR_PL_IN, 1, 0, sa1, 16, 16);
	live_init(&lc, SYS_connect, cargs);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, sa2, 16, 16);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MATCH);
	live_init(&lc, SYS_connect, cargs);
	add_pl(lc.payloads, &lc.n_payloads, FR_PL_IN, 1, 0, sa3, 16, 16);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_DATA);
	/* NULL where the recording had an address */
	cargs[1] = 0;
	live_init(&lc, SYS_connect, cargs);
	ck_assert_int_eq(rp_compare_call(&lc, &rc, &mi), RP_MISMATCH_ARG);
}
END_TEST

/* ---- loading a recording -------------------------------------------------------------- */

START_TEST(test_recording_streams)
{
	char dir[] = "/tmp/frtest-rec.XXXXXX", path[256], err[512];
	char *argv[] = {"prog", "x", NULL};
	struct fr_reader *r;
	struct rp_recording *rec;
	const struct rp_rthread *t0, *t1;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec.frb", dir);
	ck_assert_msg(rb_build(path, "/bin/prog", argv,
			       "read(0, >\"abc\", 16) = 3\n"
			       "futex(&, 129, 1, NULL, NULL, 0) = 0\n"
			       "clone(0x350f00, &, &, &, 0) = 1001\n"
			       "[1001] write(1, \"t\", 1) = 1\n"
			       "[1001] +signal 10 -6\n"
			       "[1001] exit(0) = ?\n"
			       "exit_group(3) = ?\n",
			       err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_int_eq(fr_reader__open(path, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(rp_recording__load(r, 0, &rec, err, sizeof(err)), 0);
	ck_assert_uint_eq(rec->n_threads, 2);
	ck_assert_uint_eq(rec->n_calls, 5); /* the futex is not an ordered call */
	t0 = &rec->threads[0];
	t1 = &rec->threads[1];
	ck_assert_uint_eq(t0->tid, 1000);
	ck_assert_uint_eq(t0->unordered, 1);
	ck_assert_uint_eq(t0->n_calls, 3);
	ck_assert_uint_eq(t0->n_children, 1);
	ck_assert_uint_eq(t0->children[0], 1);
	ck_assert_uint_eq(t1->tid, 1001);
	ck_assert_uint_eq(t1->parent_tid, 1000);
	ck_assert_uint_eq(t1->n_items, 3);
	ck_assert_int_eq(t1->items[1].kind, RP_ITEM_SIGNAL);
	ck_assert_int_eq(t1->items[1].sig, 10);
	ck_assert_int_eq(t1->items[1].code, -6);
	ck_assert(t1->start_ns > rec->calls[t0->items[1].call].sc.enter_ns);
	ck_assert(rec->root_exited);
	ck_assert_int_eq(rec->root_exit_status, 3 << 8);
	ck_assert_str_eq(rec->start.exec_path, "/bin/prog");
	ck_assert_str_eq(rec->start.argv[1], "x");
	ck_assert_ptr_null(rec->start.argv[2]);
	ck_assert_uint_eq(rec->start.n_fds, 3);
	ck_assert(rec->calls[0].index == 0 && rec->calls[1].index == 1);
	ck_assert(rp_recording__thread(rec, 1001) == t1);
	ck_assert_ptr_null(rp_recording__thread(rec, 4242));
	rp_recording__free(rec);
	/* --pid of a process that was not recorded from its exec */
	ck_assert_int_eq(rp_recording__load(r, 777, &rec, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "not recorded from its start"));
	fr_reader__free(r);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Random event sequences (forks of unknown parents, execs renaming threads,
 * exits, signals, syscalls with arbitrary numbers, flags and payloads):
 * loading them must never crash, and whatever loads must hold together. */
START_TEST(test_recording_hostile)
{
	char dir[] = "/tmp/frtest-hostile.XXXXXX", path[256], err[512];
	static uint8_t junk[512];
	unsigned seed = 12345, round;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h.frb", dir);
	for (round = 0; round < 60; round++) {
		struct fr_writer_opts wo = { .mtime = 1795000000, .chunk_bytes = 4096 };
		struct fr_writer *w;
		struct fr_reader *r;
		struct rp_recording *rec;
		struct fr_process p;
		uint64_t t = 1000;
		unsigned i, n = 20 + rand_r(&seed) % 300;

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)rand_r(&seed);
		ck_assert_int_eq(fr_writer__open(path, &wo, &w, err, sizeof(err)), 0);
		for (i = 0; i < n; i++) {
			static const unsigned types[] = { FR_EV_SYSCALL, FR_EV_PROC_FORK, FR_EV_PROC_EXEC,
							  FR_EV_PROC_EXIT, FR_EV_SIGNAL_DELIVER,
							  FR_EV_LOST };
			struct fr_event ev;
			unsigned k;

			memset(&ev, 0, sizeof(ev));
			ev.type = (uint16_t)types[rand_r(&seed) % FR_ARRAY_SIZE(types)];
			ev.ts_ns = t += rand_r(&seed) % 1000;
			ev.pid = 100 + rand_r(&seed) % 4;
			ev.tid = ev.pid + rand_r(&seed) % 3;
			if (i == 0) {
				ev.type = FR_EV_PROC_EXEC;
				ev.pid = ev.tid = 100;
			}
			for (k = 0; k < sizeof(ev.u.raw); k++)
				ev.u.raw[k] = (uint8_t)rand_r(&seed);
			if (ev.type == FR_EV_SYSCALL) {
				ev.u.sc.nr %= 600;
				ev.u.sc.enter_ns = ev.ts_ns - rand_r(&seed) % 3000;
			}
			if (ev.type == FR_EV_PROC_FORK) {
				ev.u.fork.child_pid = 100 + rand_r(&seed) % 8;
				ev.u.fork.child_tid = ev.u.fork.child_pid + rand_r(&seed) % 3;
			}
			if (ev.type == FR_EV_PROC_EXEC)
				ev.u.exec.old_tid = ev.tid + rand_r(&seed) % 2;
			ev.n_payloads = rand_r(&seed) % 4;
			for (k = 0; k < ev.n_payloads; k++) {
				uint32_t off = rand_r(&seed) % 256, len = rand_r(&seed) % 256;

				ev.payloads[k].kind = (uint8_t)(1 + rand_r(&seed) % 6);
				ev.payloads[k].arg = (uint8_t)(rand_r(&seed) % 7);
				ev.payloads[k].part = (uint8_t)(rand_r(&seed) % 4);
				ev.payloads[k].len = len;
				ev.payloads[k].full_len = len + rand_r(&seed) % 2;
				ev.payloads[k].flags = ev.payloads[k].full_len > len ? FR_PLF_TRUNCATED : 0;
				ev.payloads[k].data = junk + off;
			}
			ck_assert_int_eq(fr_writer__add_event(w, &ev), 0);
		}
		memset(&p, 0, sizeof(p));
		p.pid = 100;
		p.flags = FR_PROC_ROOT;
		ck_assert_int_eq(fr_writer__add_process(w, &p), 0);
		ck_assert_int_eq(fr_writer__finish(w), 0);
		fr_writer__free(w);
		ck_assert_int_eq(fr_reader__open(path, &r, err, sizeof(err)), 0);
		if (rp_recording__load(r, 0, &rec, err, sizeof(err)) == 0) {
			uint32_t ti, j;

			ck_assert_uint_ge(rec->n_threads, 1);
			ck_assert_ptr_nonnull(rec->start.argv);
			ck_assert_ptr_nonnull(rec->start.env);
			for (ti = 0; ti < rec->n_threads; ti++) {
				const struct rp_rthread *th = &rec->threads[ti];
				uint64_t last = 0;

				for (j = 0; j < th->n_items; j++) {
					const struct rp_call *c;

					if (th->items[j].kind != RP_ITEM_CALL)
						continue;
					ck_assert_uint_lt(th->items[j].call, rec->n_calls);
					c = &rec->calls[th->items[j].call];
					/* a thread's calls never go back in time */
					ck_assert_uint_ge(c->sc.enter_ns, last);
					ck_assert_uint_ge(c->exit_ns, c->sc.enter_ns);
					last = c->exit_ns;
				}
				for (j = 0; j < th->n_children; j++)
					ck_assert_uint_lt(th->children[j], rec->n_threads);
			}
			rp_recording__free(rec);
		}
		fr_reader__free(r);
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

/* ---- ELF build-ids -------------------------------------------------------------------- */

START_TEST(test_elf_build_id)
{
	char hex[130], path[256];
	const char *p = getenv("PROGS");
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/rp_raw_basic", p && *p ? p : "build/progs");
	char want[130];

	rc = rp_elf_build_id(path, want, sizeof(want));
	ck_assert_msg(rc == 0, "%s: %d", path, rc);
	ck_assert_uint_eq(strlen(want), 40);
	ck_assert_int_eq(rp_elf_build_id(path, hex, 8), -ENOSPC);
	ck_assert_int_eq(rp_elf_build_id("/nonexistent", hex, sizeof(hex)), -ENOENT);
	/* not ELF */
	snprintf(path, sizeof(path), "/tmp/frtest-notelf.%d", getpid());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\necho not elf\n", f);
	fclose(f);
	ck_assert_int_eq(rp_elf_build_id(path, hex, sizeof(hex)), -ENOEXEC);
	/* every truncation of a real ELF header fails cleanly */
	{
		char src[256];
		FILE *in;
		unsigned char buf[4096];
		size_t n, cut;

		snprintf(src, sizeof(src), "%s/rp_raw_basic", p && *p ? p : "build/progs");
		in = fopen(src, "rb");
		ck_assert_ptr_nonnull(in);
		n = fread(buf, 1, sizeof(buf), in);
		fclose(in);
		for (cut = 0; cut < n && cut < 1024; cut += 7) {
			f = fopen(path, "wb");
			fwrite(buf, 1, cut, f);
			fclose(f);
			rc = rp_elf_build_id(path, hex, sizeof(hex));
			/* a cut after the note still holds the right id */
			ck_assert_msg(rc == -ENOEXEC || rc == -ENOENT ||
					  (rc == 0 && !strcmp(hex, want)),
				      "cut %zu: %d", cut, rc);
		}
	}
	unlink(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay_parts");
	TCase *tc = tcase_create("parts");

	tcase_add_loop_test(tc, test_inject_parse, 0, (int)FR_ARRAY_SIZE(inject_cases));
	tcase_add_loop_test(tc, test_inject_when, 0, (int)FR_ARRAY_SIZE(when_cases));
	tcase_add_test(tc, test_fdtable);
	tcase_add_test(tc, test_compare_calls);
	tcase_add_test(tc, test_compare_paths_and_sockaddrs);
	tcase_add_test(tc, test_recording_streams);
	tcase_add_test(tc, test_recording_hostile);
	tcase_add_test(tc, test_elf_build_id);
	suite_add_tcase(s, tc);
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
