// SPDX-License-Identifier: MIT
/*
 * cmd_capture.c: `flightrec capture`, the always-on flight recorder: the
 * command line; the daemon itself is capture/daemon.c.
 */
#include "capture/daemon.h"
#include "capture/trigger_proto.h"
#include "capture/webhook.h"
#include "cli/commands.h"
#include "formats/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define MAX_FILTERS 1024
#define MAX_RULES 64

static const char usage_text[] =
	"usage: flightrec capture [--out DIR] [--ring SIZE] [--pre DUR] [--post DUR]\n"
	"                         [--pid PID|--comm NAME|--cgroup PATH]...\n"
	"                         [--trigger-on RULE]... [--cooldown DUR]\n"
	"                         [--max-bundles N] [--max-disk SIZE] [--snaplen N]\n"
	"                         [--redact RULE]... [--socket PATH] [--no-socket]\n"
	"                         [--webhook ADDR:PORT [--webhook-token FILE]]\n"
	"                         [--kernel-buffer SIZE] [-v]\n"
	"\n"
	"The always-on flight recorder.  Records what the kernel sees (system calls\n"
	"with their data up to --snaplen, scheduling, process lifecycle, memory,\n"
	"disk, network, signals) into a ring of compressed events in memory; when a\n"
	"trigger fires, writes one bundle holding --pre before and --post after the\n"
	"trigger into --out, prints its path and the reason on stdout (one line,\n"
	"tab-separated), and goes on recording.  Runs until SIGTERM or SIGINT; a\n"
	"bundle in progress is then finished early, with the data recorded so far.\n"
	"Needs root.\n"
	"\n"
	"Triggers:\n"
	"  SIGUSR1 sent to the daemon; `flightrec trigger [--reason TEXT]` (through\n"
	"  the root-only socket); Prometheus Alertmanager's webhook (--webhook); and\n"
	"  the --trigger-on rules:\n"
	"    syscall-latency>DUR[,comm=NAME][,pid=N][,syscall=NAME]\n"
	"                       a system call slower than DUR (\"250ms\")\n"
	"    signal=SIG[|SIG]...[,comm=NAME][,pid=N]\n"
	"                       a signal delivered (\"signal=SIGSEGV|SIGABRT\")\n"
	"    oom                the OOM killer killed a process\n"
	"    exit-nonzero[,comm=NAME][,pid=N]\n"
	"                       a process exited non-zero or was killed\n"
	"    tcp-retransmits>N/s  (or N/DUR) more than N TCP retransmissions in a\n"
	"                       second (in DUR), system-wide\n"
	"  At most one bundle per --cooldown; triggers in between are suppressed,\n"
	"  counted, logged and listed in the next bundle's manifest.\n"
	"\n"
	"Options:\n"
	"  -o, --out DIR          where bundles go (default /var/lib/flightrec,\n"
	"                         created mode 0700); bundles are mode 0600\n"
	"      --ring SIZE        compressed events kept in memory (default 256M)\n"
	"      --pre DUR          window before the trigger (default 60s)\n"
	"      --post DUR         window after the trigger (default 10s)\n"
	"      --pid PID          record this process (repeatable)\n"
	"      --comm NAME        record processes with this name (repeatable)\n"
	"      --cgroup PATH      record the processes of this cgroup v2 directory\n"
	"                         (absolute, or relative to the cgroup2 mount)\n"
	"                         (filters add up; none: system-wide, but this daemon)\n"
	"      --trigger-on RULE  a rule (above; repeatable)\n"
	"      --cooldown DUR     at most one bundle per DUR (default 60s)\n"
	"      --max-bundles N    keep at most N of our bundles in --out, deleting\n"
	"                         the oldest (default 0: no limit)\n"
	"      --max-disk SIZE    keep our bundles in --out under SIZE in total\n"
	"                         (default 0: no limit); the newest is always kept\n"
	"      --snaplen N        bytes kept of each payload (default 256; 0: all)\n"
	"      --redact RULE      mask secrets before anything is written (repeatable):\n"
	"                         env:GLOB       values of matching environment\n"
	"                                        variables (env:*TOKEN*)\n"
	"                         payload:TEXT   the rest of the line after TEXT in\n"
	"                                        payloads (payload:Authorization:)\n"
	"                         payload:/RE/[i]  what an extended regular\n"
	"                                        expression (its first group) matches\n"
	"      --socket PATH      the trigger socket (default " FR_TRIGGER_SOCKET ")\n"
	"      --no-socket        no trigger socket (SIGUSR1 and rules only)\n"
	"      --webhook ADDR:PORT  accept Alertmanager webhook notifications: POST\n"
	"                         " FR_WEBHOOK_PATH " on ADDR:PORT (ADDR: an IP address;\n"
	"                         default, or PORT alone: 127.0.0.1); firing alerts\n"
	"                         trigger a bundle whose reason is the alert's name\n"
	"                         and summary; answers 202 when a bundle will be\n"
	"                         written, 200 when suppressed or resolved\n"
	"      --webhook-token FILE  require \"Authorization: Bearer TOKEN\", TOKEN\n"
	"                         being FILE's first line (401 without it)\n"
	"      --kernel-buffer SIZE  the eBPF ring buffer between kernel and daemon\n"
	"                         (default 16M, a power of two)\n"
	"  -v, --verbose          say what is accepted, suppressed and deleted\n"
	"                         (twice: libbpf's and the verifier's log too)\n"
	"  -h, --help             this text\n"
	"\n"
	"Memory: about --ring, plus --kernel-buffer, plus a few MiB (the chunk being\n"
	"built, the reorder window, the process table).  See docs/capture.md.\n";

