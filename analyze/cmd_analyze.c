// SPDX-License-Identifier: MIT
/* Placeholder until the 'analyze' subcommand lands. */
#include "cli/commands.h"
#include "formats/util.h"

int cmd_analyze(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fr_error("analyze: not implemented yet");
	return FR_EXIT_FAIL;
}
