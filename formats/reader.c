// SPDX-License-Identifier: MIT
/*
 * reader.c: the bundle reader.  Bundles are hostile input.
 *
 * Opening walks the archive's headers once (member data is skipped, not
 * read), checks every member's name and type, then reads the manifest, the
 * chunk index and the process table and cross-checks them.  Event chunks are
 * read one at a time while iterating, so memory is bounded by the largest
 * chunk (itself capped), never by the bundle.
 *
 * Nothing is ever extracted to the file system: member data is read into
 * memory buffers (or, for stored files, copied to a descriptor the caller
 * chose), and stored names are only compared against the names we expect.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include "formats/bundle.h"
#include "formats/bundle_format.h"
#include "formats/codec.h"
#include "formats/jsonutil.h"
#include "formats/manifest.h"
#include "formats/util.h"

#define MAX_FILE_RAW (1ULL << 30)
#define MAX_PROCESSES (1u << 22)

enum member_kind { M_UNKNOWN, M_MANIFEST, M_PROCESSES, M_INDEX, M_CHUNK, M_FILE };

struct member_rec {
	int64_t hdr_pos; /* offset of the member's header in the file */
	int kind;
	uint32_t chunk_no;
	bool listed; /* present in the manifest's member list */
};

/* A read source over the bundle file starting at `base`. */
struct src {
	int fd;
	int64_t base;
	int64_t off; /* relative to base */
	int64_t size; /* file size - base */
	uint8_t buf[64 * 1024];
};

struct fr_reader {
	int fd;
	int64_t file_size;
	struct fr_member *members;
	struct member_rec *mrec;
	size_t n_members;
	struct fr_manifest manifest;
	bool have_manifest;
	struct fr_process *procs;
	size_t n_procs;
	struct fr_chunk_info *chunks;
	size_t *chunk_member; /* chunk number -> member index */
	size_t n_chunks;
	struct fr_file_info *files;
	size_t *file_member;
	size_t n_files;

	/* sequential access: an archive positioned after member `seq_next - 1` */
	struct archive *seq;
	struct src *seq_src;
	size_t seq_next;

	/* iteration */
	struct fr_filter filter;
	bool filtered;
	size_t cur_chunk;    /* chunk being iterated */
	long loaded_chunk;   /* chunk in raw[], -1 none */
	uint8_t *raw;
	size_t raw_len, raw_cap;
	uint8_t *comp;
	size_t comp_cap;
	size_t pos;
	uint64_t prev_ts;
	uint32_t seen_in_chunk;
	bool done;
	ZSTD_DCtx *dctx;
	struct fr_event ev;
	char err[512];
};

static int fail(struct fr_reader *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct fr_reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return err;
}

const char *fr_reader__strerror(const struct fr_reader *r)
{
	return r && r->err[0] ? r->err : "no error";
}

/* ---- archive access over pread --------------------------------------------------- */

