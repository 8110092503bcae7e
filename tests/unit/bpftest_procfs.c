// SPDX-License-Identifier: MIT
/*
 * Unit tests: capture/procfs.c, process snapshots from /proc, and the
 * build-ids of ELF files.
 */
/* first: <signal.h> would rename a field of fr_events.h (sa_handler) */
#include "capture/procfs.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
	const char *line;
	int family;
	int rc;
	uint16_t sport, dport;
	uint8_t saddr0, daddr0; /* first byte of each address */
	uint64_t ino;
} lines[] = {
    {"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
     "12345 1 0000000000000000 100 0 0 10 0",
     AF_INET, 0, 8080, 0, 127, 0, 12345},
    {"  12: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 "
     "777 1 0000000000000000 20 4 30 10 -1",
     AF_INET, 0, 40000, 8080, 127, 127, 777},
    {"   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A "
     "00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0",
     AF_INET6, 0, 80, 0, 0, 0, 99},
    {"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
     "inode",
     AF_INET, -EINVAL, 0, 0, 0, 0, 0},
    {"   0: 0100007F:1F90", AF_INET, -EINVAL, 0, 0, 0, 0, 0},
    {"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
     "12345 1",
     AF_INET6, -EINVAL, 0, 0, 0, 0, 0}, /* an IPv4 line read as IPv6 */
    {"", AF_INET, -EINVAL, 0, 0, 0, 0, 0},
};

START_TEST(test_inet_line)
{
	struct fr_sock_tuple t;
	uint64_t ino = 0;
	int rc = fr_procfs__parse_inet_line(lines[_i].line, lines[_i].family, 6, &ino, &t);

	ck_assert_int_eq(rc, lines[_i].rc);
	if (rc)
		return;
	ck_assert_uint_eq(ino, lines[_i].ino);
	ck_assert_uint_eq(t.sport, lines[_i].sport);
	ck_assert_uint_eq(t.dport, lines[_i].dport);
	ck_assert_uint_eq(t.saddr[0], lines[_i].saddr0);
	ck_assert_uint_eq(t.daddr[0], lines[_i].daddr0);
	ck_assert_uint_eq(t.family, lines[_i].family);
	if (lines[_i].family == AF_INET6)
		ck_assert_uint_eq(t.saddr[15], 1); /* ::1 */
}
END_TEST

/* A child with a known state: argv, environment, cwd, a file at a known
 * position, a connected TCP socket pair on loopback, a lowered rlimit. */
