// SPDX-License-Identifier: MIT
/*
 * syscall_io.c: gathering, comparing and serving the data of replayed calls
 * (see syscall_io.h).  x86-64 user structures (iovec, msghdr, mmsghdr,
 * sockaddr) are read with their 64-bit layouts.
 */
#include "replay/syscall_io.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATH_LEN 4096
#define MAX_STR_LEN 65536
#define MAX_STRV_ENTRIES 4096
#define MAX_IOV 1024
#define MAX_SOCKADDR 128
#define RP_MMSG_MAX 85 /* messages capture records per call */

/* x86-64 layouts */
struct u_iovec {
	uint64_t base;
	uint64_t len;
};
struct u_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad0;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags;
	uint32_t pad1;
};
struct u_mmsghdr {
	struct u_msghdr hdr;
	uint32_t len;
	uint32_t pad;
};
_Static_assert(sizeof(struct u_msghdr) == 56, "msghdr");
_Static_assert(sizeof(struct u_mmsghdr) == 64, "mmsghdr");

/* ---- gathering ------------------------------------------------------------- */

/* Append n bytes of room to lc->buf; returns the offset or -1. */
static long room(struct rp_live *lc, size_t n)
{
	size_t off = lc->len;

	if (n > SIZE_MAX - lc->len)
		return -1;
	if (lc->len + n > lc->cap) {
		size_t cap = lc->cap ? lc->cap : 4096;
		uint8_t *b;

		while (cap < lc->len + n)
			cap *= 2;
		b = realloc(lc->buf, cap);
		if (!b)
			return -1;
		lc->buf = b;
		lc->cap = cap;
	}
	lc->len += n;
	return (long)off;
}

/* Payload offsets are kept in .data as integers until rp_live_read ends
 * (lc->buf may move while it grows). */
static struct fr_payload *new_payload(struct rp_live *lc, unsigned arg, unsigned part, long off)
{
	struct fr_payload *p;

	if (lc->n_payloads >= FR_MAX_PAYLOADS)
		return NULL;
	p = &lc->payloads[lc->n_payloads++];
	memset(p, 0, sizeof(*p));
	p->kind = FR_PL_IN;
	p->arg = (uint8_t)arg;
	p->part = (uint8_t)part;
	p->data = (const uint8_t *)(uintptr_t)off;
	return p;
}

/* Read len bytes at addr into a new payload.  Returns 0, 1 when unreadable
 * (fault noted), -ENOMEM. */
static int grab(struct rp_thread *t, struct rp_live *lc, unsigned arg, unsigned part, uint64_t addr,
		size_t len)
{
	struct fr_payload *p;
	long off;
	ssize_t n;

	if (len > RP_LIVE_MAX_ARG)
		len = RP_LIVE_MAX_ARG;
	off = room(lc, len);
	if (off < 0)
		return -ENOMEM;
	n = rp_thread__read(t, addr, lc->buf + off, len);
	if (n < 0 || (size_t)n < len) {
		lc->len = (size_t)off;
		lc->fault = true;
		return 1;
	}
	p = new_payload(lc, arg, part, off);
	if (!p)
		return 0;
	p->len = p->full_len = (uint32_t)len;
	return 0;
}

static int grab_str(struct rp_thread *t, struct rp_live *lc, unsigned arg, uint64_t addr,
		    size_t cap)
{
	struct fr_payload *p;
	long off = room(lc, cap);
	ssize_t n;

	if (off < 0)
		return -ENOMEM;
	n = rp_thread__read_str(t, addr, (char *)lc->buf + off, cap);
	if (n < 0 && n != -ENAMETOOLONG) {
		lc->len = (size_t)off;
		lc->fault = true;
		return 1;
	}
	if (n < 0)
		n = (ssize_t)cap - 1;
	lc->len = (size_t)off + (size_t)n;
	p = new_payload(lc, arg, 0, off);
	if (p)
		p->len = p->full_len = (uint32_t)n;
	return 0;
}

