// SPDX-License-Identifier: MIT
/*
 * cmd_record.c: `flightrec record [-o FILE] [--snaplen N] [--with-files] -- CMD [ARG...]`.
 *
 * Two threads.  The main thread owns the command: it forks it (stopped
 * before its exec), supervises the tree under ptrace (capture/tracer.h) and
 * reaps it.  The drain thread owns the recording: it polls the eBPF engine,
 * passes records through the reorder window and writes them to the bundle.
 * They share nothing until the command is done; then the main thread stops
 * the drain thread, merges what each learnt about the processes, and
 * finishes the bundle.
 */
/* fr_events.h first: <signal.h> defines sa_handler as a macro, which would
 * rename a field of struct fr_ev_signal_deliver. */
#include "capture/engine.h"
#include "capture/procfs.h"
#include "capture/reorder.h"
#include "capture/tracer.h"
#include "cli/commands.h"
#include "formats/bundle.h"
#include "formats/util.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long the reorder window holds an event behind the newest one. */
#define REORDER_WINDOW_NS 100000000ULL

static const char usage_text[] =
    "usage: flightrec record [-o FILE] [--snaplen N] [--with-files] [--ring-size SIZE]\n"
    "                        [-q] [-v] -- CMD [ARG...]\n"
    "\n"
    "Run CMD and record it and every process it starts, from its exec to the\n"
    "last exit, into an incident bundle: system calls with their arguments,\n"
    "return values and the data they moved, scheduling and wakeups, process\n"
    "lifecycle, page faults, reclaim, TCP, block I/O and signals, plus a table\n"
    "of the processes (argv, environment, cwd, fds, memory maps with\n"
    "build-ids, rlimits).  CMD runs with ASLR disabled and with the vDSO time\n"
    "functions turned into system calls, so that `flightrec replay` can\n"
    "re-execute it; stdin, stdout and stderr are CMD's.  The exit status is\n"
    "CMD's (128+N when a signal N killed it).\n"
    "\n"
    "Needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN) and a kernel with\n"
    "BTF (Linux 6.2 or later).\n"
    "\n"
    "  -o, --output FILE   the bundle (default: flightrec-<comm>-<UTC time>.frb\n"
    "                      in the current directory)\n"
    "      --snaplen N     keep at most N bytes of each payload (\"4K\", \"1M\";\n"
    "                      default 0: complete payloads, up to 64 MiB each)\n"
    "      --with-files    store the executables and libraries in the bundle,\n"
    "                      by build-id\n"
    "      --ring-size SIZE  kernel ring buffer (default 64M; a power of two)\n"
    "  -q, --quiet         no summary line\n"
    "  -v, --verbose       say what is probed and loaded (libbpf's log too)\n"
    "  -h, --help          this text\n";

/* Losses that cannot be made up afterwards are reported; so is every
 * event the reorder window had to move. */
struct evproc {
	uint32_t pid;
	uint32_t ppid;
	uint64_t start_ns;
	uint64_t exit_ns;
	int32_t exit_status;
	bool exited;
	bool seen_exec;
	char comm[FR_COMM_LEN];
	struct fr_thread_info *threads;
	uint32_t n_threads, cap_threads;
};

struct recorder {
	/* settings */
	const char *out_path;
	char out_buf[4096];
	uint32_t snaplen;
	uint64_t ring_bytes;
	bool with_files, quiet, verbose;
	char **cmd;
	/* parts */
	struct fr_engine *engine;
	struct fr_reorder *reorder;
	struct fr_writer *writer;
	struct fr_tracer *tracer;
	pid_t root;
	/* drain thread */
	pthread_t drain;
	bool drain_started;
	atomic_bool stop;
	int drain_err;	       /* first error of the drain thread (-errno) */
	uint64_t bad_records;  /* malformed records from the kernel (skipped) */
	uint64_t drain_cpu_ns; /* CPU time of the drain thread */
	char drain_msg[512];
	/* what the events told */
	uint64_t first_ts, last_ts, nevents;
	uint64_t items_truncated, items_fault, items_lost;
	struct evproc *procs;
	size_t nprocs, cap_procs;
	struct fr_event ev; /* scratch for decoding, large */
};

