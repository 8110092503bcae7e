// SPDX-License-Identifier: MIT
/*
 * rp_raw_procs: a child process and a signal handler, without libc, for
 * replay unit tests.
 *
 * The parent installs a SIGUSR1 handler (rt_sigaction with its own
 * restorer), sends itself SIGUSR1 (getpid, kill); the handler writes
 * "handler\n".  Then it forks: the child writes "child\n" and exits 5; the
 * parent waits for it (wait4) and writes "child status 5\n", exits 0.
 * System calls: rt_sigaction, getpid, kill, [handler: write,
 * rt_sigreturn], fork, [child: write, exit_group], wait4, write,
 * exit_group.
 */
#include "rp_raw.h"

#define SYS_rt_sigaction 13
#define SYS_rt_sigreturn 15
#define SYS_kill 62
#define SIGUSR1 10
#define SA_RESTORER 0x04000000

struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

void raw_restorer(void);
__asm__(".globl raw_restorer\n"
	"raw_restorer:\n"
	"	mov $15, %eax\n"
	"	syscall\n"
	"	hlt\n");

static void handler(int sig)
{
	(void)sig;
	raw_puts(1, "handler\n");
}

int raw_main(int argc, char **argv, char **envp)
{
	struct k_sigaction sa = { handler, SA_RESTORER, raw_restorer, 0 };
	long pid, child;
	int status = 0;
	char line[32] = "child status X\n";

	(void)argc;
	(void)argv;
	(void)envp;
	if (raw_syscall6(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 8, 0, 0) < 0)
		return 1;
	pid = raw_syscall3(SYS_getpid, 0, 0, 0);
	raw_syscall3(SYS_kill, pid, SIGUSR1, 0);
	child = raw_syscall3(SYS_fork, 0, 0, 0);
	if (child == 0) {
		raw_puts(1, "child\n");
		raw_exit(5);
	}
	if (child < 0)
		return 1;
	raw_syscall6(SYS_wait4, child, (long)&status, 0, 0, 0, 0);
	line[13] = (char)('0' + ((status >> 8) & 0xff) % 10);
	raw_puts(1, line);
	return 0;
}
