// SPDX-License-Identifier: MIT
/*
 * Unit tests of the flight-recorder daemon's parts (capture/): --trigger-on
 * rules (parsing and evaluation), the in-memory ring (eviction, references,
 * eviction history, decoding), retention and bundle names, redaction, the
 * trigger socket's request parser.  None loads eBPF; they link the capture
 * library, hence the bpftest_ name.
 */
/* fr_events.h before <signal.h>, which defines sa_handler as a macro */
#include "capture/redact.h"
#include "capture/retention.h"
#include "capture/ring.h"
#include "capture/rules.h"
#include "capture/trigger.h"
#include "formats/syscalls.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- rules: parsing ------------------------------------------------------------ */

static const struct {
	const char *in;
	int ok;
	enum fr_rule_kind kind;
} rule_cases[] = {
	{ "syscall-latency>500ms", 1, FR_RULE_LATENCY },
	{ "syscall-latency>2s,comm=nginx", 1, FR_RULE_LATENCY },
	{ "syscall-latency>1.5s,pid=42", 1, FR_RULE_LATENCY },
	{ "syscall-latency>100ms,comm=redis-server,syscall=read", 1, FR_RULE_LATENCY },
	{ "syscall-latency>100ms,syscall=nosuchcall", 0, 0 },
	{ "syscall-latency>fast", 0, 0 },
	{ "syscall-latency>", 0, 0 },
	{ "syscall-latency>1s,comm=", 0, 0 },
	{ "syscall-latency>1s,comm=averyveryverylongname", 0, 0 },
	{ "syscall-latency>1s,pid=0", 0, 0 },
	{ "syscall-latency>1s,pid=x", 0, 0 },
	{ "syscall-latency>1s,comm=a,comm=b", 0, 0 },
	{ "syscall-latency>1s,color=red", 0, 0 },
	{ "signal=SIGSEGV", 1, FR_RULE_SIGNAL },
	{ "signal=SIGSEGV|SIGABRT|bus|9", 1, FR_RULE_SIGNAL },
	{ "signal=SIGSEGV,comm=app", 1, FR_RULE_SIGNAL },
	{ "signal=", 0, 0 },
	{ "signal=SIGNOPE", 0, 0 },
	{ "signal=65", 0, 0 },
	{ "signal=SIGSEGV,syscall=read", 0, 0 },
	{ "oom", 1, FR_RULE_OOM },
	{ "oom,comm=x", 0, 0 },
	{ "oomph", 0, 0 },
	{ "exit-nonzero", 1, FR_RULE_EXIT_NONZERO },
	{ "exit-nonzero,comm=worker", 1, FR_RULE_EXIT_NONZERO },
	{ "exit-nonzero,pid=7", 1, FR_RULE_EXIT_NONZERO },
	{ "exit-nonzero,x", 0, 0 },
	{ "tcp-retransmits>10/s", 1, FR_RULE_TCP_RETRANSMITS },
	{ "tcp-retransmits>0/s", 1, FR_RULE_TCP_RETRANSMITS },
	{ "tcp-retransmits>20/10s", 1, FR_RULE_TCP_RETRANSMITS },
	{ "tcp-retransmits>10", 0, 0 },
	{ "tcp-retransmits>10/", 0, 0 },
	{ "tcp-retransmits>x/s", 0, 0 },
	{ "tcp-retransmits>100001/s", 0, 0 },
	{ "tcp-retransmits>5/s,comm=x", 0, 0 },
	{ "", 0, 0 },
	{ "cpu>90%", 0, 0 },
};

START_TEST(test_rule_parse)
{
	struct fr_rule r;
	char err[512] = "";
	int rc = fr_rule__parse(rule_cases[_i].in, &r, err, sizeof(err));

	if (rule_cases[_i].ok) {
		ck_assert_msg(rc == 0, "'%s' refused: %s", rule_cases[_i].in, err);
		ck_assert_int_eq(r.kind, rule_cases[_i].kind);
		ck_assert_str_eq(r.text, rule_cases[_i].in);
	} else {
		ck_assert_msg(rc == -EINVAL, "'%s' accepted", rule_cases[_i].in);
		ck_assert_msg(err[0] != '\0', "'%s': no message", rule_cases[_i].in);
	}
	fr_rule__clear(&r);
}
END_TEST