START_TEST(test_snapshot_child)
{
	int go[2], ready[2], lfd;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	struct fr_buildid_cache *bc;
	struct fr_process p;
	uint32_t i;
	pid_t pid;
	char c;
	bool found_file = false, found_sock = false, found_arg = false, found_env = false,
	     found_lim = false, found_self = false;

	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(ready), 0);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit rl = {100, 200};
		int fd = open("/proc/self/status", O_RDONLY), s = socket(AF_INET, SOCK_STREAM, 0);
		char buf[10];

		if (fd != 50)
			fd = dup2(fd, 50);
		if (read(fd, buf, 10) != 10 || connect(s, (struct sockaddr *)&a, sizeof(a)) ||
		    dup2(s, 60) != 60 || setrlimit(RLIMIT_NOFILE, &rl) || chdir("/tmp") ||
		    setenv("FR_PROCFS_TEST", "yes", 1))
			_exit(1);
		{
			char *argv[] = {"/proc/self/exe", "--snapshot-child", "marker-arg", NULL};
			char fdbuf[16];

			/* this program again, with a known argv and environment, in a
			 * mode that just waits (see main) */
			snprintf(fdbuf, sizeof(fdbuf), "%d", go[0]);
			setenv("FR_GO_FD", fdbuf, 1);
			snprintf(fdbuf, sizeof(fdbuf), "%d", ready[1]);
			setenv("FR_READY_FD", fdbuf, 1);
			execv(argv[0], argv);
		}
		_exit(1);
	}
	close(go[0]);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1); /* the child is in place */
	ck_assert_int_eq(fr_buildid_cache__new(&bc), 0);
	ck_assert_int_eq(fr_procfs__snapshot(pid, FR_SNAP_ALL, bc, &p), 0);
	ck_assert_uint_eq(p.pid, (uint32_t)pid);
	ck_assert_uint_eq(p.ppid, (uint32_t)getpid());
	ck_assert_str_eq(p.cwd, "/tmp");
	ck_assert_ptr_nonnull(p.exe);
	ck_assert_ptr_nonnull(p.exe_build_id);
	ck_assert_uint_eq(strlen(p.exe_build_id), 40);
	ck_assert_uint_ge(p.n_threads, 1);
	ck_assert_uint_eq(p.threads[0].tid, (uint32_t)pid);
	for (i = 0; i < p.argc; i++)
		if (!strcmp(p.argv[i], "marker-arg"))
			found_arg = true;
	for (i = 0; i < p.envc; i++)
		if (!strcmp(p.env[i], "FR_PROCFS_TEST=yes"))
			found_env = true;
	for (i = 0; i < p.n_fds; i++) {
		if (p.fds[i].fd == 50 && p.fds[i].type == FR_FD_FILE && p.fds[i].pos == 10 &&
		    p.fds[i].path && strstr(p.fds[i].path, "/status"))
			found_file = true;
		if (p.fds[i].fd == 60 && p.fds[i].type == FR_FD_SOCKET &&
		    p.fds[i].tuple.dport == ntohs(a.sin_port) && p.fds[i].tuple.family == AF_INET &&
		    p.fds[i].tuple.saddr[0] == 127 && p.fds[i].sock_type == SOCK_STREAM)
			found_sock = true;
	}
	for (i = 0; i < p.n_rlimits; i++)
		if (p.rlimits[i].resource == RLIMIT_NOFILE && p.rlimits[i].cur == 100 &&
		    p.rlimits[i].max == 200)
			found_lim = true;
	for (i = 0; i < p.n_maps; i++)
		if (p.maps[i].path && !strcmp(p.maps[i].path, p.exe) && p.maps[i].build_id &&
		    !strcmp(p.maps[i].build_id, p.exe_build_id))
			found_self = true;
	ck_assert_msg(found_arg, "argv");
	ck_assert_msg(found_env, "environment");
	ck_assert_msg(found_file, "fd 50: the file at position 10");
	ck_assert_msg(found_sock, "fd 60: the socket with its addresses");
	ck_assert_msg(found_lim, "RLIMIT_NOFILE 100/200");
	ck_assert_msg(found_self, "the executable mapped, with its build-id");
	ck_assert_uint_ge(p.n_namespaces, 5);
	ck_assert_ptr_nonnull(p.cgroup);
	fr_process__clear(&p);
	fr_buildid_cache__free(bc);
	ck_assert_int_eq(write(go[1], "x", 1), 1);
	waitpid(pid, NULL, 0);
	close(lfd);
	/* gone: ESRCH */
	ck_assert_int_eq(fr_procfs__snapshot(pid, FR_SNAP_ALL, NULL, &p), -ESRCH);
}
END_TEST

/* Build-ids against binutils' readelf, and what is not ELF. */
START_TEST(test_build_id)
{
	struct fr_buildid_cache *bc;
	const char *a, *b;
	char line[512], want[129] = "";
	FILE *f;

	ck_assert_int_eq(fr_buildid_cache__new(&bc), 0);
	f = popen("readelf -n /bin/true 2>/dev/null", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Build ID: %128s", want) == 1)
			break;
	pclose(f);
	if (!want[0]) {
		fr_buildid_cache__free(bc);
		return; /* readelf missing or /bin/true without a build-id: nothing to compare */
	}
	a = fr_buildid__get(bc, "/bin/true", 1, 2);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a, want);
	b = fr_buildid__get(bc, "/nonexistent", 1, 2); /* cached by (dev, ino) */
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_null(fr_buildid__get(bc, "/etc/passwd", 1, 3));
	ck_assert_ptr_null(fr_buildid__get(bc, "/nonexistent", 1, 4));
	ck_assert_ptr_null(fr_buildid__get(NULL, "/bin/true", 1, 2));
	fr_buildid_cache__free(bc);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (argc == 3 && !strcmp(argv[1], "--snapshot-child")) {
		/* the child of test_snapshot_child after its exec */
		int go = atoi(getenv("FR_GO_FD")), ready = atoi(getenv("FR_READY_FD"));
		char c;

		if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
			return 1;
		return 0;
	}
	s = suite_create("procfs");
	tc = tcase_create("procfs");
	tcase_add_loop_test(tc, test_inet_line, 0, sizeof(lines) / sizeof(lines[0]));
	tcase_add_test(tc, test_snapshot_child);
	tcase_add_test(tc, test_build_id);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
