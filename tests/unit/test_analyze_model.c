// SPDX-License-Identifier: MIT
/*
 * test_analyze_model.c: the thread-state model and the edges it records,
 * on synthetic bundles whose answers are worked out by hand in the comments.
 */
#include "tests/unit/test_analyze.h"

struct iv_expect {
	uint64_t start;
	unsigned state;
	unsigned cpu;
	uint8_t flags; /* flags that must be set (others ignored) */
};

static void expect_ivs(const struct fa_model *m, uint32_t tid, const struct iv_expect *x, size_t n)
{
	const struct fa_thread *t = &m->threads[tb_thread(m, tid)];
	size_t i;

	ck_assert_msg(t->n_iv == n, "thread %u: %u intervals, expected %zu", tid, t->n_iv, n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(t->iv[i].start == x[i].start,
			      "thread %u interval %zu starts at %llu, expected %llu", tid, i,
			      (unsigned long long)t->iv[i].start, (unsigned long long)x[i].start);
		ck_assert_msg(t->iv[i].state == x[i].state,
			      "thread %u interval %zu is %s, expected %s", tid, i,
			      fa_state_name(t->iv[i].state), fa_state_name(x[i].state));
		ck_assert_msg(t->iv[i].cpu == x[i].cpu,
			      "thread %u interval %zu on cpu %u, expected %u", tid, i, t->iv[i].cpu,
			      x[i].cpu);
		ck_assert_msg((t->iv[i].flags & x[i].flags) == x[i].flags,
			      "thread %u interval %zu flags %#x lack %#x", tid, i, t->iv[i].flags,
			      x[i].flags);
	}
}

/*
 * T (client 100) runs on cpu0 from 1000, calls read(3) at 1500 on pipe 777,
 * blocks at 2000 (W runs), W wakes it at 5000, T runs again at 5500, the read
 * returns at 6000, T blocks at 7000.
 */
START_TEST(test_block_wake_run)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	const struct fa_thread *t;
	const struct fa_wait *w;
	static const struct iv_expect tx[] = {
	    {1000, FA_ST_RUNNING, 0, 0},  {2000, FA_ST_BLOCKED, 0, FA_IVF_WOKEN},
	    {5000, FA_ST_RUNNABLE, 0, 0}, {5500, FA_ST_RUNNING, 0, 0},
	    {7000, FA_ST_BLOCKED, 0, 0},
	};
	static const struct iv_expect wx[] = {
	    {2000, FA_ST_RUNNING, 0, 0},
	    {5500, FA_ST_BLOCKED, 0, 0},
	};

	tb_init(&b);
	tb_switch(&b, 1000, 0, 0, 0, 0, 100, 100, NULL, "client");
	e = tb_sys(&b, 1500, 6000, 100, 100, "read", 10, 3, 0x1000, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 777, NULL);
	tb_switch(&b, 2000, 0, 100, 100, 1, 200, 200, "client", "server");
	tb_wake(&b, 5000, 0, 200, 200, 100, 100, FR_CTX_TASK, 0, 0);
	tb_switch(&b, 5500, 0, 200, 200, 1, 100, 100, "server", "client");
	tb_switch(&b, 7000, 0, 100, 100, 1, 0, 0, "client", NULL);
	m = tb_build(&b, NULL);

	expect_ivs(m, 100, tx, FR_ARRAY_SIZE(tx));
	expect_ivs(m, 200, wx, FR_ARRAY_SIZE(wx));
	t = &m->threads[tb_thread(m, 100)];
	ck_assert_str_eq(t->comm, "client");
	ck_assert_uint_eq(t->iv[1].waker, tb_thread(m, 200));
	ck_assert_uint_eq(t->iv[1].wake_ctx, FR_CTX_TASK);
	/* the blocked and runnable intervals are inside the read: they name it */
	ck_assert_uint_ne(t->iv[1].wait, FA_NONE);
	ck_assert_uint_eq(t->iv[2].wait, t->iv[1].wait);
	ck_assert_uint_eq(t->iv[0].wait, FA_NONE);
	ck_assert_uint_eq(t->iv[4].wait, FA_NONE);
	w = &m->waits[t->iv[1].wait];
	ck_assert_uint_eq(w->nr, tb_nr("read"));
	ck_assert_uint_eq(w->enter_ns, 1500);
	ck_assert_uint_eq(w->exit_ns, 6000);
	ck_assert_int_eq(w->ret, 10);
	ck_assert_uint_eq(m->res[w->res].kind, FA_RES_PIPE);
	ck_assert_uint_eq(m->res[w->res].ino, 777);
	ck_assert_str_eq(m->res[w->res].name, "pipe:[777]");
	/* time by state: running 1000+1500, blocked 3000 (+0 after 7000), runnable 500 */
	ck_assert_uint_eq(t->ns_by_state[FA_ST_RUNNING], 2500);
	ck_assert_uint_eq(t->ns_by_state[FA_ST_RUNNABLE], 500);
	ck_assert_uint_eq(t->ns_by_state[FA_ST_BLOCKED], 3000);
	/* cpu0's run timeline */
	ck_assert_uint_eq(m->n_cpus, 1);
	ck_assert_uint_eq(m->cpus[0].n, 4);
	ck_assert_uint_eq(m->cpus[0].runs[0].thread, tb_thread(m, 100));
	ck_assert_uint_eq(m->cpus[0].runs[1].thread, tb_thread(m, 200));
	ck_assert_uint_eq(m->cpus[0].runs[3].thread, FA_NONE);
	ck_assert_uint_eq(m->st.repaired, 0);
	tb_free(&b);
}
END_TEST

