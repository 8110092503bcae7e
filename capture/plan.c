// SPDX-License-Identifier: MIT
/* plan.c: syscall table rows -> in-kernel capture plans (see plan.h). */
#include "capture/plan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *fr_plan_op_name(unsigned op)
{
	static const char *const names[FR_OP_COUNT] = {
	    [FR_OP_NONE] = "none",	 [FR_OP_BUF] = "buf", [FR_OP_STR] = "str",
	    [FR_OP_STRV] = "strv",	 [FR_OP_IOV] = "iov", [FR_OP_MSGHDR] = "msghdr",
	    [FR_OP_MMSGHDR] = "mmsghdr",
	};

	return op < FR_OP_COUNT ? names[op] : NULL;
}

const char *fr_plan_len_name(unsigned len)
{
	static const char *const names[FR_LEN_COUNT] = {
	    [FR_LEN_CONST] = "const",	  [FR_LEN_ARG] = "arg",	    [FR_LEN_RET] = "ret",
	    [FR_LEN_ARG_PTR] = "arg_ptr", [FR_LEN_FDSET] = "fdset", [FR_LEN_IOV] = "iov",
	};

	return len < FR_LEN_COUNT ? names[len] : NULL;
}

/* One capture step before it is placed in the plan. */
struct step {
	bool at_exit;
	struct fr_plan_item it;
};

struct builder {
	struct step steps[2 * 6];
	unsigned n;
};

static void add(struct builder *b, bool at_exit, unsigned op, unsigned arg, unsigned len,
		unsigned len_arg, unsigned kind, unsigned flags, unsigned size, unsigned max)
{
	struct step *s = &b->steps[b->n++];

	s->at_exit = at_exit;
	s->it.op = (uint8_t)op;
	s->it.arg = (uint8_t)arg;
	s->it.len = (uint8_t)len;
	s->it.len_arg = (uint8_t)len_arg;
	s->it.kind = (uint8_t)kind;
	s->it.flags = (uint8_t)flags;
	s->it.size = (uint16_t)size;
	s->it.max = max;
}

#define IN(...) add(&b, false, __VA_ARGS__)
#define OUT(...) add(&b, true, __VA_ARGS__)

/*
 * Argument kinds to steps.  "In" data is read at entry, "out" data at exit
 * and only when the call succeeded (the kernel writes nothing on failure).
 */