static la_ssize_t src_read(struct archive *a, void *cd, const void **buf)
{
	struct src *s = cd;
	ssize_t n;

	(void)a;
	*buf = s->buf;
	if (s->off >= s->size)
		return 0;
	n = pread(s->fd, s->buf, (size_t)FR_MIN((int64_t)sizeof(s->buf), s->size - s->off),
		  s->base + s->off);
	if (n < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	s->off += n;
	return n;
}

static la_int64_t src_skip(struct archive *a, void *cd, la_int64_t req)
{
	struct src *s = cd;
	int64_t n = FR_MIN(req, s->size - s->off);

	(void)a;
	if (n < 0)
		n = 0;
	s->off += n;
	return n;
}

static la_int64_t src_seek(struct archive *a, void *cd, la_int64_t off, int whence)
{
	struct src *s = cd;
	int64_t to;

	(void)a;
	switch (whence) {
	case SEEK_SET: to = off; break;
	case SEEK_CUR: to = s->off + off; break;
	case SEEK_END: to = s->size + off; break;
	default: return ARCHIVE_FATAL;
	}
	if (to < 0 || to > s->size)
		return ARCHIVE_FATAL;
	s->off = to;
	return to;
}

/* A tar reader over the file from byte `base`. */
static struct archive *open_at(struct fr_reader *r, int64_t base, struct src **srcp)
{
	struct archive *a = archive_read_new();
	struct src *s = calloc(1, sizeof(*s));

	if (!a || !s)
		goto fail;
	s->fd = r->fd;
	s->base = base;
	s->size = r->file_size - base;
	/* tar only, no filters: a bundle is an uncompressed pax archive */
	if (archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_set_read_callback(a, src_read) != ARCHIVE_OK ||
	    archive_read_set_skip_callback(a, src_skip) != ARCHIVE_OK ||
	    archive_read_set_seek_callback(a, src_seek) != ARCHIVE_OK ||
	    archive_read_set_callback_data(a, s) != ARCHIVE_OK)
		goto fail;
	if (archive_read_open1(a) != ARCHIVE_OK) {
		fail(r, -EINVAL, "not a bundle: %s", archive_error_string(a) ?
			archive_error_string(a) : "not a tar archive");
		archive_read_free(a);
		free(s);
		return NULL;
	}
	*srcp = s;
	return a;
fail:
	fail(r, -ENOMEM, "out of memory");
	if (a)
		archive_read_free(a);
	free(s);
	return NULL;
}

static void close_seq(struct fr_reader *r)
{
	if (r->seq)
		archive_read_free(r->seq);
	free(r->seq_src);
	r->seq = NULL;
	r->seq_src = NULL;
	r->seq_next = 0;
}

/*
 * Read member `i` (exactly `size` bytes) into *buf (grown as needed, capacity
 * in *cap).  The member's header is re-read and must match what the walk saw.
 */
static int read_member(struct fr_reader *r, size_t i, uint8_t **buf, size_t *cap)
{
	const struct fr_member *m = &r->members[i];
	struct archive_entry *e;
	size_t size = (size_t)m->size, got = 0;
	int rc;

	if (!r->seq || r->seq_next != i) {
		close_seq(r);
		r->seq = open_at(r, r->mrec[i].hdr_pos, &r->seq_src);
		if (!r->seq)
			return -EIO;
		r->seq_next = i;
	}
	rc = archive_read_next_header(r->seq, &e);
	if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		close_seq(r);
		return fail(r, -EIO, "member %s: cannot read its header: %s", m->name,
			    archive_error_string(r->seq) ? archive_error_string(r->seq) : "truncated");
	}
	if (strcmp(archive_entry_pathname(e) ? archive_entry_pathname(e) : "", m->name) ||
	    archive_entry_size(e) != (la_int64_t)m->size) {
		close_seq(r);
		return fail(r, -EIO, "member %s changed while reading the bundle", m->name);
	}
	if (size + 1 > *cap) {
		uint8_t *nb = realloc(*buf, size + 1);

		if (!nb) {
			close_seq(r);
			return fail(r, -ENOMEM, "out of memory reading %s (%zu bytes)", m->name, size);
		}
		*buf = nb;
		*cap = size + 1;
	}
	while (got < size) {
		la_ssize_t n = archive_read_data(r->seq, *buf + got, size - got);

		if (n <= 0) {
			close_seq(r);
			return fail(r, -EIO, "member %s is truncated (%zu of %zu bytes)", m->name,
				    got, size);
		}
		got += (size_t)n;
	}
	(*buf)[size] = 0;
	r->seq_next = i + 1;
	return 0;
}

/*
 * Decompress one zstd frame into *out (grown as output arrives, never beyond
 * `cap` bytes).  `expect` > 0: the exact decompressed size required.
 */
static int decompress(struct fr_reader *r, const char *what, const uint8_t *src, size_t len,
		      size_t expect, size_t cap, uint8_t **out, size_t *out_cap, size_t *out_len)
{
	ZSTD_inBuffer in = { src, len, 0 };
	size_t produced = 0, ret;
	unsigned long long fcs;

	if (!r->dctx) {
		r->dctx = ZSTD_createDCtx();
		if (!r->dctx)
			return fail(r, -ENOMEM, "out of memory");
	}
	ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
	/* refuse huge windows a hostile frame could ask for */
	ZSTD_DCtx_setParameter(r->dctx, ZSTD_d_windowLogMax, 27);
	fcs = ZSTD_getFrameContentSize(src, len);
	if (fcs == ZSTD_CONTENTSIZE_ERROR)
		return fail(r, -EINVAL, "%s: not zstd-compressed data", what);
	if (fcs != ZSTD_CONTENTSIZE_UNKNOWN && (fcs > cap || (expect && fcs != expect)))
		return fail(r, -EINVAL, "%s: declared size %llu is %s", what, fcs,
			    fcs > cap ? "over the limit" : "not the size the index gives");
	for (;;) {
		ZSTD_outBuffer ob;

		if (produced == *out_cap) {
			size_t ncap = *out_cap ? *out_cap * 2 : 64 * 1024;
			uint8_t *nb;

			if (expect && ncap < expect && ncap > (1u << 20))
				ncap = expect; /* one step to the known size */
			if (ncap > cap + 1)
				ncap = cap + 1; /* +1: detect output over the cap */
			if (ncap <= *out_cap)
				return fail(r, -EFBIG, "%s: decompresses to more than %zu bytes", what,
					    cap);
			nb = realloc(*out, ncap);
			if (!nb)
				return fail(r, -ENOMEM, "%s: out of memory", what);
			*out = nb;
			*out_cap = ncap;
		}
		ob.dst = *out;
		ob.size = *out_cap;
		ob.pos = produced;
		ret = ZSTD_decompressStream(r->dctx, &ob, &in);
		produced = ob.pos;
		if (ZSTD_isError(ret))
			return fail(r, -EINVAL, "%s: corrupt compressed data (%s)", what,
				    ZSTD_getErrorName(ret));
		if (produced > cap)
			return fail(r, -EFBIG, "%s: decompresses to more than %zu bytes", what, cap);
		if (ret == 0)
			break; /* frame complete */
		if (in.pos == in.size && produced < ob.size)
			return fail(r, -EINVAL, "%s: compressed data is truncated", what);
	}
	if (in.pos != in.size)
		return fail(r, -EINVAL, "%s: trailing bytes after the compressed data", what);
	if (expect && produced != expect)
		return fail(r, -EINVAL, "%s: decompressed to %zu bytes, expected %zu", what,
			    produced, expect);
	*out_len = produced;
	return 0;
}

