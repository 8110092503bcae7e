/* SPDX-License-Identifier: MIT */
/*
 * procfs.h: a process as /proc shows it, into the bundle's process table
 * (struct fr_process of formats/bundle.h).
 *
 * `flightrec record` snapshots each recorded process when it is stopped at
 * its exec (and at its first stop after a fork, and its maps again at its
 * exit); the always-on recorder snapshots the processes alive at the start
 * of a window.  Both go through fr_procfs__snapshot.
 *
 * Build-ids (the ELF .note.gnu.build-id of each mapped file) identify
 * executables and libraries across machines; reading them means opening the
 * file, so they are cached by device and inode.
 */
#ifndef FR_CAPTURE_PROCFS_H
#define FR_CAPTURE_PROCFS_H

#include <stdint.h>
#include <sys/types.h>

#include "formats/bundle.h"

/* What to read (fr_procfs__snapshot `what`). */
#define FR_SNAP_IDENTITY 0x1 /* comm, exe, argv, env, cwd, ppid, uids, cgroup, ns, rlimits */
#define FR_SNAP_MAPS 0x2     /* memory maps, with build-ids */
#define FR_SNAP_FDS 0x4	     /* open descriptors: path, type, position, socket addresses */
#define FR_SNAP_THREADS 0x8  /* thread ids and names */
#define FR_SNAP_ALL 0xf

struct fr_buildid_cache;

int fr_buildid_cache__new(struct fr_buildid_cache **out);
void fr_buildid_cache__free(struct fr_buildid_cache *c);

/*
 * Build-id of an ELF file, as lowercase hex: opened at `path` (for a mapping,
 * /proc/PID/map_files/START-END reaches the very file mapped even when it was
 * replaced since), cached under (dev, ino) when ino is not 0.  Returns a
 * string owned by the cache, or NULL (not ELF, no build-id note, unreadable).
 */
const char *fr_buildid__get(struct fr_buildid_cache *c, const char *path, uint64_t dev,
			    uint64_t ino);

/*
 * Fill `p` (cleared first) with what /proc/PID tells, for the parts in `what`.
 * `bc` may be NULL (no build-ids).  Returns 0; -ESRCH when the process is
 * gone; -ENOMEM.  Parts that cannot be read (permissions, a process exiting
 * meanwhile) are left empty: a snapshot is best effort, never a failure.
 */
int fr_procfs__snapshot(pid_t pid, unsigned what, struct fr_buildid_cache *bc,
			struct fr_process *p);

/* Parse one line of /proc/PID/net/{tcp,tcp6,udp,udp6}: the socket inode and
 * its addresses.  Returns 0, or -EINVAL for a header or malformed line.
 * (Exposed for tests.) */
int fr_procfs__parse_inet_line(const char *line, int family, int protocol, uint64_t *ino,
			       struct fr_sock_tuple *t);

#endif
