// SPDX-License-Identifier: MIT
/*
 * test_analyze_path.c: the critical-path walk and root causes on synthetic
 * bundles.  Each test's expected segments are worked out by hand in the
 * comment above it; every path must cover the interval exactly.
 */
#include "tests/unit/test_analyze.h"

struct seg_expect {
	uint64_t start, end;
	uint32_t tid;
	unsigned state;
	unsigned category;
	int32_t culprit_tid; /* -1: none */
	unsigned via;
	unsigned depth;
};

static void expect_path(const struct fa_model *m, uint32_t tid, uint64_t s, uint64_t e,
			const struct seg_expect *x, size_t n, struct fa_segment **out,
			uint32_t *n_out)
{
	struct fa_segment *p;
	uint32_t np, i;
	bool trunc;

	ck_assert_int_eq(fa_critpath__walk(m, tb_thread(m, tid), s, e, NULL, &p, &np, &trunc), 0);
	ck_assert(!trunc);
	tb_assert_covers(p, np, s, e);
	for (i = 0; i < np && i < n; i++) {
		char buf[64];

		fa_model__thread_name(m, p[i].thread, buf, sizeof(buf));
		ck_assert_msg(p[i].start_ns == x[i].start && p[i].end_ns == x[i].end,
			      "segment %u: [%llu, %llu), expected [%llu, %llu)", i,
			      (unsigned long long)p[i].start_ns, (unsigned long long)p[i].end_ns,
			      (unsigned long long)x[i].start, (unsigned long long)x[i].end);
		ck_assert_msg(m->threads[p[i].thread].tid == x[i].tid,
			      "segment %u on %s, expected tid %u", i, buf, x[i].tid);
		ck_assert_msg(p[i].state == x[i].state, "segment %u is %s, expected %s", i,
			      fa_state_name(p[i].state), fa_state_name(x[i].state));
		ck_assert_msg(p[i].category == x[i].category, "segment %u is %s, expected %s", i,
			      fa_category_name(p[i].category), fa_category_name(x[i].category));
		if (x[i].culprit_tid < 0)
			ck_assert_msg(p[i].culprit == FA_NONE, "segment %u has a culprit", i);
		else
			ck_assert_msg(p[i].culprit != FA_NONE && m->threads[p[i].culprit].tid ==
								     (uint32_t)x[i].culprit_tid,
				      "segment %u: culprit tid %u, expected %d", i,
				      p[i].culprit != FA_NONE ? m->threads[p[i].culprit].tid : 0,
				      x[i].culprit_tid);
		ck_assert_msg(p[i].via == x[i].via, "segment %u via %s, expected %s", i,
			      fa_via_name(p[i].via), fa_via_name(x[i].via));
		ck_assert_msg(p[i].depth == x[i].depth, "segment %u depth %u, expected %u", i,
			      p[i].depth, x[i].depth);
	}
	ck_assert_msg(np == n, "%u segments, expected %zu", np, n);
	if (out) {
		*out = p;
		*n_out = np;
	} else {
		free(p);
	}
}

#define RUN FA_ST_RUNNING
#define RBL FA_ST_RUNNABLE
#define BLK FA_ST_BLOCKED

/*
 * Client T (100) reads a pipe; server W (200) runs until it wakes T.
 *   T [1500,2000) running; [2000,5000) blocked, woken by W -> W running
 *   [2000,5000) via pipe; [5000,5500) T runnable on cpu0 while W runs;
 *   [5500,6000) T running.
 */