/* ---- member names ------------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * Classify a stored name.  Returns false for a name that must never be
 * accepted (absolute, "..", control characters, too long): the bundle is
 * refused.  Unknown but harmless names are M_UNKNOWN.
 */
static bool classify(const char *name, int *kind, uint32_t *no)
{
	size_t n = strlen(name), i;
	const char *p;

	*kind = M_UNKNOWN;
	if (n == 0 || n >= sizeof(((struct fr_member *)0)->name) || name[0] == '/')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			return false;
	}
	for (p = name; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!strncmp(p, "..", 2) && (p[2] == '/' || p[2] == '\0'))
			return false;
		if (*p == '/' || *p == '\0')
			return false; /* empty component: "a//b", trailing slash */
	}
	if (!strcmp(name, FR_MEMBER_MANIFEST)) {
		*kind = M_MANIFEST;
	} else if (!strcmp(name, FR_MEMBER_PROCESSES)) {
		*kind = M_PROCESSES;
	} else if (!strcmp(name, FR_MEMBER_INDEX)) {
		*kind = M_INDEX;
	} else if (n == 19 && !strncmp(name, "events/", 7) && all_digits(name + 7, 8) &&
		   !strcmp(name + 15, ".zst")) {
		*kind = M_CHUNK;
		*no = (uint32_t)strtoul(name + 7, NULL, 10);
	} else if (n > 10 && !strncmp(name, "files/", 6) && !strcmp(name + n - 4, ".zst")) {
		for (i = 6; i < n - 4; i++)
			if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
				return true; /* unknown */
		if (n - 10 >= 2 && n - 10 <= 128)
			*kind = M_FILE;
	}
	return true;
}

/* ---- opening -------------------------------------------------------------------------- */

static int walk(struct fr_reader *r)
{
	struct archive *a;
	struct archive_entry *e;
	struct src *s;
	size_t cap = 0;
	int rc, err = 0;

	a = open_at(r, 0, &s);
	if (!a)
		return -EINVAL;
	for (;;) {
		int64_t pos;
		const char *name;
		la_int64_t size;
		struct fr_member *m;
		struct member_rec *mr;
		int kind;
		uint32_t no = 0;
		size_t i;

		rc = archive_read_next_header(a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			err = fail(r, -EINVAL, "%s after %zu members: %s",
				   r->n_members ? "damaged archive" : "not a bundle", r->n_members,
				   archive_error_string(a) ? archive_error_string(a) : "bad header");
			goto out;
		}
		pos = archive_read_header_position(a);
		name = archive_entry_pathname(e);
		size = archive_entry_size(e);
		if (!name || !classify(name, &kind, &no)) {
			err = fail(r, -EINVAL, "refusing a member with an unsafe name '%s'",
				   name ? name : "(none)");
			goto out;
		}
		if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
		    archive_entry_symlink(e)) {
			err = fail(r, -EINVAL, "member %s is not a regular file", name);
			goto out;
		}
		if (!archive_entry_size_is_set(e) || size < 0 || size > r->file_size || pos < 0) {
			err = fail(r, -EINVAL, "member %s has an invalid size", name);
			goto out;
		}
		if (r->n_members >= FR_MAX_MEMBERS) {
			err = fail(r, -EINVAL, "more than %u members", FR_MAX_MEMBERS);
			goto out;
		}
		for (i = 0; i < r->n_members; i++)
			if (!strcmp(r->members[i].name, name)) {
				err = fail(r, -EINVAL, "member %s appears twice", name);
				goto out;
			}
		if (r->n_members == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			void *a1 = realloc(r->members, ncap * sizeof(*r->members));

			if (!a1) {
				err = fail(r, -ENOMEM, "out of memory");
				goto out;
			}
			r->members = a1;
			a1 = realloc(r->mrec, ncap * sizeof(*r->mrec));
			if (!a1) {
				err = fail(r, -ENOMEM, "out of memory");
				goto out;
			}
			r->mrec = a1;
			cap = ncap;
		}
		m = &r->members[r->n_members];
		mr = &r->mrec[r->n_members];
		memset(m, 0, sizeof(*m));
		memset(mr, 0, sizeof(*mr));
		snprintf(m->name, sizeof(m->name), "%s", name);
		m->size = (uint64_t)size;
		m->raw_size = m->size;
		mr->hdr_pos = pos;
		mr->kind = kind;
		mr->chunk_no = no;
		r->n_members++;
		if (archive_read_data_skip(a) != ARCHIVE_OK) {
			err = fail(r, -EINVAL, "member %s is truncated", name);
			goto out;
		}
	}
	if (!r->n_members)
		err = fail(r, -EINVAL, "not a bundle: the archive is empty");
