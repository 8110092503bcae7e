/* SPDX-License-Identifier: MIT */
/*
 * commands.h: the subcommands of the `flightrec` front command.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand's name) and returns the process exit status: 0 success, 1 failure,
 * 2 usage error (FR_EXIT_*).  Errors go to stderr as
 * "flightrec: <what failed>: <why>"; stdout carries only the command's output.
 */
#ifndef FR_CLI_COMMANDS_H
#define FR_CLI_COMMANDS_H

#define FR_EXIT_OK 0
#define FR_EXIT_FAIL 1
#define FR_EXIT_USAGE 2
#define FR_EXIT_DIVERGED 3 /* replay: the program left the recording */

int cmd_record(int argc, char **argv);  /* capture/ */
int cmd_capture(int argc, char **argv); /* capture/ */
int cmd_trigger(int argc, char **argv); /* cli/ (client of capture's socket) */
int cmd_inspect(int argc, char **argv); /* cli/ */
int cmd_events(int argc, char **argv);  /* cli/ */
int cmd_analyze(int argc, char **argv); /* analyze/ */
int cmd_export(int argc, char **argv);  /* cli/ (exporters in formats/) */
int cmd_replay(int argc, char **argv);  /* replay/ */

#endif
