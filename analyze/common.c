// SPDX-License-Identifier: MIT
/* common.c: arrays, the hash map, names and the syscall numbers of analyze/. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "formats/syscalls.h"
#include "formats/util.h"

int fa_grow(void **p, uint32_t *cap, uint64_t need, size_t elem)
{
	uint64_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (ncap >= UINT32_MAX)
		ncap = UINT32_MAX - 1;
	if (need > ncap || ncap > SIZE_MAX / elem)
		return -ENOMEM;
	np = realloc(*p, (size_t)ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = (uint32_t)ncap;
	return 0;
}

/* ---- map ------------------------------------------------------------------------ */

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline uint32_t slot_of(uint64_t a, uint64_t b, uint32_t mask)
{
	return (uint32_t)(mix64(a ^ mix64(b + 0x9e3779b97f4a7c15ULL)) & mask);
}

uint32_t fa_map_get(const struct fa_map *m, uint64_t a, uint64_t b)
{
	uint32_t mask, h;

	if (!m->cap)
		return FA_NONE;
	mask = m->cap - 1;
	for (h = slot_of(a, b, mask);; h = (h + 1) & mask) {
		if (m->vals[h] == FA_NONE)
			return FA_NONE;
		if (m->keys[h].a == a && m->keys[h].b == b)
			return m->vals[h];
	}
}

static int rehash(struct fa_map *m, uint32_t ncap)
{
	struct fa_map nm = {0};
	uint32_t i, mask = ncap - 1;

	nm.keys = malloc((size_t)ncap * sizeof(*nm.keys));
	nm.vals = malloc((size_t)ncap * sizeof(*nm.vals));
	if (!nm.keys || !nm.vals) {
		free(nm.keys);
		free(nm.vals);
		return -ENOMEM;
	}
	memset(nm.vals, 0xff, (size_t)ncap * sizeof(*nm.vals));
	for (i = 0; i < m->cap; i++) {
		uint32_t h;

		if (m->vals[i] == FA_NONE)
			continue;
		for (h = slot_of(m->keys[i].a, m->keys[i].b, mask); nm.vals[h] != FA_NONE;
		     h = (h + 1) & mask)
			;
		nm.keys[h] = m->keys[i];
		nm.vals[h] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = nm.keys;
	m->vals = nm.vals;
	m->cap = ncap;
	return 0;
}

int fa_map_put(struct fa_map *m, uint64_t a, uint64_t b, uint32_t v)
{
	uint32_t mask, h;

	if (v == FA_NONE)
		return -EINVAL;
	if ((uint64_t)(m->n + 1) * 4 > (uint64_t)m->cap * 3) {
		if (m->cap >= (1u << 30))
			return -ENOMEM;
		if (rehash(m, m->cap ? m->cap * 2 : 64))
			return -ENOMEM;
	}
	mask = m->cap - 1;
	for (h = slot_of(a, b, mask);; h = (h + 1) & mask) {
		if (m->vals[h] == FA_NONE) {
			m->keys[h].a = a;
			m->keys[h].b = b;
			m->vals[h] = v;
			m->n++;
			return 0;
		}
		if (m->keys[h].a == a && m->keys[h].b == b) {
			m->vals[h] = v;
			return 0;
		}
	}
}

void fa_map_free(struct fa_map *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

uint64_t fa_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const uint8_t *s = p;
	uint64_t h = seed ^ 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h);
}

/* ---- names ---------------------------------------------------------------------- */

const char *fa_state_name(unsigned state)
{
	static const char *const names[FA_ST_COUNT] = {
	    [FA_ST_UNKNOWN] = "unknown", [FA_ST_RUNNING] = "running", [FA_ST_RUNNABLE] = "runnable",
	    [FA_ST_BLOCKED] = "blocked", [FA_ST_DEAD] = "dead",
	};

	return state < FA_ST_COUNT ? names[state] : "?";
}

const char *fa_category_name(unsigned c)
{
	static const char *const names[FA_CAT_COUNT] = {
	    [FA_CAT_RUNNING] = "running",
	    [FA_CAT_CPU] = "cpu-contention",
	    [FA_CAT_DISK] = "disk-io",
	    [FA_CAT_NETWORK] = "network",
	    [FA_CAT_IPC] = "ipc",
	    [FA_CAT_LOCK] = "lock",
	    [FA_CAT_RECLAIM] = "memory-reclaim",
	    [FA_CAT_FAULT] = "page-fault",
	    [FA_CAT_SLEEP] = "sleep",
	    [FA_CAT_UNKNOWN] = "unknown",
	};

	return c < FA_CAT_COUNT ? names[c] : "?";
}

