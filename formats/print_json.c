// SPDX-License-Identifier: MIT
/*
 * print_json.c: an event as a JSON object (`flightrec events --json`), one
 * member per field, with names where the text line has names.  The schema
 * is documented field by field in docs/events.md; members may be added,
 * never renamed.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "formats/jsonutil.h"
#include "formats/print.h"
#include "formats/print_impl.h"
#include "formats/syscalls.h"

/* jansson integers are signed 64-bit: values above INT64_MAX (addresses
 * with the top bit set are not among them on x86-64 user space, but
 * arguments are registers) are emitted as their two's-complement value. */
static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static void set(json_t *o, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(o, k, v);
}

/* A member whose value is what a printer appends to an fr_sb. */
static json_t *jsb(struct fr_sb *sb)
{
	json_t *v = fr_json_text(fr_sb_str(sb));

	fr_sb_reset(sb);
	return v;
}

static json_t *jname(const char *name)
{
	return name ? json_string(name) : json_null();
}

static json_t *jcomm(const char *comm)
{
	char buf[FR_COMM_LEN + 1];

	memcpy(buf, comm, FR_COMM_LEN);
	buf[FR_COMM_LEN] = '\0';
	return fr_json_str(buf);
}

/* NUL-separated strings as an array of fr_json_bytes values. */
static json_t *jstrv(const struct fr_payload *p)
{
	json_t *a = json_array();
	size_t off = 0;

	while (a && off < p->len) {
		const uint8_t *nul = memchr(p->data + off, 0, p->len - off);
		size_t n = nul ? (size_t)(nul - (p->data + off)) : p->len - off;

		json_array_append_new(a, fr_json_bytes((const char *)p->data + off, n));
		off += n + 1;
	}
	return a;
}

static json_t *jstring_payload(const struct fr_payload *p)
{
	const uint8_t *nul = p->len ? memchr(p->data, 0, p->len) : NULL;

	return fr_json_bytes((const char *)p->data, nul ? (size_t)(nul - p->data) : p->len);
}

static json_t *jtuple(const struct fr_sock_tuple *t, struct fr_sb *sb)
{
	json_t *o = json_object();

	set(o, "family", jname(fr_fmt_value_name(FR_FMT_SOCK_FAMILY, t->family)));
	fr_print_sockaddr(sb, t, true);
	set(o, "local", jsb(sb));
	fr_print_sockaddr(sb, t, false);
	set(o, "remote", jsb(sb));
	set(o, "sport", json_integer(t->sport));
	set(o, "dport", json_integer(t->dport));
	set(o, "protocol", json_integer(t->protocol));
	return o;
}

static json_t *jfdinfo(const struct fr_payload *p, struct fr_sb *sb)
{
	struct fr_fdinfo fi;
	json_t *o;

	if (p->len < sizeof(fi))
		return NULL;
	memcpy(&fi, p->data, sizeof(fi));
	o = json_object();
	set(o, "fd", json_integer(fi.fd));
	set(o, "type", jname(fr_fd_type_name(fi.type)));
	set(o, "ino", jint(fi.ino));
	set(o, "dev", jint(fi.dev));
	set(o, "pos", jint(fi.pos));
	if (fi.type == FR_FD_SOCKET) {
		set(o, "sock_type", json_integer(fi.sock_type));
		if (fi.tuple.family)
			set(o, "tuple", jtuple(&fi.tuple, sb));
	}
	fr_print_fdinfo(sb, &fi);
	set(o, "text", jsb(sb));
	return o;
}

static json_t *jpayloads(const struct fr_event *ev, struct fr_sb *sb)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; a && i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++) {
		const struct fr_payload *p = &ev->payloads[i];
		json_t *o = json_object();

		set(o, "kind", jname(fr_payload_kind_name(p->kind)));
		set(o, "arg", p->arg == 0xff ? json_null() : json_integer(p->arg));
		set(o, "part", json_integer(p->part));
		set(o, "len", json_integer(p->len));
		set(o, "full_len", json_integer(p->full_len));
		set(o, "truncated",
		    json_boolean(p->len < p->full_len || (p->flags & FR_PLF_TRUNCATED)));
		set(o, "fault", json_boolean(p->flags & FR_PLF_FAULT));
		set(o, "data", fr_json_bytes((const char *)p->data, p->len));
		if (p->kind == FR_PL_FDINFO)
			set(o, "fdinfo", jfdinfo(p, sb));
		json_array_append_new(a, o);
	}
	return a;
}

