/* SPDX-License-Identifier: MIT */
/*
 * test_replay_lib.h: recordings written by hand for replay unit tests.
 *
 * rb_build() turns a strace-like description into a bundle, as if
 * `flightrec record` had recorded program EXE run with ARGV:
 *
 *   # comment
 *   openat(-100, "/data/in", 0) = 3          a string argument is data passed in
 *   read(3, >"hello", 8) = 5                 '>' marks data the kernel wrote
 *   write(1, "hello", 5) = 5
 *   clock_gettime(0, >q(12, 345)) = 0        q(...): 64-bit values, little-endian
 *   getrandom(>x"0102030405060708", 8, 0) = 8    x"..": bytes in hex
 *   mmap(0, 4096, 3, 34, -1, 0) = 0x7ffff7ff8000
 *   [1001] write(1, "from a thread\n", 14) = 14   [TID]: another thread
 *   exit_group(7) = ?                        '?': the call never returned
 *   read(0, >"x", 1) = 1 <2000000>           <NS>: how long the call took
 *   [1000] +signal 10 0                      a signal (number, si_code) delivered
 *
 * Each line starts 1000 ns after the previous one (plus the previous
 * call's duration beyond 400 ns).  clone/fork lines that return a child id
 * get their fork event; a thread's exit/exit_group gets its exit event.
 * The first thread (1000 unless the first line names another) is the root
 * process, started by an exec of EXE at time T0.
 */
#ifndef TEST_REPLAY_LIB_H
#define TEST_REPLAY_LIB_H

#include <ctype.h>
#include <errno.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bundle.h"
#include "formats/syscalls.h"
#include "formats/util.h"

#define RB_T0 5000000000ULL
#define RB_MAX_LINE_DATA 16

struct rb_data {
	uint8_t buf[65536];
	size_t used;
};

struct rb_thread {
	uint32_t tid, pid;
	bool exited;
	int exit_arg;
	bool group;
	uint64_t last_ts;
};

/* Parse a quoted C string at *s into out; returns its length or -1. */
static long rb_parse_str(const char **s, uint8_t *out, size_t cap)
{
	const char *p = *s + 1;
	size_t n = 0;

	while (*p && *p != '"') {
		int c = (unsigned char)*p++;

		if (c == '\\') {
			c = (unsigned char)*p++;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case '0':
				c = 0;
				break;
			case 'x': {
				char h[3] = {p[0], p[1], 0};

				c = (int)strtol(h, NULL, 16);
				p += 2;
				break;
			}
			default:
				break;
			}
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)c;
	}
	if (*p != '"')
		return -1;
	*s = p + 1;
	return (long)n;
}

static long rb_parse_hex(const char **s, uint8_t *out, size_t cap)
{
	const char *p = *s + 2; /* x" */
	size_t n = 0;

	while (isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1])) {
		char h[3] = {p[0], p[1], 0};

		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)strtol(h, NULL, 16);
		p += 2;
	}
	if (*p != '"')
		return -1;
	*s = p + 1;
	return (long)n;
}

static long rb_parse_q(const char **s, uint8_t *out, size_t cap)
{
	const char *p = *s + 2; /* q( */
	size_t n = 0;

	for (;;) {
		char *end;
		long long v;

		while (*p == ' ')
			p++;
		if (*p == ')')
			break;
		v = strtoll(p, &end, 0);
		if (end == p || n + 8 > cap)
			return -1;
		memcpy(out + n, &v, 8);
		n += 8;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
	}
	*s = p + 1;
	return (long)n;
}

static struct rb_thread *rb_thread(struct rb_thread *ths, size_t *n, uint32_t tid)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (ths[i].tid == tid)
			return &ths[i];
	memset(&ths[*n], 0, sizeof(ths[*n]));
	ths[*n].tid = tid;
	ths[*n].pid = tid;
	return &ths[(*n)++];
}

static int rb_add(struct fr_writer *w, const struct fr_event *ev, char *err, size_t errlen)
{
	int rc = fr_writer__add_event(w, ev);

	if (rc)
		snprintf(err, errlen, "adding an event: %s", fr_writer__strerror(w));
	return rc;
}

static void rb_ev(struct fr_event *ev, uint64_t ts, uint32_t pid, uint32_t tid, unsigned type)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts_ns = ts;
	ev->pid = pid;
	ev->tid = tid;
	ev->type = (uint16_t)type;
}