out:
	archive_read_free(a);
	free(s);
	return err;
}

static long find_member(const struct fr_reader *r, int kind)
{
	size_t i;

	for (i = 0; i < r->n_members; i++)
		if (r->mrec[i].kind == kind)
			return (long)i;
	return -1;
}

static int load_json_member(struct fr_reader *r, size_t i, bool compressed, size_t cap,
			    json_t **out)
{
	uint8_t *buf = NULL, *raw = NULL;
	size_t bcap = 0, rcap = 0, rlen = 0;
	json_error_t je;
	const char *name = r->members[i].name;
	int err;

	*out = NULL;
	if (r->members[i].size > (compressed ? ZSTD_compressBound(cap) : cap))
		return fail(r, -EFBIG, "%s is larger than the %zu bytes allowed", name, cap);
	err = read_member(r, i, &buf, &bcap);
	if (err)
		goto out;
	if (compressed) {
		err = decompress(r, name, buf, (size_t)r->members[i].size, 0, cap, &raw, &rcap,
				 &rlen);
		if (err)
			goto out;
		r->members[i].raw_size = rlen;
	} else {
		raw = buf;
		buf = NULL;
		rlen = (size_t)r->members[i].size;
	}
	*out = json_loadb((const char *)raw, rlen, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		err = fail(r, -EINVAL, "%s is not valid JSON (line %d: %s)", name, je.line, je.text);
out:
	free(buf);
	free(raw);
	return err;
}

static int load_manifest(struct fr_reader *r)
{
	long mi = find_member(r, M_MANIFEST);
	json_t *root, *list, *files;
	char msg[400];
	size_t i, j;
	int err;

	if (mi < 0)
		return fail(r, -EINVAL, "not a bundle: no %s", FR_MEMBER_MANIFEST);
	err = load_json_member(r, (size_t)mi, false, FR_MAX_MANIFEST, &root);
	if (err)
		return err;
	err = fr_manifest__from_json(&r->manifest, root, msg, sizeof(msg));
	if (err) {
		err = fail(r, err, "%s", msg);
		goto out;
	}
	r->have_manifest = true;
	r->mrec[mi].listed = true;

	list = json_object_get(root, "members");
	if (!json_is_array(list)) {
		err = fail(r, -EINVAL, "manifest has no member list");
		goto out;
	}
	for (j = 0; j < json_array_size(list); j++) {
		json_t *o = json_array_get(list, j);
		const char *name = json_string_value(json_object_get(o, "name"));
		json_t *sz = json_object_get(o, "size"), *crc = json_object_get(o, "crc32");
		json_t *raw = json_object_get(o, "raw_size");

		if (!name || !json_is_integer(sz) || !json_is_integer(crc) ||
		    json_integer_value(crc) < 0 || json_integer_value(crc) > UINT32_MAX) {
			err = fail(r, -EINVAL, "manifest: member entry %zu is invalid", j);
			goto out;
		}
		for (i = 0; i < r->n_members; i++)
			if (!strcmp(r->members[i].name, name))
				break;
		if (i == r->n_members) {
			err = fail(r, -EINVAL, "member %s listed in the manifest is missing "
					       "(truncated bundle?)", name);
			goto out;
		}
		if ((uint64_t)json_integer_value(sz) != r->members[i].size) {
			err = fail(r, -EINVAL, "member %s is %llu bytes, the manifest says %lld",
				    name, (unsigned long long)r->members[i].size,
				    (long long)json_integer_value(sz));
			goto out;
		}
		if (r->mrec[i].listed) {
			err = fail(r, -EINVAL, "manifest lists member %s twice", name);
			goto out;
		}
		r->members[i].crc32 = (uint32_t)json_integer_value(crc);
		if (json_is_integer(raw) && json_integer_value(raw) >= 0)
			r->members[i].raw_size = (uint64_t)json_integer_value(raw);
		r->mrec[i].listed = true;
	}
	for (i = 0; i < r->n_members; i++)
		if (!r->mrec[i].listed && r->mrec[i].kind != M_UNKNOWN) {
			err = fail(r, -EINVAL, "member %s is not in the manifest", r->members[i].name);
			goto out;
		}

	files = json_object_get(root, "files");
	if (json_is_array(files) && json_array_size(files)) {
		size_t n = json_array_size(files);

		if (n > FR_MAX_MEMBERS) {
			err = fail(r, -EINVAL, "manifest lists too many files");
			goto out;
		}
		r->files = calloc(n, sizeof(*r->files));
		r->file_member = calloc(n, sizeof(*r->file_member));
		if (!r->files || !r->file_member) {
			err = fail(r, -ENOMEM, "out of memory");
			goto out;
		}
		for (j = 0; j < n; j++) {
			json_t *o = json_array_get(files, j);
			const char *bid = json_string_value(json_object_get(o, "build_id"));
			json_t *sz = json_object_get(o, "size");
			char want[160], *path = NULL;

			if (!bid || strlen(bid) > 128 || !json_is_integer(sz) ||
			    json_integer_value(sz) < 0 ||
			    fr_json_get_str(json_object_get(o, "path"), 4095, &path) < 0) {
				err = fail(r, -EINVAL, "manifest: file entry %zu is invalid", j);
				goto out;
			}
			snprintf(want, sizeof(want), FR_MEMBER_FILE_FMT, bid);
			for (i = 0; i < r->n_members; i++)
				if (r->mrec[i].kind == M_FILE && !strcmp(r->members[i].name, want))
					break;
			if (i == r->n_members) {
				free(path);
				err = fail(r, -EINVAL, "stored file %s is missing", bid);
				goto out;
			}
			snprintf(r->files[r->n_files].build_id, sizeof(r->files[0].build_id), "%s", bid);
			snprintf(r->files[r->n_files].path, sizeof(r->files[0].path), "%s",
				 path ? path : "");
			r->files[r->n_files].size = (uint64_t)json_integer_value(sz);
			r->file_member[r->n_files] = i;
			r->n_files++;
			free(path);
		}
	}
out:
	json_decref(root);
	return err;
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int load_index(struct fr_reader *r)
{
	long ii = find_member(r, M_INDEX);
	uint8_t *buf = NULL, *raw = NULL;
	size_t bcap = 0, rcap = 0, rlen = 0, n_chunk_members = 0, i, esz;
	uint32_t count;
	int err;

	if (ii < 0)
		return fail(r, -EINVAL, "bundle has no chunk index (%s)", FR_MEMBER_INDEX);
	if (r->members[ii].size > ZSTD_compressBound(FR_MAX_INDEX_RAW))
		return fail(r, -EFBIG, "chunk index is too large");
	err = read_member(r, (size_t)ii, &buf, &bcap);
	if (err)
		goto out;
	err = decompress(r, "chunk index", buf, (size_t)r->members[ii].size, 0, FR_MAX_INDEX_RAW,
			 &raw, &rcap, &rlen);
	if (err)
		goto out;
	r->members[ii].raw_size = rlen;
	if (rlen < FR_INDEX_HDR_SIZE || memcmp(raw, FR_INDEX_MAGIC, 4)) {
		err = fail(r, -EINVAL, "chunk index: bad header");
		goto out;
	}
	if (get_le(raw + 4, 2) > FR_INDEX_VERSION) {
		err = fail(r, -EINVAL, "chunk index version %u is newer than this flightrec reads",
			   (unsigned)get_le(raw + 4, 2));
		goto out;
	}
	esz = get_le(raw + 6, 2);
	count = (uint32_t)get_le(raw + 8, 4);
	if (esz < FR_INDEX_ENTRY_SIZE || count > FR_MAX_CHUNKS ||
	    rlen != FR_INDEX_HDR_SIZE + (size_t)count * esz) {
		err = fail(r, -EINVAL, "chunk index: inconsistent sizes");
		goto out;
	}
	for (i = 0; i < r->n_members; i++)
		if (r->mrec[i].kind == M_CHUNK)
			n_chunk_members++;
	if (n_chunk_members != count) {
		err = fail(r, -EINVAL, "chunk index lists %u chunks, the archive holds %zu",
			   count, n_chunk_members);
		goto out;
	}
	if (count) {
		r->chunks = calloc(count, sizeof(*r->chunks));
		r->chunk_member = calloc(count, sizeof(*r->chunk_member));
		if (!r->chunks || !r->chunk_member) {
			err = fail(r, -ENOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < count; i++)
			r->chunk_member[i] = SIZE_MAX;
		for (i = 0; i < r->n_members; i++)
			if (r->mrec[i].kind == M_CHUNK) {
				if (r->mrec[i].chunk_no >= count ||
				    r->chunk_member[r->mrec[i].chunk_no] != SIZE_MAX) {
					err = fail(r, -EINVAL, "unexpected chunk member %s",
						   r->members[i].name);
					goto out;
				}
				r->chunk_member[r->mrec[i].chunk_no] = i;
			}
	}
	for (i = 0; i < count; i++) {
		const uint8_t *e = raw + FR_INDEX_HDR_SIZE + i * esz;
		struct fr_chunk_info *c = &r->chunks[i];
		const struct fr_member *m = &r->members[r->chunk_member[i]];
		unsigned t;

		c->first_ts = get_le(e, 8);
		c->last_ts = get_le(e + 8, 8);
		c->count = (uint32_t)get_le(e + 16, 4);
		c->raw_size = (uint32_t)get_le(e + 20, 4);
		c->comp_size = (uint32_t)get_le(e + 24, 4);
		c->crc32 = (uint32_t)get_le(e + 28, 4);
		c->payload_bytes = get_le(e + 32, 8);
		c->type_mask = get_le(e + 40, 8);
		for (t = 0; t < 4; t++)
			c->tid_bloom[t] = get_le(e + 48 + 8 * t, 8);
		for (t = 0; t < FR_EV_TYPE_COUNT; t++)
			c->type_counts[t] = (uint32_t)get_le(e + 80 + 4 * t, 4);
		if (c->first_ts > c->last_ts || !c->count || c->raw_size < FR_CHUNK_HDR_SIZE ||
		    c->raw_size > FR_MAX_CHUNK_RAW || c->comp_size != m->size ||
		    (i && c->first_ts < r->chunks[i - 1].last_ts) ||
		    c->count > c->raw_size / 4) {
			err = fail(r, -EINVAL, "chunk index entry %zu is inconsistent", i);
			goto out;
		}
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
		if (m->crc32 != c->crc32) {
			err = fail(r, -EINVAL, "chunk %zu: index and manifest checksums differ", i);
			goto out;
		}
#endif
	}
	r->n_chunks = count;
out:
	free(buf);
	free(raw);
	return err;
}

static int load_processes(struct fr_reader *r)
{
	long pi = find_member(r, M_PROCESSES);
	json_t *root, *arr;
	char msg[400];
	size_t i, n;
	int err;

	if (pi < 0)
		return fail(r, -EINVAL, "bundle has no process table (%s)", FR_MEMBER_PROCESSES);
	err = load_json_member(r, (size_t)pi, true, FR_MAX_PROCTAB_RAW, &root);
	if (err)
		return err;
	arr = json_object_get(root, "processes");
	if (!json_is_array(arr)) {
		json_decref(root);
		return fail(r, -EINVAL, "process table: no 'processes' array");
	}
	n = json_array_size(arr);
	if (n > MAX_PROCESSES) {
		json_decref(root);
		return fail(r, -EINVAL, "process table: too many processes");
	}
	if (n) {
		r->procs = calloc(n, sizeof(*r->procs));
		if (!r->procs) {
			json_decref(root);
			return fail(r, -ENOMEM, "out of memory");
		}
	}
	for (i = 0; i < n; i++) {
		err = fr_process__from_json(&r->procs[i], json_array_get(arr, i), msg, sizeof(msg));
		if (err) {
			json_decref(root);
			return fail(r, err, "process table: %s", msg);
		}
		r->n_procs++;
	}
	json_decref(root);
	return 0;
}

int fr_reader__open(const char *path, struct fr_reader **out, char *err, size_t errlen)
{
	struct fr_reader *r;
	struct stat st;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->loaded_chunk = -1;
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r->fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s", strerror(errno));
		free(r);
		return rc;
	}
	if (fstat(r->fd, &st) < 0) {
		rc = fail(r, -errno, "%s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = fail(r, -EISDIR, "is a directory, not a bundle");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = fail(r, -EINVAL, "not a regular file");
		goto fail;
	}
	if (st.st_size == 0) {
		rc = fail(r, -EINVAL, "empty file, not a bundle");
		goto fail;
	}
	r->file_size = st.st_size;
	rc = walk(r);
	if (!rc)
		rc = load_manifest(r);
	if (!rc)
		rc = load_index(r);
	if (!rc)
		rc = load_processes(r);
	if (rc)
		goto fail;
	*out = r;
	return 0;
fail:
	snprintf(err, errlen, "%s", r->err);
	fr_reader__free(r);
	return rc;
}

void fr_reader__free(struct fr_reader *r)
{
	size_t i;

	if (!r)
		return;
	close_seq(r);
	if (r->fd >= 0)
		close(r->fd);
	for (i = 0; i < r->n_procs; i++)
		fr_process__clear(&r->procs[i]);
	free(r->procs);
	free(r->members);
	free(r->mrec);
	free(r->chunks);
	free(r->chunk_member);
	free(r->files);
	free(r->file_member);
	free(r->raw);
	free(r->comp);
	ZSTD_freeDCtx(r->dctx);
	fr_manifest__clear(&r->manifest);
	free(r);
}

/* ---- accessors ---------------------------------------------------------------------------- */

const struct fr_manifest *fr_reader__manifest(const struct fr_reader *r) { return &r->manifest; }
size_t fr_reader__nprocesses(const struct fr_reader *r) { return r->n_procs; }

const struct fr_process *fr_reader__process(const struct fr_reader *r, size_t i)
{
	return i < r->n_procs ? &r->procs[i] : NULL;
}

const struct fr_process *fr_reader__find_process(const struct fr_reader *r, uint32_t pid)
{
	const struct fr_process *best = NULL;
	size_t i;

	for (i = 0; i < r->n_procs; i++)
		if (r->procs[i].pid == pid && (!best || r->procs[i].start_ns >= best->start_ns))
			best = &r->procs[i];
	return best;
}

size_t fr_reader__nmembers(const struct fr_reader *r) { return r->n_members; }

const struct fr_member *fr_reader__member(const struct fr_reader *r, size_t i)
{
	return i < r->n_members ? &r->members[i] : NULL;
}

size_t fr_reader__nchunks(const struct fr_reader *r) { return r->n_chunks; }

const struct fr_chunk_info *fr_reader__chunk(const struct fr_reader *r, size_t i)
{
	return i < r->n_chunks ? &r->chunks[i] : NULL;
}

size_t fr_reader__nfiles(const struct fr_reader *r) { return r->n_files; }

const struct fr_file_info *fr_reader__file(const struct fr_reader *r, size_t i)
{
	return i < r->n_files ? &r->files[i] : NULL;
}

int fr_reader__verify(struct fr_reader *r)
{
	uint8_t *buf = NULL;
	size_t cap = 0, i;
	int bad = 0, err;

	for (i = 0; i < r->n_members; i++) {
		struct fr_member *m = &r->members[i];

		if (!r->mrec[i].listed || r->mrec[i].kind == M_MANIFEST)
			continue;
		err = read_member(r, i, &buf, &cap);
		if (err) {
			free(buf);
			return err;
		}
		m->crc_checked = true;
		m->crc_ok = (uint32_t)crc32_z(0, buf, (size_t)m->size) == m->crc32;
		if (!m->crc_ok)
			bad++;
	}
	free(buf);
	return bad;
}

/* ---- events ------------------------------------------------------------------------------- */

void fr_reader__set_filter(struct fr_reader *r, const struct fr_filter *f)
{
	if (f) {
		r->filter = *f;
		if (r->filter.n_pids > FR_FILTER_MAX_IDS)
			r->filter.n_pids = FR_FILTER_MAX_IDS;
		if (r->filter.n_tids > FR_FILTER_MAX_IDS)
			r->filter.n_tids = FR_FILTER_MAX_IDS;
		r->filtered = true;
	} else {
		memset(&r->filter, 0, sizeof(r->filter));
		r->filtered = false;
	}
	fr_reader__rewind(r);
}

void fr_reader__rewind(struct fr_reader *r)
{
	r->cur_chunk = 0;
	r->pos = 0;
	r->prev_ts = 0;
	r->seen_in_chunk = 0;
	r->done = false;
}

static int load_chunk(struct fr_reader *r, size_t c)
{
	const struct fr_chunk_info *ci = &r->chunks[c];
	size_t mi = r->chunk_member[c];
	char what[64];
	int err;

	if (r->loaded_chunk == (long)c)
		return 0;
	r->loaded_chunk = -1;
	err = read_member(r, mi, &r->comp, &r->comp_cap);
	if (err)
		return err;
	/* The fuzzing build skips this check so that mutated chunks reach the
	 * decompressor and the decoder behind it. */
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	if ((uint32_t)crc32_z(0, r->comp, (size_t)r->members[mi].size) != ci->crc32)
		return fail(r, -EINVAL, "event chunk %zu is corrupt (checksum mismatch)", c);
#endif
	snprintf(what, sizeof(what), "event chunk %zu", c);
	err = decompress(r, what, r->comp, (size_t)r->members[mi].size, ci->raw_size,
			 FR_MAX_CHUNK_RAW, &r->raw, &r->raw_cap, &r->raw_len);
	if (err)
		return err;
	if (memcmp(r->raw, FR_CHUNK_MAGIC, 4))
		return fail(r, -EINVAL, "event chunk %zu: bad header", c);
	if (get_le(r->raw + 4, 2) > FR_CODEC_VERSION)
		return fail(r, -EINVAL, "event chunk %zu uses codec version %u, newer than this "
				       "flightrec reads", c, (unsigned)get_le(r->raw + 4, 2));
	if (get_le(r->raw + 8, 4) != ci->count)
		return fail(r, -EINVAL, "event chunk %zu: event count differs from the index", c);
	r->loaded_chunk = (long)c;
	return 0;
}

static bool id_in(const uint32_t *ids, uint32_t n, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Can chunk c hold an event passing the filter? */
static bool chunk_may_match(const struct fr_reader *r, const struct fr_chunk_info *c)
{
	const struct fr_filter *f = &r->filter;
	uint32_t i;

	if (!r->filtered)
		return true;
	if (f->type_mask && !(f->type_mask & c->type_mask))
		return false;
	if (f->since_ns && c->last_ts < f->since_ns)
		return false;
	if (f->until_ns && c->first_ts > f->until_ns)
		return false;
	if (f->n_tids) {
		for (i = 0; i < f->n_tids; i++) {
			unsigned bit = fr_tid_bloom_bit(f->tids[i]);

			if (c->tid_bloom[bit / 64] & (1ULL << (bit % 64)))
				return true;
		}
		return false;
	}
	return true;
}

static bool event_matches(const struct fr_reader *r, const struct fr_event *ev)
{
	const struct fr_filter *f = &r->filter;

	if (!r->filtered)
		return true;
	if (f->type_mask && (ev->type >= 64 || !(f->type_mask & (1ULL << ev->type))))
		return false;
	if (f->since_ns && ev->ts_ns < f->since_ns)
		return false;
	if (f->until_ns && ev->ts_ns > f->until_ns)
		return false;
	if (f->n_pids && !id_in(f->pids, f->n_pids, ev->pid))
		return false;
	if (f->n_tids && !id_in(f->tids, f->n_tids, ev->tid))
		return false;
	return true;
}

int fr_reader__next(struct fr_reader *r, const struct fr_event **out)
{
	struct fr_event *ev = &r->ev;
	int rc, err;

	*out = NULL;
	if (r->done)
		return 0;
	for (;;) {
		const struct fr_chunk_info *ci;
		size_t rec_end, start;

		if (r->cur_chunk >= r->n_chunks) {
			r->done = true;
			return 0;
		}
		ci = &r->chunks[r->cur_chunk];
		if (r->pos == 0) {
			/* entering a chunk */
			if (r->filtered && r->filter.until_ns && ci->first_ts > r->filter.until_ns) {
				r->done = true;
				return 0;
			}
			if (!chunk_may_match(r, ci)) {
				r->cur_chunk++;
				continue;
			}
			err = load_chunk(r, r->cur_chunk);
			if (err)
				return err;
			r->pos = FR_CHUNK_HDR_SIZE;
			r->prev_ts = 0;
			r->seen_in_chunk = 0;
		}
		if (r->pos >= r->raw_len) {
			if (r->seen_in_chunk != ci->count || r->pos != r->raw_len)
				return fail(r, -EINVAL, "event chunk %zu is corrupt: %u records, "
						       "the index says %u", r->cur_chunk,
					    r->seen_in_chunk, ci->count);
			r->cur_chunk++;
			r->pos = 0;
			continue;
		}
		if (r->seen_in_chunk >= ci->count)
			return fail(r, -EINVAL, "event chunk %zu is corrupt: more records than the "
					       "index says", r->cur_chunk);
		start = r->pos;
		rc = fr_codec_peek(r->raw, r->raw_len, start, r->prev_ts, ev, &rec_end);
		if (rc < 0)
			return fail(r, -EINVAL, "event chunk %zu is corrupt at offset %zu",
				    r->cur_chunk, start);
		if (ev->ts_ns < ci->first_ts || ev->ts_ns > ci->last_ts)
			return fail(r, -EINVAL, "event chunk %zu is corrupt: a timestamp lies outside "
					       "the chunk's range", r->cur_chunk);
		r->seen_in_chunk++;
		if (rc == 0 || !event_matches(r, ev)) {
			r->prev_ts = ev->ts_ns;
			r->pos = rec_end;
			continue;
		}
		{
			uint64_t prev = r->prev_ts;
			size_t pos = start;

			rc = fr_codec_decode(r->raw, r->raw_len, &pos, prev, ev);
			if (rc < 0)
				return fail(r, -EINVAL, "event chunk %zu is corrupt at offset %zu",
					    r->cur_chunk, start);
			ev->ref.chunk = (uint32_t)r->cur_chunk;
			ev->ref.offset = (uint32_t)start;
			ev->ref.prev_ts = prev;
			r->prev_ts = ev->ts_ns;
			r->pos = pos;
		}
		*out = ev;
		return 1;
	}
}

int fr_reader__get(struct fr_reader *r, struct fr_event_ref ref, const struct fr_event **out)
{
	size_t pos = ref.offset;
	int rc, err;

	*out = NULL;
	if (ref.chunk >= r->n_chunks)
		return fail(r, -EINVAL, "event reference to chunk %u, the bundle has %zu",
			    ref.chunk, r->n_chunks);
	err = load_chunk(r, ref.chunk);
	if (err)
		return err;
	/* iteration state pointed into the previous chunk: restart it */
	r->pos = 0;
	r->cur_chunk = 0;
	r->done = false;
	if (pos < FR_CHUNK_HDR_SIZE || pos >= r->raw_len)
		return fail(r, -EINVAL, "event reference outside chunk %u", ref.chunk);
	rc = fr_codec_decode(r->raw, r->raw_len, &pos, ref.prev_ts, &r->ev);
	if (rc <= 0)
		return fail(r, -EINVAL, "no event at chunk %u offset %u", ref.chunk, ref.offset);
	r->ev.ref = ref;
	*out = &r->ev;
	return 1;
}

int fr_reader__copy_file(struct fr_reader *r, const char *build_id, int fd)
{
	uint8_t *buf = NULL, *raw = NULL;
	size_t cap = 0, rcap = 0, rlen = 0, i, off = 0;
	int err;

	for (i = 0; i < r->n_files; i++)
		if (!strcmp(r->files[i].build_id, build_id))
			break;
	if (i == r->n_files)
		return fail(r, -ENOENT, "no stored file with build id %s", build_id);
	err = read_member(r, r->file_member[i], &buf, &cap);
	if (err)
		return err;
	if ((uint32_t)crc32_z(0, buf, (size_t)r->members[r->file_member[i]].size) !=
	    r->members[r->file_member[i]].crc32) {
		free(buf);
		return fail(r, -EINVAL, "stored file %s is corrupt (checksum mismatch)", build_id);
	}
	err = decompress(r, r->members[r->file_member[i]].name, buf,
			 (size_t)r->members[r->file_member[i]].size, (size_t)r->files[i].size,
			 MAX_FILE_RAW, &raw, &rcap, &rlen);
	free(buf);
	if (err) {
		free(raw);
		return err;
	}
	while (off < rlen) {
		ssize_t n = write(fd, raw + off, rlen - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = fail(r, -errno, "writing stored file %s: %s", build_id, strerror(errno));
			break;
		}
		off += (size_t)n;
	}
	free(raw);
	return err;
}