static void syscall_json(json_t *obj, const struct fr_event *ev, const struct fr_print_opts *o,
			 struct fr_sb *sb)
{
	const struct fr_ev_syscall *sc = &ev->u.sc;
	const struct fr_syscall_desc *d = fr_syscall(sc->nr);
	bool no_enter = sc->flags & FR_SC_NO_ENTER, no_exit = sc->flags & FR_SC_NO_EXIT;
	json_t *args = json_array(), *dec = json_array();
	unsigned i, n = d ? d->nargs : 6;

	set(obj, "nr", json_integer(sc->nr));
	set(obj, "name", jname(d ? d->name : NULL));
	for (i = 0; i < n && i < 6; i++)
		json_array_append_new(args, jint(sc->args[i]));
	set(obj, "args", args);
	set(obj, "ret", no_exit ? json_null() : json_integer(sc->ret));
	if (!no_exit && sc->ret < 0 && sc->ret >= -4095) {
		set(obj, "errno", jname(fr_errno_name((int)-sc->ret)));
		set(obj, "errno_text", jname(fr_errno_text((int)-sc->ret)));
	}
	set(obj, "enter_ns", no_enter ? json_null() : jint(sc->enter_ns));
	set(obj, "duration_ns",
	    no_enter || no_exit || sc->enter_ns > ev->ts_ns ? json_null()
							    : jint(ev->ts_ns - sc->enter_ns));
	set(obj, "no_enter", json_boolean(no_enter));
	set(obj, "no_exit", json_boolean(no_exit));
	set(obj, "payload_cut", json_boolean(sc->flags & FR_SC_PAYLOAD_CUT));
	set(obj, "payload_fault", json_boolean(sc->flags & FR_SC_PAYLOAD_FAULT));
	/* The decoded arguments, one string each, as the text line shows them
	 * (fewer than nargs where strace leaves arguments out). */
	if (!no_enter) {
		n = fr_syscall_nargs_shown(ev);
		for (i = 0; i < n; i++) {
			fr_print_syscall_arg(sb, ev, i, o);
			json_array_append_new(dec, jsb(sb));
		}
		set(obj, "decoded", dec);
	} else {
		json_decref(dec);
		set(obj, "decoded", json_null());
	}
	fr_print_syscall_ret(sb, ev, o);
	set(obj, "result", jsb(sb));
	set(obj, "payloads", jpayloads(ev, sb));
}

static void other_json(json_t *obj, const struct fr_event *ev, const struct fr_print_opts *o,
		       struct fr_sb *sb)
{
	const struct fr_payload *p;
	const char *c;