/* NUL-separated strings of a NULL-terminated pointer array. */
static int grab_strv(struct rp_thread *t, struct rp_live *lc, unsigned arg, uint64_t addr)
{
	long start = (long)lc->len;
	struct fr_payload *p;
	unsigned i;

	for (i = 0; i < MAX_STRV_ENTRIES; i++) {
		uint64_t ptr;
		long off;
		ssize_t n;

		if (rp_thread__read(t, addr + i * 8u, &ptr, 8) != 8)
			goto fault;
		if (!ptr)
			break;
		off = room(lc, MAX_STR_LEN);
		if (off < 0)
			return -ENOMEM;
		n = rp_thread__read_str(t, ptr, (char *)lc->buf + off, MAX_STR_LEN);
		if (n < 0)
			goto fault;
		lc->len = (size_t)off + (size_t)n + 1; /* keep the NUL */
	}
	p = new_payload(lc, arg, 0, start);
	if (p)
		p->len = p->full_len = (uint32_t)(lc->len - (size_t)start);
	return 0;
fault:
	lc->len = (size_t)start;
	lc->fault = true;
	return 1;
}

/* Flatten the data of `cnt` iovecs at `iov_addr` into one payload. */
static int grab_iov(struct rp_thread *t, struct rp_live *lc, unsigned arg, unsigned part,
		    uint64_t iov_addr, uint64_t cnt)
{
	long start = (long)lc->len;
	struct fr_payload *p;
	uint64_t i;

	if (cnt > MAX_IOV)
		cnt = MAX_IOV;
	for (i = 0; i < cnt; i++) {
		struct u_iovec v;
		long off;
		ssize_t n;

		if (rp_thread__read(t, iov_addr + i * sizeof(v), &v, sizeof(v)) != sizeof(v))
			goto fault;
		if (v.len > RP_LIVE_MAX_ARG || lc->len - (size_t)start + v.len > RP_LIVE_MAX_ARG)
			break;
		off = room(lc, v.len);
		if (off < 0)
			return -ENOMEM;
		n = rp_thread__read(t, v.base, lc->buf + off, v.len);
		if (n < 0 || (uint64_t)n < v.len)
			goto fault;
	}
	p = new_payload(lc, arg, part, start);
	if (p)
		p->len = p->full_len = (uint32_t)(lc->len - (size_t)start);
	return 0;
fault:
	lc->len = (size_t)start;
	lc->fault = true;
	return 1;
}

static int grab_msghdr(struct rp_thread *t, struct rp_live *lc, unsigned arg, uint64_t addr)
{
	struct u_msghdr m;
	int err;

	if (rp_thread__read(t, addr, &m, sizeof(m)) != sizeof(m)) {
		lc->fault = true;
		return 1;
	}
	err = grab_iov(t, lc, arg, 0, m.iov, m.iovlen);
	if (err < 0)
		return err;
	if (m.name && m.namelen)
		err = grab(t, lc, arg, 1, m.name, FR_MIN(m.namelen, (uint32_t)MAX_SOCKADDR));
	if (err < 0)
		return err;
	if (m.control && m.controllen)
		err = grab(t, lc, arg, 2, m.control, FR_MIN(m.controllen, (uint64_t)65536));
	return err < 0 ? err : 0;
}

/* mmsghdr arrays: message i as parts 3i (data), 3i+1 (name), 3i+2
 * (control), as capture records them. */
static int grab_mmsghdr(struct rp_thread *t, struct rp_live *lc, unsigned arg, uint64_t addr,
			uint64_t vlen)
{
	uint64_t i;
	int err = 0;

	if (vlen > RP_MMSG_MAX)
		vlen = RP_MMSG_MAX;
	for (i = 0; i < vlen && err >= 0; i++) {
		struct u_mmsghdr mm;

		if (rp_thread__read(t, addr + i * sizeof(mm), &mm, sizeof(mm)) != sizeof(mm)) {
			lc->fault = true;
			return 1;
		}
		err = grab_iov(t, lc, arg, (unsigned)(3 * i), mm.hdr.iov, mm.hdr.iovlen);
		if (err >= 0 && mm.hdr.name && mm.hdr.namelen)
			err = grab(t, lc, arg, (unsigned)(3 * i + 1), mm.hdr.name,
				   FR_MIN(mm.hdr.namelen, (uint32_t)MAX_SOCKADDR));
	}
	return err < 0 ? err : 0;
}

