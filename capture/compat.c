// SPDX-License-Identifier: MIT
/* compat.c: kernel feature and privilege probes (see compat.h). */
#include "capture/compat.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "formats/util.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

bool fr_compat__hidden(const struct fr_compat *c, const char *feature)
{
	const char *p = c->hidden;
	size_t n = strlen(feature);

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, feature, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

bool fr_compat_env_hidden(const char *feature)
{
	struct fr_compat c;
	const char *hide = getenv("FLIGHTREC_HIDE_FEATURES");

	if (!hide)
		return false;
	snprintf(c.hidden, sizeof(c.hidden), "%s", hide);
	return fr_compat__hidden(&c, feature);
}

/* Effective capabilities, read with capget (libcap is not worth a dependency
 * for three bits). */
static void probe_caps(struct fr_compat *c)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return;
#define HAS(cap) ((d[(cap) >> 5].effective >> ((cap)&31)) & 1)
	c->cap_sys_admin = HAS(CAP_SYS_ADMIN);
	c->cap_perfmon = HAS(CAP_PERFMON);
	c->cap_bpf = HAS(CAP_BPF);
#undef HAS
}

int fr_compat__probe(struct fr_compat *c, char *err, size_t errlen)
{
	const char *hide = getenv("FLIGHTREC_HIDE_FEATURES");

	memset(c, 0, sizeof(*c));
	if (hide)
		snprintf(c->hidden, sizeof(c->hidden), "%s", hide);

	probe_caps(c);
	if (fr_compat__hidden(c, "privileges"))
		c->cap_bpf = c->cap_perfmon = c->cap_sys_admin = false;
	if (!c->cap_sys_admin && !(c->cap_bpf && c->cap_perfmon)) {
		snprintf(
		    err, errlen,
		    "loading the eBPF recorder needs privileges this process does not have: "
		    "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); run it as root, e.g. with sudo");
		return -EPERM;
	}

	if (!fr_compat__hidden(c, "btf") && access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		c->vmlinux = btf__load_vmlinux_btf();
		if (!c->vmlinux)
			c->vmlinux = NULL;
		c->btf = c->vmlinux != NULL;
	}
	if (!c->btf) {
		snprintf(err, errlen,
			 "this kernel has no BTF type information (/sys/kernel/btf/vmlinux is "
			 "missing or unreadable): the eBPF recorder cannot adapt to it; use a "
			 "kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOTSUP;
	}

	c->ringbuf = !fr_compat__hidden(c, "ringbuf") &&
		     libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0;
	if (!c->ringbuf) {
		snprintf(err, errlen,
			 "this kernel has no BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8+): "
			 "the recorder needs it");
		return -ENOTSUP;
	}
	c->bpf_loop =
	    !fr_compat__hidden(c, "bpf_loop") &&
	    libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_loop, NULL) > 0;
	if (!c->bpf_loop) {
		snprintf(err, errlen,
			 "this kernel has no bpf_loop helper (Linux 5.17+): the recorder needs it "
			 "to capture buffers and iovecs");
		return -ENOTSUP;
	}
	if (btf__find_by_name_kind(c->vmlinux, "bpf_rdonly_cast", BTF_KIND_FUNC) <= 0) {
		snprintf(err, errlen,
			 "this kernel has no bpf_rdonly_cast kfunc (Linux 6.2+): the recorder "
			 "needs it to read kernel structures cheaply");
		return -ENOTSUP;
	}
	c->task_storage = !fr_compat__hidden(c, "task_storage") &&
			  libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) > 0;
	/* tp_btf has no probe of its own in libbpf: it exists wherever the kernel
	 * BTF has btf_trace_* types (5.5+).  A refused tp_btf program falls back
	 * to raw_tp at load (capture/engine.c). */
	c->tp_btf = !fr_compat__hidden(c, "tp_btf") &&
		    btf__find_by_name_kind(c->vmlinux, "btf_trace_sys_enter", BTF_KIND_TYPEDEF) > 0;
	return 0;
}

bool fr_compat__has_tracepoint(const struct fr_compat *c, const char *name)
{
	char buf[160], hid[160];

	snprintf(hid, sizeof(hid), "tp:%s", name);
	if (fr_compat__hidden(c, hid) || !c->vmlinux)
		return false;
	snprintf(buf, sizeof(buf), "btf_trace_%s", name);
	return btf__find_by_name_kind(c->vmlinux, buf, BTF_KIND_TYPEDEF) > 0;
}

void fr_compat__free(struct fr_compat *c)
{
	if (!c)
		return;
	btf__free(c->vmlinux);
	c->vmlinux = NULL;
}

static void feat(json_t *obj, const char *name, bool used, const char *detail)
{
	json_t *o = json_pack("{s:b}", "used", used);

	if (detail)
		json_object_set_new(o, "detail", json_string(detail));
	json_object_set_new(obj, name, o);
}

void fr_compat__to_json(const struct fr_compat *c, json_t *obj)
{
	feat(obj, "btf", c->btf, "/sys/kernel/btf/vmlinux (CO-RE relocations)");
	feat(obj, "ringbuf", c->ringbuf, "BPF_MAP_TYPE_RINGBUF");
	feat(obj, "bpf_loop", c->bpf_loop, NULL);
	feat(obj, "task_storage", c->task_storage,
	     c->task_storage ? "per-task state in task local storage"
			     : "missing: per-task state in a hash map by tid");
	feat(obj, "wakeup_context", true,
	     "irq, system vector, softirq and timer entry/exit tracepoints (no NMI)");
	feat(obj, "kprobes", false, "not used: tracepoints only");
	feat(obj, "fentry", false, "not used: tracepoints only");
	if (c->hidden[0])
		json_object_set_new(obj, "hidden_for_test", json_string(c->hidden));
}
