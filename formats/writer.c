// SPDX-License-Identifier: MIT
/*
 * writer.c: streaming bundle writer.
 *
 * Memory stays bounded whatever the number of events: one chunk being built,
 * the process table, and one small record per member.  Chunks go to the
 * archive as soon as they are full.  The archive is written to a temporary
 * file next to the destination and renamed into place by fr_writer__finish
 * after an fsync, so a bundle never appears under its final name incomplete.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include "formats/bundle.h"
#include "formats/bundle_format.h"
#include "formats/jsonutil.h"
#include "formats/manifest.h"
#include "formats/util.h"

#define MAX_FILE_BYTES (1ULL << 30) /* --with-files: largest file stored */

struct fr_writer {
	char *path;
	char *tmp_path;
	int fd;
	struct archive *ar;
	struct fr_chunk_builder *builder;
	int level;
	unsigned mode;
	int64_t mtime;
	uint64_t last_ts;
	bool any_event;
	uint32_t n_chunks;
	/* chunk index entries, serialised as they are written */
	uint8_t *index;
	size_t index_len, index_cap;
	json_t *members;   /* [{name,size,raw_size,crc32}] */
	json_t *files;     /* [{build_id,path,size}] */
	json_t *processes; /* array of process objects */
	struct fr_manifest manifest;
	bool finished;
	bool failed;
	char err[512];
};

