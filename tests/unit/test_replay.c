// SPDX-License-Identifier: MIT
/*
 * test_replay.c: strict replay of hand-written recordings of real programs
 * (tests/progs/rp_raw_*: no libc, so their system calls are exactly their
 * source's).  These run the real ptrace engine.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "replay/inject.h"
#include "replay/replay.h"
#include "test_replay_lib.h"

static char progs[4096];
static char tmpdir[256];

static void setup(void)
{
	const char *p = getenv("PROGS");

	/* Absolute: the recordings' working directory is "/". */
	if (!realpath(p && *p ? p : "build/progs", progs))
		snprintf(progs, sizeof(progs), "%s", p && *p ? p : "build/progs");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/frtest-replay.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A replay of `desc` as a recording of progs/NAME with argv; the mirrored
 * stdout and stderr are returned in out/errout (caller frees). */
struct run {
	struct fr_replay *rp;
	const struct fr_replay_result *res;
	char *out, *err;
};

static char *slurp(int fd)
{
	off_t n = lseek(fd, 0, SEEK_END);
	char *s = calloc(1, (size_t)n + 1);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(pread(fd, s, (size_t)n, 0), n);
	return s;
}

static void run_replay(struct run *r, const char *name, char *const argv[], const char *desc,
		       const char *const *injects, bool no_sleep)
{
	char bundle[512], exe[4096], err[1024];
	struct rp_inject inj[8];
	struct fr_replay_opts o = {0};
	int ofd, efd, n = 0;

	snprintf(exe, sizeof(exe), "%s/%s", progs, name);
	ck_assert_msg(access(exe, X_OK) == 0, "%s is not built (make %s)", exe, exe);
	snprintf(bundle, sizeof(bundle), "%s/%s.frb", tmpdir, name);
	if (rb_build(bundle, exe, argv, desc, err, sizeof(err)))
		ck_abort_msg("building the recording: %s", err);
	while (injects && injects[n]) {
		ck_assert_int_lt(n, 8);
		if (rp_inject_parse(injects[n], &inj[n], err, sizeof(err)))
			ck_abort_msg("inject '%s': %s", injects[n], err);
		n++;
	}
	ofd = memfd_create("out", MFD_CLOEXEC);
	efd = memfd_create("err", MFD_CLOEXEC);
	ck_assert_int_ge(ofd, 0);
	ck_assert_int_ge(efd, 0);
	o.injects = inj;
	o.n_injects = (size_t)n;
	o.mirror_stdout_fd = ofd;
	o.mirror_stderr_fd = efd;
	o.no_sleep = no_sleep;
	o.verbose = getenv("REPLAY_VERBOSE") != NULL;
	if (fr_replay__open(bundle, &o, &r->rp, err, sizeof(err)))
		ck_abort_msg("open: %s", err);
	if (fr_replay__run(r->rp))
		ck_abort_msg("run: %s", fr_replay__strerror(r->rp));
	r->res = fr_replay__result(r->rp);
	r->out = slurp(ofd);
	r->err = slurp(efd);
	close(ofd);
	close(efd);
	if (o.verbose)
		fr_replay_result__print(stderr, r->res);
}

static void run_free(struct run *r)
{
	fr_replay__free(r->rp);
	free(r->out);
	free(r->err);
}

/* rp_raw_basic's recording.  Line numbers matter for the time-stamp
 * counter: a line's call exits at T0 + 1000 * line + 500, and the rdtsc
 * after line 11 reads that exit time (line 11: 5000011500). */
