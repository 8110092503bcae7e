// SPDX-License-Identifier: MIT
/*
 * engine.c: load, attach and drain the eBPF recorder (see engine.h).
 *
 * The shape of a libbpf-tools main(): probe, open, write settings into
 * rodata, switch off what this kernel cannot run, load, fill maps, attach,
 * poll.  Loading is retried: when the verifier refuses a tp_btf program its
 * raw_tp twin is tried instead, when it refuses that too the handler is
 * switched off (a fatal error for the handlers a recording cannot do
 * without: syscalls and process lifecycle).
 */
#include "capture/engine.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/fr_capture.skel.h"
#include "capture/assemble.h"
#include "capture/compat.h"
#include "capture/plan.h"
#include "formats/syscalls.h"
#include "formats/util.h"

enum attach_mode { AM_OFF = 0, AM_TP_BTF, AM_RAW_TP };

/* Every tracepoint the object has a handler for. */
static const struct {
	const char *tp;
	bool essential;
} handlers[] = {
    {"sys_enter", true},
    {"sys_exit", true},
    {"sched_process_fork", true},
    {"sched_process_exec", true},
    {"sched_process_exit", true},
    {"task_rename", false},
    {"sched_switch", false},
    {"sched_waking", false},
    {"sched_wakeup", false},
    {"sched_wakeup_new", false},
    {"sched_migrate_task", false},
    {"page_fault_user", false},
    {"mm_vmscan_direct_reclaim_begin", false},
    {"mm_vmscan_direct_reclaim_end", false},
    {"mm_vmscan_memcg_reclaim_begin", false},
    {"mm_vmscan_memcg_reclaim_end", false},
    {"mm_vmscan_memcg_softlimit_reclaim_begin", false},
    {"mm_vmscan_memcg_softlimit_reclaim_end", false},
    {"mm_vmscan_kswapd_wake", false},
    {"mm_vmscan_kswapd_sleep", false},
    {"mark_victim", false},
    {"inet_sock_set_state", false},
    {"tcp_retransmit_skb", false},
    {"tcp_send_reset", false},
    {"tcp_receive_reset", false},
    {"block_rq_issue", false},
    {"block_rq_complete", false},
    {"signal_generate", false},
    {"signal_deliver", false},
    /* exits before entries: attached in this order, so that an entry is
     * never seen without its exit (which would leave a depth counter up) */
    {"irq_handler_exit", false},
    {"local_timer_exit", false},
    {"reschedule_exit", false},
    {"call_function_exit", false},
    {"call_function_single_exit", false},
    {"irq_work_exit", false},
    {"softirq_exit", false},
    {"hrtimer_expire_exit", false},
    {"timer_expire_exit", false},
    {"irq_handler_entry", false},
    {"local_timer_entry", false},
    {"reschedule_entry", false},
    {"call_function_entry", false},
    {"call_function_single_entry", false},
    {"irq_work_entry", false},
    {"softirq_entry", false},
    {"hrtimer_expire_entry", false},
    {"timer_expire_entry", false},
};
#define NHANDLERS FR_ARRAY_SIZE(handlers)

struct fr_engine {
	struct fr_engine_opts o;
	struct fr_compat compat;
	struct fr_capture_bpf *skel;
	struct bpf_link *links[NHANDLERS];
	enum attach_mode mode[NHANDLERS];
	char why[NHANDLERS][160]; /* why a handler is not as wanted */
	bool state_hash;
	struct ring_buffer *ring;
	struct fr_asm *asm_;
	unsigned ncpus;
	uint64_t ring_bytes;
	uint64_t wake_bytes;
	uint64_t records, ring_records, ring_bytes_read, bad_records;
	int cb_err;
	char plan_warn[256];
};

/* ---- libbpf's log: quiet unless -v, the tail kept for error reports ---------- */

static bool log_verbose;
static char log_tail[32768];
static size_t log_len;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (log_verbose) {
		va_list cp;

		va_copy(cp, ap);
		vfprintf(stderr, fmt, cp);
		va_end(cp);
	}
	if (level == LIBBPF_DEBUG && !log_verbose)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n <= 0)
		return 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (log_len + (size_t)n >= sizeof(log_tail)) {
		/* keep the newest half */
		size_t keep = sizeof(log_tail) / 2;

		memmove(log_tail, log_tail + log_len - keep, keep);
		log_len = keep;
	}
	memcpy(log_tail + log_len, line, (size_t)n);
	log_len += (size_t)n;
	log_tail[log_len] = '\0';
	return 0;
}

