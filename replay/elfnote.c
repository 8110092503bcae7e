// SPDX-License-Identifier: MIT
/* elfnote.c: read an ELF file's GNU build-id (see elfnote.h). */
#include "replay/elfnote.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PHDRS 256
#define MAX_NOTES_LEN (1u << 16)

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -ENOEXEC;
}

/* Search one PT_NOTE segment's bytes for the GNU build-id. */
static int find_in_notes(const uint8_t *p, size_t len, char *hex, size_t cap)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr nh;
		size_t name_sz, desc_sz, desc_off, i;

		memcpy(&nh, p + off, sizeof(nh));
		name_sz = (nh.n_namesz + 3u) & ~3u;
		desc_sz = (nh.n_descsz + 3u) & ~3u;
		desc_off = off + sizeof(nh) + name_sz;
		if (name_sz > len || desc_sz > len || desc_off > len || desc_sz > len - desc_off)
			return -ENOEXEC;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp(p + off + sizeof(nh), "GNU", 4)) {
			if (!nh.n_descsz)
				return -ENOENT;
			if (cap < (size_t)nh.n_descsz * 2 + 1)
				return -ENOSPC;
			for (i = 0; i < nh.n_descsz; i++) {
				static const char digits[] = "0123456789abcdef";

				hex[2 * i] = digits[p[desc_off + i] >> 4];
				hex[2 * i + 1] = digits[p[desc_off + i] & 15];
			}
			hex[2 * i] = 0;
			return 0;
		}
		off = desc_off + desc_sz;
	}
	return -ENOENT;
}

int rp_elf_build_id(const char *path, char *hex, size_t cap)
{
	Elf64_Ehdr eh;
	struct stat stb;
	int fd, rc = -ENOENT;
	unsigned i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &stb) < 0) {
		rc = -errno;
		goto out;
	}
	rc = read_at(fd, &eh, sizeof(eh), 0);
	if (rc)
		goto out;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phnum > MAX_PHDRS || eh.e_phoff > (uint64_t)stb.st_size) {
		rc = -ENOEXEC;
		goto out;
	}
	rc = -ENOENT;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint8_t *notes;
		int r;

		r = read_at(fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph));
		if (r) {
			rc = r;
			break;
		}
		if (ph.p_type != PT_NOTE || !ph.p_filesz || ph.p_filesz > MAX_NOTES_LEN ||
		    ph.p_offset > (uint64_t)stb.st_size ||
		    ph.p_filesz > (uint64_t)stb.st_size - ph.p_offset)
			continue;
		notes = malloc(ph.p_filesz);
		if (!notes) {
			rc = -ENOMEM;
			break;
		}
		r = read_at(fd, notes, ph.p_filesz, ph.p_offset);
		if (!r)
			r = find_in_notes(notes, ph.p_filesz, hex, cap);
		free(notes);
		if (r != -ENOENT) {
			rc = r;
			break;
		}
	}
out:
	close(fd);
	return rc;
}
