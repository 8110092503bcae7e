// SPDX-License-Identifier: MIT
/* assemble.c: payload pieces back into their events (see assemble.h). */
#include "capture/assemble.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/fr_capture.h"
#include "formats/event.h"

#define NBUCKETS 1024

struct piece {
	struct piece *next; /* in the thread's list, arrival order */
	uint64_t seq;
	uint32_t kap; /* kind | arg << 8 | part << 16 */
	uint32_t flags;
	uint32_t offset;
	uint32_t len;
	uint32_t total;
	uint8_t data[];
};

struct thread {
	struct thread *next; /* bucket chain */
	uint32_t tid;
	struct piece *head, *tail;
};

struct fr_asm {
	struct thread *buckets[NBUCKETS];
	uint8_t *out;
	size_t out_cap;
	struct fr_asm_stats st;
};

int fr_asm__new(struct fr_asm **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void free_pieces(struct fr_asm *a, struct piece *p)
{
	while (p) {
		struct piece *n = p->next;

		a->st.pending_bytes -= p->len;
		free(p);
		p = n;
	}
}

void fr_asm__free(struct fr_asm *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < NBUCKETS; i++) {
		struct thread *t = a->buckets[i];

		while (t) {
			struct thread *n = t->next;

			free_pieces(a, t->head);
			free(t);
			t = n;
		}
	}
	free(a->out);
	free(a);
}

static struct thread **slot_of(struct fr_asm *a, uint32_t tid)
{
	struct thread **pp = &a->buckets[(tid * 2654435761u) % NBUCKETS];

	while (*pp && (*pp)->tid != tid)
		pp = &(*pp)->next;
	return pp;
}

static uint32_t kap_of(unsigned kind, unsigned arg, unsigned part)
{
	return kind | (arg << 8) | (part << 16);
}

int fr_asm__add_piece(struct fr_asm *a, const void *rec, size_t len)
{
	struct fr_rec_hdr h;
	struct fr_piece pc;
	struct thread **pp, *t;
	struct piece *p;

	if (len < sizeof(h) + sizeof(pc)) {
		a->st.bad_records++;
		return -EINVAL;
	}
	memcpy(&h, rec, sizeof(h));
	memcpy(&pc, (const uint8_t *)rec + sizeof(h), sizeof(pc));
	if (h.size > len || h.size < sizeof(h) + sizeof(pc) ||
	    pc.len > h.size - sizeof(h) - sizeof(pc) || pc.offset > pc.total ||
	    pc.len > pc.total - pc.offset) {
		a->st.bad_records++;
		return -EINVAL;
	}
	p = malloc(sizeof(*p) + pc.len);
	if (!p)
		return -ENOMEM;
	p->next = NULL;
	p->seq = pc.seq;
	p->kap = kap_of(pc.kind, pc.arg, pc.part);
	p->flags = pc.flags;
	p->offset = pc.offset;
	p->len = pc.len;
	p->total = pc.total;
	memcpy(p->data, (const uint8_t *)rec + sizeof(h) + sizeof(pc), pc.len);
	pp = slot_of(a, h.tid);
	t = *pp;
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t) {
			free(p);
			return -ENOMEM;
		}
		t->tid = h.tid;
		*pp = t;
	}
	if (t->tail)
		t->tail->next = p;
	else
		t->head = p;
	t->tail = p;
	a->st.pieces++;
	a->st.piece_bytes += pc.len;
	a->st.pending_bytes += pc.len;
	return 0;
}

/* Walk the payload items of a record: calls fn for each; stops on malformed. */
static size_t items_start(const struct fr_rec_hdr *h)
{
	size_t body = fr_event_body_size(h->type);

	return (sizeof(*h) + body + 7) & ~(size_t)7;
}

int fr_asm__needs_merge(const void *rec, size_t len)
{
	const uint8_t *p = rec;
	struct fr_rec_hdr h;
	struct fr_payload_hdr ph;
	size_t off;

	if (len < sizeof(h))
		return 0;
	memcpy(&h, p, sizeof(h));
	if (h.type == FR_EV_SYSCALL) {
		struct fr_ev_syscall b;

		/* the kernel says whether it wrote stubs */
		if (h.size > len || h.size < sizeof(h) + sizeof(b))
			return 0;
		memcpy(&b, p + sizeof(h), sizeof(b));
		return (b.flags & FR_SC_HAS_STUBS) != 0;
	}
	if (h.type != FR_EV_PROC_EXEC)
		return 0;
	if (h.size > len || !fr_event_body_size(h.type))
		return 0;
	for (off = items_start(&h); off + sizeof(ph) <= h.size;) {
		memcpy(&ph, p + off, sizeof(ph));
		if (ph.flags & FR_PLF_PIECES)
			return 1;
		off += sizeof(ph) + ((ph.len + 7u) & ~7u);
	}
	return 0;
}