START_TEST(test_path_wakeup_chain)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_segment *p;
	struct fa_cause *c;
	uint32_t np, nc;
	struct fa_incident inc;
	static const struct seg_expect x[] = {
	    {1500, 2000, 100, RUN, FA_CAT_RUNNING, 100, FA_VIA_SELF, 0},
	    {2000, 5000, 200, RUN, FA_CAT_RUNNING, 200, FA_VIA_PIPE, 1},
	    {5000, 5500, 100, RBL, FA_CAT_CPU, 200, FA_VIA_SELF, 0},
	    {5500, 6000, 100, RUN, FA_CAT_RUNNING, 100, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_proc(&b, 100, 1, "client", NULL);
	tb_proc(&b, 200, 1, "server", NULL); /* recorded, though it makes no syscall here */
	tb_switch(&b, 1000, 0, 0, 0, 0, 100, 100, NULL, "client");
	e = tb_sys(&b, 1500, 6000, 100, 100, "read", 10, 3, 0x1000, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 777, NULL);
	tb_switch(&b, 2000, 0, 100, 100, 1, 200, 200, "client", "server");
	tb_wake(&b, 5000, 0, 200, 200, 100, 100, FR_CTX_TASK, 0, 0);
	tb_switch(&b, 5500, 0, 200, 200, 1, 100, 100, "server", "client");
	m = tb_build(&b, NULL);
	expect_path(m, 100, 1500, 6000, x, FR_ARRAY_SIZE(x), &p, &np);
	/* root causes: running server 3000, running client 1000, cpu (server) 500 */
	memset(&inc, 0, sizeof(inc));
	inc.thread = tb_thread(m, 100);
	inc.start_ns = 1500;
	inc.end_ns = 6000;
	ck_assert_int_eq(fa_causes__compute(m, &inc, p, np, &c, &nc), 0);
	ck_assert_uint_eq(nc, 3);
	ck_assert_uint_eq(c[0].category, FA_CAT_RUNNING);
	ck_assert_uint_eq(c[0].ns, 3000);
	ck_assert_uint_eq(c[0].culprits[0].thread, tb_thread(m, 200));
	ck_assert_double_eq_tol(c[0].share, 3000.0 / 4500.0, 1e-9);
	ASSERT_HAS(c[0].explanation, "server 200 was running on a CPU");
	ASSERT_HAS(c[0].explanation, "pipe:[777]");
	ck_assert_uint_eq(c[1].category, FA_CAT_RUNNING);
	ck_assert_uint_eq(c[1].ns, 1000);
	ck_assert_uint_eq(c[1].culprits[0].thread, tb_thread(m, 100));
	ck_assert_uint_eq(c[2].category, FA_CAT_CPU);
	ck_assert_uint_eq(c[2].ns, 500);
	ck_assert_uint_eq(c[2].culprits[0].thread, tb_thread(m, 200));
	free(c);
	free(p);
	tb_free(&b);
}
END_TEST

/*
 * A waker that is not recorded (seen only when it met the client on the
 * CPU: its timeline has holes) is not walked: the wait is a leaf, ipc on
 * the pipe, the waker named as culprit.
 */
START_TEST(test_path_unrecorded_waker)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	static const struct seg_expect x[] = {
	    {1500, 2000, 100, RUN, FA_CAT_RUNNING, 100, FA_VIA_SELF, 0},
	    {2000, 5000, 100, BLK, FA_CAT_IPC, 200, FA_VIA_SELF, 0},
	    {5000, 5500, 100, RBL, FA_CAT_CPU, 200, FA_VIA_SELF, 0},
	    {5500, 6000, 100, RUN, FA_CAT_RUNNING, 100, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_proc(&b, 100, 1, "client", NULL);
	tb_switch(&b, 1000, 0, 0, 0, 0, 100, 100, NULL, "client");
	e = tb_sys(&b, 1500, 6000, 100, 100, "read", 10, 3, 0x1000, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 777, NULL);
	tb_switch(&b, 2000, 0, 100, 100, 1, 200, 200, "client", "other");
	tb_wake(&b, 5000, 0, 200, 200, 100, 100, FR_CTX_TASK, 0, 0);
	tb_switch(&b, 5500, 0, 200, 200, 1, 100, 100, "other", "client");
	m = tb_build(&b, NULL);
	ck_assert(!(m->threads[tb_thread(m, 200)].flags & FA_TH_RECORDED));
	ck_assert(m->threads[tb_thread(m, 100)].flags & FA_TH_RECORDED);
	expect_path(m, 100, 1500, 6000, x, FR_ARRAY_SIZE(x), NULL, NULL);
	tb_free(&b);
}
END_TEST

/*
 * A unix socketpair shared with a forked child: the parent's write on one
 * end is the data the child's read on the other end waited for (the pair is
 * known from socketpair's fds and each end's fdinfo inode).
 */
START_TEST(test_path_unix_pair)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fr_sock_tuple ut;
	int32_t fds[2] = {3, 4};
	uint32_t r1 = FA_NONE, r2 = FA_NONE, i;
	static const struct seg_expect x[] = {
	    {900, 1000, 20, RUN, FA_CAT_RUNNING, 20, FA_VIA_SELF, 0},
	    {1000, 4000, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_UNIX, 1},
	    {4000, 4100, 20, RBL, FA_CAT_CPU, -1, FA_VIA_SELF, 0},
	    {4100, 4500, 20, RUN, FA_CAT_RUNNING, 20, FA_VIA_SELF, 0},
	};

	memset(&ut, 0, sizeof(ut));
	ut.family = 1; /* AF_UNIX */
	tb_init(&b);
	tb_proc(&b, 10, 1, "parent", NULL);
	tb_proc(&b, 20, 10, "child", NULL);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "parent");
	e = tb_sys(&b, 10, 20, 10, 10, "socketpair", 0, 1, 1, 0);
	e->u.sc.args[3] = 0x7ffc0000;
	tb_payload(&b, e, FR_PL_OUT, 3, fds, sizeof(fds));
	e = tb_ev(&b, 30, 10, 10, FR_EV_PROC_FORK, 0);
	e->u.fork.child_pid = 20;
	e->u.fork.child_tid = 20;
	snprintf(e->u.fork.child_comm, FR_COMM_LEN, "child");
	tb_switch(&b, 40, 1, 0, 0, 0, 20, 20, NULL, "child");
	/* the child reads its end, blocks at 1000; the parent writes at 3500 */
	e = tb_sys(&b, 900, 4500, 20, 20, "read", 5, 4, 0, 100);
	tb_fdinfo(&b, e, 0, 4, FR_FD_SOCKET, 602, &ut);
	tb_switch(&b, 1000, 1, 20, 20, 1, 0, 0, "child", NULL);
	e = tb_sys(&b, 3500, 4200, 10, 10, "write", 5, 3, 0, 5);
	tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 601, &ut);
	tb_wake(&b, 4000, 1, 0, 0, 20, 20, FR_CTX_SOFTIRQ, 6, 1);
	tb_switch(&b, 4100, 1, 0, 0, 0, 20, 20, NULL, "child");
	m = tb_build(&b, NULL);
	for (i = 0; i < m->n_res; i++) {
		if (m->res[i].kind == FA_RES_UNIX && m->res[i].ino == 601)
			r1 = i;
		if (m->res[i].kind == FA_RES_UNIX && m->res[i].ino == 602)
			r2 = i;
	}
	ck_assert_uint_ne(r1, FA_NONE);
	ck_assert_uint_ne(r2, FA_NONE);
	ck_assert_uint_eq(m->res[r1].peer, r2);
	ck_assert_uint_eq(m->res[r2].peer, r1);
	ck_assert_uint_eq(fa_model__stream_of_res(m, r2, FA_DIR_READ), m->res[r1].wr_stream);
	expect_path(m, 20, 900, 4500, x, FR_ARRAY_SIZE(x), NULL, NULL);
	tb_free(&b);
}
END_TEST

