// SPDX-License-Identifier: MIT
/*
 * test_analyze_incidents.c: incident detection, failure explanations,
 * --focus parsing, the JSON report's schema, and robustness of the whole
 * pipeline on random events.
 */
#include <errno.h>
#include <jansson.h>

#include "tests/unit/test_analyze.h"
#include "formats/util.h"

static const struct fa_incident *find_kind(const struct fa_incidents *v, unsigned kind)
{
	uint32_t i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].kind == kind)
			return &v->v[i];
	return NULL;
}

static unsigned count_kind(const struct fa_incidents *v, unsigned kind)
{
	uint32_t i, n = 0;

	for (i = 0; i < v->n; i++)
		n += v->v[i].kind == kind;
	return n;
}

/* 20 reads of 10 us and one of 50 ms: one slow-syscall incident, its
 * normal about 10 us. */
START_TEST(test_slow_syscall)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	const struct fa_incident *inc;
	uint32_t i;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "t");
	for (i = 0; i < 20; i++)
		tb_sys(&b, 1000 + i * 100000, 1000 + i * 100000 + 10000, 10, 10, "read", 1, 0, 0,
		       1);
	tb_sys(&b, 5 * MS, 55 * MS, 10, 10, "read", 1, 0, 0, 1);
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_uint_eq(v.n, 1);
	inc = &v.v[0];
	ck_assert_uint_eq(inc->kind, FA_INC_SLOW_SYSCALL);
	ck_assert_uint_eq(inc->start_ns, 5 * MS);
	ck_assert_uint_eq(inc->end_ns, 55 * MS);
	ck_assert_uint_eq(inc->typical_ns, 9216);
	ck_assert_uint_eq(inc->count, 21);
	ck_assert_str_eq(inc->what, "read()");
	ck_assert_int_eq(fa_incident__explain(m, &v.v[0], NULL), 0);
	/* no scheduling inside: the thread ran the whole time */
	ck_assert_uint_eq(inc->n_causes, 1);
	ck_assert_uint_eq(inc->causes[0].category, FA_CAT_RUNNING);
	ASSERT_HAS(inc->summary,
		   "The read() by t 10 took 50.0 ms (normally 9.2 us) because t 10 itself was "
		   "running on a CPU for 50.0 ms.");
	fa_incidents__free(&v);

	/* thresholds: with --min-slow 60ms nothing is slow */
	{
		struct fa_find_opts o = {.min_slow_ns = 60 * MS};

		ck_assert_int_eq(fa_incidents__find(m, &o, &v), 0);
		ck_assert_uint_eq(v.n, 0);
		fa_incidents__free(&v);
	}
	tb_free(&b);
}
END_TEST

/* Sleeping as long as asked is not an incident; sleeping 30x longer is. */
START_TEST(test_sleep_as_asked)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fr_event *e;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "t");
	e = tb_sys(&b, 1 * MS, 1001500 * US, 10, 10, "nanosleep", 0, 0x100, 0, 0);
	tb_timespec(&b, e, 0, 1000 * MS);
	e = tb_sys(&b, 2000 * MS, 2300 * MS, 10, 10, "nanosleep", 0, 0x100, 0, 0);
	tb_timespec(&b, e, 0, 10 * MS);
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_uint_eq(v.v[0].kind, FA_INC_SLOW_SYSCALL);
	ck_assert_uint_eq(v.v[0].start_ns, 2000 * MS);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* Idle waits (epoll_wait, accept) are not incidents however long. */
START_TEST(test_idle_waits)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	uint32_t i;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "server");
	for (i = 0; i < 10; i++)
		tb_sys(&b, i * MS, i * MS + 100, 10, 10, "epoll_wait", 1, 4, 0, 16);
	tb_sys(&b, 20 * MS, 5020 * MS, 10, 10, "epoll_wait", 1, 4, 0, 16);
	tb_sys(&b, 6000 * MS, 9000 * MS, 10, 10, "accept4", 5, 3, 0, 0);
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_uint_eq(count_kind(&v, FA_INC_SLOW_SYSCALL), 0);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/*
 * Requests on a TCP connection.  Client: 10 requests answered in 1 ms, one
 * answered in two reads of 30 ms each (a 61 ms request).  Server: 9
 * requests handled in 1 ms, one in 50 ms; its reads of the next request
 * (idle) are not incidents.
 */
