// SPDX-License-Identifier: MIT
/* chunk.c: building compressed event chunks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "formats/bundle.h"
#include "formats/bundle_format.h"
#include "formats/codec.h"
#include "formats/util.h"

_Static_assert(FR_EV_TYPE_COUNT <= FR_INDEX_TYPE_SLOTS, "index type slots");

#define DEFAULT_TARGET (1u << 20)

struct fr_chunk_builder {
	uint8_t *buf;
	size_t cap;
	size_t used;
	size_t target;
	uint64_t last_ts;
	struct fr_chunk_info info;
	ZSTD_CCtx *cctx;
};

void fr_chunk__release(struct fr_chunk *c)
{
	if (!c)
		return;
	free(c->data);
	c->data = NULL;
	c->len = 0;
}

static void reset(struct fr_chunk_builder *b)
{
	b->used = FR_CHUNK_HDR_SIZE;
	b->last_ts = 0;
	memset(&b->info, 0, sizeof(b->info));
}

int fr_chunk_builder__new(size_t target_raw, struct fr_chunk_builder **out)
{
	struct fr_chunk_builder *b;

	*out = NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->target = target_raw ? target_raw : DEFAULT_TARGET;
	if (b->target > FR_MAX_CHUNK_RAW / 2)
		b->target = FR_MAX_CHUNK_RAW / 2;
	b->cap = b->target + 4096;
	b->buf = malloc(b->cap);
	b->cctx = ZSTD_createCCtx();
	if (!b->buf || !b->cctx) {
		fr_chunk_builder__free(b);
		return -ENOMEM;
	}
	reset(b);
	*out = b;
	return 0;
}

void fr_chunk_builder__free(struct fr_chunk_builder *b)
{
	if (!b)
		return;
	free(b->buf);
	ZSTD_freeCCtx(b->cctx);
	free(b);
}

uint32_t fr_chunk_builder__count(const struct fr_chunk_builder *b) { return b->info.count; }
uint64_t fr_chunk_builder__last_ts(const struct fr_chunk_builder *b) { return b->last_ts; }

int fr_chunk_builder__add(struct fr_chunk_builder *b, const struct fr_event *ev)
{
	size_t need = fr_codec_max_size(ev), used;
	uint64_t plen = 0;
	uint32_t i;
	int err;

	if (ev->type == FR_EV_NONE || ev->type >= FR_EV_TYPE_COUNT)
		return -EINVAL;
	if (b->info.count && ev->ts_ns < b->last_ts)
		return -ERANGE;
	if (b->info.count &&
	    (b->used - FR_CHUNK_HDR_SIZE >= b->target || b->used + need > FR_MAX_CHUNK_RAW))
		return -ENOSPC;
	if (b->used + need > FR_MAX_CHUNK_RAW)
		return -EINVAL; /* a single event larger than any chunk may be */
	if (b->used + need > b->cap) {
		size_t cap = b->cap;
		uint8_t *nb;

		while (cap < b->used + need)
			cap *= 2;
		if (cap > FR_MAX_CHUNK_RAW)
			cap = FR_MAX_CHUNK_RAW;
		nb = realloc(b->buf, cap);
		if (!nb)
			return -ENOMEM;
		b->buf = nb;
		b->cap = cap;
	}
	used = b->used;
	err = fr_codec_encode(ev, b->info.count ? b->last_ts : 0, b->buf, b->cap, &used);
	if (err)
		return err;
	b->used = used;
	if (!b->info.count)
		b->info.first_ts = ev->ts_ns;
	b->info.last_ts = ev->ts_ns;
	b->last_ts = ev->ts_ns;
	b->info.count++;
	b->info.type_mask |= 1ULL << ev->type;
	b->info.type_counts[ev->type]++;
	{
		unsigned bit = fr_tid_bloom_bit(ev->tid);

		b->info.tid_bloom[bit / 64] |= 1ULL << (bit % 64);
	}
	for (i = 0; i < ev->n_payloads; i++)
		plen += ev->payloads[i].len;
	b->info.payload_bytes += plen;
	return 0;
}

static void put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int fr_chunk_builder__finish(struct fr_chunk_builder *b, int zstd_level,
			     struct fr_chunk *out)
{
	size_t bound, n;
	uint8_t *dst;

	memset(out, 0, sizeof(*out));
	if (!b->info.count)
		return -ENODATA;
	memcpy(b->buf, FR_CHUNK_MAGIC, 4);
	put_le16(b->buf + 4, FR_CODEC_VERSION);
	put_le16(b->buf + 6, 0);
	put_le32(b->buf + 8, b->info.count);
	put_le32(b->buf + 12, 0);

	bound = ZSTD_compressBound(b->used);
	dst = malloc(bound);
	if (!dst)
		return -ENOMEM;
	n = ZSTD_compressCCtx(b->cctx, dst, bound, b->buf, b->used,
			      zstd_level ? zstd_level : 3);
	if (ZSTD_isError(n)) {
		free(dst);
		return -EIO;
	}
	/* give back the slack of the compress bound */
	{
		uint8_t *shrunk = realloc(dst, n ? n : 1);

		if (shrunk)
			dst = shrunk;
	}
	out->data = dst;
	out->len = n;
	out->info = b->info;
	out->info.raw_size = (uint32_t)b->used;
	out->info.comp_size = (uint32_t)n;
	out->info.crc32 = (uint32_t)crc32_z(0, dst, n);
	reset(b);
	return 0;
}
