// SPDX-License-Identifier: MIT
/* Placeholder until the 'capture' subcommand lands. */
#include "cli/commands.h"
#include "formats/util.h"

int cmd_capture(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fr_error("capture: not implemented yet");
	return FR_EXIT_FAIL;
}