START_TEST(test_requests)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fr_event *e;
	struct fr_sock_tuple cli = tb_tcp(0x7f000001, 40000, 0x7f000001, 8080);
	struct fr_sock_tuple srv = tb_tcp(0x7f000001, 8080, 0x7f000001, 40000);
	uint32_t i;
	uint64_t t = 0;
	bool client_req = false, server_req = false;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "client");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "server");
	for (i = 0; i < 11; i++) {
		uint64_t handle = i == 5 ? 50 * MS : 1 * MS;

		t += 100 * MS;
		/* client sends, server reads it (after an idle wait), handles, answers */
		e = tb_sys(&b, t, t + 10 * US, 10, 10, "write", 10, 3, 0, 10);
		tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 1, &cli);
		e = tb_sys(&b, t - 90 * MS, t + 20 * US, 20, 20, "read", 10, 4, 0, 100);
		tb_fdinfo(&b, e, 0, 4, FR_FD_SOCKET, 2, &srv);
		e = tb_sys(&b, t + 20 * US + handle, t + 30 * US + handle, 20, 20, "write", 10, 4,
			   0, 10);
		tb_fdinfo(&b, e, 0, 4, FR_FD_SOCKET, 2, &srv);
		if (i == 8) {
			/* the slow answer comes in two halves */
			e = tb_sys(&b, t + 20 * US, t + 30 * MS, 10, 10, "read", 5, 3, 0, 100);
			tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 1, &cli);
			e = tb_sys(&b, t + 30 * MS, t + 61 * MS, 10, 10, "read", 5, 3, 0, 100);
			tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 1, &cli);
		} else {
			e = tb_sys(&b, t + 20 * US, t + 40 * US + handle, 10, 10, "read", 10, 3, 0,
				   100);
			tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 1, &cli);
		}
	}
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, &(struct fa_find_opts){.top = 20}, &v), 0);
	for (i = 0; i < v.n; i++) {
		const struct fa_incident *inc = &v.v[i];

		if (inc->kind == FA_INC_SLOW_REQUEST && inc->nr == FA_NR_CLIENT_REQ) {
			client_req = true;
			ck_assert_uint_eq(m->threads[inc->thread].tid, 10);
			ck_assert_uint_eq(inc->start_ns, 900 * MS);
			ck_assert_uint_eq(inc->end_ns, 961 * MS);
		}
		if (inc->kind == FA_INC_SLOW_REQUEST && inc->nr == FA_NR_SERVER_REQ) {
			server_req = true;
			ck_assert_uint_eq(m->threads[inc->thread].tid, 20);
			ck_assert_uint_eq(inc->start_ns, 600 * MS + 20 * US);
			ck_assert_uint_eq(inc->end_ns, 600 * MS + 30 * US + 50 * MS);
		}
		/* the server's idle reads are not slow calls */
		ck_assert(!(inc->kind == FA_INC_SLOW_SYSCALL && m->threads[inc->thread].tid == 20));
	}
	ck_assert(client_req);
	ck_assert(server_req);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* connect() refused, then exit(1): an exit incident naming the failed
 * call, and the error itself. */