static struct fr_tracer *volatile g_tracer;

static void forward_signal(int sig)
{
	int e = errno;

	fr_tracer__signal_root(g_tracer, sig);
	errno = e;
}

static struct evproc *evproc_get(struct recorder *r, uint32_t pid, bool create)
{
	size_t i = r->nprocs;

	while (i--)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	if (!create)
		return NULL;
	if (r->nprocs == r->cap_procs) {
		size_t cap = r->cap_procs ? 2 * r->cap_procs : 32;
		struct evproc *n = realloc(r->procs, cap * sizeof(*n));

		if (!n)
			return NULL;
		r->procs = n;
		r->cap_procs = cap;
	}
	memset(&r->procs[r->nprocs], 0, sizeof(r->procs[0]));
	r->procs[r->nprocs].pid = pid;
	return &r->procs[r->nprocs++];
}

static void evproc_thread(struct evproc *p, uint32_t tid, const char *comm)
{
	uint32_t i;

	for (i = 0; i < p->n_threads; i++)
		if (p->threads[i].tid == tid)
			break;
	if (i == p->n_threads) {
		if (p->n_threads == p->cap_threads) {
			uint32_t cap = p->cap_threads ? 2 * p->cap_threads : 4;
			struct fr_thread_info *n = realloc(p->threads, cap * sizeof(*n));

			if (!n)
				return;
			p->threads = n;
			p->cap_threads = cap;
		}
		memset(&p->threads[i], 0, sizeof(p->threads[i]));
		p->threads[i].tid = tid;
		p->n_threads++;
	}
	if (comm && comm[0])
		snprintf(p->threads[i].comm, FR_COMM_LEN, "%.*s", FR_COMM_LEN - 1, comm);
}

/* What the process table learns from one event. */
static void track(struct recorder *r, const struct fr_event *ev)
{
	struct evproc *p;
	uint32_t i;

	switch (ev->type) {
	case FR_EV_PROC_FORK:
		if (ev->u.fork.child_pid != ev->pid) {
			p = evproc_get(r, ev->u.fork.child_pid, true);
			if (p) {
				/* a reused pid starts afresh */
				if (p->exited) {
					free(p->threads);
					memset(p, 0, sizeof(*p));
					p->pid = ev->u.fork.child_pid;
				}
				p->ppid = ev->pid;
				p->start_ns = ev->ts_ns;
				snprintf(p->comm, FR_COMM_LEN, "%.*s", FR_COMM_LEN - 1,
					 ev->u.fork.child_comm);
				evproc_thread(p, ev->u.fork.child_tid, ev->u.fork.child_comm);
			}
		} else {
			p = evproc_get(r, ev->pid, true);
			if (p)
				evproc_thread(p, ev->u.fork.child_tid, ev->u.fork.child_comm);
		}
		break;
	case FR_EV_PROC_EXEC:
		p = evproc_get(r, ev->pid, true);
		if (p) {
			if (!p->start_ns)
				p->start_ns = ev->ts_ns;
			p->seen_exec = true;
			snprintf(p->comm, FR_COMM_LEN, "%.*s", FR_COMM_LEN - 1, ev->u.exec.comm);
			/* exec leaves one thread, renumbered as the leader */
			p->n_threads = 0;
			evproc_thread(p, ev->pid, ev->u.exec.comm);
		}
		break;
	case FR_EV_PROC_COMM:
		p = evproc_get(r, ev->pid, true);
		if (p) {
			evproc_thread(p, ev->tid, ev->u.comm.new_comm);
			if (ev->tid == ev->pid)
				snprintf(p->comm, FR_COMM_LEN, "%.*s", FR_COMM_LEN - 1,
					 ev->u.comm.new_comm);
		}
		break;
	case FR_EV_PROC_EXIT:
		if (ev->u.exit.flags & FR_EXIT_GROUP_DEAD) {
			p = evproc_get(r, ev->pid, true);
			if (p) {
				p->exited = true;
				p->exit_ns = ev->ts_ns;
				p->exit_status = ev->u.exit.status;
			}
		}
		break;
	case FR_EV_SYSCALL:
		for (i = 0; i < ev->n_payloads; i++) {
			if (ev->payloads[i].flags & FR_PLF_TRUNCATED)
				r->items_truncated++;
			if (ev->payloads[i].flags & FR_PLF_FAULT)
				r->items_fault++;
			if (ev->payloads[i].flags & FR_PLF_LOST)
				r->items_lost++;
		}
		break;
	default:
		break;
	}
}