/* The program libbpf said it failed to load, from the log. */
static int failed_handler(char *prog, size_t len)
{
	const char *p = log_tail, *q = NULL, *m;
	size_t i, n;

	while ((m = strstr(p, "': failed to load"))) {
		q = m;
		p = m + 1;
	}
	if (!q)
		return -1;
	for (m = q; m > log_tail && m[-1] != '\''; m--)
		;
	n = (size_t)(q - m);
	if (n >= len)
		return -1;
	memcpy(prog, m, n);
	prog[n] = '\0';
	for (i = 0; i < NHANDLERS; i++)
		if (!strcmp(prog + 3, handlers[i].tp) &&
		    (!strncmp(prog, "tb_", 3) || !strncmp(prog, "rt_", 3)))
			return (int)i;
	return -1;
}

static struct bpf_program *prog_of(struct fr_engine *e, size_t i, enum attach_mode m)
{
	char name[96];

	snprintf(name, sizeof(name), "%s_%s", m == AM_TP_BTF ? "tb" : "rt", handlers[i].tp);
	return bpf_object__find_program_by_name(e->skel->obj, name);
}

static uint64_t pow2_at_least(uint64_t v)
{
	uint64_t p = 4096;

	while (p < v && p < (1ULL << 30))
		p <<= 1;
	return p;
}

/* Open the skeleton and configure it for the current handler modes. */
static int open_skel(struct fr_engine *e, char *err, size_t errlen)
{
	struct fr_bpf_config *cfg;
	size_t i;
	int rc;

	e->skel = fr_capture_bpf__open();
	if (!e->skel) {
		rc = -errno;
		snprintf(err, errlen, "opening the eBPF object failed: %s", strerror(-rc));
		return rc;
	}
	e->state_hash = !e->compat.task_storage;
	for (i = 0; i < NHANDLERS; i++)
		if (e->mode[i] == AM_RAW_TP)
			e->state_hash = true; /* raw_tp cannot reach other tasks' storage */
	cfg = (struct fr_bpf_config *)&e->skel->rodata->cfg;
	cfg->mode = e->o.mode;
	cfg->agent_tgid = (uint32_t)getpid();
	cfg->snaplen = e->o.snaplen;
	cfg->wake_bytes = e->wake_bytes;
	cfg->state_hash = e->state_hash;
	/* look at the backlog about every wake_bytes / 256 records (a small
	 * syscall record is some 200 bytes), at most every 64 */
	{
		uint64_t every = e->wake_bytes / 256, p2 = 1;

		while (p2 * 2 <= every && p2 < 64)
			p2 *= 2;
		cfg->wake_check_mask = (uint32_t)(p2 - 1);
	}
	if (e->o.n_pids)
		cfg->filters |= FR_FILTER_PID;
	if (e->o.n_comms)
		cfg->filters |= FR_FILTER_COMM;
	if (e->o.n_cgroups)
		cfg->filters |= FR_FILTER_CGROUP;

	bpf_map__set_max_entries(e->skel->maps.rb, (uint32_t)e->ring_bytes);
	bpf_map__set_max_entries(e->skel->maps.scratch, e->ncpus);
	bpf_map__set_max_entries(e->skel->maps.pscratch, e->ncpus);
	bpf_map__set_max_entries(e->skel->maps.lstate, e->ncpus);
	if (!e->compat.task_storage)
		bpf_map__set_autocreate(e->skel->maps.tstore, false);

	for (i = 0; i < NHANDLERS; i++) {
		bpf_program__set_autoload(prog_of(e, i, AM_TP_BTF), e->mode[i] == AM_TP_BTF);
		bpf_program__set_autoload(prog_of(e, i, AM_RAW_TP), e->mode[i] == AM_RAW_TP);
	}
	return 0;
}