static int set_err(struct fr_writer *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_err(struct fr_writer *w, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
	w->failed = true;
	return err;
}

const char *fr_writer__strerror(const struct fr_writer *w)
{
	return w && w->err[0] ? w->err : "no error";
}

struct fr_manifest *fr_writer__manifest(struct fr_writer *w) { return &w->manifest; }

int fr_writer__open(const char *path, const struct fr_writer_opts *opts,
		    struct fr_writer **out, char *err, size_t errlen)
{
	struct fr_writer *w;
	char *dup1 = NULL, *dup2 = NULL;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	w->fd = -1;
	w->level = opts && opts->zstd_level ? opts->zstd_level : 3;
	w->mode = opts && opts->mode ? opts->mode : 0600;
	w->mtime = opts ? opts->mtime : 0;
	w->path = strdup(path);
	dup1 = strdup(path);
	dup2 = strdup(path);
	w->members = json_array();
	w->files = json_array();
	w->processes = json_array();
	if (!w->path || !dup1 || !dup2 || !w->members || !w->files || !w->processes) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (asprintf(&w->tmp_path, "%s/.%s.tmp-%d-XXXXXX", dirname(dup1), basename(dup2),
		     (int)getpid()) < 0) {
		w->tmp_path = NULL;
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* O_CLOEXEC: a recorder forks the recorded command after opening */
	w->fd = mkostemp(w->tmp_path, O_CLOEXEC);
	if (w->fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot create a file next to %s: %s", path, strerror(errno));
		free(w->tmp_path);
		w->tmp_path = NULL;
		goto fail;
	}
	/* Held until the file is closed: a cleaner that finds a temporary
	 * bundle can tell a live writer (lock taken) from an abandoned file
	 * without trusting pids, which get reused. */
	if (flock(w->fd, LOCK_EX | LOCK_NB) < 0) {
		rc = -errno;
		snprintf(err, errlen, "lock %s: %s", w->tmp_path, strerror(errno));
		goto fail;
	}
	if (fchmod(w->fd, w->mode) < 0) {
		rc = -errno;
		snprintf(err, errlen, "chmod %s: %s", w->tmp_path, strerror(errno));
		goto fail;
	}
	rc = fr_chunk_builder__new(opts ? opts->chunk_bytes : 0, &w->builder);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	w->ar = archive_write_new();
	if (!w->ar || archive_write_set_format_pax_restricted(w->ar) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w->ar, 1) != ARCHIVE_OK ||
	    archive_write_open_fd(w->ar, w->fd) != ARCHIVE_OK) {
		rc = -EIO;
		snprintf(err, errlen, "cannot start the archive: %s",
			 w->ar ? archive_error_string(w->ar) : "out of memory");
		goto fail;
	}
	fr_manifest__fill_host(&w->manifest);
	free(dup1);
	free(dup2);
	*out = w;
	return 0;
fail:
	free(dup1);
	free(dup2);
	fr_writer__free(w);
	return rc;
}

/* Write one member from memory. */
static int write_member(struct fr_writer *w, const char *name, const void *data, size_t len,
			uint64_t raw_size)
{
	struct archive_entry *e;
	const uint8_t *p = data;
	size_t off = 0;
	json_t *m;

	e = archive_entry_new();
	if (!e)
		return set_err(w, -ENOMEM, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, w->mtime ? (time_t)w->mtime : time(NULL), 0);
	archive_entry_set_uname(e, "flightrec");
	archive_entry_set_gname(e, "flightrec");
	if (archive_write_header(w->ar, e) != ARCHIVE_OK) {
		archive_entry_free(e);
		return set_err(w, -EIO, "writing %s: %s", w->tmp_path, archive_error_string(w->ar));
	}
	archive_entry_free(e);
	while (off < len) {
		la_ssize_t n = archive_write_data(w->ar, p + off, FR_MIN(len - off, (size_t)1 << 20));

		if (n <= 0)
			return set_err(w, -EIO, "writing %s: %s", w->tmp_path,
				       archive_error_string(w->ar));
		off += (size_t)n;
	}
	if (archive_write_finish_entry(w->ar) != ARCHIVE_OK)
		return set_err(w, -EIO, "writing %s: %s", w->tmp_path, archive_error_string(w->ar));
	m = json_pack("{s:s,s:I,s:I,s:I}", "name", name, "size", (json_int_t)len, "raw_size",
		      (json_int_t)raw_size, "crc32", (json_int_t)crc32_z(0, data, len));
	if (!m || json_array_append_new(w->members, m))
		return set_err(w, -ENOMEM, "out of memory");
	return 0;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int index_append(struct fr_writer *w, const struct fr_chunk_info *ci)
{
	uint8_t *e;
	unsigned t;

	if (w->index_len + FR_INDEX_ENTRY_SIZE > w->index_cap) {
		size_t cap = w->index_cap ? w->index_cap * 2 : 64 * FR_INDEX_ENTRY_SIZE;
		uint8_t *n = realloc(w->index, cap);

		if (!n)
			return set_err(w, -ENOMEM, "out of memory");
		w->index = n;
		w->index_cap = cap;
	}
	e = w->index + w->index_len;
	memset(e, 0, FR_INDEX_ENTRY_SIZE);
	put_le(e + 0, ci->first_ts, 8);
	put_le(e + 8, ci->last_ts, 8);
	put_le(e + 16, ci->count, 4);
	put_le(e + 20, ci->raw_size, 4);
	put_le(e + 24, ci->comp_size, 4);
	put_le(e + 28, ci->crc32, 4);
	put_le(e + 32, ci->payload_bytes, 8);
	put_le(e + 40, ci->type_mask, 8);
	for (t = 0; t < 4; t++)
		put_le(e + 48 + 8 * t, ci->tid_bloom[t], 8);
	for (t = 0; t < FR_EV_TYPE_COUNT; t++)
		put_le(e + 80 + 4 * t, ci->type_counts[t], 4);
	w->index_len += FR_INDEX_ENTRY_SIZE;
	return 0;
}

static int write_chunk(struct fr_writer *w, const struct fr_chunk *c)
{
	char name[64];
	unsigned t;
	int err;

	if (w->n_chunks >= FR_MAX_CHUNKS)
		return set_err(w, -EFBIG, "too many event chunks (%u)", w->n_chunks);
	snprintf(name, sizeof(name), FR_MEMBER_CHUNK_FMT, w->n_chunks);
	err = write_member(w, name, c->data, c->len, c->info.raw_size);
	if (err)
		return err;
	err = index_append(w, &c->info);
	if (err)
		return err;
	w->n_chunks++;
	w->manifest.chunk_count++;
	w->manifest.event_count += c->info.count;
	w->manifest.payload_bytes += c->info.payload_bytes;
	for (t = 0; t < FR_EV_TYPE_COUNT; t++)
		w->manifest.events_by_type[t] += c->info.type_counts[t];
	if (!w->any_event) {
		w->any_event = true;
		if (!w->manifest.window_start_ns)
			w->manifest.window_start_ns = c->info.first_ts;
	}
	w->last_ts = c->info.last_ts;
	return 0;
}

static int flush_builder(struct fr_writer *w)
{
	struct fr_chunk c;
	int err;

	if (!fr_chunk_builder__count(w->builder))
		return 0;
	err = fr_chunk_builder__finish(w->builder, w->level, &c);
	if (err)
		return set_err(w, err, "compressing events: %s", strerror(-err));
	err = write_chunk(w, &c);
	fr_chunk__release(&c);
	return err;
}

int fr_writer__add_event(struct fr_writer *w, const struct fr_event *ev)
{
	int err;

	if (w->failed || w->finished)
		return -EINVAL;
	if ((w->any_event || fr_chunk_builder__count(w->builder)) && ev->ts_ns < w->last_ts)
		return set_err(w, -ERANGE, "event at %llu ns is older than the previous one (%llu ns)",
			       (unsigned long long)ev->ts_ns, (unsigned long long)w->last_ts);
	err = fr_chunk_builder__add(w->builder, ev);
	if (err == -ENOSPC) {
		err = flush_builder(w);
		if (err)
			return err;
		err = fr_chunk_builder__add(w->builder, ev);
	}
	if (err)
		return set_err(w, err, "cannot encode a %s event: %s",
			       fr_event_type_name(ev->type) ? fr_event_type_name(ev->type) : "unknown",
			       strerror(-err));
	if (!w->any_event && !w->manifest.window_start_ns)
		w->manifest.window_start_ns = ev->ts_ns;
	w->any_event = true;
	w->last_ts = ev->ts_ns;
	return 0;
}

int fr_writer__add_chunk(struct fr_writer *w, const struct fr_chunk *c)
{
	int err;

	if (w->failed || w->finished)
		return -EINVAL;
	err = flush_builder(w);
	if (err)
		return err;
	if (w->any_event && c->info.first_ts < w->last_ts)
		return set_err(w, -ERANGE, "chunk starts before the previous events end");
	if (!c->info.count || c->info.first_ts > c->info.last_ts)
		return set_err(w, -EINVAL, "empty or inconsistent chunk");
	return write_chunk(w, c);
}

int fr_writer__add_process(struct fr_writer *w, const struct fr_process *p)
{
	json_t *o;
	size_t i;

	if (w->failed || w->finished)
		return -EINVAL;
	o = fr_process__to_json(p);
	if (!o)
		return set_err(w, -ENOMEM, "out of memory");
	for (i = 0; i < json_array_size(w->processes); i++) {
		json_t *q = json_array_get(w->processes, i);

		if (json_integer_value(json_object_get(q, "pid")) == p->pid &&
		    json_integer_value(json_object_get(q, "start_ns")) == (json_int_t)p->start_ns)
			return json_array_set_new(w->processes, i, o) ? -ENOMEM : 0;
	}
	if (json_array_append_new(w->processes, o))
		return set_err(w, -ENOMEM, "out of memory");
	return 0;
}

/* Compress `len` bytes with zstd into a new buffer. */
static int compress_buf(const void *src, size_t len, int level, uint8_t **out, size_t *out_len)
{
	size_t bound = ZSTD_compressBound(len), n;
	uint8_t *dst = malloc(bound ? bound : 1);

	if (!dst)
		return -ENOMEM;
	n = ZSTD_compress(dst, bound, src, len, level);
	if (ZSTD_isError(n)) {
		free(dst);
		return -EIO;
	}
	*out = dst;
	*out_len = n;
	return 0;
}

static bool valid_build_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 128)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int fr_writer__add_file(struct fr_writer *w, const char *build_id, const char *src_path,
			const char *orig_path)
{
	char *data = NULL, name[160];
	uint8_t *z = NULL;
	size_t len = 0, zlen = 0, i;
	int err;

	if (w->failed || w->finished)
		return -EINVAL;
	if (!valid_build_id(build_id))
		return set_err(w, -EINVAL, "invalid build id '%s'", build_id);
	for (i = 0; i < json_array_size(w->files); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(w->files, i),
							       "build_id")), build_id))
			return 0; /* already stored */
	err = flush_builder(w);
	if (err)
		return err;
	err = fr_read_file(src_path, MAX_FILE_BYTES, &data, &len);
	if (err)
		return set_err(w, err, "reading %s: %s", src_path, strerror(-err));
	err = compress_buf(data, len, w->level, &z, &zlen);
	free(data);
	if (err)
		return set_err(w, err, "compressing %s", src_path);
	snprintf(name, sizeof(name), FR_MEMBER_FILE_FMT, build_id);
	err = write_member(w, name, z, zlen, len);
	free(z);
	if (err)
		return err;
	if (json_array_append_new(w->files,
				  json_pack("{s:s,s:o,s:I}", "build_id", build_id, "path",
					    fr_json_str(orig_path ? orig_path : src_path), "size",
					    (json_int_t)len)))
		return set_err(w, -ENOMEM, "out of memory");
	return 0;
}

