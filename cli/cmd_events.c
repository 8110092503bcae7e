// SPDX-License-Identifier: MIT
/* cmd_events.c: `flightrec events FILE [filters] [--json]`. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/bundle_arg.h"
#include "cli/commands.h"
#include "formats/bundle.h"
#include "formats/print.h"
#include "formats/util.h"

static const char usage_text[] =
    "usage: flightrec events FILE [--pid P] [--tid T] [--type T] [--since T]\n"
    "                            [--until T] [-s N] [--utc] [--json]\n"
    "\n"
    "Print a bundle's events in time order, one per line: time, comm, pid/tid,\n"
    "cpu, type and the decoded details (system calls with their arguments,\n"
    "strings and buffers escaped as strace -s does, return value and duration).\n"
    "\n"
    "  --pid P       only process P (repeatable, or comma-separated)\n"
    "  --tid T       only thread T (repeatable, or comma-separated)\n"
    "  --type T      only events of type T (repeatable, or comma-separated):\n"
    "                syscall, sched_switch, sched_wakeup, sched_migrate, fork,\n"
    "                exec, exit, comm, page_fault, reclaim, oom_kill, tcp_state,\n"
    "                tcp_retransmit, tcp_reset, block_issue, block_complete,\n"
    "                signal_generate, signal_deliver, lost, mark\n"
    "  --since T     from T after the window start (\"1.5s\", \"200ms\"; bare = s)\n"
    "  --until T     up to T after the window start\n"
    "  -s, --strsize N  bytes of each buffer to show (default 32)\n"
    "  --utc         absolute UTC times instead of seconds from the window start\n"
    "  --json        one JSON object per line\n"
    "  -h, --help    this text\n";

/* tid -> latest comm seen in the stream, so lines show names as they were */
struct comm_map {
	uint32_t *tid;
	char (*comm)[FR_COMM_LEN];
	size_t cap; /* power of two */
	size_t n;
	const struct fr_reader *r;
};

static size_t cm_slot(const struct comm_map *m, uint32_t tid)
{
	size_t h = (tid * 2654435761u) & (m->cap - 1);

	while (m->tid[h] && m->tid[h] != tid)
		h = (h + 1) & (m->cap - 1);
	return h;
}

static void cm_set(struct comm_map *m, uint32_t tid, const char *comm)
{
	size_t h;

	if (!tid || !comm[0])
		return;
	if ((m->n + 1) * 2 > m->cap) {
		struct comm_map nm = {0};
		size_t i;

		nm.cap = m->cap ? m->cap * 2 : 1024;
		nm.tid = calloc(nm.cap, sizeof(*nm.tid));
		nm.comm = calloc(nm.cap, sizeof(*nm.comm));
		if (!nm.tid || !nm.comm) {
			free(nm.tid);
			free(nm.comm);
			return; /* names only: fall back to the process table */
		}
		for (i = 0; i < m->cap; i++)
			if (m->tid[i]) {
				h = cm_slot(&nm, m->tid[i]);
				nm.tid[h] = m->tid[i];
				memcpy(nm.comm[h], m->comm[i], FR_COMM_LEN);
			}
		free(m->tid);
		free(m->comm);
		m->tid = nm.tid;
		m->comm = nm.comm;
		m->cap = nm.cap;
	}
	h = cm_slot(m, tid);
	if (!m->tid[h]) {
		m->tid[h] = tid;
		m->n++;
	}
	snprintf(m->comm[h], FR_COMM_LEN, "%.*s", FR_COMM_LEN - 1, comm);
}

static const char *comm_of(void *ctx, uint32_t pid, uint32_t tid)
{
	struct comm_map *m = ctx;
	const struct fr_process *p;
	size_t h;
	uint32_t i;

	if (m->cap) {
		h = cm_slot(m, tid);
		if (m->tid[h])
			return m->comm[h];
	}
	p = fr_reader__find_process(m->r, pid);
	if (!p)
		return NULL;
	for (i = 0; i < p->n_threads; i++)
		if (p->threads[i].tid == tid && p->threads[i].comm[0])
			return p->threads[i].comm;
	return p->comm[0] ? p->comm : NULL;
}

/* Learn names from the events themselves. */
static void track_comm(struct comm_map *m, const struct fr_event *ev)
{
	switch (ev->type) {
	case FR_EV_SCHED_SWITCH:
		cm_set(m, ev->tid, ev->u.sw.prev_comm);
		cm_set(m, ev->u.sw.next_tid, ev->u.sw.next_comm);
		break;
	case FR_EV_PROC_FORK:
		cm_set(m, ev->u.fork.child_tid, ev->u.fork.child_comm);
		break;
	case FR_EV_PROC_EXEC:
		cm_set(m, ev->tid, ev->u.exec.comm);
		break;
	case FR_EV_PROC_COMM:
		cm_set(m, ev->tid, ev->u.comm.new_comm);
		break;
	default:
		break;
	}
}

