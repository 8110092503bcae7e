// SPDX-License-Identifier: MIT
/*
 * codec.c: events <-> chunk records (layout in formats/codec.h).
 *
 * Bodies are described by field tables rather than hand-written per type, so
 * adding a field is one line here plus one in bpf/fr_events.h.
 */
#include "formats/codec.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "formats/event.h"
#include "formats/util.h"

enum field_kind {
	F_U16,
	F_U32,
	F_U64,
	F_S32,
	F_S64,
	F_STR,   /* char[size], stored up to the first NUL */
	F_BYTES, /* uint8_t[size], stored raw */
};

struct field {
	uint8_t kind;
	uint8_t size; /* F_STR / F_BYTES */
	uint16_t off;
};

#define U16(S, m) { F_U16, 0, offsetof(struct S, m) }
#define U32(S, m) { F_U32, 0, offsetof(struct S, m) }
#define U64(S, m) { F_U64, 0, offsetof(struct S, m) }
#define S32(S, m) { F_S32, 0, offsetof(struct S, m) }
#define S64(S, m) { F_S64, 0, offsetof(struct S, m) }
#define STR(S, m) { F_STR, sizeof(((struct S *)0)->m), offsetof(struct S, m) }
#define BYTES(S, m) { F_BYTES, sizeof(((struct S *)0)->m), offsetof(struct S, m) }

static const struct field f_syscall[] = {
	U64(fr_ev_syscall, enter_ns), S64(fr_ev_syscall, ret),
	U64(fr_ev_syscall, args[0]), U64(fr_ev_syscall, args[1]),
	U64(fr_ev_syscall, args[2]), U64(fr_ev_syscall, args[3]),
	U64(fr_ev_syscall, args[4]), U64(fr_ev_syscall, args[5]),
	U32(fr_ev_syscall, nr), U32(fr_ev_syscall, flags),
};
static const struct field f_switch[] = {
	U32(fr_ev_sched_switch, next_pid), U32(fr_ev_sched_switch, next_tid),
	S64(fr_ev_sched_switch, prev_state), S32(fr_ev_sched_switch, prev_prio),
	S32(fr_ev_sched_switch, next_prio), STR(fr_ev_sched_switch, prev_comm),
	STR(fr_ev_sched_switch, next_comm),
};
static const struct field f_wakeup[] = {
	U32(fr_ev_sched_wakeup, target_pid), U32(fr_ev_sched_wakeup, target_tid),
	S32(fr_ev_sched_wakeup, target_cpu), U16(fr_ev_sched_wakeup, flags),
	U16(fr_ev_sched_wakeup, ctx), U32(fr_ev_sched_wakeup, ctx_info),
	U32(fr_ev_sched_wakeup, reserved), STR(fr_ev_sched_wakeup, target_comm),
};
static const struct field f_migrate[] = {
	U32(fr_ev_sched_migrate, target_pid), U32(fr_ev_sched_migrate, target_tid),
	S32(fr_ev_sched_migrate, orig_cpu), S32(fr_ev_sched_migrate, dest_cpu),
};
static const struct field f_fork[] = {
	U32(fr_ev_proc_fork, child_pid), U32(fr_ev_proc_fork, child_tid),
	U64(fr_ev_proc_fork, clone_flags), STR(fr_ev_proc_fork, child_comm),
};
static const struct field f_exec[] = {
	U32(fr_ev_proc_exec, old_tid), U32(fr_ev_proc_exec, flags),
	STR(fr_ev_proc_exec, comm),
};
static const struct field f_exit[] = {
	S32(fr_ev_proc_exit, status), U32(fr_ev_proc_exit, flags),
};
static const struct field f_comm[] = {
	STR(fr_ev_proc_comm, old_comm), STR(fr_ev_proc_comm, new_comm),
};
static const struct field f_pf[] = {
	U64(fr_ev_page_fault, start_ns), U64(fr_ev_page_fault, address),
	U64(fr_ev_page_fault, ip), U32(fr_ev_page_fault, error_code),
	U32(fr_ev_page_fault, flags),
};
static const struct field f_reclaim[] = {
	U64(fr_ev_reclaim, start_ns), U64(fr_ev_reclaim, nr_reclaimed),
	U64(fr_ev_reclaim, gfp_flags), U64(fr_ev_reclaim, memcg_id),
	U32(fr_ev_reclaim, kind), U32(fr_ev_reclaim, order),
};
static const struct field f_oom[] = {
	U32(fr_ev_oom_kill, victim_pid), S32(fr_ev_oom_kill, oom_score_adj),
	U64(fr_ev_oom_kill, total_vm_kb), U64(fr_ev_oom_kill, anon_rss_kb),
	U64(fr_ev_oom_kill, file_rss_kb), U64(fr_ev_oom_kill, shmem_rss_kb),
	U64(fr_ev_oom_kill, memcg_id), U32(fr_ev_oom_kill, uid),
	U32(fr_ev_oom_kill, reserved), STR(fr_ev_oom_kill, victim_comm),
};
static const struct field f_tcp[] = {
	BYTES(fr_ev_tcp, tuple.saddr), BYTES(fr_ev_tcp, tuple.daddr),
	U16(fr_ev_tcp, tuple.sport), U16(fr_ev_tcp, tuple.dport),
	U16(fr_ev_tcp, tuple.family), U16(fr_ev_tcp, tuple.protocol),
	U64(fr_ev_tcp, sock_id), S32(fr_ev_tcp, oldstate), S32(fr_ev_tcp, newstate),
};
static const struct field f_block[] = {
	U64(fr_ev_block, sector), U64(fr_ev_block, issue_ns), U32(fr_ev_block, dev),
	U32(fr_ev_block, nr_bytes), S32(fr_ev_block, error), STR(fr_ev_block, rwbs),
	U32(fr_ev_block, reserved),
};
static const struct field f_sig_gen[] = {
	U32(fr_ev_signal_generate, target_pid), U32(fr_ev_signal_generate, target_tid),
	S32(fr_ev_signal_generate, sig), S32(fr_ev_signal_generate, code),
	S32(fr_ev_signal_generate, result), U32(fr_ev_signal_generate, reserved),
};
static const struct field f_sig_del[] = {
	S32(fr_ev_signal_deliver, sig), S32(fr_ev_signal_deliver, code),
	U64(fr_ev_signal_deliver, sa_handler), U64(fr_ev_signal_deliver, sa_flags),
};
static const struct field f_lost[] = {
	U64(fr_ev_lost, count), U32(fr_ev_lost, cause), U32(fr_ev_lost, reserved),
};
static const struct field f_mark[] = {
	U32(fr_ev_mark, kind), U32(fr_ev_mark, reserved),
};

