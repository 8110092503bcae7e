// SPDX-License-Identifier: MIT
/*
 * export_pcapng.c: socket payloads as packets (pcapng, raw IP link type).
 *
 * pcapng blocks written (all little-endian, lengths padded to 4):
 *   Section Header Block   0x0A0D0D0A  byte-order magic 0x1A2B3C4D, v1.0
 *   Interface Description  0x00000001  LINKTYPE_RAW (101), if_tsresol = 9 (ns)
 *   Enhanced Packet Block  0x00000006  one per packet
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/export.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define LINKTYPE_RAW 101
#define MAX_SEGMENT 65000 /* payload per packet: IPv4 total length is 16 bits */
#define AF_INET_ 2
#define AF_INET6_ 10
#define PROTO_TCP 6
#define PROTO_UDP 17

/* One direction of a flow: src -> dst. */
struct flow {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint16_t family, proto;
	uint32_t seq;       /* next sequence number (TCP) */
	bool sender_seen;   /* a send on this direction was recorded */
	bool started;       /* handshake written (TCP) */
	struct flow *peer;  /* the opposite direction */
};

struct ctx {
	FILE *out;
	struct flow *flows;
	size_t n, cap;
	int64_t to_utc;
	struct fr_pcapng_stats *st;
	uint8_t pkt[60 + MAX_SEGMENT + 8];
};

/* ---- pcapng writing -------------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

static int write_shb_idb(FILE *out)
{
	static const char appl[] = "flightrec export";
	uint8_t b[128];
	size_t n = 0, opt;

	memset(b, 0, sizeof(b));
	/* SHB */
	put32(b + 0, 0x0A0D0D0A);
	put32(b + 8, 0x1A2B3C4D);
	put16(b + 12, 1);
	put16(b + 14, 0);
	memset(b + 16, 0xff, 8); /* section length unknown */
	opt = 24;
	put16(b + opt, 4); /* shb_userappl */
	put16(b + opt + 2, sizeof(appl) - 1);
	memcpy(b + opt + 4, appl, sizeof(appl) - 1);
	opt += 4 + ((sizeof(appl) - 1 + 3) & ~3u);
	opt += 4; /* opt_endofopt */
	n = opt + 4;
	put32(b + 4, (uint32_t)n);
	put32(b + n - 4, (uint32_t)n);
	if (fwrite(b, 1, n, out) != n)
		return -EIO;
	/* IDB */
	memset(b, 0, sizeof(b));
	put32(b + 0, 1);
	put16(b + 8, LINKTYPE_RAW);
	put32(b + 12, 0); /* snaplen: no limit */
	opt = 16;
	put16(b + opt, 9); /* if_tsresol */
	put16(b + opt + 2, 1);
	b[opt + 4] = 9;    /* 10^-9 s */
	opt += 8;
	opt += 4;          /* opt_endofopt */
	n = opt + 4;
	put32(b + 4, (uint32_t)n);
	put32(b + n - 4, (uint32_t)n);
	return fwrite(b, 1, n, out) == n ? 0 : -EIO;
}

static int write_epb(struct ctx *c, uint64_t utc_ns, const uint8_t *pkt, size_t len)
{
	uint8_t h[28], t[4];
	size_t pad = (4 - len % 4) % 4, total = 28 + len + pad + 4;
	static const uint8_t zeros[4];

	put32(h + 0, 6);
	put32(h + 4, (uint32_t)total);
	put32(h + 8, 0);
	put32(h + 12, (uint32_t)(utc_ns >> 32));
	put32(h + 16, (uint32_t)utc_ns);
	put32(h + 20, (uint32_t)len);
	put32(h + 24, (uint32_t)len);
	put32(t, (uint32_t)total);
	if (fwrite(h, 1, 28, c->out) != 28 || fwrite(pkt, 1, len, c->out) != len ||
	    fwrite(zeros, 1, pad, c->out) != pad || fwrite(t, 1, 4, c->out) != 4)
		return -EIO;
	c->st->packets++;
	return 0;
}

/* ---- packets ------------------------------------------------------------------------------- */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