	switch (ev->type) {
	case FR_EV_SCHED_SWITCH: {
		const struct fr_ev_sched_switch *s = &ev->u.sw;

		set(obj, "prev_comm", jcomm(s->prev_comm));
		set(obj, "prev_tid", json_integer(ev->tid));
		set(obj, "prev_prio", json_integer(s->prev_prio));
		set(obj, "prev_state", json_integer(s->prev_state));
		fr_print_task_state(sb, s->prev_state);
		set(obj, "prev_state_text", jsb(sb));
		set(obj, "next_comm", jcomm(s->next_comm));
		set(obj, "next_pid", json_integer(s->next_pid));
		set(obj, "next_tid", json_integer(s->next_tid));
		set(obj, "next_prio", json_integer(s->next_prio));
		break;
	}
	case FR_EV_SCHED_WAKEUP: {
		const struct fr_ev_sched_wakeup *w = &ev->u.wake;
		static const char *const ctx[] = {"task", "hardirq", "softirq", "nmi", "timer"};

		set(obj, "target_comm", jcomm(w->target_comm));
		set(obj, "target_pid", json_integer(w->target_pid));
		set(obj, "target_tid", json_integer(w->target_tid));
		set(obj, "target_cpu", json_integer(w->target_cpu));
		set(obj, "waking", json_boolean(w->flags & FR_WAKE_WAKING));
		set(obj, "wakeup", json_boolean(w->flags & FR_WAKE_WAKEUP));
		set(obj, "new", json_boolean(w->flags & FR_WAKE_NEW));
		set(obj, "ctx", jname(w->ctx < FR_ARRAY_SIZE(ctx) ? ctx[w->ctx] : NULL));
		set(obj, "ctx_info", json_integer(w->ctx_info));
		if (w->ctx == FR_CTX_SOFTIRQ)
			set(obj, "softirq", jname(fr_softirq_name(w->ctx_info)));
		break;
	}
	case FR_EV_SCHED_MIGRATE:
		set(obj, "target_pid", json_integer(ev->u.mig.target_pid));
		set(obj, "target_tid", json_integer(ev->u.mig.target_tid));
		c = o->comm_of ? o->comm_of(o->ctx, ev->u.mig.target_pid, ev->u.mig.target_tid)
			       : NULL;
		set(obj, "target_comm", c ? fr_json_str(c) : json_null());
		set(obj, "orig_cpu", json_integer(ev->u.mig.orig_cpu));
		set(obj, "dest_cpu", json_integer(ev->u.mig.dest_cpu));
		break;
	case FR_EV_PROC_FORK: {
		const struct fr_ev_proc_fork *f = &ev->u.fork;

		set(obj, "child_pid", json_integer(f->child_pid));
		set(obj, "child_tid", json_integer(f->child_tid));
		set(obj, "child_comm", jcomm(f->child_comm));
		set(obj, "clone_flags", jint(f->clone_flags));
		fr_print_flags(sb, FR_FMT_CLONE_FLAGS, f->clone_flags);
		set(obj, "clone_flags_text", jsb(sb));
		set(obj, "thread",
		    json_boolean((f->clone_flags & 0x10000) ||
				 (f->child_pid == ev->pid && f->child_tid != f->child_pid)));
		break;
	}
	case FR_EV_PROC_EXEC:
		set(obj, "comm", jcomm(ev->u.exec.comm));
		set(obj, "old_tid", json_integer(ev->u.exec.old_tid));
		p = fr_event_payload(ev, FR_PL_EXEC_FILENAME, -1, -1);
		set(obj, "filename", p ? jstring_payload(p) : json_null());
		p = fr_event_payload(ev, FR_PL_EXEC_ARGV, -1, -1);
		set(obj, "argv", p ? jstrv(p) : json_null());
		if (p)
			set(obj, "argv_truncated", json_boolean(p->len < p->full_len));
		p = fr_event_payload(ev, FR_PL_EXEC_ENV, -1, -1);
		if (p)
			set(obj, "env", jstrv(p));
		break;
	case FR_EV_PROC_EXIT: {
		int s = ev->u.exit.status;

		set(obj, "status", json_integer(s));
		if ((s & 0x7f) == 0) {
			set(obj, "exit_code", json_integer((s >> 8) & 0xff));
		} else if ((s & 0x7f) != 0x7f) {
			set(obj, "signal", jname(fr_signal_name(s & 0x7f)));
			set(obj, "core_dumped", json_boolean(s & 0x80));
		}
		set(obj, "group_dead", json_boolean(ev->u.exit.flags & FR_EXIT_GROUP_DEAD));
		fr_print_exit_status(sb, s);
		set(obj, "status_text", jsb(sb));
		break;
	}
	case FR_EV_PROC_COMM:
		set(obj, "old_comm", jcomm(ev->u.comm.old_comm));
		set(obj, "new_comm", jcomm(ev->u.comm.new_comm));
		break;
	case FR_EV_PAGE_FAULT: {
		const struct fr_ev_page_fault *f = &ev->u.pf;

		set(obj, "address", jint(f->address));
		set(obj, "ip", jint(f->ip));
		set(obj, "error_code", json_integer(f->error_code));
		set(obj, "major", json_boolean(f->flags & FR_PF_MAJOR));
		set(obj, "user", json_boolean(f->flags & FR_PF_USER));
		set(obj, "write", json_boolean(f->flags & FR_PF_WRITE));
		set(obj, "start_ns", f->start_ns ? jint(f->start_ns) : json_null());
		set(obj, "duration_ns",
		    f->start_ns && f->start_ns <= ev->ts_ns ? jint(ev->ts_ns - f->start_ns)
							    : json_null());
		break;
	}
	case FR_EV_RECLAIM: {
		const struct fr_ev_reclaim *r = &ev->u.reclaim;
		static const char *const kinds[] = {NULL,	  "direct", "memcg",
						    "memcg_soft", "kswapd", "compaction"};

		set(obj, "kind", jname(r->kind < FR_ARRAY_SIZE(kinds) ? kinds[r->kind] : NULL));
		set(obj, "nr_reclaimed", jint(r->nr_reclaimed));
		set(obj, "order", json_integer(r->order));
		set(obj, "gfp_flags", jint(r->gfp_flags));
		set(obj, "memcg_id", jint(r->memcg_id));
		set(obj, "start_ns", r->start_ns ? jint(r->start_ns) : json_null());
		set(obj, "duration_ns",
		    r->start_ns && r->start_ns <= ev->ts_ns ? jint(ev->ts_ns - r->start_ns)
							    : json_null());
		break;
	}
	case FR_EV_OOM_KILL: {
		const struct fr_ev_oom_kill *k = &ev->u.oom;

		set(obj, "victim_pid", json_integer(k->victim_pid));
		set(obj, "victim_comm", jcomm(k->victim_comm));
		set(obj, "uid", json_integer(k->uid));
		set(obj, "oom_score_adj", json_integer(k->oom_score_adj));
		set(obj, "total_vm_kb", jint(k->total_vm_kb));
		set(obj, "anon_rss_kb", jint(k->anon_rss_kb));
		set(obj, "file_rss_kb", jint(k->file_rss_kb));
		set(obj, "shmem_rss_kb", jint(k->shmem_rss_kb));
		set(obj, "memcg_id", jint(k->memcg_id));
		break;
	}
	case FR_EV_TCP_STATE:
	case FR_EV_TCP_RETRANSMIT:
	case FR_EV_TCP_RESET: {
		const struct fr_ev_tcp *t = &ev->u.tcp;

		set(obj, "tuple", jtuple(&t->tuple, sb));
		set(obj, "sock_id", jint(t->sock_id));
		if (ev->type == FR_EV_TCP_STATE)
			set(obj, "oldstate", jname(fr_tcp_state_name(t->oldstate)));
		set(obj, "newstate", jname(fr_tcp_state_name(t->newstate)));
		break;
	}
	case FR_EV_BLOCK_ISSUE:
	case FR_EV_BLOCK_COMPLETE: {
		const struct fr_ev_block *b = &ev->u.blk;
		char rwbs[sizeof(b->rwbs) + 1];

		memcpy(rwbs, b->rwbs, sizeof(b->rwbs));
		rwbs[sizeof(b->rwbs)] = '\0';
		set(obj, "major", json_integer(b->dev >> 20));
		set(obj, "minor", json_integer(b->dev & 0xfffff));
		set(obj, "sector", jint(b->sector));
		set(obj, "nr_bytes", json_integer(b->nr_bytes));
		set(obj, "rwbs", fr_json_str(rwbs));
		if (ev->type == FR_EV_BLOCK_COMPLETE) {
			set(obj, "error", json_integer(b->error));
			if (b->error)
				set(obj, "errno", jname(fr_errno_name(-b->error)));
			set(obj, "issue_ns", b->issue_ns ? jint(b->issue_ns) : json_null());
			set(obj, "latency_ns",
			    b->issue_ns && b->issue_ns <= ev->ts_ns ? jint(ev->ts_ns - b->issue_ns)
								    : json_null());
		}
		break;
	}
	case FR_EV_SIGNAL_GENERATE: {
		const struct fr_ev_signal_generate *g = &ev->u.sig_gen;
		static const char *const res[] = {"delivered", "ignored", "already_pending",
						  "overflow_fail", "lose_info"};

		set(obj, "sig", json_integer(g->sig));
		set(obj, "signal", jname(fr_signal_name(g->sig)));
		set(obj, "target_pid", json_integer(g->target_pid));
		set(obj, "target_tid", json_integer(g->target_tid));
		set(obj, "code", json_integer(g->code));
		set(obj, "code_name", jname(fr_si_code_name(g->sig, g->code)));
		set(obj, "result",
		    jname(g->result >= 0 && (size_t)g->result < FR_ARRAY_SIZE(res) ? res[g->result]
										   : NULL));
		break;
	}
	case FR_EV_SIGNAL_DELIVER: {
		const struct fr_ev_signal_deliver *s = &ev->u.sig_del;

		set(obj, "sig", json_integer(s->sig));
		set(obj, "signal", jname(fr_signal_name(s->sig)));
		set(obj, "code", json_integer(s->code));
		set(obj, "code_name", jname(fr_si_code_name(s->sig, s->code)));
		set(obj, "sa_handler", jint(s->sa_handler));
		set(obj, "sa_flags", jint(s->sa_flags));
		fr_print_flags(sb, FR_FMT_SA_FLAGS, s->sa_flags);
		set(obj, "sa_flags_text", jsb(sb));
		break;
	}
	case FR_EV_LOST:
		set(obj, "count", jint(ev->u.lost.count));
		set(obj, "cause", jname(fr_loss_cause_name(ev->u.lost.cause)));
		break;
	case FR_EV_MARK: {
		static const char *const kinds[] = {NULL, "trigger", "window_start", "window_end",
						    "note"};

		set(obj, "kind",
		    jname(ev->u.mark.kind < FR_ARRAY_SIZE(kinds) ? kinds[ev->u.mark.kind] : NULL));
		p = fr_event_payload(ev, FR_PL_TEXT, -1, -1);
		set(obj, "text", p ? fr_json_bytes((const char *)p->data, p->len) : json_null());
		break;
	}
	default:
		break;
	}
}