START_TEST(test_rule_parse_values)
{
	struct fr_rule r;
	char err[256];

	ck_assert_int_eq(fr_rule__parse("syscall-latency>250ms,comm=redis-server,syscall=read",
					&r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.threshold_ns, 250000000ULL);
	ck_assert(r.has_comm && !r.has_pid && r.has_syscall);
	ck_assert_str_eq(r.comm, "redis-server");
	ck_assert_uint_eq(r.syscall_nr, fr_syscall_by_name("read")->nr);
	fr_rule__clear(&r);

	ck_assert_int_eq(fr_rule__parse("signal=SIGSEGV|abrt|9", &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.sigmask, (1ULL << 10) | (1ULL << 5) | (1ULL << 8));
	fr_rule__clear(&r);

	ck_assert_int_eq(fr_rule__parse("tcp-retransmits>20/10s", &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.count, 20);
	ck_assert_uint_eq(r.per_ns, 10000000000ULL);
	fr_rule__clear(&r);
}
END_TEST

/* ---- rules: evaluation --------------------------------------------------------- */

static const char *fake_comm(void *ctx, uint32_t pid, uint32_t tid)
{
	(void)ctx;
	(void)tid;
	return pid == 100 ? "nginx" : pid == 200 ? "batch" : NULL;
}

static struct fr_event *new_ev(unsigned type, uint64_t ts, uint32_t pid)
{
	struct fr_event *ev = calloc(1, sizeof(*ev));

	ck_assert_ptr_nonnull(ev);
	ev->type = (uint16_t)type;
	ev->ts_ns = ts;
	ev->pid = ev->tid = pid;
	return ev;
}

START_TEST(test_rule_latency)
{
	struct fr_rule r;
	struct fr_event *ev = new_ev(FR_EV_SYSCALL, 5000000000ULL, 100);
	char err[256], reason[512];

	ck_assert_int_eq(fr_rule__parse("syscall-latency>100ms,comm=nginx", &r, err, sizeof(err)), 0);
	ev->u.sc.nr = (uint32_t)fr_syscall_by_name("read")->nr;
	ev->u.sc.enter_ns = ev->ts_ns - 100000000ULL; /* exactly the threshold: no */
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->u.sc.enter_ns = ev->ts_ns - 100000001ULL;
	ck_assert(fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ck_assert_msg(strstr(reason, "read by nginx[100/100] took"), "%s", reason);
	ev->pid = ev->tid = 200; /* another comm */
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->pid = ev->tid = 300; /* unknown comm */
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->pid = ev->tid = 100;
	ev->u.sc.flags = FR_SC_NO_ENTER; /* duration unknown */
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->u.sc.flags = 0;
	ev->type = FR_EV_PAGE_FAULT;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ck_assert_uint_eq(r.matches, 1);
	fr_rule__clear(&r);

	ck_assert_int_eq(fr_rule__parse("syscall-latency>1s,pid=200,syscall=write", &r, err,
					sizeof(err)), 0);
	ev->type = FR_EV_SYSCALL;
	ev->pid = ev->tid = 200;
	ev->u.sc.enter_ns = ev->ts_ns - 2000000000ULL;
	ev->u.sc.nr = (uint32_t)fr_syscall_by_name("read")->nr;
	ck_assert(!fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason)));
	ev->u.sc.nr = (uint32_t)fr_syscall_by_name("write")->nr;
	ck_assert(fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason)));
	ck_assert_msg(strstr(reason, "write by ?[200/200]"), "%s", reason);
	fr_rule__clear(&r);
	free(ev);
}
END_TEST