static int add_ids(const char *opt, const char *arg, uint32_t *ids, uint32_t *n)
{
	char *dup = strdup(arg), *save = NULL, *tok;
	uint64_t v;

	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (fr_parse_u64(tok, &v) || v > UINT32_MAX) {
			fr_error("events: %s: '%s' is not a process or thread id", opt, tok);
			free(dup);
			return -EINVAL;
		}
		if (*n >= FR_FILTER_MAX_IDS) {
			fr_error("events: %s: at most %d ids", opt, FR_FILTER_MAX_IDS);
			free(dup);
			return -EINVAL;
		}
		ids[(*n)++] = (uint32_t)v;
	}
	free(dup);
	return 0;
}

static int add_types(const char *arg, uint64_t *mask)
{
	char *dup = strdup(arg), *save = NULL, *tok;
	unsigned t;

	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		t = fr_event_type_by_name(tok);
		if (t == FR_EV_NONE) {
			fr_error("events: --type: unknown event type '%s' (see 'flightrec events "
				 "--help')",
				 tok);
			free(dup);
			return -EINVAL;
		}
		*mask |= 1ULL << t;
	}
	free(dup);
	return 0;
}

int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"pid", required_argument, NULL, 'p'},   {"tid", required_argument, NULL, 't'},
	    {"type", required_argument, NULL, 'T'},  {"since", required_argument, NULL, 'S'},
	    {"until", required_argument, NULL, 'U'}, {"strsize", required_argument, NULL, 's'},
	    {"utc", no_argument, NULL, 'u'},	     {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},	     {NULL, 0, NULL, 0},
	};
	struct fr_filter f = {0};
	struct fr_print_opts po = {0};
	struct comm_map cm = {0};
	struct fr_reader *r = NULL;
	const struct fr_manifest *m;
	const struct fr_event *ev;
	uint64_t since = 0, until = 0, v;
	bool have_since = false, have_until = false, json = false;
	struct fr_sb sb;
	const char *path;
	int c, rc, status = FR_EXIT_OK;

	po.strsize = 32;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (add_ids("--pid", optarg, f.pids, &f.n_pids))
				return FR_EXIT_USAGE;
			break;
		case 't':
			if (add_ids("--tid", optarg, f.tids, &f.n_tids))
				return FR_EXIT_USAGE;
			break;
		case 'T':
			if (add_types(optarg, &f.type_mask))
				return FR_EXIT_USAGE;
			break;
		case 'S':
		case 'U':
			if (fr_parse_duration(optarg, 1000000000ULL, &v)) {
				fr_error("events: --%s: '%s' is not a duration (e.g. 1.5s, 200ms)",
					 c == 'S' ? "since" : "until", optarg);
				return FR_EXIT_USAGE;
			}
			if (c == 'S') {
				since = v;
				have_since = true;
			} else {
				until = v;
				have_until = true;
			}
			break;
		case 's':
			if (fr_parse_u64(optarg, &v) || v > (1u << 30)) {
				fr_error("events: --strsize: '%s' is not a size", optarg);
				return FR_EXIT_USAGE;
			}
			po.strsize = (unsigned)v;
			break;
		case 'u':
			po.utc = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return FR_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return FR_EXIT_USAGE;
		}
	}
	rc = cli_open_bundle_arg("events", argc, argv, &path, &r);
	if (rc != FR_EXIT_OK)
		return rc;
	m = fr_reader__manifest(r);
	po.t0_ns = m->window_start_ns;
	po.clock_to_utc_ns = m->clock_to_utc_ns;
	po.comm_of = comm_of;
	po.ctx = &cm;
	cm.r = r;
	if (have_since)
		f.since_ns = m->window_start_ns + since;
	if (have_until)
		f.until_ns = m->window_start_ns + until;
	fr_reader__set_filter(r, &f);
	fr_sb_init(&sb);
	while ((rc = fr_reader__next(r, &ev)) > 0) {
		fr_sb_reset(&sb);
		if (json) {
			json_t *o = json_object();
			char *s;

			track_comm(&cm, ev);
			fr_event_to_json(o, ev, &po);
			s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
			json_decref(o);
			if (!s) {
				rc = -ENOMEM;
				break;
			}
			fputs(s, stdout);
			fputc('\n', stdout);
			free(s);
		} else {
			/* the switch line names prev before this event renames anything */
			fr_print_event(&sb, ev, &po);
			track_comm(&cm, ev);
			fputs(fr_sb_str(&sb), stdout);
			fputc('\n', stdout);
		}
		if (ferror(stdout))
			break;
	}
	if (rc < 0) {
		fr_error("%s: %s", path, rc == -ENOMEM ? "out of memory" : fr_reader__strerror(r));
		status = FR_EXIT_FAIL;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE)
			fr_error("events: writing the output: %s", strerror(errno));
		status = FR_EXIT_FAIL;
	}
	fr_sb_free(&sb);
	free(cm.tid);
	free(cm.comm);
	fr_reader__free(r);
	return status;
}
