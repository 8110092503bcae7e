// SPDX-License-Identifier: MIT
/* arch.c: x86-64 register access, TSC instruction decoding and the
 * seccomp trace filter for the replay engine (see arch.h). */
#include "replay/arch/x86_64/arch.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

int rp_regs_get(pid_t tid, struct rp_regs *regs)
{
	if (ptrace(PTRACE_GETREGS, tid, NULL, &regs->r) < 0)
		return -errno;
	return 0;
}

int rp_regs_set(pid_t tid, const struct rp_regs *regs)
{
	if (ptrace(PTRACE_SETREGS, tid, NULL, &regs->r) < 0)
		return -errno;
	return 0;
}

int rp_regs_poke_ret(pid_t tid, uint64_t value)
{
	if (ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user_regs_struct, rax),
		   (void *)value) < 0)
		return -errno;
	return 0;
}

int rp_regs_poke_nr(pid_t tid, uint64_t value)
{
	if (ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user_regs_struct, orig_rax),
		   (void *)value) < 0)
		return -errno;
	return 0;
}

uint64_t rp_regs_nr(const struct rp_regs *regs)
{
	return regs->r.orig_rax;
}
void rp_regs_set_nr(struct rp_regs *regs, uint64_t nr)
{
	regs->r.orig_rax = nr;
}
uint64_t rp_regs_ret(const struct rp_regs *regs)
{
	return regs->r.rax;
}
void rp_regs_set_ret(struct rp_regs *regs, uint64_t v)
{
	regs->r.rax = v;
}
uint64_t rp_regs_ip(const struct rp_regs *regs)
{
	return regs->r.rip;
}
void rp_regs_set_ip(struct rp_regs *regs, uint64_t ip)
{
	regs->r.rip = ip;
}
uint64_t rp_regs_sp(const struct rp_regs *regs)
{
	return regs->r.rsp;
}
void rp_regs_set_restart_nr(struct rp_regs *regs, uint64_t nr)
{
	regs->r.rax = nr;
}

uint64_t rp_regs_arg(const struct rp_regs *regs, unsigned i)
{
	switch (i) {
	case 0:
		return regs->r.rdi;
	case 1:
		return regs->r.rsi;
	case 2:
		return regs->r.rdx;
	case 3:
		return regs->r.r10;
	case 4:
		return regs->r.r8;
	case 5:
		return regs->r.r9;
	default:
		return 0;
	}
}

void rp_regs_set_arg(struct rp_regs *regs, unsigned i, uint64_t v)
{
	switch (i) {
	case 0:
		regs->r.rdi = v;
		break;
	case 1:
		regs->r.rsi = v;
		break;
	case 2:
		regs->r.rdx = v;
		break;
	case 3:
		regs->r.r10 = v;
		break;
	case 4:
		regs->r.r8 = v;
		break;
	case 5:
		regs->r.r9 = v;
		break;
	default:
		break;
	}
}

bool rp_arch_is_syscall_insn(const uint8_t *insn, size_t len)
{
	return len >= 2 && insn[0] == 0x0f && insn[1] == 0x05;
}

enum rp_tsc_insn rp_arch_decode_tsc(const uint8_t *insn, size_t avail, unsigned *len)
{
	*len = 0;
	if (avail >= 2 && insn[0] == 0x0f && insn[1] == 0x31) {
		*len = 2;
		return RP_TSC_RDTSC;
	}
	if (avail >= 3 && insn[0] == 0x0f && insn[1] == 0x01 && insn[2] == 0xf9) {
		*len = 3;
		return RP_TSC_RDTSCP;
	}
	return RP_TSC_NONE;
}

void rp_arch_complete_tsc(struct rp_regs *regs, enum rp_tsc_insn kind, unsigned len, uint64_t tsc,
			  uint32_t aux)
{
	/* Both instructions zero the upper halves of rax and rdx. */
	regs->r.rax = tsc & 0xffffffffu;
	regs->r.rdx = tsc >> 32;
	if (kind == RP_TSC_RDTSCP)
		regs->r.rcx = aux;
	regs->r.rip += len;
}

int rp_arch_install_trace_filter(void)
{
	/* One instruction is enough: every call of every ABI (x86-64, x32,
	 * i386 through int 0x80) is reported, so the tracer sees, and refuses,
	 * the ABIs it does not replay instead of letting them run unseen. */
	struct sock_filter insns[] = {
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = {.len = 1, .filter = insns};

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno != EACCES)
		return -errno;
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