/* Reorder window -> bundle. */
static int write_record(void *ctx, void *rec, size_t len)
{
	struct recorder *r = ctx;
	int rc;

	rc = fr_event_from_record(&r->ev, rec, len);
	if (rc < 0) {
		/* a kernel-side bug: counted and reported, the rest is good */
		r->bad_records++;
		return 0;
	}
	if (!r->nevents)
		r->first_ts = r->ev.ts_ns;
	r->last_ts = r->ev.ts_ns;
	r->nevents++;
	track(r, &r->ev);
	if (r->drain_err)
		return 0; /* the writer failed: nothing more can be written */
	rc = fr_writer__add_event(r->writer, &r->ev);
	if (rc) {
		r->drain_err = rc;
		snprintf(r->drain_msg, sizeof(r->drain_msg), "writing %s: %s", r->out_path,
			 fr_writer__strerror(r->writer));
	}
	return 0;
}

/* Engine -> reorder window. */
static int push_record(void *ctx, const void *rec, size_t len)
{
	struct recorder *r = ctx;
	int rc = fr_reorder__push(r->reorder, rec, len);

	if (rc && !r->drain_err) {
		r->drain_err = rc;
		snprintf(r->drain_msg, sizeof(r->drain_msg), "buffering events: %s", strerror(-rc));
	}
	return 0;
}

static void *drain_main(void *arg)
{
	struct recorder *r = arg;
	struct timespec c0, c1;
	sigset_t set;
	int rc;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	/* signals are the main thread's business */
	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (!atomic_load(&r->stop)) {
		rc = fr_engine__poll(r->engine, 50);
		if (rc < 0 && !r->drain_err) {
			r->drain_err = rc;
			snprintf(r->drain_msg, sizeof(r->drain_msg), "reading the ring buffer: %s",
				 strerror(-rc));
		}
		fr_reorder__release(r->reorder, false);
	}
	/* the tree is gone: what it produced is in the ring */
	fr_engine__drain(r->engine);
	fr_engine__flush_lost(r->engine);
	fr_reorder__release(r->reorder, true);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	r->drain_cpu_ns = (uint64_t)(c1.tv_sec - c0.tv_sec) * 1000000000ULL + (uint64_t)c1.tv_nsec -
			  (uint64_t)c0.tv_nsec;
	return NULL;
}

static void default_output(struct recorder *r)
{
	char comm[64], stamp[32], *base, *dup;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	dup = strdup(r->cmd[0]);
	base = dup ? basename(dup) : "cmd";
	snprintf(comm, sizeof(comm), "%.15s", base);
	for (i = 0; comm[i]; i++)
		if (comm[i] == '/' || comm[i] == ' ' || (unsigned char)comm[i] < 0x20)
			comm[i] = '_';
	free(dup);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(r->out_buf, sizeof(r->out_buf), "flightrec-%s-%s.frb", comm, stamp);
	r->out_path = r->out_buf;
}

static int exit_code_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return FR_EXIT_FAIL;
}

static void merge_threads(struct fr_process *p, const struct evproc *e)
{
	uint32_t i, j;

	for (i = 0; i < e->n_threads; i++) {
		for (j = 0; j < p->n_threads; j++)
			if (p->threads[j].tid == e->threads[i].tid)
				break;
		if (j < p->n_threads) {
			if (e->threads[i].comm[0])
				memcpy(p->threads[j].comm, e->threads[i].comm, FR_COMM_LEN);
			continue;
		}
		{
			struct fr_thread_info *n =
			    realloc(p->threads, (p->n_threads + 1) * sizeof(*n));

			if (!n)
				return;
			p->threads = n;
			p->threads[p->n_threads++] = e->threads[i];
		}
	}
}