/*
 * Preemption, migration while runnable, and a syscall exit that proves a
 * thread the model thought blocked was running (repaired and counted).
 */
START_TEST(test_preempt_migrate_repair)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	static const struct iv_expect tx[] = {
	    {100, FA_ST_RUNNING, 1, 0},
	    {200, FA_ST_RUNNABLE, 1, 0}, /* preempted by H on cpu1 */
	    {250, FA_ST_RUNNABLE, 0, 0}, /* migrated to cpu0 */
	    {300, FA_ST_RUNNING, 0, 0},
	    {400, FA_ST_BLOCKED, 0, 0},
	    {500, FA_ST_RUNNING, 0, FA_IVF_REPAIRED}, /* no wakeup seen */
	};

	tb_init(&b);
	tb_switch(&b, 100, 1, 0, 0, 0, 10, 10, NULL, "t");
	tb_switch(&b, 200, 1, 10, 10, 0, 20, 20, "t", "h");
	e = tb_ev(&b, 250, 20, 20, FR_EV_SCHED_MIGRATE, 1);
	e->u.mig.target_pid = 10;
	e->u.mig.target_tid = 10;
	e->u.mig.orig_cpu = 1;
	e->u.mig.dest_cpu = 0;
	tb_switch(&b, 300, 0, 0, 0, 0, 10, 10, NULL, "t");
	tb_switch(&b, 400, 0, 10, 10, 1, 0, 0, "t", NULL);
	tb_sys(&b, 350, 500, 10, 10, "read", 1, 0, 0, 1);
	m = tb_build(&b, NULL);
	expect_ivs(m, 10, tx, FR_ARRAY_SIZE(tx));
	ck_assert_uint_eq(m->st.repaired, 1);
	/* the blocked interval started inside the read: it names it */
	ck_assert_uint_ne(m->threads[tb_thread(m, 10)].iv[4].wait, FA_NONE);
	tb_free(&b);
}
END_TEST

/*
 * Reclaim and fault spans arrive at their end and flag the intervals they
 * cover; a major fault that blocked keeps its flag through the blocked,
 * runnable and running parts.
 */