struct type_desc {
	const char *name;
	const struct field *fields;
	uint8_t n_fields;
	uint8_t body_size;
};

#define T(name, f, S) { name, f, FR_ARRAY_SIZE(f), sizeof(struct S) }

static const struct type_desc types[FR_EV_TYPE_COUNT] = {
	[FR_EV_SYSCALL] = T("syscall", f_syscall, fr_ev_syscall),
	[FR_EV_SCHED_SWITCH] = T("sched_switch", f_switch, fr_ev_sched_switch),
	[FR_EV_SCHED_WAKEUP] = T("sched_wakeup", f_wakeup, fr_ev_sched_wakeup),
	[FR_EV_SCHED_MIGRATE] = T("sched_migrate", f_migrate, fr_ev_sched_migrate),
	[FR_EV_PROC_FORK] = T("fork", f_fork, fr_ev_proc_fork),
	[FR_EV_PROC_EXEC] = T("exec", f_exec, fr_ev_proc_exec),
	[FR_EV_PROC_EXIT] = T("exit", f_exit, fr_ev_proc_exit),
	[FR_EV_PROC_COMM] = T("comm", f_comm, fr_ev_proc_comm),
	[FR_EV_PAGE_FAULT] = T("page_fault", f_pf, fr_ev_page_fault),
	[FR_EV_RECLAIM] = T("reclaim", f_reclaim, fr_ev_reclaim),
	[FR_EV_OOM_KILL] = T("oom_kill", f_oom, fr_ev_oom_kill),
	[FR_EV_TCP_STATE] = T("tcp_state", f_tcp, fr_ev_tcp),
	[FR_EV_TCP_RETRANSMIT] = T("tcp_retransmit", f_tcp, fr_ev_tcp),
	[FR_EV_TCP_RESET] = T("tcp_reset", f_tcp, fr_ev_tcp),
	[FR_EV_BLOCK_ISSUE] = T("block_issue", f_block, fr_ev_block),
	[FR_EV_BLOCK_COMPLETE] = T("block_complete", f_block, fr_ev_block),
	[FR_EV_SIGNAL_GENERATE] = T("signal_generate", f_sig_gen, fr_ev_signal_generate),
	[FR_EV_SIGNAL_DELIVER] = T("signal_deliver", f_sig_del, fr_ev_signal_deliver),
	[FR_EV_LOST] = T("lost", f_lost, fr_ev_lost),
	[FR_EV_MARK] = T("mark", f_mark, fr_ev_mark),
};

