/* SPDX-License-Identifier: MIT */
/*
 * elfnote.h: the GNU build-id of an ELF file, to tell whether the file on
 * this machine is the one the recording ran (process table and stored
 * files are keyed by build-id).
 */
#ifndef FR_REPLAY_ELFNOTE_H
#define FR_REPLAY_ELFNOTE_H

#include <stddef.h>

/*
 * Read the NT_GNU_BUILD_ID note of the 64-bit little-endian ELF file at
 * `path` into `hex` (lowercase hex, NUL-terminated; cap >= 2 * 20 + 1 for a
 * SHA-1 id).  Returns 0, -ENOEXEC when the file is not such an ELF file,
 * -ENOENT when it has no build-id, -ENOSPC when hex is too small, or
 * -errno from opening/reading.  The file is untrusted: every offset is
 * checked.
 */
int rp_elf_build_id(const char *path, char *hex, size_t cap);

#endif /* FR_REPLAY_ELFNOTE_H */
