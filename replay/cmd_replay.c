// SPDX-License-Identifier: MIT
/* Placeholder until the 'replay' subcommand lands. */
#include "cli/commands.h"
#include "formats/util.h"

int cmd_replay(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fr_error("replay: not implemented yet");
	return FR_EXIT_FAIL;
}
