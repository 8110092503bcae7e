// SPDX-License-Identifier: MIT
/* cmd_replay.c: `flightrec replay`, strict re-execution of a recording. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/commands.h"
#include "formats/util.h"
#include "replay/inject.h"
#include "replay/replay.h"

#define MAX_INJECTS 64
#define MAX_CHANGES 64

static void usage(FILE *f)
{
	fprintf(f, "usage: flightrec replay FILE [--pid PID] [--inject SPEC]... [--what-if]\n"
		   "                        [--set-env NAME=VALUE]... [--set-arg N=VALUE]...\n"
		   "                        [--no-sleep] [--json] [-v]\n"
		   "\n"
		   "Re-execute a recorded process under ptrace, serving every input and\n"
		   "environment system call from the recording (reads, stat, time, random,\n"
		   "network, ...) and comparing every output with it.  Nothing reaches the\n"
		   "network or modifies files; what the program wrote to its stdout and\n"
		   "stderr is written again to flightrec's own.  The first difference from\n"
		   "the recording (another call, other arguments, other bytes written) stops\n"
		   "the replay with a report, unless what-if replay goes on from there.\n"
		   "\n"
		   "options:\n"
		   "  --pid PID        replay the recorded process PID and its descendants\n"
		   "                   (default: the root of the recorded tree); it must have\n"
		   "                   been recorded from its exec\n"
		   "  --inject SPEC    change a call, strace style:\n"
		   "                     SET[:error=ERRNO|:retval=V][:signal=SIG]\n"
		   "                        [:delay_enter=D][:delay_exit=D][:when=EXPR]\n"
		   "                   SET: names and classes (read,write %%net %%file ...), '!'\n"
		   "                   negates; D: 500ms, 2s, 100us (bare: microseconds);\n"
		   "                   EXPR: N, N+, N+STEP, N..M (invocations per syscall and\n"
		   "                   thread, from 1).  Delays move the program's clock.\n"
		   "                   Repeatable.\n"
		   "  --what-if        after the first difference, go on against a model of the\n"
		   "                   recorded environment: reads get the bytes the recording\n"
		   "                   has, when it has them (a peer's answers as late as it\n"
		   "                   gave them); timeouts and sleeps run on a virtual clock;\n"
		   "                   a call the recording cannot answer fails and is reported\n"
		   "                   (never the real files or network).  The report lists what\n"
		   "                   the new path did and how it ended against the recording.\n"
		   "                   Implied by --inject, --set-env and --set-arg.\n"
		   "  --set-env NAME=VALUE\n"
		   "                   start the program with NAME set to VALUE.  Repeatable.\n"
		   "  --set-arg N=VALUE\n"
		   "                   start the program with argument N (0: its name) VALUE;\n"
		   "                   N one past the last adds one.  Repeatable.\n"
		   "  --no-sleep       injected delays move the program's clock without\n"
		   "                   flightrec actually waiting\n"
		   "  --json           print the result as JSON on stdout (the program's\n"
		   "                   stdout and stderr then go to stderr)\n"
		   "  -v, --verbose    log every replayed call and warning on stderr\n"
		   "  -h, --help       this help\n"
		   "\n"
		   "exit status: 0 the replay matched the recording, 3 it diverged (what-if:\n"
		   "the program's path left the recording), 1 it could not run, 2 usage error.\n"
		   "\n"
		   "example:\n"
		   "  flightrec replay x.frb > out.txt\n"
		   "  flightrec replay x.frb --inject=connect:error=ECONNREFUSED\n"
		   "  flightrec replay x.frb --inject=read:delay_enter=500ms:when=2\n"
		   "  flightrec replay x.frb --pid 4242 --set-arg 3=1500\n"
		   "  flightrec replay x.frb --set-env TIMEOUT_MS=1500 --json\n");
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pid", required_argument, NULL, 'p'},
	    {"inject", required_argument, NULL, 'i'},
	    {"json", no_argument, NULL, 'j'},
	    {"no-sleep", no_argument, NULL, 'n'},
	    {"what-if", no_argument, NULL, 'w'},
	    {"set-env", required_argument, NULL, 'E'},
	    {"set-arg", required_argument, NULL, 'A'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct rp_inject *injects = NULL;
	const char *set_env[MAX_CHANGES];
	struct fr_replay_set_arg set_args[MAX_CHANGES];
	struct fr_replay_opts o = {.mirror_stdout_fd = STDOUT_FILENO,
				   .mirror_stderr_fd = STDERR_FILENO};
	const struct fr_replay_result *res;
	struct fr_replay *rp = NULL;
	bool json = false;
	char err[1024];
	uint64_t pid;
	int c, rc = FR_EXIT_FAIL;

	injects = calloc(MAX_INJECTS, sizeof(*injects));
	if (!injects) {
		fr_error("replay: out of memory");
		return FR_EXIT_FAIL;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (fr_parse_u64(optarg, &pid) || !pid || pid > UINT32_MAX) {
				fr_error("replay: --pid: '%s' is not a process id", optarg);
				goto usage_err;
			}
			o.pid = (uint32_t)pid;
			break;
		case 'i':
			if (o.n_injects == MAX_INJECTS) {
				fr_error("replay: --inject: at most %d", MAX_INJECTS);
				goto usage_err;
			}
			if (rp_inject_parse(optarg, &injects[o.n_injects], err, sizeof(err))) {
				fr_error("replay: --inject '%s': %s", optarg, err);
				goto usage_err;
			}
			o.n_injects++;
			break;
		case 'j':
			json = true;
			break;
		case 'n':
			o.no_sleep = true;
			break;
		case 'w':
			o.what_if = true;
			break;
		case 'E':
			if (o.n_set_env == MAX_CHANGES) {
				fr_error("replay: --set-env: at most %d", MAX_CHANGES);
				goto usage_err;
			}
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				fr_error("replay: --set-env '%s': expected NAME=VALUE", optarg);
				goto usage_err;
			}
			set_env[o.n_set_env++] = optarg;
			o.what_if = true;
			break;
		case 'A': {
			char *eq = strchr(optarg, '=');
			uint64_t n;

			if (o.n_set_args == MAX_CHANGES) {
				fr_error("replay: --set-arg: at most %d", MAX_CHANGES);
				goto usage_err;
			}
			if (eq)
				*eq = 0;
			if (!eq || fr_parse_u64(optarg, &n) || n > 4096) {
				if (eq)
					*eq = '=';
				fr_error("replay: --set-arg '%s': expected N=VALUE, N an argument "
					 "number (0: the program's name)",
					 optarg);
				goto usage_err;
			}
			*eq = '=';
			set_args[o.n_set_args].index = (unsigned)n;
			set_args[o.n_set_args++].value = eq + 1;
			o.what_if = true;
			break;
		}
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			free(injects);
			return FR_EXIT_OK;
		default:
			fr_error("replay: unknown option '%s' (see 'flightrec replay --help')",
				 argv[optind - 1]);
			goto usage_err;
		}
	}
	if (optind != argc - 1) {
		fr_error("replay: %s (see 'flightrec replay --help')",
			 optind >= argc ? "which bundle? give FILE" : "one bundle at a time");
		goto usage_err;
	}
	o.injects = injects;
	o.set_env = set_env;
	o.set_args = set_args;
	if (o.n_injects)
		o.what_if = true;
	if (json)
		o.mirror_stdout_fd = STDERR_FILENO;
	if (o.verbose)
		fr_set_log_level(FR_LOG_DEBUG);
	if (fr_replay__open(argv[optind], &o, &rp, err, sizeof(err))) {
		fr_error("replay: %s", err);
		goto out;
	}
	if (fr_replay__run(rp)) {
		fr_error("replay: %s: %s", argv[optind], fr_replay__strerror(rp));
		goto out;
	}
	res = fr_replay__result(rp);
	if (json) {
		json_t *j = fr_replay_result__json(res);
		char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

		if (!s) {
			fr_error("replay: out of memory");
			json_decref(j);
			goto out;
		}
		printf("%s\n", s);
		free(s);
		json_decref(j);
	} else if (res->first || o.verbose || res->whatif) {
		fflush(stdout);
		fr_replay_result__print(stderr, res);
	}
	rc = res->completed ? FR_EXIT_OK : FR_EXIT_DIVERGED;
out:
	fr_replay__free(rp);
	free(injects);
	return rc;
usage_err:
	free(injects);
	return FR_EXIT_USAGE;
}