/*
 * A lock held across a sleep.  Client T (100/100) waits on futex 0x5000
 * from 500 (blocked 510); holder H (100/101) is in nanosleep from 100
 * (blocked 110, timer wakeup 8000, runs 8010), then futex-wakes T at 8040.
 *   T [500,510) running
 *   H [510,8000) blocked in nanosleep, sleep, culprit H, via futex, depth 1
 *   H [8000,8010) runnable (cpu0 idle meanwhile: no culprit)
 *   H [8010,8040) running
 *   T [8040,8045) runnable (cpu1 idle); T [8045,8060) running
 */
START_TEST(test_path_lock_sleep)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_incident inc;
	static const struct seg_expect x[] = {
	    {500, 510, 100, RUN, FA_CAT_RUNNING, 100, FA_VIA_SELF, 0},
	    {510, 8000, 101, BLK, FA_CAT_SLEEP, 101, FA_VIA_FUTEX, 1},
	    {8000, 8010, 101, RBL, FA_CAT_CPU, -1, FA_VIA_FUTEX, 1},
	    {8010, 8040, 101, RUN, FA_CAT_RUNNING, 101, FA_VIA_FUTEX, 1},
	    {8040, 8045, 100, RBL, FA_CAT_CPU, -1, FA_VIA_SELF, 0},
	    {8045, 8060, 100, RUN, FA_CAT_RUNNING, 100, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_proc(&b, 100, 1, "client", NULL);
	tb_switch(&b, 0, 0, 0, 0, 0, 100, 101, NULL, "holder");
	e = tb_sys(&b, 100, 8020, 100, 101, "nanosleep", 0, 0x2000, 0, 0);
	tb_timespec(&b, e, 0, 7900);
	tb_switch(&b, 110, 0, 100, 101, 1, 0, 0, "holder", NULL);
	tb_wake(&b, 8000, 0, 0, 0, 100, 101, FR_CTX_TIMER, 0, 0);
	tb_switch(&b, 8010, 0, 0, 0, 0, 100, 101, NULL, "holder");
	tb_sys(&b, 8030, 8050, 100, 101, "futex", 1, 0x5000, 129, 1);
	tb_wake(&b, 8040, 0, 100, 101, 100, 100, FR_CTX_TASK, 0, 1);

	tb_switch(&b, 50, 1, 0, 0, 0, 100, 100, NULL, "client");
	tb_sys(&b, 500, 8060, 100, 100, "futex", 0, 0x5000, 128, 0);
	tb_switch(&b, 510, 1, 100, 100, 1, 0, 0, "client", NULL);
	tb_switch(&b, 8045, 1, 0, 0, 0, 100, 100, NULL, "client");
	m = tb_build(&b, NULL);
	expect_path(m, 100, 500, 8060, x, FR_ARRAY_SIZE(x), NULL, NULL);

	/* as an incident: breakdown is the client's own view (lock), root cause
	 * the holder's sleep */
	memset(&inc, 0, sizeof(inc));
	inc.kind = FA_INC_FOCUS;
	inc.thread = tb_thread(m, 100);
	inc.start_ns = 500;
	inc.end_ns = 8060;
	inc.nr = inc.res = inc.culprit = inc.index = FA_NONE;
	ck_assert_int_eq(fa_incident__explain(m, &inc, NULL), 0);
	ck_assert_uint_eq(inc.breakdown[FA_CAT_LOCK], 8040 - 510);
	ck_assert_uint_eq(inc.breakdown[FA_CAT_RUNNING], 10 + 15);
	ck_assert_uint_eq(inc.breakdown[FA_CAT_CPU], 5);
	ck_assert_uint_ge(inc.n_causes, 1);
	ck_assert_uint_eq(inc.causes[0].category, FA_CAT_SLEEP);
	ck_assert_uint_eq(inc.causes[0].ns, 7490);
	ck_assert_str_eq(m->threads[inc.causes[0].culprits[0].thread].comm, "holder");
	ASSERT_HAS(inc.causes[0].explanation, "holder 100/101 slept for");
	ASSERT_HAS(inc.causes[0].explanation, "in nanosleep()");
	ASSERT_HAS(inc.causes[0].explanation,
		   "client 100 waited for it in futex() on futex 0x5000");
	ASSERT_HAS(inc.summary, "because holder 100/101 slept");
	fa_incident__clear(&inc);
	tb_free(&b);
}
END_TEST

/*
 * The futex waker found from the futex wake record when the wakeup itself
 * does not name a task (here: woken "by an interrupt").
 */
START_TEST(test_path_futex_wake_record)
{
	struct tb b;
	struct fa_model *m;
	static const struct seg_expect x[] = {
	    {100, 200, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	    {200, 4000, 20, RUN, FA_CAT_RUNNING, 20, FA_VIA_FUTEX, 1},
	    {4000, 5000, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	};

	/* waiter and holder are threads of one process (a private futex) */
	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "waiter");
	tb_sys(&b, 100, 5000, 10, 10, "futex", 0, 0x1000, 128, 0);
	tb_switch(&b, 200, 0, 10, 10, 1, 10, 20, "waiter", "holder");
	tb_sys(&b, 3990, 4010, 10, 20, "futex", 1, 0x1000, 129, 1);
	tb_wake(&b, 4000, 1, 0, 0, 10, 10, FR_CTX_HARDIRQ, 0, 1);
	tb_switch(&b, 4000, 1, 0, 0, 0, 10, 10, NULL, "waiter");
	m = tb_build(&b, NULL);
	expect_path(m, 10, 100, 5000, x, FR_ARRAY_SIZE(x), NULL, NULL);
	tb_free(&b);
}
END_TEST

/*
 * CPU contention: victim V and hog G share cpu0 (times in ms so that the
 * automatic cpu-wait incident fires): V runs [0,10), G [10,90), V [90,100),
 * G [100,190), V [190,200).  V's focus path: cpu-contention 170 ms, culprit G.
 */
START_TEST(test_path_cpu_contention)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fa_find_opts fo = {0};
	uint32_t i;
	bool found = false;
	static const struct seg_expect x[] = {
	    {0, 10 * MS, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	    {10 * MS, 90 * MS, 10, RBL, FA_CAT_CPU, 20, FA_VIA_SELF, 0},
	    {90 * MS, 100 * MS, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	    {100 * MS, 190 * MS, 10, RBL, FA_CAT_CPU, 20, FA_VIA_SELF, 0},
	    {190 * MS, 200 * MS, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_proc(&b, 10, 1, "victim", NULL);
	tb_proc(&b, 20, 1, "hog", NULL);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "victim");
	tb_switch(&b, 10 * MS, 0, 10, 10, 0, 20, 20, "victim", "hog");
	tb_switch(&b, 90 * MS, 0, 20, 20, 0, 10, 10, "hog", "victim");
	tb_switch(&b, 100 * MS, 0, 10, 10, 0, 20, 20, "victim", "hog");
	tb_switch(&b, 190 * MS, 0, 20, 20, 0, 10, 10, "hog", "victim");
	tb_switch(&b, 200 * MS, 0, 10, 10, 1, 0, 0, "victim", NULL);
	m = tb_build(&b, NULL);
	expect_path(m, 10, 0, 200 * MS, x, FR_ARRAY_SIZE(x), NULL, NULL);

	ck_assert_int_eq(fa_incidents__find(m, &fo, &v), 0);
	for (i = 0; i < v.n; i++) {
		struct fa_incident *inc = &v.v[i];

		if (inc->kind != FA_INC_CPU_WAIT || m->threads[inc->thread].tid != 10)
			continue;
		found = true;
		ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
		ck_assert_uint_eq(inc->causes[0].category, FA_CAT_CPU);
		ck_assert_uint_eq(inc->causes[0].ns, 170 * MS);
		ck_assert_str_eq(m->threads[inc->causes[0].culprits[0].thread].comm, "hog");
		ASSERT_HAS(inc->causes[0].explanation, "for a CPU that hog 20 was using");
	}
	ck_assert_msg(found, "no cpu-wait incident for the victim");
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/*
 * Disk: T blocks in fsync from 1100 (D state), its own 8 KiB write completes
 * at 4900 and the interrupt wakes it; disk-io, culprit T (the issuer).
 */
START_TEST(test_path_disk)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	static const struct seg_expect x[] = {
	    {1000, 1100, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	    {1100, 4900, 10, BLK, FA_CAT_DISK, 10, FA_VIA_SELF, 0},
	    {4900, 4950, 10, RBL, FA_CAT_CPU, -1, FA_VIA_SELF, 0},
	    {4950, 5000, 10, RUN, FA_CAT_RUNNING, 10, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "db");
	e = tb_sys(&b, 1000, 5000, 10, 10, "fsync", 0, 3, 0, 0);
	tb_fdinfo(&b, e, 0, 3, FR_FD_FILE, 4444, NULL);
	tb_switch(&b, 1100, 0, 10, 10, 2, 0, 0, "db", NULL);
	e = tb_ev(&b, 1150, 10, 10, FR_EV_BLOCK_ISSUE, 0);
	e->u.blk.sector = 8;
	e->u.blk.nr_bytes = 8192;
	e->u.blk.dev = 8 << 20;
	e = tb_ev(&b, 4900, 10, 10, FR_EV_BLOCK_COMPLETE, 0);
	e->u.blk.sector = 8;
	e->u.blk.nr_bytes = 8192;
	e->u.blk.dev = 8 << 20;
	e->u.blk.issue_ns = 1150;
	tb_wake(&b, 4900, 0, 0, 0, 10, 10, FR_CTX_HARDIRQ, 33, 0);
	tb_switch(&b, 4950, 0, 0, 0, 0, 10, 10, NULL, "db");
	m = tb_build(&b, NULL);
	expect_path(m, 10, 1000, 5000, x, FR_ARRAY_SIZE(x), NULL, NULL);
	ck_assert_uint_eq(m->n_bios, 1);
	ck_assert_uint_eq(m->bios[0].issue_ns, 1150);
	ck_assert_uint_eq(m->bios[0].thread, tb_thread(m, 10));
	tb_free(&b);
}
END_TEST

/*
 * Memory pressure from another process of the same cgroup: batch (20)
 * mapped 512 MiB of anonymous memory; the victim's write spends [2s, 8s) in
 * memcg reclaim.  Root cause: memory-reclaim, culprit batch.
 */
START_TEST(test_path_memcg_reclaim)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_incidents v;
	struct fa_find_opts fo = {0};
	const struct fa_incident *inc;

	tb_init(&b);
	tb_proc(&b, 10, 1, "victim", "/sys/fs/cgroup/test");
	tb_proc(&b, 20, 1, "batch", "/sys/fs/cgroup/test");
	tb_proc(&b, 30, 1, "other", "/sys/fs/cgroup/elsewhere");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "batch");
	e = tb_sys(&b, 100, 200, 20, 20, "mmap", 0x7f0000000000LL, 0, 512ULL << 20, 3);
	e->u.sc.args[3] = 0x22; /* MAP_PRIVATE | MAP_ANONYMOUS */
	tb_switch(&b, 0, 2, 0, 0, 0, 30, 30, NULL, "other");
	e = tb_sys(&b, 300, 400, 30, 30, "mmap", 0x7f1000000000LL, 0, 4ULL << 30, 3);
	e->u.sc.args[3] = 0x22; /* bigger, but in another cgroup */
	tb_switch(&b, 900 * MS, 0, 0, 0, 0, 10, 10, NULL, "victim");
	e = tb_sys(&b, 1000 * MS, 9000 * MS, 10, 10, "write", 4096, 3, 0, 4096);
	tb_fdinfo(&b, e, 0, 3, FR_FD_FILE, 55, NULL);
	e = tb_ev(&b, 8000 * MS, 10, 10, FR_EV_RECLAIM, 0);
	e->u.reclaim.start_ns = 2000 * MS;
	e->u.reclaim.kind = FR_RECLAIM_MEMCG;
	e->u.reclaim.memcg_id = 77;
	m = tb_build(&b, NULL);
	ck_assert_uint_eq(fa_model__find_process(m, 20)->alloc_bytes, 512ULL << 20);
	ck_assert_uint_eq(fa_process__mem_at(fa_model__find_process(m, 20), 2000 * MS),
			  512ULL << 20);
	ck_assert_uint_eq(fa_memcg_culprit(m, tb_thread(m, 10), 2000 * MS), tb_thread(m, 20));
	ck_assert_int_eq(fa_incidents__find(m, &fo, &v), 0);
	ck_assert_uint_ge(v.n, 1);
	inc = &v.v[0];
	ck_assert_uint_eq(inc->kind, FA_INC_SLOW_SYSCALL);
	ck_assert_uint_eq(inc->nr, tb_nr("write"));
	ck_assert_int_eq(fa_incident__explain(m, &v.v[0], NULL), 0);
	ck_assert_uint_eq(inc->causes[0].category, FA_CAT_RECLAIM);
	ck_assert_uint_eq(inc->causes[0].ns, 6000 * MS);
	ck_assert_str_eq(m->threads[inc->causes[0].culprits[0].thread].comm, "batch");
	ck_assert_uint_eq(inc->causes[0].on_thread, tb_thread(m, 10));
	ASSERT_HAS(inc->causes[0].explanation,
		   "batch 20 filled the memory cgroup (512.0 MiB of memory "
		   "and recent page cache) and victim 10 spent 6000.0 ms in "
		   "memory-cgroup reclaim.");
	ASSERT_HAS(inc->summary, "took 8000.0 ms because batch 20 filled the memory cgroup");
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/*
 * What a process holds at the time counts, not what it allocated over time:
 * the victim maps and unmaps 32 MiB ten times (320 MiB allocated, 32 MiB at
 * most held), the writer dirtied 100 MiB of page cache in the last seconds.
 * Page cache older than the window no longer counts.
 */
START_TEST(test_path_memcg_footprint)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	uint32_t i;
	const uint64_t t0 = 20000 * MS;

	tb_init(&b);
	tb_proc(&b, 10, 1, "victim", "/sys/fs/cgroup/test");
	tb_proc(&b, 20, 1, "writer", "/sys/fs/cgroup/test");
	tb_proc(&b, 30, 1, "oldwriter", "/sys/fs/cgroup/test");
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "victim");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "writer");
	/* 15 s before: 200 MiB written by another process, gone from the window */
	for (i = 0; i < 200; i++) {
		e = tb_sys(&b, t0 - 15000 * MS + i * 1000, t0 - 15000 * MS + i * 1000 + 500, 30, 30,
			   "write", 1 << 20, 4, 0, 1 << 20);
		tb_fdinfo(&b, e, 0, 4, FR_FD_FILE, 98, NULL);
	}
	for (i = 0; i < 10; i++) {
		uint64_t t = t0 + i * 10 * MS, a = 0x7f0000000000ULL;

		e = tb_sys(&b, t, t + 100, 10, 10, "mmap", (int64_t)a, 0, 32ULL << 20, 3);
		e->u.sc.args[3] = 0x22;
		tb_sys(&b, t + 5 * MS, t + 5 * MS + 100, 10, 10, "munmap", 0, a, 32ULL << 20, 0);
	}
	for (i = 0; i < 100; i++) {
		e = tb_sys(&b, t0 + i * 1000, t0 + i * 1000 + 500, 20, 20, "write", 1 << 20, 4, 0,
			   1 << 20);
		tb_fdinfo(&b, e, 0, 4, FR_FD_FILE, 99, NULL);
	}
	/* a long history of small maps and unmaps before (many 10 ms buckets) */
	for (i = 0; i < 40; i++) {
		uint64_t t = t0 - 2000 * MS + i * 20 * MS, a = 0x7e0000000000ULL;

		e = tb_sys(&b, t, t + 100, 10, 10, "mmap", (int64_t)a, 0, 1 << 20, 3);
		e->u.sc.args[3] = 0x22;
		tb_sys(&b, t + 5 * MS, t + 5 * MS + 100, 10, 10, "munmap", 0, a, 1 << 20, 0);
	}
	m = tb_build(&b, NULL);
	ck_assert_uint_ge(fa_model__find_process(m, 10)->n_mem, 40);
	ck_assert_uint_eq(
	    fa_process__mem_at(fa_model__find_process(m, 10), t0 - 1500 * MS + 2 * MS), 1 << 20);
	ck_assert_uint_eq(
	    fa_process__mem_at(fa_model__find_process(m, 10), t0 - 1500 * MS + 15 * MS), 0);
	ck_assert_uint_eq(fa_model__find_process(m, 10)->alloc_bytes, 360ULL << 20);
	ck_assert_uint_eq(fa_model__find_process(m, 20)->cache_bytes, 100ULL << 20);
	/* in the middle of a round the victim holds 32 MiB, after it nothing */
	ck_assert_uint_eq(fa_process__mem_at(fa_model__find_process(m, 10), t0 + 92 * MS),
			  32ULL << 20);
	ck_assert_uint_eq(fa_process__mem_at(fa_model__find_process(m, 10), t0 + 100 * MS), 0);
	ck_assert_uint_eq(fa_process__mem_at(fa_model__find_process(m, 20), t0 + 100 * MS),
			  100ULL << 20);
	/* the old writer's page cache is out of the window */
	ck_assert_uint_eq(fa_process__mem_at(fa_model__find_process(m, 30), t0 + 100 * MS), 0);
	ck_assert_uint_eq(fa_process__mem_at(fa_model__find_process(m, 30), t0 - 10000 * MS),
			  200ULL << 20);
	ck_assert_uint_eq(fa_memcg_culprit(m, tb_thread(m, 10), t0 + 92 * MS), tb_thread(m, 20));
	/* the writer, under pressure itself, is its own culprit */
	ck_assert_uint_eq(fa_memcg_culprit(m, tb_thread(m, 20), t0 + 92 * MS), tb_thread(m, 20));
	/* before the writer started, the old writer held the most */
	ck_assert_uint_eq(fa_memcg_culprit(m, tb_thread(m, 10), t0 - 10000 * MS), tb_thread(m, 30));
	tb_free(&b);
}
END_TEST

/*
 * Evictions: a major fault of the victim after reclaim ran in its memory
 * cgroup reads back a page evicted for the process holding the memory; the
 * same fault without reclaim around is the victim's own.
 */
START_TEST(test_path_eviction)
{
	int with_reclaim;

	for (with_reclaim = 0; with_reclaim < 2; with_reclaim++) {
		struct tb b;
		struct fa_model *m;
		struct fr_event *e;
		struct fa_incident inc;

		tb_init(&b);
		tb_proc(&b, 10, 1, "victim", "/sys/fs/cgroup/test");
		tb_proc(&b, 20, 1, "hog", "/sys/fs/cgroup/test");
		tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "hog");
		e = tb_sys(&b, 100, 200, 20, 20, "mmap", 0x7f0000000000LL, 0, 500ULL << 20, 3);
		e->u.sc.args[3] = 0x22;
		if (with_reclaim) {
			e = tb_ev(&b, 4000 * MS, 20, 20, FR_EV_RECLAIM, 1);
			e->u.reclaim.start_ns = 3900 * MS;
			e->u.reclaim.kind = FR_RECLAIM_MEMCG;
		}
		tb_switch(&b, 4900 * MS, 0, 0, 0, 0, 10, 10, NULL, "victim");
		tb_switch(&b, 5000 * MS, 0, 10, 10, 2, 0, 0, "victim", NULL);
		tb_wake(&b, 5300 * MS, 0, 0, 0, 10, 10, FR_CTX_HARDIRQ, 33, 0);
		tb_switch(&b, 5300 * MS, 0, 0, 0, 0, 10, 10, NULL, "victim");
		e = tb_ev(&b, 5301 * MS, 10, 10, FR_EV_PAGE_FAULT, 0);
		e->u.pf.start_ns = 4999 * MS;
		e->u.pf.flags = FR_PF_MAJOR | FR_PF_USER;
		tb_switch(&b, 5400 * MS, 0, 10, 10, 1, 0, 0, "victim", NULL);
		m = tb_build(&b, NULL);
		memset(&inc, 0, sizeof(inc));
		inc.kind = FA_INC_FOCUS;
		inc.thread = tb_thread(m, 10);
		inc.start_ns = 4999 * MS;
		inc.end_ns = 5301 * MS;
		inc.nr = inc.res = inc.culprit = inc.index = FA_NONE;
		ck_assert_int_eq(fa_incident__explain(m, &inc, NULL), 0);
		ck_assert_uint_eq(inc.causes[0].category, FA_CAT_FAULT);
		ck_assert_uint_eq(inc.causes[0].ns, 302 * MS);
		if (with_reclaim) {
			ck_assert_str_eq(m->threads[inc.causes[0].culprits[0].thread].comm, "hog");
			ASSERT_HAS(inc.causes[0].explanation,
				   "victim 10 spent 302.0 ms in page faults reading "
				   "back pages evicted while hog 20 filled the memory cgroup");
		} else {
			ck_assert_str_eq(m->threads[inc.causes[0].culprits[0].thread].comm,
					 "victim");
		}
		fa_incident__clear(&inc);
		tb_free(&b);
	}
}
END_TEST

/*
 * Two hops: A reads pipe 1 fed by B, B reads pipe 2 fed by C, C sleeps.
 *   A [100,110) running
 *   B [110,4000) blocked, woken by C: C [110,210) running, C [210,3900)
 *     sleep, C [3900,3910) runnable, C [3910,4000) running   (depth 2)
 *   B [4000,4010) runnable, B [4010,5000) running               (depth 1)
 *   A [5000,5010) runnable, A [5010,5020) running
 */
START_TEST(test_path_two_hops)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_segment *p;
	uint32_t np;
	static const struct seg_expect x[] = {
	    {100, 110, 1, RUN, FA_CAT_RUNNING, 1, FA_VIA_SELF, 0},
	    {110, 210, 3, RUN, FA_CAT_RUNNING, 3, FA_VIA_PIPE, 2},
	    {210, 3900, 3, BLK, FA_CAT_SLEEP, 3, FA_VIA_PIPE, 2},
	    {3900, 3910, 3, RBL, FA_CAT_CPU, -1, FA_VIA_PIPE, 2},
	    {3910, 4000, 3, RUN, FA_CAT_RUNNING, 3, FA_VIA_PIPE, 2},
	    {4000, 4010, 2, RBL, FA_CAT_CPU, -1, FA_VIA_PIPE, 1},
	    {4010, 5000, 2, RUN, FA_CAT_RUNNING, 2, FA_VIA_PIPE, 1},
	    {5000, 5010, 1, RBL, FA_CAT_CPU, -1, FA_VIA_SELF, 0},
	    {5010, 5020, 1, RUN, FA_CAT_RUNNING, 1, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 1, 1, NULL, "a");
	tb_switch(&b, 0, 1, 0, 0, 0, 2, 2, NULL, "b");
	tb_switch(&b, 0, 2, 0, 0, 0, 3, 3, NULL, "c");
	/* A */
	e = tb_sys(&b, 100, 5020, 1, 1, "read", 1, 3, 0, 1);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 1001, NULL);
	tb_switch(&b, 110, 0, 1, 1, 1, 0, 0, "a", NULL);
	tb_wake(&b, 5000, 1, 2, 2, 1, 1, FR_CTX_TASK, 0, 0);
	tb_switch(&b, 5010, 0, 0, 0, 0, 1, 1, NULL, "a");
	/* B */
	e = tb_sys(&b, 50, 4020, 2, 2, "read", 1, 4, 0, 1);
	tb_fdinfo(&b, e, 0, 4, FR_FD_PIPE, 1002, NULL);
	tb_switch(&b, 60, 1, 2, 2, 1, 0, 0, "b", NULL);
	tb_wake(&b, 4000, 2, 3, 3, 2, 2, FR_CTX_TASK, 0, 1);
	tb_switch(&b, 4010, 1, 0, 0, 0, 2, 2, NULL, "b");
	e = tb_sys(&b, 4900, 5100, 2, 2, "write", 1, 5, 0, 1);
	tb_fdinfo(&b, e, 0, 5, FR_FD_PIPE, 1001, NULL);
	/* C */
	e = tb_sys(&b, 200, 3920, 3, 3, "nanosleep", 0, 0x100, 0, 0);
	tb_timespec(&b, e, 0, 3700);
	tb_switch(&b, 210, 2, 3, 3, 1, 0, 0, "c", NULL);
	tb_wake(&b, 3900, 2, 0, 0, 3, 3, FR_CTX_TIMER, 0, 2);
	tb_switch(&b, 3910, 2, 0, 0, 0, 3, 3, NULL, "c");
	e = tb_sys(&b, 3990, 4050, 3, 3, "write", 1, 6, 0, 1);
	tb_fdinfo(&b, e, 0, 6, FR_FD_PIPE, 1002, NULL);
	m = tb_build(&b, NULL);
	expect_path(m, 1, 100, 5020, x, FR_ARRAY_SIZE(x), &p, &np);
	/* the hop's waiter is recorded: C's segments were reached from B */
	ck_assert_uint_eq(p[2].from, tb_thread(m, 2));
	ck_assert_uint_eq(p[6].from, tb_thread(m, 1));
	/* and every segment off A explains A's read */
	ck_assert_uint_eq(p[2].root_wait, p[6].root_wait);
	ck_assert_uint_eq(m->waits[p[2].root_wait].thread, tb_thread(m, 1));
	free(p);
	tb_free(&b);
}
END_TEST