static int rb_build(const char *path, const char *exe, char *const argv[], const char *desc,
		    char *err, size_t errlen)
{
	struct fr_writer_opts o = {.mtime = 1795000000};
	static struct rb_thread ths[64];
	static struct rb_data data;
	struct fr_writer *w;
	struct fr_event ev;
	struct fr_process p;
	char argv_blob[4096];
	size_t argv_len = 0, n_ths = 0, argc = 0, i;
	uint64_t t = RB_T0;
	uint32_t root = 0;
	const char *line = desc;
	int rc = 0, lineno = 0;
	char *env[] = {"PATH=/usr/bin:/bin", "LANG=C"};
	struct fr_fd fds[3] = {{.fd = 0, .type = FR_FD_CHR, .path = "/dev/pts/0"},
			       {.fd = 1, .type = FR_FD_CHR, .path = "/dev/pts/0"},
			       {.fd = 2, .type = FR_FD_CHR, .path = "/dev/pts/0"}};

	while (argv[argc]) {
		size_t l = strlen(argv[argc]) + 1;

		if (argv_len + l > sizeof(argv_blob))
			return -E2BIG;
		memcpy(argv_blob + argv_len, argv[argc], l);
		argv_len += l;
		argc++;
	}
	rc = fr_writer__open(path, &o, &w, err, errlen);
	if (rc)
		return rc;
	{
		struct fr_manifest *m = fr_writer__manifest(w);

		snprintf(m->trigger_kind, sizeof(m->trigger_kind), "record");
		m->clock_to_utc_ns = 1795000000000000000LL - (int64_t)RB_T0;
	}
	/* Root from the first line's thread id. */
	{
		const char *q = desc;

		while (*q == '\n' || *q == ' ' || *q == '#') {
			if (*q == '#')
				while (*q && *q != '\n')
					q++;
			else
				q++;
		}
		root = *q == '[' ? (uint32_t)strtoul(q + 1, NULL, 10) : 1000;
	}
	rb_thread(ths, &n_ths, root);
	rb_ev(&ev, t, root, root, FR_EV_PROC_EXEC);
	snprintf(ev.u.exec.comm, sizeof(ev.u.exec.comm), "prog");
	ev.u.exec.old_tid = root;
	ev.payloads[0] = (struct fr_payload){
	    FR_PL_EXEC_FILENAME, 0xff, 0, 0, (uint32_t)strlen(exe), (uint32_t)strlen(exe),
	    (const uint8_t *)exe};
	ev.payloads[1] = (struct fr_payload){
	    FR_PL_EXEC_ARGV,	       0xff, 0, 0, (uint32_t)argv_len, (uint32_t)argv_len,
	    (const uint8_t *)argv_blob};
	ev.n_payloads = 2;
	if ((rc = rb_add(w, &ev, err, errlen)))
		goto out;

	while (*line) {
		const char *eol = strchr(line, '\n');
		char buf[8192], name[64];
		const char *s = buf;
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		uint32_t tid = root;
		struct rb_thread *th;
		const struct fr_syscall_desc *d;
		uint64_t dur = 400;
		int nargs = 0, k;

		lineno++;
		if (len >= sizeof(buf)) {
			snprintf(err, errlen, "line %d too long", lineno);
			rc = -EINVAL;
			goto out;
		}
		memcpy(buf, line, len);
		buf[len] = 0;
		line = eol ? eol + 1 : line + len;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			tid = (uint32_t)strtoul(s + 1, (char **)&s, 10);
			s = strchr(s, ']');
			if (!s) {
				rc = -EINVAL;
				goto bad;
			}
			s++;
			while (*s == ' ')
				s++;
		}
		th = rb_thread(ths, &n_ths, tid);
		t += 1000;
		if (!strncmp(s, "+signal", 7)) {
			int sig = 0, code = 0;

			sscanf(s + 7, "%d %d", &sig, &code);
			rb_ev(&ev, t, th->pid, tid, FR_EV_SIGNAL_DELIVER);
			ev.u.sig_del.sig = sig;
			ev.u.sig_del.code = code;
			if ((rc = rb_add(w, &ev, err, errlen)))
				goto out;
			continue;
		}
		for (k = 0; s[k] && s[k] != '(' && k < (int)sizeof(name) - 1; k++)
			name[k] = s[k];
		name[k] = 0;
		d = fr_syscall_by_name(name);
		if (!d || s[k] != '(') {
			snprintf(err, errlen, "line %d: unknown system call '%s'", lineno, name);
			rc = -EINVAL;
			goto out;
		}
		s += k + 1;
		rb_ev(&ev, 0, th->pid, tid, FR_EV_SYSCALL);
		ev.u.sc.nr = d->nr;
		data.used = 0;
		while (*s && *s != ')') {
			int kind = FR_PL_IN;
			long n = -2;

			while (*s == ' ')
				s++;
			if (*s == '>' || *s == '<') {
				kind = *s == '>' ? FR_PL_OUT : FR_PL_IN;
				s++;
			}
			if (*s == '"')
				n = rb_parse_str(&s, data.buf + data.used,
						 sizeof(data.buf) - data.used);
			else if (s[0] == 'x' && s[1] == '"')
				n = rb_parse_hex(&s, data.buf + data.used,
						 sizeof(data.buf) - data.used);
			else if (s[0] == 'q' && s[1] == '(')
				n = rb_parse_q(&s, data.buf + data.used,
					       sizeof(data.buf) - data.used);
			if (n == -1 || nargs >= 6 || ev.n_payloads >= RB_MAX_LINE_DATA) {
				rc = -EINVAL;
				goto bad;
			}
			if (n >= 0) {
				struct fr_payload *pl = &ev.payloads[ev.n_payloads++];

				pl->kind = (uint8_t)kind;
				pl->arg = (uint8_t)nargs;
				pl->len = pl->full_len = (uint32_t)n;
				pl->data = data.buf + data.used;
				data.used += (size_t)n;
				ev.u.sc.args[nargs] = 0x7ffe0000ULL + (uint64_t)nargs * 0x1000;
			} else if (!strncmp(s, "NULL", 4)) {
				ev.u.sc.args[nargs] = 0;
				s += 4;
			} else if (*s == '&') {
				ev.u.sc.args[nargs] = 0x7ffd0000ULL + (uint64_t)nargs * 0x1000;
				s++;
			} else {
				char *end;

				ev.u.sc.args[nargs] = (uint64_t)strtoll(s, &end, 0);
				if (end == s) {
					rc = -EINVAL;
					goto bad;
				}
				s = end;
			}
			nargs++;
			while (*s == ' ')
				s++;
			if (*s == ',')
				s++;
		}
		if (*s != ')') {
			rc = -EINVAL;
			goto bad;
		}
		s++;
		while (*s == ' ')
			s++;
		if (*s != '=') {
			rc = -EINVAL;
			goto bad;
		}
		s++;
		while (*s == ' ')
			s++;
		if (*s == '?') {
			ev.u.sc.flags |= FR_SC_NO_EXIT;
			s++;
		} else {
			ev.u.sc.ret = strtoll(s, (char **)&s, 0);
		}
		while (*s == ' ')
			s++;
		if (*s == '<')
			dur = strtoull(s + 1, NULL, 10);
		ev.u.sc.enter_ns = t + 100;
		ev.ts_ns = (ev.u.sc.flags & FR_SC_NO_EXIT) ? t + 100 : t + 100 + dur;
		if (dur > 400)
			t += dur - 400;
		/* The fork event sits inside the creating call. */
		if ((d->nr == 56 || d->nr == 57 || d->nr == 58 || d->nr == 435) &&
		    ev.u.sc.ret > 0) {
			struct fr_event fe;
			uint64_t flags = d->nr == 56 ? ev.u.sc.args[0] : d->nr == 58 ? 0x4111 : 17;
			struct rb_thread *c = rb_thread(ths, &n_ths, (uint32_t)ev.u.sc.ret);

			c->pid = (flags & CLONE_THREAD) ? th->pid : (uint32_t)ev.u.sc.ret;
			rb_ev(&fe, t + 300, th->pid, tid, FR_EV_PROC_FORK);
			fe.u.fork.child_pid = c->pid;
			fe.u.fork.child_tid = c->tid;
			fe.u.fork.clone_flags = flags;
			if ((rc = rb_add(w, &fe, err, errlen)))
				goto out;
			ev.ts_ns = FR_MAX(ev.ts_ns, t + 301);
		}
		if ((rc = rb_add(w, &ev, err, errlen)))
			goto out;
		th->last_ts = ev.ts_ns;
		if (d->nr == 60 || d->nr == 231) {
			th->exited = true;
			th->exit_arg = (int)ev.u.sc.args[0];
			th->group = d->nr == 231;
			rb_ev(&ev, t + 200, th->pid, tid, FR_EV_PROC_EXIT);
			ev.u.exit.status = (th->exit_arg & 0xff) << 8;
			if (th->group || th->tid == th->pid)
				ev.u.exit.flags = FR_EXIT_GROUP_DEAD;
			if ((rc = rb_add(w, &ev, err, errlen)))
				goto out;
			/* exit_group ends the other threads of the process */
			if (th->group)
				for (i = 0; i < n_ths; i++)
					if (ths[i].pid == th->pid && &ths[i] != th &&
					    !ths[i].exited) {
						ths[i].exited = true;
						rb_ev(&ev, t + 201, th->pid, ths[i].tid,
						      FR_EV_PROC_EXIT);
						if ((rc = rb_add(w, &ev, err, errlen)))
							goto out;
					}
		}
		continue;
	bad:
		snprintf(err, errlen, "line %d: cannot parse '%s'", lineno, buf);
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.pid = root;
	p.ppid = 1;
	p.flags = FR_PROC_ROOT;
	snprintf(p.comm, sizeof(p.comm), "prog");
	p.exe = (char *)exe;
	p.cwd = "/";
	p.argv = (char **)argv;
	p.argc = (uint32_t)argc;
	p.env = env;
	p.envc = 2;
	p.fds = fds;
	p.n_fds = 3;
	p.start_ns = RB_T0;
	for (i = 0; i < n_ths; i++)
		if (ths[i].tid == root && ths[i].exited) {
			p.flags |= FR_PROC_EXITED;
			p.exit_status = (ths[i].exit_arg & 0xff) << 8;
			p.exit_ns = ths[i].last_ts + 200;
		}
	if ((rc = fr_writer__add_process(w, &p))) {
		snprintf(err, errlen, "adding the process: %s", fr_writer__strerror(w));
		goto out;
	}
	rc = fr_writer__finish(w);
	if (rc)
		snprintf(err, errlen, "finishing: %s", fr_writer__strerror(w));
out:
	fr_writer__free(w);
	return rc;
}

#endif /* TEST_REPLAY_LIB_H */
