// SPDX-License-Identifier: MIT
/*
 * Unit tests: capture/engine.c as a library, with real eBPF (root needed;
 * without it the suite says so and is skipped, or fails when REQUIRE_BPF
 * is set).  Filter mode by comm and by pid (what `flightrec capture`
 * uses), and tree mode with an armed child (what `flightrec record` uses).
 */
#include "capture/engine.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/event.h"

struct seen {
	pid_t pid;	    /* the process of interest */
	int writes;	    /* its write(fd, "marker", 6) calls with that payload */
	int other_syscalls; /* syscalls of any other process but pid */
	int exits;
	int exit_status;
	int execs;
	int bad;
	struct fr_event ev;
};

static int on_record(void *ctx, const void *rec, size_t len)
{
	struct seen *s = ctx;
	const struct fr_payload *p;

	if (fr_event_from_record(&s->ev, rec, len) < 0) {
		s->bad++;
		return 0;
	}
	if (s->ev.pid != (uint32_t)s->pid) {
		if (s->ev.type == FR_EV_SYSCALL)
			s->other_syscalls++;
		return 0;
	}
	switch (s->ev.type) {
	case FR_EV_SYSCALL:
		p = fr_event_payload(&s->ev, FR_PL_IN, 1, 0);
		if (s->ev.u.sc.nr == 1 && p && p->len == 6 && !memcmp(p->data, "marker", 6))
			s->writes++;
		break;
	case FR_EV_PROC_EXIT:
		if (s->ev.u.exit.flags & FR_EXIT_GROUP_DEAD) {
			s->exits++;
			s->exit_status = s->ev.u.exit.status;
		}
		break;
	case FR_EV_PROC_EXEC:
		s->execs++;
		break;
	}
	return 0;
}

static bool have_bpf(void)
{
	if (geteuid() == 0)
		return true;
	if (getenv("REQUIRE_BPF") && strcmp(getenv("REQUIRE_BPF"), "0"))
		ck_abort_msg("eBPF tests need root (and REQUIRE_BPF is set)");
	fprintf(stderr, "bpftest_engine: skipped: eBPF tests need root\n");
	return false;
}

/* A child that names itself `comm`, writes "marker" three times, exits 7. */
static pid_t writer(const char *comm, int go)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY), i;
		char c;

		prctl(PR_SET_NAME, comm);
		if (read(go, &c, 1) != 1)
			_exit(1);
		for (i = 0; i < 3; i++)
			if (write(fd, "marker", 6) != 6)
				_exit(1);
		_exit(7);
	}
	return pid;
}

/* Poll until the process of interest has exited in the records (5 s). */
static void wait_exit(struct fr_engine *e, struct seen *s)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		ck_assert_int_ge(fr_engine__poll(e, 20), 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (!s->exits && t.tv_sec - t0.tv_sec < 5);
	ck_assert_int_ge(fr_engine__drain(e), 0);
}

static void open_engine(struct fr_engine_opts *o, struct seen *s, struct fr_engine **e)
{
	char err[512] = "";

	o->on_record = on_record;
	o->ctx = s;
	o->ring_bytes = 4 << 20;
	ck_assert_msg(fr_engine__open(o, e, err, sizeof(err)) == 0, "fr_engine__open: %s", err);
}

START_TEST(test_filter_comm)
{
	static const char *const comms[] = {"fr-eng-test"};
	struct fr_engine_opts o = {.mode = FR_MODE_FILTER, .comms = comms, .n_comms = 1};
	static struct seen s;
	struct fr_engine_stats st;
	struct fr_engine *e;
	int go[2], st_child;
	pid_t a, b;

	if (!have_bpf())
		return;
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pipe(go), 0);
	open_engine(&o, &s, &e);
	a = writer("fr-eng-test", go[0]);
	b = writer("fr-eng-other", go[0]);
	s.pid = a;
	ck_assert_int_eq(write(go[1], "xx", 2), 2);
	waitpid(a, &st_child, 0);
	waitpid(b, NULL, 0);
	wait_exit(e, &s);
	ck_assert_int_eq(s.writes, 3);
	ck_assert_int_eq(s.exits, 1);
	ck_assert_int_eq(s.exit_status, 7 << 8);
	ck_assert_int_eq(s.bad, 0);
	/* the other child, this test program (the agent), nobody else */
	ck_assert_int_eq(s.other_syscalls, 0);
	fr_engine__stats(e, &st);
	ck_assert_uint_eq(st.losses[FR_LOSS_RING_FULL], 0);
	ck_assert_uint_gt(st.records, 0);
	fr_engine__free(e);
	close(go[0]);
	close(go[1]);
}
END_TEST

START_TEST(test_filter_pid)
{
	struct fr_engine_opts o = {.mode = FR_MODE_FILTER};
	static struct seen s;
	struct fr_engine *e;
	int go[2];
	uint32_t pid;
	pid_t a, b;

	if (!have_bpf())
		return;
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pipe(go), 0);
	a = writer("fr-eng-a", go[0]);
	b = writer("fr-eng-b", go[0]);
	pid = (uint32_t)b;
	o.pids = &pid;
	o.n_pids = 1;
	open_engine(&o, &s, &e);
	s.pid = b;
	ck_assert_int_eq(write(go[1], "xx", 2), 2);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	wait_exit(e, &s);
	ck_assert_int_eq(s.writes, 3);
	ck_assert_int_eq(s.exit_status, 7 << 8);
	ck_assert_int_eq(s.other_syscalls, 0);
	fr_engine__free(e);
	close(go[0]);
	close(go[1]);
}
END_TEST

/* Tree mode: an armed child is recorded from its execve on, with its own
 * descendants; nothing before the execve. */
START_TEST(test_tree_arm)
{
	struct fr_engine_opts o = {.mode = FR_MODE_TREE};
	static struct seen s;
	struct fr_engine *e;
	char err[512] = "";
	int go[2], st;
	pid_t pid;

	if (!have_bpf())
		return;
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pipe(go), 0);
	open_engine(&o, &s, &e);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		char c;

		if (read(go[0], &c, 1) != 1)
			_exit(1);
		/* before the exec: not recorded */
		if (write(fd, "marker", 6) != 6)
			_exit(1);
		execl("/bin/sh", "sh", "-c", "printf marker >/dev/null; exit 5", (char *)NULL);
		_exit(1);
	}
	s.pid = pid;
	ck_assert_msg(fr_engine__arm(e, pid, err, sizeof(err)) == 0, "arm: %s", err);
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	waitpid(pid, &st, 0);
	wait_exit(e, &s);
	ck_assert_int_eq(s.execs, 1);
	ck_assert_int_eq(s.exit_status, 5 << 8);
	/* the printf of the shell (a builtin: same pid) is recorded, the write
	 * before the exec is not */
	ck_assert_int_eq(s.writes, 1);
	ck_assert_int_eq(s.other_syscalls, 0);
	fr_engine__free(e);
	close(go[0]);
	close(go[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_filter_comm);
	tcase_add_test(tc, test_filter_pid);
	tcase_add_test(tc, test_tree_arm);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
