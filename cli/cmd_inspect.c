// SPDX-License-Identifier: MIT
/* cmd_inspect.c: `flightrec inspect FILE [--json]`. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/bundle_arg.h"
#include "cli/commands.h"
#include "formats/bundle.h"
#include "formats/jsonutil.h"
#include "formats/util.h"

static const char usage_text[] =
    "usage: flightrec inspect FILE [--json] [--top N]\n"
    "\n"
    "Summarise a bundle: host and kernel, capture configuration, trigger, the\n"
    "recorded window in UTC, event counts per type, losses by cause, the\n"
    "processes with the most events, and every member with its size,\n"
    "compression ratio and verified checksum.\n"
    "\n"
    "  --json      print one JSON object instead of text\n"
    "  --top N     processes to list (default 10, 0 = all)\n"
    "  -h, --help  this text\n"
    "\n"
    "Exit status: 0 when the bundle is intact, 1 when it is damaged or a\n"
    "checksum does not match, 2 on a usage error.\n";

struct pcount {
	uint32_t pid;
	uint64_t events;
};

static int cmp_pcount(const void *a, const void *b)
{
	const struct pcount *x = a, *y = b;

	if (x->events != y->events)
		return x->events < y->events ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* pid -> event count, open addressing; grows at half load. */
struct pid_table {
	struct pcount *v;
	size_t n, cap;
	int64_t *slot;
	size_t tcap;
};

static size_t pid_hash(uint32_t pid, size_t tcap)
{
	return (pid * 2654435761u) & (tcap - 1);
}