START_TEST(test_rule_signal_oom_exit)
{
	struct fr_rule r;
	struct fr_event *ev = new_ev(FR_EV_SIGNAL_DELIVER, 1000, 100);
	char err[256], reason[512];

	ck_assert_int_eq(fr_rule__parse("signal=SIGSEGV|SIGABRT", &r, err, sizeof(err)), 0);
	ev->u.sig_del.sig = SIGSEGV;
	ck_assert(fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ck_assert_str_eq(reason, "signal=SIGSEGV|SIGABRT: SIGSEGV delivered to nginx[100/100]");
	ev->u.sig_del.sig = SIGTERM;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->u.sig_del.sig = 0;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->type = FR_EV_SIGNAL_GENERATE; /* generation is not delivery */
	ev->u.sig_gen.sig = SIGSEGV;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	fr_rule__clear(&r);

	ck_assert_int_eq(fr_rule__parse("oom", &r, err, sizeof(err)), 0);
	memset(&ev->u, 0, sizeof(ev->u));
	ev->type = FR_EV_OOM_KILL;
	ev->u.oom.victim_pid = 4242;
	memcpy(ev->u.oom.victim_comm, "hog", 4);
	ev->u.oom.memcg_id = 77;
	ck_assert(fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason)));
	ck_assert_msg(strstr(reason, "killed hog[4242]") && strstr(reason, "memory cgroup"), "%s",
		      reason);
	fr_rule__clear(&r);

	ck_assert_int_eq(fr_rule__parse("exit-nonzero,comm=batch", &r, err, sizeof(err)), 0);
	memset(&ev->u, 0, sizeof(ev->u));
	ev->type = FR_EV_PROC_EXIT;
	ev->pid = ev->tid = 200;
	ev->u.exit.status = 3 << 8;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason))); /* a thread */
	ev->u.exit.flags = FR_EXIT_GROUP_DEAD;
	ck_assert(fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ck_assert_str_eq(reason, "exit-nonzero,comm=batch: batch[200] exited with status 3");
	ev->u.exit.status = SIGKILL;
	ck_assert(fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ck_assert_str_eq(reason, "exit-nonzero,comm=batch: batch[200] killed by SIGKILL");
	ev->u.exit.status = 0;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	ev->u.exit.status = 1 << 8;
	ev->pid = ev->tid = 100;
	ck_assert(!fr_rule__eval(&r, ev, fake_comm, NULL, reason, sizeof(reason)));
	fr_rule__clear(&r);
	free(ev);
}
END_TEST

START_TEST(test_rule_tcp_rate)
{
	struct fr_rule r;
	struct fr_event *ev = new_ev(FR_EV_TCP_RETRANSMIT, 0, 1);
	char err[256], reason[512];
	int i, fired = 0;

	ck_assert_int_eq(fr_rule__parse("tcp-retransmits>3/s", &r, err, sizeof(err)), 0);
	/* one every 300 ms: at most 4 in a second, 3.33 on average: 4 within
	 * 900 ms fires at the 4th, then counting restarts */
	for (i = 0; i < 4; i++) {
		ev->ts_ns = 10000000000ULL + (uint64_t)i * 300000000ULL;
		fired += fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason));
	}
	ck_assert_int_eq(fired, 1);
	ck_assert_msg(strstr(reason, "4 TCP retransmissions within"), "%s", reason);
	/* one every 400 ms: never 4 within a second */
	fr_rule__clear(&r);
	ck_assert_int_eq(fr_rule__parse("tcp-retransmits>3/s", &r, err, sizeof(err)), 0);
	for (i = 0, fired = 0; i < 50; i++) {
		ev->ts_ns = 20000000000ULL + (uint64_t)i * 400000000ULL;
		fired += fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason));
	}
	ck_assert_int_eq(fired, 0);
	/* other events do not count */
	ev->type = FR_EV_TCP_STATE;
	for (i = 0; i < 10; i++)
		fired += fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason));
	ck_assert_int_eq(fired, 0);
	fr_rule__clear(&r);

	/* >0/s: the first one fires */
	ck_assert_int_eq(fr_rule__parse("tcp-retransmits>0/s", &r, err, sizeof(err)), 0);
	ev->type = FR_EV_TCP_RETRANSMIT;
	ck_assert(fr_rule__eval(&r, ev, NULL, NULL, reason, sizeof(reason)));
	fr_rule__clear(&r);
	free(ev);
}
END_TEST

/* ---- the ring ---------------------------------------------------------------------- */

/* A write event with a varied 64-byte payload: n in the payload. */
static void fill_write(struct fr_event *ev, uint64_t ts, uint64_t n, uint8_t *buf)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = FR_EV_SYSCALL;
	ev->ts_ns = ts;
	ev->pid = ev->tid = 1000;
	ev->u.sc.nr = 1;
	ev->u.sc.enter_ns = ts - 1000;
	ev->u.sc.ret = 64;
	snprintf((char *)buf, 65, "%016llx %016llx %016llx ....", (unsigned long long)n,
		 (unsigned long long)(n * 2654435761ULL), (unsigned long long)(n * n));
	ev->n_payloads = 1;
	ev->payloads[0].kind = FR_PL_IN;
	ev->payloads[0].arg = 1;
	ev->payloads[0].len = ev->payloads[0].full_len = 64;
	ev->payloads[0].data = buf;
}

struct collect {
	uint64_t n, first, last;
	uint64_t lost;
};

static int collect_fn(void *ctx, const struct fr_event *ev)
{
	struct collect *c = ctx;
	unsigned long long v;

	if (ev->type == FR_EV_LOST) {
		c->lost += ev->u.lost.count;
		return 0;
	}
	ck_assert_int_eq(ev->type, FR_EV_SYSCALL);
	ck_assert_uint_eq(ev->n_payloads, 1);
	ck_assert_int_eq(sscanf((const char *)ev->payloads[0].data, "%llx", &v), 1);
	if (!c->n)
		c->first = v;
	else
		ck_assert_uint_eq(v, c->last + 1); /* in order, no gap inside the ring */
	c->last = v;
	c->n++;
	return 0;
}

