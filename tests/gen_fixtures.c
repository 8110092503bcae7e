// SPDX-License-Identifier: MIT
/*
 * gen_fixtures: write small synthetic bundles into a directory, byte for byte
 * the same on every run (pinned host facts, times and member mtimes), for
 * tests of the reader, `inspect`, `events`, and as fuzzing seeds.
 *
 *   basic.frb   one event of every type, two processes, payloads of each kind
 *   echo.frb    the shape of `/bin/echo hello`: exec, a write of "hello\n"
 *               to fd 1, exit 0
 *   tcp.frb     an HTTP-like exchange over loopback TCP, both ends recorded,
 *               the response in two writes
 *
 * usage: gen_fixtures DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bundle.h"
#include "formats/util.h"

#define T0 1000000000000ULL /* 1000 s after boot */

static void pin_manifest(struct fr_writer *w, const char *kind, const char *reason)
{
	struct fr_manifest *m = fr_writer__manifest(w);

	snprintf(m->hostname, sizeof(m->hostname), "fixture-host");
	snprintf(m->kernel_release, sizeof(m->kernel_release), "6.18.0-fixture");
	snprintf(m->machine, sizeof(m->machine), "x86_64");
	snprintf(m->boot_id, sizeof(m->boot_id), "00000000-0000-4000-8000-000000000001");
	snprintf(m->tool_version, sizeof(m->tool_version), "fixture");
	m->clock_to_utc_ns = 1795000000000000000LL - (int64_t)T0; /* 2026-11-18 */
	m->clock_offset_error_ns = 50;
	snprintf(m->trigger_kind, sizeof(m->trigger_kind), "%s", kind);
	snprintf(m->trigger_reason, sizeof(m->trigger_reason), "%s", reason);
	m->capture = json_pack("{s:s,s:i}", "mode", "record", "snaplen", 0);
	m->features = json_pack("{s:{s:b},s:{s:b,s:s}}", "tp_btf", "used", 1, "kprobes", "used", 0,
				"detail", "fixture");
}

static void ev_init(struct fr_event *ev, uint64_t ts, uint32_t pid, uint32_t tid,
		    unsigned type, unsigned cpu)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts_ns = ts;
	ev->pid = pid;
	ev->tid = tid;
	ev->type = (uint16_t)type;
	ev->cpu = (uint16_t)cpu;
}

static void add_payload(struct fr_event *ev, unsigned kind, unsigned arg, const void *data,
			uint32_t len, uint32_t full)
{
	struct fr_payload *p = &ev->payloads[ev->n_payloads++];

	p->kind = (uint8_t)kind;
	p->arg = (uint8_t)arg;
	p->len = len;
	p->full_len = full;
	p->data = data;
	if (len < full)
		p->flags |= FR_PLF_TRUNCATED;
}

static void syscall_ev(struct fr_event *ev, uint64_t enter, uint64_t exit, uint32_t pid,
		       uint32_t tid, unsigned nr, int64_t ret, uint64_t a0, uint64_t a1, uint64_t a2)
{
	ev_init(ev, exit, pid, tid, FR_EV_SYSCALL, 1);
	ev->u.sc.enter_ns = enter;
	ev->u.sc.nr = nr;
	ev->u.sc.ret = ret;
	ev->u.sc.args[0] = a0;
	ev->u.sc.args[1] = a1;
	ev->u.sc.args[2] = a2;
}

static int add(struct fr_writer *w, const struct fr_event *ev)
{
	int err = fr_writer__add_event(w, ev);

	if (err)
		fprintf(stderr, "gen_fixtures: %s\n", fr_writer__strerror(w));
	return err;
}

static struct fr_process proc(uint32_t pid, uint32_t ppid, const char *comm, char **argv,
			      uint32_t argc)
{
	struct fr_process p;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ppid = ppid;
	snprintf(p.comm, sizeof(p.comm), "%s", comm);
	p.argv = argv;
	p.argc = argc;
	p.uid = p.gid = p.euid = p.egid = 1000;
	return p;
}

static int finish(struct fr_writer *w, const char *path)
{
	int err = fr_writer__finish(w);

	if (err)
		fprintf(stderr, "gen_fixtures: %s: %s\n", path, fr_writer__strerror(w));
	fr_writer__free(w);
	return err;
}