_Static_assert(FR_EV_TYPE_COUNT <= 64, "type masks are 64-bit");

static const struct type_desc *type_desc(unsigned type)
{
	if (type == FR_EV_NONE || type >= FR_EV_TYPE_COUNT)
		return NULL;
	return &types[type];
}

const char *fr_event_type_name(unsigned type)
{
	const struct type_desc *t = type_desc(type);

	return t ? t->name : NULL;
}

unsigned fr_event_type_by_name(const char *name)
{
	unsigned t;

	for (t = 1; t < FR_EV_TYPE_COUNT; t++)
		if (!strcmp(types[t].name, name))
			return t;
	return FR_EV_NONE;
}

size_t fr_event_body_size(unsigned type)
{
	const struct type_desc *t = type_desc(type);

	return t ? t->body_size : 0;
}

/* ---- varints -------------------------------------------------------------------- */

static inline size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static inline uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

/* Read a varint from [*p, end).  false when truncated or longer than 10 bytes. */
static inline bool get_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
	const uint8_t *q = *p;
	uint64_t v = 0;
	unsigned shift = 0;

	/* fast path: one byte */
	if (FR_ALWAYS(q < end) && !(*q & 0x80)) {
		*out = *q;
		*p = q + 1;
		return true;
	}
	while (q < end && shift < 64) {
		uint8_t b = *q++;

		if (shift == 63 && b > 1)
			return false; /* more than 64 bits */
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			*p = q;
			return true;
		}
		shift += 7;
	}
	return false;
}

/* ---- encoding -------------------------------------------------------------------- */

#define MAX_VARINT 10
/* Header varints + body: every body field is at most a varint or a 16-byte
 * array with its length; bodies are at most 80 bytes with <= 12 fields. */
#define MAX_HDR_BODY 256

size_t fr_codec_max_size(const struct fr_event *ev)
{
	size_t n = MAX_VARINT + MAX_HDR_BODY;
	uint32_t i;

	for (i = 0; i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++)
		n += 4 + 2 * MAX_VARINT + ev->payloads[i].len;
	return n;
}

static size_t encode_body(uint8_t *p, const struct type_desc *t, const void *body)
{
	const uint8_t *b = body;
	size_t n = 0;
	unsigned i;

	for (i = 0; i < t->n_fields; i++) {
		const struct field *f = &t->fields[i];
		const uint8_t *src = b + f->off;
		uint16_t u16;
		uint32_t u32;
		uint64_t u64;
		int32_t s32;
		int64_t s64;
		size_t len;

		switch (f->kind) {
		case F_U16:
			memcpy(&u16, src, 2);
			n += put_varint(p + n, u16);
			break;
		case F_U32:
			memcpy(&u32, src, 4);
			n += put_varint(p + n, u32);
			break;
		case F_U64:
			memcpy(&u64, src, 8);
			n += put_varint(p + n, u64);
			break;
		case F_S32:
			memcpy(&s32, src, 4);
			n += put_varint(p + n, zigzag(s32));
			break;
		case F_S64:
			memcpy(&s64, src, 8);
			n += put_varint(p + n, zigzag(s64));
			break;
		case F_STR:
			len = strnlen((const char *)src, f->size);
			n += put_varint(p + n, len);
			memcpy(p + n, src, len);
			n += len;
			break;
		case F_BYTES:
			memcpy(p + n, src, f->size);
			n += f->size;
			break;
		}
	}
	return n;
}