/* The process table: /proc snapshots from the tracer, times and threads from
 * the events. */
static int write_processes(struct recorder *r)
{
	size_t i, n = r->tracer ? fr_tracer__nprocs(r->tracer) : 0;
	int rc;

	for (i = 0; i < n; i++) {
		struct fr_tracer_proc *tp = fr_tracer__proc(r->tracer, i);
		struct fr_process *p = &tp->p;
		struct evproc *e = evproc_get(r, p->pid, false);

		p->flags |= FR_PROC_SNAPSHOT;
		if (p->pid == (uint32_t)r->root)
			p->flags |= FR_PROC_ROOT;
		if (e) {
			p->start_ns = e->start_ns;
			if (e->ppid)
				p->ppid = e->ppid;
			if (e->exited) {
				p->flags |= FR_PROC_EXITED;
				p->exit_ns = e->exit_ns;
				p->exit_status = e->exit_status;
			}
			merge_threads(p, e);
			if (e->comm[0])
				memcpy(p->comm, e->comm, FR_COMM_LEN);
		} else if (tp->exited) {
			p->flags |= FR_PROC_EXITED;
			p->exit_status = tp->wait_status;
		}
		rc = fr_writer__add_process(r->writer, p);
		if (rc)
			return rc;
	}
	/* processes only the events know (no ptrace) */
	for (i = 0; i < r->nprocs; i++) {
		struct evproc *e = &r->procs[i];
		struct fr_process p;
		size_t k;
		bool have = false;

		for (k = 0; k < n; k++)
			if (fr_tracer__proc(r->tracer, k)->p.pid == e->pid)
				have = true;
		if (have)
			continue;
		memset(&p, 0, sizeof(p));
		p.pid = e->pid;
		p.ppid = e->ppid;
		memcpy(p.comm, e->comm, FR_COMM_LEN);
		p.start_ns = e->start_ns;
		if (e->exited) {
			p.flags |= FR_PROC_EXITED;
			p.exit_ns = e->exit_ns;
			p.exit_status = e->exit_status;
		}
		if (e->pid == (uint32_t)r->root)
			p.flags |= FR_PROC_ROOT;
		p.threads = e->threads;
		p.n_threads = e->n_threads;
		rc = fr_writer__add_process(r->writer, &p);
		if (rc)
			return rc;
	}
	return 0;
}

/* --with-files: the executables and mapped ELF files, by build-id, when the
 * file at the path still has that build-id. */
static void add_files(struct recorder *r)
{
	size_t i, n = r->tracer ? fr_tracer__nprocs(r->tracer) : 0, k, nd = 0;
	char **done = NULL;

	for (i = 0; i < n; i++) {
		struct fr_process *p = &fr_tracer__proc(r->tracer, i)->p;
		uint32_t m;

		for (m = 0; m <= p->n_maps; m++) {
			const char *bid = m < p->n_maps ? p->maps[m].build_id : p->exe_build_id;
			const char *path = m < p->n_maps ? p->maps[m].path : p->exe;
			struct fr_buildid_cache *fresh = NULL;
			const char *now;
			char **nd_;

			if (!bid || !path || path[0] != '/')
				continue;
			for (k = 0; k < nd; k++)
				if (!strcmp(done[k], bid))
					break;
			if (k < nd)
				continue;
			if (fr_buildid_cache__new(&fresh))
				continue;
			now = fr_buildid__get(fresh, path, 0, 1);
			if (!now || strcmp(now, bid)) {
				pr_warn("record: --with-files: %s changed since it was "
					"mapped; not stored\n",
					path);
			} else if (fr_writer__add_file(r->writer, bid, path, path)) {
				pr_warn("record: --with-files: %s: %s\n", path,
					fr_writer__strerror(r->writer));
			}
			fr_buildid_cache__free(fresh);
			nd_ = realloc(done, (nd + 1) * sizeof(*done));
			if (!nd_)
				continue;
			done = nd_;
			done[nd++] = strdup(bid);
			if (!done[nd - 1])
				nd--;
		}
	}
	for (k = 0; k < nd; k++)
		free(done[k]);
	free(done);
}

