// SPDX-License-Identifier: MIT
/*
 * test_perfetto.c: `export --perfetto` (analyze/export_perfetto.c) on the
 * two-hop chain of test_analyze_path.c, plus a signal and a retransmit:
 * thread tracks, slices at the right nanosecond, slices nested on every
 * track, the data-flow and wakeup arrows between the right threads, bound
 * inside slices, and the instant events.
 */
#include <math.h>

#include "analyze/export_perfetto.h"
#include "tests/unit/test_analyze.h"

static struct fa_model *build(struct tb *b)
{
	struct fr_event *e;
	struct fr_sock_tuple t = tb_tcp(0x7f000001, 40000, 0x7f000001, 8080);

	tb_init(b);
	tb_switch(b, 0, 0, 0, 0, 0, 1, 1, NULL, "a");
	tb_switch(b, 0, 1, 0, 0, 0, 2, 2, NULL, "b");
	tb_switch(b, 0, 2, 0, 0, 0, 3, 3, NULL, "c");
	e = tb_sys(b, 100, 5020, 1, 1, "read", 1, 3, 0, 1);
	tb_fdinfo(b, e, 0, 3, FR_FD_PIPE, 1001, NULL);
	tb_switch(b, 110, 0, 1, 1, 1, 0, 0, "a", NULL);
	tb_wake(b, 5000, 1, 2, 2, 1, 1, FR_CTX_TASK, 0, 0);
	tb_switch(b, 5010, 0, 0, 0, 0, 1, 1, NULL, "a");
	e = tb_sys(b, 50, 4020, 2, 2, "read", 1, 4, 0, 1);
	tb_fdinfo(b, e, 0, 4, FR_FD_PIPE, 1002, NULL);
	tb_switch(b, 60, 1, 2, 2, 1, 0, 0, "b", NULL);
	tb_wake(b, 4000, 2, 3, 3, 2, 2, FR_CTX_TASK, 0, 1);
	tb_switch(b, 4010, 1, 0, 0, 0, 2, 2, NULL, "b");
	e = tb_sys(b, 4900, 5100, 2, 2, "write", 1, 5, 0, 1);
	tb_fdinfo(b, e, 0, 5, FR_FD_PIPE, 1001, NULL);
	e = tb_sys(b, 200, 3920, 3, 3, "nanosleep", 0, 0x100, 0, 0);
	tb_timespec(b, e, 0, 3700);
	tb_switch(b, 210, 2, 3, 3, 1, 0, 0, "c", NULL);
	tb_wake(b, 3900, 2, 0, 0, 3, 3, FR_CTX_TIMER, 0, 2);
	tb_switch(b, 3910, 2, 0, 0, 0, 3, 3, NULL, "c");
	e = tb_sys(b, 3990, 4050, 3, 3, "write", 1, 6, 0, 1);
	tb_fdinfo(b, e, 0, 6, FR_FD_PIPE, 1002, NULL);
	/* C signals A; a retransmit charged to C */
	e = tb_ev(b, 3995, 3, 3, FR_EV_SIGNAL_GENERATE, 2);
	e->u.sig_gen.target_pid = 1;
	e->u.sig_gen.target_tid = 1;
	e->u.sig_gen.sig = 10;
	e = tb_ev(b, 3996, 3, 3, FR_EV_TCP_RETRANSMIT, 2);
	e->u.tcp.tuple = t;
	e->u.tcp.newstate = 1;
	return tb_build(b, NULL);
}

/* ns of a ts or dur (microseconds + 0.4 ns) */
static long long ns_of(json_t *v)
{
	ck_assert(json_is_real(v));
	return llround((json_real_value(v) - 0.0004) * 1000.0);
}

/* The exact text of the number, for the truncation argument. */
static long long truncated_ns(json_t *v)
{
	return (long long)(json_real_value(v) * 1000.0);
}