int fr_codec_encode(const struct fr_event *ev, uint64_t prev_ts, uint8_t *out,
		    size_t cap, size_t *used)
{
	const struct type_desc *t = type_desc(ev->type);
	uint8_t hb[MAX_HDR_BODY], bodybuf[MAX_HDR_BODY];
	size_t hn = 0, bn, total, i, pos;
	uint64_t plen = 0;

	if (!t || ev->n_payloads > FR_MAX_PAYLOADS)
		return -EINVAL;
	if (ev->ts_ns < prev_ts)
		return -ERANGE;

	bn = encode_body(bodybuf, t, &ev->u);
	hb[hn++] = (uint8_t)ev->type;
	hn += put_varint(hb + hn, ev->ts_ns - prev_ts);
	hn += put_varint(hb + hn, ev->pid);
	hn += put_varint(hb + hn, zigzag((int64_t)ev->tid - (int64_t)ev->pid));
	hn += put_varint(hb + hn, ev->cpu);
	hn += put_varint(hb + hn, bn);
	memcpy(hb + hn, bodybuf, bn);
	hn += bn;

	for (i = 0; i < ev->n_payloads; i++) {
		const struct fr_payload *pl = &ev->payloads[i];
		uint8_t tmp[MAX_VARINT];

		if (pl->len > pl->full_len || pl->len > FR_MAX_PAYLOAD_LEN ||
		    (pl->len && !pl->data))
			return -EINVAL;
		plen += 4 + put_varint(tmp, pl->full_len) + put_varint(tmp, pl->len) +
			pl->len;
	}
	total = hn + plen;
	{
		uint8_t tmp[MAX_VARINT];

		if (*used > cap || cap - *used < put_varint(tmp, total) + total)
			return -ENOSPC;
	}
	pos = *used;
	pos += put_varint(out + pos, total);
	memcpy(out + pos, hb, hn);
	pos += hn;
	for (i = 0; i < ev->n_payloads; i++) {
		const struct fr_payload *pl = &ev->payloads[i];

		out[pos++] = pl->kind;
		out[pos++] = pl->arg;
		out[pos++] = pl->part;
		out[pos++] = pl->flags;
		pos += put_varint(out + pos, pl->full_len);
		pos += put_varint(out + pos, pl->len);
		if (pl->len)
			memcpy(out + pos, pl->data, pl->len);
		pos += pl->len;
	}
	*used = pos;
	return 0;
}

/* ---- decoding ---------------------------------------------------------------------- */

/* Decode the body fields in [p, end) into `body` (already zeroed). */
static bool decode_body(const struct type_desc *t, const uint8_t *p,
			const uint8_t *end, void *body)
{
	uint8_t *b = body;
	unsigned i;

	for (i = 0; i < t->n_fields && p < end; i++) {
		const struct field *f = &t->fields[i];
		uint8_t *dst = b + f->off;
		uint64_t v;
		uint16_t u16;
		uint32_t u32;
		int32_t s32;
		int64_t s64;

		switch (f->kind) {
		case F_BYTES:
			if ((size_t)(end - p) < f->size)
				return false;
			memcpy(dst, p, f->size);
			p += f->size;
			continue;
		default:
			break;
		}
		if (!get_varint(&p, end, &v))
			return false;
		switch (f->kind) {
		case F_U16:
			if (v > UINT16_MAX)
				return false;
			u16 = (uint16_t)v;
			memcpy(dst, &u16, 2);
			break;
		case F_U32:
			if (v > UINT32_MAX)
				return false;
			u32 = (uint32_t)v;
			memcpy(dst, &u32, 4);
			break;
		case F_U64:
			memcpy(dst, &v, 8);
			break;
		case F_S32:
			s64 = unzigzag(v);
			if (s64 < INT32_MIN || s64 > INT32_MAX)
				return false;
			s32 = (int32_t)s64;
			memcpy(dst, &s32, 4);
			break;
		case F_S64:
			s64 = unzigzag(v);
			memcpy(dst, &s64, 8);
			break;
		case F_STR:
			/* stored without NUL; must leave room for one */
			if (v >= f->size || v > (uint64_t)(end - p))
				return false;
			memcpy(dst, p, v);
			p += v;
			break;
		}
	}
	return true; /* missing trailing fields stay zero; unknown extra bytes ignored */
}