/*
 * Two candidates for one wait: the task that woke the reader (K, whose own
 * timeline explains nothing: blocked with no recorded cause) and the writer
 * of the bytes read (X, running).  The walk keeps the one that explains
 * more: X.
 */
START_TEST(test_path_best_candidate)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_segment *p;
	uint32_t np, i;
	uint64_t on_x = 0, on_k = 0;

	tb_init(&b);
	tb_proc(&b, 20, 1, "k", NULL); /* recorded: a candidate to compare */
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "reader");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "k");
	tb_switch(&b, 0, 2, 0, 0, 0, 30, 30, NULL, "x");
	e = tb_sys(&b, 900, 4500, 10, 10, "read", 3, 3, 0, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 900, NULL);
	tb_switch(&b, 1000, 0, 10, 10, 1, 0, 0, "reader", NULL);
	/* K blocks at 500 with no recorded wakeup, then runs at 3990 */
	tb_switch(&b, 500, 1, 20, 20, 1, 0, 0, "k", NULL);
	tb_switch(&b, 3990, 1, 0, 0, 0, 20, 20, NULL, "k");
	tb_wake(&b, 4000, 1, 20, 20, 10, 10, FR_CTX_TASK, 0, 0);
	/* X runs all along and writes the bytes */
	e = tb_sys(&b, 3000, 3500, 30, 30, "write", 3, 5, 0, 3);
	tb_fdinfo(&b, e, 0, 5, FR_FD_PIPE, 900, NULL);
	tb_switch(&b, 4100, 0, 0, 0, 0, 10, 10, NULL, "reader");
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_critpath__walk(m, tb_thread(m, 10), 900, 4500, NULL, &p, &np, NULL), 0);
	tb_assert_covers(p, np, 900, 4500);
	for (i = 0; i < np; i++) {
		if (p[i].thread == tb_thread(m, 30))
			on_x += p[i].end_ns - p[i].start_ns;
		if (p[i].thread == tb_thread(m, 20))
			on_k += p[i].end_ns - p[i].start_ns;
	}
	ck_assert_uint_eq(on_x, 3000); /* [1000, 4000) */
	ck_assert_uint_eq(on_k, 0);
	ck_assert_uint_eq(tb_path_ns(p, np, tb_thread(m, 30), FA_CAT_RUNNING), 3000);
	free(p);
	tb_free(&b);
}
END_TEST

