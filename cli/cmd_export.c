// SPDX-License-Identifier: MIT
/* Placeholder until the 'export' subcommand lands. */
#include "cli/commands.h"
#include "formats/util.h"

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fr_error("export: not implemented yet");
	return FR_EXIT_FAIL;
}