START_TEST(test_ring_eviction)
{
	struct fr_ring_opts o = { .max_bytes = 64 << 10, .chunk_raw = 16 << 10 };
	struct fr_ring_chunk *cs[4096];
	struct fr_ring_stats st;
	struct fr_ring *r;
	struct fr_event *ev = malloc(sizeof(*ev));
	struct collect c = { 0 };
	uint8_t buf[80], *scratch = NULL;
	size_t cap = 0, n, i;
	uint64_t k, N = 200000, held = 0, first_seq;

	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(fr_ring__new(&o, &r), 0);
	for (k = 0; k < N; k++) {
		fill_write(ev, 1000000 + k * 1000, k, buf);
		ck_assert_int_eq(fr_ring__add(r, ev, NULL), 0);
	}
	ck_assert_int_eq(fr_ring__seal(r), 0);
	fr_ring__stats(r, &st);
	ck_assert_uint_eq(st.events, N);
	ck_assert_uint_gt(st.evicted_events, 0);
	ck_assert_msg(st.bytes <= o.max_bytes, "ring holds %llu > %llu bytes",
		      (unsigned long long)st.bytes, (unsigned long long)o.max_bytes);
	/* what is held is the newest, contiguous, up to the last event */
	n = fr_ring__take(r, 0, 0, cs, 4096, &first_seq);
	ck_assert_uint_eq(n, st.nchunks);
	ck_assert_uint_eq(cs[0]->seq, first_seq);
	for (i = 0; i < n; i++) {
		held += cs[i]->c.info.count;
		ck_assert_int_eq(fr_chunk__decode(&cs[i]->c, &scratch, &cap, collect_fn, &c), 0);
		if (i)
			ck_assert_uint_eq(cs[i]->seq, cs[i - 1]->seq + 1);
	}
	ck_assert_uint_eq(c.last, N - 1);
	ck_assert_uint_eq(c.n, held);
	ck_assert_uint_eq(c.first, N - held);
	ck_assert_uint_eq(st.evicted_events + held, N);
	/* the history tells exactly what a window lost */
	{
		bool exact;
		uint64_t lost = fr_ring__evicted(r, 0, cs[0]->seq, 0, UINT64_MAX, &exact);

		ck_assert(exact);
		ck_assert_uint_eq(lost, N - held);
		/* a window starting at event e lost e..first-1 (whole chunks) */
		lost = fr_ring__evicted(r, 0, cs[0]->seq, 1000000 + (N - held) * 1000, UINT64_MAX,
					&exact);
		ck_assert_uint_le(lost, 2 * st.chunk_raw);
	}
	for (i = 0; i < n; i++)
		fr_ring__put(r, cs[i]);
	free(scratch);
	free(ev);
	fr_ring__free(r);
}
END_TEST

START_TEST(test_ring_refs_survive_eviction)
{
	struct fr_ring_opts o = { .max_bytes = 32 << 10, .chunk_raw = 16 << 10 };
	struct fr_ring_chunk *held[8], *cs[4096];
	struct fr_ring *r;
	struct fr_event *ev = malloc(sizeof(*ev));
	struct collect c = { 0 };
	uint8_t buf[80], *scratch = NULL;
	size_t cap = 0, n;
	uint64_t k, first_seq;

	ck_assert_int_eq(fr_ring__new(&o, &r), 0);
	for (k = 0; k < 2000; k++) {
		fill_write(ev, 1000 + k, k, buf);
		ck_assert_int_eq(fr_ring__add(r, ev, NULL), 0);
	}
	ck_assert_int_eq(fr_ring__seal(r), 0);
	n = fr_ring__take(r, 0, 0, held, 1, NULL);
	ck_assert_uint_eq(n, 1);
	/* push it out of the ring while it is held */
	for (; k < 200000; k++) {
		fill_write(ev, 1000 + k, k, buf);
		ck_assert_int_eq(fr_ring__add(r, ev, NULL), 0);
	}
	ck_assert_int_eq(fr_ring__seal(r), 0);
	n = fr_ring__take(r, 0, 0, cs, 4096, &first_seq);
	ck_assert_uint_gt(first_seq, held[0]->seq);
	/* still readable */
	ck_assert_int_eq(fr_chunk__decode(&held[0]->c, &scratch, &cap, collect_fn, &c), 0);
	ck_assert_uint_eq(c.n, held[0]->c.info.count);
	fr_ring__put(r, held[0]);
	while (n)
		fr_ring__put(r, cs[--n]);
	/* take after a seq and from a time */
	n = fr_ring__take(r, first_seq, 0, cs, 4096, NULL);
	ck_assert(n == 0 || cs[0]->seq == first_seq + 1);
	while (n)
		fr_ring__put(r, cs[--n]);
	n = fr_ring__take(r, 0, 1000 + 199999, cs, 4096, NULL);
	ck_assert_uint_eq(n, 1); /* only the chunk holding the last event */
	fr_ring__put(r, cs[0]);
	free(scratch);
	free(ev);
	fr_ring__free(r);
}
END_TEST