START_TEST(test_overlays)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	const struct fa_thread *t;
	static const struct iv_expect tx[] = {
	    {100, FA_ST_RUNNING, 0, 0},
	    {300, FA_ST_RUNNING, 0, FA_IVF_RECLAIM},
	    {900, FA_ST_RUNNING, 0, 0},
	    {1000, FA_ST_RUNNING, 0, FA_IVF_FAULT | FA_IVF_MAJOR},
	    {1200, FA_ST_RUNNING, 0, 0},
	    {1300, FA_ST_RUNNING, 0, FA_IVF_FAULT},
	    {1400, FA_ST_BLOCKED, 0, FA_IVF_FAULT | FA_IVF_WOKEN},
	    {1800, FA_ST_RUNNABLE, 0, FA_IVF_FAULT},
	    {1850, FA_ST_RUNNING, 0, FA_IVF_FAULT},
	    {1900, FA_ST_RUNNING, 0, 0},
	};

	tb_init(&b);
	tb_switch(&b, 100, 0, 0, 0, 0, 10, 10, NULL, "t");
	e = tb_ev(&b, 900, 10, 10, FR_EV_RECLAIM, 0);
	e->u.reclaim.start_ns = 300;
	e->u.reclaim.kind = FR_RECLAIM_MEMCG;
	e->u.reclaim.memcg_id = 55;
	e->u.reclaim.nr_reclaimed = 32;
	e = tb_ev(&b, 1200, 10, 10, FR_EV_PAGE_FAULT, 0);
	e->u.pf.start_ns = 1000;
	e->u.pf.flags = FR_PF_MAJOR | FR_PF_USER;
	tb_switch(&b, 1400, 0, 10, 10, 2, 0, 0, "t", NULL);
	tb_wake(&b, 1800, 0, 0, 0, 10, 10, FR_CTX_HARDIRQ, 33, 0);
	tb_switch(&b, 1850, 0, 0, 0, 0, 10, 10, NULL, "t");
	e = tb_ev(&b, 1900, 10, 10, FR_EV_PAGE_FAULT, 0);
	e->u.pf.start_ns = 1300;
	e->u.pf.flags = FR_PF_MAJOR | FR_PF_USER;
	m = tb_build(&b, NULL);
	expect_ivs(m, 10, tx, FR_ARRAY_SIZE(tx));
	t = &m->threads[tb_thread(m, 10)];
	ck_assert_uint_eq(t->ns_reclaim, 600);
	ck_assert_uint_eq(t->ns_fault, 200 + 600);
	ck_assert_uint_eq(m->n_reclaims, 1);
	ck_assert_uint_eq(m->n_faults, 2);
	ck_assert_uint_eq(m->procs[fa_model__proc_index(m, 10)].memcg, 55);
	tb_free(&b);
}
END_TEST

/* fork, wakeup_new, run, exit, final switch: lifecycle and parentage. */
START_TEST(test_lifecycle)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	const struct fa_thread *c;
	const struct fa_process *p;
	static const struct iv_expect cx[] = {
	    {100, FA_ST_RUNNABLE, 0, 0},
	    {150, FA_ST_RUNNING, 1, 0},
	    {410, FA_ST_DEAD, 1, 0},
	};

	tb_init(&b);
	tb_switch(&b, 50, 0, 0, 0, 0, 10, 10, NULL, "parent");
	e = tb_ev(&b, 100, 10, 10, FR_EV_PROC_FORK, 0);
	e->u.fork.child_pid = 30;
	e->u.fork.child_tid = 30;
	snprintf(e->u.fork.child_comm, FR_COMM_LEN, "parent");
	e = tb_ev(&b, 110, 10, 10, FR_EV_SCHED_WAKEUP, 0);
	e->u.wake.target_pid = 30;
	e->u.wake.target_tid = 30;
	e->u.wake.flags = FR_WAKE_NEW | FR_WAKE_WAKEUP;
	tb_switch(&b, 150, 1, 0, 0, 0, 30, 30, NULL, "parent");
	e = tb_ev(&b, 200, 30, 30, FR_EV_PROC_EXEC, 1);
	snprintf(e->u.exec.comm, FR_COMM_LEN, "child");
	e->u.exec.old_tid = 30;
	e = tb_ev(&b, 400, 30, 30, FR_EV_PROC_EXIT, 1);
	e->u.exit.status = 1 << 8;
	e->u.exit.flags = FR_EXIT_GROUP_DEAD;
	tb_switch(&b, 410, 1, 30, 30, 0x80, 0, 0, "child", NULL);
	m = tb_build(&b, NULL);
	expect_ivs(m, 30, cx, FR_ARRAY_SIZE(cx));
	c = &m->threads[tb_thread(m, 30)];
	ck_assert_str_eq(c->comm, "child");
	ck_assert_uint_eq(c->parent, tb_thread(m, 10));
	ck_assert(c->flags & FA_TH_FORKED);
	ck_assert(c->flags & FA_TH_EXITED);
	ck_assert_uint_eq(c->birth_ns, 100);
	ck_assert_uint_eq(c->end_ns, 410);
	ck_assert_int_eq(c->exit_status, 256);
	p = fa_model__find_process(m, 30);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->ppid, 10);
	ck_assert_str_eq(p->comm, "child");
	ck_assert_uint_eq(p->exit_ns, 400);
	ck_assert_uint_eq(p->main, tb_thread(m, 30));
	tb_free(&b);
}
END_TEST