int rp_live_read(struct rp_thread *t, struct rp_live *lc)
{
	const struct fr_syscall_desc *d = fr_syscall((unsigned)t->sc.nr);
	unsigned a;
	uint32_t i;
	int err = 0;

	memset(&lc->sc, 0, sizeof(lc->sc));
	lc->sc.nr = (uint32_t)t->sc.nr;
	memcpy(lc->sc.args, t->sc.args, sizeof(lc->sc.args));
	lc->sc.flags = FR_SC_NO_EXIT;
	lc->n_payloads = 0;
	lc->fault = false;
	lc->len = 0;
	if (!d)
		return 0;
	for (a = 0; a < d->nargs && a < 6 && err >= 0; a++) {
		const struct fr_syscall_arg_desc *ad = &d->args[a];
		uint64_t v = t->sc.args[a];
		uint64_t n = ad->len_arg < 6 ? t->sc.args[ad->len_arg] : 0;

		if (!v)
			continue;
		switch (ad->kind) {
		case FR_A_PATH:
			err = grab_str(t, lc, a, v, MAX_PATH_LEN + 1);
			break;
		case FR_A_STR:
			err = grab_str(t, lc, a, v, MAX_STR_LEN);
			break;
		case FR_A_STRV:
			err = grab_strv(t, lc, a, v);
			break;
		case FR_A_BUF_IN:
		case FR_A_SIGSET_IN:
			err = grab(t, lc, a, 0, v, n);
			break;
		case FR_A_STRUCT_IN:
		case FR_A_STRUCT_INOUT:
			err = grab(t, lc, a, 0, v, ad->size);
			break;
		case FR_A_ARRAY_IN:
		case FR_A_ARRAY_INOUT:
			if (ad->size && n <= RP_LIVE_MAX_ARG / ad->size)
				err = grab(t, lc, a, 0, v, n * ad->size);
			break;
		case FR_A_IOV_IN:
			err = grab_iov(t, lc, a, 0, v, n);
			break;
		case FR_A_SOCKADDR_IN:
			err = grab(t, lc, a, 0, v, FR_MIN(n, (uint64_t)MAX_SOCKADDR));
			break;
		case FR_A_MSGHDR_IN:
			err = grab_msghdr(t, lc, a, v);
			break;
		case FR_A_MMSGHDR_IN:
			err = grab_mmsghdr(t, lc, a, v, n);
			break;
		case FR_A_FDSET_INOUT:
			if (n <= 65536)
				err = grab(t, lc, a, 0, v, ((n + 63) / 64) * 8);
			break;
		default:
			break;
		}
	}
	for (i = 0; i < lc->n_payloads; i++)
		lc->payloads[i].data = lc->buf + (uintptr_t)lc->payloads[i].data;
	return err < 0 ? err : 0;
}

void rp_live_release(struct rp_live *lc)
{
	free(lc->buf);
	lc->buf = NULL;
	lc->len = lc->cap = 0;
	lc->n_payloads = 0;
}

void rp_live_to_event(const struct rp_live *lc, uint32_t pid, uint32_t tid, struct fr_event *ev)
{
	uint32_t i;

	memset(ev, 0, sizeof(*ev));
	ev->pid = pid;
	ev->tid = tid;
	ev->type = FR_EV_SYSCALL;
	ev->u.sc = lc->sc;
	for (i = 0; i < lc->n_payloads; i++)
		ev->payloads[i] = lc->payloads[i];
	ev->n_payloads = lc->n_payloads;
}

const struct fr_payload *rp_live_payload(const struct rp_live *lc, int arg, int part)
{
	uint32_t i;

	for (i = 0; i < lc->n_payloads; i++)
		if (lc->payloads[i].arg == arg && lc->payloads[i].part == part)
			return &lc->payloads[i];
	return NULL;
}

/* ---- comparing -------------------------------------------------------------------- */

/* HEX arguments are mostly addresses (mmap, munmap, brk, futex words):
 * not compared, except where the table uses HEX for a request code. */