#define BASIC_INPUT "/nonexistent/flightrec-replay-input"
#define BASIC_DESC3(first_write, time_line, tsc_line)                                              \
	"openat(-100, \"" BASIC_INPUT "\", 0) = 3\n"                                               \
	"read(3, >\"hello ra\", 8) = 8\n"                                                          \
	"write(1, \"" first_write "\", 8) = 8\n"                                                   \
	"read(3, >\"w world\\n\", 8) = 8\n"                                                        \
	"write(1, \"w world\\n\", 8) = 8\n"                                                        \
	"read(3, >\"\", 8) = 0\n"                                                                  \
	"close(3) = 0\n"                                                                           \
	"clock_gettime(0, >q(1795000000, 123456789)) = 0\n"                                        \
	"write(1, \"" time_line "\", 26) = 26\n"                                                   \
	"getrandom(>x\"0102030405060708\", 8, 0) = 8\n"                                            \
	"write(1, \"random=0102030405060708\\n\", 24) = 24\n"                                      \
	"write(1, \"" tsc_line "\", 15) = 15\n"                                                    \
	"mmap(0, 4096, 3, 34, -1, 0) = 0x7ffff7ff8000\n"                                           \
	"write(1, \"mapped\\n\", 7) = 7\n"                                                         \
	"munmap(0x7ffff7ff8000, 4096) = 0\n"                                                       \
	"exit_group(7) = ?\n"
#define BASIC_DESC(first_write, time_line) BASIC_DESC3(first_write, time_line, "tsc=5000011500\\n")

static const char basic_out[] = "hello raw world\n"
				"time=1795000000.123456789\n"
				"random=0102030405060708\n"
				"tsc=5000011500\n"
				"mapped\n";

START_TEST(test_basic_identical)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	struct run r;

	/* The input file does not exist here: its bytes come from the
	 * recording, as do the clock, the random bytes and the TSC. */
	ck_assert_int_ne(access(BASIC_INPUT, F_OK), 0);
	run_replay(&r, "rp_raw_basic", argv, BASIC_DESC("hello ra", "time=1795000000.123456789\\n"),
		   NULL, false);
	ck_assert_msg(r.res->completed, "diverged: %s", r.res->first ? r.res->first->reason : "?");
	ck_assert_uint_eq(r.res->divergences, 0);
	ck_assert_str_eq(r.out, basic_out);
	ck_assert_str_eq(r.err, "");
	ck_assert(r.res->replayed_exit_known);
	ck_assert(r.res->recorded_exit_known);
	ck_assert_int_eq(fr_replay_status_code(r.res->replayed_status), 7);
	ck_assert_int_eq(fr_replay_status_code(r.res->recorded_status), 7);
	ck_assert_uint_eq(r.res->syscalls_recorded, 16);
	ck_assert_uint_eq(r.res->syscalls_replayed, 16);
	ck_assert_uint_eq(r.res->syscalls_real, 3); /* mmap, munmap, exit_group */
	run_free(&r);
}
END_TEST

START_TEST(test_basic_written_bytes_differ)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	const struct fr_replay_divergence *d;
	struct run r;

	run_replay(&r, "rp_raw_basic", argv, BASIC_DESC("HELLO ra", "time=1795000000.123456789\\n"),
		   NULL, false);
	ck_assert(!r.res->completed);
	ck_assert_uint_eq(r.res->divergences, 1);
	d = r.res->first;
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->kind, "data");
	ck_assert_uint_eq(d->thread_call, 3);
	ck_assert_uint_eq(d->tid, 1000);
	ck_assert_ptr_nonnull(strstr(d->expected, "HELLO ra"));
	ck_assert_ptr_nonnull(strstr(d->actual, "hello ra"));
	ck_assert_ptr_nonnull(strstr(d->reason, "from byte 0"));
	ck_assert_uint_eq(d->n_last, 3);
	/* What the program wrote at the divergence is shown, nothing after. */
	ck_assert_str_eq(r.out, "hello ra");
	run_free(&r);
}
END_TEST

