/* SPDX-License-Identifier: MIT */
/*
 * plan.h: the syscall table (formats/syscalls.h) turned into the in-kernel
 * payload capture plan (struct fr_sc_plan in bpf/fr_capture.h).
 *
 * The table says what each argument is ("a buffer of arg[2] bytes written by
 * the program", "a struct stat the kernel fills"); the plan says what the
 * eBPF program does about it: which argument to read, when (entry or exit),
 * how long, with which cap.  This is the only place that knows both.
 */
#ifndef FR_CAPTURE_PLAN_H
#define FR_CAPTURE_PLAN_H

#include <stddef.h>

#include "bpf/fr_capture.h"
#include "formats/syscalls.h"

/* Largest sockaddr captured (struct sockaddr_storage). */
#define FR_PLAN_SOCKADDR_MAX 128
/* Largest sigset or fd_set captured. */
#define FR_PLAN_SET_MAX 128
/* Paths: PATH_MAX. */
#define FR_PLAN_PATH_MAX 4096

/*
 * Fill `p` for the syscall described by `d` (NULL: a number the table does
 * not know, recorded without payload).  Returns 0, or -E2BIG when the row
 * needs more than FR_PLAN_MAX_ITEMS items (then `p` holds the first ones and
 * the call is recorded with partial payloads), or -EINVAL for a row the plan
 * cannot express (unknown argument kind; the argument is skipped).  `why`
 * (may be NULL) receives a message for the -E2BIG / -EINVAL cases.
 */
int fr_plan_build(const struct fr_syscall_desc *d, struct fr_sc_plan *p, char *why, size_t whylen);

/* Name of a plan op / length source, for messages and tests. */
const char *fr_plan_op_name(unsigned op);
const char *fr_plan_len_name(unsigned len);

#endif
