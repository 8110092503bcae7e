// SPDX-License-Identifier: MIT
/*
 * print.c: events as text lines and as JSON (`flightrec events`).
 *
 * A system call prints as strace -f -tt -y writes it: arguments decoded per
 * the syscall table (formats/syscall_table.c), descriptors annotated with
 * what they were at the time (FR_PL_FDINFO), strings and buffers from the
 * payloads escaped and cut at the strsize, "..." wherever bytes were not
 * captured.  Other events print as "type: fields".  docs/events.md is the
 * reference for both forms.
 */
#include "formats/print.h"

#include <inttypes.h>
#include <string.h>

#include "formats/print_impl.h"
#include "formats/syscalls.h"

/* x86-64 numbers of the calls printed with their own rules */
enum {
	NR_OPEN = 2,
	NR_POLL = 7,
	NR_SELECT = 23,
	NR_SETSOCKOPT = 54,
	NR_GETSOCKOPT = 55,
	NR_FCNTL = 72,
	NR_FUTEX = 202,
	NR_MQ_OPEN = 240,
	NR_OPENAT = 257,
	NR_PSELECT6 = 270,
	NR_PPOLL = 271,
};

#define PATH_SHOWN 4096 /* paths are shown whole, as strace does, up to PATH_MAX */
#define MAX_MMSG 85	/* part is a u8: 3 parts per message */

static bool sc_is_error(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}

/* ret is a kernel-internal restart code: the program never sees it. */
static bool sc_is_restart(int64_t ret)
{
	return ret <= -512 && ret >= -516;
}

static bool sc_returned(const struct fr_event *ev)
{
	return !(ev->u.sc.flags & FR_SC_NO_EXIT);
}

/* Out data exists only for calls that returned successfully. */
static bool sc_ok(const struct fr_event *ev)
{
	return sc_returned(ev) && !sc_is_error(ev->u.sc.ret);
}

static void print_secs(struct fr_sb *sb, uint64_t ns)
{
	fr_sb_printf(sb, "%" PRIu64 ".%09" PRIu64, ns / UINT64_C(1000000000),
		     ns % UINT64_C(1000000000));
}

static void print_ptr(struct fr_sb *sb, uint64_t v)
{
	if (v)
		fr_sb_printf(sb, "%#" PRIx64, v);
	else
		fr_sb_puts(sb, "NULL");
}

/* A NUL-terminated string payload, shown up to its NUL and `max` bytes. */
static void print_string_payload(struct fr_sb *sb, const struct fr_payload *p, size_t max)
{
	const uint8_t *nul = p->len ? memchr(p->data, 0, p->len) : NULL;
	size_t len = p->len, full = p->full_len;

	if (nul) {
		len = (size_t)(nul - p->data);
		/* the whole string, unless the capture says otherwise */
		full = (p->flags & FR_PLF_TRUNCATED) ? FR_MAX((size_t)p->full_len, len + 1) : len;
	}
	fr_sb_escape(sb, p->data, len, full, max);
}

/* NUL-separated strings: ["a", "b"], at most strsize of them. */
static size_t count_strings(const uint8_t *d, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (!d[i])
			n++;
	if (len && d[len - 1])
		n++; /* a last string cut short */
	return n;
}

static void print_strv(struct fr_sb *sb, const struct fr_payload *p, const struct fr_print_opts *o)
{
	size_t off = 0, n = 0, max = fr_print_strsize(o);

	fr_sb_putc(sb, '[');
	while (off < p->len) {
		const uint8_t *nul = memchr(p->data + off, 0, p->len - off);
		size_t slen = nul ? (size_t)(nul - (p->data + off)) : p->len - off;

		if (n == max) {
			fr_sb_puts(sb, ", ...");
			break;
		}
		if (n)
			fr_sb_puts(sb, ", ");
		/* a string without its NUL was cut by the capture */
		fr_sb_escape(sb, p->data + off, slen, nul ? slen : slen + 1, max);
		n++;
		off += slen + 1;
	}
	fr_sb_putc(sb, ']');
	if (p->full_len > p->len)
		fr_sb_puts(sb, "...");
}

/* ---- arguments ------------------------------------------------------------------ */

