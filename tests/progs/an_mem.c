// SPDX-License-Identifier: MIT
/*
 * an_mem: memory pressure from another process of the same memory cgroup,
 * for the analysis tests.
 *
 * Joins the memory cgroup CGROUP (a directory with cgroup.procs; the caller
 * sets a 64 MiB limit), starts "an_hog", which keeps 59 MiB of a file in DIR
 * dirty in the page cache for 1.5 s, then "an_victim" maps and touches MB
 * MiB of memory ROUNDS times.  Each page the victim needs must be reclaimed
 * from the hog's dirty pages, which only writeback can free: the victim
 * waits in memory-cgroup reclaim.  Analysis should name memory-reclaim,
 * culprit an_hog.
 *
 * usage: an_mem CGROUP DIR [MB [ROUNDS]]   (defaults 8 MiB, 16 rounds)
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int join_cgroup(const char *dir)
{
	char path[4096], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, (size_t)n) != n) {
		perror(path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Keep the two on different CPUs when there are two: the pressure to show
 * is on memory, not on the CPU. */
static void pin(int cpu)
{
	cpu_set_t s;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static void hog(const char *dir, int ready)
{
	static char buf[CHUNK];
	char path[4096];
	double t0 = 0;
	long i;
	int fd;

	prctl(PR_SET_NAME, "an_hog");
	pin(0);
	snprintf(path, sizeof(path), "%s/an_mem.hog.%d", dir, getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		_exit(1);
	unlink(path);
	memset(buf, 'h', sizeof(buf));
	/* keep 59 MiB of page cache dirty in the 64 MiB cgroup: memory the victim
	 * needs must be reclaimed from pages only writeback can free; stop
	 * re-dirtying after 1.5 s so that the victim finishes whatever the
	 * writeback speed */
	for (i = 0;; i++) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			_exit(1);
		if (i == 59) {
			if (write(ready, "x", 1) != 1)
				_exit(1);
			t0 = now_ms();
		}
		if (i % 59 == 58 && lseek(fd, 0, SEEK_SET) < 0)
			_exit(1);
		if (i > 59 && now_ms() - t0 > 1500)
			break;
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	long mb = argc > 3 ? atol(argv[3]) : 8, rounds = argc > 4 ? atol(argv[4]) : 16, r, off;
	int ready[2], st;
	pid_t h, v;
	char c;

	if (argc < 3 || mb <= 0 || rounds <= 0) {
		fprintf(stderr, "usage: an_mem CGROUP DIR [MB [ROUNDS]]\n");
		return 2;
	}
	if (join_cgroup(argv[1]) || pipe(ready))
		return 1;
	h = fork();
	if (h == 0)
		hog(argv[2], ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return 1;
	v = fork();
	if (v == 0) {
		double t0 = now_ms();

		prctl(PR_SET_NAME, "an_victim");
		pin(1);
		for (r = 0; r < rounds; r++) {
			char *p = mmap(NULL, (size_t)mb << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				_exit(1);
			for (off = 0; off < mb << 20; off += 4096)
				p[off] = 1;
			munmap(p, (size_t)mb << 20);
		}
		printf("an_victim: %ld x %ld MiB touched in %.0f ms\n", rounds, mb, now_ms() - t0);
		fflush(stdout);
		_exit(0);
	}
	waitpid(v, &st, 0);
	kill(h, SIGKILL);
	waitpid(h, NULL, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
