// SPDX-License-Identifier: MIT
/* syscall_table.c: the x86-64 system call table (see formats/syscalls.h).
 * Seed rows; the full table replaces this. */
#include <string.h>

#include "formats/syscalls.h"
#include "formats/util.h"

#define A(k, l, s, f) { k, l, s, f, 0 }
static const struct fr_syscall_desc table[] = {
	{ "read", 0, 3, FR_R_SIZE, FR_RP_EMULATE, FR_WAIT_IO, 0, FR_SCC_DESC | FR_SCC_READ,
	  { A(FR_A_FD, 0, 0, 0), A(FR_A_BUF_OUT, 2, 0, 0), A(FR_A_UINT, 0, 0, 0) } },
	{ "write", 1, 3, FR_R_SIZE, FR_RP_CHECK, FR_WAIT_IO, 0, FR_SCC_DESC | FR_SCC_WRITE,
	  { A(FR_A_FD, 0, 0, 0), A(FR_A_BUF_IN, 2, 0, 0), A(FR_A_UINT, 0, 0, 0) } },
};

static const struct fr_syscall_desc *by_nr[FR_NR_SYSCALLS];
static int ready;

static void init(void)
{
	size_t i;

	if (ready)
		return;
	for (i = 0; i < FR_ARRAY_SIZE(table); i++)
		by_nr[table[i].nr] = &table[i];
	ready = 1;
}

const struct fr_syscall_desc *fr_syscall(unsigned nr)
{
	init();
	return nr < FR_NR_SYSCALLS ? by_nr[nr] : NULL;
}

const struct fr_syscall_desc *fr_syscall_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(table); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

const char *fr_syscall_name(unsigned nr)
{
	const struct fr_syscall_desc *d = fr_syscall(nr);

	return d ? d->name : NULL;
}

uint32_t fr_syscall_class_by_name(const char *name)
{
	(void)name;
	return 0;
}