const char *fa_incident_kind_name(unsigned kind)
{
	static const char *const names[FA_INC_KIND_COUNT] = {
	    [FA_INC_SLOW_SYSCALL] = "slow-syscall",
	    [FA_INC_SLOW_REQUEST] = "slow-request",
	    [FA_INC_ERROR] = "error",
	    [FA_INC_FATAL_SIGNAL] = "fatal-signal",
	    [FA_INC_OOM_KILL] = "oom-kill",
	    [FA_INC_EXIT] = "exit",
	    [FA_INC_CPU_WAIT] = "cpu-wait",
	    [FA_INC_MEMORY_STALL] = "memory-stall",
	    [FA_INC_FOCUS] = "focus",
	    [FA_INC_TIMEOUT] = "timeout",
	};

	return kind < FA_INC_KIND_COUNT ? names[kind] : "?";
}

const char *fa_via_name(unsigned via)
{
	static const char *const names[FA_VIA_COUNT] = {
	    [FA_VIA_SELF] = "self",	   [FA_VIA_WAKEUP] = "wakeup", [FA_VIA_PIPE] = "pipe",
	    [FA_VIA_UNIX] = "unix",	   [FA_VIA_TCP] = "tcp",       [FA_VIA_FUTEX] = "futex",
	    [FA_VIA_CHILD] = "child-exit", [FA_VIA_SIGNAL] = "signal", [FA_VIA_FORK] = "fork",
	};

	return via < FA_VIA_COUNT ? names[via] : "?";
}

void fa_fmt_rel(char *buf, size_t len, const struct fa_model *m, uint64_t ts, const char *unit)
{
	uint64_t t0 = fa_model__t0(m), r = ts >= t0 ? ts - t0 : 0;

	snprintf(buf, len, "+%" PRIu64 ".%06" PRIu64 "%s", r / UINT64_C(1000000000),
		 (r % UINT64_C(1000000000)) / 1000, unit);
}

/* ---- syscall numbers --------------------------------------------------------- */

static uint32_t nr_of(const char *name)
{
	const struct fr_syscall_desc *d = fr_syscall_by_name(name);

	return d ? d->nr : FA_NONE;
}

const struct fa_sysnr *fa_sysnr(void)
{
	static struct fa_sysnr s;
	static int ready;

	if (ready)
		return &s;
#define N(x) s.x = nr_of(#x)
	N(futex);
	N(nanosleep);
	N(clock_nanosleep);
	N(wait4);
	N(waitid);
	N(open);
	N(openat);
	N(openat2);
	N(creat);
	N(close);
	N(close_range);
	N(dup);
	N(dup2);
	N(dup3);
	N(fcntl);
	N(pipe);
	N(pipe2);
	N(socket);
	N(socketpair);
	N(accept);
	N(accept4);
	N(connect);
	N(mmap);
	N(munmap);
	N(brk);
	N(execve);
	N(execveat);
	N(exit);
	N(exit_group);
	N(kill);
	N(tkill);
	N(tgkill);
	N(epoll_wait);
	N(epoll_pwait);
	N(epoll_pwait2);
	N(select);
	N(pselect6);
	N(poll);
	N(ppoll);
	N(pause);
	N(rt_sigsuspend);
	N(rt_sigtimedwait);
	N(sched_yield);
	N(read);
	N(write);
#undef N
	ready = 1;
	return &s;
}

unsigned fa_wait_kind(uint32_t nr)
{
	const struct fr_syscall_desc *d = fr_syscall(nr);

	return d ? d->wait : FR_WAIT_NONE;
}

const char *fa_syscall_name(uint32_t nr, char *buf, size_t len)
{
	const char *n;

	if (nr == FA_NR_CLIENT_REQ)
		return "request";
	if (nr == FA_NR_SERVER_REQ)
		return "request handling";
	n = fr_syscall_name(nr);
	if (n)
		return n;
	snprintf(buf, len, "syscall_%u", nr);
	return buf;
}
