// SPDX-License-Identifier: MIT
/*
 * bench_replay: replay against native run time.
 *
 *   bench_replay PROGS_DIR [N_SYSCALLS [N_COMPUTE] [RUNS]]
 *
 * Writes recordings of tests/progs/rp_raw_loop by hand (its calls are
 * exactly known: no libc), then times, RUNS times each, the program run
 * natively and replayed from its recording:
 *   - syscall-heavy: N_SYSCALLS reads of 64 bytes (served from the
 *     recording in the replay; /dev/zero natively), one write, exit;
 *   - compute-heavy: N_COMPUTE rounds of arithmetic, one write, exit.
 * Prints medians, the replay/native ratios, and the median overhead per
 * replayed system call: (replay - native) / calls.  Nothing is asserted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "formats/bundle.h"
#include "replay/engine.h"
#include "replay/replay.h"

#define T0 5000000000ULL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void ev_syscall(struct fr_event *ev, uint64_t *t, unsigned nr, int64_t ret)
{
	memset(ev, 0, sizeof(*ev));
	*t += 1000;
	ev->type = FR_EV_SYSCALL;
	ev->pid = ev->tid = 1000;
	ev->u.sc.nr = nr;
	ev->u.sc.ret = ret;
	ev->u.sc.enter_ns = *t;
	ev->ts_ns = *t + 300;
}

/* The recording of `rp_raw_loop n mode`. */
static int write_recording(const char *path, const char *exe, uint64_t n, bool reads)
{
	static const uint8_t zeros[64];
	char num[32], out[32], argv_blob[256];
	char *argv[] = {"rp_raw_loop", num, reads ? "read" : "compute", NULL};
	struct fr_writer_opts wo = {.mtime = 1795000000};
	struct fr_fd fds[3] = {{.fd = 0, .type = FR_FD_CHR},
			       {.fd = 1, .type = FR_FD_CHR},
			       {.fd = 2, .type = FR_FD_CHR}};
	uint64_t h = 1469598103934665603UL, i, t = T0;
	struct fr_writer *w;
	struct fr_process p;
	struct fr_event ev;
	char err[512];
	size_t alen;
	int len;

	snprintf(num, sizeof(num), "%" PRIu64, n);
	alen = (size_t)snprintf(argv_blob, sizeof(argv_blob), "rp_raw_loop%c%s%c%s", 0, num, 0,
				argv[2]) +
	       1;
	if (fr_writer__open(path, &wo, &w, err, sizeof(err))) {
		fprintf(stderr, "bench_replay: %s: %s\n", path, err);
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = FR_EV_PROC_EXEC;
	ev.ts_ns = t;
	ev.pid = ev.tid = 1000;
	ev.u.exec.old_tid = 1000;
	ev.payloads[0] = (struct fr_payload){
	    FR_PL_EXEC_FILENAME, 0xff, 0, 0, (uint32_t)strlen(exe), (uint32_t)strlen(exe),
	    (const uint8_t *)exe};
	ev.payloads[1] = (struct fr_payload){
	    FR_PL_EXEC_ARGV,	       0xff, 0, 0, (uint32_t)alen, (uint32_t)alen,
	    (const uint8_t *)argv_blob};
	ev.n_payloads = 2;
	if (fr_writer__add_event(w, &ev))
		goto fail;
	if (reads) {
		for (i = 0; i < n; i++) {
			ev_syscall(&ev, &t, 0 /* read */, 64);
			ev.u.sc.args[1] = 0x7ffe0000;
			ev.u.sc.args[2] = 64;
			ev.payloads[0] = (struct fr_payload){FR_PL_OUT, 1, 0, 0, 64, 64, zeros};
			ev.n_payloads = 1;
			if (fr_writer__add_event(w, &ev))
				goto fail;
			h = (h ^ 0) * 1099511628211UL;
		}
	} else {
		for (i = 0; i < n; i++)
			h = (h ^ i) * 1099511628211UL;
	}
	len = snprintf(out, sizeof(out), "%" PRIu64 "\n", h % 1000000007UL);
	ev_syscall(&ev, &t, 1 /* write */, len);
	ev.u.sc.args[0] = 1;
	ev.u.sc.args[1] = 0x7ffe0000;
	ev.u.sc.args[2] = (uint64_t)len;
	ev.payloads[0] = (struct fr_payload){
	    FR_PL_IN, 1, 0, 0, (uint32_t)len, (uint32_t)len, (const uint8_t *)out};
	ev.n_payloads = 1;
	if (fr_writer__add_event(w, &ev))
		goto fail;
	ev_syscall(&ev, &t, 231 /* exit_group */, 0);
	ev.u.sc.flags = FR_SC_NO_EXIT;
	ev.ts_ns = ev.u.sc.enter_ns;
	if (fr_writer__add_event(w, &ev))
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.type = FR_EV_PROC_EXIT;
	ev.ts_ns = t + 500;
	ev.pid = ev.tid = 1000;
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	if (fr_writer__add_event(w, &ev))
		goto fail;
	memset(&p, 0, sizeof(p));
	p.pid = 1000;
	p.flags = FR_PROC_ROOT | FR_PROC_EXITED;
	p.exe = (char *)exe;
	p.cwd = "/";
	p.argv = argv;
	p.argc = 3;
	p.fds = fds;
	p.n_fds = 3;
	if (fr_writer__add_process(w, &p) || fr_writer__finish(w))
		goto fail;
	fr_writer__free(w);
	return 0;
fail:
	fprintf(stderr, "bench_replay: writing %s: %s\n", path, fr_writer__strerror(w));
	fr_writer__free(w);
	return -1;
}

static double run_native(const char *exe, uint64_t n, bool reads)
{
	char num[32];
	double t;
	pid_t pid;
	int st;

	snprintf(num, sizeof(num), "%" PRIu64, n);
	t = now();
	pid = fork();
	if (pid == 0) {
		int z = open("/dev/zero", O_RDONLY), nul = open("/dev/null", O_WRONLY);

		dup2(z, 0);
		dup2(nul, 1);
		execl(exe, "rp_raw_loop", num, reads ? "read" : "compute", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	t = now() - t;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "bench_replay: native run failed (%#x)\n", st);
		exit(1);
	}
	return t;
}

static double run_replay(const char *bundle)
{
	struct fr_replay_opts o = {.mirror_stdout_fd = -1, .mirror_stderr_fd = -1};
	const struct fr_replay_result *res;
	struct fr_replay *rp;
	char err[512];
	double t;

	if (fr_replay__open(bundle, &o, &rp, err, sizeof(err))) {
		fprintf(stderr, "bench_replay: %s\n", err);
		exit(1);
	}
	t = now();
	if (fr_replay__run(rp)) {
		fprintf(stderr, "bench_replay: replay: %s\n", fr_replay__strerror(rp));
		exit(1);
	}
	t = now() - t;
	res = fr_replay__result(rp);
	if (!res->completed) {
		fr_replay_result__print(stderr, res);
		exit(1);
	}
	fr_replay__free(rp);
	return t;
}

/* The floor: the same program under the bare engine, every read answered
 * with zeroes and nothing else done (no recording, no order, no checks).
 * Returns seconds. */
static double run_engine_only(const char *exe, uint64_t n)
{
	static const uint8_t zeros[64];
	char num[32], err[256];
	char *av[] = { "rp_raw_loop", num, "read", NULL };
	char *env[] = { NULL };
	int fds[] = { 0, 1, 2 };
	struct rp_spawn sp = { .path = exe, .argv = av, .envp = env, .fds = fds, .n_fds = 3 };
	struct rp_engine *e;
	struct rp_thread *t;
	double t0;
	int k;

	snprintf(num, sizeof(num), "%" PRIu64, n);
	if (rp_engine__new(&e) || rp_engine__spawn(e, &sp, &t, err, sizeof(err))) {
		fprintf(stderr, "bench_replay: engine: %s\n", err);
		exit(1);
	}
	t0 = now();
	rp_thread__resume(t, RP_RESUME_RUN, 0);
	while ((k = rp_engine__wait(e, -1, &t)) > 0 && k != RP_STOP_GONE) {
		if (k == RP_STOP_ENTER && t->sc.nr == 0 /* read */) {
			rp_thread__write(t, t->sc.args[1], zeros, 64);
			rp_thread__skip(t, 64);
		} else if (k == RP_STOP_ENTER && t->sc.nr == 1 /* write */) {
			rp_thread__skip(t, (int64_t)t->sc.args[2]);
		}
		rp_thread__resume(t, RP_RESUME_RUN, 0);
	}
	t0 = now() - t0;
	rp_engine__free(e);
	return t0;
}

int main(int argc, char **argv)
{
	uint64_t n_sys = argc > 2 ? strtoull(argv[2], NULL, 10) : 200000;
	uint64_t n_cpu = argc > 3 ? strtoull(argv[3], NULL, 10) : 300000000;
	int runs = argc > 4 ? atoi(argv[4]) : 5, i;
	char exe[4096], dir[] = "/tmp/frbench-replay.XXXXXX", b_sys[256], b_cpu[256];
	double nat[64], rep[64], over[64], eng[64], n_med, r_med, o_med, e_med, cn, cr;

	if (argc < 2 || runs < 1 || runs > 64) {
		fprintf(stderr, "usage: bench_replay PROGS_DIR [N_SYSCALLS [N_COMPUTE [RUNS]]]\n");
		return 2;
	}
	if (!realpath(argv[1], exe)) {
		perror(argv[1]);
		return 1;
	}
	strncat(exe, "/rp_raw_loop", sizeof(exe) - strlen(exe) - 1);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(b_sys, sizeof(b_sys), "%s/sys.frb", dir);
	snprintf(b_cpu, sizeof(b_cpu), "%s/cpu.frb", dir);
	if (write_recording(b_sys, exe, n_sys, true) || write_recording(b_cpu, exe, n_cpu, false))
		return 1;

	for (i = 0; i < runs; i++) {
		nat[i] = run_native(exe, n_sys, true);
		rep[i] = run_replay(b_sys);
		/* +2: the final write and exit_group */
		over[i] = (rep[i] - nat[i]) / (double)(n_sys + 2) * 1e6;
		eng[i] = (run_engine_only(exe, n_sys) - nat[i]) / (double)(n_sys + 2) * 1e6;
	}
	n_med = median(nat, runs);
	r_med = median(rep, runs);
	o_med = median(over, runs);
	e_med = median(eng, runs);
	printf("replay, syscall-heavy: %" PRIu64 " reads of 64 bytes (median of %d runs)\n", n_sys,
	       runs);
	printf("  native             %8.3f s\n", n_med);
	printf("  replay             %8.3f s   %.1fx native\n", r_med, r_med / n_med);
	printf("  overhead per replayed syscall: %.2f us (median; target <= 5 us)\n", o_med);
	printf("  of which one ptrace stop (the bare engine answering the same reads): %.2f us\n",
	       e_med);

	for (i = 0; i < runs; i++) {
		nat[i] = run_native(exe, n_cpu, false);
		rep[i] = run_replay(b_cpu);
	}
	cn = median(nat, runs);
	cr = median(rep, runs);
	printf("replay, compute-heavy: %" PRIu64 " rounds, 2 system calls (median of %d runs)\n",
	       n_cpu, runs);
	printf("  native             %8.3f s\n", cn);
	printf("  replay             %8.3f s   %.2fx native\n", cr, cr / cn);

	unlink(b_sys);
	unlink(b_cpu);
	rmdir(dir);
	return 0;
}
