/* SPDX-License-Identifier: MIT */
/*
 * rp_raw.h: the whole runtime of the replay test programs built without
 * libc (tests/progs/rp_raw_*.c, -nostdlib -static).  Their system calls are
 * exactly the ones their source makes, so a unit test can write their
 * recording by hand, strace-style, and replay it.
 *
 * A program defines `int raw_main(int argc, char **argv, char **envp)`.
 */
#ifndef RP_RAW_H
#define RP_RAW_H

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uint64_t;
typedef unsigned int uint32_t;

#define SYS_read 0
#define SYS_write 1
#define SYS_close 3
#define SYS_mmap 9
#define SYS_munmap 11
#define SYS_getpid 39
#define SYS_clone 56
#define SYS_fork 57
#define SYS_exit 60
#define SYS_wait4 61
#define SYS_uname 63
#define SYS_gettimeofday 96
#define SYS_gettid 186
#define SYS_futex 202
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define SYS_openat 257
#define SYS_getrandom 318

#define AT_FDCWD -100
#define O_RDONLY 0

static inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define raw_syscall3(nr, a, b, c) raw_syscall6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

static inline uint64_t raw_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* gcc may emit calls to these for struct copies and initialisers. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n)
{
	char *dd = d;
	const char *ss = s;

	while (n--)
		*dd++ = *ss++;
	return d;
}
void *memset(void *d, int c, size_t n)
{
	char *dd = d;

	while (n--)
		*dd++ = (char)c;
	return d;
}

static inline size_t raw_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static inline void raw_puts(int fd, const char *s)
{
	raw_syscall3(SYS_write, fd, s, raw_strlen(s));
}

/* Decimal, into buf (at least 21 bytes); returns the length. */
static inline size_t raw_utoa(uint64_t v, char *buf)
{
	char tmp[21];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return n;
}

__attribute__((noreturn)) static inline void raw_exit(int code)
{
	for (;;)
		raw_syscall3(SYS_exit_group, code, 0, 0);
}

/*
 * clone(2) a thread running fn(arg) on `stack_top`; it exits with fn's
 * return value.  Returns the new tid (or -errno) in the parent.
 */
long raw_clone(unsigned long flags, void *stack_top, int *ptid, int *ctid,
	       int (*fn)(void *), void *arg);
__asm__(".globl raw_clone\n"
	"raw_clone:\n"
	/* rdi flags, rsi stack, rdx ptid, rcx ctid, r8 fn, r9 arg */
	"	and $-16, %rsi\n"
	"	sub $16, %rsi\n"
	"	mov %r8, 0(%rsi)\n"
	"	mov %r9, 8(%rsi)\n"
	"	mov %rcx, %r10\n"
	"	xor %r8, %r8\n"
	"	mov $56, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	/* the child, on its new stack */
	"	xor %rbp, %rbp\n"
	"	pop %rax\n"
	"	pop %rdi\n"
	"	call *%rax\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n");

int raw_main(int argc, char **argv, char **envp);

__attribute__((used, noreturn)) void raw_start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	raw_exit(raw_main(argc, argv, argv + argc + 1));
}

__asm__(".globl _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call raw_start_c\n"
	"	hlt\n");

#endif /* RP_RAW_H */