static int gen_basic(const char *dir)
{
	static const char hello[] = "hello\n";
	static const char path_etc[] = "/etc/hostname";
	static const char argv_blob[] = "/bin/sh\0-c\0echo hello | cat";
	static const char reason[] = "fixture trigger";
	static char *argv_sh[] = { "/bin/sh", "-c", "echo hello | cat" };
	static char *argv_cat[] = { "cat" };
	static char *env[] = { "PATH=/usr/bin:/bin", "LANG=C" };
	struct fr_writer_opts o = { .chunk_bytes = 512, .mtime = 1795000000 };
	struct fr_thread_info th[2] = { { 100, "sh" }, { 101, "sh" } };
	struct fr_map maps[1] = { { 0x400000, 0x401000, 0, 1234, "r-xp", "fd:01", "/bin/sh",
				     "aabbccdd" } };
	struct fr_fd fds[2] = { { .fd = 0, .type = FR_FD_CHR, .path = "/dev/null" },
				{ .fd = 3, .type = FR_FD_SOCKET, .sock_type = 1 } };
	struct fr_rlimit rl[1] = { { 7, 1024, 4096 } };
	struct fr_namespace ns[1] = { { "pid", 4026531836ULL } };
	struct fr_writer *w;
	struct fr_process p;
	struct fr_event ev;
	char path[4096], err[512];
	uint64_t t = T0;
	struct fr_fdinfo fi = { .ino = 777, .fd = 1, .type = FR_FD_PIPE };

	snprintf(path, sizeof(path), "%s/basic.frb", dir);
	if (fr_writer__open(path, &o, &w, err, sizeof(err))) {
		fprintf(stderr, "gen_fixtures: %s: %s\n", path, err);
		return 1;
	}
	pin_manifest(w, "record", "sh -c 'echo hello | cat'");
	fds[1].tuple.family = 2;
	fds[1].tuple.protocol = 6;
	memcpy(fds[1].tuple.saddr, "\x7f\0\0\x01", 4);
	memcpy(fds[1].tuple.daddr, "\x7f\0\0\x01", 4);
	fds[1].tuple.sport = 40000;
	fds[1].tuple.dport = 8080;

	ev_init(&ev, t += 1000, 100, 100, FR_EV_PROC_EXEC, 0);
	snprintf(ev.u.exec.comm, sizeof(ev.u.exec.comm), "sh");
	ev.u.exec.old_tid = 100;
	add_payload(&ev, FR_PL_EXEC_FILENAME, 0xff, argv_blob, 7, 7);
	add_payload(&ev, FR_PL_EXEC_ARGV, 0xff, argv_blob, sizeof(argv_blob), sizeof(argv_blob));
	if (add(w, &ev))
		goto fail;
	syscall_ev(&ev, t + 100, t + 5000, 100, 100, 257 /* openat */, 3, (uint64_t)-100,
		   0x7ffd0000, 0x80000);
	t += 5000;
	add_payload(&ev, FR_PL_IN, 1, path_etc, sizeof(path_etc) - 1, sizeof(path_etc) - 1);
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 1000, 100, 100, FR_EV_PROC_FORK, 0);
	ev.u.fork.child_pid = 102;
	ev.u.fork.child_tid = 102;
	ev.u.fork.clone_flags = 0x1200011;
	snprintf(ev.u.fork.child_comm, sizeof(ev.u.fork.child_comm), "sh");
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 500, 100, 101, FR_EV_PROC_COMM, 1);
	snprintf(ev.u.comm.old_comm, FR_COMM_LEN, "sh");
	snprintf(ev.u.comm.new_comm, FR_COMM_LEN, "sh-worker");
	if (add(w, &ev))
		goto fail;
	syscall_ev(&ev, t + 10, t + 2000, 100, 100, 1 /* write */, 6, 1, 0x7ffd1000, 6);
	t += 2000;
	add_payload(&ev, FR_PL_IN, 1, hello, 6, 6);
	add_payload(&ev, FR_PL_FDINFO, 0, &fi, sizeof(fi), sizeof(fi));
	if (add(w, &ev))
		goto fail;
	syscall_ev(&ev, t + 10, t + 4000, 102, 102, 0 /* read */, 6, 0, 0x7ffd2000, 65536);
	t += 4000;
	add_payload(&ev, FR_PL_OUT, 1, hello, 6, 6);
	if (add(w, &ev))
		goto fail;
	syscall_ev(&ev, t + 10, t + 900, 102, 102, 0 /* read */, -11, 5, 0x7ffd2000, 100000);
	t += 900;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 100, 100, FR_EV_SCHED_SWITCH, 1);
	ev.u.sw.next_pid = 102;
	ev.u.sw.next_tid = 102;
	ev.u.sw.prev_state = 1;
	ev.u.sw.prev_prio = 120;
	ev.u.sw.next_prio = 120;
	snprintf(ev.u.sw.prev_comm, FR_COMM_LEN, "sh");
	snprintf(ev.u.sw.next_comm, FR_COMM_LEN, "cat");
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 102, 102, FR_EV_SCHED_WAKEUP, 1);
	ev.u.wake.target_pid = 100;
	ev.u.wake.target_tid = 100;
	ev.u.wake.target_cpu = 0;
	ev.u.wake.flags = FR_WAKE_WAKING;
	ev.u.wake.ctx = FR_CTX_TASK;
	snprintf(ev.u.wake.target_comm, FR_COMM_LEN, "sh");
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 102, 102, FR_EV_SCHED_MIGRATE, 1);
	ev.u.mig.target_pid = 100;
	ev.u.mig.target_tid = 100;
	ev.u.mig.orig_cpu = 0;
	ev.u.mig.dest_cpu = 1;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 30000, 102, 102, FR_EV_PAGE_FAULT, 1);
	ev.u.pf.start_ns = t - 25000;
	ev.u.pf.address = 0x7f0000001000;
	ev.u.pf.ip = 0x401234;
	ev.u.pf.error_code = 4;
	ev.u.pf.flags = FR_PF_MAJOR | FR_PF_USER;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100000, 102, 102, FR_EV_RECLAIM, 1);
	ev.u.reclaim.start_ns = t - 80000;
	ev.u.reclaim.nr_reclaimed = 32;
	ev.u.reclaim.gfp_flags = 0xcc0;
	ev.u.reclaim.memcg_id = 4242;
	ev.u.reclaim.kind = FR_RECLAIM_MEMCG;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 102, 102, FR_EV_OOM_KILL, 1);
	ev.u.oom.victim_pid = 103;
	ev.u.oom.total_vm_kb = 1 << 20;
	ev.u.oom.anon_rss_kb = 900000;
	ev.u.oom.uid = 1000;
	snprintf(ev.u.oom.victim_comm, FR_COMM_LEN, "batch");
	if (add(w, &ev))
		goto fail;
	for (unsigned ty = FR_EV_TCP_STATE; ty <= FR_EV_TCP_RESET; ty++) {
		ev_init(&ev, t += 100, 100, 100, ty, 0);
		ev.u.tcp.tuple = fds[1].tuple;
		ev.u.tcp.sock_id = 0xffff888812345678ULL;
		ev.u.tcp.oldstate = ty == FR_EV_TCP_STATE ? 2 : 1;
		ev.u.tcp.newstate = 1;
		if (add(w, &ev))
			goto fail;
	}
	ev_init(&ev, t += 100, 100, 100, FR_EV_BLOCK_ISSUE, 0);
	ev.u.blk.sector = 123456;
	ev.u.blk.dev = (8 << 20) | 0;
	ev.u.blk.nr_bytes = 4096;
	snprintf(ev.u.blk.rwbs, sizeof(ev.u.blk.rwbs), "WS");
	if (add(w, &ev))
		goto fail;
	ev.type = FR_EV_BLOCK_COMPLETE;
	ev.u.blk.issue_ns = t;
	ev.ts_ns = t += 250000;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 100, 100, FR_EV_SIGNAL_GENERATE, 0);
	ev.u.sig_gen.target_pid = 102;
	ev.u.sig_gen.target_tid = 102;
	ev.u.sig_gen.sig = 13;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 102, 102, FR_EV_SIGNAL_DELIVER, 1);
	ev.u.sig_del.sig = 13;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 0, 0, FR_EV_LOST, 1);
	ev.u.lost.count = 3;
	ev.u.lost.cause = FR_LOSS_RING_FULL;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 0, 0, FR_EV_MARK, 0);
	ev.u.mark.kind = FR_MARK_TRIGGER;
	add_payload(&ev, FR_PL_TEXT, 0xff, reason, sizeof(reason) - 1, sizeof(reason) - 1);
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 102, 102, FR_EV_PROC_EXIT, 1);
	ev.u.exit.status = 13;
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 100, 100, 100, FR_EV_PROC_EXIT, 0);
	ev.u.exit.status = 0;
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	if (add(w, &ev))
		goto fail;

	fr_writer__manifest(w)->losses[FR_LOSS_RING_FULL] = 3;
	fr_writer__manifest(w)->trigger_ns = t;
	p = proc(100, 1, "sh", argv_sh, 3);
	p.flags = FR_PROC_ROOT | FR_PROC_SNAPSHOT | FR_PROC_EXITED;
	p.exe = "/bin/sh";
	p.cwd = "/home/user";
	p.env = env;
	p.envc = 2;
	p.threads = th;
	p.n_threads = 2;
	p.maps = maps;
	p.n_maps = 1;
	p.fds = fds;
	p.n_fds = 2;
	p.rlimits = rl;
	p.n_rlimits = 1;
	p.namespaces = ns;
	p.n_namespaces = 1;
	p.start_ns = T0;
	p.exit_ns = t;
	if (fr_writer__add_process(w, &p))
		goto fail;
	p = proc(102, 100, "cat", argv_cat, 1);
	p.exe = "/usr/bin/cat";
	p.flags = FR_PROC_EXITED;
	p.exit_status = 13;
	if (fr_writer__add_process(w, &p))
		goto fail;
	return finish(w, path);