static int pid_table_grow(struct pid_table *t)
{
	size_t ncap = t->tcap ? t->tcap * 2 : 1024, j;
	int64_t *ns = malloc(ncap * sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (j = 0; j < ncap; j++)
		ns[j] = -1;
	for (j = 0; j < t->n; j++) {
		size_t k = pid_hash(t->v[j].pid, ncap);

		while (ns[k] >= 0)
			k = (k + 1) & (ncap - 1);
		ns[k] = (int64_t)j;
	}
	free(t->slot);
	t->slot = ns;
	t->tcap = ncap;
	return 0;
}

static int pid_table_add(struct pid_table *t, uint32_t pid)
{
	size_t h;

	if ((t->n + 1) * 2 > t->tcap && pid_table_grow(t))
		return -ENOMEM;
	h = pid_hash(pid, t->tcap);
	while (t->slot[h] >= 0 && t->v[t->slot[h]].pid != pid)
		h = (h + 1) & (t->tcap - 1);
	if (t->slot[h] < 0) {
		if (t->n == t->cap) {
			size_t ncap = t->cap ? t->cap * 2 : 64;
			struct pcount *nv = realloc(t->v, ncap * sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			t->v = nv;
			t->cap = ncap;
		}
		t->v[t->n].pid = pid;
		t->v[t->n].events = 0;
		t->slot[h] = (int64_t)t->n++;
	}
	t->v[t->slot[h]].events++;
	return 0;
}

/* Count events per pid in one pass.  Returns the sorted array (caller frees). */
static int count_by_pid(struct fr_reader *r, struct pcount **out, size_t *n_out)
{
	struct pid_table t = {0};
	const struct fr_event *ev;
	int rc;

	fr_reader__set_filter(r, NULL);
	while ((rc = fr_reader__next(r, &ev)) > 0)
		if (pid_table_add(&t, ev->pid)) {
			rc = -ENOMEM;
			break;
		}
	free(t.slot);
	if (rc < 0) {
		free(t.v);
		return rc;
	}
	if (t.n)
		qsort(t.v, t.n, sizeof(*t.v), cmp_pcount);
	*out = t.v;
	*n_out = t.n;
	return 0;
}

static const char *comm_of(const struct fr_reader *r, uint32_t pid)
{
	const struct fr_process *p = fr_reader__find_process(r, pid);

	return p && p->comm[0] ? p->comm : "?";
}

static void print_text(const char *path, struct fr_reader *r, const struct pcount *pc, size_t npc,
		       size_t top, int bad)
{
	const struct fr_manifest *m = fr_reader__manifest(r);
	char a[64], b[64], d[32], s1[32], s2[32];
	struct stat st;
	size_t i;
	unsigned t, c;
	uint64_t lost = 0;

	fr_fmt_size(s1, sizeof(s1), stat(path, &st) == 0 ? (uint64_t)st.st_size : 0);
	printf("bundle      %s (%s)\n", path, s1);
	printf("format      %u.%u, written by flightrec %s\n", m->format_major, m->format_minor,
	       m->tool_version[0] ? m->tool_version : "?");
	printf("host        %s, Linux %s %s\n", m->hostname[0] ? m->hostname : "?",
	       m->kernel_release[0] ? m->kernel_release : "?", m->machine[0] ? m->machine : "?");
	printf("boot id     %s\n", m->boot_id[0] ? m->boot_id : "?");
	printf("clock       %s, UTC = ts %+.9f s (measured to %" PRIu64 " ns)\n",
	       m->clock[0] ? m->clock : "?", m->clock_to_utc_ns / 1e9, m->clock_offset_error_ns);
	fr_fmt_utc(a, sizeof(a), m->window_start_ns, m->clock_to_utc_ns);
	fr_fmt_utc(b, sizeof(b), m->window_end_ns, m->clock_to_utc_ns);
	fr_fmt_duration(
	    d, sizeof(d),
	    m->window_end_ns > m->window_start_ns ? m->window_end_ns - m->window_start_ns : 0);
	printf("window      %s .. %s (%s)\n", a, b, d);
	if (m->trigger_kind[0]) {
		fr_fmt_utc(a, sizeof(a), m->trigger_ns, m->clock_to_utc_ns);
		printf("trigger     %s%s%s%s%s\n", m->trigger_kind,
		       m->trigger_reason[0] ? ": " : "", m->trigger_reason,
		       m->trigger_ns ? " at " : "", m->trigger_ns ? a : "");
	}
	if (m->capture && json_object_size(m->capture)) {
		char *s = json_dumps(m->capture, JSON_COMPACT | JSON_SORT_KEYS);

		printf("capture     %s\n", s ? s : "?");
		free(s);
	}
	if (m->features && json_object_size(m->features)) {
		const char *k;
		json_t *v;
		bool first = true;

		printf("features   ");
		json_object_foreach (m->features, k, v) {
			json_t *used = json_is_object(v) ? json_object_get(v, "used") : v;

			printf("%s %s%s", first ? "" : ",", k,
			       json_is_false(used) ? " (unavailable)" : "");
			first = false;
		}
		printf("\n");
	}
	if (m->redaction && json_array_size(m->redaction)) {
		size_t k;

		printf("redaction  ");
		for (k = 0; k < json_array_size(m->redaction); k++) {
			json_t *rule = json_array_get(m->redaction, k);
			const char *text = json_is_string(rule)
					       ? json_string_value(rule)
					       : json_string_value(json_object_get(rule, "rule"));

			printf("%s %s", k ? "," : "", text ? text : "?");
		}
		printf("\n");
	}
	fr_fmt_size(s1, sizeof(s1), m->payload_bytes);
	printf("events      %" PRIu64 " in %" PRIu64 " chunks, %s of payload\n", m->event_count,
	       m->chunk_count, s1);
	for (t = 1; t < FR_EV_TYPE_COUNT; t++)
		if (m->events_by_type[t])
			printf("  %-18s %12" PRIu64 "\n", fr_event_type_name(t),
			       m->events_by_type[t]);
	for (c = 1; c < FR_LOSS_CAUSE_COUNT; c++)
		lost += m->losses[c];
	printf("losses      %s\n", lost ? "by cause:" : "none");
	for (c = 1; lost && c < FR_LOSS_CAUSE_COUNT; c++)
		printf("  %-18s %12" PRIu64 "\n", fr_loss_cause_name(c), m->losses[c]);
	printf("processes   %zu in the table, %zu with events\n", fr_reader__nprocesses(r), npc);
	if (npc) {
		printf("  %-8s %-8s %10s  %-16s %s\n", "PID", "PPID", "EVENTS", "COMM", "COMMAND");
		for (i = 0; i < npc && (!top || i < top); i++) {
			const struct fr_process *p = fr_reader__find_process(r, pc[i].pid);
			struct fr_sb sb;
			uint32_t k;

			fr_sb_init(&sb);
			for (k = 0; p && k < p->argc && sb.len < 60; k++)
				fr_sb_printf(&sb, "%s%s", k ? " " : "", p->argv[k]);
			if (p && !p->argc && p->exe)
				fr_sb_puts(&sb, p->exe);
			if (sb.len > 60)
				sb.buf[57] = sb.buf[58] = sb.buf[59] = '.', sb.buf[60] = '\0';
			printf("  %-8u %-8s %10" PRIu64 "  %-16s %s\n", pc[i].pid,
			       p ? (snprintf(s2, sizeof(s2), "%u", p->ppid), s2) : "?",
			       pc[i].events, comm_of(r, pc[i].pid), fr_sb_str(&sb));
			fr_sb_free(&sb);
		}
		if (top && npc > top)
			printf("  ... %zu more\n", npc - top);
	}
	printf("members     %zu, checksums %s\n", fr_reader__nmembers(r),
	       bad ? "MISMATCH" : "verified");
	printf("  %-28s %10s %10s %7s  %s\n", "NAME", "SIZE", "RAW", "RATIO", "CRC32");
	for (i = 0; i < fr_reader__nmembers(r); i++) {
		const struct fr_member *mb = fr_reader__member(r, i);

		fr_fmt_size(s1, sizeof(s1), mb->size);
		fr_fmt_size(s2, sizeof(s2), mb->raw_size);
		printf("  %-28s %10s %10s %6.1fx  %s\n", mb->name, s1, s2,
		       mb->size ? (double)mb->raw_size / (double)mb->size : 1.0,
		       !mb->crc_checked ? "-"
		       : mb->crc_ok	? "ok"
					: "BAD");
	}
}

static json_t *to_json(const char *path, struct fr_reader *r, const struct pcount *pc, size_t npc,
		       size_t top, int bad)
{
	const struct fr_manifest *m = fr_reader__manifest(r);
	json_t *o = json_object(), *a, *x;
	char buf[64];
	size_t i;
	unsigned t, c;

	json_object_set_new(o, "file", fr_json_str(path));
	json_object_set_new(
	    o, "format",
	    json_pack("{s:i,s:i}", "major", m->format_major, "minor", m->format_minor));
	json_object_set_new(o, "tool_version", fr_json_text(m->tool_version));
	json_object_set_new(o, "host",
			    json_pack("{s:o,s:o,s:o,s:o}", "hostname", fr_json_text(m->hostname),
				      "kernel_release", fr_json_text(m->kernel_release), "machine",
				      fr_json_text(m->machine), "boot_id",
				      fr_json_text(m->boot_id)));
	json_object_set_new(o, "clock",
			    json_pack("{s:o,s:I,s:I}", "source", fr_json_text(m->clock),
				      "to_utc_ns", (json_int_t)m->clock_to_utc_ns,
				      "offset_error_ns", (json_int_t)m->clock_offset_error_ns));
	x = json_object();
	json_object_set_new(x, "start_ns", json_integer((json_int_t)m->window_start_ns));
	json_object_set_new(x, "end_ns", json_integer((json_int_t)m->window_end_ns));
	fr_fmt_utc(buf, sizeof(buf), m->window_start_ns, m->clock_to_utc_ns);
	json_object_set_new(x, "start_utc", json_string(buf));
	fr_fmt_utc(buf, sizeof(buf), m->window_end_ns, m->clock_to_utc_ns);
	json_object_set_new(x, "end_utc", json_string(buf));
	json_object_set_new(o, "window", x);
	json_object_set_new(o, "trigger",
			    json_pack("{s:o,s:o,s:I}", "kind", fr_json_text(m->trigger_kind),
				      "reason", fr_json_text(m->trigger_reason), "ts_ns",
				      (json_int_t)m->trigger_ns));
	json_object_set_new(o, "capture", m->capture ? json_incref(m->capture) : json_object());
	json_object_set_new(o, "features", m->features ? json_incref(m->features) : json_object());
	json_object_set_new(o, "redaction",
			    m->redaction ? json_incref(m->redaction) : json_array());
	x = json_object();
	for (t = 1; t < FR_EV_TYPE_COUNT; t++)
		if (m->events_by_type[t])
			json_object_set_new(x, fr_event_type_name(t),
					    json_integer((json_int_t)m->events_by_type[t]));
	json_object_set_new(o, "events",
			    json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)m->event_count,
				      "chunks", (json_int_t)m->chunk_count, "payload_bytes",
				      (json_int_t)m->payload_bytes, "by_type", x));
	x = json_object();
	for (c = 1; c < FR_LOSS_CAUSE_COUNT; c++)
		json_object_set_new(x, fr_loss_cause_name(c),
				    json_integer((json_int_t)m->losses[c]));
	json_object_set_new(o, "losses", x);
	a = json_array();
	for (i = 0; i < npc && (!top || i < top); i++) {
		const struct fr_process *p = fr_reader__find_process(r, pc[i].pid);
		json_t *argv = json_array();
		uint32_t k;

		for (k = 0; p && k < p->argc; k++)
			json_array_append_new(argv, fr_json_str(p->argv[k]));
		json_array_append_new(a, json_pack("{s:i,s:i,s:I,s:o,s:o,s:o}", "pid", pc[i].pid,
						   "ppid", p ? (int)p->ppid : -1, "events",
						   (json_int_t)pc[i].events, "comm",
						   fr_json_str(comm_of(r, pc[i].pid)), "exe",
						   fr_json_str(p ? p->exe : NULL), "argv", argv));
	}
	json_object_set_new(o, "processes",
			    json_pack("{s:I,s:I,s:o}", "in_table",
				      (json_int_t)fr_reader__nprocesses(r), "with_events",
				      (json_int_t)npc, "top", a));
	a = json_array();
	for (i = 0; i < fr_reader__nmembers(r); i++) {
		const struct fr_member *mb = fr_reader__member(r, i);

		json_array_append_new(a, json_pack("{s:s,s:I,s:I,s:o}", "name", mb->name, "size",
						   (json_int_t)mb->size, "raw_size",
						   (json_int_t)mb->raw_size, "checksum",
						   !mb->crc_checked
						       ? json_null()
						       : json_string(mb->crc_ok ? "ok" : "bad")));
	}
	json_object_set_new(o, "members", a);
	json_object_set_new(o, "intact", json_boolean(!bad));
	return o;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"top", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct fr_reader *r = NULL;
	struct pcount *pc = NULL;
	size_t npc = 0;
	uint64_t top = 10;
	bool json = false;
	int c, rc, bad;
	const char *path;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 't':
			if (fr_parse_u64(optarg, &top)) {
				fr_error("inspect: --top: '%s' is not a number", optarg);
				return FR_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			return FR_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return FR_EXIT_USAGE;
		}
	}
	rc = cli_open_bundle_arg("inspect", argc, argv, &path, &r);
	if (rc != FR_EXIT_OK)
		return rc;
	bad = fr_reader__verify(r);
	if (bad < 0) {
		fr_error("%s: %s", path, fr_reader__strerror(r));
		fr_reader__free(r);
		return FR_EXIT_FAIL;
	}
	rc = count_by_pid(r, &pc, &npc);
	if (rc < 0) {
		fr_error("%s: %s", path, rc == -ENOMEM ? "out of memory" : fr_reader__strerror(r));
		fr_reader__free(r);
		return FR_EXIT_FAIL;
	}
	if (json) {
		json_t *o = to_json(path, r, pc, npc, (size_t)top, bad);

		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		fputc('\n', stdout);
		json_decref(o);
	} else {
		print_text(path, r, pc, npc, (size_t)top, bad);
	}
	if (bad)
		fr_error("%s: %d member%s failed checksum verification", path, bad,
			 bad == 1 ? "" : "s");
	free(pc);
	fr_reader__free(r);
	return bad ? FR_EXIT_FAIL : FR_EXIT_OK;
}
