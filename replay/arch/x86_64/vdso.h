/* SPDX-License-Identifier: MIT */
/*
 * vdso.h: make time read through the vDSO visible to flightrec.
 *
 * clock_gettime, gettimeofday, time and getcpu normally run in user space
 * from the vDSO and never enter the kernel, so neither the eBPF recorder nor
 * ptrace sees them.  Both `flightrec record` (at each exec of a recorded
 * process) and `flightrec replay` (at each exec of the replayed one) rewrite
 * the entry points of the tracee's vDSO into real system calls.
 *
 * Shared by capture/ and replay/; needs ptrace, never libbpf.
 */
#ifndef FR_VDSO_H
#define FR_VDSO_H

#include <sys/types.h>

/*
 * Patch the vDSO of `pid`, which must be a ptrace-stopped tracee (e.g. at its
 * PTRACE_EVENT_EXEC stop).  Returns the number of entry points patched (0 when
 * the process has no vDSO), or -errno with a message in `err`.
 */
int fr_vdso_patch(pid_t pid, char *err, size_t errlen);

#endif