bool rp_scalar_compared(unsigned nr, unsigned arg, unsigned kind)
{
	if (kind == FR_A_HEX)
		return nr == 16 /* ioctl request */ && arg == 1;
	switch (kind) {
	case FR_A_INT:
	case FR_A_UINT:
	case FR_A_FD:
	case FR_A_FLAGS:
	case FR_A_ENUM:
	case FR_A_MODE:
	case FR_A_SIGNAL:
		return true;
	default:
		return false;
	}
}

/* Arguments passed as 32-bit ints: the upper half of the register is not
 * the program's and may hold anything. */
static bool scalar_is_int(const struct fr_syscall_arg_desc *ad)
{
	switch (ad->kind) {
	case FR_A_FD:
	case FR_A_MODE:
	case FR_A_SIGNAL:
		return true;
	case FR_A_INT:
	case FR_A_UINT:
		return ad->size == 4;
	default:
		return false;
	}
}

/* Is the argument a pointer to data the call reads or writes (whose NULL-ness
 * matters even though its value does not)? */
static bool is_pointer_kind(unsigned kind)
{
	return kind >= FR_A_PATH && kind < FR_A_KIND_COUNT;
}

static size_t strip_nuls(const uint8_t *d, size_t n)
{
	while (n && !d[n - 1])
		n--;
	return n;
}

size_t rp_sockaddr_key(const uint8_t *d, size_t n, uint8_t out[RP_SOCKADDR_KEY_MAX])
{
	uint16_t fam;
	size_t len = n;

	if (n < 2)
		return 0;
	memcpy(&fam, d, 2);
	switch (fam) {
	case 2: /* AF_INET: family, port, address */
		if (n < 8)
			break;
		memcpy(out, d, 8);
		return 8;
	case 10: /* AF_INET6: family, port, (flowinfo skipped), address, scope */
		if (n < 28)
			break;
		memcpy(out, d, 4);
		memcpy(out + 4, d + 8, 20);
		return 24;
	case 1: /* AF_UNIX: up to the NUL for a path, all bytes when abstract */
		if (n > 2 && d[2])
			len = 2 + strnlen((const char *)d + 2, n - 2);
		break;
	default:
		break;
	}
	len = FR_MIN(len, (size_t)RP_SOCKADDR_KEY_MAX);
	memcpy(out, d, len);
	return len;
}

/* Compare one input.  Returns true when equal; *off = first difference. */
static bool data_equal(unsigned nr, unsigned kind, uint16_t size, const struct fr_payload *rec,
		       const struct fr_payload *live, size_t *off)
{
	const uint8_t *a = rec->data, *b = live->data;
	size_t na = rec->len, nb = live->len, i, n;
	bool partial = rec->len < rec->full_len || (rec->flags & FR_PLF_TRUNCATED);
	uint8_t ka[MAX_SOCKADDR], kb[MAX_SOCKADDR];

	*off = 0;
	if (nr == 435 /* clone3 */ && rec->arg == 0) {
		/* struct clone_args: flags (0) and exit_signal (32) are the
		 * program's choice; the rest are addresses (stack, tls, tid
		 * pointers) and sizes that follow from them. */
		static const size_t fields[] = {0, 32};

		for (i = 0; i < FR_ARRAY_SIZE(fields); i++) {
			if (na < fields[i] + 8 || nb < fields[i] + 8)
				return na == nb;
			if (memcmp(a + fields[i], b + fields[i], 8)) {
				*off = fields[i];
				return false;
			}
		}
		return true;
	}
	if (kind == FR_A_PATH || kind == FR_A_STR) {
		na = strip_nuls(a, na);
		nb = strip_nuls(b, nb);
	} else if (kind == FR_A_SOCKADDR_IN || (kind == FR_A_MSGHDR_IN && rec->part == 1) ||
		   (kind == FR_A_MMSGHDR_IN && rec->part % 3 == 1)) {
		na = rp_sockaddr_key(a, na, ka);
		nb = rp_sockaddr_key(b, nb, kb);
		a = ka;
		b = kb;
	} else if (kind == FR_A_ARRAY_INOUT && size == 8) {
		/* pollfd: fd and events are the program's; revents is output. */
		if (na != nb && !partial)
			return false;
		n = FR_MIN(na, nb) / 8;
		for (i = 0; i < n; i++)
			if (memcmp(a + i * 8, b + i * 8, 6)) {
				*off = i * 8;
				return false;
			}
		return true;
	}
	n = FR_MIN(na, nb);
	for (i = 0; i < n; i++)
		if (a[i] != b[i]) {
			*off = i;
			return false;
		}
	*off = n;
	if (partial)
		return nb >= na; /* the recording holds a prefix */
	return na == nb;
}

