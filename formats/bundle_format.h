/* SPDX-License-Identifier: MIT */
/*
 * bundle_format.h: the bundle file, as the writer lays it out and the reader
 * checks it.  Specification: docs/bundle-format.md (keep the two in step).
 *
 * A bundle is a POSIX pax tar archive (libarchive, "pax restricted": plain
 * ustar headers, pax extended headers only when a field needs one).  Members,
 * in archive order:
 *
 *   name                      content
 *   events/NNNNNNNN.zst       event chunk N (8 decimal digits from 0), one zstd
 *                             frame of the chunk encoding (formats/codec.h)
 *   files/<build-id>.zst      optional: an executable or library, zstd
 *   processes.json.zst        the process table (JSON, zstd)
 *   events/index.zst          the chunk index (binary, below; zstd)
 *   manifest.json             the manifest (JSON, uncompressed, last: it holds
 *                             the size and crc32 of every other member)
 *
 * The manifest is stored uncompressed so that `tar xOf x.frb manifest.json`
 * shows it without flightrec; every other member is zstd-compressed.
 *
 * Chunk index, decompressed, little-endian:
 *
 *   offset size  field
 *   0      4     magic "FRIX"
 *   4      2     version (1)
 *   6      2     entry size E (>= 208; a reader ignores bytes it does not know)
 *   8      4     number of entries (= number of event chunks)
 *   12     4     reserved, 0
 *   16     E*n   entries:
 *                0   8  first_ts       timestamp of the chunk's first event
 *                8   8  last_ts        timestamp of its last event
 *                16  4  count          events in the chunk
 *                20  4  raw_size       decompressed bytes
 *                24  4  comp_size      compressed bytes (= member size)
 *                28  4  crc32          zlib crc32 of the compressed bytes
 *                32  8  payload_bytes  captured payload bytes in the chunk
 *                40  8  type_mask      bit t: the chunk holds events of type t
 *                48  32 tid_bloom      256-bit set: bit (tid*0x9e3779b1 mod 2^32)>>24
 *                80  128 type_counts   32 x u32: events per type
 *
 * Chunks are in time order: entry i's first_ts >= entry i-1's last_ts.
 */
#ifndef FR_BUNDLE_FORMAT_H
#define FR_BUNDLE_FORMAT_H

#define FR_MEMBER_MANIFEST "manifest.json"
#define FR_MEMBER_PROCESSES "processes.json.zst"
#define FR_MEMBER_INDEX "events/index.zst"
#define FR_MEMBER_CHUNK_FMT "events/%08u.zst"
#define FR_MEMBER_FILE_FMT "files/%s.zst"

#define FR_INDEX_MAGIC "FRIX"
#define FR_INDEX_VERSION 1
#define FR_INDEX_HDR_SIZE 16
#define FR_INDEX_ENTRY_SIZE 208
#define FR_INDEX_TYPE_SLOTS 32

#define FR_MAX_CHUNKS (1u << 20)

static inline unsigned fr_tid_bloom_bit(unsigned tid)
{
	return (unsigned)((tid * 0x9e3779b1u) >> 24);
}

#endif
