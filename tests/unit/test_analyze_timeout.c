// SPDX-License-Identifier: MIT
/*
 * test_analyze_timeout.c: a client that gives up waiting for its answer.
 *
 * The story of `make demo`, as a synthetic bundle: checkout (10) sends a
 * request over TCP to db (20) and polls for the answer with a 750 ms
 * timeout; db read the request and is stuck in a write() in memory-cgroup
 * reclaim because batch (30), in its cgroup, holds 512 MiB; db answers at
 * +1.5 s, after checkout has given up and exited with status 1.
 *
 * Times (ms): checkout writes its request [1000, 1000.01], polls
 * [1001, 1751) (blocked from 1001, woken by a timer at 1751), exits at
 * 1752.  db reads the request at 1002, writes to its file [1003, 2500]
 * (blocked [1003, 2490), in reclaim [1004, 2490)), answers [2500, 2501].
 */
#include "tests/unit/test_analyze.h"

#include <errno.h>
#include <poll.h>

#define CLIENT 10
#define DB 20
#define BATCH 30

struct scenario {
	bool request;	  /* checkout sends its request before polling */
	bool answer;	  /* db answers (late) */
	bool two_fds;	  /* checkout polls its socket and stdin */
	const char *wait; /* "poll" or "read" (a read with SO_RCVTIMEO) */
};

static struct fa_model *build(struct tb *b, const struct scenario *sc)
{
	struct fr_sock_tuple ct = tb_tcp(0x0a000002, 40000, 0x0a000001, 5432);
	struct fr_sock_tuple st = tb_tcp(0x0a000001, 5432, 0x0a000002, 40000);
	struct pollfd pfd[2] = {{.fd = 3, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
	struct fr_event *e;

	tb_init(b);
	tb_proc(b, CLIENT, 1, "checkout", "/sys/fs/cgroup/shop");
	tb_proc(b, DB, 1, "db", "/sys/fs/cgroup/db");
	tb_proc(b, BATCH, 1, "batch", "/sys/fs/cgroup/db");
	/* batch holds 512 MiB of the cgroup */
	tb_switch(b, 0, 1, 0, 0, 0, BATCH, BATCH, NULL, "batch");
	e = tb_sys(b, 100, 200, BATCH, BATCH, "mmap", 0x7f0000000000LL, 0, 512ULL << 20, 3);
	e->u.sc.args[3] = 0x22; /* MAP_PRIVATE | MAP_ANONYMOUS */
	tb_switch(b, 300, 1, BATCH, BATCH, 1, 0, 0, "batch", NULL);

	/* checkout on cpu 0: request, wait, give up */
	tb_switch(b, 900 * MS, 0, 0, 0, 0, CLIENT, CLIENT, NULL, "checkout");
	e = tb_sys(b, 999 * MS, 999 * MS + 10 * US, CLIENT, CLIENT, "read", 1, 0, 0x1000, 1);
	tb_fdinfo(b, e, 0, 0, FR_FD_CHR, 5, NULL); /* fd 0 is known: a tty */
	if (sc->request) {
		e = tb_sys(b, 1000 * MS, 1000 * MS + 10 * US, CLIENT, CLIENT, "write", 24, 3,
			   0x2000, 24);
	} else {
		/* a connection that sent nothing: only an option set */
		e = tb_sys(b, 1000 * MS, 1000 * MS + 10 * US, CLIENT, CLIENT, "setsockopt", 0, 3, 1,
			   20);
	}
	tb_fdinfo(b, e, 0, 3, FR_FD_SOCKET, 900, &ct);
	if (!strcmp(sc->wait, "poll")) {
		e = tb_sys(b, 1001 * MS, 1751 * MS, CLIENT, CLIENT, "poll", 0, 0x3000,
			   sc->two_fds ? 2 : 1, 750);
		tb_payload(b, e, FR_PL_IN, 0, pfd, sc->two_fds ? 16 : 8);
	} else {
		e = tb_sys(b, 1001 * MS, 1751 * MS, CLIENT, CLIENT, "read", -EAGAIN, 3, 0x3000,
			   256);
		tb_fdinfo(b, e, 0, 3, FR_FD_SOCKET, 900, &ct);
	}
	tb_switch(b, 1001 * MS + 20 * US, 0, CLIENT, CLIENT, 1, 0, 0, "checkout", NULL);
	tb_wake(b, 1751 * MS - 10 * US, 0, 0, 0, CLIENT, CLIENT, FR_CTX_TIMER, 0, 0);
	tb_switch(b, 1751 * MS - 5 * US, 0, 0, 0, 0, CLIENT, CLIENT, NULL, "checkout");
	tb_sys(b, 1751 * MS + 10 * US, 1751 * MS + 20 * US, CLIENT, CLIENT, "write", 58, 2, 0x4000,
	       58);
	e = tb_ev(b, 1752 * MS, CLIENT, CLIENT, FR_EV_PROC_EXIT, 0);
	e->u.exit.status = 1 << 8;
	e->u.exit.flags = FR_EXIT_GROUP_DEAD;
	tb_switch(b, 1752 * MS + 10 * US, 0, CLIENT, CLIENT, 64 /* dead */, 0, 0, "checkout", NULL);