static int64_t arg_int(const struct fr_syscall_arg_desc *a, uint64_t v)
{
	return a->size == 4 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

static uint64_t arg_uint(const struct fr_syscall_arg_desc *a, uint64_t v)
{
	return a->size == 4 ? (uint32_t)v : v;
}

static void print_fd(struct fr_sb *sb, const struct fr_event *ev, unsigned i, uint64_t v)
{
	const struct fr_payload *p = fr_event_payload(ev, FR_PL_FDINFO, (int)i, -1);
	int32_t fd = (int32_t)(uint32_t)v;

	if (fd == -100)
		fr_sb_puts(sb, "AT_FDCWD");
	else
		fr_sb_printf(sb, "%d", fd);
	if (p && p->len >= sizeof(struct fr_fdinfo)) {
		struct fr_fdinfo fi;

		memcpy(&fi, p->data, sizeof(fi));
		fr_print_fdinfo(sb, &fi);
	}
}

static void print_fdset(struct fr_sb *sb, const struct fr_payload *p, int64_t nfds)
{
	size_t bits = p->len * 8, i;
	bool first = true;

	if (nfds >= 0 && (uint64_t)nfds < bits)
		bits = (size_t)nfds;
	fr_sb_putc(sb, '[');
	for (i = 0; i < bits; i++) {
		if (!(p->data[i / 8] & (1u << (i % 8))))
			continue;
		fr_sb_printf(sb, first ? "%zu" : " %zu", i);
		first = false;
	}
	fr_sb_putc(sb, ']');
	if (p->full_len > p->len)
		fr_sb_puts(sb, "...");
}

/* msghdr parts `base`+0 data, +1 name, +2 control of payload kind `kind`;
 * false when none was captured. */
static bool print_msghdr(struct fr_sb *sb, const struct fr_event *ev, unsigned i, int kind,
			 unsigned base, const struct fr_print_opts *o)
{
	const struct fr_payload *data = fr_event_payload(ev, kind, (int)i, (int)base);
	const struct fr_payload *name = fr_event_payload(ev, kind, (int)i, (int)base + 1);
	const struct fr_payload *ctl = fr_event_payload(ev, kind, (int)i, (int)base + 2);
	bool first = true;

	if (!data && !name && !ctl)
		return false;
	fr_sb_putc(sb, '{');
	if (name) {
		fr_sb_puts(sb, "msg_name=");
		fr_print_sockaddr_data(sb, name->data, name->len, name->full_len, o);
		first = false;
	}
	if (data) {
		fr_sb_puts(sb, first ? "msg_iov=[" : ", msg_iov=[");
		fr_print_escaped(sb, data->data, data->len, data->full_len, o);
		fr_sb_putc(sb, ']');
		first = false;
	}
	if (ctl) {
		fr_sb_printf(sb, "%smsg_controllen=%u", first ? "" : ", ", ctl->full_len);
		if (ctl->len < ctl->full_len)
			fr_sb_puts(sb, "...");
	}
	fr_sb_putc(sb, '}');
	return true;
}

static void print_mmsghdr(struct fr_sb *sb, const struct fr_event *ev, unsigned i, int kind,
			  uint64_t count, const struct fr_print_opts *o)
{
	unsigned m, shown = 0, max = fr_print_strsize(o);

	fr_sb_putc(sb, '[');
	for (m = 0; m < MAX_MMSG && m < count; m++) {
		if (shown == max) {
			fr_sb_puts(sb, ", ...");
			break;
		}
		fr_sb_puts(sb, shown ? ", {msg_hdr=" : "{msg_hdr=");
		if (!print_msghdr(sb, ev, i, kind, 3 * m, o))
			fr_sb_puts(sb, "{...}");
		fr_sb_putc(sb, '}');
		shown++;
	}
	if (count > MAX_MMSG && shown < max)
		fr_sb_puts(sb, ", ...");
	fr_sb_putc(sb, ']');
}

/* The argument `i` is the length pointer of a SOCKADDR_OUT argument whose
 * data was captured: strace shows it as [len]. */
static bool print_len_ptr(struct fr_sb *sb, const struct fr_event *ev,
			  const struct fr_syscall_desc *d, unsigned i)
{
	unsigned j;

	if (!ev->u.sc.args[i])
		return false;
	for (j = 0; j < d->nargs && j < 6; j++) {
		const struct fr_payload *p;

		if (d->args[j].kind != FR_A_SOCKADDR_OUT || d->args[j].len_arg != i)
			continue;
		p = fr_event_payload(ev, FR_PL_OUT, (int)j, 0);
		if (!p)
			return false;
		fr_sb_printf(sb, "[%u]", p->full_len);
		return true;
	}
	return false;
}

static const struct fr_name fd_flags[] = {{1, "FD_CLOEXEC"}};
static const struct fr_name seal_flags[] = {
    {0x1, "F_SEAL_SEAL"},  {0x2, "F_SEAL_SHRINK"},	  {0x4, "F_SEAL_GROW"},
    {0x8, "F_SEAL_WRITE"}, {0x10, "F_SEAL_FUTURE_WRITE"}, {0x20, "F_SEAL_EXEC"},
};
static const struct fr_name lease_types[] = {{0, "F_RDLCK"}, {1, "F_WRLCK"}, {2, "F_UNLCK"}};

/* Arguments whose meaning depends on another one; true when printed. */
static bool print_arg_special(struct fr_sb *sb, const struct fr_event *ev,
			      const struct fr_syscall_desc *d, unsigned i)
{
	const uint64_t *a = ev->u.sc.args;
	uint32_t cmd;

	if (d->nr == NR_FCNTL && i == 2) {
		cmd = (uint32_t)a[1];
		switch (cmd) {
		case 2: /* F_SETFD */
			fr_print_flag_table(sb, fd_flags, FR_ARRAY_SIZE(fd_flags), (uint32_t)a[2]);
			return true;
		case 4: /* F_SETFL */
			fr_print_flags(sb, FR_FMT_OPEN_FLAGS, a[2]);
			return true;
		case 0:
		case 1030:
		case 8:
		case 1031:
		case 1026: /* DUPFD*, SETOWN, SETPIPE_SZ, NOTIFY */
			fr_sb_printf(sb, "%d", (int32_t)(uint32_t)a[2]);
			return true;
		case 10: /* F_SETSIG */
			fr_print_signal(sb, (int)(uint32_t)a[2]);
			return true;
		case 1033: /* F_ADD_SEALS */
			fr_print_flag_table(sb, seal_flags, FR_ARRAY_SIZE(seal_flags),
					    (uint32_t)a[2]);
			return true;
		case 1024: { /* F_SETLEASE */
			const char *n =
			    fr_name_lookup(lease_types, FR_ARRAY_SIZE(lease_types), (uint32_t)a[2]);

			if (n)
				fr_sb_puts(sb, n);
			else
				fr_sb_printf(sb, "%d", (int32_t)(uint32_t)a[2]);
			return true;
		}
		default:
			print_ptr(sb, a[2]); /* struct flock *, f_owner_ex *, u64 * */
			return true;
		}
	}
	if ((d->nr == NR_SETSOCKOPT || d->nr == NR_GETSOCKOPT) && i == 2) {
		uint32_t level = (uint32_t)a[1];

		if (level == 1 /* SOL_SOCKET */)
			fr_print_flags(sb, FR_FMT_SOCKOPT_NAME, a[2]);
		else if (level == 6 /* SOL_TCP */)
			fr_print_flags(sb, FR_FMT_TCP_SOCKOPT_NAME, a[2]);
		else
			fr_sb_printf(sb, "%d", (int32_t)(uint32_t)a[2]);
		return true;
	}
	if (d->nr == NR_FUTEX && i == 3) {
		cmd = (uint32_t)a[1] & 127;
		/* a timeout for the waits, the integer val2 for the requeues */
		if (cmd == 0 || cmd == 6 || cmd == 9 || cmd == 11 || cmd == 13)
			print_ptr(sb, a[3]);
		else
			fr_sb_printf(sb, "%u", (uint32_t)a[3]);
		return true;
	}
	return false;
}

/* How many arguments to show: strace leaves out the ones a call ignores. */
static unsigned shown_nargs(const struct fr_event *ev, const struct fr_syscall_desc *d)
{
	const uint64_t *a = ev->u.sc.args;
	uint32_t cmd;

	if (d->nr == NR_OPEN || d->nr == NR_OPENAT || d->nr == NR_MQ_OPEN) {
		unsigned fl = d->nr == NR_OPENAT ? 2 : 1;

		/* mode matters only with O_CREAT or O_TMPFILE */
		if (!((uint32_t)a[fl] & (0100 | 020000000)))
			return d->nargs - 1 - (d->nr == NR_MQ_OPEN ? 1 : 0);
	}
	if (d->nr == NR_FCNTL) {
		cmd = (uint32_t)a[1];
		switch (cmd) {
		case 1:
		case 3:
		case 9:
		case 11:
		case 1025:
		case 1032:
		case 1034: /* F_GET* */
			return 2;
		default:
			break;
		}
	}
	if (d->nr == NR_FUTEX) {
		cmd = (uint32_t)a[1] & 127;
		if (cmd == 1 || cmd == 7 || cmd == 8) /* WAKE, UNLOCK_PI, TRYLOCK_PI */
			return cmd == 1 ? 3 : 2;
		if (cmd == 0 || cmd == 6 || cmd == 13) /* WAIT, LOCK_PI* */
			return 4;
	}
	return d->nargs > 6 ? 6 : d->nargs;
}

static void print_arg(struct fr_sb *sb, const struct fr_event *ev, const struct fr_syscall_desc *d,
		      unsigned i, const struct fr_print_opts *o)
{
	const struct fr_syscall_arg_desc *a = &d->args[i];
	uint64_t v = ev->u.sc.args[i];
	const struct fr_payload *in = fr_event_payload(ev, FR_PL_IN, (int)i, 0);
	const struct fr_payload *out =
	    sc_ok(ev) ? fr_event_payload(ev, FR_PL_OUT, (int)i, 0) : NULL;
	unsigned j;

	if (print_arg_special(sb, ev, d, i))
		return;
	switch (a->kind) {
	case FR_A_INT:
		fr_sb_printf(sb, "%" PRId64, arg_int(a, v));
		return;
	case FR_A_UINT:
		fr_sb_printf(sb, "%" PRIu64, arg_uint(a, v));
		return;
	case FR_A_HEX:
		fr_sb_printf(sb, v ? "%#" PRIx64 : "%" PRIu64, v);
		return;
	case FR_A_PTR:
		if (!print_len_ptr(sb, ev, d, i))
			print_ptr(sb, v);
		return;
	case FR_A_FD:
		print_fd(sb, ev, i, v);
		return;
	case FR_A_FLAGS:
	case FR_A_ENUM:
		fr_print_flags(sb, a->fmt, v);
		return;
	case FR_A_MODE:
		fr_print_mode(sb, (uint32_t)v);
		return;
	case FR_A_SIGNAL:
		fr_print_signal(sb, (int)(int32_t)(uint32_t)v);
		return;
	default:
		break;
	}
	/* Pointer kinds: NULL, the captured data, or the address. */
	if (!v) {
		fr_sb_puts(sb, "NULL");
		return;
	}
	switch (a->kind) {
	case FR_A_PATH:
	case FR_A_STR:
		if (!in || (!in->len && in->full_len))
			break;
		print_string_payload(sb, in,
				     a->kind == FR_A_PATH ? FR_MAX(PATH_SHOWN, fr_print_strsize(o))
							  : fr_print_strsize(o));
		return;
	case FR_A_STRV:
		if (!in)
			break;
		for (j = 0; j < i; j++)
			if (d->args[j].kind == FR_A_STRV)
				break;
		if (j < i) {
			/* the environment, abbreviated as strace does */
			fr_sb_printf(sb, "%#" PRIx64 " /* %zu%s vars */", v,
				     count_strings(in->data, in->len),
				     in->full_len > in->len ? "+" : "");
			return;
		}
		print_strv(sb, in, o);
		return;
	case FR_A_BUF_IN:
	case FR_A_STRUCT_IN:
	case FR_A_SOCKADDR_IN:
		if (!in || (!in->len && in->full_len))
			break;
		fr_print_data(sb, a->fmt, in->data, in->len, in->full_len, o);
		return;
	case FR_A_BUF_OUT:
	case FR_A_STRUCT_OUT:
	case FR_A_SOCKADDR_OUT:
		if (!out || (!out->len && out->full_len))
			break;
		fr_print_data(sb, a->fmt, out->data, out->len, out->full_len, o);
		return;
	case FR_A_STRUCT_INOUT:
		if (!in && !out)
			break;
		if (in)
			fr_print_data(sb, a->fmt, in->data, in->len, in->full_len, o);
		if (in && out)
			fr_sb_puts(sb, " => ");
		if (out)
			fr_print_data(sb, a->fmt, out->data, out->len, out->full_len, o);
		return;
	case FR_A_ARRAY_IN:
	case FR_A_ARRAY_INOUT:
		if (!in)
			break;
		fr_print_array(sb, a->fmt, a->size, in->data, in->len, in->full_len, false, o);
		return;
	case FR_A_ARRAY_OUT:
		if (!out)
			break;
		fr_print_array(sb, a->fmt, a->size, out->data, out->len, out->full_len, true, o);
		return;
	case FR_A_IOV_IN:
	case FR_A_IOV_OUT: {
		const struct fr_payload *p = a->kind == FR_A_IOV_IN ? in : out;

		if (!p)
			break;
		fr_sb_putc(sb, '[');
		fr_print_escaped(sb, p->data, p->len, p->full_len, o);
		fr_sb_putc(sb, ']');
		return;
	}
	case FR_A_MSGHDR_IN:
		if (!print_msghdr(sb, ev, i, FR_PL_IN, 0, o))
			break;
		return;
	case FR_A_MSGHDR_OUT:
		if (!sc_ok(ev) || !print_msghdr(sb, ev, i, FR_PL_OUT, 0, o))
			break;
		return;
	case FR_A_MMSGHDR_IN:
		if (!fr_event_payload(ev, FR_PL_IN, (int)i, -1))
			break;
		print_mmsghdr(sb, ev, i, FR_PL_IN,
			      arg_uint(&d->args[a->len_arg], ev->u.sc.args[a->len_arg]), o);
		return;
	case FR_A_MMSGHDR_OUT:
		if (!sc_ok(ev) || !fr_event_payload(ev, FR_PL_OUT, (int)i, -1))
			break;
		print_mmsghdr(sb, ev, i, FR_PL_OUT, (uint64_t)ev->u.sc.ret, o);
		return;
	case FR_A_FDSET_INOUT:
		if (!in)
			break;
		print_fdset(sb, in, arg_int(&d->args[a->len_arg], ev->u.sc.args[a->len_arg]));
		return;
	case FR_A_SIGSET_IN:
	case FR_A_SIGSET_OUT: {
		const struct fr_payload *p = a->kind == FR_A_SIGSET_IN ? in : out;

		if (!p || !p->len)
			break;
		fr_print_sigset(sb, p->data, p->len);
		return;
	}
	default:
		break;
	}
	fr_sb_printf(sb, "%#" PRIx64, v);
}

unsigned fr_syscall_nargs_shown(const struct fr_event *ev)
{
	const struct fr_syscall_desc *d = fr_syscall(ev->u.sc.nr);

	return d ? shown_nargs(ev, d) : 6;
}

void fr_print_syscall_arg(struct fr_sb *sb, const struct fr_event *ev, unsigned i,
			  const struct fr_print_opts *o)
{
	const struct fr_syscall_desc *d = fr_syscall(ev->u.sc.nr);

	if (i >= 6)
		return;
	if (d && i < d->nargs)
		print_arg(sb, ev, d, i, o);
	else
		fr_sb_printf(sb, "%#" PRIx64, ev->u.sc.args[i]);
}

void fr_print_syscall_args(struct fr_sb *sb, const struct fr_event *ev,
			   const struct fr_print_opts *o)
{
	unsigned i, n = fr_syscall_nargs_shown(ev);

	for (i = 0; i < n; i++) {
		if (i)
			fr_sb_puts(sb, ", ");
		fr_print_syscall_arg(sb, ev, i, o);
	}
}

/* ---- return value ------------------------------------------------------------- */

/* What a successful call reports besides its value: poll's revents, the
 * sets select left ready, the flags fcntl returned. */
static void print_ret_extra(struct fr_sb *sb, const struct fr_event *ev,
			    const struct fr_syscall_desc *d, const struct fr_print_opts *o)
{
	static const char *const set_names[] = {"in", "out", "except"};
	int64_t ret = ev->u.sc.ret;
	unsigned i, nsets = 0;
	bool open = false;

	if (d->nr == NR_FCNTL) {
		uint32_t cmd = (uint32_t)ev->u.sc.args[1];

		if (cmd == 3 /* F_GETFL */) {
			fr_sb_puts(sb, " (flags ");
			fr_print_flags(sb, FR_FMT_OPEN_FLAGS, (uint64_t)ret);
			fr_sb_putc(sb, ')');
		} else if (cmd == 1 /* F_GETFD */ && ret) {
			fr_sb_puts(sb, " (flags ");
			fr_print_flag_table(sb, fd_flags, FR_ARRAY_SIZE(fd_flags), (uint64_t)ret);
			fr_sb_putc(sb, ')');
		}
		return;
	}
	if (ret == 0 &&
	    (d->nr == NR_POLL || d->nr == NR_PPOLL || d->nr == NR_SELECT || d->nr == NR_PSELECT6)) {
		fr_sb_puts(sb, " (Timeout)");
		return;
	}
	for (i = 0; i < d->nargs && i < 6; i++) {
		const struct fr_payload *p;

		if (d->args[i].kind == FR_A_ARRAY_INOUT) {
			p = fr_event_payload(ev, FR_PL_OUT, (int)i, 0);
			if (!p)
				continue;
			fr_sb_puts(sb, " (");
			fr_print_array(sb, d->args[i].fmt, d->args[i].size, p->data, p->len,
				       p->full_len, true, o);
			fr_sb_putc(sb, ')');
		} else if (d->args[i].kind == FR_A_FDSET_INOUT) {
			const char *label = nsets < 3 ? set_names[nsets] : "set";

			nsets++;
			p = fr_event_payload(ev, FR_PL_OUT, (int)i, 0);
			if (!p || !ev->u.sc.args[i])
				continue;
			fr_sb_printf(sb, "%s%s ", open ? ", " : " (", label);
			print_fdset(sb, p,
				    arg_int(&d->args[d->args[i].len_arg],
					    ev->u.sc.args[d->args[i].len_arg]));
			open = true;
		}
	}
	if (open)
		fr_sb_putc(sb, ')');
}

void fr_print_syscall_ret(struct fr_sb *sb, const struct fr_event *ev,
			  const struct fr_print_opts *o)
{
	const struct fr_syscall_desc *d = fr_syscall(ev->u.sc.nr);
	int64_t ret = ev->u.sc.ret;

	if (!sc_returned(ev)) {
		fr_sb_putc(sb, '?');
		return;
	}
	if (sc_is_error(ret)) {
		int err = (int)-ret;
		const char *name = fr_errno_name(err), *text = fr_errno_text(err);

		/* restart codes never reach the program: strace prints "?" */
		fr_sb_puts(sb, sc_is_restart(ret) ? "? " : "-1 ");
		if (name)
			fr_sb_printf(sb, "%s (%s)", name, text ? text : name);
		else
			fr_sb_printf(sb, "(errno %d)", err);
		return;
	}
	if (d && d->ret == FR_R_PTR)
		fr_sb_printf(sb, "%#" PRIx64, (uint64_t)ret);
	else
		fr_sb_printf(sb, "%" PRId64, ret);
	if (d)
		print_ret_extra(sb, ev, d, o);
}

/* ---- other events ---------------------------------------------------------------- */

static void print_comm(struct fr_sb *sb, const char *comm, size_t max)
{
	size_t i;

	for (i = 0; i < max && comm[i]; i++) {
		unsigned char c = (unsigned char)comm[i];

		fr_sb_putc(sb, c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
	if (i == 0)
		fr_sb_putc(sb, '?');
}

static const char *thread_comm(const struct fr_print_opts *o, uint32_t pid, uint32_t tid)
{
	const char *c = o && o->comm_of ? o->comm_of(o->ctx, pid, tid) : NULL;

	return c && *c ? c : "?";
}

static void print_span(struct fr_sb *sb, uint64_t start, uint64_t end)
{
	if (!start || start > end)
		return;
	fr_sb_puts(sb, " <");
	print_secs(sb, end - start);
	fr_sb_putc(sb, '>');
}

static const char *reclaim_kind_name(unsigned kind)
{
	static const char *const names[] = {
	    [FR_RECLAIM_DIRECT] = "direct",	    [FR_RECLAIM_MEMCG] = "memcg",
	    [FR_RECLAIM_MEMCG_SOFT] = "memcg_soft", [FR_RECLAIM_KSWAPD] = "kswapd",
	    [FR_RECLAIM_COMPACTION] = "compaction",
	};

	return kind < FR_ARRAY_SIZE(names) ? names[kind] : NULL;
}

static const char *mark_kind_name(unsigned kind)
{
	static const char *const names[] = {
	    [FR_MARK_TRIGGER] = "trigger",
	    [FR_MARK_WINDOW_START] = "window_start",
	    [FR_MARK_WINDOW_END] = "window_end",
	    [FR_MARK_NOTE] = "note",
	};

	return kind < FR_ARRAY_SIZE(names) ? names[kind] : NULL;
}

static const char *wake_ctx_name(unsigned ctx)
{
	static const char *const names[] = {
	    [FR_CTX_TASK] = "task", [FR_CTX_HARDIRQ] = "hardirq", [FR_CTX_SOFTIRQ] = "softirq",
	    [FR_CTX_NMI] = "nmi",   [FR_CTX_TIMER] = "timer",
	};

	return ctx < FR_ARRAY_SIZE(names) ? names[ctx] : NULL;
}

static const char *signal_result_name(int r)
{
	static const char *const names[] = {
	    "delivered", "ignored", "already_pending", "overflow_fail", "lose_info",
	};

	return r >= 0 && (size_t)r < FR_ARRAY_SIZE(names) ? names[r] : NULL;
}

static void print_wake_phase(struct fr_sb *sb, unsigned flags)
{
	static const char *const names[] = {"waking", "wakeup", "new"};
	bool first = true;
	unsigned i;

	for (i = 0; i < 3; i++) {
		if (!(flags & (1u << i)))
			continue;
		fr_sb_printf(sb, "%s%s", first ? "" : "|", names[i]);
		first = false;
	}
	if (first)
		fr_sb_putc(sb, '-');
}

static void print_wake_ctx(struct fr_sb *sb, const struct fr_ev_sched_wakeup *w)
{
	const char *n = wake_ctx_name(w->ctx), *sn;

	if (!n) {
		fr_sb_printf(sb, "%u", w->ctx);
		return;
	}
	fr_sb_puts(sb, n);
	if (w->ctx == FR_CTX_HARDIRQ) {
		fr_sb_printf(sb, ":%u", w->ctx_info);
	} else if (w->ctx == FR_CTX_SOFTIRQ) {
		sn = fr_softirq_name(w->ctx_info);
		if (sn)
			fr_sb_printf(sb, ":%s", sn);
		else
			fr_sb_printf(sb, ":%u", w->ctx_info);
	}
}

static void print_si_code(struct fr_sb *sb, int sig, int code)
{
	const char *n = fr_si_code_name(sig, code);

	if (n)
		fr_sb_puts(sb, n);
	else
		fr_sb_printf(sb, "%d", code);
}

/* Block device numbers: kernel dev_t, 12-bit major, 20-bit minor. */
static unsigned dev_major(uint32_t dev)
{
	return dev >> 20;
}
static unsigned dev_minor(uint32_t dev)
{
	return dev & 0xfffff;
}

static void print_rwbs(struct fr_sb *sb, const char *rwbs)
{
	char buf[sizeof(((struct fr_ev_block *)0)->rwbs) + 1];

	memcpy(buf, rwbs, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	print_comm(sb, buf, sizeof(buf) - 1);
}

static void print_exec(struct fr_sb *sb, const struct fr_event *ev, const struct fr_print_opts *o)
{
	const struct fr_payload *fn = fr_event_payload(ev, FR_PL_EXEC_FILENAME, -1, -1);
	const struct fr_payload *av = fr_event_payload(ev, FR_PL_EXEC_ARGV, -1, -1);

	if (fn)
		print_string_payload(sb, fn, FR_MAX(PATH_SHOWN, fr_print_strsize(o)));
	else
		fr_sb_puts(sb, "?");
	if (av) {
		fr_sb_putc(sb, ' ');
		print_strv(sb, av, o);
	}
	if (ev->u.exec.old_tid && ev->u.exec.old_tid != ev->tid)
		fr_sb_printf(sb, " old_tid=%u", ev->u.exec.old_tid);
}

static void print_other(struct fr_sb *sb, const struct fr_event *ev, const struct fr_print_opts *o)
{
	const char *tn = fr_event_type_name(ev->type);
	const struct fr_payload *p;

	fr_sb_printf(sb, "%s: ", tn ? tn : "?");
	switch (ev->type) {
	case FR_EV_SCHED_SWITCH: {
		const struct fr_ev_sched_switch *s = &ev->u.sw;

		print_comm(sb, s->prev_comm, FR_COMM_LEN);
		fr_sb_printf(sb, ":%u [%d] ", ev->tid, s->prev_prio);
		fr_print_task_state(sb, s->prev_state);
		fr_sb_puts(sb, " ==> ");
		print_comm(sb, s->next_comm, FR_COMM_LEN);
		fr_sb_printf(sb, ":%u [%d]", s->next_tid, s->next_prio);
		break;
	}
	case FR_EV_SCHED_WAKEUP: {
		const struct fr_ev_sched_wakeup *w = &ev->u.wake;

		print_comm(sb, w->target_comm, FR_COMM_LEN);
		fr_sb_printf(sb, ":%u target_cpu=%03d phase=", w->target_tid, w->target_cpu);
		print_wake_phase(sb, w->flags);
		fr_sb_puts(sb, " by=");
		print_wake_ctx(sb, w);
		break;
	}
	case FR_EV_SCHED_MIGRATE: {
		const struct fr_ev_sched_migrate *m = &ev->u.mig;

		print_comm(sb, thread_comm(o, m->target_pid, m->target_tid), FR_COMM_LEN);
		fr_sb_printf(sb, ":%u orig_cpu=%03d dest_cpu=%03d", m->target_tid, m->orig_cpu,
			     m->dest_cpu);
		break;
	}
	case FR_EV_PROC_FORK: {
		const struct fr_ev_proc_fork *f = &ev->u.fork;
		bool thread = (f->clone_flags & 0x10000 /* CLONE_THREAD */) ||
			      (f->child_pid == ev->pid && f->child_tid != f->child_pid);

		fr_sb_printf(sb, "%s ", thread ? "thread" : "process");
		print_comm(sb, f->child_comm, FR_COMM_LEN);
		fr_sb_printf(sb, ":%u", f->child_tid);
		if (f->child_pid != f->child_tid)
			fr_sb_printf(sb, " pid=%u", f->child_pid);
		fr_sb_puts(sb, " flags=");
		fr_print_flags(sb, FR_FMT_CLONE_FLAGS, f->clone_flags);
		break;
	}
	case FR_EV_PROC_EXEC:
		print_exec(sb, ev, o);
		break;
	case FR_EV_PROC_EXIT:
		fr_print_exit_status(sb, ev->u.exit.status);
		fr_sb_puts(sb, ev->u.exit.flags & FR_EXIT_GROUP_DEAD ? " [process]" : " [thread]");
		break;
	case FR_EV_PROC_COMM:
		print_comm(sb, ev->u.comm.old_comm, FR_COMM_LEN);
		fr_sb_puts(sb, " => ");
		print_comm(sb, ev->u.comm.new_comm, FR_COMM_LEN);
		break;
	case FR_EV_PAGE_FAULT: {
		const struct fr_ev_page_fault *f = &ev->u.pf;

		fr_sb_printf(sb, "%s %s %s addr=%#" PRIx64 " ip=%#" PRIx64 " error_code=%#x",
			     f->flags & FR_PF_MAJOR ? "major" : "minor",
			     f->flags & FR_PF_USER ? "user" : "kernel",
			     f->flags & FR_PF_WRITE ? "write" : "read", f->address, f->ip,
			     f->error_code);
		print_span(sb, f->start_ns, ev->ts_ns);
		break;
	}
	case FR_EV_RECLAIM: {
		const struct fr_ev_reclaim *r = &ev->u.reclaim;
		const char *kn = reclaim_kind_name(r->kind);

		if (kn)
			fr_sb_puts(sb, kn);
		else
			fr_sb_printf(sb, "kind=%u", r->kind);
		fr_sb_printf(sb, " reclaimed=%" PRIu64 " pages order=%u gfp_flags=%#" PRIx64,
			     r->nr_reclaimed, r->order, r->gfp_flags);
		if (r->memcg_id)
			fr_sb_printf(sb, " memcg=%" PRIu64, r->memcg_id);
		print_span(sb, r->start_ns, ev->ts_ns);
		break;
	}
	case FR_EV_OOM_KILL: {
		const struct fr_ev_oom_kill *k = &ev->u.oom;

		fr_sb_puts(sb, "killed ");
		print_comm(sb, k->victim_comm, FR_COMM_LEN);
		fr_sb_printf(sb, ":%u", k->victim_pid);
		fr_sb_printf(sb,
			     " uid=%u total_vm=%" PRIu64 "kB anon_rss=%" PRIu64
			     "kB file_rss=%" PRIu64 "kB shmem_rss=%" PRIu64 "kB oom_score_adj=%d",
			     k->uid, k->total_vm_kb, k->anon_rss_kb, k->file_rss_kb,
			     k->shmem_rss_kb, k->oom_score_adj);
		if (k->memcg_id)
			fr_sb_printf(sb, " memcg=%" PRIu64, k->memcg_id);
		break;
	}
	case FR_EV_TCP_STATE:
	case FR_EV_TCP_RETRANSMIT:
	case FR_EV_TCP_RESET: {
		const struct fr_ev_tcp *t = &ev->u.tcp;
		const char *ns = fr_tcp_state_name(t->newstate);

		fr_print_tuple(sb, &t->tuple);
		if (ev->type == FR_EV_TCP_STATE) {
			const char *os = fr_tcp_state_name(t->oldstate);

			fr_sb_putc(sb, ' ');
			if (os)
				fr_sb_puts(sb, os);
			else
				fr_sb_printf(sb, "%d", t->oldstate);
			fr_sb_puts(sb, " -> ");
		} else {
			fr_sb_puts(sb, " state=");
		}
		if (ns)
			fr_sb_puts(sb, ns);
		else
			fr_sb_printf(sb, "%d", t->newstate);
		break;
	}
	case FR_EV_BLOCK_ISSUE:
	case FR_EV_BLOCK_COMPLETE: {
		const struct fr_ev_block *b = &ev->u.blk;

		fr_sb_printf(sb, "%u,%u ", dev_major(b->dev), dev_minor(b->dev));
		print_rwbs(sb, b->rwbs);
		fr_sb_printf(sb, " %" PRIu64 " + %u (%u bytes)", b->sector, b->nr_bytes / 512,
			     b->nr_bytes);
		if (ev->type == FR_EV_BLOCK_COMPLETE) {
			if (b->error) {
				const char *en = fr_errno_name(-b->error);

				fr_sb_printf(sb, " error=%d", b->error);
				if (en)
					fr_sb_printf(sb, " %s", en);
			}
			print_span(sb, b->issue_ns, ev->ts_ns);
		}
		break;
	}
	case FR_EV_SIGNAL_GENERATE: {
		const struct fr_ev_signal_generate *g = &ev->u.sig_gen;
		const char *rn = signal_result_name(g->result);

		fr_print_signal(sb, g->sig);
		fr_sb_puts(sb, " to ");
		print_comm(sb, thread_comm(o, g->target_pid, g->target_tid), FR_COMM_LEN);
		fr_sb_printf(sb, ":%u", g->target_tid);
		if (g->target_pid != g->target_tid)
			fr_sb_printf(sb, " pid=%u", g->target_pid);
		fr_sb_puts(sb, " code=");
		print_si_code(sb, g->sig, g->code);
		if (rn)
			fr_sb_printf(sb, " result=%s", rn);
		else
			fr_sb_printf(sb, " result=%d", g->result);
		break;
	}
	case FR_EV_SIGNAL_DELIVER: {
		const struct fr_ev_signal_deliver *s = &ev->u.sig_del;

		fr_print_signal(sb, s->sig);
		fr_sb_puts(sb, " code=");
		print_si_code(sb, s->sig, s->code);
		fr_sb_puts(sb, " handler=");
		if (s->sa_handler == 0)
			fr_sb_puts(sb, "SIG_DFL");
		else if (s->sa_handler == 1)
			fr_sb_puts(sb, "SIG_IGN");
		else
			fr_sb_printf(sb, "%#" PRIx64, s->sa_handler);
		fr_sb_puts(sb, " flags=");
		fr_print_flags(sb, FR_FMT_SA_FLAGS, s->sa_flags);
		break;
	}
	case FR_EV_LOST: {
		const char *cn = fr_loss_cause_name(ev->u.lost.cause);

		fr_sb_printf(sb, "%" PRIu64 " (", ev->u.lost.count);
		if (cn)
			fr_sb_puts(sb, cn);
		else
			fr_sb_printf(sb, "cause %u", ev->u.lost.cause);
		fr_sb_putc(sb, ')');
		break;
	}
	case FR_EV_MARK: {
		const char *kn = mark_kind_name(ev->u.mark.kind);

		if (kn)
			fr_sb_puts(sb, kn);
		else
			fr_sb_printf(sb, "kind=%u", ev->u.mark.kind);
		p = fr_event_payload(ev, FR_PL_TEXT, -1, -1);
		if (p) {
			fr_sb_putc(sb, ' ');
			fr_sb_escape(sb, p->data, p->len, p->full_len,
				     FR_MAX(1024u, fr_print_strsize(o)));
		}
		break;
	}
	default:
		fr_sb_printf(sb, "type %u", ev->type);
		break;
	}
}

void fr_print_event_details(struct fr_sb *sb, const struct fr_event *ev,
			    const struct fr_print_opts *o)
{
	const struct fr_syscall_desc *d;

	if (ev->type != FR_EV_SYSCALL) {
		print_other(sb, ev, o);
		return;
	}
	d = fr_syscall(ev->u.sc.nr);
	if (ev->u.sc.flags & FR_SC_NO_ENTER) {
		/* args were not seen: only the result is known */
		if (d)
			fr_sb_printf(sb, "<... %s resumed>) = ", d->name);
		else
			fr_sb_printf(sb, "<... syscall_%u resumed>) = ", ev->u.sc.nr);
		fr_print_syscall_ret(sb, ev, o);
		return;
	}
	if (d)
		fr_sb_printf(sb, "%s(", d->name);
	else
		fr_sb_printf(sb, "syscall_%u(", ev->u.sc.nr);
	fr_print_syscall_args(sb, ev, o);
	fr_sb_puts(sb, ") = ");
	fr_print_syscall_ret(sb, ev, o);
}

static void print_time(struct fr_sb *sb, const struct fr_event *ev, const struct fr_print_opts *o)
{
	char buf[64];

	if (o->utc) {
		fr_fmt_utc(buf, sizeof(buf), ev->ts_ns, o->clock_to_utc_ns);
		fr_sb_puts(sb, buf);
	} else if (ev->ts_ns >= o->t0_ns) {
		uint64_t rel = ev->ts_ns - o->t0_ns;

		fr_sb_printf(sb, "%6" PRIu64 ".%09" PRIu64, rel / UINT64_C(1000000000),
			     rel % UINT64_C(1000000000));
	} else {
		/* before t0 (a span that began before the window) */
		uint64_t rel = o->t0_ns - ev->ts_ns;

		fr_sb_printf(sb, "%5s%" PRIu64 ".%09" PRIu64, "-", rel / UINT64_C(1000000000),
			     rel % UINT64_C(1000000000));
	}
}

void fr_print_event(struct fr_sb *sb, const struct fr_event *ev, const struct fr_print_opts *o)
{
	static const struct fr_print_opts defaults;

	if (!o)
		o = &defaults;
	print_time(sb, ev, o);
	fr_sb_putc(sb, ' ');
	print_comm(sb, thread_comm(o, ev->pid, ev->tid), 64);
	fr_sb_printf(sb, " %u/%u [%03u] ", ev->pid, ev->tid, ev->cpu);
	fr_print_event_details(sb, ev, o);
	if (ev->type == FR_EV_SYSCALL && !(ev->u.sc.flags & (FR_SC_NO_ENTER | FR_SC_NO_EXIT)))
		print_span(sb, ev->u.sc.enter_ns ? ev->u.sc.enter_ns : 0, ev->ts_ns);
}