int fr_event_to_json(struct json_t *obj, const struct fr_event *ev, const struct fr_print_opts *o)
{
	static const struct fr_print_opts defaults;
	const char *comm;
	struct fr_sb sb;
	char buf[64];
	bool oom;

	if (!o)
		o = &defaults;
	fr_sb_init(&sb);
	set(obj, "ts_ns", jint(ev->ts_ns));
	set(obj, "rel_ns", json_integer((json_int_t)(ev->ts_ns - o->t0_ns)));
	fr_fmt_utc(buf, sizeof(buf), ev->ts_ns, o->clock_to_utc_ns);
	set(obj, "utc", json_string(buf));
	comm = o->comm_of ? o->comm_of(o->ctx, ev->pid, ev->tid) : NULL;
	set(obj, "comm", comm ? fr_json_str(comm) : json_null());
	set(obj, "pid", json_integer(ev->pid));
	set(obj, "tid", json_integer(ev->tid));
	set(obj, "cpu", json_integer(ev->cpu));
	set(obj, "type", jname(fr_event_type_name(ev->type)));
	if (ev->type == FR_EV_SYSCALL)
		syscall_json(obj, ev, o, &sb);
	else
		other_json(obj, ev, o, &sb);
	if (ev->type != FR_EV_SYSCALL && ev->n_payloads && !json_object_get(obj, "payloads"))
		set(obj, "payloads", jpayloads(ev, &sb));
	fr_print_event_details(&sb, ev, o);
	oom = sb.oom;
	set(obj, "details", jsb(&sb));
	fr_sb_free(&sb);
	return oom ? -ENOMEM : 0;
}
