// SPDX-License-Identifier: MIT
/* cmd_export.c: `flightrec export FILE (--perfetto OUT | --pcapng OUT)`. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/export_perfetto.h"
#include "analyze/graph.h"
#include "cli/commands.h"
#include "formats/bundle.h"
#include "formats/export.h"
#include "formats/util.h"

static const char usage_text[] =
    "usage: flightrec export FILE (--perfetto OUT.json | --pcapng OUT.pcapng)\n"
    "\n"
    "Convert a bundle for the viewers people already use.\n"
    "\n"
    "  --pcapng OUT    socket payloads as TCP/UDP packets with synthesized\n"
    "                  headers, for Wireshark and tshark (\"-\" = stdout)\n"
    "  --perfetto OUT  Chrome trace-event JSON for ui.perfetto.dev and\n"
    "                  chrome://tracing: a track per thread with its system\n"
    "                  calls and its states (running, runnable, blocked),\n"
    "                  arrows for wakeups and for data from a write to the\n"
    "                  read that got it, instant events for signals, OOM\n"
    "                  kills and TCP retransmits (\"-\" = stdout;\n"
    "                  docs/pictures.md)\n"
    "  -q, --quiet     no summary on stderr\n"
    "  -h, --help      this text\n";

/* --perfetto: the trace through a temporary file, a summary on stderr.
 * Frees r. */
static int export_perfetto(struct fr_reader *r, const char *path, const char *outp, bool quiet)
{
	struct fa_perfetto_stats st;
	char err[600], *tmp = NULL;
	FILE *out = fa_out__open(outp, &tmp, true);
	int rc;

	if (!out) {
		fr_error("export: %s: %s", outp, strerror(errno));
		fr_reader__free(r);
		return FR_EXIT_FAIL;
	}
	rc = fa_export_perfetto(r, out, &st, err, sizeof(err));
	fr_reader__free(r);
	if (rc < 0) {
		fr_error("export: %s: %s", path, err);
		fa_out__close(out, outp, tmp, false);
		return FR_EXIT_FAIL;
	}
	rc = fa_out__close(out, outp, tmp, true);
	if (rc < 0) {
		fr_error("export: %s: %s", outp, strerror(-rc));
		return FR_EXIT_FAIL;
	}
	if (!quiet) {
		fprintf(stderr,
			"flightrec: export: %llu thread tracks, %llu system calls, %llu state "
			"slices, %llu wakeup and %llu data-flow arrows, %llu instant events\n",
			(unsigned long long)st.threads, (unsigned long long)st.syscalls,
			(unsigned long long)st.states, (unsigned long long)st.wakeup_flows,
			(unsigned long long)st.data_flows, (unsigned long long)st.instants);
		if (st.skipped_syscalls || st.flows_capped)
			fprintf(stderr,
				"flightrec: export: left out: %llu system calls of threads "
				"without a track or overlapping an earlier call, %llu data-flow "
				"arrows over the caps\n",
				(unsigned long long)st.skipped_syscalls,
				(unsigned long long)st.flows_capped);
	}
	return FR_EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"pcapng", required_argument, NULL, 'p'},
	    {"perfetto", required_argument, NULL, 'P'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *pcapng = NULL, *perfetto = NULL, *path;
	struct fr_reader *r = NULL;
	struct fr_pcapng_stats st;
	bool quiet = false;
	char err[600], *tmp = NULL;
	FILE *out;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pcapng = optarg;
			break;
		case 'P':
			perfetto = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return FR_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return FR_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || (!pcapng && !perfetto) || (pcapng && perfetto)) {
		fr_error("export: expected one bundle and one of --pcapng OUT or --perfetto OUT "
			 "(see 'flightrec export --help')");
		return FR_EXIT_USAGE;
	}
	path = argv[optind];
	if (fr_reader__open(path, &r, err, sizeof(err)) < 0) {
		fr_error("%s: %s", path, err);
		return FR_EXIT_FAIL;
	}
	if (perfetto)
		return export_perfetto(r, path, perfetto, quiet);
	out = fa_out__open(pcapng, &tmp, true);
	if (!out) {
		fr_error("export: %s: %s", pcapng, strerror(errno));
		fr_reader__free(r);
		return FR_EXIT_FAIL;
	}
	rc = fr_export_pcapng(r, out, &st, err, sizeof(err));
	if (rc < 0) {
		fr_error("export: %s: %s", path, err);
		fa_out__close(out, pcapng, tmp, false);
		fr_reader__free(r);
		return FR_EXIT_FAIL;
	}
	rc = fa_out__close(out, pcapng, tmp, true);
	fr_reader__free(r);
	if (rc < 0) {
		fr_error("export: %s: %s", pcapng, strerror(-rc));
		return FR_EXIT_FAIL;
	}
	if (!quiet)
		fprintf(
		    stderr, "flightrec: export: %llu packets, %llu payload bytes, %llu flows%s%s\n",
		    (unsigned long long)st.packets, (unsigned long long)st.data_bytes,
		    (unsigned long long)st.connections,
		    st.truncated ? "; some payloads were captured in part (gaps in streams)" : "",
		    st.skipped_other ? "; non-IP socket I/O (unix sockets) left out" : "");
	return FR_EXIT_OK;
}