static json_t *find_x(json_t *ev, const char *name, int tid, long long start)
{
	size_t i;
	json_t *e;

	json_array_foreach (ev, i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "ph")), "X") &&
		    !strcmp(json_string_value(json_object_get(e, "name")), name) &&
		    json_integer_value(json_object_get(e, "tid")) == tid &&
		    ns_of(json_object_get(e, "ts")) == start)
			return e;
	}
	ck_abort_msg("no %s slice on tid %d at %lld ns", name, tid, start);
	return NULL;
}

/* Is there an X slice on tid enclosing ns?  Its name in *name. */
static bool enclosed(json_t *ev, int tid, long long ns, const char **name)
{
	size_t i;
	json_t *e;
	long long best = -1;

	json_array_foreach (ev, i, e) {
		long long s, d;

		if (strcmp(json_string_value(json_object_get(e, "ph")), "X") ||
		    json_integer_value(json_object_get(e, "tid")) != tid)
			continue;
		s = ns_of(json_object_get(e, "ts"));
		d = ns_of(json_object_get(e, "dur"));
		if (s <= ns && ns < s + d && s > best) {
			best = s;
			*name = json_string_value(json_object_get(e, "name"));
		}
	}
	return best >= 0;
}

START_TEST(test_perfetto_two_hops)
{
	struct tb b;
	struct fa_perfetto_stats st;
	char err[256], *buf = NULL;
	size_t len = 0, i, j;
	FILE *f;
	json_t *root, *ev, *e, *x;
	json_error_t jerr;
	int names = 0, data = 0, wake = 0, sig = 0, rtx = 0;

	build(&b);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(fa_export_perfetto(b.r, f, &st, err, sizeof(err)) == 0, "%s", err);
	fclose(f);
	root = json_loads(buf, 0, &jerr);
	ck_assert_msg(root != NULL, "not JSON: %s (line %d)", jerr.text, jerr.line);
	ck_assert_str_eq(json_string_value(json_object_get(root, "displayTimeUnit")), "ns");
	ev = json_object_get(root, "traceEvents");
	ck_assert(json_is_array(ev));

	/* thread names */
	json_array_foreach (ev, i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "ph")), "M") &&
		    !strcmp(json_string_value(json_object_get(e, "name")), "thread_name")) {
			int tid = (int)json_integer_value(json_object_get(e, "tid"));
			const char *n =
			    json_string_value(json_object_get(json_object_get(e, "args"), "name"));

			ck_assert(tid >= 1 && tid <= 3);
			ck_assert_str_eq(n, tid == 1 ? "a" : tid == 2 ? "b" : "c");
			names++;
		}
	}
	ck_assert_int_eq(names, 3);
	ck_assert_uint_eq(st.threads, 3);

	/* slices at the nanosecond; a number that an importer truncates gives
	 * the same nanosecond */
	x = find_x(ev, "read", 1, 100);
	ck_assert_int_eq(ns_of(json_object_get(x, "dur")), 4920);
	ck_assert_int_eq(truncated_ns(json_object_get(x, "ts")), 100);
	ck_assert_int_eq(truncated_ns(json_object_get(x, "dur")), 4920);
	ASSERT_HAS(json_string_value(json_object_get(json_object_get(x, "args"), "call")),
		   "read(3<pipe:[1001]>");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(x, "args"), "ret")), 1);
	x = find_x(ev, "blocked", 1, 110); /* inside the read */
	ck_assert_int_eq(ns_of(json_object_get(x, "dur")), 4890);
	ASSERT_HAS(json_string_value(json_object_get(json_object_get(x, "args"), "woken by")),
		   "b 2");
	find_x(ev, "runnable", 1, 5000);
	find_x(ev, "running", 1, 5010);
	find_x(ev, "running", 1, 0); /* before the read: at the top of the track */
	find_x(ev, "nanosleep", 3, 200);
	find_x(ev, "write", 2, 4900);
	ck_assert_uint_eq(st.syscalls, 5);

	/* every track nests: a slice ends before its enclosing one */
	for (int tid = 1; tid <= 3; tid++) {
		json_array_foreach (ev, i, e) {
			long long s, en;

			if (strcmp(json_string_value(json_object_get(e, "ph")), "X") ||
			    json_integer_value(json_object_get(e, "tid")) != tid)
				continue;
			s = ns_of(json_object_get(e, "ts"));
			en = s + ns_of(json_object_get(e, "dur"));
			json_array_foreach (ev, j, x) {
				long long s2, en2;

				if (j == i ||
				    strcmp(json_string_value(json_object_get(x, "ph")), "X") ||
				    json_integer_value(json_object_get(x, "tid")) != tid)
					continue;
				s2 = ns_of(json_object_get(x, "ts"));
				en2 = s2 + ns_of(json_object_get(x, "dur"));
				ck_assert_msg(en2 <= s || s2 >= en || (s2 >= s && en2 <= en) ||
						  (s >= s2 && en <= en2),
					      "tid %d: [%lld,%lld) and [%lld,%lld) overlap", tid, s,
					      en, s2, en2);
			}
		}
	}

	/* arrows: pairs by id, each end inside a slice of its thread */
	json_array_foreach (ev, i, e) {
		const char *ph = json_string_value(json_object_get(e, "ph")), *cat, *n0, *n1;
		json_int_t id;
		int t0, t1;

		if (strcmp(ph, "s"))
			continue;
		id = json_integer_value(json_object_get(e, "id"));
		cat = json_string_value(json_object_get(e, "cat"));
		x = NULL;
		json_array_foreach (ev, j, x) {
			if (!strcmp(json_string_value(json_object_get(x, "ph")), "f") &&
			    json_integer_value(json_object_get(x, "id")) == id)
				break;
		}
		ck_assert_msg(j < json_array_size(ev), "flow %lld has no end", (long long)id);
		ck_assert_str_eq(json_string_value(json_object_get(x, "cat")), cat);
		ck_assert_str_eq(json_string_value(json_object_get(x, "name")),
				 json_string_value(json_object_get(e, "name")));
		ck_assert_str_eq(json_string_value(json_object_get(x, "bp")), "e");
		t0 = (int)json_integer_value(json_object_get(e, "tid"));
		t1 = (int)json_integer_value(json_object_get(x, "tid"));
		ck_assert(enclosed(ev, t0, ns_of(json_object_get(e, "ts")), &n0));
		ck_assert(enclosed(ev, t1, ns_of(json_object_get(x, "ts")), &n1));
		if (!strcmp(cat, "data")) {
			/* B's write of pipe 1001 -> A's read; C's write of 1002 -> B's read */
			ck_assert((t0 == 2 && t1 == 1) || (t0 == 3 && t1 == 2));
			data++;
		} else {
			ck_assert_str_eq(cat, "wakeup");
			/* B woke A at 5000, C woke B at 4000; the arrow lands in the
			 * woken thread's runnable slice */
			ck_assert((t0 == 2 && t1 == 1) || (t0 == 3 && t1 == 2));
			ck_assert_int_eq(ns_of(json_object_get(e, "ts")), t1 == 1 ? 5000 : 4000);
			ck_assert_str_eq(n1, "runnable");
			wake++;
		}
	}
	ck_assert_int_eq(data, 2);
	ck_assert_int_eq(wake, 2);
	ck_assert_uint_eq(st.data_flows, 2);
	ck_assert_uint_eq(st.wakeup_flows, 2);

	/* instants */
	json_array_foreach (ev, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));

		if (strcmp(json_string_value(json_object_get(e, "ph")), "i"))
			continue;
		if (!strcmp(n, "send SIGUSR1")) {
			ck_assert_int_eq(json_integer_value(json_object_get(e, "tid")), 3);
			ck_assert_int_eq(json_integer_value(
					     json_object_get(json_object_get(e, "args"), "to tid")),
					 1);
			sig++;
		} else if (!strcmp(n, "TCP retransmit")) {
			ck_assert_str_eq(json_string_value(json_object_get(
					     json_object_get(e, "args"), "connection")),
					 "127.0.0.1:40000->127.0.0.1:8080");
			rtx++;
		}
	}
	ck_assert_int_eq(sig, 1);
	ck_assert_int_eq(rtx, 1);
	json_decref(root);
	free(buf);
	tb_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("perfetto");
	TCase *tc = tcase_create("perfetto");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_perfetto_two_hops);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
