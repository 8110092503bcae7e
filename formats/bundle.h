/* SPDX-License-Identifier: MIT */
/*
 * bundle.h: the incident bundle (*.frb): writer, reader, manifest, process
 * table.  The on-disk format is specified in docs/bundle-format.md and
 * summarised at the top of formats/bundle_format.h.
 *
 * Conventions: functions returning int return 0 (or a count) on success and
 * -errno on failure, with a message for the user available from the object's
 * __strerror().  Free functions accept NULL.
 */
#ifndef FR_BUNDLE_H
#define FR_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "formats/event.h"

#define FR_FORMAT_MAJOR 1
#define FR_FORMAT_MINOR 1

/* ---- manifest ------------------------------------------------------------ */

struct fr_manifest {
	unsigned format_major;
	unsigned format_minor;
	char tool_version[32];

	/* host */
	char hostname[256];
	char kernel_release[128];
	char machine[32];
	char boot_id[40];

	/* clocks: UTC time of an event = ts_ns + clock_to_utc_ns */
	char clock[16]; /* "monotonic" */
	int64_t clock_to_utc_ns;
	uint64_t clock_offset_error_ns; /* half the round trip of the measurement */

	/* the recorded window, event clock; 0/0 = derived from the events */
	uint64_t window_start_ns;
	uint64_t window_end_ns;

	/* trigger (record mode: kind "record") */
	char trigger_kind[32];
	char trigger_reason[512];
	uint64_t trigger_ns;

	/* counts: maintained by the writer, read back by the reader */
	uint64_t event_count;
	uint64_t events_by_type[FR_EV_TYPE_COUNT];
	uint64_t payload_bytes;      /* captured payload bytes */
	uint64_t chunk_count;

	/* losses by cause (enum fr_loss_cause); set by the producer */
	uint64_t losses[FR_LOSS_CAUSE_COUNT];

	/* Free-form objects the producer owns the content of (may be NULL):
	 * capture: {"mode":"record","snaplen":...,"filters":[...],...}
	 * features: {"tp_btf":{"used":true,"detail":"..."},...}
	 * redaction: [ rule descriptions ]
	 * extra: anything else worth keeping.
	 * The manifest holds one reference to each; fr_manifest__clear drops them. */
	json_t *capture;
	json_t *features;
	json_t *redaction;
	json_t *extra;
};

/* Fill host, boot id and clock offset from the running system.
 * Returns 0, or -errno when a source could not be read (fields left empty). */
int fr_manifest__fill_host(struct fr_manifest *m);
void fr_manifest__clear(struct fr_manifest *m);

/* ---- process table ------------------------------------------------------- */

struct fr_thread_info {
	uint32_t tid;
	char comm[FR_COMM_LEN];
};

struct fr_map {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	uint64_t inode;
	char perms[8];  /* "r-xp" */
	char dev[16];   /* "fd:01" */
	char *path;     /* may be NULL (anonymous) */
	char *build_id; /* hex, may be NULL */
};

struct fr_fd {
	int32_t fd;
	uint16_t type;      /* enum fr_fd_type */
	uint16_t sock_type; /* SOCK_STREAM, ... */
	uint32_t flags;     /* open flags */
	uint64_t pos;
	uint64_t ino;
	char *path;         /* readlink of /proc/PID/fd/N, may be NULL */
	struct fr_sock_tuple tuple;
};

struct fr_rlimit {
	int32_t resource; /* RLIMIT_* */
	uint64_t cur;
	uint64_t max;     /* UINT64_MAX = unlimited */
};

struct fr_namespace {
	char name[16];    /* "pid", "net", "mnt", ... */
	uint64_t ino;
};

/* fr_process.flags */
#define FR_PROC_ROOT     0x1 /* root of a recorded tree (record mode) */
#define FR_PROC_EXITED   0x2 /* exit_ns/exit_status are valid */
#define FR_PROC_SNAPSHOT 0x4 /* maps/fds are a /proc snapshot at window start */

struct fr_process {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid, gid, euid, egid;
	uint32_t flags; /* FR_PROC_* */
	char comm[FR_COMM_LEN];
	char *exe;
	char *exe_build_id;
	char *cwd;
	char *cgroup;
	char **argv;
	uint32_t argc;
	char **env;
	uint32_t envc;
	uint64_t start_ns; /* event clock, 0 = unknown */
	uint64_t exit_ns;
	int32_t exit_status; /* wait(2) status */
	struct fr_thread_info *threads;
	uint32_t n_threads;
	struct fr_map *maps;
	uint32_t n_maps;
	struct fr_fd *fds;
	uint32_t n_fds;
	struct fr_rlimit *rlimits;
	uint32_t n_rlimits;
	struct fr_namespace *namespaces;
	uint32_t n_namespaces;
};