static int write_json_member(struct fr_writer *w, const char *name, json_t *j, bool compress)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	uint8_t *z = NULL;
	size_t zlen = 0, len;
	int err;

	if (!s)
		return set_err(w, -ENOMEM, "cannot serialise %s", name);
	len = strlen(s);
	if (!compress) {
		err = write_member(w, name, s, len, len);
		free(s);
		return err;
	}
	err = compress_buf(s, len, w->level, &z, &zlen);
	free(s);
	if (err)
		return set_err(w, err, "compressing %s", name);
	err = write_member(w, name, z, zlen, len);
	free(z);
	return err;
}

int fr_writer__finish(struct fr_writer *w)
{
	struct fr_manifest *m = &w->manifest;
	uint8_t hdr[FR_INDEX_HDR_SIZE], *idx = NULL, *z = NULL;
	json_t *root, *procs;
	size_t zlen = 0;
	int err, dfd;
	char *dup;

	if (w->failed || w->finished)
		return -EINVAL;
	err = flush_builder(w);
	if (err)
		return err;

	procs = json_pack("{s:O}", "processes", w->processes);
	if (!procs)
		return set_err(w, -ENOMEM, "out of memory");
	err = write_json_member(w, FR_MEMBER_PROCESSES, procs, true);
	json_decref(procs);
	if (err)
		return err;

	memcpy(hdr, FR_INDEX_MAGIC, 4);
	put_le(hdr + 4, FR_INDEX_VERSION, 2);
	put_le(hdr + 6, FR_INDEX_ENTRY_SIZE, 2);
	put_le(hdr + 8, w->n_chunks, 4);
	put_le(hdr + 12, 0, 4);
	idx = malloc(sizeof(hdr) + w->index_len);
	if (!idx)
		return set_err(w, -ENOMEM, "out of memory");
	memcpy(idx, hdr, sizeof(hdr));
	if (w->index_len)
		memcpy(idx + sizeof(hdr), w->index, w->index_len);
	err = compress_buf(idx, sizeof(hdr) + w->index_len, w->level, &z, &zlen);
	if (!err)
		err = write_member(w, FR_MEMBER_INDEX, z, zlen, sizeof(hdr) + w->index_len);
	else
		set_err(w, err, "compressing the index");
	free(idx);
	free(z);
	if (err)
		return err;

	if (!m->window_end_ns)
		m->window_end_ns = w->last_ts;
	if (!m->window_start_ns)
		m->window_start_ns = m->window_end_ns;
	root = fr_manifest__to_json(m, w->members, w->files);
	if (!root)
		return set_err(w, -ENOMEM, "out of memory");
	{
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		json_decref(root);
		if (!s)
			return set_err(w, -ENOMEM, "cannot serialise the manifest");
		/* the manifest is not listed in itself: write it without bookkeeping */
		err = write_member(w, FR_MEMBER_MANIFEST, s, strlen(s), strlen(s));
		free(s);
		if (err)
			return err;
	}
	if (archive_write_close(w->ar) != ARCHIVE_OK)
		return set_err(w, -EIO, "finishing %s: %s", w->tmp_path, archive_error_string(w->ar));
	if (fsync(w->fd) < 0)
		return set_err(w, -errno, "fsync %s: %s", w->tmp_path, strerror(errno));
	if (close(w->fd) < 0) {
		w->fd = -1;
		return set_err(w, -errno, "close %s: %s", w->tmp_path, strerror(errno));
	}
	w->fd = -1;
	if (rename(w->tmp_path, w->path) < 0)
		return set_err(w, -errno, "rename %s to %s: %s", w->tmp_path, w->path,
			       strerror(errno));
	free(w->tmp_path);
	w->tmp_path = NULL;
	w->finished = true;
	/* make the rename durable */
	dup = strdup(w->path);
	if (dup) {
		dfd = open(dirname(dup), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dup);
	}
	return 0;
}

void fr_writer__free(struct fr_writer *w)
{
	if (!w)
		return;
	if (w->ar) {
		/* Closing an unfinished archive writes its trailer into the
		 * temporary file, which is removed below; archive_write_fail()
		 * would skip that but leaks libarchive's format state. */
		if (!w->finished)
			archive_write_close(w->ar);
		archive_write_free(w->ar);
	}
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp_path) {
		unlink(w->tmp_path);
		free(w->tmp_path);
	}
	fr_chunk_builder__free(w->builder);
	free(w->index);
	json_decref(w->members);
	json_decref(w->files);
	json_decref(w->processes);
	fr_manifest__clear(&w->manifest);
	free(w->path);
	free(w);
}