START_TEST(test_error_and_exit)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fr_event *e;
	const struct fa_incident *x, *er;
	struct fr_sock_tuple t = tb_tcp(0x7f000001, 50000, 0x7f000001, 9);
	uint32_t i;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "cli");
	e = tb_sys(&b, 100, 200, 10, 10, "connect", -ECONNREFUSED, 3, 0x1000, 16);
	tb_fdinfo(&b, e, 0, 3, FR_FD_SOCKET, 9, &t);
	e = tb_ev(&b, 300 * MS, 10, 10, FR_EV_PROC_EXIT, 0);
	e->u.exit.status = 1 << 8;
	e->u.exit.flags = FR_EXIT_GROUP_DEAD;
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	for (i = 0; i < v.n; i++)
		ck_assert_int_eq(fa_incident__explain(m, &v.v[i], NULL), 0);
	ck_assert_uint_eq(v.n, 2);
	x = &v.v[0];
	ck_assert_uint_eq(x->kind, FA_INC_EXIT); /* failures rank first */
	ck_assert_int_eq(x->sig, 1);
	ASSERT_HAS(x->summary, "cli 10 exited with status 1");
	ASSERT_HAS(x->summary, "after connect() on tcp ");
	ASSERT_HAS(x->summary, "failed with ECONNREFUSED");
	ck_assert_uint_eq(x->causes[0].category, FA_CAT_NETWORK);
	er = find_kind(&v, FA_INC_ERROR);
	ck_assert_ptr_nonnull(er);
	ck_assert_int_eq(er->ret, -ECONNREFUSED);
	ck_assert_uint_eq(er->count, 1);
	ASSERT_HAS(er->summary, "Nothing was listening at tcp ");
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* Killed by another process's signal: the sender is the culprit. */
START_TEST(test_fatal_signal)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fr_event *e;
	const struct fa_incident *inc;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 50, 50, NULL, "killer");
	tb_switch(&b, 0, 1, 0, 0, 0, 60, 60, NULL, "victim");
	e = tb_ev(&b, 1000, 50, 50, FR_EV_SIGNAL_GENERATE, 0);
	e->u.sig_gen.target_pid = 60;
	e->u.sig_gen.target_tid = 60;
	e->u.sig_gen.sig = 15;
	e = tb_ev(&b, 1100, 60, 60, FR_EV_PROC_EXIT, 1);
	e->u.exit.status = 15;
	e->u.exit.flags = FR_EXIT_GROUP_DEAD;
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	ck_assert_uint_eq(v.n, 1);
	inc = &v.v[0];
	ck_assert_uint_eq(inc->kind, FA_INC_FATAL_SIGNAL);
	ck_assert_int_eq(inc->sig, 15);
	ck_assert_uint_eq(inc->culprit, tb_thread(m, 50));
	ck_assert_int_eq(fa_incident__explain(m, &v.v[0], NULL), 0);
	ck_assert_uint_eq(inc->causes[0].category, FA_CAT_IPC);
	ck_assert_str_eq(m->threads[inc->causes[0].culprits[0].thread].comm, "killer");
	ASSERT_HAS(inc->summary, "victim 60 was killed by ");
	ASSERT_HAS(inc->summary, " sent by killer 50.");
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* EPIPE: the reader of the pipe had exited. */
START_TEST(test_epipe_peer)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fr_event *e;
	const struct fa_incident *inc;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "producer");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "consumer");
	e = tb_sys(&b, 100, 200, 10, 10, "write", 4, 1, 0, 4);
	tb_fdinfo(&b, e, 0, 1, FR_FD_PIPE, 42, NULL);
	e = tb_sys(&b, 150, 300, 20, 20, "read", 4, 0, 0, 100);
	tb_fdinfo(&b, e, 0, 0, FR_FD_PIPE, 42, NULL);
	e = tb_ev(&b, 400, 20, 20, FR_EV_PROC_EXIT, 1);
	e->u.exit.flags = FR_EXIT_GROUP_DEAD;
	e = tb_sys(&b, 500, 600, 10, 10, "write", -EPIPE, 1, 0, 4);
	tb_fdinfo(&b, e, 0, 1, FR_FD_PIPE, 42, NULL);
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	inc = find_kind(&v, FA_INC_ERROR);
	ck_assert_ptr_nonnull(inc);
	ck_assert_int_eq(fa_incident__explain(m, (struct fa_incident *)inc, NULL), 0);
	ASSERT_HAS(inc->what, "write() on pipe:[42] failed with EPIPE");
	ASSERT_HAS(inc->summary, "The other end belonged to consumer 20, which had exited.");
	ck_assert_uint_eq(inc->culprit, tb_thread(m, 20));
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