START_TEST(test_inject_error_changes_path)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	const char *inj[] = {"openat:error=ENOENT", NULL};
	const struct fr_replay_divergence *d;
	struct run r;

	run_replay(&r, "rp_raw_basic", argv, BASIC_DESC("hello ra", "time=1795000000.123456789\\n"),
		   inj, false);
	ck_assert(!r.res->completed);
	ck_assert_uint_eq(r.res->injections, 1);
	d = r.res->first;
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->kind, "syscall");
	/* The program's first different call: its error message. */
	ck_assert_ptr_nonnull(strstr(d->expected, "read("));
	ck_assert_ptr_nonnull(strstr(d->actual, "write(2"));
	ck_assert_ptr_nonnull(strstr(d->injection, "openat:error=ENOENT"));
	ck_assert_str_eq(r.err, "rp_raw_basic: cannot open the file\n");
	ck_assert_str_eq(r.out, "");
	run_free(&r);
}
END_TEST

START_TEST(test_inject_delay_moves_the_clock)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	const char *inj[] = {"read:delay_enter=1500ms:when=2", NULL};
	struct run r;

	/* The delay before the second read shifts every time served after
	 * it: the program prints 1.5 s later than recorded, and strict replay
	 * reports that write. */
	run_replay(&r, "rp_raw_basic", argv, BASIC_DESC("hello ra", "time=1795000000.123456789\\n"),
		   inj, true);
	ck_assert_uint_eq(r.res->injections, 1);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "data");
	ck_assert_str_eq(r.out, "hello raw world\ntime=1795000001.623456789\n");
	run_free(&r);
}
END_TEST

START_TEST(test_inject_delay_identical_when_recorded)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	const char *inj[] = {"read:delay_enter=1500ms:when=2", NULL};
	struct run r;

	/* A recording whose clock line already says +1.5 s: with the delay
	 * injected, the replay matches it. */
	run_replay(&r, "rp_raw_basic", argv,
		   BASIC_DESC3("hello ra", "time=1795000001.623456789\\n", "tsc=6500011500\\n"),
		   inj, true);
	ck_assert_msg(r.res->completed, "diverged: %s", r.res->first ? r.res->first->reason : "");
	ck_assert_ptr_nonnull(strstr(r.out, "time=1795000001.623456789\n"));
	/* and the TSC moved with the clock */
	ck_assert_ptr_nonnull(strstr(r.out, "tsc=6500011500\n"));
	run_free(&r);
}
END_TEST

START_TEST(test_extra_call_is_divergence)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	struct run r;

	/* The recording stops after the first write (the program exited
	 * there): the next read is a call the recording does not have. */
	run_replay(&r, "rp_raw_basic", argv,
		   "openat(-100, \"" BASIC_INPUT "\", 0) = 3\n"
		   "read(3, >\"hello ra\", 8) = 8\n"
		   "write(1, \"hello ra\", 8) = 8\n"
		   "exit_group(7) = ?\n",
		   NULL, false);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "syscall");
	ck_assert_ptr_nonnull(strstr(r.res->first->expected, "exit_group"));
	ck_assert_ptr_nonnull(strstr(r.res->first->actual, "read(3"));
	run_free(&r);
}
END_TEST

START_TEST(test_output_larger_than_buffer)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	struct run r;

	/* A hostile recording: the read returns more than the program's
	 * 8-byte buffer.  It is refused, never written past the buffer. */
	run_replay(&r, "rp_raw_basic", argv,
		   "openat(-100, \"" BASIC_INPUT "\", 0) = 3\n"
		   "read(3, >\"0123456789abcdef\", 8) = 16\n"
		   "exit_group(0) = ?\n",
		   NULL, false);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "serve-failed");
	ck_assert_ptr_nonnull(strstr(r.res->first->reason, "does not fit"));
	run_free(&r);
}
END_TEST

START_TEST(test_unsupported_call)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, "uring", NULL};
	struct run r;

	/* io_uring is marked unsupported in the syscall table: matching the
	 * recording is not enough, replay refuses to pretend. */
	run_replay(&r, "rp_raw_basic", argv, "io_uring_setup(8, &) = 3\nexit_group(0) = ?\n", NULL,
		   false);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "unsupported");
	ck_assert_ptr_nonnull(strstr(r.res->first->reason, "io_uring_setup"));
	ck_assert_uint_eq(r.res->first->thread_call, 1);
	run_free(&r);
}
END_TEST

