// SPDX-License-Identifier: MIT
/*
 * batch: the demo's nightly export job, the culprit.  Fills the memory of
 * the cgroup it shares with "db".
 *
 *   batch DIR [FILE_MB [ANON_MB [SECONDS]]]     (defaults 56, 0, 60)
 *
 * Maps and touches ANON_MB MiB of anonymous memory and keeps it, then
 * writes an export file in DIR (unlinked at once, so nothing is left
 * behind) over and over, 1 MiB at a time, rewinding every FILE_MB MiB: the
 * file's pages stay dirty in the page cache, charged to the memory cgroup.
 * Dirty pages can only be freed once written back to disk, so another
 * process of the cgroup that needs memory (db writing an order) must wait
 * in reclaim for the writeback.  Stops after SECONDS, or on SIGTERM/SIGINT.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long arg(int argc, char **argv, int i, long def)
{
	char *end;
	long v;

	if (argc <= i)
		return def;
	v = strtol(argv[i], &end, 10);
	if (end == argv[i] || *end || v < 0 || v > 1 << 20) {
		fprintf(stderr, "batch: '%s' is not a number of MiB or seconds\n", argv[i]);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	struct sigaction act = {.sa_handler = on_signal};
	long file_mb = arg(argc, argv, 2, 56), anon_mb = arg(argc, argv, 3, 0),
	     seconds = arg(argc, argv, 4, 60), i;
	char path[4096];
	time_t end;
	int fd;

	if (argc < 2 || argc > 5 || file_mb < 1) {
		fprintf(stderr, "usage: batch DIR [FILE_MB [ANON_MB [SECONDS]]]\n");
		return 2;
	}
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	if (anon_mb) {
		char *p = mmap(NULL, (size_t)anon_mb << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("batch: mmap");
			return 1;
		}
		for (i = 0; i < anon_mb << 20; i += 4096)
			p[i] = 1;
	}
	snprintf(path, sizeof(path), "%s/export.%d.tmp", argv[1], (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	unlink(path);
	memset(buf, 'x', sizeof(buf));
	end = time(NULL) + seconds;
	for (i = 0; !stop && time(NULL) < end; i++) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			if (errno == EINTR)
				continue;
			perror("batch: write");
			return 1;
		}
		if (i % file_mb == file_mb - 1 && lseek(fd, 0, SEEK_SET) < 0) {
			perror("batch: lseek");
			return 1;
		}
	}
	close(fd);
	return 0;
}
