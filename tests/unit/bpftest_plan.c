// SPDX-License-Identifier: MIT
/*
 * Unit tests: capture/plan.c, the syscall table turned into capture plans.
 *
 * Table-driven: one synthetic row per argument kind with the plan items it
 * must give; invariants over every row of the real table (every argument
 * that carries data is captured, at the right time, with a bounded length);
 * spot checks of the calls capture depends on most.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "capture/plan.h"

/* What one argument of a synthetic row must become. */
static const struct {
	struct fr_syscall_arg_desc a;
	unsigned n; /* items */
	struct {
		bool exit;
		uint8_t op, len, kind, flags;
		uint16_t size;
		uint32_t max;
	} it[2];
} kinds[] = {
#define A(k, la, sz)                                                                               \
	{                                                                                          \
		k, la, sz, 0, 0                                                                    \
	}
    {A(FR_A_INT, 0, 4), 0, {}},
    {A(FR_A_FD, 0, 0), 0, {}},
    {A(FR_A_PTR, 0, 0), 0, {}},
    {A(FR_A_PATH, 0, 0), 1, {{false, FR_OP_STR, FR_LEN_CONST, FR_PL_IN, 0, 0, 4096}}},
    {A(FR_A_STR, 0, 0), 1, {{false, FR_OP_STR, FR_LEN_CONST, FR_PL_IN, 0, 0, 0}}},
    {A(FR_A_STRV, 0, 0), 1, {{false, FR_OP_STRV, FR_LEN_CONST, FR_PL_IN, 0, 0, 0}}},
    {A(FR_A_BUF_IN, 2, 0), 1, {{false, FR_OP_BUF, FR_LEN_ARG, FR_PL_IN, 0, 1, 0}}},
    {A(FR_A_BUF_OUT, 2, 0),
     1,
     {{true, FR_OP_BUF, FR_LEN_RET, FR_PL_OUT, FR_PI_OK_ONLY | FR_PI_CAP_ARG, 1, 0}}},
    {A(FR_A_STRUCT_IN, 0, 24), 1, {{false, FR_OP_BUF, FR_LEN_CONST, FR_PL_IN, 0, 24, 0}}},
    {A(FR_A_STRUCT_OUT, 0, 144),
     1,
     {{true, FR_OP_BUF, FR_LEN_CONST, FR_PL_OUT, FR_PI_OK_ONLY, 144, 0}}},
    {A(FR_A_STRUCT_INOUT, 0, 16),
     2,
     {{false, FR_OP_BUF, FR_LEN_CONST, FR_PL_IN, 0, 16, 0},
      {true, FR_OP_BUF, FR_LEN_CONST, FR_PL_OUT, FR_PI_OK_ONLY, 16, 0}}},
    {A(FR_A_ARRAY_IN, 2, 12), 1, {{false, FR_OP_BUF, FR_LEN_ARG, FR_PL_IN, 0, 12, 0}}},
    {A(FR_A_ARRAY_OUT, 2, 12),
     1,
     {{true, FR_OP_BUF, FR_LEN_RET, FR_PL_OUT, FR_PI_OK_ONLY | FR_PI_CAP_ARG, 12, 0}}},
    {A(FR_A_ARRAY_INOUT, 2, 8),
     2,
     {{false, FR_OP_BUF, FR_LEN_ARG, FR_PL_IN, 0, 8, 0},
      {true, FR_OP_BUF, FR_LEN_ARG, FR_PL_OUT, FR_PI_OK_ONLY, 8, 0}}},
    {A(FR_A_IOV_IN, 2, 16), 1, {{false, FR_OP_IOV, FR_LEN_IOV, FR_PL_IN, 0, 1, 0}}},
    {A(FR_A_IOV_OUT, 2, 16), 1, {{true, FR_OP_IOV, FR_LEN_RET, FR_PL_OUT, FR_PI_OK_ONLY, 1, 0}}},
    {A(FR_A_SOCKADDR_IN, 2, 0), 1, {{false, FR_OP_BUF, FR_LEN_ARG, FR_PL_IN, 0, 1, 128}}},
    {A(FR_A_SOCKADDR_OUT, 2, 0),
     1,
     {{true, FR_OP_BUF, FR_LEN_ARG_PTR, FR_PL_OUT, FR_PI_OK_ONLY, 1, 0}}},
    {A(FR_A_MSGHDR_IN, 0, 56), 1, {{false, FR_OP_MSGHDR, FR_LEN_IOV, FR_PL_IN, 0, 1, 0}}},
    {A(FR_A_MSGHDR_OUT, 0, 56),
     1,
     {{true, FR_OP_MSGHDR, FR_LEN_RET, FR_PL_OUT, FR_PI_OK_ONLY, 1, 0}}},
    {A(FR_A_MMSGHDR_IN, 2, 64), 1, {{false, FR_OP_MMSGHDR, FR_LEN_ARG, FR_PL_IN, 0, 64, 0}}},
    {A(FR_A_MMSGHDR_OUT, 2, 64),
     1,
     {{true, FR_OP_MMSGHDR, FR_LEN_RET, FR_PL_OUT, FR_PI_OK_ONLY, 64, 0}}},
    {A(FR_A_FDSET_INOUT, 2, 0),
     2,
     {{false, FR_OP_BUF, FR_LEN_FDSET, FR_PL_IN, 0, 1, 128},
      {true, FR_OP_BUF, FR_LEN_FDSET, FR_PL_OUT, FR_PI_OK_ONLY, 1, 128}}},
    {A(FR_A_SIGSET_IN, 2, 0), 1, {{false, FR_OP_BUF, FR_LEN_ARG, FR_PL_IN, 0, 1, 128}}},
    {A(FR_A_SIGSET_OUT, 2, 0),
     1,
     {{true, FR_OP_BUF, FR_LEN_ARG, FR_PL_OUT, FR_PI_OK_ONLY, 1, 128}}},
#undef A
};