static int load(struct fr_engine *e, char *err, size_t errlen)
{
	char prog[96];
	unsigned attempt;
	int rc, h;

	for (attempt = 0; attempt < 2 * NHANDLERS + 1; attempt++) {
		rc = open_skel(e, err, errlen);
		if (rc)
			return rc;
		log_len = 0;
		log_tail[0] = '\0';
		rc = fr_capture_bpf__load(e->skel);
		if (!rc)
			return 0;
		h = failed_handler(prog, sizeof(prog));
		fr_capture_bpf__destroy(e->skel);
		e->skel = NULL;
		if (h < 0) {
			snprintf(err, errlen, "loading the eBPF recorder failed: %s%s",
				 strerror(-rc),
				 log_verbose ? "" : " (run with -v for the kernel's log)");
			return rc;
		}
		if (e->mode[h] == AM_TP_BTF) {
			e->mode[h] = AM_RAW_TP;
			snprintf(e->why[h], sizeof(e->why[h]),
				 "tp_btf program refused (%s), raw_tp used", strerror(-rc));
		} else {
			e->mode[h] = AM_OFF;
			snprintf(e->why[h], sizeof(e->why[h]),
				 "refused by the kernel's verifier (%s)", strerror(-rc));
			if (handlers[h].essential) {
				snprintf(err, errlen,
					 "the kernel refused the handler of tracepoint %s, which a "
					 "recording cannot do without: %s%s",
					 handlers[h].tp, strerror(-rc),
					 log_verbose ? ""
						     : " (run with -v for the verifier's log)");
				return rc;
			}
		}
		if (e->mode[h] == AM_OFF)
			pr_warn("warning: the kernel refused the handler of tracepoint %s: "
				"recording without it%s\n",
				handlers[h].tp,
				log_verbose ? "" : " (-v shows the verifier's log)");
		else
			pr_info("%s: %s\n", handlers[h].tp, e->why[h]);
	}
	snprintf(err, errlen, "loading the eBPF recorder failed after %u attempts", attempt);
	return -EINVAL;
}

static int fill_maps(struct fr_engine *e, char *err, size_t errlen)
{
	int fd = bpf_map__fd(e->skel->maps.plans), rc;
	uint8_t one = 1;
	uint32_t nr;
	size_t i;

	for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
		struct fr_sc_plan p;
		char why[200];

		why[0] = '\0';
		rc = fr_plan_build(fr_syscall(nr), &p, why, sizeof(why));
		if (rc && !e->plan_warn[0])
			snprintf(e->plan_warn, sizeof(e->plan_warn), "%s", why);
		if (rc)
			pr_info("capture plan: %s\n", why);
		if (bpf_map_update_elem(fd, &nr, &p, BPF_ANY)) {
			rc = -errno;
			snprintf(err, errlen, "filling the capture plan failed: %s", strerror(-rc));
			return rc;
		}
	}
	for (i = 0; i < e->o.n_pids; i++)
		if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.filter_pids), &e->o.pids[i], &one,
					BPF_ANY))
			goto filter_fail;
	for (i = 0; i < e->o.n_comms; i++) {
		char comm[FR_COMM_LEN] = {0};

		snprintf(comm, sizeof(comm), "%s", e->o.comms[i]);
		if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.filter_comms), comm, &one,
					BPF_ANY))
			goto filter_fail;
	}
	for (i = 0; i < e->o.n_cgroups; i++)
		if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.filter_cgroups), &e->o.cgroups[i],
					&one, BPF_ANY))
			goto filter_fail;
	return 0;
filter_fail:
	rc = -errno;
	snprintf(err, errlen, "setting the filters failed: %s (at most 1024 of each kind)",
		 strerror(-rc));
	return rc;
}

static int attach(struct fr_engine *e, char *err, size_t errlen)
{
	size_t i;
	int rc;

	for (i = 0; i < NHANDLERS; i++) {
		if (e->mode[i] == AM_OFF)
			continue;
		e->links[i] = bpf_program__attach(prog_of(e, i, e->mode[i]));
		if (e->links[i])
			continue;
		rc = -errno;
		snprintf(e->why[i], sizeof(e->why[i]), "attach failed: %s", strerror(-rc));
		e->mode[i] = AM_OFF;
		if (handlers[i].essential) {
			snprintf(err, errlen, "attaching to tracepoint %s failed: %s",
				 handlers[i].tp, strerror(-rc));
			return rc;
		}
		pr_warn("tracepoint %s: %s; recording without it\n", handlers[i].tp, e->why[i]);
	}
	return 0;
}

static int deliver(struct fr_engine *e, const void *rec, size_t len)
{
	int rc;

	e->records++;
	if (!e->o.on_record)
		return 0;
	rc = e->o.on_record(e->o.ctx, rec, len);
	if (rc < 0)
		e->cb_err = rc;
	return rc;
}

