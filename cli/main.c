// SPDX-License-Identifier: MIT
/* main.c: the `flightrec` front command, git-style subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "formats/util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "record", cmd_record, "run a command and record it and its descendants into a bundle" },
	{ "capture", cmd_capture, "the always-on flight recorder: write a bundle when a trigger fires" },
	{ "trigger", cmd_trigger, "ask a running 'flightrec capture' to write a bundle now" },
	{ "inspect", cmd_inspect, "summarise a bundle: host, window, counts, losses, processes, members" },
	{ "events", cmd_events, "print a bundle's events, one per line" },
	{ "analyze", cmd_analyze, "find incidents and their root causes; text, JSON, DOT, SVG, HTML" },
	{ "export", cmd_export, "convert a bundle for Perfetto or Wireshark" },
	{ "replay", cmd_replay, "re-execute a recorded process deterministically, with injection" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: flightrec <command> [options] [args]\n\n"
		   "A kernel-level flight recorder: record what the kernel saw, explain\n"
		   "what went wrong, replay it.\n\ncommands:\n");
	for (i = 0; i < FR_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'flightrec <command> --help' describes a command's options.\n"
		   "flightrec --version prints the version.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return FR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return FR_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("flightrec %s\n", FR_VERSION);
		return FR_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return FR_EXIT_OK;
		}
		for (i = 0; i < FR_ARRAY_SIZE(commands); i++)
			if (!strcmp(argv[2], commands[i].name)) {
				char *hargv[] = { argv[2], "--help", NULL };
				return commands[i].fn(2, hargv);
			}
		fr_error("help: unknown command '%s' (see 'flightrec --help')", argv[2]);
		return FR_EXIT_USAGE;
	}
	for (i = 0; i < FR_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fr_error("'%s' is not a flightrec command (see 'flightrec --help')", argv[1]);
	return FR_EXIT_USAGE;
}