START_TEST(test_ring_losses_and_order)
{
	struct fr_ring_opts o = { .max_bytes = 1 << 20 };
	struct fr_ring_chunk *cs[16];
	struct fr_ring *r;
	struct fr_event *ev = malloc(sizeof(*ev));
	uint8_t buf[80];
	bool raised = false;
	size_t n;

	ck_assert_int_eq(fr_ring__new(&o, &r), 0);
	fill_write(ev, 5000, 1, buf);
	ev->payloads[0].flags = FR_PLF_TRUNCATED;
	ck_assert_int_eq(fr_ring__add(r, ev, &raised), 0);
	ck_assert(!raised);
	fill_write(ev, 4000, 2, buf); /* older: kept, raised */
	ev->payloads[0].flags = FR_PLF_FAULT | FR_PLF_LOST;
	ck_assert_int_eq(fr_ring__add(r, ev, &raised), 0);
	ck_assert(raised);
	memset(ev, 0, sizeof(*ev));
	ev->type = FR_EV_LOST;
	ev->ts_ns = 6000;
	ev->u.lost.cause = FR_LOSS_RING_FULL;
	ev->u.lost.count = 17;
	ck_assert_int_eq(fr_ring__add(r, ev, NULL), 0);
	ev->type = 250; /* cannot be encoded */
	ck_assert_int_eq(fr_ring__add(r, ev, NULL), -EINVAL);
	ck_assert_int_eq(fr_ring__seal(r), 0);
	ck_assert_int_eq(fr_ring__seal(r), 0); /* nothing to seal */
	n = fr_ring__take(r, 0, 0, cs, 16, NULL);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(cs[0]->c.info.count, 3);
	ck_assert_uint_eq(cs[0]->c.info.first_ts, 5000);
	ck_assert_uint_eq(cs[0]->losses[FR_LOSS_RING_FULL], 17);
	ck_assert_uint_eq(cs[0]->losses[FR_LOSS_PAYLOAD_TRUNCATED], 1);
	ck_assert_uint_eq(cs[0]->losses[FR_LOSS_READ_FAULT], 1);
	ck_assert_uint_eq(cs[0]->items_lost, 1);
	fr_ring__put(r, cs[0]);
	free(ev);
	fr_ring__free(r);
}
END_TEST

/* ---- retention --------------------------------------------------------------------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/frunit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void make_file(const char *name, size_t size, time_t mtime)
{
	char path[256];
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	ck_assert_int_eq(futimens(fd, ts), 0);
	close(fd);
}

static bool exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return access(path, F_OK) == 0;
}

START_TEST(test_retention_names)
{
	struct timespec t = { 1795311157, 838238627 }; /* 2026-11-22T01:32:37.838Z */
	char path[512];

	ck_assert(fr_retention__is_ours("flightrec-20261122T021237.838Z-signal.frb"));
	ck_assert(fr_retention__is_ours("flightrec-20261122T021237.838Z-rule-3.frb"));
	ck_assert(!fr_retention__is_ours("flightrec-20261122T021237Z-signal.frb"));
	ck_assert(!fr_retention__is_ours("flightrec-cat-20261122T021237Z.frb")); /* record's */
	ck_assert(!fr_retention__is_ours("flightrec-20261122T021237.838Z-signal.frb.bak"));
	ck_assert(!fr_retention__is_ours(".flightrec-20261122T021237.838Z-x.frb.tmp-1-abc"));
	ck_assert(!fr_retention__is_ours("notes.txt"));
	ck_assert(!fr_retention__is_ours("flightrec-"));

	make_tmpdir();
	ck_assert_int_eq(fr_retention__name(tmpdir, &t, "socket", path, sizeof(path)), 0);
	ck_assert_str_eq(strrchr(path, '/') + 1, "flightrec-20261122T013237.838Z-socket.frb");
	make_file("flightrec-20261122T013237.838Z-socket.frb", 1, 1);
	ck_assert_int_eq(fr_retention__name(tmpdir, &t, "socket", path, sizeof(path)), 0);
	ck_assert_str_eq(strrchr(path, '/') + 1, "flightrec-20261122T013237.838Z-socket-1.frb");
	ck_assert(fr_retention__is_ours(strrchr(path, '/') + 1));
	ck_assert_int_eq(fr_retention__name(tmpdir, &t, "a/b c", path, sizeof(path)), 0);
	ck_assert_str_eq(strrchr(path, '/') + 1, "flightrec-20261122T013237.838Z-a_b_c.frb");
	ck_assert_int_eq(fr_retention__name(tmpdir, &t, "x", path, 20), -ENAMETOOLONG);
	rm_tmpdir();
}
END_TEST

