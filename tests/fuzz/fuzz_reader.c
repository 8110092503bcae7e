// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the bundle reader on arbitrary bytes.  Opens the input as
 * a bundle, verifies every member, streams every event (with and without a
 * filter) and looks up every process: none of it may crash, hang, leak or
 * allocate without bound.  `make fuzz` runs it for FUZZ_TIME seconds seeded
 * with tests/fixtures.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "formats/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct fr_reader *r = NULL;
	const struct fr_event *ev;
	struct fr_filter f = { 0 };
	char path[64], err[512];
	size_t i, n = 0;

	if (fd < 0)
		fd = memfd_create("fuzz.frb", 0);
	if (fd < 0 || ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fr_reader__open(path, &r, err, sizeof(err)) < 0)
		return 0;
	fr_reader__verify(r);
	while (fr_reader__next(r, &ev) > 0 && n++ < 10000000)
		;
	f.tids[f.n_tids++] = 101;
	f.type_mask = 1ULL << FR_EV_SYSCALL;
	fr_reader__set_filter(r, &f);
	while (fr_reader__next(r, &ev) > 0)
		;
	for (i = 0; i < fr_reader__nprocesses(r); i++)
		fr_reader__find_process(r, fr_reader__process(r, i)->pid);
	fr_reader__free(r);
	return 0;
}
