/* SPDX-License-Identifier: MIT */
/*
 * compat.h: what this kernel and this process can do, probed once at start.
 *
 * Every kernel difference the recorder copes with is decided here (bcc's
 * compat.c habit): BTF, privileges, ring buffer, task local storage,
 * bpf_loop, tp_btf vs raw_tp, which tracepoints exist.  The engine asks; the manifest's "features"
 * object records the answers and what was used.
 *
 * For tests of the fallbacks, FLIGHTREC_HIDE_FEATURES (comma-separated:
 * btf, privileges, ringbuf, task_storage, bpf_loop, tp_btf, tp:NAME, and
 * ptrace for capture/tracer.c) makes the probes report those features as missing, so the real
 * fallback code runs (or the real error is given) on a kernel that has them.
 */
#ifndef FR_CAPTURE_COMPAT_H
#define FR_CAPTURE_COMPAT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct btf;

struct fr_compat {
	bool btf;	     /* /sys/kernel/btf/vmlinux: CO-RE can relocate */
	bool cap_bpf;	     /* effective CAP_BPF (Linux 5.8+) */
	bool cap_perfmon;    /* effective CAP_PERFMON */
	bool cap_sys_admin;  /* effective CAP_SYS_ADMIN (covers both before 5.8) */
	bool ringbuf;	     /* BPF_MAP_TYPE_RINGBUF (5.8) */
	bool task_storage;   /* BPF_MAP_TYPE_TASK_STORAGE (5.11) */
	bool bpf_loop;	     /* bpf_loop helper (5.17) */
	bool tp_btf;	     /* BTF-typed raw tracepoints (5.5); else raw_tp */
	char hidden[256];    /* FLIGHTREC_HIDE_FEATURES, for the manifest */
	struct btf *vmlinux; /* kernel BTF, NULL without */
};

/*
 * Probe everything.  Returns 0 when the recorder can run, else -errno with a
 * message naming what is missing and what to do in `err` (the caller
 * prefixes "flightrec: <command>: ").  `c` is filled either way; free it
 * with fr_compat__free.
 */
int fr_compat__probe(struct fr_compat *c, char *err, size_t errlen);
void fr_compat__free(struct fr_compat *c);

/* Does tracepoint `name` (e.g. "sched_switch") exist in this kernel? */
bool fr_compat__has_tracepoint(const struct fr_compat *c, const char *name);

/* Was this feature hidden by FLIGHTREC_HIDE_FEATURES? ("tp:sched_switch" too) */
bool fr_compat__hidden(const struct fr_compat *c, const char *feature);
/* The same, straight from the environment (for modules without a probe). */
bool fr_compat_env_hidden(const char *feature);

/* The probe results as the manifest's "features" members (added to `obj`). */
void fr_compat__to_json(const struct fr_compat *c, json_t *obj);

#endif