START_TEST(test_retention_apply)
{
	make_tmpdir();
	make_file("flightrec-20260101T000001.000Z-signal.frb", 1000, 1000);
	make_file("flightrec-20260101T000002.000Z-signal.frb", 1000, 2000);
	make_file("flightrec-20260101T000003.000Z-rule.frb", 1000, 3000);
	make_file("flightrec-20260101T000004.000Z-socket.frb", 5000, 4000);
	make_file("notes.txt", 100000, 1);              /* not ours */
	make_file("flightrec-cat-20260101T000000Z.frb", 100000, 1); /* record's */

	ck_assert_int_eq(fr_retention__apply(tmpdir, 0, 0, NULL, NULL, NULL), 0);
	/* at most 3: the oldest goes */
	ck_assert_int_eq(fr_retention__apply(tmpdir, 3, 0, NULL, NULL, NULL), 1);
	ck_assert(!exists("flightrec-20260101T000001.000Z-signal.frb"));
	ck_assert(exists("flightrec-20260101T000002.000Z-signal.frb"));
	/* at most 6500 bytes: 1000+1000+5000 = 7000, the oldest goes */
	ck_assert_int_eq(fr_retention__apply(tmpdir, 0, 6500, NULL, NULL, NULL), 1);
	ck_assert(!exists("flightrec-20260101T000002.000Z-signal.frb"));
	ck_assert(exists("flightrec-20260101T000003.000Z-rule.frb"));
	/* the kept one survives even alone over the bound */
	ck_assert_int_eq(fr_retention__apply(tmpdir, 0, 100,
					      "/x/flightrec-20260101T000004.000Z-socket.frb", NULL,
					      NULL), 1);
	ck_assert(exists("flightrec-20260101T000004.000Z-socket.frb"));
	ck_assert(!exists("flightrec-20260101T000003.000Z-rule.frb"));
	ck_assert(exists("notes.txt"));
	ck_assert(exists("flightrec-cat-20260101T000000Z.frb"));
	ck_assert_int_eq(fr_retention__apply("/nonexistent/dir", 1, 0, NULL, NULL, NULL), -ENOENT);
	rm_tmpdir();
}
END_TEST

START_TEST(test_retention_clean_temps)
{
	char name[256];
	pid_t dead;
	int st;

	/* a pid that existed and is gone */
	dead = fork();
	if (!dead)
		_exit(0);
	waitpid(dead, &st, 0);
	make_tmpdir();
	snprintf(name, sizeof(name), ".flightrec-20260101T000001.000Z-signal.frb.tmp-%d-AbC123",
		 (int)dead);
	make_file(name, 10, 1);
	/* a live writer holds its temporary file locked (formats/writer.c) */
	make_file(".flightrec-20260101T000001.000Z-rule.frb.tmp-1-XyZ987", 10, 1);
	{
		char path[512];
		int held;

		snprintf(path, sizeof(path), "%s/.flightrec-20260101T000001.000Z-rule.frb.tmp-1-XyZ987",
			 tmpdir);
		held = open(path, O_RDONLY);
		ck_assert_int_ge(held, 0);
		ck_assert_int_eq(flock(held, LOCK_EX), 0);
		snprintf(name + 200, 56, ".other.frb.tmp-%d-AbC123", (int)dead);
		make_file(name + 200, 10, 1); /* not ours */
		ck_assert_int_eq(fr_retention__clean_temps(tmpdir, NULL, NULL), 1);
		ck_assert(!exists(name));
		ck_assert(exists(".flightrec-20260101T000001.000Z-rule.frb.tmp-1-XyZ987"));
		ck_assert(exists(name + 200));
		/* once its writer is gone (lock released), it is removed too */
		close(held);
		ck_assert_int_eq(fr_retention__clean_temps(tmpdir, NULL, NULL), 1);
		ck_assert(!exists(".flightrec-20260101T000001.000Z-rule.frb.tmp-1-XyZ987"));
	}
	rm_tmpdir();
}
END_TEST

/* ---- redaction -------------------------------------------------------------------- */

