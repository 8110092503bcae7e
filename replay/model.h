/* SPDX-License-Identifier: MIT */
/*
 * model.h: the recorded environment of a replayed program, as a model that
 * can answer calls the recording does not hold (what-if replay).
 *
 * Built once from the whole bundle (every process in it, not only the
 * replayed tree), the model knows:
 *
 *  - objects: what a descriptor stood for (a file, a directory, a byte
 *    stream: pipe, stream socket, terminal; a datagram socket; a listening
 *    socket), identified as capture identified them (FR_PL_FDINFO: device
 *    and inode, or the socket's addresses);
 *  - for each stream the replayed tree reads, the bytes that were there to
 *    read and when each became available: the writes of the peer when the
 *    peer is in the bundle (with how much of the other direction it had
 *    read before writing: what it was answering), else the tree's own
 *    recorded reads; and when the stream ended (the peer's close, or a
 *    recorded read of 0);
 *  - for each file, the bytes any recorded process read at each offset, its
 *    size when a stat or an end of file showed it, its stat structure;
 *  - the results of opening each path, of looking paths up (stat, access,
 *    readlink...), of each connect and accept of the tree, the clocks'
 *    offsets, the random bytes the tree got;
 *  - every recorded call, by number, to answer calls "as they were
 *    answered" (wm__similar).
 *
 * The model is read-only after wm__build: what a replay consumes is kept
 * by the replay (whatif.c).  Times are the bundle's clock (ns).  The bundle
 * is hostile input: counts are bounded by what the reader validated and
 * every lookup is bounds-checked.
 */
#ifndef FR_REPLAY_MODEL_H
#define FR_REPLAY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/bundle.h"
#include "formats/syscalls.h"
#include "replay/recording.h"
#include "replay/syscall_io.h"

#define WM_NONE UINT32_MAX
#define WM_STAT_LEN 144 /* struct stat on x86-64 */
#define WM_MAX_CLOCK 16

enum wm_kind {
	WM_UNKNOWN = 0,
	WM_FILE,   /* a regular file: bytes by offset */
	WM_DIR,	   /* a directory: the recorded getdents64 answers */
	WM_STREAM, /* pipe, stream socket, character device: bytes in time */
	WM_DGRAM,  /* datagram socket: messages in time */
	WM_LISTEN, /* listening socket: connections in time */
	WM_NULL,   /* /dev/null: empty to read, takes every write */
	WM_OTHER,  /* epoll, eventfd, timerfd, ...: not modelled */
};

/* Where the bytes a tree's reader gets come from. */
enum wm_source {
	WM_SRC_NONE = 0, /* nothing recorded */
	WM_SRC_PEER,	 /* writes of a process outside the replayed tree */
	WM_SRC_OWN,	 /* the tree's own recorded reads */
	WM_SRC_TREE,	 /* written by the tree itself: live in the replay */
};

/* A piece of data: bytes of a stream at offset `off`, or of a file. */
struct wm_chunk {
	uint64_t off;
	const uint8_t *data;
	uint32_t len;
	uint32_t pid; /* who wrote it (or, for own reads, who read it) */
	uint64_t ns;  /* recorded time it was there to be read */
	uint64_t dep; /* bytes of the other direction the writer had read
		       * before writing this (what it answered); for own reads,
		       * what the tree had sent before */
};

struct wm_accept {
	uint64_t ns; /* when the recorded accept returned */
	int64_t ret; /* its result */
	uint32_t pid, fd;
	uint32_t obj;	/* the accepted connection's object, WM_NONE if unknown */
	uint8_t sa[28]; /* the peer address the accept reported (sockaddr) */
	uint32_t sa_len;
};

struct wm_connect {
	uint64_t ns; /* when the recorded connect returned */
	int64_t ret;
	uint32_t pid, fd;
	uint8_t key[RP_SOCKADDR_KEY_MAX]; /* the address, see rp_sockaddr_key */
	uint32_t key_len;
	uint32_t obj; /* the connection's object (its reading side), WM_NONE */
};

struct wm_obj {
	uint8_t kind; /* enum wm_kind */
	uint8_t fd_type;
	uint16_t sock_type;
	uint64_t dev, ino;
	struct fr_sock_tuple tuple; /* sockets: as this end sees it (saddr local) */
	char *name;		    /* for people: a path, "TCP a -> b", "pipe:[ino]" */
	uint32_t reverse;	    /* the other direction (TCP, socket pairs) or WM_NONE */

	/* bytes written into this object (to be read at this end) */
	struct wm_chunk *peer; /* by processes outside the tree */
	uint32_t n_peer, cap_peer;
	uint64_t peer_len;
	uint32_t peer_pid; /* the (last) outside writer, 0 = none */
	bool peer_eof;	   /* it closed its end after peer_len bytes */
	uint64_t peer_eof_ns, peer_eof_dep;
	struct wm_chunk *tree; /* by the replayed tree (recorded) */
	uint32_t n_tree, cap_tree;
	uint64_t tree_len;
	/* what the tree read here (recorded) */
	struct wm_chunk *own;
	uint32_t n_own, cap_own;
	uint64_t own_len;
	bool own_eof; /* a recorded read of the tree returned 0 after own_len */
	uint64_t own_eof_ns, own_eof_dep;
	uint64_t connect_ns; /* the tree connected this (reading side) then; 0 */