#define THREAD_FLAGS "0x350f00"
static const char threads_desc[] = "clone(" THREAD_FLAGS ", &, &, &, 0) = 1001\n"
				   "clone(" THREAD_FLAGS ", &, &, &, 0) = 1002\n"
				   "[1002] write(1, \"thread two\\n\", 11) = 11\n"
				   "[1002] exit(0) = ?\n"
				   "[1001] write(1, \"thread one\\n\", 11) = 11\n"
				   "[1001] exit(0) = ?\n"
				   "[1000] write(1, \"main done\\n\", 10) = 10\n"
				   "[1000] exit_group(0) = ?\n";

START_TEST(test_threads_recorded_order)
{
	char *argv[] = {"rp_raw_threads", NULL};
	int i;

	/* Natively the two lines come in either order; the replay gives the
	 * recorded one, every time. */
	for (i = 0; i < 5; i++) {
		struct run r;

		run_replay(&r, "rp_raw_threads", argv, threads_desc, NULL, false);
		ck_assert_msg(r.res->completed, "run %d diverged: %s", i,
			      r.res->first ? r.res->first->reason : "?");
		ck_assert_str_eq(r.out, "thread two\nthread one\nmain done\n");
		ck_assert_uint_eq(r.res->threads, 3);
		ck_assert_int_eq(fr_replay_status_code(r.res->replayed_status), 0);
		run_free(&r);
	}
}
END_TEST

START_TEST(test_threads_missing_thread)
{
	char *argv[] = {"rp_raw_threads", NULL};
	struct run r;

	/* A recording with a single clone: the second thread is one the
	 * recording does not have. */
	run_replay(&r, "rp_raw_threads", argv,
		   "clone(" THREAD_FLAGS ", &, &, &, 0) = 1001\n"
		   "[1001] write(1, \"thread one\\n\", 11) = 11\n"
		   "[1001] exit(0) = ?\n"
		   "[1000] write(1, \"main done\\n\", 10) = 10\n"
		   "[1000] exit_group(0) = ?\n",
		   NULL, false);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "syscall");
	ck_assert_ptr_nonnull(strstr(r.res->first->actual, "clone"));
	run_free(&r);
}
END_TEST

static const char procs_desc[] = "rt_sigaction(10, &, NULL, 8) = 0\n"
				 "getpid() = 1000\n"
				 "kill(1000, 10) = 0\n"
				 "+signal 10 0\n"
				 "write(1, \"handler\\n\", 8) = 8\n"
				 "rt_sigreturn() = 0\n"
				 "fork() = 1001\n"
				 "[1001] write(1, \"child\\n\", 6) = 6\n"
				 "[1001] exit_group(5) = ?\n"
				 "[1000] wait4(1001, >x\"00050000\", 0, NULL) = 1001\n"
				 "[1000] +signal 17 1\n"
				 "[1000] write(1, \"child status 5\\n\", 15) = 15\n"
				 "[1000] exit_group(0) = ?\n";

START_TEST(test_signal_and_child)
{
	char *argv[] = {"rp_raw_procs", NULL};
	struct run r;

	/* kill() is served, not run: the handler runs because the recording
	 * shows SIGUSR1 delivered after it.  The child is a real process
	 * known by its recorded pid; wait4 is served its recorded status. */
	run_replay(&r, "rp_raw_procs", argv, procs_desc, NULL, false);
	ck_assert_msg(r.res->completed, "diverged: %s", r.res->first ? r.res->first->reason : "?");
	ck_assert_str_eq(r.out, "handler\nchild\nchild status 5\n");
	ck_assert_uint_eq(r.res->threads, 2);
	ck_assert_uint_ge(r.res->signals_delivered, 2);
	ck_assert_int_eq(fr_replay_status_code(r.res->replayed_status), 0);
	run_free(&r);
}
END_TEST