static const struct {
	const char *rule;
	const char *in;
	const char *out;
	size_t masked;
} redact_cases[] = {
	{ "payload:Authorization:", "GET / HTTP/1.1\r\nAuthorization: Bearer abc\r\nX: y\r\n",
	  "GET / HTTP/1.1\r\nAuthorization: **********\r\nX: y\r\n", 1 },
	{ "payload:Authorization:", "authorization:\tBasic Zm9v\n", "authorization:\t**********\n", 1 },
	{ "payload:Authorization:", "Authorization: a\nAuthorization: bb", "Authorization: *\nAuthorization: **", 2 },
	{ "payload:Authorization:", "Authorization:\r\n", "Authorization:\r\n", 0 },
	{ "payload:Authorization:", "no header here", "no header here", 0 },
	{ "payload:Authorization:", "Authoriz", "Authoriz", 0 },
	{ "payload:Cookie:", "Cookie: a=1; b=2", "Cookie: ********", 1 },
	{ "payload:/password=([^&]*)/", "user=bob&password=hunter2&x=1", "user=bob&password=*******&x=1", 1 },
	{ "payload:/password=([^&]*)/", "password=&x", "password=&x", 0 },
	{ "payload:/[0-9]{4}-[0-9]{4}/", "card 1234-5678 and 9999-0000.", "card ********* and *********.", 2 },
	{ "payload:/secret/i", "a SeCrEt b", "a ****** b", 1 },
	{ "payload:/secret/", "a SeCrEt b", "a SeCrEt b", 0 },
	{ "payload:/^key=(.*)$/", "key=abc", "key=***", 1 },
};

START_TEST(test_redact_payload)
{
	struct fr_redact *r;
	char err[256], buf[256];
	size_t n = strlen(redact_cases[_i].in);

	ck_assert_int_eq(fr_redact__new(&r), 0);
	ck_assert_int_eq(fr_redact__add(r, redact_cases[_i].rule, err, sizeof(err)), 0);
	memcpy(buf, redact_cases[_i].in, n + 1);
	ck_assert_uint_eq(fr_redact__payload(r, (uint8_t *)buf, n), redact_cases[_i].masked);
	ck_assert_str_eq(buf, redact_cases[_i].out);
	fr_redact__free(r);
}
END_TEST

START_TEST(test_redact_binary_and_rules)
{
	struct fr_redact *r;
	char err[256];
	/* NUL bytes: each NUL-free stretch is searched; a header value ends at NUL */
	uint8_t data[] = "x\0Authorization: tok\0password=pw\0";
	static const char *bad[] = { "env:", "env:A=B", "payload:", "payload://", "payload:/(/",
				     "header:Authorization", "Authorization:" };
	size_t i;
	json_t *j;

	ck_assert_int_eq(fr_redact__new(&r), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(fr_redact__add(r, bad[i], err, sizeof(err)) == -EINVAL, "'%s'", bad[i]);
		ck_assert(err[0]);
	}
	ck_assert_uint_eq(fr_redact__count(r), 0);
	ck_assert_int_eq(fr_redact__add(r, "payload:Authorization:", err, sizeof(err)), 0);
	ck_assert_int_eq(fr_redact__add(r, "payload:/password=(.*)/", err, sizeof(err)), 0);
	ck_assert_uint_eq(fr_redact__payload(r, data, sizeof(data) - 1), 2);
	ck_assert(!memcmp(data, "x\0Authorization: ***\0password=**\0", sizeof(data)));
	j = fr_redact__to_json(r);
	ck_assert_int_eq(json_array_size(j), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "rule")),
			 "payload:Authorization:");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(j, 1),
							    "masked_since_start")), 1);
	json_decref(j);
	/* without rules nothing happens */
	ck_assert_uint_eq(fr_redact__payload(NULL, data, sizeof(data)), 0);
	fr_redact__free(r);
}
END_TEST