static void fill_manifest(struct recorder *r, int wait_status, uint64_t cpu_ns, uint64_t start_ns)
{
	struct fr_manifest *m = fr_writer__manifest(r->writer);
	struct fr_engine_stats es;
	struct fr_reorder_stats rs;
	json_t *cmd = json_array(), *cpus = json_array(), *agent, *vdso;
	unsigned ok = 0, failed = 0, cpu, c;
	const char *verr = NULL;
	struct fr_sb sb;
	int i;

	fr_engine__stats(r->engine, &es);
	fr_reorder__stats(r->reorder, &rs);
	fr_sb_init(&sb);
	for (i = 0; r->cmd[i]; i++) {
		json_array_append_new(cmd, json_string(r->cmd[i]) ? json_string(r->cmd[i])
								  : json_string("?"));
		fr_sb_printf(&sb, "%s%s", i ? " " : "", r->cmd[i]);
	}
	snprintf(m->trigger_kind, sizeof(m->trigger_kind), "record");
	snprintf(m->trigger_reason, sizeof(m->trigger_reason), "%s", fr_sb_str(&sb));
	fr_sb_free(&sb);
	m->trigger_ns = start_ns;
	m->window_start_ns = r->nevents ? r->first_ts : start_ns;
	m->window_end_ns = r->nevents ? r->last_ts : start_ns;
	m->losses[FR_LOSS_RING_FULL] = es.losses[FR_LOSS_RING_FULL];
	m->losses[FR_LOSS_PAYLOAD_TRUNCATED] = r->items_truncated;
	m->losses[FR_LOSS_READ_FAULT] = r->items_fault;

	for (cpu = 0; cpu < es.ncpus; cpu++) {
		uint64_t l[FR_LOSS_CAUSE_COUNT];
		json_t *o = NULL;

		fr_engine__cpu_losses(r->engine, cpu, l);
		for (c = 1; c < FR_LOSS_CAUSE_COUNT; c++) {
			if (!l[c])
				continue;
			if (!o)
				o = json_pack("{s:i}", "cpu", cpu);
			json_object_set_new(o, fr_loss_cause_name(c),
					    json_integer((json_int_t)l[c]));
		}
		if (o)
			json_array_append_new(cpus, o);
	}
	if (r->tracer)
		fr_tracer__vdso_stats(r->tracer, &ok, &failed, &verr);
	vdso = json_pack("{s:b,s:i,s:i}", "patched", ok > 0 && !failed, "processes", ok, "failures",
			 failed);
	if (verr)
		json_object_set_new(vdso, "detail", json_string(verr));
	agent = json_object();
#define AGENT(key, v) json_object_set_new(agent, key, json_integer((json_int_t)(v)))
	AGENT("cpu_ns", cpu_ns);
	AGENT("drain_cpu_ns", r->drain_cpu_ns);
	AGENT("ring_records", es.ring_records);
	AGENT("ring_bytes", es.ring_bytes);
	AGENT("pieces", es.pieces);
	AGENT("stale_pieces", es.stale_pieces);
	AGENT("payloads_lost", r->items_lost);
	AGENT("reorder_late", rs.late);
	AGENT("reorder_max_late_ns", rs.max_late_ns);
	AGENT("reorder_forced", rs.forced);
	AGENT("task_state_failures", es.kstats[FR_STAT_TASK_ALLOC_FAIL]);
	AGENT("bad_records", es.bad_records + r->bad_records);
	AGENT("wakeups", es.kstats[FR_STAT_WAKEUPS]);
	AGENT("block_requests_untracked", es.kstats[FR_STAT_BLOCK_TRACK_FULL]);
#undef AGENT
	json_object_set_new(agent, "losses_per_cpu", cpus);
	/* clang-format off: one member per line */
	m->capture = json_pack("{s:s, s:I, s:I, s:I, s:[{s:s, s:i}], s:s, s:o, s:o, s:i, s:o}",
			       "mode", "record",
			       "snaplen", (json_int_t)r->snaplen,
			       "ring_bytes", (json_int_t)fr_engine__ring_bytes(r->engine),
			       "reorder_window_ns", (json_int_t)REORDER_WINDOW_NS,
			       "filters", "kind", "tree", "root_pid", (int)r->root,
			       "aslr", "disabled",
			       "vdso", vdso,
			       "command", cmd,
			       "exit_status", wait_status,
			       "agent", agent);
	/* clang-format on */
	m->features = fr_engine__features(r->engine);
}

