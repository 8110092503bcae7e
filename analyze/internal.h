/* SPDX-License-Identifier: MIT */
/*
 * internal.h: helpers shared by the analyze/ sources and not part of the API:
 * growable arrays, a hash map with 128-bit keys, the syscall numbers the
 * analysis gives a meaning to (looked up by name in the shared table), and
 * the build-time state of a model.
 */
#ifndef FA_INTERNAL_H
#define FA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "analyze/analyze.h"

/* ---- growable arrays ----------------------------------------------------------- */

/*
 * Make room for `need` elements of `elem` bytes in *p (capacity *cap,
 * doubling).  Returns 0 or -ENOMEM (*p unchanged).  Capacities stay below
 * UINT32_MAX elements.
 */
int fa_grow(void **p, uint32_t *cap, uint64_t need, size_t elem);

#define FA_PUSH(arr, n, cap)                                                                       \
	(((n) < (cap) || !fa_grow((void **)&(arr), &(cap), (uint64_t)(n) + 1, sizeof(*(arr))))     \
	     ? &(arr)[(n)++]                                                                       \
	     : NULL)

/* ---- hash map: (a, b) -> uint32_t ------------------------------------------- */

struct fa_map_key {
	uint64_t a, b;
};

struct fa_map {
	struct fa_map_key *keys;
	uint32_t *vals; /* FA_NONE: empty slot */
	uint32_t cap;	/* power of two, 0 before the first put */
	uint32_t n;
};

/* The value for (a, b), or FA_NONE. */
uint32_t fa_map_get(const struct fa_map *m, uint64_t a, uint64_t b);
/* Set (a, b) -> v (v != FA_NONE).  Returns 0 or -ENOMEM. */
int fa_map_put(struct fa_map *m, uint64_t a, uint64_t b, uint32_t v);
void fa_map_free(struct fa_map *m);

/* Mix bytes into a 64-bit key (for keys that do not fit in 128 bits). */
uint64_t fa_hash_bytes(const void *p, size_t n, uint64_t seed);

/* ---- system calls with a meaning for the analysis ------------------------- */

/* Numbers, resolved by name through the shared table (formats/syscalls.h);
 * FA_NONE when the table does not know the name. */
struct fa_sysnr {
	uint32_t futex, nanosleep, clock_nanosleep, wait4, waitid;
	uint32_t open, openat, openat2, creat, close, close_range;
	uint32_t dup, dup2, dup3, fcntl;
	uint32_t pipe, pipe2, socket, socketpair, accept, accept4, connect;
	uint32_t mmap, munmap, brk, execve, execveat, exit, exit_group;
	uint32_t kill, tkill, tgkill, epoll_wait, epoll_pwait, epoll_pwait2;
	uint32_t select, pselect6, poll, ppoll, pause, rt_sigsuspend, rt_sigtimedwait;
	uint32_t sched_yield, read, write;
};

const struct fa_sysnr *fa_sysnr(void);
/* The wait kind of a syscall (FR_WAIT_NONE when unknown). */
unsigned fa_wait_kind(uint32_t nr);
/* "read", or "syscall_N" in buf. */
const char *fa_syscall_name(uint32_t nr, char *buf, size_t len);

/* ---- model internals ---------------------------------------------------------- */

/* Add a resource (deduplicated by its identity) and return its index, or
 * FA_NONE on allocation failure.  `name` is copied (may be NULL). */
uint32_t fa_model__add_resource(struct fa_model *m, const struct fa_resource *r, const char *name);
/* The category a blocked wait on `wait` / resource falls in when no thread
 * explains it (docs/analysis.md). */
unsigned fa_category_of_wait(const struct fa_model *m, uint32_t wait);
/* Describe a wait: "read() on pipe:[1234]". */
void fa_describe_wait(const struct fa_model *m, uint32_t wait, char *buf, size_t len);
/* Describe a resource, "" when FA_NONE. */
const char *fa_res_name(const struct fa_model *m, uint32_t res);
/* The edge kind a wait on `wait` gives the task that ended it, by the kind
 * of resource waited on (FA_VIA_PIPE, ...): FA_VIA_WAKEUP when the
 * resource says nothing (or `wait` is FA_NONE). */
unsigned fa_via_of_wait(const struct fa_model *m, uint32_t wait);

/* The stream a wait read from (FA_NONE when it did not read a pipe/socket). */
uint32_t fa_model__stream_of_res(const struct fa_model *m, uint32_t res, int dir);
/*
 * The write that ended a reader's blocked interval [block_start, wake] on
 * `stream`: a write that completed after the reader blocked and had started
 * by the wake (the earliest such), or NULL.
 */
const struct fa_flow *fa_stream__writer(const struct fa_model *m, uint32_t stream,
					uint64_t block_start, uint64_t wake);

/*
 * The answer that came too late for a reader's wait [block_start, wake] on
 * `stream` (the read direction of TCP or unix socket `res`): when the
 * reader had sent a request on `res` before the wake and nothing arrived
 * on `stream` since, the first write on `stream` that completed after the
 * wake.  Its writer was still working on the answer while the reader
 * waited.  NULL otherwise.
 */
const struct fa_flow *fa_stream__late_writer(const struct fa_model *m, uint32_t stream,
					     uint32_t res, uint32_t reader, uint64_t block_start,
					     uint64_t wake);

/* The thread to blame for memory pressure felt by `thread` at `ts`: the
 * process of the same memory cgroup holding the most memory then
 * (fa_process__mem_at; its main thread), or `thread` itself when its own
 * process does. */
uint32_t fa_memcg_culprit(const struct fa_model *m, uint32_t thread, uint64_t ts);
/* The thread that issued most bytes of the block requests completing in
 * [s, e] (`thread` when none); *n_bios and *bytes (may be NULL) get counts. */
uint32_t fa_disk_culprit(const struct fa_model *m, uint32_t thread, uint64_t s, uint64_t e,
			 uint32_t *n_bios, uint64_t *bytes);
/* TCP retransmissions on the connection of resource `res` in [s, e]. */
uint32_t fa_tcp_retransmits(const struct fa_model *m, uint32_t res, uint64_t s, uint64_t e);

/* The category of interval i of a thread taken by itself (the thread's own
 * view: what it was doing or waiting on), for an incident's breakdown. */
unsigned fa_interval_category(const struct fa_model *m, uint32_t thread, uint32_t i);

/* Processes by pid (latest). */
uint32_t fa_model__proc_index(const struct fa_model *m, uint32_t pid);

/* ---- text shared by the reports ------------------------------------------------ */

/* `ts` relative to fa_model__t0 (0 before it) as "+S.UUUUUU" followed by
 * `unit` ("s" in the text report, " s" in the HTML one), into buf. */
void fa_fmt_rel(char *buf, size_t len, const struct fa_model *m, uint64_t ts, const char *unit);

#endif /* FA_INTERNAL_H */