START_TEST(test_redact_env)
{
	struct fr_redact *r;
	struct fr_process p;
	char err[256];
	uint8_t block[] = "PATH=/bin\0AWS_SECRET_ACCESS_KEY=abc\0MY_TOKEN=t0k\0TOKEN\0HOME=/root";
	struct fr_event *ev = calloc(1, sizeof(*ev));
	uint8_t buf[64];

	ck_assert_int_eq(fr_redact__new(&r), 0);
	ck_assert_int_eq(fr_redact__add(r, "env:AWS_SECRET_ACCESS_KEY", err, sizeof(err)), 0);
	ck_assert_int_eq(fr_redact__add(r, "env:*TOKEN*", err, sizeof(err)), 0);
	ck_assert_int_eq(fr_redact__add(r, "payload:Authorization:", err, sizeof(err)), 0);
	ck_assert(fr_redact__env_match(r, "MY_TOKEN=x"));
	ck_assert(fr_redact__env_match(r, "TOKEN"));
	ck_assert(!fr_redact__env_match(r, "PATH=/x"));
	ck_assert(!fr_redact__env_match(r, "aws_secret_access_key=x")); /* case-sensitive */

	ck_assert_uint_eq(fr_redact__envblock(r, block, sizeof(block) - 1), 2);
	ck_assert(!memcmp(block, "PATH=/bin\0AWS_SECRET_ACCESS_KEY=***\0MY_TOKEN=***\0TOKEN\0HOME=/root",
			  sizeof(block)));

	memset(&p, 0, sizeof(p));
	p.envc = 3;
	p.env = calloc(4, sizeof(char *));
	p.env[0] = strdup("MY_TOKEN=secret");
	p.env[1] = strdup("LANG=C");
	p.env[2] = strdup("HDR=Authorization: Basic xyz");
	p.argc = 2;
	p.argv = calloc(3, sizeof(char *));
	p.argv[0] = strdup("curl");
	p.argv[1] = strdup("Authorization: Bearer q");
	ck_assert_int_eq(fr_redact__process(r, &p), 3);
	ck_assert_str_eq(p.env[0], "MY_TOKEN=" FR_REDACTED);
	ck_assert_str_eq(p.env[1], "LANG=C");
	ck_assert_str_eq(p.env[2], "HDR=Authorization: *********");
	ck_assert_str_eq(p.argv[1], "Authorization: ********");
	fr_process__clear(&p);

	/* an event: exec env masked by env rules, I/O by payload rules, fdinfo untouched */
	memcpy(buf, "Authorization: k", 17);
	ev->type = FR_EV_SYSCALL;
	ev->n_payloads = 2;
	ev->payloads[0].kind = FR_PL_IN;
	ev->payloads[0].len = 16;
	ev->payloads[0].data = buf;
	ev->payloads[1].kind = FR_PL_FDINFO;
	ev->payloads[1].len = 16;
	ev->payloads[1].data = (const uint8_t *)"Authorization: k";
	ck_assert_uint_eq(fr_redact__event(r, ev), 1);
	ck_assert_str_eq((char *)buf, "Authorization: *");
	free(ev);
	fr_redact__free(r);
}
END_TEST

/* ---- the trigger protocol ---------------------------------------------------------- */

START_TEST(test_trigger_parse)
{
	struct fr_trigger_req q;
	char why[256];

	memset(&q, 0, sizeof(q));
	ck_assert_int_eq(fr_trigger__parse("trigger 1 1 disk is slow", &q, why, sizeof(why)), 0);
	ck_assert(q.wait);
	ck_assert_str_eq(q.reason, "disk is slow");
	ck_assert_int_eq(fr_trigger__parse("trigger 1 0 ", &q, why, sizeof(why)), 0);
	ck_assert(!q.wait);
	ck_assert_str_eq(q.reason, "");
	ck_assert_int_eq(fr_trigger__parse("trigger 1 0", &q, why, sizeof(why)), 0);
	ck_assert_int_eq(fr_trigger__parse("trigger 1 0 a\tb\x1b", &q, why, sizeof(why)), 0);
	ck_assert_str_eq(q.reason, "a?b?");
	ck_assert_int_eq(fr_trigger__parse("trigger 2 0 x", &q, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "version 2"), "%s", why);
	ck_assert_int_eq(fr_trigger__parse("trigger 1 2 x", &q, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(fr_trigger__parse("trigger x", &q, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(fr_trigger__parse("TRIGGER 1 0 x", &q, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(fr_trigger__parse("", &q, why, sizeof(why)), -EINVAL);
	{
		char longreq[2048];

		memset(longreq, 'a', sizeof(longreq));
		memcpy(longreq, "trigger 1 0 ", 12);
		longreq[sizeof(longreq) - 1] = '\0';
		ck_assert_int_eq(fr_trigger__parse(longreq, &q, why, sizeof(why)), 0);
		ck_assert_uint_eq(strlen(q.reason), FR_TRIGGER_REASON_MAX);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("daemon");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_rule_parse, 0, sizeof(rule_cases) / sizeof(rule_cases[0]));
	tcase_add_test(tc, test_rule_parse_values);
	tcase_add_test(tc, test_rule_latency);
	tcase_add_test(tc, test_rule_signal_oom_exit);
	tcase_add_test(tc, test_rule_tcp_rate);
	tcase_add_test(tc, test_ring_eviction);
	tcase_add_test(tc, test_ring_refs_survive_eviction);
	tcase_add_test(tc, test_ring_losses_and_order);
	tcase_add_test(tc, test_retention_names);
	tcase_add_test(tc, test_retention_apply);
	tcase_add_test(tc, test_retention_clean_temps);
	tcase_add_loop_test(tc, test_redact_payload, 0,
			    sizeof(redact_cases) / sizeof(redact_cases[0]));
	tcase_add_test(tc, test_redact_binary_and_rules);
	tcase_add_test(tc, test_redact_env);
	tcase_add_test(tc, test_trigger_parse);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