static uint64_t cpu_time_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void summary(struct recorder *r, uint64_t ring_full)
{
	const struct fr_manifest *m = fr_writer__manifest(r->writer);
	char pay[32];
	struct fr_sb sb;

	if (r->quiet)
		return;
	fr_sb_init(&sb);
	if (ring_full)
		fr_sb_printf(&sb, ", %" PRIu64 " records lost (ring buffer full)", ring_full);
	if (r->items_truncated)
		fr_sb_printf(&sb, ", %" PRIu64 " payloads cut to the snaplen", r->items_truncated);
	if (r->items_fault)
		fr_sb_printf(&sb, ", %" PRIu64 " payloads unreadable", r->items_fault);
	if (r->items_lost)
		fr_sb_printf(&sb, ", %" PRIu64 " payloads incomplete (pieces lost)", r->items_lost);
	fr_fmt_size(pay, sizeof(pay), m->payload_bytes);
	fprintf(stderr, "flightrec: record: %s: %" PRIu64 " events, %s of payload%s\n", r->out_path,
		r->nevents, pay, sb.len ? fr_sb_str(&sb) : ", nothing lost");
	fr_sb_free(&sb);
}

static int parse_args(struct recorder *r, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'}, {"snaplen", required_argument, NULL, 's'},
	    {"with-files", no_argument, NULL, 'F'},   {"ring-size", required_argument, NULL, 'R'},
	    {"quiet", no_argument, NULL, 'q'},	      {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	uint64_t v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			r->out_path = optarg;
			break;
		case 's':
			if (fr_parse_size(optarg, &v) || v > UINT32_MAX) {
				fr_error("record: --snaplen: '%s' is not a size (e.g. 256, 4K, 1M)",
					 optarg);
				return FR_EXIT_USAGE;
			}
			r->snaplen = (uint32_t)v;
			break;
		case 'F':
			r->with_files = true;
			break;
		case 'R':
			if (fr_parse_size(optarg, &v) || v < 4096 || v > (1ULL << 30)) {
				fr_error(
				    "record: --ring-size: '%s' is not a size between 4K and 1G",
				    optarg);
				return FR_EXIT_USAGE;
			}
			r->ring_bytes = v;
			break;
		case 'q':
			r->quiet = true;
			break;
		case 'v':
			r->verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			fputs(usage_text, stderr);
			return FR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fr_error("record: no command to run (usage: flightrec record [options] -- CMD "
			 "[ARG...])");
		return FR_EXIT_USAGE;
	}
	r->cmd = argv + optind;
	return 0;
}