static int ring_cb(void *ctx, void *data, size_t size)
{
	struct fr_engine *e = ctx;
	struct fr_rec_hdr h;
	const void *out;
	size_t out_len;
	int rc;

	e->ring_records++;
	e->ring_bytes_read += size;
	if (size < sizeof(h)) {
		e->bad_records++;
		return 0;
	}
	memcpy(&h, data, sizeof(h));
	if (h.size > size || h.size < sizeof(h)) {
		e->bad_records++;
		return 0;
	}
	if (h.type == FR_REC_PIECE) {
		rc = fr_asm__add_piece(e->asm_, data, h.size);
		return rc == -ENOMEM ? rc : 0;
	}
	if (fr_asm__needs_merge(data, h.size)) {
		rc = fr_asm__merge(e->asm_, data, h.size, &out, &out_len);
		if (rc == -ENOMEM)
			return rc;
		if (rc)
			return 0; /* counted by the assembler */
		return deliver(e, out, out_len);
	}
	return deliver(e, data, h.size);
}

int fr_engine__open(const struct fr_engine_opts *o, struct fr_engine **out, char *err,
		    size_t errlen)
{
	struct fr_engine *e;
	size_t i;
	int rc, n;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	e->o = *o;
	log_verbose = o->verbose;
	libbpf_set_print(print_fn);

	rc = fr_compat__probe(&e->compat, err, errlen);
	if (rc)
		goto fail;
	n = libbpf_num_possible_cpus();
	if (n <= 0) {
		rc = n ? n : -EINVAL;
		snprintf(err, errlen, "counting the CPUs failed: %s", strerror(-rc));
		goto fail;
	}
	e->ncpus = (unsigned)n;
	if (e->ncpus > 512) {
		rc = -E2BIG;
		snprintf(err, errlen, "more than 512 possible CPUs are not supported yet");
		goto fail;
	}
	e->ring_bytes = pow2_at_least(o->ring_bytes ? o->ring_bytes : (64ULL << 20));
	e->wake_bytes = o->wake_bytes ? o->wake_bytes : e->ring_bytes / 32;
	for (i = 0; i < NHANDLERS; i++) {
		if (!fr_compat__has_tracepoint(&e->compat, handlers[i].tp)) {
			e->mode[i] = AM_OFF;
			snprintf(e->why[i], sizeof(e->why[i]), "tracepoint not in this kernel");
			if (handlers[i].essential) {
				rc = -ENOTSUP;
				snprintf(
				    err, errlen,
				    "this kernel has no tracepoint %s, which a recording cannot "
				    "do without",
				    handlers[i].tp);
				goto fail;
			}
			continue;
		}
		e->mode[i] = e->compat.tp_btf ? AM_TP_BTF : AM_RAW_TP;
	}
	rc = fr_asm__new(&e->asm_);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rc = load(e, err, errlen);
	if (rc)
		goto fail;
	rc = fill_maps(e, err, errlen);
	if (rc)
		goto fail;
	rc = attach(e, err, errlen);
	if (rc)
		goto fail;
	e->ring = ring_buffer__new(bpf_map__fd(e->skel->maps.rb), ring_cb, e, NULL);
	if (!e->ring) {
		rc = -errno;
		snprintf(err, errlen, "opening the ring buffer failed: %s", strerror(-rc));
		goto fail;
	}
	*out = e;
	return 0;
fail:
	fr_engine__free(e);
	return rc < 0 ? rc : -EINVAL;
}

int fr_engine__arm(struct fr_engine *e, pid_t pid, char *err, size_t errlen)
{
	size_t vsz = bpf_map__value_size(e->skel->maps.tstore);
	struct fr_task *v;
	int fd, key, rc = 0;

	v = calloc(1, vsz < sizeof(*v) ? sizeof(*v) : vsz);
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	v->state = FR_TS_ARMED;
	v->sc_nr = FR_NO_SYSCALL;
	if (e->state_hash) {
		uint32_t tid = (uint32_t)pid;

		if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.thash), &tid, v, BPF_ANY))
			rc = -errno;
	} else {
		fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (fd < 0) {
			rc = -errno;
		} else {
			key = fd;
			if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.tstore), &key, v,
						BPF_ANY))
				rc = -errno;
			close(fd);
		}
	}
	free(v);
	if (rc)
		snprintf(err, errlen, "marking process %d for recording failed: %s", (int)pid,
			 strerror(-rc));
	return rc;
}

int fr_engine__poll(struct fr_engine *e, int timeout_ms)
{
	int rc;

	e->cb_err = 0;
	rc = ring_buffer__poll(e->ring, timeout_ms);
	if (rc == -EINTR)
		rc = 0;
	/* records go in without waking us (wake_flags in the BPF side): a
	 * poll that timed out has consumed nothing, so take what is there */
	if (rc >= 0 && !e->cb_err) {
		int more = ring_buffer__consume(e->ring);

		rc = more < 0 ? more : rc + more;
	}
	if (e->cb_err)
		return e->cb_err;
	return rc;
}