static int reserve_out(struct fr_asm *a, size_t need)
{
	uint8_t *n;
	size_t cap;

	if (need <= a->out_cap)
		return 0;
	cap = a->out_cap ? a->out_cap : 65536;
	while (cap < need)
		cap *= 2;
	n = realloc(a->out, cap);
	if (!n)
		return -ENOMEM;
	a->out = n;
	a->out_cap = cap;
	return 0;
}

int fr_asm__merge(struct fr_asm *a, const void *rec, size_t len, const void **out, size_t *out_len)
{
	const uint8_t *in = rec;
	struct fr_rec_hdr h;
	struct fr_payload_hdr ph;
	struct thread **pp, *t;
	struct piece *p, **link;
	size_t off, o, need, start;
	uint64_t max_seq = 0;
	bool any_seq = false;

	if (len < sizeof(h))
		return -EINVAL;
	memcpy(&h, in, sizeof(h));
	if (h.size > len || !fr_event_body_size(h.type) ||
	    h.size < sizeof(h) + fr_event_body_size(h.type))
		return -EINVAL;
	pp = slot_of(a, h.tid);
	t = *pp;
	start = items_start(&h);

	/* size of the result */
	need = start;
	for (off = start; off + sizeof(ph) <= h.size;) {
		memcpy(&ph, in + off, sizeof(ph));
		if (ph.len > h.size - off - sizeof(ph))
			goto bad;
		if (ph.flags & FR_PLF_PIECES) {
			struct fr_stub st;

			if (ph.len < sizeof(st))
				goto bad;
			memcpy(&st, in + off + sizeof(ph), sizeof(st));
			if (st.total > FR_MAX_PAYLOAD_LEN || st.total > ph.full_len)
				goto bad;
			need += sizeof(ph) + ((st.total + 7u) & ~7u);
		} else {
			need += sizeof(ph) + ((ph.len + 7u) & ~7u);
		}
		off += sizeof(ph) + ((ph.len + 7u) & ~7u);
	}
	if (need > UINT32_MAX || reserve_out(a, need))
		return -ENOMEM;
	memcpy(a->out, in, start);
	memset(a->out + sizeof(h) + fr_event_body_size(h.type), 0,
	       start - sizeof(h) - fr_event_body_size(h.type));

	o = start;
	for (off = start; off + sizeof(ph) <= h.size;) {
		size_t plen;

		memcpy(&ph, in + off, sizeof(ph));
		plen = (ph.len + 7u) & ~7u;
		if (!(ph.flags & FR_PLF_PIECES)) {
			memcpy(a->out + o, in + off, sizeof(ph) + plen);
			o += sizeof(ph) + plen;
		} else {
			struct fr_stub st;
			uint32_t kap = kap_of(ph.kind, ph.arg, ph.part), covered = 0;
			uint8_t *data = a->out + o + sizeof(ph);
			bool fault = false;

			memcpy(&st, in + off + sizeof(ph), sizeof(st));
			if (!any_seq || st.seq > max_seq)
				max_seq = st.seq;
			any_seq = true;
			for (p = t ? t->head : NULL; p; p = p->next) {
				if (p->seq != st.seq || p->kap != kap || p->total != st.total)
					continue;
				if (p->flags & FR_PLF_FAULT)
					fault = true;
				if (p->offset == covered && p->len <= st.total - covered) {
					memcpy(data + covered, p->data, p->len);
					covered += p->len;
				}
			}
			ph.flags &= ~FR_PLF_PIECES;
			if (fault)
				ph.flags |= FR_PLF_FAULT;
			else if (covered < st.total) {
				ph.flags |= FR_PLF_LOST;
				a->st.items_short++;
			}
			ph.len = covered;
			ph.reserved = 0;
			memcpy(a->out + o, &ph, sizeof(ph));
			memset(data + covered, 0, ((covered + 7u) & ~7u) - covered);
			o += sizeof(ph) + ((covered + 7u) & ~7u);
		}
		off += sizeof(ph) + plen;
	}
	h.size = (uint32_t)o;
	memcpy(a->out, &h, sizeof(h));
	if (h.type == FR_EV_SYSCALL) {
		struct fr_ev_syscall b;

		memcpy(&b, a->out + sizeof(h), sizeof(b));
		b.flags &= ~FR_SC_HAS_STUBS;
		memcpy(a->out + sizeof(h), &b, sizeof(b));
	}

	/* this thread's pieces up to this event are used or stale */
	if (t && any_seq) {
		for (link = &t->head; (p = *link);) {
			if (p->seq <= max_seq) {
				*link = p->next;
				if (p->seq < max_seq)
					a->st.stale_pieces++;
				a->st.pending_bytes -= p->len;
				free(p);
			} else {
				link = &p->next;
			}
		}
		t->tail = NULL;
		for (p = t->head; p; p = p->next)
			t->tail = p;
		if (!t->head) {
			*pp = t->next;
			free(t);
		}
	}
	a->st.merged++;
	*out = a->out;
	*out_len = o;
	return 0;
bad:
	a->st.bad_records++;
	return -EINVAL;
}

void fr_asm__stats(const struct fr_asm *a, struct fr_asm_stats *st)
{
	*st = a->st;
}
