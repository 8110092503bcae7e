// SPDX-License-Identifier: MIT
/*
 * vdso.c: turn the time entry points of a tracee's vDSO into system calls
 * (see vdso.h).
 *
 * The vDSO is a small ELF shared object the kernel maps into every process
 * ("[vdso]" in /proc/PID/maps).  We read it from /proc/PID/mem, find its
 * dynamic symbols, and overwrite each time function with
 *
 *     b8 NN NN NN NN    mov  $NR, %eax
 *     0f 05             syscall
 *     c3                ret
 *
 * exactly 8 bytes, written with one PTRACE_POKEDATA (which breaks the
 * sharing of the page for this process only, like a debugger's breakpoint).
 * The arguments are already in rdi/rsi as the syscall ABI wants them, and
 * rcx/r11, which `syscall` clobbers, are caller-saved in the C ABI.
 *
 * __vdso_getrandom (Linux 6.11+) is different: its caller first asks it for
 * parameters (opaque state) and relies on the answer; a plain getrandom
 * syscall would answer wrongly.  It is made to fail with -ENOSYS instead
 * (48 c7 c0 da ff ff ff  mov $-38, %rax; c3 ret), which makes the C library
 * fall back to the getrandom system call, which is recorded.
 *
 * The image is hostile input in principle (another process's memory): every
 * offset is checked against its size.
 */
#include "replay/arch/x86_64/vdso.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#define FR_VDSO_MAX_ENTRIES 16
#define VDSO_MAX (64u << 10) /* vDSO images are 8 KiB on x86-64; be generous */

struct entry {
	const char *name;
	int nr; /* -1: the -ENOSYS stub */
};

static const struct entry entries[] = {
    {"__vdso_clock_gettime", 228}, {"clock_gettime", 228},   {"__vdso_gettimeofday", 96},
    {"gettimeofday", 96},	   {"__vdso_time", 201},     {"time", 201},
    {"__vdso_getcpu", 309},	   {"getcpu", 309},	     {"__vdso_clock_getres", 229},
    {"clock_getres", 229},	   {"__vdso_getrandom", -1}, {"getrandom", -1},
};

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Address range of [vdso] in /proc/PID/maps; 0 when there is none. */
static int find_vdso(pid_t pid, uint64_t *start, uint64_t *end)
{
	char path[64], line[512];
	FILE *f;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno; /* ENOENT means: no [vdso] */
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "[vdso]"))
			continue;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64, start, end) == 2 && *end > *start)
			rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

static int write_stub(pid_t pid, uint64_t addr, int nr)
{
	uint8_t code[8];
	long word;

	if (nr >= 0) {
		code[0] = 0xb8;
		code[1] = (uint8_t)nr;
		code[2] = (uint8_t)(nr >> 8);
		code[3] = 0;
		code[4] = 0;
		code[5] = 0x0f;
		code[6] = 0x05;
		code[7] = 0xc3;
	} else {
		static const uint8_t enosys[8] = {0x48, 0xc7, 0xc0, 0xda, 0xff, 0xff, 0xff, 0xc3};

		memcpy(code, enosys, sizeof(code));
	}
	memcpy(&word, code, sizeof(word));
	if (ptrace(PTRACE_POKEDATA, pid, (void *)addr, (void *)word) < 0)
		return -errno;
	return 0;
}

