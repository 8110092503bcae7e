/* SPDX-License-Identifier: MIT */
/*
 * inject.h: fault and delay injection in strace's syntax.
 *
 *   SET[:error=ERRNO|:retval=V][:signal=SIG][:delay_enter=D][:delay_exit=D][:when=EXPR]
 *
 * SET is a syscall set as in strace -e trace=: comma-separated names,
 * classes (%file %desc %net/%network %process %signal %ipc %memory %clock
 * %stat %statfs %creds %pure ...), "all", /regex, with a leading '!'
 * negating the whole set.  ERRNO is a name (ECONNREFUSED) or 1..4095.
 * Delays take a unit (500ms, 2s, 100us, 10ns); a bare number is
 * microseconds, as in strace.  EXPR is first[..last][+[step]]: invocations
 * are counted per system call and per thread, from 1.
 */
#ifndef FR_REPLAY_INJECT_H
#define FR_REPLAY_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/syscalls.h"

struct rp_inject {
	uint8_t set[FR_NR_SYSCALLS / 8]; /* bit per syscall number */
	bool has_error;
	int error; /* errno value (positive) */
	bool has_retval;
	int64_t retval;
	int signal; /* 0: none */
	uint64_t delay_enter_ns;
	uint64_t delay_exit_ns;
	uint32_t first; /* when: invocation numbers, from 1 */
	uint32_t last;	/* 0: no upper bound */
	uint32_t step;	/* 0: only `first` */
	char spec[256]; /* the text, for reports */
};

/* Parse one --inject argument.  Returns 0, or -EINVAL with the reason in
 * `err`. */
int rp_inject_parse(const char *spec, struct rp_inject *out, char *err, size_t errlen);

/* Is syscall `nr` in the set?  This function cannot fail. */
bool rp_inject_covers(const struct rp_inject *in, unsigned nr);
/* Does the injection apply to invocation `n` (1-based) of a covered call? */
bool rp_inject_when(const struct rp_inject *in, uint32_t n);
/* Does it change what the call returns (error= or retval=)? */
static inline bool rp_inject_changes_result(const struct rp_inject *in)
{
	return in->has_error || in->has_retval;
}

#endif /* FR_REPLAY_INJECT_H */
