// SPDX-License-Identifier: MIT
/* nobpf.c: record and capture in a build without the eBPF toolchain. */
#include "cli/commands.h"
#include "formats/util.h"

#ifndef FR_HAVE_BPF
static int no_bpf(const char *cmd)
{
	fr_error("%s: this flightrec was built without eBPF support "
		 "(clang, bpftool, libbpf-dev, libelf-dev or libmicrohttpd-dev missing at "
		 "build time; run 'make deps && make')", cmd);
	return FR_EXIT_FAIL;
}

int cmd_record(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_bpf("record");
}

int cmd_capture(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return no_bpf("capture");
}
#endif