	/* WM_FILE */
	struct wm_chunk *ranges; /* bytes read by anyone, by offset */
	uint32_t n_ranges, cap_ranges;
	bool size_known;
	uint64_t size;
	const uint8_t *stat; /* a recorded struct stat, or NULL */

	/* WM_DIR: the getdents64 answers of one recorded listing, in order
	 * (indexes into wm_model.calls) */
	uint32_t *dents;
	uint32_t n_dents, cap_dents;
	uint32_t dents_pid, dents_fd;
	bool dents_done;

	/* WM_LISTEN: connections accepted by the tree, in order */
	struct wm_accept *accepts;
	uint32_t n_accepts, cap_accepts;
};

/* A recorded open of a path. */
struct wm_open {
	const char *path; /* absolute */
	uint64_t flags;
	int64_t ret;
	uint64_t ns;
	uint32_t pid;
	bool tree;
	uint32_t obj; /* what it opened, WM_NONE when not known */
};

struct wm_clock_sample {
	uint64_t ns;	/* the call's exit */
	int64_t offset; /* the clock's value minus ns */
};

struct wm_model {
	const struct rp_recording *rec;
	struct wm_obj *objs;
	uint32_t n_objs, cap_objs;
	struct rp_call *calls; /* every syscall of the bundle, bundle order */
	uint32_t n_calls, cap_calls;
	uint8_t *in_tree; /* per call: made by the replayed tree */
	uint32_t **by_nr; /* call indexes per syscall number */
	uint32_t *n_by_nr, *cap_by_nr;
	struct wm_open *opens;
	uint32_t n_opens, cap_opens;
	struct wm_connect *connects; /* the tree's, in order */
	uint32_t n_connects, cap_connects;
	struct wm_clock_sample *clocks[WM_MAX_CLOCK]; /* the tree's clock reads */
	uint32_t n_clocks[WM_MAX_CLOCK], cap_clocks[WM_MAX_CLOCK];
	struct wm_chunk *random; /* the tree's getrandom answers, in order */
	uint32_t n_random, cap_random;
	uint64_t start_ns; /* the replayed process's exec */
	int64_t clock_to_utc_ns;
	/* private */
	void *arena;
	void *objmap, *pathmap;
	struct wm_pathent *paths;
	uint32_t n_paths, cap_in_tree;
};

/*
 * Build the model of bundle `r` for the replayed tree of `rec` (which must
 * outlive the model).  Returns 0 or -errno with a message in err.
 */
int wm__build(struct fr_reader *r, const struct rp_recording *rec, struct wm_model **out, char *err,
	      size_t errlen);
void wm__free(struct wm_model *m);

/* The object capture described with `fi`, or WM_NONE when it identifies
 * nothing the model knows.  This function cannot fail. */
uint32_t wm__obj_of(const struct wm_model *m, const struct fr_fdinfo *fi);
/* The object of the file most recently opened as `path` (absolute), or
 * WM_NONE. */
uint32_t wm__obj_of_path(const struct wm_model *m, const char *path);
/* The recorded opens of `path` (absolute), latest first in *out (up to
 * cap); returns how many there are. */
uint32_t wm__opens(const struct wm_model *m, const char *path, const struct wm_open **out,
		   uint32_t cap);

/* Where a tree reader of `o` gets its bytes from.  Cannot fail. */
enum wm_source wm__source(const struct wm_obj *o);

/*
 * The bytes of file `o` at offset `off`: sets *data and returns how many
 * consecutive bytes (at most `max`) the recording knows there; 0 at or past
 * the known end of the file (*eof true); -ENODATA when the recording does
 * not know the bytes at `off`.
 */
int64_t wm__file_bytes(const struct wm_obj *o, uint64_t off, uint64_t max, const uint8_t **data,
		       bool *eof);

/* Index of the last clock sample of clock `clk` at or before `ns` (or the
 * first after), and whether there is one. */
bool wm__clock_offset(const struct wm_model *m, unsigned clk, uint64_t ns, int64_t *offset);

/* A path made absolute against `cwd` (may be NULL); the caller frees. */
char *wm_path_join(const char *cwd, const char *path);

/* Recorded calls numbered `nr`, as indexes into m->calls. */
static inline const uint32_t *wm__calls_of(const struct wm_model *m, unsigned nr, uint32_t *n)
{
	if (nr >= FR_NR_SYSCALLS || !m->by_nr[nr]) {
		*n = 0;
		return NULL;
	}
	*n = m->n_by_nr[nr];
	return m->by_nr[nr];
}

/* Is syscall nr one whose bytes come from a descriptor (read, recvmsg...)
 * or go to one (write, sendmsg...)?  Which argument holds the data? */
bool wm_is_read(unsigned nr);
bool wm_is_write(unsigned nr);
/* The data argument of a read-like or write-like call (1 for all of them). */
#define WM_DATA_ARG 1

#endif /* FR_REPLAY_MODEL_H */