static bool data_compared(unsigned kind)
{
	switch (kind) {
	case FR_A_PATH:
	case FR_A_STR:
	case FR_A_STRV:
	case FR_A_BUF_IN:
	case FR_A_IOV_IN:
	case FR_A_SOCKADDR_IN:
	case FR_A_MSGHDR_IN:
	case FR_A_MMSGHDR_IN:
	case FR_A_FDSET_INOUT:
	case FR_A_SIGSET_IN:
	case FR_A_ARRAY_IN:
	case FR_A_ARRAY_INOUT:
		return true;
	default:
		/* Structs are not compared: they carry padding and pointers
		 * (sigaction handlers, epoll user data) that need not match. */
		return false;
	}
}

enum rp_mismatch rp_compare_call(const struct rp_live *lc, const struct rp_call *rc,
				 struct rp_mismatch_info *mi)
{
	const struct fr_syscall_desc *d = fr_syscall(rc->sc.nr);
	unsigned a;
	uint32_t i;

	memset(mi, 0, sizeof(*mi));
	mi->arg = -1;
	if (lc->sc.nr != rc->sc.nr) {
		mi->kind = RP_MISMATCH_NR;
		mi->expected = rc->sc.nr;
		mi->actual = lc->sc.nr;
		return mi->kind;
	}
	if (!d)
		return RP_MATCH;
	for (a = 0; a < d->nargs && a < 6; a++) {
		unsigned kind = d->args[a].kind;
		uint64_t e = rc->sc.args[a], v = lc->sc.args[a];

		if (rp_scalar_compared(rc->sc.nr, a, kind)) {
			if (scalar_is_int(&d->args[a])) {
				e &= 0xffffffffu;
				v &= 0xffffffffu;
			}
			if (e == v)
				continue;
		} else if (is_pointer_kind(kind)) {
			if (!e == !v)
				continue;
		} else {
			continue;
		}
		mi->kind = RP_MISMATCH_ARG;
		mi->arg = (int)a;
		mi->expected = rc->sc.args[a];
		mi->actual = lc->sc.args[a];
		return mi->kind;
	}
	for (i = 0; i < rc->n_payloads; i++) {
		const struct fr_payload *p = &rc->payloads[i];
		const struct fr_payload *l;
		size_t off;

		if (p->kind != FR_PL_IN || p->arg >= d->nargs || (p->flags & FR_PLF_FAULT))
			continue;
		if (!data_compared(d->args[p->arg].kind))
			continue;
		if ((d->args[p->arg].kind == FR_A_MSGHDR_IN && p->part == 2) ||
		    (d->args[p->arg].kind == FR_A_MMSGHDR_IN && p->part % 3 == 2))
			continue; /* control data: fds and credentials differ by nature */
		l = rp_live_payload(lc, p->arg, p->part);
		if (!l) {
			if (!p->len)
				continue;
			mi->kind = RP_MISMATCH_DATA;
			mi->arg = p->arg;
			mi->expected_len = p->full_len;
			return mi->kind;
		}
		if (!data_equal(rc->sc.nr, d->args[p->arg].kind, d->args[p->arg].size, p, l,
				&off)) {
			mi->kind = RP_MISMATCH_DATA;
			mi->arg = p->arg;
			mi->offset = off;
			mi->expected_len = p->full_len;
			mi->actual_len = l->len;
			return mi->kind;
		}
	}
	return RP_MATCH;
}