/* Build and write one packet of flow f carrying `len` bytes. */
static int emit(struct ctx *c, struct flow *f, uint64_t ts, uint8_t flags, const uint8_t *data,
		size_t len)
{
	uint8_t *p = c->pkt;
	size_t ip_len = f->family == AF_INET_ ? 20 : 40;
	size_t l4_len = f->proto == PROTO_TCP ? 20 : 8;
	size_t total = ip_len + l4_len + len;
	uint8_t *l4 = p + ip_len;
	uint32_t sum;

	memset(p, 0, ip_len + l4_len);
	if (f->family == AF_INET_) {
		p[0] = 0x45;
		be16(p + 2, (uint16_t)total);
		p[6] = 0x40; /* don't fragment */
		p[8] = 64;
		p[9] = (uint8_t)f->proto;
		memcpy(p + 12, f->src, 4);
		memcpy(p + 16, f->dst, 4);
		be16(p + 10, csum_fold(csum_add(0, p, 20)));
	} else {
		p[0] = 0x60;
		be16(p + 4, (uint16_t)(l4_len + len));
		p[6] = (uint8_t)f->proto;
		p[7] = 64;
		memcpy(p + 8, f->src, 16);
		memcpy(p + 24, f->dst, 16);
	}
	be16(l4, f->sport);
	be16(l4 + 2, f->dport);
	if (f->proto == PROTO_TCP) {
		be32(l4 + 4, f->seq);
		be32(l4 + 8, f->peer ? f->peer->seq : 0);
		l4[12] = 5 << 4;
		l4[13] = flags;
		be16(l4 + 14, 65535);
	} else {
		be16(l4 + 4, (uint16_t)(8 + len));
	}
	if (len)
		memcpy(l4 + l4_len, data, len);
	/* checksum over the pseudo-header and the segment */
	if (f->family == AF_INET_) {
		sum = csum_add(0, f->src, 4);
		sum = csum_add(sum, f->dst, 4);
	} else {
		sum = csum_add(0, f->src, 16);
		sum = csum_add(sum, f->dst, 16);
	}
	sum += f->proto;
	sum += (uint32_t)(l4_len + len);
	sum = csum_add(sum, l4, l4_len + len);
	be16(l4 + (f->proto == PROTO_TCP ? 16 : 6), csum_fold(sum));
	return write_epb(c, ts + (uint64_t)c->to_utc, p, total);
}

/* ---- flows ----------------------------------------------------------------------------------- */

static struct flow *find_flow(struct ctx *c, const struct fr_sock_tuple *t, bool outgoing,
			      bool create)
{
	const uint8_t *src = outgoing ? t->saddr : t->daddr, *dst = outgoing ? t->daddr : t->saddr;
	uint16_t sport = outgoing ? t->sport : t->dport, dport = outgoing ? t->dport : t->sport;
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct flow *f = &c->flows[i];

		if (f->sport == sport && f->dport == dport && f->family == t->family &&
		    f->proto == t->protocol && !memcmp(f->src, src, 16) && !memcmp(f->dst, dst, 16))
			return f;
	}
	if (!create)
		return NULL;
	if (c->n + 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64, j;
		struct flow *nf = realloc(c->flows, cap * sizeof(*nf));

		if (!nf)
			return NULL;
		/* re-point peers into the moved array */
		for (j = 0; j < c->n; j++)
			if (nf[j].peer)
				nf[j].peer = nf + (nf[j].peer - c->flows);
		c->flows = nf;
		c->cap = cap;
	}
	/* create both directions at once so they can point at each other */
	{
		struct flow *a = &c->flows[c->n], *b = &c->flows[c->n + 1];

		memset(a, 0, 2 * sizeof(*a));
		memcpy(a->src, src, 16);
		memcpy(a->dst, dst, 16);
		a->sport = sport;
		a->dport = dport;
		memcpy(b->src, dst, 16);
		memcpy(b->dst, src, 16);
		b->sport = dport;
		b->dport = sport;
		a->family = b->family = t->family;
		a->proto = b->proto = t->protocol;
		a->peer = b;
		b->peer = a;
		a->seq = b->seq = 1;
		c->n += 2;
		c->st->connections++;
		return a;
	}
}

/* The data payload and direction of a socket I/O call, or NULL. */
static const struct fr_payload *io_payload(const struct fr_event *ev, bool *outgoing,
					   const struct fr_fdinfo **fi)
{
	const struct fr_syscall_desc *d = fr_syscall(ev->u.sc.nr);
	const struct fr_payload *fp;
	unsigned a;

	*fi = NULL;
	if (!d || ev->u.sc.ret <= 0)
		return NULL;
	for (a = 0; a < d->nargs && a < 6; a++) {
		switch (d->args[a].kind) {
		case FR_A_BUF_IN:
		case FR_A_IOV_IN:
		case FR_A_MSGHDR_IN:
			*outgoing = true;
			break;
		case FR_A_BUF_OUT:
		case FR_A_IOV_OUT:
		case FR_A_MSGHDR_OUT:
			*outgoing = false;
			break;
		default:
			continue;
		}
		fp = fr_event_payload(ev, FR_PL_FDINFO, 0, -1);
		if (!fp || fp->len < sizeof(struct fr_fdinfo))
			return NULL;
		*fi = (const struct fr_fdinfo *)(const void *)fp->data;
		return fr_event_payload(ev, *outgoing ? FR_PL_IN : FR_PL_OUT, (int)a, 0);
	}
	return NULL;
}