	/* db on cpu 1: reads the request, stores it (in reclaim), answers */
	tb_switch(b, 500 * MS, 1, 0, 0, 0, DB, DB, NULL, "db");
	e = tb_sys(b, 1002 * MS, 1002 * MS + 10 * US, DB, DB, "read", sc->request ? 24 : 0, 5,
		   0x5000, 255);
	tb_fdinfo(b, e, 0, 5, FR_FD_SOCKET, 901, &st);
	e = tb_sys(b, 1003 * MS, 2500 * MS, DB, DB, "write", 262144, 4, 0x6000, 262144);
	tb_fdinfo(b, e, 0, 4, FR_FD_FILE, 55, NULL);
	tb_switch(b, 1003 * MS + 10 * US, 1, DB, DB, 2 /* D */, 0, 0, "db", NULL);
	e = tb_ev(b, 2490 * MS, DB, DB, FR_EV_RECLAIM, 1);
	e->u.reclaim.start_ns = 1004 * MS;
	e->u.reclaim.kind = FR_RECLAIM_MEMCG;
	e->u.reclaim.memcg_id = 77;
	tb_wake(b, 2490 * MS + 10 * US, 1, 0, 0, DB, DB, FR_CTX_SOFTIRQ, 4, 1);
	tb_switch(b, 2490 * MS + 20 * US, 1, 0, 0, 0, DB, DB, NULL, "db");
	if (sc->answer) {
		e = tb_sys(b, 2500 * MS, 2501 * MS, DB, DB, "write", 21, 5, 0x7000, 21);
		tb_fdinfo(b, e, 0, 5, FR_FD_SOCKET, 901, &st);
	}
	return tb_build(b, NULL);
}

static const struct fa_incident *find_kind(const struct fa_incidents *v, unsigned kind)
{
	uint32_t i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].kind == kind)
			return &v->v[i];
	return NULL;
}

/* The whole story: a timeout incident whose path goes to db's write in
 * reclaim, blamed on batch. */
