// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of syscall recording on this machine: what any recorder that
 * attaches to the syscall tracepoints pays before it records anything of
 * its own.  Four levels, chosen at load time (`level` in .rodata), each
 * adding one thing the capture benchmark's target needs:
 *
 *   0  programs on sys_enter and sys_exit that return at once: the
 *      tracepoints themselves (the syscall slow path every task takes
 *      while they are enabled, and the dispatch to the programs);
 *   1  + the pairing: a per-task state (task storage) holding the time of
 *      entry, and the clock read again at exit, so each call's duration is
 *      known;
 *   2  + one fixed 40-byte record per call (time, duration, tid, number,
 *      return value) in a ring buffer the loader drains;
 *   3  + the payload: the first 64 bytes of write()'s buffer, read from
 *      user memory into the record.
 *
 * Level 3 is the least a recorder can do and still record every call with
 * its payload.  At levels 1 and up only the process `tgid` is recorded
 * (the others return after one comparison), as `flightrec record` does, or
 * every process but the loader when `tgid` is 0.  Records that did not
 * fit in the ring are counted, never dropped silently.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 level;
const volatile __u32 tgid; /* 0: every process but the loader */
const volatile __u32 self;

__u64 lost;

struct task_t {
	u64 enter_ns;
	u64 args[2];
	u32 nr;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_t);
} tstore SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20);
} rb SEC(".maps");

struct rec {
	u64 ts_ns;
	u64 dur_ns;
	s64 ret;
	u32 tid;
	u32 nr;
	u32 len;
	u32 pad;
	u8 data[64];
};

static __always_inline bool mine(void)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;

	return level >= 1 && (tgid ? pid == tgid : pid != self);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_enter, struct pt_regs *regs, long id)
{
	struct task_t *t;

	if (!mine())
		return 0;
	t = bpf_task_storage_get(&tstore, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		return 0;
	t->enter_ns = bpf_ktime_get_ns();
	t->nr = id;
	t->args[0] = regs->si;
	t->args[1] = regs->dx;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_exit, struct pt_regs *regs, long ret)
{
	struct task_t *t;
	struct rec *r;
	u64 now;

	if (!mine())
		return 0;
	t = bpf_task_storage_get(&tstore, bpf_get_current_task_btf(), 0, 0);
	if (!t || !t->enter_ns)
		return 0;
	now = bpf_ktime_get_ns();
	if (level < 2) {
		t->enter_ns = now - t->enter_ns; /* keep the duration live */
		return 0;
	}
	if (level >= 3)
		r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	else
		r = bpf_ringbuf_reserve(&rb, offsetof(struct rec, data), 0);
	if (!r) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	r->ts_ns = now;
	r->dur_ns = now - t->enter_ns;
	r->ret = ret;
	r->tid = (u32)bpf_get_current_pid_tgid();
	r->nr = t->nr;
	r->len = 0;
	if (level >= 3 && t->nr == 1 /* write */ && ret > 0) {
		r->len = t->args[1] < sizeof(r->data) ? t->args[1] : sizeof(r->data);
		if (bpf_probe_read_user(r->data, sizeof(r->data), (void *)t->args[0]))
			r->len = 0;
	}
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP); /* the loader polls */
	return 0;
}