struct focus_case {
	const char *spec;
	int ok;
	uint32_t pid, tid;
	const char *comm;
	uint64_t since, until;
};

START_TEST(test_focus_parse)
{
	static const struct focus_case cases[] = {
	    {"pid:12", 1, 12, 0, "", 0, 0},
	    {"tid:4242", 1, 0, 4242, "", 0, 0},
	    {"comm:nginx", 1, 0, 0, "nginx", 0, 0},
	    {"window:1-2", 1, 0, 0, "", 1000000000ULL, 2000000000ULL},
	    {"window:200ms-1.5s", 1, 0, 0, "", 200000000ULL, 1500000000ULL},
	    {"pid:0", 0, 0, 0, "", 0, 0},
	    {"pid:x", 0, 0, 0, "", 0, 0},
	    {"pid:99999999999", 0, 0, 0, "", 0, 0},
	    {"tid:", 0, 0, 0, "", 0, 0},
	    {"comm:", 0, 0, 0, "", 0, 0},
	    {"comm:abcdefghijklmnop", 0, 0, 0, "", 0, 0},
	    {"window:2-1", 0, 0, 0, "", 0, 0},
	    {"window:1", 0, 0, 0, "", 0, 0},
	    {"window:a-b", 0, 0, 0, "", 0, 0},
	    {"foo:1", 0, 0, 0, "", 0, 0},
	    {"pid", 0, 0, 0, "", 0, 0},
	};
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(cases); i++) {
		struct fa_focus f;
		char err[256] = "";
		int rc;

		memset(&f, 0, sizeof(f));
		rc = fa_focus__parse(&f, cases[i].spec, err, sizeof(err));
		ck_assert_msg((rc == 0) == cases[i].ok, "%s: rc %d (%s)", cases[i].spec, rc, err);
		if (!cases[i].ok) {
			ck_assert_msg(err[0], "%s: no message", cases[i].spec);
			continue;
		}
		ck_assert(f.set);
		ck_assert_uint_eq(f.pid, cases[i].pid);
		ck_assert_uint_eq(f.tid, cases[i].tid);
		ck_assert_str_eq(f.comm, cases[i].comm);
		ck_assert_uint_eq(f.since_ns, cases[i].since);
		ck_assert_uint_eq(f.until_ns, cases[i].until);
		fa_focus__anchor(&f, 1000);
		if (cases[i].until) {
			ck_assert_uint_eq(f.since_ns, cases[i].since + 1000);
			fa_focus__anchor(&f, 1000); /* once only */
			ck_assert_uint_eq(f.since_ns, cases[i].since + 1000);
		}
	}
}
END_TEST

/* --focus restricts incidents to the chosen thread and adds its whole life. */
START_TEST(test_focus_incident)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fa_focus f = {0};
	struct fa_find_opts o = {0};
	char err[128];
	uint32_t i;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "a");
	tb_switch(&b, 0, 1, 0, 0, 0, 20, 20, NULL, "b");
	tb_sys(&b, 1 * MS, 100 * MS, 10, 10, "read", 1, 0, 0, 1);
	tb_sys(&b, 1 * MS, 200 * MS, 20, 20, "read", 1, 0, 0, 1);
	tb_switch(&b, 300 * MS, 1, 20, 20, 1, 0, 0, "b", NULL);
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_focus__parse(&f, "comm:b", err, sizeof(err)), 0);
	o.focus = &f;
	ck_assert_int_eq(fa_incidents__find(m, &o, &v), 0);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_uint_eq(v.v[0].kind, FA_INC_FOCUS);
	ck_assert_uint_eq(v.v[0].start_ns, 0);
	ck_assert_uint_eq(v.v[0].end_ns, 300 * MS);
	for (i = 0; i < v.n; i++)
		ck_assert_uint_eq(m->threads[v.v[i].thread].tid, 20);
	fa_incidents__free(&v);

	/* a window that excludes b's read */
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(fa_focus__parse(&f, "window:250ms-300ms", err, sizeof(err)), 0);
	fa_focus__anchor(&f, m->start_ns);
	ck_assert_int_eq(fa_incidents__find(m, &o, &v), 0);
	ck_assert_uint_eq(count_kind(&v, FA_INC_SLOW_SYSCALL), 0);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