/* Each kind at argument 1 of a 3-argument row. */
START_TEST(test_kind)
{
	struct fr_syscall_desc d = {.name = "synthetic", .nr = 400, .nargs = 3, .ret = FR_R_INT};
	struct fr_sc_plan p;
	unsigned k, n_exit = 0;
	int rc;

	d.args[0].kind = FR_A_FD;
	d.args[1] = kinds[_i].a;
	d.args[2].kind = FR_A_UINT;
	rc = fr_plan_build(&d, &p, NULL, 0);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(p.flags & FR_PLAN_TRACE, FR_PLAN_TRACE);
	ck_assert_uint_eq(p.fd_arg[0], 0); /* argument 0 is a descriptor */
	ck_assert_uint_eq(p.n_enter + p.n_exit, kinds[_i].n);
	for (k = 0; k < kinds[_i].n; k++) {
		/* entry items come first */
		unsigned idx = kinds[_i].it[k].exit ? p.n_enter + n_exit++ : 0;
		const struct fr_plan_item *it = &p.items[idx];

		ck_assert_msg(it->op == kinds[_i].it[k].op, "kind %u item %u: op %s",
			      kinds[_i].a.kind, k, fr_plan_op_name(it->op));
		ck_assert_uint_eq(it->arg, 1);
		ck_assert_msg(it->len == kinds[_i].it[k].len, "kind %u item %u: len %s",
			      kinds[_i].a.kind, k, fr_plan_len_name(it->len));
		ck_assert_uint_eq(it->kind, kinds[_i].it[k].kind);
		ck_assert_uint_eq(it->flags, kinds[_i].it[k].flags);
		ck_assert_uint_eq(it->size, kinds[_i].it[k].size);
		ck_assert_uint_eq(it->max, kinds[_i].it[k].max);
		if (it->len != FR_LEN_CONST)
			ck_assert_uint_eq(it->len_arg, kinds[_i].a.len_arg);
	}
	ck_assert_uint_eq(!!(p.flags & FR_PLAN_LENPTR), kinds[_i].a.kind == FR_A_SOCKADDR_OUT);
}
END_TEST

