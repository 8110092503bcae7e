// SPDX-License-Identifier: MIT
/*
 * Unit tests: replay/arch/x86_64/vdso.c.  A child stops itself under
 * ptrace; with its vDSO patched, its time calls through the C library
 * become system calls the tracer sees; without the patch they do not (the
 * control that shows the test can fail).
 */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "replay/arch/x86_64/vdso.h"

/* The child: stop, then read the time four ways, then exit. */
static void child(void)
{
	struct timespec ts;
	struct timeval tv;
	unsigned cpu;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		_exit(2);
	raise(SIGSTOP);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	gettimeofday(&tv, NULL);
	(void)time(NULL);
	(void)getcpu(&cpu, NULL);
	_exit(ts.tv_sec > 0 && tv.tv_sec > 0 ? 0 : 3);
}

/* Run a child to its end under PTRACE_SYSCALL, counting entries of the
 * four time syscalls.  `patch`: patch the vDSO at the first stop. */
static void run(bool patch, int *seen, int *patched)
{
	int st, n = 0, status = -1;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		child();
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	ck_assert_int_eq(ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACESYSGOOD), 0);
	*patched = 0;
	if (patch) {
		char err[256] = "";

		*patched = fr_vdso_patch(pid, err, sizeof(err));
		ck_assert_msg(*patched >= 0, "fr_vdso_patch: %s", err);
	}
	seen[0] = seen[1] = seen[2] = seen[3] = 0;
	for (;;) {
		ck_assert_int_eq(ptrace(PTRACE_SYSCALL, pid, NULL, NULL), 0);
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		if (WIFEXITED(st)) {
			status = WEXITSTATUS(st);
			break;
		}
		if (WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			struct user_regs_struct regs;

			ck_assert_int_eq(ptrace(PTRACE_GETREGS, pid, NULL, &regs), 0);
			/* entries and exits alternate: count entries only */
			if (n++ % 2 == 0) {
				switch (regs.orig_rax) {
				case SYS_clock_gettime:
					seen[0]++;
					break;
				case SYS_gettimeofday:
					seen[1]++;
					break;
				case SYS_time:
					seen[2]++;
					break;
				case SYS_getcpu:
					seen[3]++;
					break;
				}
			}
		}
	}
	ck_assert_int_eq(status, 0); /* the patched functions still return the time */
}

START_TEST(test_patch)
{
	int seen[4], patched;

	run(true, seen, &patched);
	ck_assert_int_ge(patched, 4);
	ck_assert_int_eq(seen[0], 1);
	ck_assert_int_eq(seen[1], 1);
	ck_assert_int_eq(seen[2], 1);
	ck_assert_int_eq(seen[3], 1);
}
END_TEST

START_TEST(test_control)
{
	int seen[4], patched;

	run(false, seen, &patched);
	/* the C library reads the time in the vDSO: no system call */
	ck_assert_int_eq(seen[0], 0);
	ck_assert_int_eq(seen[1], 0);
	ck_assert_int_eq(seen[2], 0);
}
END_TEST

START_TEST(test_errors)
{
	char err[256] = "";
	int rc;

	/* no such process */
	rc = fr_vdso_patch(0x3fffffff, err, sizeof(err));
	ck_assert_int_lt(rc, 0);
	ck_assert_msg(err[0], "a message");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vdso");
	TCase *tc = tcase_create("vdso");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_patch);
	tcase_add_test(tc, test_control);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