int cmd_record(int argc, char **argv)
{
	struct recorder *r;
	struct fr_engine_opts eo = {0};
	struct fr_tracer_opts to = {.patch_vdso = true, .snapshots = true};
	struct fr_writer_opts wo = {.zstd_level = 1};
	struct sigaction sa, old_int, old_quit, old_term, old_hup;
	char err[1024];
	uint64_t start_ns;
	int rc, status = FR_EXIT_FAIL, wait_status = 0;

	r = calloc(1, sizeof(*r));
	if (!r) {
		fr_error("record: out of memory");
		return FR_EXIT_FAIL;
	}
	rc = parse_args(r, argc, argv);
	if (rc) {
		free(r);
		return rc < 0 ? FR_EXIT_OK : rc;
	}
	if (r->verbose)
		fr_set_log_level(FR_LOG_INFO);
	if (!r->out_path)
		default_output(r);

	eo.mode = FR_MODE_TREE;
	eo.snaplen = r->snaplen;
	eo.ring_bytes = r->ring_bytes;
	eo.verbose = r->verbose;
	eo.on_record = push_record;
	eo.ctx = r;
	rc = fr_engine__open(&eo, &r->engine, err, sizeof(err));
	if (rc) {
		fr_error("record: %s", err);
		goto out;
	}
	rc = fr_reorder__new(REORDER_WINDOW_NS, 0, write_record, r, &r->reorder);
	if (rc) {
		fr_error("record: out of memory");
		goto out;
	}
	rc = fr_tracer__spawn(r->cmd, &to, &r->tracer, &r->root, err, sizeof(err));
	if (rc) {
		fr_error("record: cannot start '%s': %s", r->cmd[0], err);
		goto out;
	}
	g_tracer = r->tracer;
	/* after the fork: the writer's temporary file must not be inherited by
	 * the command (it is not opened close-on-exec) */
	rc = fr_writer__open(r->out_path, &wo, &r->writer, err, sizeof(err));
	if (rc) {
		fr_error("record: %s: %s", r->out_path, err);
		kill(r->root, SIGKILL);
		fr_tracer__run(r->tracer);
		goto out;
	}
	rc = fr_engine__arm(r->engine, r->root, err, sizeof(err));
	if (rc) {
		fr_error("record: %s", err);
		kill(r->root, SIGKILL);
		fr_tracer__run(r->tracer);
		goto out;
	}
	/* the terminal's ^C and ^\ are for the command; a TERM or HUP sent to
	 * the recorder is passed on to it */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGQUIT, &sa, &old_quit);
	sa.sa_handler = forward_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	rc = pthread_create(&r->drain, NULL, drain_main, r);
	if (rc) {
		fr_error("record: starting the drain thread: %s", strerror(rc));
		kill(r->root, SIGKILL);
		fr_tracer__run(r->tracer);
		goto restore;
	}
	r->drain_started = true;
	start_ns = mono_ns();
	rc = fr_tracer__release(r->tracer, err, sizeof(err));
	if (rc) {
		fr_error("record: cannot run '%s': %s", r->cmd[0], err);
		status = rc == -ENOENT ? 127 : 126;
		atomic_store(&r->stop, true);
		pthread_join(r->drain, NULL);
		r->drain_started = false;
		goto restore;
	}
	wait_status = fr_tracer__run(r->tracer);
	/* the last task's final context switch may still be on its way */
	usleep(20000);
	atomic_store(&r->stop, true);
	pthread_join(r->drain, NULL);
	r->drain_started = false;
	if (wait_status < 0) {
		fr_error("record: waiting for the command: %s", strerror(-wait_status));
		wait_status = 0;
	}

	rc = write_processes(r);
	if (!rc && r->with_files)
		add_files(r);
	fill_manifest(r, wait_status, cpu_time_ns(), start_ns);
	if (rc || r->drain_err) {
		fr_error("record: %s",
			 r->drain_err ? r->drain_msg : fr_writer__strerror(r->writer));
		goto restore;
	}
	if (fr_writer__finish(r->writer)) {
		fr_error("record: %s: %s", r->out_path, fr_writer__strerror(r->writer));
		goto restore;
	}
	{
		struct fr_engine_stats es;

		fr_engine__stats(r->engine, &es);
		if (es.bad_records + r->bad_records)
			pr_warn("record: %" PRIu64 " malformed records from the kernel were skipped "
				"(a bug: please report it)\n", es.bad_records + r->bad_records);
		summary(r, es.losses[FR_LOSS_RING_FULL]);
	}
	status = exit_code_of(wait_status);
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
out:
	if (r->drain_started) {
		atomic_store(&r->stop, true);
		pthread_join(r->drain, NULL);
	}
	g_tracer = NULL;
	fr_writer__free(r->writer);
	fr_tracer__free(r->tracer);
	fr_reorder__free(r->reorder);
	fr_engine__free(r->engine);
	{
		size_t i;

		for (i = 0; i < r->nprocs; i++)
			free(r->procs[i].threads);
		free(r->procs);
	}
	free(r);
	return status;
}