START_TEST(test_unknown_and_flags)
{
	struct fr_syscall_desc d = {.name = "synthetic", .nr = 401, .nargs = 2, .ret = FR_R_NONE};
	struct fr_sc_plan p;
	char why[200] = "";

	/* no row: recorded, no payload */
	ck_assert_int_eq(fr_plan_build(NULL, &p, why, sizeof(why)), 0);
	ck_assert_uint_eq(p.flags, FR_PLAN_TRACE);
	ck_assert_uint_eq(p.n_enter + p.n_exit, 0);
	ck_assert_uint_eq(p.fd_arg[0], FR_PLAN_NO_FD);

	/* a call that never returns keeps its entry items, drops exit ones */
	d.args[0].kind = FR_A_PATH;
	d.args[1].kind = FR_A_STRUCT_OUT;
	d.args[1].size = 8;
	ck_assert_int_eq(fr_plan_build(&d, &p, why, sizeof(why)), 0);
	ck_assert(p.flags & FR_PLAN_NORETURN);
	ck_assert_uint_eq(p.n_enter, 1);
	ck_assert_uint_eq(p.n_exit, 0);

	/* an argument kind the plan does not know: reported, skipped */
	d.ret = FR_R_INT;
	d.args[1].kind = FR_A_KIND_COUNT + 3;
	ck_assert_int_eq(fr_plan_build(&d, &p, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "argument 1"), "why: %s", why);

	/* the most a row can ask for (six arguments read at entry and exit)
	 * fits: -E2BIG cannot happen with six arguments */
	d.nargs = 6;
	for (int i = 0; i < 6; i++) {
		d.args[i].kind = FR_A_STRUCT_INOUT;
		d.args[i].size = 8;
	}
	ck_assert_int_eq(fr_plan_build(&d, &p, why, sizeof(why)), 0);
	ck_assert_uint_eq(p.n_enter, 6);
	ck_assert_uint_eq(p.n_exit, 6);
	for (int i = 0; i < 6; i++) {
		ck_assert_uint_eq(p.items[i].arg, i);
		ck_assert_uint_eq(p.items[6 + i].arg, i);
	}

	/* two descriptors at most are resolved */
	d.nargs = 4;
	for (int i = 0; i < 4; i++)
		d.args[i].kind = FR_A_FD;
	ck_assert_int_eq(fr_plan_build(&d, &p, why, sizeof(why)), 0);
	ck_assert_uint_eq(p.fd_arg[0], 0);
	ck_assert_uint_eq(p.fd_arg[1], 1);
}
END_TEST

static bool carries_data(unsigned kind)
{
	return kind >= FR_A_PATH && kind < FR_A_KIND_COUNT;
}

/* Every row of the real table: the plan builds, and says what the row says. */
START_TEST(test_every_row)
{
	unsigned nr, rows = 0;

	for (nr = 0; nr < FR_NR_SYSCALLS; nr++) {
		const struct fr_syscall_desc *d = fr_syscall(nr);
		struct fr_sc_plan p;
		char why[200] = "";
		unsigned i, a, n;
		int rc;

		if (!d)
			continue;
		rows++;
		rc = fr_plan_build(d, &p, why, sizeof(why));
		ck_assert_msg(rc == 0, "%s: %d (%s)", d->name, rc, why);
		n = p.n_enter + p.n_exit;
		ck_assert_msg(n <= FR_PLAN_MAX_ITEMS, "%s: %u items", d->name, n);
		ck_assert_msg(!(p.flags & FR_PLAN_NORETURN) || !p.n_exit, "%s: exit items",
			      d->name);
		for (i = 0; i < n; i++) {
			const struct fr_plan_item *it = &p.items[i];
			bool exit = i >= p.n_enter;

			ck_assert_msg(it->op > FR_OP_NONE && it->op < FR_OP_COUNT, "%s: op",
				      d->name);
			ck_assert_msg(it->arg < d->nargs, "%s: item arg %u", d->name, it->arg);
			ck_assert_msg(it->kind == (exit ? FR_PL_OUT : FR_PL_IN), "%s: kind",
				      d->name);
			ck_assert_msg(!exit || (it->flags & FR_PI_OK_ONLY),
				      "%s: out data of a failed call", d->name);
			ck_assert_msg(it->len != FR_LEN_RET || exit, "%s: return value at entry",
				      d->name);
			ck_assert_msg(it->len == FR_LEN_CONST || it->len == FR_LEN_RET ||
					  it->len_arg < d->nargs,
				      "%s: length from argument %u", d->name, it->len_arg);
			ck_assert_msg(it->len != FR_LEN_CONST || it->op != FR_OP_BUF ||
					  it->size > 0,
				      "%s: a struct of size 0", d->name);
			ck_assert_msg(it->len != FR_LEN_ARG_PTR || (p.flags & FR_PLAN_LENPTR),
				      "%s: LENPTR flag", d->name);
		}
		/* every argument that carries data is captured (out data of calls
		 * that never return aside) */
		for (a = 0; a < d->nargs; a++) {
			bool found = false;

			if (!carries_data(d->args[a].kind))
				continue;
			for (i = 0; i < n; i++)
				if (p.items[i].arg == a)
					found = true;
			ck_assert_msg(found || (p.flags & FR_PLAN_NORETURN),
				      "%s: argument %u not captured", d->name, a);
		}
		for (i = 0; i < 2; i++)
			if (p.fd_arg[i] != FR_PLAN_NO_FD)
				ck_assert_msg(d->args[p.fd_arg[i]].kind == FR_A_FD, "%s: fd_arg",
					      d->name);
	}
	ck_assert_msg(rows > 300, "only %u rows in the table", rows);
}
END_TEST