/* A thread first seen being woken: blocked before, runnable after. */
START_TEST(test_first_seen_woken)
{
	struct tb b;
	struct fa_model *m;
	static const struct iv_expect x[] = {
	    {500, FA_ST_RUNNABLE, 1, 0},
	    {600, FA_ST_RUNNING, 1, 0},
	};

	tb_init(&b);
	tb_switch(&b, 100, 0, 0, 0, 0, 10, 10, NULL, "waker");
	tb_wake(&b, 500, 0, 10, 10, 40, 40, FR_CTX_TASK, 0, 1);
	tb_switch(&b, 600, 1, 0, 0, 0, 40, 40, NULL, "sleeper");
	m = tb_build(&b, NULL);
	expect_ivs(m, 40, x, FR_ARRAY_SIZE(x));
	ck_assert_str_eq(m->threads[tb_thread(m, 40)].comm, "sleeper");
	tb_free(&b);
}
END_TEST

/*
 * Data flow on a pipe: the writer's write is found for the reader's blocked
 * interval by time (completed after the reader blocked, started before the
 * wakeup) and offsets follow the bytes.
 */
START_TEST(test_pipe_flow)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	const struct fa_flow *f;
	uint32_t r, st;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "reader");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "writer");
	/* an early write, read at once */
	e = tb_sys(&b, 100, 200, 20, 20, "write", 4, 5, 0, 4);
	tb_fdinfo(&b, e, 0, 5, FR_FD_PIPE, 900, NULL);
	e = tb_sys(&b, 300, 400, 10, 10, "read", 4, 3, 0, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 900, NULL);
	/* the reader blocks at 1000; the write at 3500..4200 wakes it at 4000 */
	e = tb_sys(&b, 900, 4500, 10, 10, "read", 6, 3, 0, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 900, NULL);
	tb_switch(&b, 1000, 0, 10, 10, 1, 0, 0, "reader", NULL);
	e = tb_sys(&b, 3500, 4200, 20, 20, "write", 6, 5, 0, 6);
	tb_fdinfo(&b, e, 0, 5, FR_FD_PIPE, 900, NULL);
	tb_wake(&b, 4000, 1, 20, 20, 10, 10, FR_CTX_SOFTIRQ, 3, 0);
	tb_switch(&b, 4300, 0, 0, 0, 0, 10, 10, NULL, "reader");
	m = tb_build(&b, NULL);

	/* one resource for both ends, one stream */
	r = m->waits[m->threads[tb_thread(m, 10)].iv[1].wait].res;
	ck_assert_uint_eq(m->res[r].kind, FA_RES_PIPE);
	st = fa_model__stream_of_res(m, r, FA_DIR_READ);
	ck_assert_uint_ne(st, FA_NONE);
	ck_assert_uint_eq(st, fa_model__stream_of_res(m, r, FA_DIR_WRITE));
	ck_assert_uint_eq(m->streams[st].n_flows, 2);
	ck_assert_uint_eq(m->streams[st].written, 10);
	ck_assert_uint_eq(m->streams[st].read, 10);
	ck_assert_uint_eq(m->streams[st].flows[1].off, 4);
	ck_assert_uint_eq(m->streams[st].last_reader, tb_thread(m, 10));
	ck_assert_uint_eq(m->streams[st].last_writer, tb_thread(m, 20));
	/* matching: blocked from 1000, woken at 4000 -> the second write */
	f = fa_stream__writer(m, st, 1000, 4000);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->enter_ns, 3500);
	ck_assert_uint_eq(f->thread, tb_thread(m, 20));
	/* a wait that ended before the write started has no writer */
	ck_assert_ptr_null(fa_stream__writer(m, st, 1000, 3400));
	/* a wait that began after both writes completed has none either */
	ck_assert_ptr_null(fa_stream__writer(m, st, 4300, 5000));
	/* a wait before the first write: the first write */
	f = fa_stream__writer(m, st, 50, 150);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->enter_ns, 100);
	tb_free(&b);
}
END_TEST