struct args {
	struct fr_daemon_opts o;
	uint32_t pids[MAX_FILTERS];
	const char *comms[MAX_FILTERS];
	uint64_t cgroups[MAX_FILTERS];
	const char *cgroup_paths[MAX_FILTERS];
	char *cgroup_bufs[MAX_FILTERS];
	struct fr_rule rules[MAX_RULES];
	int verbosity;
};

/* The cgroup2 mount point (the unified hierarchy), or NULL. */
static char *cgroup2_mount(void)
{
	char line[4096], dev[256], mnt[4096], type[64];
	FILE *f = fopen("/proc/self/mounts", "re");
	char *res = NULL;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %4095s %63s", dev, mnt, type) == 3 &&
		    !strcmp(type, "cgroup2")) {
			res = strdup(mnt);
			break;
		}
	fclose(f);
	return res;
}

/* --cgroup PATH -> the cgroup v2 id (the directory's inode number). */
static int cgroup_id(const char *arg, char **resolved, uint64_t *id)
{
	struct statfs sf;
	struct stat st;
	char *path;

	if (arg[0] == '/' && !access(arg, F_OK)) {
		path = strdup(arg);
	} else {
		char *m = cgroup2_mount();

		if (!m) {
			fr_error("capture: --cgroup %s: no cgroup2 file system is mounted", arg);
			return -ENOENT;
		}
		if (asprintf(&path, "%s/%s", m, arg[0] == '/' ? arg + 1 : arg) < 0)
			path = NULL;
		free(m);
	}
	if (!path)
		return -ENOMEM;
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		fr_error("capture: --cgroup %s: %s: %s", arg, path,
			 errno ? strerror(errno) : "not a directory");
		free(path);
		return -ENOENT;
	}
	if (statfs(path, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC) {
		fr_error("capture: --cgroup %s: %s is not in a cgroup2 (unified) hierarchy", arg,
			 path);
		free(path);
		return -EINVAL;
	}
	*resolved = path;
	*id = st.st_ino;
	return 0;
}

static int bad(const char *opt, const char *val, const char *what)
{
	fr_error("capture: %s: '%s' is not %s", opt, val, what);
	return FR_EXIT_USAGE;
}