static json_t *get(json_t *o, const char *k, json_type type)
{
	json_t *v = json_object_get(o, k);

	ck_assert_msg(v != NULL, "missing key %s", k);
	ck_assert_msg(json_typeof(v) == type, "key %s has type %d, expected %d", k, json_typeof(v),
		      type);
	return v;
}

static void check_thread_obj(json_t *t)
{
	get(t, "pid", JSON_INTEGER);
	get(t, "tid", JSON_INTEGER);
	get(t, "comm", JSON_STRING);
}

/* The JSON report has the fields DESIGN.md names, with their types. */
START_TEST(test_json_schema)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fr_event *e;
	struct fa_focus f = {0};
	struct fa_find_opts o = {.focus = &f};
	json_t *arr, *inc, *a, *x, *bundle;
	char err[64], *dump;
	size_t i;

	tb_init(&b);
	tb_proc(&b, 100, 1, "client", NULL);
	tb_proc(&b, 200, 1, "server", NULL);
	tb_switch(&b, 1000, 0, 0, 0, 0, 100, 100, NULL, "client");
	e = tb_sys(&b, 1500, 6000, 100, 100, "read", 10, 3, 0x1000, 100);
	tb_fdinfo(&b, e, 0, 3, FR_FD_PIPE, 777, NULL);
	tb_switch(&b, 2000, 0, 100, 100, 1, 200, 200, "client", "server");
	tb_wake(&b, 5000, 0, 200, 200, 100, 100, FR_CTX_TASK, 0, 0);
	tb_switch(&b, 5500, 0, 200, 200, 1, 100, 100, "server", "client");
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_focus__parse(&f, "pid:100", err, sizeof(err)), 0);
	ck_assert_int_eq(fa_incidents__find(m, &o, &v), 0);
	ck_assert_uint_ge(v.n, 1);
	for (i = 0; i < v.n; i++)
		ck_assert_int_eq(fa_incident__explain(m, &v.v[i], NULL), 0);
	arr = json_array();
	ck_assert_int_eq(fa_report__json_incidents(arr, m, &v, "x.frb"), 0);
	/* round trip through text: valid JSON */
	dump = json_dumps(arr, 0);
	json_decref(arr);
	arr = json_loads(dump, 0, NULL);
	free(dump);
	ck_assert_ptr_nonnull(arr);
	inc = json_array_get(arr, 0);
	ck_assert_str_eq(json_string_value(get(inc, "kind", JSON_STRING)), "focus");
	check_thread_obj(get(inc, "thread", JSON_OBJECT));
	ck_assert_int_eq(json_integer_value(get(inc, "start_ns", JSON_INTEGER)), 1000);
	ck_assert_int_eq(json_integer_value(get(inc, "duration_ns", JSON_INTEGER)),
			 6000 - 1000); /* to the last event */
	get(inc, "summary", JSON_STRING);
	a = get(inc, "breakdown", JSON_ARRAY);
	ck_assert_uint_ge(json_array_size(a), 1);
	json_array_foreach (a, i, x) {
		get(x, "category", JSON_STRING);
		get(x, "ns", JSON_INTEGER);
		get(x, "share", JSON_REAL);
	}
	a = get(inc, "root_causes", JSON_ARRAY);
	ck_assert_uint_ge(json_array_size(a), 1);
	json_array_foreach (a, i, x) {
		json_t *c, *cu;
		size_t k;

		get(x, "category", JSON_STRING);
		get(x, "ns", JSON_INTEGER);
		get(x, "share", JSON_REAL);
		get(x, "explanation", JSON_STRING);
		cu = get(x, "culprits", JSON_ARRAY);
		json_array_foreach (cu, k, c)
			check_thread_obj(c);
	}
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(a, 0), "category")),
			 "running");
	ck_assert_str_eq(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(json_array_get(a, 0), "culprits"), 0), "comm")),
	    "server");
	a = get(inc, "critical_path", JSON_ARRAY);
	ck_assert_uint_ge(json_array_size(a), 1);
	json_array_foreach (a, i, x) {
		get(x, "pid", JSON_INTEGER);
		get(x, "tid", JSON_INTEGER);
		get(x, "comm", JSON_STRING);
		get(x, "state", JSON_STRING);
		get(x, "start_ns", JSON_INTEGER);
		get(x, "end_ns", JSON_INTEGER);
		get(x, "via", JSON_STRING);
	}
	json_decref(arr);

	bundle = fa_report__json_bundle(m, "x.frb");
	ck_assert_ptr_nonnull(bundle);
	get(bundle, "events", JSON_INTEGER);
	get(bundle, "losses", JSON_OBJECT);
	json_decref(bundle);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* The text report names each incident and its top cause. */