/* TCP: the reader's stream is the writer's stream with the tuple reversed. */
START_TEST(test_tcp_stream)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fr_sock_tuple cli = tb_tcp(0x7f000001, 40000, 0x7f000001, 8080);
	struct fr_sock_tuple srv = tb_tcp(0x7f000001, 8080, 0x7f000001, 40000);
	uint32_t rc, rs, i;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "client");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "server");
	e = tb_sys(&b, 100, 200, 10, 10, "write", 5, 3, 0, 5); /* request */
	tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 1111, &cli);
	e = tb_sys(&b, 150, 300, 20, 20, "read", 5, 4, 0, 100);
	tb_fdinfo(&b, e, 0, 4, FR_FD_SOCKET, 2222, &srv);
	e = tb_sys(&b, 400, 500, 20, 20, "write", 7, 4, 0, 7); /* response */
	tb_fdinfo(&b, e, 0, 4, FR_FD_SOCKET, 2222, &srv);
	e = tb_sys(&b, 250, 600, 10, 10, "read", 7, 3, 0, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 1111, &cli);
	m = tb_build(&b, NULL);
	rc = rs = FA_NONE;
	for (i = 0; i < m->n_res; i++) {
		if (m->res[i].kind == FA_RES_TCP && m->res[i].tuple.sport == 40000)
			rc = i;
		if (m->res[i].kind == FA_RES_TCP && m->res[i].tuple.sport == 8080)
			rs = i;
	}
	ck_assert_uint_ne(rc, FA_NONE);
	ck_assert_uint_ne(rs, FA_NONE);
	/* client -> server bytes: client's write stream is the server's read stream */
	ck_assert_uint_eq(m->res[rc].wr_stream, m->res[rs].rd_stream);
	ck_assert_uint_eq(m->res[rs].wr_stream, m->res[rc].rd_stream);
	ck_assert_uint_ne(m->res[rc].wr_stream, m->res[rc].rd_stream);
	ck_assert_uint_eq(m->streams[m->res[rc].wr_stream].written, 5);
	ck_assert_uint_eq(m->streams[m->res[rs].wr_stream].written, 7);
	ck_assert_uint_eq(m->streams[m->res[rc].rd_stream].read, 7);
	tb_free(&b);
}
END_TEST

/* The fd table: open gives a path, dup copies, close forgets, and fdinfo
 * (authoritative at syscall time) wins over a stale entry. */
START_TEST(test_fd_table)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	static const char path[] = "/var/log/app.log";
	uint32_t i, found = 0;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "app");
	e = tb_sys(&b, 100, 200, 10, 10, "openat", 3, (uint64_t)-100, 0x1000, 0x441);
	tb_payload(&b, e, FR_PL_IN, 1, path, sizeof(path));
	tb_sys(&b, 300, 400, 10, 10, "dup", 7, 3, 0, 0);
	/* a blocking write on the dup'ed fd, no fdinfo: named from the table */
	e = tb_sys(&b, 500, 900, 10, 10, "write", 10, 7, 0, 10);
	tb_switch(&b, 600, 0, 10, 10, 2, 0, 0, "app", NULL);
	tb_wake(&b, 850, 0, 0, 0, 10, 10, FR_CTX_HARDIRQ, 14, 0);
	tb_switch(&b, 860, 0, 0, 0, 0, 10, 10, NULL, "app");
	m = tb_build(&b, NULL);
	for (i = 0; i < m->n_waits; i++)
		if (m->waits[i].nr == tb_nr("write")) {
			ck_assert_uint_ne(m->waits[i].res, FA_NONE);
			ck_assert_str_eq(m->res[m->waits[i].res].name, path);
			ck_assert_uint_eq(fa_category_of_wait(m, i), FA_CAT_DISK);
			found++;
		}
	ck_assert_uint_eq(found, 1);
	tb_free(&b);
}
END_TEST

