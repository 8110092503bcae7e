// SPDX-License-Identifier: MIT
/* cmd_analyze.c: `flightrec analyze FILE... [--focus SPEC] [--json] [--top N]`. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "analyze/analyze.h"
#include "analyze/graph.h"
#include "cli/commands.h"
#include "formats/util.h"

static const char usage_text[] =
    "usage: flightrec analyze FILE... [--focus SPEC]... [--json] [--top N]\n"
    "                         [--min-slow DUR] [--progress | -q]\n"
    "       flightrec analyze FILE [--dot OUT] [--svg OUT] [--html OUT] [options]\n"
    "\n"
    "Explain what went wrong in a bundle: find the incidents (system calls and\n"
    "requests much slower than the thread's normal, failed calls that signal\n"
    "trouble such as ETIMEDOUT, ECONNRESET or EPIPE, fatal signals, OOM kills,\n"
    "non-zero exits, threads starved of CPU or memory), and for each one its\n"
    "critical path across threads and processes and its root causes: the time\n"
    "by category (running, cpu-contention, disk-io, network, ipc, lock,\n"
    "memory-reclaim, page-fault, sleep, unknown) and culprit process, in words.\n"
    "Several FILEs are analysed one after the other.\n"
    "\n"
    "  --focus SPEC    analyse only what is chosen, and the whole of a chosen\n"
    "                  process or thread as one more incident (repeatable; the\n"
    "                  criteria combine):\n"
    "                    pid:N        process N\n"
    "                    tid:N        thread N\n"
    "                    comm:NAME    processes or threads named NAME\n"
    "                    window:T1-T2 from T1 to T2 after the start of the\n"
    "                                 recording (seconds, or 1.5s, 200ms, ...)\n"
    "  --top N         at most N incidents per bundle (default 5)\n"
    "  --min-slow DUR  a slow call must exceed its normal by at least DUR\n"
    "                  (default 10ms)\n"
    "  --json          one JSON object on stdout (docs/report-schema.md)\n"
    "  --dot OUT       the causal graph as Graphviz source: threads, the system\n"
    "                  calls they were blocked in and the kernel causes, edges\n"
    "                  weighted and coloured by the time they explain; every\n"
    "                  incident reported (see --top; --top 1 for the first one\n"
    "                  only) is one cluster; links under 1% are left out\n"
    "  --svg OUT       the same graph laid out and drawn as SVG (by Graphviz,\n"
    "                  in-process)\n"
    "  --html OUT      one self-contained page: the summary, and for each\n"
    "                  incident its root causes, graph and a timeline of the\n"
    "                  threads involved (states, wakeups, the critical path)\n"
    "                  OUT \"-\" writes to stdout instead of the report; the\n"
    "                  picture options take one FILE (docs/pictures.md)\n"
    "  --progress      progress on stderr (default: on a terminal, for bundles\n"
    "                  of a million events or more)\n"
    "  -q, --quiet     no progress\n"
    "  -h, --help      this text\n"
    "\n"
    "Colour is used when stdout is a terminal and NO_COLOR is not set.\n";

enum { OPT_JSON = 256, OPT_TOP, OPT_MIN_SLOW, OPT_PROGRESS, OPT_DOT, OPT_SVG, OPT_HTML, OPT_FOCUS };

static const struct option long_opts[] = {
    {"focus", required_argument, NULL, OPT_FOCUS},
    {"json", no_argument, NULL, OPT_JSON},
    {"top", required_argument, NULL, OPT_TOP},
    {"min-slow", required_argument, NULL, OPT_MIN_SLOW},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},
    {"dot", required_argument, NULL, OPT_DOT},
    {"svg", required_argument, NULL, OPT_SVG},
    {"html", required_argument, NULL, OPT_HTML},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct args {
	struct fa_focus focus;
	char focus_text[256]; /* the --focus specs, for messages */
	bool json;
	unsigned top;
	uint64_t min_slow_ns;
	int progress;		      /* -1 auto, 0 off, 1 on */
	const char *dot, *svg, *html; /* picture outputs, NULL none */
};