void rp_mismatch_describe(struct fr_sb *sb, const struct rp_mismatch_info *mi,
			  const struct fr_syscall_desc *d)
{
	const char *en, *an;

	switch (mi->kind) {
	case RP_MATCH:
		fr_sb_puts(sb, "identical");
		break;
	case RP_MISMATCH_NR:
		en = fr_syscall_name((unsigned)mi->expected);
		an = fr_syscall_name((unsigned)mi->actual);
		fr_sb_printf(sb, "another system call: expected %s, got ", en ? en : "?");
		if (an)
			fr_sb_puts(sb, an);
		else
			fr_sb_printf(sb, "syscall %" PRIu64, mi->actual);
		break;
	case RP_MISMATCH_ARG:
		fr_sb_printf(sb, "argument %d", mi->arg + 1);
		if (d && d->args[mi->arg].kind >= FR_A_PATH)
			fr_sb_printf(sb, ": expected %s pointer, got %s",
				     mi->expected ? "a" : "a NULL",
				     mi->actual ? "a pointer" : "NULL");
		else
			fr_sb_printf(
			    sb,
			    ": expected %" PRId64 " (%#" PRIx64 "), got %" PRId64 " (%#" PRIx64 ")",
			    (int64_t)mi->expected, mi->expected, (int64_t)mi->actual, mi->actual);
		break;
	case RP_MISMATCH_DATA:
		if (!mi->actual_len && !mi->offset)
			fr_sb_printf(sb, "the data of argument %d: expected %zu bytes, got none",
				     mi->arg + 1, mi->expected_len);
		else
			fr_sb_printf(sb,
				     "the data of argument %d differs from byte %zu (expected %zu "
				     "bytes, got %zu)",
				     mi->arg + 1, mi->offset, mi->expected_len, mi->actual_len);
		break;
	}
}

/* ---- serving ------------------------------------------------------------------------ */

/* Scatter `len` bytes over the live iovecs at iov_addr. */
static int scatter(struct rp_thread *t, uint64_t iov_addr, uint64_t cnt, const uint8_t *data,
		   size_t len)
{
	uint64_t i;
	size_t done = 0;

	for (i = 0; i < cnt && i < MAX_IOV && done < len; i++) {
		struct u_iovec v;
		size_t n;
		int err;

		if (rp_thread__read(t, iov_addr + i * sizeof(v), &v, sizeof(v)) != sizeof(v))
			return -EFAULT;
		n = (size_t)FR_MIN((uint64_t)(len - done), v.len);
		err = rp_thread__write(t, v.base, data + done, n);
		if (err)
			return err;
		done += n;
	}
	return done == len ? 0 : -E2BIG;
}

static int serve_msghdr(struct rp_thread *t, uint64_t addr, const struct rp_call *rc,
			const struct fr_payload *p, const uint8_t *data)
{
	struct u_msghdr m;
	int err;

	if (rp_thread__read(t, addr, &m, sizeof(m)) != sizeof(m))
		return -EFAULT;
	switch (p->part) {
	case 0:
		return scatter(t, m.iov, m.iovlen, data, p->len);
	case 1:
		if (!m.name)
			return 0;
		if (p->len > m.namelen)
			return -E2BIG;
		err = rp_thread__write(t, m.name, data, p->len);
		if (err)
			return err;
		m.namelen = p->full_len;
		return rp_thread__write(t, addr + offsetof(struct u_msghdr, namelen), &m.namelen,
					4);
	case 2:
		if (!m.control)
			return 0;
		if (p->len > m.controllen)
			return -E2BIG;
		err = rp_thread__write(t, m.control, data, p->len);
		if (err)
			return err;
		m.controllen = p->len;
		return rp_thread__write(t, addr + offsetof(struct u_msghdr, controllen),
					&m.controllen, 8);
	default:
		(void)rc;
		return 0;
	}
}

/* After all parts: a msghdr without a recorded name or control gets zero
 * lengths for them, as the kernel would leave when none was received. */
static int serve_msghdr_defaults(struct rp_thread *t, uint64_t addr, const struct rp_call *rc,
				 unsigned arg)
{
	uint32_t zero32 = 0;
	uint64_t zero64 = 0;
	int32_t flags = 0;
	int err = 0;

	if (!rp_call_payload(rc, FR_PL_OUT, (int)arg, 1))
		err = rp_thread__write(t, addr + offsetof(struct u_msghdr, namelen), &zero32, 4);
	if (!err && !rp_call_payload(rc, FR_PL_OUT, (int)arg, 2))
		err = rp_thread__write(t, addr + offsetof(struct u_msghdr, controllen), &zero64, 8);
	if (!err)
		err = rp_thread__write(t, addr + offsetof(struct u_msghdr, flags), &flags, 4);
	return err;
}