/* Free every heap field of `p` (not `p` itself) and zero it. */
void fr_process__clear(struct fr_process *p);
/* Deep copy; returns 0 or -ENOMEM (dst is left cleared). */
int fr_process__copy(struct fr_process *dst, const struct fr_process *src);

/* ---- chunks --------------------------------------------------------------- */

/* Metadata of one event chunk; also one entry of the bundle's chunk index. */
struct fr_chunk_info {
	uint64_t first_ts;
	uint64_t last_ts;
	uint32_t count;      /* events */
	uint32_t raw_size;   /* decompressed bytes */
	uint32_t comp_size;  /* compressed bytes (the member's size) */
	uint32_t crc32;      /* zlib crc32 of the compressed bytes */
	uint64_t payload_bytes;
	uint64_t type_mask;  /* bit t set when the chunk holds an event of type t */
	uint64_t tid_bloom[4]; /* bit (tid * 0x9e3779b1 >> 24) & 255 per tid */
	uint32_t type_counts[FR_EV_TYPE_COUNT];
};

/* A finished, compressed chunk (one zstd frame of the chunk encoding). */
struct fr_chunk {
	uint8_t *data;
	size_t len;
	struct fr_chunk_info info;
};

void fr_chunk__release(struct fr_chunk *c);

struct fr_chunk_builder;

/* `target_raw`: flush threshold of decoded bytes (0: default 1 MiB). */
int fr_chunk_builder__new(size_t target_raw, struct fr_chunk_builder **out);
/*
 * Append an event.  Returns 0; -ENOSPC when the chunk has reached its target
 * size (nothing appended: finish the chunk, then add again); -ERANGE when ev
 * is older than the previous event; -EINVAL for an event that cannot be
 * encoded; -ENOMEM.  An event larger than the target is accepted into an
 * empty builder.
 */
int fr_chunk_builder__add(struct fr_chunk_builder *b, const struct fr_event *ev);
uint32_t fr_chunk_builder__count(const struct fr_chunk_builder *b);
uint64_t fr_chunk_builder__last_ts(const struct fr_chunk_builder *b);
/* Compress what was added into `out` (caller releases it) and reset the
 * builder.  Returns 0, -ENODATA when empty, -ENOMEM, -EIO (zstd). */
int fr_chunk_builder__finish(struct fr_chunk_builder *b, int zstd_level,
			     struct fr_chunk *out);
void fr_chunk_builder__free(struct fr_chunk_builder *b);

/* ---- writer --------------------------------------------------------------- */

struct fr_writer_opts {
	size_t chunk_bytes; /* 0: 1 MiB of decoded events per chunk */
	int zstd_level;     /* 0: 3 */
	unsigned mode;      /* file mode, 0: 0600 */
	int64_t mtime;      /* member modification time, 0: now (fixtures pin it) */
};

struct fr_writer;

/*
 * Start a bundle that will appear at `path` when fr_writer__finish succeeds
 * (written to a temporary file ".<name>.tmp-<pid>-XXXXXX" in the same
 * directory until then, held under an exclusive flock(2) while the writer
 * lives, so that an abandoned one can be told apart and removed).  The
 * manifest starts with host facts filled in.  Returns 0 or -errno; on failure
 * *out is NULL and `err` (if not NULL) holds a message.
 */
int fr_writer__open(const char *path, const struct fr_writer_opts *opts,
		    struct fr_writer **out, char *err, size_t errlen);
/* Events must come in non-decreasing ts order (-ERANGE otherwise). */
int fr_writer__add_event(struct fr_writer *w, const struct fr_event *ev);
/* A chunk built elsewhere (the flight-recorder ring).  Its events must not be
 * older than what was added before. */
int fr_writer__add_chunk(struct fr_writer *w, const struct fr_chunk *c);
/* Add or replace (same pid and start_ns) a process.  Copies `p`. */
int fr_writer__add_process(struct fr_writer *w, const struct fr_process *p);
/* Store the file at `src_path` as files/<build_id> (hex, 2..128 chars).
 * `orig_path` is the path the process knew it by, recorded in the manifest. */