START_TEST(test_signal_not_delivered)
{
	char *argv[] = {"rp_raw_procs", NULL};
	struct run r;

	/* A recording without the signal: the served kill() delivers
	 * nothing, the handler never runs, and the program's fork comes
	 * where the recording has the handler's write. */
	run_replay(&r, "rp_raw_procs", argv,
		   "rt_sigaction(10, &, NULL, 8) = 0\n"
		   "getpid() = 1000\n"
		   "kill(1000, 10) = 0\n"
		   "write(1, \"handler\\n\", 8) = 8\n"
		   "exit_group(0) = ?\n",
		   NULL, false);
	ck_assert_ptr_nonnull(r.res->first);
	ck_assert_str_eq(r.res->first->kind, "syscall");
	ck_assert_ptr_nonnull(strstr(r.res->first->actual, "fork"));
	run_free(&r);
}
END_TEST

START_TEST(test_json_result)
{
	char *argv[] = {"rp_raw_basic", BASIC_INPUT, NULL};
	json_t *j, *fd;
	struct run r;

	run_replay(&r, "rp_raw_basic", argv, BASIC_DESC("HELLO ra", "time=1795000000.123456789\\n"),
		   NULL, false);
	j = fr_replay_result__json(r.res);
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_false(json_object_get(j, "completed")));
	ck_assert_int_eq(json_integer_value(json_object_get(j, "divergences")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "recorded_exit")), 7);
	/* openat and read matched; the write diverged */
	ck_assert_int_eq(json_integer_value(json_object_get(j, "syscalls_replayed")), 2);
	fd = json_object_get(j, "first_divergence");
	ck_assert(json_is_object(fd));
	ck_assert_str_eq(json_string_value(json_object_get(fd, "kind")), "data");
	ck_assert_int_eq(json_integer_value(json_object_get(fd, "thread_syscall_index")), 3);
	ck_assert(json_is_string(json_object_get(fd, "expected")));
	ck_assert(json_is_array(json_object_get(fd, "last_syscalls")));
	json_decref(j);
	run_free(&r);
}
END_TEST

START_TEST(test_open_errors)
{
	struct fr_replay_opts o = {.mirror_stdout_fd = -1, .mirror_stderr_fd = -1};
	struct fr_replay *rp = NULL;
	char err[512], path[512];

	ck_assert_int_ne(fr_replay__open("/nonexistent.frb", &o, &rp, err, sizeof(err)), 0);
	ck_assert_ptr_null(rp);
	/* A bundle without the exec of its root cannot be replayed. */
	snprintf(path, sizeof(path), "%s/../../tests/fixtures/basic.frb", progs);
	if (access(path, R_OK) != 0)
		snprintf(path, sizeof(path), "tests/fixtures/basic.frb");
	o.pid = 102;
	ck_assert_int_eq(fr_replay__open(path, &o, &rp, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "not recorded from its start"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("strict");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_basic_identical);
	tcase_add_test(tc, test_basic_written_bytes_differ);
	tcase_add_test(tc, test_inject_error_changes_path);
	tcase_add_test(tc, test_inject_delay_moves_the_clock);
	tcase_add_test(tc, test_inject_delay_identical_when_recorded);
	tcase_add_test(tc, test_extra_call_is_divergence);
	tcase_add_test(tc, test_output_larger_than_buffer);
	tcase_add_test(tc, test_unsupported_call);
	tcase_add_test(tc, test_threads_recorded_order);
	tcase_add_test(tc, test_threads_missing_thread);
	tcase_add_test(tc, test_signal_and_child);
	tcase_add_test(tc, test_signal_not_delivered);
	tcase_add_test(tc, test_json_result);
	tcase_add_test(tc, test_open_errors);
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
