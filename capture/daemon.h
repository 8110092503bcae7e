/* SPDX-License-Identifier: MIT */
/*
 * daemon.h: `flightrec capture`, the always-on flight recorder.
 *
 * Three threads:
 *   - the drain thread polls the eBPF engine (capture/engine.h), puts the
 *     records through the reorder window (capture/reorder.h), masks secrets
 *     (capture/redact.h), learns the process table from the events,
 *     evaluates the --trigger-on rules (capture/rules.h) and appends the
 *     events to the in-memory ring (capture/ring.h).  It never waits for
 *     a bundle to be written.
 *   - the writer thread waits for an accepted trigger, then copies the
 *     ring's chunks of the window [trigger - pre, trigger + post] into a
 *     bundle as they are sealed, adds the process table (/proc snapshots
 *     taken at the trigger), finishes it atomically and applies retention.
 *   - the main thread waits for signals (SIGUSR1 triggers; SIGTERM, SIGINT
 *     stop) and for clients of the trigger socket (capture/trigger.h).
 *   - with --webhook, libmicrohttpd's thread serves Alertmanager's
 *     notifications (capture/webhook.h) and asks for bundles like the
 *     socket does.
 *
 * One bundle at a time; triggers within --cooldown of the last accepted one,
 * or while a bundle is in progress, are suppressed (counted, logged, listed
 * in the next bundle's manifest).  A socket client whose trigger falls in
 * the window of the bundle in progress joins it.
 */
#ifndef FR_CAPTURE_DAEMON_H
#define FR_CAPTURE_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/redact.h"
#include "capture/rules.h"

struct fr_daemon_opts {
	const char *out_dir;
	uint64_t ring_bytes;     /* --ring */
	uint64_t kernel_bytes;   /* --kernel-buffer */
	uint64_t pre_ns, post_ns, cooldown_ns;
	uint64_t max_bundles, max_disk;
	uint32_t snaplen;
	const char *socket_path; /* NULL: no socket */
	/* filters (none: system-wide) */
	const uint32_t *pids;
	size_t n_pids;
	const char *const *comms;
	size_t n_comms;
	const uint64_t *cgroups;
	const char *const *cgroup_paths;
	size_t n_cgroups;
	struct fr_rule *rules; /* owned by the caller, state updated */
	size_t n_rules;
	struct fr_redact *redact; /* may be NULL */
	bool verbose;
	/* --webhook ADDR:PORT (capture/webhook.h), NULL: none; its bearer token
	 * file, NULL: none */
	const char *webhook_addr;
	const char *webhook_token_file;
};

/* Run until SIGTERM or SIGINT.  Returns the exit status (FR_EXIT_*); errors
 * are reported on stderr. */
int fr_daemon__run(const struct fr_daemon_opts *o);

#endif