static const struct fr_plan_item *item(const struct fr_sc_plan *p, bool exit, unsigned arg)
{
	unsigned i, from = exit ? p->n_enter : 0, to = exit ? p->n_enter + p->n_exit : p->n_enter;

	for (i = from; i < to; i++)
		if (p->items[i].arg == arg)
			return &p->items[i];
	return NULL;
}

static struct fr_sc_plan plan_of(const char *name)
{
	struct fr_sc_plan p;

	ck_assert_msg(fr_syscall_by_name(name), "no row %s", name);
	ck_assert_int_eq(fr_plan_build(fr_syscall_by_name(name), &p, NULL, 0), 0);
	return p;
}

START_TEST(test_spot_rows)
{
	struct fr_sc_plan p;
	const struct fr_plan_item *it;

	p = plan_of("read");
	it = item(&p, true, 1);
	ck_assert(it && it->op == FR_OP_BUF && it->len == FR_LEN_RET && it->len_arg == 2 &&
		  (it->flags & FR_PI_CAP_ARG));
	ck_assert_uint_eq(p.fd_arg[0], 0);
	ck_assert_uint_eq(p.n_enter, 0);

	p = plan_of("write");
	it = item(&p, false, 1);
	ck_assert(it && it->op == FR_OP_BUF && it->len == FR_LEN_ARG && it->len_arg == 2);
	ck_assert_uint_eq(p.n_exit, 0);

	p = plan_of("openat");
	it = item(&p, false, 1);
	ck_assert(it && it->op == FR_OP_STR && it->max == 4096);
	ck_assert(p.flags & FR_PLAN_RET_FD);

	p = plan_of("clock_gettime");
	it = item(&p, true, 1);
	ck_assert(it && it->op == FR_OP_BUF && it->len == FR_LEN_CONST && it->size == 16);

	p = plan_of("poll");
	ck_assert(item(&p, false, 0) && item(&p, true, 0));
	ck_assert_uint_eq(item(&p, true, 0)->size, 8);

	p = plan_of("pselect6");
	for (unsigned a = 1; a <= 3; a++)
		ck_assert(item(&p, false, a) && item(&p, true, a) &&
			  item(&p, true, a)->len == FR_LEN_FDSET);

	p = plan_of("recvmsg");
	it = item(&p, true, 1);
	ck_assert(it && it->op == FR_OP_MSGHDR && it->len == FR_LEN_RET);

	p = plan_of("sendmsg");
	it = item(&p, false, 1);
	ck_assert(it && it->op == FR_OP_MSGHDR && it->len == FR_LEN_IOV);

	p = plan_of("writev");
	it = item(&p, false, 1);
	ck_assert(it && it->op == FR_OP_IOV && it->len == FR_LEN_IOV && it->len_arg == 2);

	p = plan_of("accept4");
	it = item(&p, true, 1);
	ck_assert(it && it->len == FR_LEN_ARG_PTR && it->len_arg == 2 &&
		  (p.flags & FR_PLAN_LENPTR));

	p = plan_of("execve");
	ck_assert(p.flags & FR_PLAN_EXEC);
	ck_assert(item(&p, false, 0)->op == FR_OP_STR && item(&p, false, 1)->op == FR_OP_STRV);

	p = plan_of("exit_group");
	ck_assert(p.flags & FR_PLAN_NORETURN);

	p = plan_of("getrandom");
	it = item(&p, true, 0);
	ck_assert(it && it->len == FR_LEN_RET);

	p = plan_of("wait4");
	ck_assert(item(&p, true, 1) && item(&p, true, 1)->size == 4);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_kind, 0, sizeof(kinds) / sizeof(kinds[0]));
	tcase_add_test(tc, test_unknown_and_flags);
	tcase_add_test(tc, test_every_row);
	tcase_add_test(tc, test_spot_rows);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