START_TEST(test_text_report)
{
	struct tb b;
	struct fa_model *m;
	struct fa_incidents v;
	struct fa_report_opts ro = {.file = "t.frb"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	uint32_t i;

	tb_init(&b);
	tb_switch(&b, 0, 0, 0, 0, 0, 10, 10, NULL, "t");
	for (i = 0; i < 20; i++)
		tb_sys(&b, 1000 + i * 100000, 1000 + i * 100000 + 10000, 10, 10, "read", 1, 0, 0,
		       1);
	tb_sys(&b, 5 * MS, 55 * MS, 10, 10, "read", 1, 0, 0, 1);
	m = tb_build(&b, NULL);
	ck_assert_int_eq(fa_incidents__find(m, NULL, &v), 0);
	for (i = 0; i < v.n; i++)
		ck_assert_int_eq(fa_incident__explain(m, &v.v[i], NULL), 0);
	f = open_memstream(&buf, &len);
	fa_report__text(f, m, &v, &ro);
	fclose(f);
	ASSERT_HAS(buf, "t.frb");
	ASSERT_HAS(buf, "1. slow-syscall: read()");
	ASSERT_HAS(buf, "root causes");
	ASSERT_HAS(buf, "critical path");
	ck_assert_ptr_null(strstr(buf, "\033[")); /* no colour unless asked */
	free(buf);
	fa_incidents__free(&v);
	tb_free(&b);
}
END_TEST

/* Random events of every type through the whole pipeline: no crash, and
 * every path covers its incident. */
START_TEST(test_random_events)
{
	uint64_t seed = 0x1234567 + (uint64_t)_i * 7919;
	unsigned round;

	for (round = 0; round < 4; round++) {
		struct tb b;
		struct fa_model *m;
		struct fa_incidents v;
		struct fa_find_opts o = {.top = 100, .min_slow_ns = 1};
		uint64_t t = 1000;
		uint32_t i, k;

		tb_init(&b);
		for (i = 0; i < 3000; i++) {
			struct fr_event *e;
			unsigned type;

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			type = 1 + (unsigned)((seed >> 33) % (FR_EV_TYPE_COUNT - 1));
			t += (seed >> 40) % 5000;
			e = tb_ev(&b, t, 1 + (uint32_t)((seed >> 20) % 6),
				  1 + (uint32_t)((seed >> 24) % 9), type,
				  (unsigned)((seed >> 28) % 4));
			for (k = 0; k < sizeof(e->u.raw); k++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				e->u.raw[k] = (uint8_t)(seed >> 56);
			}
			/* keep ids, times and syscall numbers in a plausible range */
			switch (type) {
			case FR_EV_SYSCALL:
				e->u.sc.nr = (uint32_t)((seed >> 8) % 64);
				e->u.sc.enter_ns = t - ((seed >> 12) % 20000);
				e->u.sc.ret = (int64_t)((seed >> 16) % 8) - 4;
				e->u.sc.flags &= 0xf;
				if ((seed >> 3) & 1) {
					struct fr_sock_tuple tu =
					    tb_tcp(0x7f000001, 1000 + (seed >> 5) % 3, 0x7f000001,
						   1000 + (seed >> 7) % 3);

					tb_fdinfo(&b, e, 0, 3, 1 + (seed >> 9) % 7,
						  (seed >> 11) % 4, &tu);
				}
				break;
			case FR_EV_SCHED_SWITCH:
				e->u.sw.next_tid = (uint32_t)((seed >> 10) % 10);
				e->u.sw.next_pid = e->u.sw.next_tid;
				e->u.sw.prev_state = (int64_t)((seed >> 14) % 3);
				e->u.sw.prev_comm[FR_COMM_LEN - 1] = 0;
				e->u.sw.next_comm[FR_COMM_LEN - 1] = 0;
				break;
			case FR_EV_SCHED_WAKEUP:
				e->u.wake.target_tid = (uint32_t)((seed >> 10) % 10);
				e->u.wake.target_pid = e->u.wake.target_tid;
				e->u.wake.ctx %= 5;
				e->u.wake.target_comm[FR_COMM_LEN - 1] = 0;
				break;
			case FR_EV_PROC_FORK:
				e->u.fork.child_tid = (uint32_t)((seed >> 10) % 12);
				e->u.fork.child_pid = (uint32_t)((seed >> 14) % 12);
				e->u.fork.child_comm[FR_COMM_LEN - 1] = 0;
				break;
			case FR_EV_PAGE_FAULT:
				e->u.pf.start_ns = t - ((seed >> 12) % 20000);
				break;
			case FR_EV_RECLAIM:
				e->u.reclaim.start_ns = t - ((seed >> 12) % 20000);
				break;
			case FR_EV_BLOCK_COMPLETE:
				e->u.blk.issue_ns = t - ((seed >> 12) % 20000);
				break;
			default:
				break;
			}
			/* strings the codec stores up to their NUL */
			if (type == FR_EV_PROC_EXEC)
				e->u.exec.comm[FR_COMM_LEN - 1] = 0;
			if (type == FR_EV_PROC_COMM) {
				e->u.comm.old_comm[FR_COMM_LEN - 1] = 0;
				e->u.comm.new_comm[FR_COMM_LEN - 1] = 0;
			}
			if (type == FR_EV_OOM_KILL)
				e->u.oom.victim_comm[FR_COMM_LEN - 1] = 0;
			if (type == FR_EV_BLOCK_ISSUE || type == FR_EV_BLOCK_COMPLETE)
				e->u.blk.rwbs[7] = 0;
			if (type == FR_EV_MARK || type == FR_EV_LOST)
				e->u.raw[4] = 0;
		}
		m = tb_build(&b, NULL);
		ck_assert_int_eq(fa_incidents__find(m, &o, &v), 0);
		for (i = 0; i < v.n; i++) {
			struct fa_incident *inc = &v.v[i];

			ck_assert_int_eq(fa_incident__explain(m, inc, NULL), 0);
			if (inc->n_path && !inc->path_truncated)
				tb_assert_covers(inc->path, inc->n_path, inc->start_ns,
						 inc->end_ns);
			ck_assert(inc->summary[0]);
		}
		{
			char *buf = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);
			struct fa_report_opts ro = {.file = "r.frb", .color = true};
			json_t *a = json_array();

			fa_report__text(f, m, &v, &ro);
			fclose(f);
			free(buf);
			ck_assert_int_eq(fa_report__json_incidents(a, m, &v, "r.frb"), 0);
			json_decref(a);
		}
		fa_incidents__free(&v);
		tb_free(&b);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("analyze_incidents");
	TCase *tc = tcase_create("incidents");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_slow_syscall);
	tcase_add_test(tc, test_sleep_as_asked);
	tcase_add_test(tc, test_idle_waits);
	tcase_add_test(tc, test_requests);
	tcase_add_test(tc, test_error_and_exit);
	tcase_add_test(tc, test_fatal_signal);
	tcase_add_test(tc, test_epipe_peer);
	tcase_add_test(tc, test_focus_parse);
	tcase_add_test(tc, test_focus_incident);
	tcase_add_test(tc, test_json_schema);
	tcase_add_test(tc, test_text_report);
	tcase_add_loop_test(tc, test_random_events, 0, 4);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
