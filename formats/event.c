// SPDX-License-Identifier: MIT
/* event.c: decoded-event helpers and the ring-buffer record parser. */
#include "formats/event.h"

#include <errno.h>
#include <string.h>

#include "formats/util.h"

const char *fr_loss_cause_name(unsigned cause)
{
	static const char *const names[FR_LOSS_CAUSE_COUNT] = {
		[FR_LOSS_RING_FULL] = "ring_full",
		[FR_LOSS_PAYLOAD_TRUNCATED] = "payload_truncated",
		[FR_LOSS_READ_FAULT] = "read_fault",
		[FR_LOSS_EVICTED] = "evicted",
	};

	return cause < FR_LOSS_CAUSE_COUNT ? names[cause] : NULL;
}

const char *fr_payload_kind_name(unsigned kind)
{
	static const char *const names[FR_PL_KIND_COUNT] = {
		[FR_PL_IN] = "in",
		[FR_PL_OUT] = "out",
		[FR_PL_FDINFO] = "fdinfo",
		[FR_PL_EXEC_FILENAME] = "exec_filename",
		[FR_PL_EXEC_ARGV] = "exec_argv",
		[FR_PL_EXEC_ENV] = "exec_env",
		[FR_PL_TEXT] = "text",
	};

	return kind < FR_PL_KIND_COUNT ? names[kind] : NULL;
}

const struct fr_payload *fr_event_payload(const struct fr_event *ev, int kind,
					  int arg, int part)
{
	uint32_t i;

	for (i = 0; i < ev->n_payloads && i < FR_MAX_PAYLOADS; i++) {
		const struct fr_payload *p = &ev->payloads[i];

		if ((kind < 0 || p->kind == kind) && (arg < 0 || p->arg == arg) &&
		    (part < 0 || p->part == part))
			return p;
	}
	return NULL;
}

uint64_t fr_event_start_ns(const struct fr_event *ev)
{
	uint64_t start = 0;

	switch (ev->type) {
	case FR_EV_SYSCALL:
		start = ev->u.sc.enter_ns;
		break;
	case FR_EV_PAGE_FAULT:
		start = ev->u.pf.start_ns;
		break;
	case FR_EV_RECLAIM:
		start = ev->u.reclaim.start_ns;
		break;
	case FR_EV_BLOCK_COMPLETE:
		start = ev->u.blk.issue_ns;
		break;
	default:
		break;
	}
	return start && start <= ev->ts_ns ? start : ev->ts_ns;
}

int fr_event_from_record(struct fr_event *ev, const void *rec, size_t len)
{
	const uint8_t *p = rec;
	struct fr_rec_hdr h;
	size_t body, off;
	uint32_t n = 0;

	if (len < sizeof(h))
		return -EINVAL;
	memcpy(&h, p, sizeof(h));
	body = fr_event_body_size(h.type);
	if (!body || h.size < sizeof(h) + body || h.size > len)
		return -EINVAL;
	ev->ts_ns = h.ts_ns;
	ev->pid = h.pid;
	ev->tid = h.tid;
	ev->type = h.type;
	ev->cpu = h.cpu;
	memset(&ev->u, 0, sizeof(ev->u));
	memcpy(&ev->u, p + sizeof(h), body);
	off = sizeof(h) + body;
	off = (off + FR_PAYLOAD_ALIGN - 1) & ~(size_t)(FR_PAYLOAD_ALIGN - 1);
	while (off + sizeof(struct fr_payload_hdr) <= h.size) {
		struct fr_payload_hdr ph;

		memcpy(&ph, p + off, sizeof(ph));
		off += sizeof(ph);
		if (n >= FR_MAX_PAYLOADS || ph.len > ph.full_len || ph.len > h.size - off)
			return -EINVAL;
		ev->payloads[n].kind = ph.kind;
		ev->payloads[n].arg = ph.arg;
		ev->payloads[n].part = ph.part;
		ev->payloads[n].flags = ph.flags;
		ev->payloads[n].full_len = ph.full_len;
		ev->payloads[n].len = ph.len;
		ev->payloads[n].data = p + off;
		n++;
		off += (ph.len + 7u) & ~7u;
	}
	ev->n_payloads = n;
	return (int)h.size;
}