/* Write the pictures asked for.  Returns FR_EXIT_*. */
static int write_pictures(const char *file, const struct args *a, const struct fa_model *m,
			  const struct fa_incidents *inc)
{
	const char *outs[3] = {a->dot, a->svg, a->html};
	static const char *const what[3] = {"--dot", "--svg", "--html"};
	char err[512], *tmp;
	int i, rc = FR_EXIT_OK, e;

	for (i = 0; i < 3; i++) {
		FILE *f;

		if (!outs[i])
			continue;
		f = fa_out__open(outs[i], &tmp, false);
		if (!f) {
			fr_error("analyze: %s %s: %s", what[i], outs[i], strerror(errno));
			rc = FR_EXIT_FAIL;
			continue;
		}
		if (i == 2) {
			struct fa_html_opts ho = {.file = file};

			e = fa_html__write(f, m, inc, &ho, err, sizeof(err));
		} else {
			e = fa_graph__write(f, i == 0 ? "dot" : "svg", m, inc, file, NULL, err,
					    sizeof(err));
		}
		if (e) {
			fa_out__close(f, outs[i], tmp, false);
			fr_error("analyze: %s: %s %s: %s", file, what[i], outs[i], err);
			rc = FR_EXIT_FAIL;
			continue;
		}
		e = fa_out__close(f, outs[i], tmp, true);
		if (e) {
			fr_error("analyze: %s %s: %s", what[i], outs[i], strerror(-e));
			rc = FR_EXIT_FAIL;
		}
	}
	return rc;
}

/* Analyse one bundle: text to stdout, or JSON appended to `incidents` and
 * `bundles`.  Returns FR_EXIT_*. */
static int analyze_one(const char *file, const struct args *a, json_t *incidents, json_t *bundles,
		       bool color, bool first)
{
	struct fr_reader *r = NULL;
	struct fa_model *m = NULL;
	struct fa_incidents inc = {0};
	struct fa_options mo = {0};
	struct fa_find_opts fo = {0};
	struct fa_focus focus = a->focus;
	char err[512];
	int rc = FR_EXIT_FAIL, e;
	uint32_t i;

	if (fr_reader__open(file, &r, err, sizeof(err))) {
		fr_error("analyze: %s: %s", file, err);
		return FR_EXIT_FAIL;
	}
	if (a->progress == 1)
		mo.progress = true;
	else if (a->progress == -1)
		mo.progress =
		    isatty(STDERR_FILENO) && fr_reader__manifest(r)->event_count >= 1000000;
	if (fa_model__build(r, &mo, &m, err, sizeof(err))) {
		fr_error("analyze: %s: %s", file, err);
		goto out;
	}
	fa_focus__anchor(&focus, fa_model__t0(m));
	if (!fa_focus__matches_any(m, &focus))
		fr_error("analyze: %s: no recorded thread matches --focus%s", file, a->focus_text);
	fo.top = a->top;
	fo.min_slow_ns = a->min_slow_ns;
	fo.focus = &focus;
	if (fa_incidents__find(m, &fo, &inc)) {
		fr_error("analyze: %s: out of memory finding incidents", file);
		goto out;
	}
	for (i = 0; i < inc.n; i++) {
		e = fa_incident__explain(m, &inc.v[i], NULL);
		if (e) {
			fr_error("analyze: %s: explaining incident %u: %s", file, i + 1,
				 strerror(-e));
			goto out;
		}
	}
	if (a->dot || a->svg || a->html) {
		rc = write_pictures(file, a, m, &inc);
		if (rc != FR_EXIT_OK)
			goto out;
		rc = FR_EXIT_FAIL;
		/* a picture written to stdout takes the report's place */
		if ((a->dot && !strcmp(a->dot, "-")) || (a->svg && !strcmp(a->svg, "-")) ||
		    (a->html && !strcmp(a->html, "-"))) {
			rc = FR_EXIT_OK;
			goto out;
		}
	}
	if (a->json) {
		json_t *b = fa_report__json_bundle(m, file);

		if (!b || json_array_append_new(bundles, b) ||
		    fa_report__json_incidents(incidents, m, &inc, file)) {
			fr_error("analyze: %s: out of memory building the JSON report", file);
			goto out;
		}
	} else {
		struct fa_report_opts ro = {.color = color, .file = file};

		if (!first)
			printf("\n");
		fa_report__text(stdout, m, &inc, &ro);
	}
	rc = FR_EXIT_OK;
out:
	fa_incidents__free(&inc);
	fa_model__free(m);
	fr_reader__free(r);
	return rc;
}