static int parse_args(struct args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "ring", required_argument, NULL, 'R' },
		{ "pre", required_argument, NULL, 'P' },
		{ "post", required_argument, NULL, 'Q' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "cgroup", required_argument, NULL, 'g' },
		{ "trigger-on", required_argument, NULL, 't' },
		{ "cooldown", required_argument, NULL, 'C' },
		{ "max-bundles", required_argument, NULL, 'n' },
		{ "max-disk", required_argument, NULL, 'D' },
		{ "snaplen", required_argument, NULL, 's' },
		{ "redact", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 'S' },
		{ "no-socket", no_argument, NULL, 'N' },
		{ "kernel-buffer", required_argument, NULL, 'K' },
		{ "webhook", required_argument, NULL, 'W' },
		{ "webhook-token", required_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fr_daemon_opts *o = &a->o;
	char err[512];
	uint64_t v;
	int c, rc;

	o->out_dir = "/var/lib/flightrec";
	o->ring_bytes = 256ULL << 20;
	o->kernel_bytes = 16ULL << 20;
	o->pre_ns = 60ULL * 1000000000ULL;
	o->post_ns = 10ULL * 1000000000ULL;
	o->cooldown_ns = 60ULL * 1000000000ULL;
	o->snaplen = 256;
	o->socket_path = FR_TRIGGER_SOCKET;
	o->pids = a->pids;
	o->comms = a->comms;
	o->cgroups = a->cgroups;
	o->cgroup_paths = a->cgroup_paths;
	o->rules = a->rules;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out_dir = optarg;
			break;
		case 'R':
			if (fr_parse_size(optarg, &v) || v < (64u << 10) || v > (1ULL << 40))
				return bad("--ring", optarg, "a size between 64K and 1T (256M, 1G)");
			o->ring_bytes = v;
			break;
		case 'K':
			if (fr_parse_size(optarg, &v) || v < 4096 || v > (1ULL << 30))
				return bad("--kernel-buffer", optarg, "a size between 4K and 1G");
			o->kernel_bytes = v;
			break;
		case 'P':
			if (fr_parse_duration(optarg, 1000000000ULL, &o->pre_ns))
				return bad("--pre", optarg, "a duration (60s, 5m)");
			break;
		case 'Q':
			if (fr_parse_duration(optarg, 1000000000ULL, &o->post_ns))
				return bad("--post", optarg, "a duration (10s, 500ms)");
			break;
		case 'C':
			if (fr_parse_duration(optarg, 1000000000ULL, &o->cooldown_ns))
				return bad("--cooldown", optarg, "a duration (60s, 0)");
			break;
		case 'p':
			if (o->n_pids >= MAX_FILTERS)
				return bad("--pid", optarg, "accepted: too many --pid");
			if (fr_parse_u64(optarg, &v) || !v || v > 0x7fffffff)
				return bad("--pid", optarg, "a process id");
			a->pids[o->n_pids++] = (uint32_t)v;
			break;
		case 'c':
			if (o->n_comms >= MAX_FILTERS)
				return bad("--comm", optarg, "accepted: too many --comm");
			if (!*optarg || strlen(optarg) >= FR_COMM_LEN)
				return bad("--comm", optarg, "a process name of 1 to 15 characters");
			a->comms[o->n_comms++] = optarg;
			break;
		case 'g':
			if (o->n_cgroups >= MAX_FILTERS)
				return bad("--cgroup", optarg, "accepted: too many --cgroup");
			rc = cgroup_id(optarg, &a->cgroup_bufs[o->n_cgroups], &a->cgroups[o->n_cgroups]);
			if (rc)
				return rc == -ENOMEM ? FR_EXIT_FAIL : FR_EXIT_USAGE;
			a->cgroup_paths[o->n_cgroups] = a->cgroup_bufs[o->n_cgroups];
			o->n_cgroups++;
			break;
		case 't':
			if (o->n_rules >= MAX_RULES)
				return bad("--trigger-on", optarg, "accepted: too many rules");
			if (fr_rule__parse(optarg, &a->rules[o->n_rules], err, sizeof(err))) {
				fr_error("capture: --trigger-on %s", err);
				return FR_EXIT_USAGE;
			}
			o->n_rules++;
			break;
		case 'n':
			if (fr_parse_u64(optarg, &o->max_bundles))
				return bad("--max-bundles", optarg, "a number");
			break;
		case 'D':
			if (fr_parse_size(optarg, &o->max_disk))
				return bad("--max-disk", optarg, "a size (10G, 500M)");
			break;
		case 's':
			if (fr_parse_size(optarg, &v) || v > (64u << 20))
				return bad("--snaplen", optarg, "a size up to 64M (256, 4K; 0: all)");
			o->snaplen = (uint32_t)v;
			break;
		case 'r':
			if (!o->redact && fr_redact__new(&o->redact)) {
				fr_error("capture: out of memory");
				return FR_EXIT_FAIL;
			}
			if (fr_redact__add(o->redact, optarg, err, sizeof(err))) {
				fr_error("capture: --redact %s", err);
				return FR_EXIT_USAGE;
			}
			break;
		case 'S':
			o->socket_path = optarg;
			break;
		case 'N':
			o->socket_path = NULL;
			break;
		case 'W': {
			struct sockaddr_storage ss;
			socklen_t sl;

			if (fr_webhook__parse_addr(optarg, &ss, &sl, err, sizeof(err))) {
				fr_error("capture: --webhook %s", err);
				return FR_EXIT_USAGE;
			}
			o->webhook_addr = optarg;
			break;
		}
		case 'T':
			o->webhook_token_file = optarg;
			break;
		case 'v':
			/* -v: what the daemon does; -vv: libbpf's log too */
			if (a->verbosity++)
				o->verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			fputs(usage_text, stderr);
			return FR_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fr_error("capture: unexpected argument '%s' (see 'flightrec capture --help')",
			 argv[optind]);
		return FR_EXIT_USAGE;
	}
	if (o->webhook_token_file && !o->webhook_addr) {
		fr_error("capture: --webhook-token needs --webhook ADDR:PORT");
		return FR_EXIT_USAGE;
	}
	return 0;
}

int cmd_capture(int argc, char **argv)
{
	struct args *a = calloc(1, sizeof(*a));
	size_t i;
	int rc;

	if (!a) {
		fr_error("capture: out of memory");
		return FR_EXIT_FAIL;
	}
	rc = parse_args(a, argc, argv);
	if (rc) {
		rc = rc < 0 ? FR_EXIT_OK : rc;
		goto out;
	}
	if (a->verbosity)
		fr_set_log_level(FR_LOG_INFO);
	/* a line at a time, even into a pipe: each bundle is announced at once */
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = fr_daemon__run(&a->o);
out:
	for (i = 0; i < a->o.n_rules; i++)
		fr_rule__clear(&a->rules[i]);
	for (i = 0; i < a->o.n_cgroups; i++)
		free(a->cgroup_bufs[i]);
	fr_redact__free(a->o.redact);
	free(a);
	return rc;
}