/* Statistics: counts, median from the histogram, the slowest kept. */
START_TEST(test_stats)
{
	struct tb b;
	struct fa_model *m;
	uint32_t i;
	const struct fa_stat *s = NULL;
	uint64_t med;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "t");
	for (i = 0; i < 20; i++)
		tb_sys(&b, 1000 + i * 100000, 1000 + i * 100000 + 10000, 10, 10, "read", 1, 0, 0,
		       1);
	tb_sys(&b, 5 * MS, 55 * MS, 10, 10, "read", 1, 0, 0, 1);
	m = tb_build(&b, NULL);
	for (i = 0; i < m->n_stats; i++)
		if (m->stats[i].nr == tb_nr("read"))
			s = &m->stats[i];
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->count, 21);
	ck_assert_uint_eq(s->total_ns, 20 * 10000 + 50 * MS);
	med = fa_stat__median(s);
	/* 10 us falls in the bucket [8192, 10240): its middle is 9216 */
	ck_assert_uint_eq(med, 9216);
	ck_assert_uint_eq(s->n_top, FA_TOPK);
	ck_assert_uint_eq(s->top[0].exit_ns - s->top[0].enter_ns, 50 * MS);
	ck_assert_uint_eq(s->top[1].exit_ns - s->top[1].enter_ns, 10000);
	tb_free(&b);
}
END_TEST

/*
 * A capture window that starts in the middle of things: a call that began
 * before the window (FR_SC_NO_ENTER) is not judged slow, and the time
 * before the thread's first event is unknown, not invented.
 */
START_TEST(test_window_start)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;
	struct fa_incidents v;
	struct fa_segment *p;
	uint32_t np;
	static const struct iv_expect x[] = {
	    {500 * MS, FA_ST_RUNNABLE, 0, 0},
	    {510 * MS, FA_ST_RUNNING, 0, 0},
	};

	tb_init(&b);
	tb_proc(&b, 10, 1, "t", NULL);
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "other");
	tb_wake(&b, 500 * MS, 1, 20, 20, 10, 10, FR_CTX_TASK, 0, 0);
	tb_switch(&b, 510 * MS, 0, 0, 0, 0, 10, 10, NULL, "t");
	e = tb_sys(&b, 0, 520 * MS, 10, 10, "read", 1, 0, 0, 1);
	e->u.sc.flags = FR_SC_NO_ENTER;
	m = tb_build(&b, NULL);
	expect_ivs(m, 10, x, FR_ARRAY_SIZE(x));
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_uint_eq(v.n, 0);
	fa_incidents__free(&v);
	ck_assert_int_eq(fa_critpath__walk(m, tb_thread(m, 10), 0, 520 * MS, NULL, &p, &np, NULL),
			 0);
	tb_assert_covers(p, np, 0, 520 * MS);
	ck_assert_uint_eq(p[0].category, FA_CAT_UNKNOWN);
	ck_assert_uint_eq(p[0].end_ns, 500 * MS);
	free(p);
	tb_free(&b);
}
END_TEST

/* Hostile numbers do not crash the model: huge cpu, tid 0 targets, zero-
 * length and inverted spans, fds out of range. */
START_TEST(test_hostile_values)
{
	struct tb b;
	struct fa_model *m;
	struct fr_event *e;

	tb_init(&b);
	tb_switch(&b, 10, 65535, 0, 0, 0, 10, 10, NULL, "t");
	tb_wake(&b, 20, 0, 10, 10, 0, 0, FR_CTX_TASK, 0, 0x7fffffff);
	e = tb_ev(&b, 30, 10, 10, FR_EV_PAGE_FAULT, 0);
	e->u.pf.start_ns = 40; /* after the end: ignored as a span */
	e = tb_ev(&b, 50, 10, 10, FR_EV_RECLAIM, 0);
	e->u.reclaim.start_ns = 50;
	tb_sys(&b, 70, 60, 10, 10, "read", -9, 0xffffffffffULL, 0, 0); /* enter after exit */
	tb_sys(&b, 80, 90, 10, 10, "write", 5, (uint64_t)-1, 0, 5);
	e = tb_ev(&b, 95, 10, 10, FR_EV_SCHED_MIGRATE, 0);
	e->u.mig.target_tid = 10;
	e->u.mig.dest_cpu = -5;
	m = tb_build(&b, NULL);
	ck_assert_uint_eq(m->st.events, 7);
	ck_assert_uint_le(m->n_cpus, 4096);
	tb_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("analyze_model");
	TCase *tc = tcase_create("model");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_block_wake_run);
	tcase_add_test(tc, test_preempt_migrate_repair);
	tcase_add_test(tc, test_overlays);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_first_seen_woken);
	tcase_add_test(tc, test_pipe_flow);
	tcase_add_test(tc, test_tcp_stream);
	tcase_add_test(tc, test_fd_table);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_window_start);
	tcase_add_test(tc, test_hostile_values);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