static int arg_steps(struct builder *bb, const struct fr_syscall_arg_desc *a, unsigned i)
{
	struct builder b = *bb;
	unsigned la = a->len_arg, sz = a->size;
	int err = 0;

	switch (a->kind) {
	case FR_A_NONE:
	case FR_A_INT:
	case FR_A_UINT:
	case FR_A_HEX:
	case FR_A_PTR:
	case FR_A_FD:
	case FR_A_FLAGS:
	case FR_A_ENUM:
	case FR_A_MODE:
	case FR_A_SIGNAL:
		break; /* the value itself is in the event */
	case FR_A_PATH:
		IN(FR_OP_STR, i, FR_LEN_CONST, 0, FR_PL_IN, 0, 0, FR_PLAN_PATH_MAX);
		break;
	case FR_A_STR:
		IN(FR_OP_STR, i, FR_LEN_CONST, 0, FR_PL_IN, 0, 0, 0);
		break;
	case FR_A_STRV:
		IN(FR_OP_STRV, i, FR_LEN_CONST, 0, FR_PL_IN, 0, 0, 0);
		break;
	case FR_A_BUF_IN:
		IN(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_IN, 0, 1, 0);
		break;
	case FR_A_BUF_OUT:
		OUT(FR_OP_BUF, i, FR_LEN_RET, la, FR_PL_OUT, FR_PI_OK_ONLY | FR_PI_CAP_ARG, 1, 0);
		break;
	case FR_A_STRUCT_IN:
		IN(FR_OP_BUF, i, FR_LEN_CONST, 0, FR_PL_IN, 0, sz, 0);
		break;
	case FR_A_STRUCT_OUT:
		OUT(FR_OP_BUF, i, FR_LEN_CONST, 0, FR_PL_OUT, FR_PI_OK_ONLY, sz, 0);
		break;
	case FR_A_STRUCT_INOUT:
		IN(FR_OP_BUF, i, FR_LEN_CONST, 0, FR_PL_IN, 0, sz, 0);
		OUT(FR_OP_BUF, i, FR_LEN_CONST, 0, FR_PL_OUT, FR_PI_OK_ONLY, sz, 0);
		break;
	case FR_A_ARRAY_IN:
		IN(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_IN, 0, sz, 0);
		break;
	case FR_A_ARRAY_OUT:
		OUT(FR_OP_BUF, i, FR_LEN_RET, la, FR_PL_OUT, FR_PI_OK_ONLY | FR_PI_CAP_ARG, sz, 0);
		break;
	case FR_A_ARRAY_INOUT:
		IN(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_IN, 0, sz, 0);
		OUT(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_OUT, FR_PI_OK_ONLY, sz, 0);
		break;
	case FR_A_IOV_IN:
		IN(FR_OP_IOV, i, FR_LEN_IOV, la, FR_PL_IN, 0, 1, 0);
		break;
	case FR_A_IOV_OUT:
		OUT(FR_OP_IOV, i, FR_LEN_RET, la, FR_PL_OUT, FR_PI_OK_ONLY, 1, 0);
		break;
	case FR_A_SOCKADDR_IN:
		IN(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_IN, 0, 1, FR_PLAN_SOCKADDR_MAX);
		break;
	case FR_A_SOCKADDR_OUT:
		/* also getsockopt's optval: bounded by the buffer's size, read at
		 * entry, not by the size of a sockaddr */
		OUT(FR_OP_BUF, i, FR_LEN_ARG_PTR, la, FR_PL_OUT, FR_PI_OK_ONLY, 1, 0);
		break;
	case FR_A_MSGHDR_IN:
		IN(FR_OP_MSGHDR, i, FR_LEN_IOV, 0, FR_PL_IN, 0, 1, 0);
		break;
	case FR_A_MSGHDR_OUT:
		OUT(FR_OP_MSGHDR, i, FR_LEN_RET, 0, FR_PL_OUT, FR_PI_OK_ONLY, 1, 0);
		break;
	case FR_A_MMSGHDR_IN:
		IN(FR_OP_MMSGHDR, i, FR_LEN_ARG, la, FR_PL_IN, 0, 64, 0);
		break;
	case FR_A_MMSGHDR_OUT:
		OUT(FR_OP_MMSGHDR, i, FR_LEN_RET, la, FR_PL_OUT, FR_PI_OK_ONLY, 64, 0);
		break;
	case FR_A_FDSET_INOUT:
		IN(FR_OP_BUF, i, FR_LEN_FDSET, la, FR_PL_IN, 0, 1, FR_PLAN_SET_MAX);
		OUT(FR_OP_BUF, i, FR_LEN_FDSET, la, FR_PL_OUT, FR_PI_OK_ONLY, 1, FR_PLAN_SET_MAX);
		break;
	case FR_A_SIGSET_IN:
		IN(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_IN, 0, 1, FR_PLAN_SET_MAX);
		break;
	case FR_A_SIGSET_OUT:
		OUT(FR_OP_BUF, i, FR_LEN_ARG, la, FR_PL_OUT, FR_PI_OK_ONLY, 1, FR_PLAN_SET_MAX);
		break;
	default:
		err = -EINVAL;
		break;
	}
	*bb = b;
	return err;
}

#undef IN
#undef OUT

int fr_plan_build(const struct fr_syscall_desc *d, struct fr_sc_plan *p, char *why, size_t whylen)
{
	struct builder b;
	unsigned i, n_fd = 0, slot = 0, pass;
	int err = 0;

	memset(p, 0, sizeof(*p));
	memset(&b, 0, sizeof(b));
	p->flags = FR_PLAN_TRACE;
	p->fd_arg[0] = p->fd_arg[1] = FR_PLAN_NO_FD;
	if (!d)
		return 0;
	if (d->ret == FR_R_NONE)
		p->flags |= FR_PLAN_NORETURN;
	if (d->ret == FR_R_FD)
		p->flags |= FR_PLAN_RET_FD;
	if (!strcmp(d->name, "execve") || !strcmp(d->name, "execveat"))
		p->flags |= FR_PLAN_EXEC;
	for (i = 0; i < d->nargs && i < 6; i++) {
		const struct fr_syscall_arg_desc *a = &d->args[i];

		if (a->kind == FR_A_FD && n_fd < 2)
			p->fd_arg[n_fd++] = (uint8_t)i;
		if (a->kind >= FR_A_KIND_COUNT || arg_steps(&b, a, i)) {
			if (why)
				snprintf(why, whylen, "%s: argument %u has unknown kind %u",
					 d->name, i, a->kind);
			err = -EINVAL;
		}
	}
	/* a NORETURN call has no exit: its "out" items could never be read */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < b.n; i++) {
			if (b.steps[i].at_exit != (pass == 1))
				continue;
			if (pass == 1 && (p->flags & FR_PLAN_NORETURN))
				continue;
			if (slot >= FR_PLAN_MAX_ITEMS) {
				if (why)
					snprintf(why, whylen,
						 "%s: needs more than %d capture items", d->name,
						 FR_PLAN_MAX_ITEMS);
				return -E2BIG;
			}
			if (b.steps[i].it.len == FR_LEN_ARG_PTR && pass == 1)
				p->flags |= FR_PLAN_LENPTR;
			p->items[slot++] = b.steps[i].it;
			if (pass == 0)
				p->n_enter++;
			else
				p->n_exit++;
		}
	}
	return err;
}
