/* SPDX-License-Identifier: MIT */
/* bundle_arg.h: the bundle file argument of the commands that read one. */
#ifndef FR_CLI_BUNDLE_ARG_H
#define FR_CLI_BUNDLE_ARG_H

#include "formats/bundle.h"

/*
 * Open the one bundle file left in argv[optind..argc) after the options of
 * command `cmd` ("events").  Returns FR_EXIT_OK with *path (pointing into
 * argv) and *r set (the caller frees it with fr_reader__free); otherwise the
 * exit status, FR_EXIT_USAGE when there is not exactly one argument or
 * FR_EXIT_FAIL when the bundle cannot be opened, after telling the user why.
 */
int cli_open_bundle_arg(const char *cmd, int argc, char **argv, const char **path,
			struct fr_reader **r);

#endif
