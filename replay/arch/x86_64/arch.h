/* SPDX-License-Identifier: MIT */
/*
 * arch.h: what the replay engine needs to know about x86-64.
 *
 * Register access for system calls (number, arguments, return value,
 * instruction pointer), the syscall instruction (rewinding a thread onto
 * it to re-issue a call), the time-stamp-counter instructions that
 * PR_SET_TSC turns into SIGSEGV, and the seccomp filter that makes every
 * system call of the tracee stop in the tracer.
 *
 * Only replay/ includes this; nothing here needs libbpf.
 */
#ifndef FR_REPLAY_ARCH_H
#define FR_REPLAY_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

/* The registers of a stopped thread, as PTRACE_GETREGS returns them. */
struct rp_regs {
	struct user_regs_struct r;
};

/* The syscall instruction ("syscall", 0f 05) is this long: a thread stopped
 * at a syscall stop has its instruction pointer just after it. */
#define RP_SYSCALL_INSN_LEN 2

/* AUDIT_ARCH value of the native system call ABI. */
#define RP_AUDIT_ARCH_NATIVE 0xc000003eu /* AUDIT_ARCH_X86_64 */

/* Read / write all general registers of stopped thread `tid`.
 * Return 0 or -errno. */
int rp_regs_get(pid_t tid, struct rp_regs *regs);
int rp_regs_set(pid_t tid, const struct rp_regs *regs);

/* Write one register of a stopped thread with PTRACE_POKEUSER: cheaper than
 * a get/set pair when only the return value and the call number change. */
int rp_regs_poke_ret(pid_t tid, uint64_t value);
int rp_regs_poke_nr(pid_t tid, uint64_t value);

/* Register accessors.  Argument i is 0..5 (rdi, rsi, rdx, r10, r8, r9). */
uint64_t rp_regs_nr(const struct rp_regs *regs);
void rp_regs_set_nr(struct rp_regs *regs, uint64_t nr);
uint64_t rp_regs_arg(const struct rp_regs *regs, unsigned i);
void rp_regs_set_arg(struct rp_regs *regs, unsigned i, uint64_t v);
uint64_t rp_regs_ret(const struct rp_regs *regs);
void rp_regs_set_ret(struct rp_regs *regs, uint64_t v);
uint64_t rp_regs_ip(const struct rp_regs *regs);
void rp_regs_set_ip(struct rp_regs *regs, uint64_t ip);
uint64_t rp_regs_sp(const struct rp_regs *regs);
/* The register the kernel restarts an interrupted call with: after
 * rewinding ip onto the syscall instruction, this must hold the number. */
void rp_regs_set_restart_nr(struct rp_regs *regs, uint64_t nr);

/* Is `insn` (at least RP_SYSCALL_INSN_LEN bytes) the syscall instruction? */
bool rp_arch_is_syscall_insn(const uint8_t *insn, size_t len);

/* Time-stamp counter instructions, which fault with SIGSEGV once
 * PR_SET_TSC(PR_TSC_SIGSEGV) is set. */
enum rp_tsc_insn {
	RP_TSC_NONE = 0,
	RP_TSC_RDTSC,  /* 0f 31: edx:eax = TSC */
	RP_TSC_RDTSCP, /* 0f 01 f9: edx:eax = TSC, ecx = TSC_AUX */
};

/* Decode the instruction at a faulting ip: which TSC instruction it is (or
 * RP_TSC_NONE) and its length in *len.  This function cannot fail. */
enum rp_tsc_insn rp_arch_decode_tsc(const uint8_t *insn, size_t avail, unsigned *len);
/* Complete a trapped TSC instruction: load `tsc` (and TSC_AUX `aux` for
 * rdtscp) into the result registers and step over the instruction. */
void rp_arch_complete_tsc(struct rp_regs *regs, enum rp_tsc_insn kind, unsigned len, uint64_t tsc,
			  uint32_t aux);

/*
 * Install, in the calling process, a seccomp filter that makes every system
 * call stop in the tracer (SECCOMP_RET_TRACE), for every ABI.  Used by the
 * replayed child between fork and exec, after the tracer has seized it.
 * Sets no_new_privs only when the caller lacks CAP_SYS_ADMIN (the kernel
 * requires one of the two).  Returns 0 or -errno.  Async-signal-safe.
 */
int rp_arch_install_trace_filter(void);

#endif /* FR_REPLAY_ARCH_H */