/*
 * A TCP response from a server that is not recorded: network leaf, no
 * local culprit, retransmissions on the connection noted.
 */
START_TEST(test_path_remote_network)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_segment *p;
	uint32_t np;
	struct fr_sock_tuple t = tb_tcp(0x0a000002, 40000, 0x0a000001, 443);

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "client");
	e = tb_sys(&b, 100, 9000, 10, 10, "read", 100, 3, 0, 4096);
	tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 5555, &t);
	tb_switch(&b, 200, 0, 10, 10, 1, 0, 0, "client", NULL);
	e = tb_ev(&b, 3000, 0, 0, FR_EV_TCP_RETRANSMIT, 0);
	e->u.tcp.tuple = t;
	tb_wake(&b, 8000, 0, 0, 0, 10, 10, FR_CTX_SOFTIRQ, 3, 0);
	tb_switch(&b, 8000, 0, 0, 0, 0, 10, 10, NULL, "client");
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_critpath__walk(m, tb_thread(m, 10), 100, 9000, NULL, &p, &np, NULL), 0);
	tb_assert_covers(p, np, 100, 9000);
	ck_assert_uint_eq(np, 3);
	ck_assert_uint_eq(p[1].category, FA_CAT_NETWORK);
	ck_assert_uint_eq(p[1].culprit, FA_NONE);
	ck_assert(p[1].flags & FA_SEGF_RETRANSMIT);
	ck_assert_uint_eq(p[1].end_ns - p[1].start_ns, 7800);
	{
		struct fa_incident inc;
		struct fa_cause *c;
		uint32_t nc;

		memset(&inc, 0, sizeof(inc));
		inc.thread = tb_thread(m, 10);
		inc.start_ns = 100;
		inc.end_ns = 9000;
		ck_assert_int_eq(fa_causes__compute(m, &inc, p, np, &c, &nc), 0);
		ck_assert_uint_eq(c[0].category, FA_CAT_NETWORK);
		ck_assert_uint_eq(c[0].n_culprits, 0);
		ASSERT_HAS(
		    c[0].explanation,
		    "client 10 waited 7.8 us for the network on tcp 10.0.0.2:40000->10.0.0.1:443 "
		    "(the remote end), with TCP retransmissions on the connection.");
		free(c);
	}
	free(p);
	tb_free(&b);
}
END_TEST