int fr_engine__drain(struct fr_engine *e)
{
	int rc;

	e->cb_err = 0;
	rc = ring_buffer__consume(e->ring);
	if (e->cb_err)
		return e->cb_err;
	return rc;
}

void fr_engine__cpu_losses(const struct fr_engine *e, unsigned cpu,
			   uint64_t losses[FR_LOSS_CAUSE_COUNT])
{
	unsigned c;

	for (c = 0; c < FR_LOSS_CAUSE_COUNT; c++)
		losses[c] = cpu < e->ncpus ? e->skel->bss->pcpu[cpu].losses[c] : 0;
}

void fr_engine__stats(const struct fr_engine *e, struct fr_engine_stats *st)
{
	struct fr_asm_stats as;
	unsigned cpu, c;

	memset(st, 0, sizeof(*st));
	for (cpu = 0; cpu < e->ncpus; cpu++) {
		for (c = 0; c < FR_LOSS_CAUSE_COUNT; c++)
			st->losses[c] += e->skel->bss->pcpu[cpu].losses[c];
		for (c = 0; c < FR_STAT_COUNT; c++)
			st->kstats[c] += e->skel->bss->pcpu[cpu].stats[c];
	}
	fr_asm__stats(e->asm_, &as);
	st->records = e->records;
	st->ring_records = e->ring_records;
	st->ring_bytes = e->ring_bytes_read;
	st->pieces = as.pieces;
	st->stale_pieces = as.stale_pieces;
	st->items_short = as.items_short;
	st->bad_records = e->bad_records + as.bad_records;
	st->ncpus = e->ncpus;
}

json_t *fr_engine__features(const struct fr_engine *e)
{
	json_t *f = json_object(), *tps = json_object();
	size_t i;

	fr_compat__to_json(&e->compat, f);
	json_object_set_new(f, "tp_btf", json_pack("{s:b}", "used", e->compat.tp_btf));
	json_object_set_new(f, "state",
			    json_pack("{s:b,s:s}", "used", 1, "detail",
				      e->state_hash ? "per-task state in a hash map by tid"
						    : "per-task state in task local storage"));
	for (i = 0; i < NHANDLERS; i++) {
		json_t *o = json_pack("{s:b,s:s}", "used", e->mode[i] != AM_OFF, "attach",
				      e->mode[i] == AM_TP_BTF	? "tp_btf"
				      : e->mode[i] == AM_RAW_TP ? "raw_tp"
								: "none");

		if (e->why[i][0])
			json_object_set_new(o, "detail", json_string(e->why[i]));
		json_object_set_new(tps, handlers[i].tp, o);
	}
	json_object_set_new(f, "tracepoints", tps);
	if (e->plan_warn[0])
		json_object_set_new(f, "capture_plan",
				    json_pack("{s:b,s:s}", "used", 1, "detail", e->plan_warn));
	return f;
}

uint64_t fr_engine__ring_bytes(const struct fr_engine *e)
{
	return e->ring_bytes;
}

int fr_engine__flush_lost(struct fr_engine *e)
{
	struct {
		struct fr_rec_hdr h;
		struct fr_ev_lost l;
	} r;
	unsigned cpu;
	int rc = 0;

	for (cpu = 0; cpu < e->ncpus && !rc; cpu++) {
		struct fr_pcpu *c = &e->skel->bss->pcpu[cpu];
		uint64_t n = c->lost_pending;

		if (!n)
			continue;
		memset(&r, 0, sizeof(r));
		r.h.ts_ns = c->lost_first_ns;
		r.h.type = FR_EV_LOST;
		r.h.cpu = (uint16_t)cpu;
		r.h.size = sizeof(r);
		r.l.count = n;
		r.l.cause = FR_LOSS_RING_FULL;
		c->lost_pending = 0;
		rc = deliver(e, &r, sizeof(r));
	}
	return rc < 0 ? rc : 0;
}

void fr_engine__free(struct fr_engine *e)
{
	size_t i;

	if (!e)
		return;
	ring_buffer__free(e->ring);
	for (i = 0; i < NHANDLERS; i++)
		bpf_link__destroy(e->links[i]);
	fr_capture_bpf__destroy(e->skel);
	fr_asm__free(e->asm_);
	fr_compat__free(&e->compat);
	free(e);
}