START_TEST(test_timeout_late_answer)
{
	static const struct scenario sc = {.request = true, .answer = true, .wait = "poll"};
	struct tb b;
	struct fa_model *m = build(&b, &sc);
	struct fa_incidents v;
	struct fa_incident *inc;
	uint64_t db_reclaim;
	uint32_t i;
	bool via_tcp = false;

	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_ptr_null(find_kind(&v, FA_INC_EXIT)); /* the timeout says it better */
	inc = (struct fa_incident *)find_kind(&v, FA_INC_TIMEOUT);
	ck_assert_ptr_nonnull(inc);
	ck_assert_uint_eq(inc->thread, tb_thread(m, CLIENT));
	ck_assert_uint_eq(inc->start_ns, 1001 * MS);
	ck_assert_uint_eq(inc->end_ns, 1751 * MS);
	ck_assert_uint_eq(inc->nr, tb_nr("poll"));
	ck_assert_int_eq(inc->sig, 1);
	ck_assert_str_eq(fa_incident_kind_name(inc->kind), "timeout");
	ASSERT_HAS(inc->what,
		   "poll() on tcp 10.0.0.2:40000->10.0.0.1:5432 timed out after 750.0 ms, "
		   "then exited with status 1");
	ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
	tb_assert_covers(inc->path, inc->n_path, inc->start_ns, inc->end_ns);
	/* db's time in reclaim during the wait stands for it */
	db_reclaim = tb_path_ns(inc->path, inc->n_path, tb_thread(m, DB), FA_CAT_RECLAIM);
	ck_assert_uint_ge(db_reclaim, 745 * MS);
	for (i = 0; i < inc->n_path; i++)
		if (inc->path[i].thread == tb_thread(m, DB)) {
			ck_assert_uint_eq(inc->path[i].via, FA_VIA_TCP);
			ck_assert_uint_eq(inc->path[i].depth, 1);
			via_tcp = true;
		}
	ck_assert(via_tcp);
	ck_assert_uint_ge(inc->n_causes, 1);
	ck_assert_uint_eq(inc->causes[0].category, FA_CAT_RECLAIM);
	ck_assert_uint_eq(inc->causes[0].culprits[0].thread, tb_thread(m, BATCH));
	ck_assert_uint_eq(inc->causes[0].on_thread, tb_thread(m, DB));
	ASSERT_HAS(inc->summary,
		   "checkout 10 gave up: its poll() on tcp 10.0.0.2:40000->10.0.0.1:5432 "
		   "timed out after 750.0 ms and it exited with status 1 because batch 30 "
		   "filled the memory cgroup");
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* No request sent: nobody was working on an answer; the wait is a leaf
 * (network, the remote end), still a timeout incident. */
START_TEST(test_timeout_no_request)
{
	static const struct scenario sc = {.request = false, .answer = true, .wait = "poll"};
	struct tb b;
	struct fa_model *m = build(&b, &sc);
	struct fa_incidents v;
	struct fa_incident *inc;

	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	inc = (struct fa_incident *)find_kind(&v, FA_INC_TIMEOUT);
	ck_assert_ptr_nonnull(inc);
	ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
	tb_assert_covers(inc->path, inc->n_path, inc->start_ns, inc->end_ns);
	ck_assert_uint_eq(tb_path_ns(inc->path, inc->n_path, tb_thread(m, DB), FA_CAT_RECLAIM), 0);
	ck_assert_uint_ge(tb_path_ns(inc->path, inc->n_path, tb_thread(m, CLIENT), FA_CAT_NETWORK),
			  749 * MS);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* db never answers within the recording: nothing to follow either. */
START_TEST(test_timeout_no_answer)
{
	static const struct scenario sc = {.request = true, .answer = false, .wait = "poll"};
	struct tb b;
	struct fa_model *m = build(&b, &sc);
	struct fa_incidents v;
	struct fa_incident *inc;

	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	inc = (struct fa_incident *)find_kind(&v, FA_INC_TIMEOUT);
	ck_assert_ptr_nonnull(inc);
	ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
	ck_assert_uint_eq(tb_path_ns(inc->path, inc->n_path, tb_thread(m, DB), FA_CAT_RECLAIM), 0);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* A poll over two resources waits on none of them in particular: no
 * resource, no peer to follow. */
START_TEST(test_timeout_two_fds)
{
	static const struct scenario sc = {
	    .request = true, .answer = true, .two_fds = true, .wait = "poll"};
	struct tb b;
	struct fa_model *m = build(&b, &sc);
	struct fa_incidents v;
	struct fa_incident *inc;

	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	inc = (struct fa_incident *)find_kind(&v, FA_INC_TIMEOUT);
	ck_assert_ptr_nonnull(inc);
	ck_assert_uint_eq(inc->res, FA_NONE);
	ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
	ck_assert_uint_eq(tb_path_ns(inc->path, inc->n_path, tb_thread(m, DB), FA_CAT_RECLAIM), 0);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* The last wait was a read that failed (EAGAIN after SO_RCVTIMEO): a plain
 * exit incident, as before. */
START_TEST(test_timeout_not_a_poll)
{
	static const struct scenario sc = {.request = true, .answer = true, .wait = "read"};
	struct tb b;
	struct fa_model *m = build(&b, &sc);
	struct fa_incidents v;

	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_ptr_null(find_kind(&v, FA_INC_TIMEOUT));
	ck_assert_ptr_nonnull(find_kind(&v, FA_INC_EXIT));
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* tb_build, with a capture manifest whose filters are `filters` (JSON). */
static struct fa_model *build_capture(struct tb *b, const char *filters)
{
	struct fr_writer_opts wo = {.chunk_bytes = 4096, .mtime = 1795000000};
	struct fr_writer *w;
	json_error_t je;
	char err[512];
	size_t i;
	int fd;

	snprintf(b->path, sizeof(b->path), "/tmp/fr-analyze-test-XXXXXX");
	fd = mkstemp(b->path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	for (i = 0; i < b->n; i++)
		b->ev[i].ref.offset = (uint32_t)i;
	qsort(b->ev, b->n, sizeof(*b->ev), tb_cmp);
	ck_assert_int_eq(fr_writer__open(b->path, &wo, &w, err, sizeof(err)), 0);
	for (i = 0; i < b->n; i++) {
		memset(&b->ev[i].ref, 0, sizeof(b->ev[i].ref));
		ck_assert_int_eq(fr_writer__add_event(w, &b->ev[i]), 0);
	}
	for (i = 0; i < b->n_procs; i++)
		ck_assert_int_eq(fr_writer__add_process(w, &b->procs[i]), 0);
	fr_writer__manifest(w)->capture =
	    json_pack("{s:s,s:o}", "mode", "capture", "filters", json_loads(filters, 0, &je));
	ck_assert_ptr_nonnull(fr_writer__manifest(w)->capture);
	ck_assert_int_eq(fr_writer__finish(w), 0);
	fr_writer__free(w);
	ck_assert_int_eq(fr_reader__open(b->path, &b->r, err, sizeof(err)), 0);
	ck_assert_int_eq(fa_model__build(b->r, NULL, &b->m, err, sizeof(err)), 0);
	return b->m;
}

/*
 * A capture filtered to db lists cc1 in its process table (it met db on
 * the CPU: the switches to and from it are recorded), but cc1 was not
 * recorded: its timeline is what db saw of it.  It has no incident of its
 * own then; recorded system-wide, its 90% of time waiting for the CPU is a
 * cpu-wait incident.
 */
START_TEST(test_filtered_capture)
{
	static const char *const filters[] = {"[{\"kind\":\"comm\",\"comm\":\"db\"}]",
					      "[{\"kind\":\"system-wide\"}]"};
	int k;

	for (k = 0; k < 2; k++) {
		struct tb b;
		struct fa_model *m;
		struct fa_incidents v;
		uint32_t i, cc1_incidents = 0;

		tb_init(&b);
		tb_proc(&b, DB, 1, "db", NULL);
		tb_proc(&b, 40, 1, "cc1", NULL);
		/* each 100 ms: db preempts cc1 and runs 90 ms, then cc1 runs 10 ms */
		for (i = 0; i < 20; i++) {
			uint64_t t = i * 100 * MS;

			tb_switch(&b, t, 0, 40, 40, 0, DB, DB, "cc1", "db");
			tb_sys(&b, t + 1 * MS, t + 2 * MS, DB, DB, "getpid", DB, 0, 0, 0);
			tb_switch(&b, t + 90 * MS, 0, DB, DB, 0, 40, 40, "db", "cc1");
		}
		m = build_capture(&b, filters[k]);
		ck_assert(m->threads[tb_thread(m, DB)].flags & FA_TH_RECORDED);
		ck_assert_int_eq(!!(m->threads[tb_thread(m, 40)].flags & FA_TH_RECORDED), k);
		ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
		for (i = 0; i < v.n; i++)
			if (v.v[i].thread == tb_thread(m, 40)) {
				ck_assert_uint_eq(v.v[i].kind, FA_INC_CPU_WAIT);
				cc1_incidents++;
			}
		ck_assert_uint_eq(cc1_incidents, (unsigned)k);
		fa_incidents__free(&v);
		tb_free(&b);
	}
}
END_TEST

/*
 * An OOM kill in memory cgroup 99 (another program's, not recorded: a
 * capture filtered to the demo records OOM kills anywhere) does not blame
 * batch, which fills memory cgroup 77; one in cgroup 77 does.
 */
START_TEST(test_oom_other_memcg)
{
	static const uint64_t memcgs[] = {99, 77};
	int k;

	for (k = 0; k < 2; k++) {
		struct tb b;
		struct fa_model *m;
		struct fa_incidents v;
		struct fr_event *e;
		const struct fa_incident *inc;

		tb_init(&b);
		tb_proc(&b, BATCH, 1, "batch", NULL);
		tb_proc(&b, 500, 1, "cap_mem", NULL); /* in the table, cgroup unknown */
		tb_switch(&b, 0, 1, 0, 0, 0, BATCH, BATCH, NULL, "batch");
		e = tb_sys(&b, 100, 200, BATCH, BATCH, "mmap", 0x7f0000000000LL, 0, 512ULL << 20,
			   3);
		e->u.sc.args[3] = 0x22; /* MAP_PRIVATE | MAP_ANONYMOUS */
		e = tb_ev(&b, 10 * MS, BATCH, BATCH, FR_EV_RECLAIM, 1);
		e->u.reclaim.start_ns = 5 * MS;
		e->u.reclaim.kind = FR_RECLAIM_MEMCG;
		e->u.reclaim.memcg_id = 77;
		/* the victim met batch on a CPU: it is in the model */
		tb_switch(&b, 15 * MS, 1, BATCH, BATCH, 0, 500, 500, "batch", "cap_mem");
		e = tb_ev(&b, 20 * MS, 500, 500, FR_EV_OOM_KILL, 1);
		e->u.oom.victim_pid = 500;
		e->u.oom.memcg_id = memcgs[k];
		e->u.oom.anon_rss_kb = 32000;
		snprintf(e->u.oom.victim_comm, sizeof(e->u.oom.victim_comm), "cap_mem");
		m = tb_build(&b, NULL);
		ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
		inc = find_kind(&v, FA_INC_OOM_KILL);
		ck_assert_ptr_nonnull(inc);
		ck_assert_int_eq(fa_incident__explain(m, (struct fa_incident *)inc, NULL), 0);
		if (k)
			ASSERT_HAS(inc->summary, "the largest allocator in that memory cgroup was "
						 "batch 30");
		else
			ck_assert_msg(!strstr(inc->summary, "batch"), "blames batch: %s",
				      inc->summary);
		fa_incidents__free(&v);
		tb_free(&b);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("analyze_timeout");
	TCase *tc = tcase_create("timeout");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_timeout_late_answer);
	tcase_add_test(tc, test_timeout_no_request);
	tcase_add_test(tc, test_timeout_no_answer);
	tcase_add_test(tc, test_timeout_two_fds);
	tcase_add_test(tc, test_timeout_not_a_poll);
	tcase_add_test(tc, test_filtered_capture);
	tcase_add_test(tc, test_oom_other_memcg);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