/* Before a thread existed, its time belongs to its creator (fork edge). */
START_TEST(test_path_fork_edge)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	static const struct seg_expect x[] = {
	    {0, 500, 1, RUN, FA_CAT_RUNNING, 1, FA_VIA_FORK, 1},
	    {500, 600, 2, RBL, FA_CAT_CPU, 1, FA_VIA_SELF, 0},
	    {600, 1000, 2, RUN, FA_CAT_RUNNING, 2, FA_VIA_SELF, 0},
	};

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 1, 1, NULL, "parent");
	e = tb_ev(&b, 500, 1, 1, FR_EV_PROC_FORK, 0);
	e->u.fork.child_pid = 2;
	e->u.fork.child_tid = 2;
	snprintf(e->u.fork.child_comm, FR_COMM_LEN, "child");
	tb_switch(&b, 600, 0, 1, 1, 1, 2, 2, "parent", "child");
	tb_switch(&b, 1000, 0, 2, 2, 1, 0, 0, "child", NULL);
	m = tb_build(&b, NULL);
	expect_path(m, 2, 0, 1000, x, FR_ARRAY_SIZE(x), NULL, NULL);
	tb_free(&b);
}
END_TEST

/* The walk stops at its budget and says so; the path still covers. */
START_TEST(test_path_budget)
{
	struct tb b;
	struct fa_model *m;
	struct fa_segment *p;
	struct fa_walk_opts o = {.max_steps = 10};
	uint32_t np, i;
	bool trunc = false;

	tb_init(&b);
	for (i = 0; i < 100; i++) {
		tb_switch(&b, 1000 * i, 0, 0, 0, 0, 10, 10, NULL, "t");
		tb_switch(&b, 1000 * i + 500, 0, 10, 10, 0, 0, 0, "t", NULL);
	}
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_critpath__walk(m, tb_thread(m, 10), 0, 99000, &o, &p, &np, &trunc), 0);
	ck_assert(trunc);
	tb_assert_covers(p, np, 0, 99000);
	ck_assert_uint_eq(p[0].category, FA_CAT_UNKNOWN);
	free(p);
	tb_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("analyze_path");
	TCase *tc = tcase_create("path");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_path_wakeup_chain);
	tcase_add_test(tc, test_path_unrecorded_waker);
	tcase_add_test(tc, test_path_unix_pair);
	tcase_add_test(tc, test_path_lock_sleep);
	tcase_add_test(tc, test_path_futex_wake_record);
	tcase_add_test(tc, test_path_cpu_contention);
	tcase_add_test(tc, test_path_disk);
	tcase_add_test(tc, test_path_memcg_reclaim);
	tcase_add_test(tc, test_path_memcg_footprint);
	tcase_add_test(tc, test_path_eviction);
	tcase_add_test(tc, test_path_two_hops);
	tcase_add_test(tc, test_path_best_candidate);
	tcase_add_test(tc, test_path_remote_network);
	tcase_add_test(tc, test_path_fork_edge);
	tcase_add_test(tc, test_path_budget);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