fail:
	fr_writer__free(w);
	return 1;
}

static int gen_echo(const char *dir)
{
	static const char hello[] = "hello\n";
	static const char argv_blob[] = "/bin/echo\0hello";
	static char *argv_echo[] = { "/bin/echo", "hello" };
	struct fr_writer_opts o = { .mtime = 1795000000 };
	struct fr_writer *w;
	struct fr_process p;
	struct fr_event ev;
	char path[4096], err[512];
	uint64_t t = T0;

	snprintf(path, sizeof(path), "%s/echo.frb", dir);
	if (fr_writer__open(path, &o, &w, err, sizeof(err))) {
		fprintf(stderr, "gen_fixtures: %s: %s\n", path, err);
		return 1;
	}
	pin_manifest(w, "record", "/bin/echo hello");
	ev_init(&ev, t += 1000, 4242, 4242, FR_EV_PROC_EXEC, 0);
	snprintf(ev.u.exec.comm, FR_COMM_LEN, "echo");
	ev.u.exec.old_tid = 4242;
	add_payload(&ev, FR_PL_EXEC_FILENAME, 0xff, argv_blob, 9, 9);
	add_payload(&ev, FR_PL_EXEC_ARGV, 0xff, argv_blob, sizeof(argv_blob), sizeof(argv_blob));
	if (add(w, &ev))
		goto fail;
	syscall_ev(&ev, t + 1000, t + 3000, 4242, 4242, 1 /* write */, 6, 1, 0x7ffc00001000, 6);
	t += 3000;
	add_payload(&ev, FR_PL_IN, 1, hello, 6, 6);
	if (add(w, &ev))
		goto fail;
	syscall_ev(&ev, t + 1000, t + 1000, 4242, 4242, 231 /* exit_group */, 0, 0, 0, 0);
	ev.u.sc.flags = FR_SC_NO_EXIT;
	t += 1000;
	if (add(w, &ev))
		goto fail;
	ev_init(&ev, t += 2000, 4242, 4242, FR_EV_PROC_EXIT, 0);
	ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
	if (add(w, &ev))
		goto fail;
	p = proc(4242, 4241, "echo", argv_echo, 2);
	p.flags = FR_PROC_ROOT | FR_PROC_EXITED;
	p.exe = "/usr/bin/echo";
	p.cwd = "/";
	p.start_ns = T0;
	p.exit_ns = t;
	if (fr_writer__add_process(w, &p))
		goto fail;
	return finish(w, path);
fail:
	fr_writer__free(w);
	return 1;
}

