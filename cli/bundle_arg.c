// SPDX-License-Identifier: MIT
/* bundle_arg.c: the bundle file argument of the commands that read one. */
#include <getopt.h>

#include "cli/bundle_arg.h"
#include "cli/commands.h"
#include "formats/util.h"

int cli_open_bundle_arg(const char *cmd, int argc, char **argv, const char **path,
			struct fr_reader **r)
{
	char err[600];

	if (optind != argc - 1) {
		fr_error("%s: expected one bundle file (see 'flightrec %s --help')", cmd, cmd);
		return FR_EXIT_USAGE;
	}
	*path = argv[optind];
	if (fr_reader__open(*path, r, err, sizeof(err)) < 0) {
		fr_error("%s: %s", *path, err);
		return FR_EXIT_FAIL;
	}
	return FR_EXIT_OK;
}
