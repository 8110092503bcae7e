/*
 * floor_load: loads tests/bench/floor/floor.bpf.c at a level (see there)
 * and drains its ring buffer, to measure what syscall recording costs on
 * this machine before a recorder does anything of its own.
 *
 *   floor_load LEVEL -- CMD [ARG...]   record CMD (started here, released
 *                                      once the programs are attached);
 *                                      exits with its status
 *   floor_load LEVEL                   every process but this one, until
 *                                      SIGINT or SIGTERM
 *
 * Prints "ready" on stdout once attached (without CMD) and, at the end, the
 * records received and lost on stderr.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/types.h>

#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_record(void *ctx, void *data, size_t len)
{
	(void)data;
	(void)len;
	++*(unsigned long long *)ctx;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long records = 0;
	struct ring_buffer *rb = NULL;
	struct floor_bpf *skel;
	int level, go[2] = {-1, -1}, status = 0, rc = 1;
	pid_t child = 0;

	if (argc < 2 || (argc > 2 && (strcmp(argv[2], "--") || argc < 4))) {
		fprintf(stderr, "usage: floor_load LEVEL [-- CMD [ARG...]]\n");
		return 2;
	}
	level = atoi(argv[1]);
	if (level < 0 || level > 3) {
		fprintf(stderr, "floor_load: level %s: 0 to 3\n", argv[1]);
		return 2;
	}
	if (argc > 2) {
		char c;

		if (pipe(go)) {
			perror("floor_load: pipe");
			return 1;
		}
		child = fork();
		if (child < 0) {
			perror("floor_load: fork");
			return 1;
		}
		if (child == 0) {
			close(go[1]);
			if (read(go[0], &c, 1) != 1)
				_exit(127);
			execvp(argv[3], argv + 3);
			fprintf(stderr, "floor_load: %s: %s\n", argv[3], strerror(errno));
			_exit(127);
		}
		close(go[0]);
	}
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor_load: cannot open the programs: %s\n", strerror(errno));
		goto out;
	}
	skel->rodata->level = level;
	skel->rodata->tgid = child;
	skel->rodata->self = getpid();
	if (floor_bpf__load(skel) || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor_load: cannot load or attach the programs: %s\n",
			strerror(errno));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), on_record, &records, NULL);
	if (!rb) {
		fprintf(stderr, "floor_load: ring buffer: %s\n", strerror(errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (child) {
		if (write(go[1], "g", 1) != 1) {
			perror("floor_load: releasing the command");
			goto out;
		}
		close(go[1]);
		go[1] = -1;
	} else {
		printf("ready\n");
		fflush(stdout);
	}
	for (;;) {
		/* records come without wakeups (as flightrec's do, batched):
		 * drain on a short timer */
		usleep(2000);
		ring_buffer__consume(rb);
		if (child && waitpid(child, &status, WNOHANG) == child) {
			child = 0;
			break;
		}
		if (!child && stop)
			break;
	}
	while (ring_buffer__consume(rb) > 0)
		;
	fprintf(stderr, "floor_load: level %d: %llu records, %llu lost\n", level, records,
		(unsigned long long)skel->bss->lost);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	ring_buffer__free(rb);
	floor_bpf__destroy(skel);
	return rc;
}