static void tcp_io(struct fr_event *ev, uint64_t *t, uint32_t pid, unsigned nr, int fd,
		   const struct fr_sock_tuple *tuple, const char *data, size_t len,
		   struct fr_fdinfo *fi)
{
	bool is_write = nr == 1;

	syscall_ev(ev, *t + 100, *t + 2000, pid, pid, nr, (int64_t)len, (uint64_t)fd,
		   0x7ffd00001000ULL, is_write ? len : 65536);
	*t += 2000;
	memset(fi, 0, sizeof(*fi));
	fi->fd = fd;
	fi->type = FR_FD_SOCKET;
	fi->sock_type = 1;
	fi->ino = 90000 + pid;
	fi->tuple = *tuple;
	add_payload(ev, is_write ? FR_PL_IN : FR_PL_OUT, 1, data, (uint32_t)len, (uint32_t)len);
	add_payload(ev, FR_PL_FDINFO, 0, fi, sizeof(*fi), sizeof(*fi));
}

static int gen_tcp(const char *dir)
{
	static const char req[] = "GET /orders/42 HTTP/1.1\r\nHost: db\r\n\r\n";
	static const char resp1[] = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n";
	static const char resp2[] = "hello world";
	static char *argv_c[] = { "client" }, *argv_s[] = { "server" };
	struct fr_writer_opts o = { .mtime = 1795000000 };
	struct fr_sock_tuple cli = { .family = 2, .protocol = 6, .sport = 51234, .dport = 8080 };
	struct fr_sock_tuple srv = { .family = 2, .protocol = 6, .sport = 8080, .dport = 51234 };
	struct fr_writer *w;
	struct fr_process p;
	struct fr_event ev;
	struct fr_fdinfo fi;
	char path[4096], err[512];
	uint64_t t = T0;

	memcpy(cli.saddr, "\x7f\0\0\x01", 4);
	memcpy(cli.daddr, "\x7f\0\0\x01", 4);
	memcpy(srv.saddr, "\x7f\0\0\x01", 4);
	memcpy(srv.daddr, "\x7f\0\0\x01", 4);
	snprintf(path, sizeof(path), "%s/tcp.frb", dir);
	if (fr_writer__open(path, &o, &w, err, sizeof(err))) {
		fprintf(stderr, "gen_fixtures: %s: %s\n", path, err);
		return 1;
	}
	pin_manifest(w, "record", "client and server");
	tcp_io(&ev, &t, 200, 1, 3, &cli, req, sizeof(req) - 1, &fi);
	if (add(w, &ev))
		goto fail;
	tcp_io(&ev, &t, 300, 0, 4, &srv, req, sizeof(req) - 1, &fi);
	if (add(w, &ev))
		goto fail;
	tcp_io(&ev, &t, 300, 1, 4, &srv, resp1, sizeof(resp1) - 1, &fi);
	if (add(w, &ev))
		goto fail;
	tcp_io(&ev, &t, 300, 1, 4, &srv, resp2, sizeof(resp2) - 1, &fi);
	if (add(w, &ev))
		goto fail;
	tcp_io(&ev, &t, 200, 0, 3, &cli, resp1, sizeof(resp1) - 1, &fi);
	if (add(w, &ev))
		goto fail;
	tcp_io(&ev, &t, 200, 0, 3, &cli, resp2, sizeof(resp2) - 1, &fi);
	if (add(w, &ev))
		goto fail;
	p = proc(200, 1, "client", argv_c, 1);
	if (fr_writer__add_process(w, &p))
		goto fail;
	p = proc(300, 1, "server", argv_s, 1);
	if (fr_writer__add_process(w, &p))
		goto fail;
	return finish(w, path);
fail:
	fr_writer__free(w);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_fixtures DIR\n");
		return 2;
	}
	if (gen_basic(argv[1]) || gen_echo(argv[1]) || gen_tcp(argv[1]))
		return 1;
	return 0;
}