int fr_vdso_patch(pid_t pid, char *err, size_t errlen)
{
	uint64_t start, end, size, load_vaddr = UINT64_MAX, done[FR_VDSO_MAX_ENTRIES];
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh, *dynsym = NULL, *dynstr = NULL;
	uint8_t *img = NULL;
	char path[64];
	int fd = -1, rc, patched = 0;
	unsigned ndone = 0;
	size_t i, j, nsyms;
	ssize_t got;

	rc = find_vdso(pid, &start, &end);
	if (rc == -ENOENT)
		return 0; /* no vDSO (vdso=0 on the kernel command line): nothing to do */
	if (rc)
		return fail(err, errlen, rc, "reading /proc/%d/maps: %s", (int)pid, strerror(-rc));
	size = end - start;
	if (size < sizeof(Elf64_Ehdr) || size > VDSO_MAX)
		return fail(err, errlen, -EINVAL,
			    "vDSO of process %d has an odd size (%" PRIu64 ")", (int)pid, size);
	img = malloc(size);
	if (!img)
		return fail(err, errlen, -ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = fail(err, errlen, -errno, "opening %s: %s", path, strerror(errno));
		goto out;
	}
	got = pread(fd, img, size, (off_t)start);
	if (got != (ssize_t)size) {
		rc =
		    fail(err, errlen, got < 0 ? -errno : -EIO, "reading the vDSO of process %d: %s",
			 (int)pid, got < 0 ? strerror(errno) : "short read");
		goto out;
	}

	eh = (const Elf64_Ehdr *)img;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_machine != EM_X86_64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > size || eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
	    eh->e_phnum > (size - eh->e_phoff) / sizeof(Elf64_Phdr)) {
		rc = fail(err, errlen, -EINVAL, "the vDSO of process %d is not an x86-64 ELF image",
			  (int)pid);
		goto out;
	}
	/* symbol values are relative to the first PT_LOAD's vaddr (0 nowadays) */
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && ph->p_vaddr < load_vaddr)
			load_vaddr = ph->p_vaddr - ph->p_offset;
	}
	if (load_vaddr == UINT64_MAX)
		load_vaddr = 0;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_DYNSYM) {
			dynsym = &sh[i];
			if (sh[i].sh_link < eh->e_shnum)
				dynstr = &sh[sh[i].sh_link];
			break;
		}
	if (!dynsym || !dynstr || dynsym->sh_offset > size ||
	    dynsym->sh_size > size - dynsym->sh_offset || dynstr->sh_offset > size ||
	    dynstr->sh_size > size - dynstr->sh_offset || dynsym->sh_entsize != sizeof(Elf64_Sym)) {
		rc = fail(err, errlen, -EINVAL, "the vDSO of process %d has no usable symbol table",
			  (int)pid);
		goto out;
	}
	nsyms = dynsym->sh_size / sizeof(Elf64_Sym);
	for (i = 0; i < nsyms; i++) {
		const Elf64_Sym *s = (const Elf64_Sym *)(img + dynsym->sh_offset) + i;
		const char *name;
		uint64_t off, addr;
		size_t maxlen;

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    s->st_name >= dynstr->sh_size)
			continue;
		name = (const char *)img + dynstr->sh_offset + s->st_name;
		maxlen = dynstr->sh_size - s->st_name;
		if (!memchr(name, '\0', maxlen))
			continue;
		for (j = 0; j < sizeof(entries) / sizeof(entries[0]); j++)
			if (!strcmp(name, entries[j].name))
				break;
		if (j == sizeof(entries) / sizeof(entries[0]))
			continue;
		if (s->st_value < load_vaddr)
			continue;
		off = s->st_value - load_vaddr;
		if (off > size - 8 || (s->st_size && s->st_size < 8))
			continue; /* would not fit: leave it alone */
		addr = start + off;
		/* aliases (time and __vdso_time) share an address: patch once */
		for (j = 0; j < ndone; j++)
			if (done[j] == addr)
				break;
		if (j < ndone)
			continue;
		for (j = 0; j < sizeof(entries) / sizeof(entries[0]); j++)
			if (!strcmp(name, entries[j].name))
				break;
		rc = write_stub(pid, addr, entries[j].nr);
		if (rc) {
			rc = fail(err, errlen, rc, "patching %s in the vDSO of process %d: %s",
				  name, (int)pid, strerror(-rc));
			goto out;
		}
		if (ndone < FR_VDSO_MAX_ENTRIES)
			done[ndone++] = addr;
		patched++;
	}
	rc = patched;
out:
	if (fd >= 0)
		close(fd);
	free(img);
	return rc;
}