int cmd_analyze(int argc, char **argv)
{
	struct args a = {.progress = -1};
	json_t *incidents = NULL, *bundles = NULL;
	char err[256];
	bool color;
	int c, i, rc = FR_EXIT_OK;
	uint64_t v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hq", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return FR_EXIT_OK;
		case 'q':
			a.progress = 0;
			break;
		case OPT_PROGRESS:
			a.progress = 1;
			break;
		case OPT_JSON:
			a.json = true;
			break;
		case OPT_FOCUS:
			if (fa_focus__parse(&a.focus, optarg, err, sizeof(err))) {
				fr_error("analyze: --focus %s", err);
				return FR_EXIT_USAGE;
			}
			{
				size_t l = strlen(a.focus_text);

				snprintf(a.focus_text + l, sizeof(a.focus_text) - l, " %s", optarg);
			}
			break;
		case OPT_TOP:
			if (fr_parse_u64(optarg, &v) || !v || v > 1000) {
				fr_error("analyze: --top: '%s' is not a number from 1 to 1000",
					 optarg);
				return FR_EXIT_USAGE;
			}
			a.top = (unsigned)v;
			break;
		case OPT_MIN_SLOW:
			if (fr_parse_duration(optarg, 1000000ULL, &v) || !v) {
				fr_error(
				    "analyze: --min-slow: '%s' is not a duration (e.g. 10ms, 1s)",
				    optarg);
				return FR_EXIT_USAGE;
			}
			a.min_slow_ns = v;
			break;
		case OPT_DOT:
			a.dot = optarg;
			break;
		case OPT_SVG:
			a.svg = optarg;
			break;
		case OPT_HTML:
			a.html = optarg;
			break;
		case '?':
		default:
			fr_error("analyze: %s: unknown option or missing argument (see 'flightrec "
				 "analyze --help')",
				 argv[optind - 1]);
			return FR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fr_error(
		    "analyze: no bundle given (usage: flightrec analyze FILE... ; see --help)");
		return FR_EXIT_USAGE;
	}
	if ((a.dot || a.svg || a.html) && argc - optind > 1) {
		fr_error("analyze: --dot, --svg and --html take one bundle (%d given)",
			 argc - optind);
		return FR_EXIT_USAGE;
	}
	{
		int to_stdout = (a.dot && !strcmp(a.dot, "-")) + (a.svg && !strcmp(a.svg, "-")) +
				(a.html && !strcmp(a.html, "-"));

		if (to_stdout > 1) {
			fr_error("analyze: only one of --dot, --svg and --html can write to stdout "
				 "('-')");
			return FR_EXIT_USAGE;
		}
		if (to_stdout && a.json) {
			fr_error("analyze: --json and a picture written to stdout ('-') cannot "
				 "share it");
			return FR_EXIT_USAGE;
		}
	}
	color = !a.json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (a.json) {
		incidents = json_array();
		bundles = json_array();
		if (!incidents || !bundles) {
			json_decref(incidents);
			json_decref(bundles);
			fr_error("analyze: out of memory");
			return FR_EXIT_FAIL;
		}
	}
	for (i = optind; i < argc; i++)
		if (analyze_one(argv[i], &a, incidents, bundles, color, i == optind) != FR_EXIT_OK)
			rc = FR_EXIT_FAIL;
	if (a.json) {
		json_t *o = json_pack("{s:o,s:o}", "bundles", bundles, "incidents", incidents);

		if (!o ||
		    json_dumpf(o, stdout,
			       JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))) {
			fr_error("analyze: writing the JSON report failed");
			rc = FR_EXIT_FAIL;
		}
		printf("\n");
		json_decref(o);
	}
	if (fflush(stdout)) {
		fr_error("analyze: writing the report: %s", strerror(errno));
		rc = FR_EXIT_FAIL;
	}
	return rc;
}
