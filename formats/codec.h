/* SPDX-License-Identifier: MIT */
/*
 * codec.h: layout of a decompressed event chunk (codec version 1).
 * Mirrored in docs/bundle-format.md, section "Event chunks".
 *
 * A chunk member (events/NNNNNNNN.zst) is one zstd frame.  Decompressed:
 *
 *   offset size  field
 *   0      4     magic "FRCK"
 *   4      2     codec version (FR_CODEC_VERSION); a reader refuses a newer one
 *   6      2     flags, 0
 *   8      4     number of records
 *   12     4     reserved, 0
 *   16     ...   records, back to back
 *
 * A record (varint = unsigned LEB128, at most 10 bytes; zvarint = zigzag
 * varint for signed values):
 *
 *   varint   record length: bytes after this varint up to the record's end
 *   u8       type (FR_EV_*)
 *   varint   ts - ts of the previous record of the chunk (the first: - 0);
 *            timestamps never decrease within a chunk
 *   varint   pid
 *   zvarint  tid - pid
 *   varint   cpu
 *   varint   body length B
 *   B bytes  body: the fields of the type's struct in declaration order,
 *            integers as varint (unsigned) or zvarint (signed), char arrays as
 *            varint length + bytes (up to the first NUL), fixed byte arrays raw.
 *            A reader fills fields missing at the end with zero and skips
 *            bytes it does not know, so fields can be appended.
 *   payload items until the record's end, each:
 *     u8 kind, u8 arg, u8 part, u8 flags, varint full_len, varint len,
 *     len bytes of data (len <= full_len)
 *
 * A record of a type the reader does not know is skipped by its length.
 */
#ifndef FR_CODEC_H
#define FR_CODEC_H

#define FR_CHUNK_MAGIC "FRCK"
#define FR_CODEC_VERSION 1
#define FR_CHUNK_HDR_SIZE 16

#endif
