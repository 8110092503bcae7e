// SPDX-License-Identifier: MIT
/* Placeholder until the 'trigger' subcommand lands. */
#include "cli/commands.h"
#include "formats/util.h"

int cmd_trigger(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fr_error("trigger: not implemented yet");
	return FR_EXIT_FAIL;
}