int rp_serve_outputs(struct rp_thread *t, const struct rp_call *rc, rp_out_adjust_fn adjust,
		     void *ctx)
{
	const struct fr_syscall_desc *d = fr_syscall(rc->sc.nr);
	uint8_t *copy = NULL;
	size_t copy_cap = 0;
	bool msghdr_done[6] = {false};
	uint32_t i;
	int err = 0;

	for (i = 0; i < rc->n_payloads && !err; i++) {
		const struct fr_payload *p = &rc->payloads[i];
		const uint8_t *data = p->data;
		unsigned kind = FR_A_NONE;
		uint64_t addr, n;

		if (p->kind != FR_PL_OUT || p->arg >= 6)
			continue;
		addr = t->sc.args[p->arg];
		if (!addr)
			continue;
		if (d && p->arg < d->nargs)
			kind = d->args[p->arg].kind;
		n = d && p->arg < d->nargs && d->args[p->arg].len_arg < 6
			? t->sc.args[d->args[p->arg].len_arg]
			: UINT64_MAX;
		if (adjust && p->len) {
			if (copy_cap < p->len) {
				uint8_t *c = realloc(copy, p->len);

				if (!c) {
					err = -ENOMEM;
					break;
				}
				copy = c;
				copy_cap = p->len;
			}
			memcpy(copy, p->data, p->len);
			adjust(ctx, rc, p, copy, p->len);
			data = copy;
		}
		switch (kind) {
		case FR_A_BUF_OUT:
			if (p->len > n)
				err = -E2BIG;
			else
				err = rp_thread__write(t, addr, data, p->len);
			break;
		case FR_A_IOV_OUT:
			err = scatter(t, addr, n, data, p->len);
			break;
		case FR_A_SOCKADDR_OUT: {
			/* The address, and its length through the socklen_t
			 * pointer, whose input value is the room there is. */
			uint32_t room = 0;
			uint64_t lenp =
			    d->args[p->arg].len_arg < 6 ? t->sc.args[d->args[p->arg].len_arg] : 0;
			uint32_t full = p->full_len;

			if (lenp && rp_thread__read(t, lenp, &room, 4) != 4) {
				err = -EFAULT;
				break;
			}
			err = rp_thread__write(t, addr, data, FR_MIN(p->len, room));
			if (!err && lenp)
				err = rp_thread__write(t, lenp, &full, 4);
			break;
		}
		case FR_A_MSGHDR_OUT:
			err = serve_msghdr(t, addr, rc, p, data);
			if (!err && !msghdr_done[p->arg]) {
				msghdr_done[p->arg] = true;
				err = serve_msghdr_defaults(t, addr, rc, p->arg);
			}
			break;
		case FR_A_MMSGHDR_OUT: {
			/* message p->part / 3: its msghdr, and its msg_len for data */
			uint64_t mi = p->part / 3, maddr = addr + mi * sizeof(struct u_mmsghdr);
			struct fr_payload part = *p;

			if (mi >= RP_MMSG_MAX) {
				err = -E2BIG;
				break;
			}
			part.part = (uint8_t)(p->part % 3);
			err = serve_msghdr(t, maddr, rc, &part, data);
			if (!err && part.part == 0) {
				uint32_t l = p->full_len;

				err = rp_thread__write(t, maddr + offsetof(struct u_mmsghdr, len),
						       &l, 4);
			}
			break;
		}
		case FR_A_STRUCT_OUT:
		case FR_A_STRUCT_INOUT:
			if (d->args[p->arg].size && p->len > d->args[p->arg].size)
				err = -E2BIG;
			else
				err = rp_thread__write(t, addr, data, p->len);
			break;
		default:
			/* ARRAY_OUT/INOUT, FDSET, SIGSET, and outputs the table
			 * does not describe (ioctl): the recorded bytes at the
			 * argument's address. */
			err = rp_thread__write(t, addr, data, p->len);
			break;
		}
	}
	free(copy);
	return err;
}
