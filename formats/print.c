// SPDX-License-Identifier: MIT
/* print.c: events as text (seed version; the full decoder replaces this). */
#include "formats/print.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "formats/syscalls.h"

static void print_time(struct fr_sb *sb, const struct fr_event *ev, const struct fr_print_opts *o)
{
	char buf[64];

	if (o->utc) {
		fr_fmt_utc(buf, sizeof(buf), ev->ts_ns, o->clock_to_utc_ns);
		fr_sb_puts(sb, buf);
	} else {
		uint64_t rel = ev->ts_ns >= o->t0_ns ? ev->ts_ns - o->t0_ns : 0;

		fr_sb_printf(sb, "%6" PRIu64 ".%09" PRIu64, rel / UINT64_C(1000000000), rel % UINT64_C(1000000000));
	}
}

void fr_print_event_details(struct fr_sb *sb, const struct fr_event *ev,
			    const struct fr_print_opts *o)
{
	(void)o;
	if (ev->type == FR_EV_SYSCALL) {
		const char *name = fr_syscall_name(ev->u.sc.nr);
		int i;

		if (name)
			fr_sb_printf(sb, "%s(", name);
		else
			fr_sb_printf(sb, "syscall_%u(", ev->u.sc.nr);
		for (i = 0; i < 6; i++)
			fr_sb_printf(sb, "%s%#" PRIx64, i ? ", " : "", ev->u.sc.args[i]);
		fr_sb_printf(sb, ") = %" PRId64, ev->u.sc.ret);
		return;
	}
	fr_sb_puts(sb, fr_event_type_name(ev->type) ? fr_event_type_name(ev->type) : "?");
}

void fr_print_event(struct fr_sb *sb, const struct fr_event *ev, const struct fr_print_opts *o)
{
	const char *comm = o->comm_of ? o->comm_of(o->ctx, ev->pid, ev->tid) : NULL;

	print_time(sb, ev, o);
	fr_sb_printf(sb, " %s %u/%u [%03u] %s ", comm ? comm : "?", ev->pid, ev->tid, ev->cpu,
		     fr_event_type_name(ev->type) ? fr_event_type_name(ev->type) : "?");
	fr_print_event_details(sb, ev, o);
}

int fr_event_to_json(struct json_t *obj, const struct fr_event *ev, const struct fr_print_opts *o)
{
	(void)o;
	json_object_set_new(obj, "ts_ns", json_integer((json_int_t)ev->ts_ns));
	json_object_set_new(obj, "pid", json_integer(ev->pid));
	json_object_set_new(obj, "tid", json_integer(ev->tid));
	json_object_set_new(obj, "cpu", json_integer(ev->cpu));
	json_object_set_new(obj, "type", json_string(fr_event_type_name(ev->type)));
	return 0;
}

const char *fr_errno_name(int err) { return strerrorname_np(err); }

int fr_errno_by_name(const char *name)
{
	int e;

	for (e = 1; e < 4096; e++)
		if (strerrorname_np(e) && !strcmp(strerrorname_np(e), name))
			return e;
	return -1;
}

const char *fr_signal_name(int sig)
{
	(void)sig;
	return NULL;
}

int fr_signal_by_name(const char *name)
{
	(void)name;
	return -1;
}

void fr_print_flags(struct fr_sb *sb, unsigned set, uint64_t value)
{
	(void)set;
	fr_sb_printf(sb, "%#" PRIx64, value);
}

const char *fr_tcp_state_name(int state)
{
	(void)state;
	return NULL;
}

void fr_print_task_state(struct fr_sb *sb, int64_t state) { fr_sb_printf(sb, "%" PRId64, state); }

void fr_print_sockaddr(struct fr_sb *sb, const struct fr_sock_tuple *t, bool local)
{
	(void)t;
	(void)local;
	fr_sb_puts(sb, "?");
}
