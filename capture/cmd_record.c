// SPDX-License-Identifier: MIT
/* Placeholder until the 'record' subcommand lands. */
#include "cli/commands.h"
#include "formats/util.h"

int cmd_record(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fr_error("record: not implemented yet");
	return FR_EXIT_FAIL;
}