int fr_writer__add_file(struct fr_writer *w, const char *build_id,
			const char *src_path, const char *orig_path);
/* The manifest to fill before finishing (counts are maintained by the writer). */
struct fr_manifest *fr_writer__manifest(struct fr_writer *w);
/* Write the remaining members, fsync, rename into place.  After this only
 * fr_writer__free may be called. */
int fr_writer__finish(struct fr_writer *w);
const char *fr_writer__strerror(const struct fr_writer *w);
/* Frees; an unfinished bundle's temporary file is removed. */
void fr_writer__free(struct fr_writer *w);

/* ---- reader --------------------------------------------------------------- */

/* Hard caps on what a bundle may ask the reader to allocate. */
#define FR_MAX_MEMBERS        (1u << 20)
#define FR_MAX_CHUNK_RAW      (256u << 20)
#define FR_MAX_MANIFEST       (16u << 20)
#define FR_MAX_PROCTAB_RAW    (512u << 20)
#define FR_MAX_INDEX_RAW      (256u << 20)

struct fr_member {
	char name[128];
	uint64_t size;     /* bytes stored in the archive */
	uint64_t raw_size; /* decompressed size when known, else size */
	uint32_t crc32;    /* expected, from the manifest */
	bool crc_checked;  /* fr_reader__verify ran */
	bool crc_ok;
};

struct fr_file_info {
	char build_id[129];
	char path[4096];
	uint64_t size;
};

/* Event filter: an event passes when it matches every set criterion.
 * Zero/empty fields do not filter. */
#define FR_FILTER_MAX_IDS 64
struct fr_filter {
	uint32_t pids[FR_FILTER_MAX_IDS];
	uint32_t n_pids;
	uint32_t tids[FR_FILTER_MAX_IDS];
	uint32_t n_tids;
	uint64_t type_mask; /* bit per FR_EV_* type, 0 = all */
	uint64_t since_ns;  /* event clock, inclusive */
	uint64_t until_ns;  /* event clock, inclusive; 0 = no bound */
};

struct fr_reader;

/*
 * Open and validate a bundle: the archive's member list, the manifest (format
 * version: a newer major is refused), the chunk index and the process table.
 * Event chunks are read lazily.  Returns 0 or -errno; on failure *out is NULL
 * and `err` holds "<what is wrong>" (the caller prefixes the file name).
 */
int fr_reader__open(const char *path, struct fr_reader **out, char *err,
		    size_t errlen);
const struct fr_manifest *fr_reader__manifest(const struct fr_reader *r);

size_t fr_reader__nprocesses(const struct fr_reader *r);
const struct fr_process *fr_reader__process(const struct fr_reader *r, size_t i);
/* The process with this pid (the latest one when a pid was reused), or NULL. */
const struct fr_process *fr_reader__find_process(const struct fr_reader *r,
						 uint32_t pid);

size_t fr_reader__nmembers(const struct fr_reader *r);
const struct fr_member *fr_reader__member(const struct fr_reader *r, size_t i);
size_t fr_reader__nchunks(const struct fr_reader *r);
const struct fr_chunk_info *fr_reader__chunk(const struct fr_reader *r, size_t i);
size_t fr_reader__nfiles(const struct fr_reader *r);
const struct fr_file_info *fr_reader__file(const struct fr_reader *r, size_t i);

/* Read every member and check its checksum.  Returns the number of bad
 * members (0 = all good) or -errno. */
int fr_reader__verify(struct fr_reader *r);

/* Set the filter and rewind.  NULL clears it. */
void fr_reader__set_filter(struct fr_reader *r, const struct fr_filter *f);
void fr_reader__rewind(struct fr_reader *r);
/*
 * Next event passing the filter, in time order.  Returns 1 with *ev set (valid
 * until the next call on r), 0 at the end, or -errno on a damaged bundle.
 */
int fr_reader__next(struct fr_reader *r, const struct fr_event **ev);
/* The event at `ref` (from a previous fr_reader__next).  Same lifetime and
 * returns as fr_reader__next; interrupts an iteration (rewind after). */
int fr_reader__get(struct fr_reader *r, struct fr_event_ref ref,
		   const struct fr_event **ev);
/* Copy stored file `build_id` (decompressed) to `fd`.  -ENOENT when absent. */
int fr_reader__copy_file(struct fr_reader *r, const char *build_id, int fd);
const char *fr_reader__strerror(const struct fr_reader *r);
void fr_reader__free(struct fr_reader *r);

#endif /* FR_BUNDLE_H */