/* Common record header.  On success *pos_out is the body start, *rec_end the
 * end of the record, *body_len its body length. */
static int decode_header(const uint8_t *buf, size_t len, size_t pos, uint64_t prev_ts,
			 struct fr_event *ev, const uint8_t **body, size_t *body_len,
			 const uint8_t **rec_end)
{
	const uint8_t *p = buf + pos, *end = buf + len, *rend;
	uint64_t rlen, dts, pid, dtid, cpu, blen;
	int64_t tid;

	if (pos >= len || !get_varint(&p, end, &rlen) || rlen > (uint64_t)(end - p) ||
	    rlen == 0)
		return -EINVAL;
	rend = p + rlen;
	ev->type = *p++;
	if (!get_varint(&p, rend, &dts) || !get_varint(&p, rend, &pid) ||
	    !get_varint(&p, rend, &dtid) || !get_varint(&p, rend, &cpu) ||
	    !get_varint(&p, rend, &blen))
		return -EINVAL;
	if (dts > UINT64_MAX - prev_ts || pid > UINT32_MAX || cpu > UINT16_MAX ||
	    blen > (uint64_t)(rend - p))
		return -EINVAL;
	tid = unzigzag(dtid);
	if (tid < -(int64_t)UINT32_MAX || tid > (int64_t)UINT32_MAX)
		return -EINVAL; /* keeps the addition below from overflowing */
	tid += (int64_t)pid;
	if (tid < 0 || tid > UINT32_MAX)
		return -EINVAL;
	ev->ts_ns = prev_ts + dts;
	ev->pid = (uint32_t)pid;
	ev->tid = (uint32_t)tid;
	ev->cpu = (uint16_t)cpu;
	*body = p;
	*body_len = blen;
	*rec_end = rend;
	return 0;
}

int fr_codec_peek(const uint8_t *buf, size_t len, size_t pos, uint64_t prev_ts,
		  struct fr_event *ev, size_t *rec_end)
{
	const uint8_t *body, *rend;
	size_t blen;
	int err;

	err = decode_header(buf, len, pos, prev_ts, ev, &body, &blen, &rend);
	if (err)
		return err;
	*rec_end = (size_t)(rend - buf);
	return type_desc(ev->type) ? 1 : 0;
}

int fr_codec_decode(const uint8_t *buf, size_t len, size_t *pos, uint64_t prev_ts,
		    struct fr_event *ev)
{
	const struct type_desc *t;
	const uint8_t *body, *rend, *p;
	size_t blen;
	uint32_t n = 0;
	int err;

	err = decode_header(buf, len, *pos, prev_ts, ev, &body, &blen, &rend);
	if (err)
		return err;
	t = type_desc(ev->type);
	if (!t) {
		*pos = (size_t)(rend - buf);
		ev->n_payloads = 0;
		return 0;
	}
	memset(&ev->u, 0, t->body_size);
	if (!decode_body(t, body, body + blen, &ev->u))
		return -EINVAL;
	p = body + blen;
	while (p < rend) {
		struct fr_payload *pl;
		uint64_t full, plen;

		if (n >= FR_MAX_PAYLOADS || rend - p < 4)
			return -EINVAL;
		pl = &ev->payloads[n];
		pl->kind = p[0];
		pl->arg = p[1];
		pl->part = p[2];
		pl->flags = p[3];
		p += 4;
		if (!get_varint(&p, rend, &full) || !get_varint(&p, rend, &plen))
			return -EINVAL;
		if (full > UINT32_MAX || plen > full || plen > FR_MAX_PAYLOAD_LEN ||
		    plen > (uint64_t)(rend - p))
			return -EINVAL;
		pl->full_len = (uint32_t)full;
		pl->len = (uint32_t)plen;
		pl->data = p;
		p += plen;
		n++;
	}
	ev->n_payloads = n;
	*pos = (size_t)(rend - buf);
	return 1;
}