static bool ip_socket(const struct fr_fdinfo *fi)
{
	return fi->type == FR_FD_SOCKET &&
	       (fi->tuple.family == AF_INET_ || fi->tuple.family == AF_INET6_) &&
	       (fi->tuple.protocol == PROTO_TCP || fi->tuple.protocol == PROTO_UDP);
}

static int handshake(struct ctx *c, struct flow *f, uint64_t ts)
{
	/* The side with the higher port is taken as the client. */
	struct flow *cli = f->sport >= f->dport ? f : f->peer, *srv = cli->peer;
	uint64_t t = ts > 3000 ? ts - 3000 : ts;
	int err;

	cli->seq = 0;
	srv->seq = 0;
	err = emit(c, cli, t, TH_SYN, NULL, 0);
	cli->seq = 1;
	if (!err)
		err = emit(c, srv, t + 1000, TH_SYN | TH_ACK, NULL, 0);
	srv->seq = 1;
	if (!err)
		err = emit(c, cli, t + 2000, TH_ACK, NULL, 0);
	cli->started = srv->started = true;
	return err;
}

int fr_export_pcapng(struct fr_reader *r, FILE *out, struct fr_pcapng_stats *st, char *err,
		     size_t errlen)
{
	struct fr_filter filt = { .type_mask = 1ULL << FR_EV_SYSCALL };
	struct ctx *c = calloc(1, sizeof(*c));
	const struct fr_event *ev;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->out = out;
	c->st = st;
	c->to_utc = fr_reader__manifest(r)->clock_to_utc_ns;

	/* pass 1: which directions have their sender recorded */
	fr_reader__set_filter(r, &filt);
	while ((rc = fr_reader__next(r, &ev)) > 0) {
		const struct fr_fdinfo *fi;
		const struct fr_payload *p;
		struct fr_fdinfo fic;
		bool outgoing;
		struct flow *f;

		p = io_payload(ev, &outgoing, &fi);
		if (!fi)
			continue;
		memcpy(&fic, fi, sizeof(fic));
		if (!ip_socket(&fic)) {
			st->skipped_other++;
			continue;
		}
		f = find_flow(c, &fic.tuple, outgoing, true);
		if (!f) {
			rc = -ENOMEM;
			break;
		}
		if (outgoing && p)
			f->sender_seen = true;
	}
	if (rc < 0)
		goto out;
	/* pass 2: packets */
	rc = write_shb_idb(out);
	if (rc)
		goto out;
	fr_reader__rewind(r);
	while ((rc = fr_reader__next(r, &ev)) > 0) {
		const struct fr_fdinfo *fi;
		const struct fr_payload *p;
		struct fr_fdinfo fic;
		bool outgoing;
		struct flow *f;
		size_t off;
		uint64_t full;

		p = io_payload(ev, &outgoing, &fi);
		if (!fi || !p)
			continue;
		memcpy(&fic, fi, sizeof(fic));
		if (!ip_socket(&fic))
			continue;
		f = find_flow(c, &fic.tuple, outgoing, false);
		if (!f)
			continue;
		if (!outgoing && f->sender_seen) {
			st->skipped_receives++;
			continue;
		}
		if (f->proto == PROTO_TCP && !f->started) {
			rc = handshake(c, f, fr_event_start_ns(ev));
			if (rc)
				goto out;
		}
		for (off = 0; off < p->len; off += MAX_SEGMENT) {
			size_t n = FR_MIN((size_t)MAX_SEGMENT, p->len - off);

			rc = emit(c, f, ev->ts_ns, TH_ACK | TH_PSH, p->data + off, n);
			if (rc)
				goto out;
			f->seq += (uint32_t)n;
			st->data_bytes += n;
		}
		/* bytes the program moved but the capture did not keep: a gap */
		full = p->full_len;
		if (full > p->len) {
			st->truncated++;
			f->seq += (uint32_t)(full - p->len);
		}
	}
out:
	if (rc == -EIO)
		snprintf(err, errlen, "writing the capture failed");
	else if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	else if (rc < 0)
		snprintf(err, errlen, "%s", fr_reader__strerror(r));
	free(c->flows);
	free(c);
	return rc < 0 ? rc : 0;
}
