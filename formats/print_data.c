// SPDX-License-Identifier: MIT
/*
 * print_data.c: decoders for the bytes a system call passes or gets back
 * (struct stat, sockaddrs, timespecs, poll and epoll arrays, wait status,
 * siginfo, ...), as strace prints them, abbreviated.
 *
 * The bytes come from a bundle: they are hostile input of any length.  Every
 * decoder checks the length it needs and falls back to printing the bytes
 * escaped when it is short; nothing here reads past `len`.  Layouts are
 * those of the x86-64 kernel ABI, little-endian, read byte by byte so that
 * the decoders give the same answer on any host.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "formats/print.h"
#include "formats/print_impl.h"
#include "formats/syscalls.h"

/* ---- little-endian readers ---------------------------------------------------- */

uint16_t fr_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
uint32_t fr_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
uint64_t fr_rd64(const uint8_t *p)
{
	return (uint64_t)fr_rd32(p) | (uint64_t)fr_rd32(p + 4) << 32;
}
static int64_t rds64(const uint8_t *p)
{
	return (int64_t)fr_rd64(p);
}
static int32_t rds32(const uint8_t *p)
{
	return (int32_t)fr_rd32(p);
}
static uint16_t rdbe16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static uint32_t rdbe32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

unsigned fr_print_strsize(const struct fr_print_opts *o)
{
	return o && o->strsize ? o->strsize : 32;
}

void fr_print_escaped(struct fr_sb *sb, const uint8_t *data, size_t len, size_t full_len,
		      const struct fr_print_opts *o)
{
	fr_sb_escape(sb, data, len, full_len, fr_print_strsize(o));
}

/* A fixed-size C string field (utsname, sun_path): up to its first NUL. */
static void print_cstr_field(struct fr_sb *sb, const uint8_t *p, size_t max)
{
	size_t n = 0;

	while (n < max && p[n])
		n++;
	fr_sb_escape(sb, p, n, n, max);
}

/* ---- small named sets used only by the decoders -------------------------------- */

static const struct fr_name file_types[] = {
    {0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"}, {060000, "S_IFBLK"},
    {040000, "S_IFDIR"},   {020000, "S_IFCHR"},	 {010000, "S_IFIFO"},
};

void fr_print_mode(struct fr_sb *sb, uint64_t mode)
{
	uint64_t type = mode & 0170000;
	size_t i;

	for (i = 0; i < FR_ARRAY_SIZE(file_types); i++) {
		if (type && file_types[i].value == type) {
			fr_sb_printf(sb, "%s|%#03" PRIo64, file_types[i].name,
				     mode & ~UINT64_C(0170000));
			return;
		}
	}
	fr_sb_printf(sb, "%#03" PRIo64, mode);
}

static void print_dev(struct fr_sb *sb, uint64_t dev)
{
	/* userspace dev_t encoding (glibc gnu_dev_major/minor) */
	unsigned major = (unsigned)(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff));
	unsigned minor = (unsigned)(((dev >> 12) & 0xffffff00) | (dev & 0xff));

	fr_sb_printf(sb, "makedev(%#x, %#x)", major, minor);
}

static void print_timespec_at(struct fr_sb *sb, const uint8_t *p)
{
	fr_sb_printf(sb, "{tv_sec=%" PRId64 ", tv_nsec=%" PRId64 "}", rds64(p), rds64(p + 8));
}

static void print_timeval_at(struct fr_sb *sb, const uint8_t *p)
{
	fr_sb_printf(sb, "{tv_sec=%" PRId64 ", tv_usec=%" PRId64 "}", rds64(p), rds64(p + 8));
}

/* utimensat's special nanosecond values */
static void print_utime_ts(struct fr_sb *sb, const uint8_t *p)
{
	int64_t ns = rds64(p + 8);

	if (ns == (1 << 30) - 1)
		fr_sb_puts(sb, "UTIME_NOW");
	else if (ns == (1 << 30) - 2)
		fr_sb_puts(sb, "UTIME_OMIT");
	else
		print_timespec_at(sb, p);
}

void fr_print_sigset(struct fr_sb *sb, const uint8_t *p, size_t len)
{
	size_t bits = len * 8, set = 0, i;
	bool neg, first = true;

	if (bits > 64)
		bits = 64; /* signals 1..64 */
	for (i = 0; i < bits; i++)
		if (p[i / 8] & (1u << (i % 8)))
			set++;
	/* strace prints a mostly full set as the complement of the rest */
	neg = bits && set > bits / 2;
	if (neg)
		fr_sb_putc(sb, '~');
	fr_sb_putc(sb, '[');
	for (i = 0; i < bits; i++) {
		bool in = p[i / 8] & (1u << (i % 8));
		const char *n;

		if (in == neg)
			continue;
		if (!first)
			fr_sb_putc(sb, ' ');
		first = false;
		n = fr_signal_name((int)i + 1);
		if (n)
			fr_sb_puts(sb, n + 3);
		else
			fr_sb_printf(sb, "%zu", i + 1);
	}
	fr_sb_putc(sb, ']');
}

/* ---- sockaddr ------------------------------------------------------------------ */

void fr_print_sockaddr_data(struct fr_sb *sb, const uint8_t *d, size_t len, size_t full_len,
			    const struct fr_print_opts *o)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned family;
	const char *fam;

	if (len < 2) {
		fr_print_escaped(sb, d, len, full_len, o);
		return;
	}
	family = fr_rd16(d);
	fam = fr_fmt_value_name(FR_FMT_SOCK_FAMILY, family);
	fr_sb_puts(sb, "{sa_family=");
	if (fam)
		fr_sb_puts(sb, fam);
	else
		fr_sb_printf(sb, "%u", family);
	if (family == 1 /* AF_UNIX */) {
		size_t n = len - 2;

		if (n == 0) {
			/* unnamed (socketpair, an unbound client) */
		} else if (d[2] == 0) {
			/* abstract: the bytes after the NUL, all significant */
			fr_sb_puts(sb, ", sun_path=@");
			fr_sb_escape(sb, d + 3, n - 1, n - 1, 108);
		} else {
			fr_sb_puts(sb, ", sun_path=");
			print_cstr_field(sb, d + 2, n);
		}
	} else if (family == 2 /* AF_INET */ && len >= 8) {
		inet_ntop(AF_INET, d + 4, ip, sizeof(ip));
		fr_sb_printf(sb, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", rdbe16(d + 2),
			     ip);
	} else if (family == 10 /* AF_INET6 */ && len >= 24) {
		inet_ntop(AF_INET6, d + 8, ip, sizeof(ip));
		fr_sb_printf(sb,
			     ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
			     "inet_pton(AF_INET6, \"%s\", &sin6_addr)",
			     rdbe16(d + 2), rdbe32(d + 4), ip);
		if (len >= 28)
			fr_sb_printf(sb, ", sin6_scope_id=%u", fr_rd32(d + 24));
	} else if (family == 16 /* AF_NETLINK */ && len >= 12) {
		fr_sb_printf(sb, ", nl_pid=%d, nl_groups=%08x", rds32(d + 4), fr_rd32(d + 8));
	} else if (family == 17 /* AF_PACKET */ && len >= 12) {
		fr_sb_printf(sb, ", sll_protocol=htons(%u), sll_ifindex=%d", rdbe16(d + 2),
			     rds32(d + 4));
	} else if (len > 2) {
		fr_sb_puts(sb, ", sa_data=");
		fr_print_escaped(sb, d + 2, len - 2, len - 2, o);
	}
	fr_sb_putc(sb, '}');
	if (full_len > len)
		fr_sb_puts(sb, "...");
}

/* ---- struct decoders ------------------------------------------------------------- */

static void print_stat(struct fr_sb *sb, const uint8_t *d)
{
	uint32_t mode = fr_rd32(d + 24);

	fr_sb_puts(sb, "{st_mode=");
	fr_print_mode(sb, mode);
	if ((mode & 0170000) == 020000 || (mode & 0170000) == 060000) {
		fr_sb_puts(sb, ", st_rdev=");
		print_dev(sb, fr_rd64(d + 40));
	} else {
		fr_sb_printf(sb, ", st_size=%" PRId64, rds64(d + 48));
	}
	fr_sb_puts(sb, ", ...}");
}

static void print_statx(struct fr_sb *sb, const uint8_t *d)
{
	uint16_t mode = fr_rd16(d + 28);

	fr_sb_puts(sb, "{stx_mask=");
	fr_print_flags(sb, FR_FMT_STATX_MASK, fr_rd32(d));
	fr_sb_printf(sb, ", stx_attributes=%#" PRIx64 ", stx_mode=", fr_rd64(d + 8));
	fr_print_mode(sb, mode);
	if ((mode & 0170000) == 020000 || (mode & 0170000) == 060000)
		fr_sb_printf(sb, ", stx_rdev_major=%u, stx_rdev_minor=%u", fr_rd32(d + 128),
			     fr_rd32(d + 132));
	else
		fr_sb_printf(sb, ", stx_size=%" PRIu64, fr_rd64(d + 40));
	fr_sb_puts(sb, ", ...}");
}

static const struct fr_name fs_magics[] = {
    {0xef53, "EXT4_SUPER_MAGIC"},	   {0x01021994, "TMPFS_MAGIC"},
    {0x9fa0, "PROC_SUPER_MAGIC"},	   {0x62656572, "SYSFS_MAGIC"},
    {0x58465342, "XFS_SUPER_MAGIC"},	   {0x9123683e, "BTRFS_SUPER_MAGIC"},
    {0x794c7630, "OVERLAYFS_SUPER_MAGIC"}, {0x6969, "NFS_SUPER_MAGIC"},
    {0x63677270, "CGROUP2_SUPER_MAGIC"},   {0x1cd1, "DEVPTS_SUPER_MAGIC"},
    {0x858458f6, "RAMFS_MAGIC"},	   {0x4d44, "MSDOS_SUPER_MAGIC"},
    {0x65735546, "FUSE_SUPER_MAGIC"},	   {0x73717368, "SQUASHFS_MAGIC"},
};

static void print_statfs(struct fr_sb *sb, const uint8_t *d)
{
	uint64_t type = fr_rd64(d);
	size_t i;

	fr_sb_puts(sb, "{f_type=");
	for (i = 0; i < FR_ARRAY_SIZE(fs_magics); i++)
		if (fs_magics[i].value == type)
			break;
	if (i < FR_ARRAY_SIZE(fs_magics))
		fr_sb_puts(sb, fs_magics[i].name);
	else
		fr_sb_printf(sb, "%#" PRIx64, type);
	fr_sb_printf(sb,
		     ", f_bsize=%" PRId64 ", f_blocks=%" PRIu64 ", f_bfree=%" PRIu64
		     ", f_bavail=%" PRIu64 ", f_files=%" PRIu64 ", f_ffree=%" PRIu64
		     ", f_namelen=%" PRId64 ", f_flags=%#" PRIx64 "}",
		     rds64(d + 8), fr_rd64(d + 16), fr_rd64(d + 24), fr_rd64(d + 32),
		     fr_rd64(d + 40), fr_rd64(d + 48), rds64(d + 64), fr_rd64(d + 80));
}

static void print_rlim_value(struct fr_sb *sb, uint64_t v)
{
	if (v == UINT64_MAX)
		fr_sb_puts(sb, "RLIM64_INFINITY");
	else
		fr_sb_printf(sb, "%" PRIu64, v);
}

static void print_rusage(struct fr_sb *sb, const uint8_t *d)
{
	fr_sb_puts(sb, "{ru_utime=");
	print_timeval_at(sb, d);
	fr_sb_puts(sb, ", ru_stime=");
	print_timeval_at(sb, d + 16);
	fr_sb_printf(sb,
		     ", ru_maxrss=%" PRId64 ", ru_minflt=%" PRId64 ", ru_majflt=%" PRId64
		     ", ru_inblock=%" PRId64 ", ru_oublock=%" PRId64 ", ru_nvcsw=%" PRId64
		     ", ru_nivcsw=%" PRId64 ", ...}",
		     rds64(d + 32), rds64(d + 64), rds64(d + 72), rds64(d + 88), rds64(d + 96),
		     rds64(d + 128), rds64(d + 136));
}

static void print_utsname(struct fr_sb *sb, const uint8_t *d)
{
	static const char *const fields[] = {"sysname", "nodename", "release",
					     "version", "machine",  "domainname"};
	size_t i;

	fr_sb_putc(sb, '{');
	for (i = 0; i < FR_ARRAY_SIZE(fields); i++) {
		fr_sb_printf(sb, "%s%s=", i ? ", " : "", fields[i]);
		print_cstr_field(sb, d + 65 * i, 65);
	}
	fr_sb_putc(sb, '}');
}

static void print_sysinfo(struct fr_sb *sb, const uint8_t *d)
{
	fr_sb_printf(sb,
		     "{uptime=%" PRId64 ", loads=[%" PRIu64 ", %" PRIu64 ", %" PRIu64
		     "], totalram=%" PRIu64 ", freeram=%" PRIu64 ", sharedram=%" PRIu64
		     ", bufferram=%" PRIu64 ", totalswap=%" PRIu64 ", freeswap=%" PRIu64
		     ", procs=%u, totalhigh=%" PRIu64 ", freehigh=%" PRIu64 ", mem_unit=%u}",
		     rds64(d), fr_rd64(d + 8), fr_rd64(d + 16), fr_rd64(d + 24), fr_rd64(d + 32),
		     fr_rd64(d + 40), fr_rd64(d + 48), fr_rd64(d + 56), fr_rd64(d + 64),
		     fr_rd64(d + 72), fr_rd16(d + 80), fr_rd64(d + 88), fr_rd64(d + 96),
		     fr_rd32(d + 104));
}

static void print_sigaction(struct fr_sb *sb, const uint8_t *d)
{
	uint64_t handler = fr_rd64(d), flags = fr_rd64(d + 8);

	fr_sb_puts(sb, "{sa_handler=");
	if (handler == 0)
		fr_sb_puts(sb, "SIG_DFL");
	else if (handler == 1)
		fr_sb_puts(sb, "SIG_IGN");
	else
		fr_sb_printf(sb, "%#" PRIx64, handler);
	fr_sb_puts(sb, ", sa_mask=");
	fr_print_sigset(sb, d + 24, 8);
	fr_sb_puts(sb, ", sa_flags=");
	fr_print_flags(sb, FR_FMT_SA_FLAGS, flags);
	if (flags & 0x04000000)
		fr_sb_printf(sb, ", sa_restorer=%#" PRIx64, fr_rd64(d + 16));
	fr_sb_putc(sb, '}');
}

static void print_siginfo(struct fr_sb *sb, const uint8_t *d)
{
	int signo = rds32(d), code = rds32(d + 8);
	const char *cn;

	if (signo == 0) {
		fr_sb_puts(sb, "{}"); /* waitid(WNOHANG) with no child ready */
		return;
	}
	fr_sb_puts(sb, "{si_signo=");
	fr_print_signal(sb, signo);
	fr_sb_puts(sb, ", si_code=");
	cn = fr_si_code_name(signo, code);
	if (cn)
		fr_sb_puts(sb, cn);
	else
		fr_sb_printf(sb, "%d", code);
	if (rds32(d + 4))
		fr_sb_printf(sb, ", si_errno=%d", rds32(d + 4));
	if (code > 0 && code != 0x80 &&
	    (signo == 11 || signo == 7 || signo == 4 || signo == 8 || signo == 5)) {
		fr_sb_printf(sb, ", si_addr=%#" PRIx64, fr_rd64(d + 16));
	} else if (code == -2 /* SI_TIMER */) {
		fr_sb_printf(sb, ", si_timerid=%#x, si_overrun=%d", fr_rd32(d + 16), rds32(d + 20));
	} else {
		fr_sb_printf(sb, ", si_pid=%d, si_uid=%u", rds32(d + 16), fr_rd32(d + 20));
		if (signo == 17 /* SIGCHLD */ && code > 0) {
			fr_sb_puts(sb, ", si_status=");
			if (code == 1 /* CLD_EXITED */)
				fr_sb_printf(sb, "%d", rds32(d + 24));
			else
				fr_print_signal(sb, rds32(d + 24));
			fr_sb_printf(sb, ", si_utime=%" PRId64 ", si_stime=%" PRId64, rds64(d + 32),
				     rds64(d + 40));
		}
	}
	fr_sb_putc(sb, '}');
}

void fr_print_wait_status(struct fr_sb *sb, int s)
{
	int sig = s & 0x7f;

	fr_sb_puts(sb, "[{");
	if ((s & 0xffff) == 0xffff) {
		fr_sb_puts(sb, "WIFCONTINUED(s)");
	} else if (sig == 0) {
		fr_sb_printf(sb, "WIFEXITED(s) && WEXITSTATUS(s) == %d", (s >> 8) & 0xff);
	} else if (sig == 0x7f) {
		fr_sb_puts(sb, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
		fr_print_signal(sb, (s >> 8) & 0xff);
	} else {
		fr_sb_puts(sb, "WIFSIGNALED(s) && WTERMSIG(s) == ");
		fr_print_signal(sb, sig);
		if (s & 0x80)
			fr_sb_puts(sb, " && WCOREDUMP(s)");
	}
	fr_sb_puts(sb, "}");
	if (s >> 16)
		fr_sb_printf(sb, " | %#x", (unsigned)s & ~0xffffu);
	fr_sb_puts(sb, "]");
}

static const struct fr_name resolve_flags[] = {
    {0x1, "RESOLVE_NO_XDEV"}, {0x2, "RESOLVE_NO_MAGICLINKS"}, {0x4, "RESOLVE_NO_SYMLINKS"},
    {0x8, "RESOLVE_BENEATH"}, {0x10, "RESOLVE_IN_ROOT"},      {0x20, "RESOLVE_CACHED"},
};

static const struct fr_name ss_flags[] = {
    {1, "SS_ONSTACK"},
    {2, "SS_DISABLE"},
    {1u << 31, "SS_AUTODISARM"},
};

static const char *dirent_type(unsigned t)
{
	static const char *const names[] = {
	    [0] = "DT_UNKNOWN", [1] = "DT_FIFO", [2] = "DT_CHR",   [4] = "DT_DIR",  [6] = "DT_BLK",
	    [8] = "DT_REG",	[10] = "DT_LNK", [12] = "DT_SOCK", [14] = "DT_WHT",
	};

	return t < FR_ARRAY_SIZE(names) ? names[t] : NULL;
}

/*
 * Directory records: linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type;
 * char name[] } or the old linux_dirent { ulong ino; ulong off; u16 reclen;
 * char name[]; ...; u8 type at reclen - 1 }.  Stops at the first record that
 * does not fit.
 */
static void print_dirents(struct fr_sb *sb, const uint8_t *d, size_t len, size_t full_len,
			  bool is64, const struct fr_print_opts *o)
{
	size_t off = 0, shown = 0, max = fr_print_strsize(o), hdr = is64 ? 19 : 18;
	bool bad = false;

	fr_sb_putc(sb, '[');
	while (off < len) {
		size_t reclen, namemax, n;
		unsigned type;
		const char *tn;

		if (len - off < hdr) {
			bad = true;
			break;
		}
		reclen = fr_rd16(d + off + 16);
		if (reclen < hdr + (is64 ? 0 : 1) || reclen > len - off) {
			bad = true;
			break;
		}
		if (shown == max) {
			fr_sb_puts(sb, ", ...");
			off = len;
			break;
		}
		type = is64 ? d[off + 18] : d[off + reclen - 1];
		namemax = reclen - hdr - (is64 ? 0 : 1);
		for (n = 0; n < namemax && d[off + hdr + n]; n++)
			;
		fr_sb_printf(sb, "%s{d_ino=%" PRIu64 ", d_type=", shown ? ", " : "",
			     fr_rd64(d + off));
		tn = dirent_type(type);
		if (tn)
			fr_sb_puts(sb, tn);
		else
			fr_sb_printf(sb, "%u", type);
		fr_sb_puts(sb, ", d_name=");
		fr_sb_escape(sb, d + off + hdr, n, n, 4096);
		fr_sb_putc(sb, '}');
		shown++;
		off += reclen;
	}
	if (bad) {
		fr_sb_printf(sb, "%s/* %zu bytes unparsed */", shown ? ", " : "", len - off);
	}
	fr_sb_putc(sb, ']');
	if (full_len > len)
		fr_sb_puts(sb, "...");
}

/* Size a decoder needs; 0 for those that take any length. */
static size_t struct_size(unsigned fmt)
{
	switch (fmt) {
	case FR_FMT_S_STAT:
		return 144;
	case FR_FMT_S_STATX:
		return 256;
	case FR_FMT_S_STATFS:
		return 120;
	case FR_FMT_S_TIMESPEC:
		return 16;
	case FR_FMT_S_TIMEVAL:
		return 16;
	case FR_FMT_S_TIMEZONE:
		return 8;
	case FR_FMT_S_ITIMERSPEC:
		return 32;
	case FR_FMT_S_ITIMERVAL:
		return 32;
	case FR_FMT_S_TIMESPEC_PAIR:
		return 32;
	case FR_FMT_S_TIMEVAL_PAIR:
		return 32;
	case FR_FMT_S_UTIMBUF:
		return 16;
	case FR_FMT_S_RLIMIT:
		return 16;
	case FR_FMT_S_RUSAGE:
		return 144;
	case FR_FMT_S_TMS:
		return 32;
	case FR_FMT_S_UTSNAME:
		return 390;
	case FR_FMT_S_SYSINFO:
		return 112;
	case FR_FMT_S_EPOLL_EVENT:
		return 12;
	case FR_FMT_S_POLLFD:
		return 8;
	case FR_FMT_S_FD_PAIR:
		return 8;
	case FR_FMT_S_INT:
		return 4;
	case FR_FMT_S_INT64:
		return 8;
	case FR_FMT_S_WAIT_STATUS:
		return 4;
	case FR_FMT_S_SIGACTION:
		return 32;
	case FR_FMT_S_SIGINFO:
		return 128;
	case FR_FMT_S_STACK:
		return 24;
	case FR_FMT_S_OPEN_HOW:
		return 24;
	case FR_FMT_S_CLONE_ARGS:
		return 64;
	default:
		return 0;
	}
}

size_t fr_fmt_struct_size(unsigned fmt)
{
	return struct_size(fmt);
}

/*
 * One value at d (at least struct_size(fmt) bytes, checked by the caller).
 * `elem`: an element of an array ("3" rather than "[3]"); `out`: the kernel
 * wrote it (pollfd shows revents then).
 */
static void print_struct(struct fr_sb *sb, unsigned fmt, const uint8_t *d, size_t len, bool elem,
			 bool out)
{
	switch (fmt) {
	case FR_FMT_S_STAT:
		print_stat(sb, d);
		break;
	case FR_FMT_S_STATX:
		print_statx(sb, d);
		break;
	case FR_FMT_S_STATFS:
		print_statfs(sb, d);
		break;
	case FR_FMT_S_TIMESPEC:
		print_timespec_at(sb, d);
		break;
	case FR_FMT_S_TIMEVAL:
		print_timeval_at(sb, d);
		break;
	case FR_FMT_S_TIMEZONE:
		fr_sb_printf(sb, "{tz_minuteswest=%d, tz_dsttime=%d}", rds32(d), rds32(d + 4));
		break;
	case FR_FMT_S_ITIMERSPEC:
		fr_sb_puts(sb, "{it_interval=");
		print_timespec_at(sb, d);
		fr_sb_puts(sb, ", it_value=");
		print_timespec_at(sb, d + 16);
		fr_sb_putc(sb, '}');
		break;
	case FR_FMT_S_ITIMERVAL:
		fr_sb_puts(sb, "{it_interval=");
		print_timeval_at(sb, d);
		fr_sb_puts(sb, ", it_value=");
		print_timeval_at(sb, d + 16);
		fr_sb_putc(sb, '}');
		break;
	case FR_FMT_S_TIMESPEC_PAIR:
		fr_sb_putc(sb, '[');
		print_utime_ts(sb, d);
		fr_sb_puts(sb, ", ");
		print_utime_ts(sb, d + 16);
		fr_sb_putc(sb, ']');
		break;
	case FR_FMT_S_TIMEVAL_PAIR:
		fr_sb_putc(sb, '[');
		print_timeval_at(sb, d);
		fr_sb_puts(sb, ", ");
		print_timeval_at(sb, d + 16);
		fr_sb_putc(sb, ']');
		break;
	case FR_FMT_S_UTIMBUF:
		fr_sb_printf(sb, "{actime=%" PRId64 ", modtime=%" PRId64 "}", rds64(d),
			     rds64(d + 8));
		break;
	case FR_FMT_S_RLIMIT:
		fr_sb_puts(sb, "{rlim_cur=");
		print_rlim_value(sb, fr_rd64(d));
		fr_sb_puts(sb, ", rlim_max=");
		print_rlim_value(sb, fr_rd64(d + 8));
		fr_sb_putc(sb, '}');
		break;
	case FR_FMT_S_RUSAGE:
		print_rusage(sb, d);
		break;
	case FR_FMT_S_TMS:
		fr_sb_printf(sb,
			     "{tms_utime=%" PRId64 ", tms_stime=%" PRId64 ", tms_cutime=%" PRId64
			     ", tms_cstime=%" PRId64 "}",
			     rds64(d), rds64(d + 8), rds64(d + 16), rds64(d + 24));
		break;
	case FR_FMT_S_UTSNAME:
		print_utsname(sb, d);
		break;
	case FR_FMT_S_SYSINFO:
		print_sysinfo(sb, d);
		break;
	case FR_FMT_S_EPOLL_EVENT:
		fr_sb_puts(sb, "{events=");
		fr_print_flags(sb, FR_FMT_EPOLL_EVENTS, fr_rd32(d));
		fr_sb_printf(sb, ", data=%#" PRIx64 "}", fr_rd64(d + 4));
		break;
	case FR_FMT_S_POLLFD:
		fr_sb_printf(sb, "{fd=%d, %s=", rds32(d), out ? "revents" : "events");
		fr_print_flags(sb, FR_FMT_POLL_EVENTS, fr_rd16(d + (out ? 6 : 4)));
		fr_sb_putc(sb, '}');
		break;
	case FR_FMT_S_FD_PAIR:
		fr_sb_printf(sb, "[%d, %d]", rds32(d), rds32(d + 4));
		break;
	case FR_FMT_S_INT:
		fr_sb_printf(sb, elem ? "%d" : "[%d]", rds32(d));
		break;
	case FR_FMT_S_INT64:
		fr_sb_printf(sb, elem ? "%" PRId64 : "[%" PRId64 "]", rds64(d));
		break;
	case FR_FMT_S_WAIT_STATUS:
		fr_print_wait_status(sb, rds32(d));
		break;
	case FR_FMT_S_SIGACTION:
		print_sigaction(sb, d);
		break;
	case FR_FMT_S_SIGINFO:
		print_siginfo(sb, d);
		break;
	case FR_FMT_S_STACK:
		fr_sb_printf(sb, "{ss_sp=%#" PRIx64 ", ss_flags=", fr_rd64(d));
		fr_print_flag_table(sb, ss_flags, FR_ARRAY_SIZE(ss_flags), fr_rd32(d + 8));
		fr_sb_printf(sb, ", ss_size=%" PRIu64 "}", fr_rd64(d + 16));
		break;
	case FR_FMT_S_OPEN_HOW:
		fr_sb_puts(sb, "{flags=");
		fr_print_flags(sb, FR_FMT_OPEN_FLAGS, fr_rd64(d));
		fr_sb_puts(sb, ", mode=");
		fr_print_mode(sb, fr_rd64(d + 8));
		fr_sb_puts(sb, ", resolve=");
		fr_print_flag_table(sb, resolve_flags, FR_ARRAY_SIZE(resolve_flags),
				    fr_rd64(d + 16));
		fr_sb_putc(sb, '}');
		break;
	case FR_FMT_S_CLONE_ARGS: {
		uint64_t flags = fr_rd64(d), sig = fr_rd64(d + 32);

		fr_sb_puts(sb, "{flags=");
		/* no exit signal in clone3's flags: it has its own field */
		fr_print_flags(sb, FR_FMT_CLONE_FLAGS, flags & ~UINT64_C(0xff));
		fr_sb_puts(sb, ", exit_signal=");
		fr_print_signal(sb, (int)sig);
		fr_sb_printf(sb, ", stack=%#" PRIx64 ", stack_size=%#" PRIx64 ", tls=%#" PRIx64,
			     fr_rd64(d + 40), fr_rd64(d + 48), fr_rd64(d + 56));
		if (len >= 88 && fr_rd64(d + 80))
			fr_sb_printf(sb, ", cgroup=%" PRIu64, fr_rd64(d + 80));
		fr_sb_putc(sb, '}');
		break;
	}
	default:
		break;
	}
}

void fr_print_data(struct fr_sb *sb, unsigned fmt, const uint8_t *data, size_t len, size_t full_len,
		   const struct fr_print_opts *o)
{
	size_t need = struct_size(fmt);

	if (!data)
		len = 0;
	switch (fmt) {
	case FR_FMT_S_SOCKADDR:
		fr_print_sockaddr_data(sb, data, len, full_len, o);
		return;
	case FR_FMT_S_DIRENT64:
	case FR_FMT_S_DIRENT:
		print_dirents(sb, data, len, full_len, fmt == FR_FMT_S_DIRENT64, o);
		return;
	case FR_FMT_S_SOCKOPT:
		if (len == 4) {
			fr_sb_printf(sb, "[%d]", rds32(data));
			if (full_len > len)
				fr_sb_puts(sb, "...");
			return;
		}
		break;
	default:
		if (need && len >= need) {
			print_struct(sb, fmt, data, len, false, false);
			if (full_len > len)
				fr_sb_puts(sb, "...");
			return;
		}
		break;
	}
	fr_print_escaped(sb, data, len, full_len, o);
}

/*
 * An array of `size`-byte elements, each decoded with `fmt` (escaped bytes
 * when fmt has no decoder).  At most strsize elements, then "...".  With
 * `nonzero_revents` only pollfds whose revents is set are shown (what
 * strace shows after poll returns).
 */
void fr_print_array(struct fr_sb *sb, unsigned fmt, size_t size, const uint8_t *d, size_t len,
		    size_t full_len, bool out, const struct fr_print_opts *o)
{
	size_t need = struct_size(fmt), i, n, shown = 0, max = fr_print_strsize(o);

	if (!size || !need || need > size) {
		fr_print_escaped(sb, d, len, full_len, o);
		return;
	}
	n = len / size;
	fr_sb_putc(sb, '[');
	for (i = 0; i < n; i++) {
		const uint8_t *e = d + i * size;

		if (out && fmt == FR_FMT_S_POLLFD && fr_rd16(e + 6) == 0)
			continue;
		if (shown == max) {
			fr_sb_puts(sb, ", ...");
			break;
		}
		if (shown)
			fr_sb_puts(sb, ", ");
		print_struct(sb, fmt, e, size, true, out);
		shown++;
	}
	fr_sb_putc(sb, ']');
	if (full_len > len || len % size)
		fr_sb_puts(sb, "...");
}

/* ---- descriptors and connections ---------------------------------------------- */

void fr_print_sockaddr(struct fr_sb *sb, const struct fr_sock_tuple *t, bool local)
{
	const uint8_t *a = local ? t->saddr : t->daddr;
	unsigned port = local ? t->sport : t->dport;
	char ip[INET6_ADDRSTRLEN];

	if (t->family == 2) {
		inet_ntop(AF_INET, a, ip, sizeof(ip));
		fr_sb_printf(sb, "%s:%u", ip, port);
	} else if (t->family == 10) {
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		fr_sb_printf(sb, "[%s]:%u", ip, port);
	} else {
		fr_sb_printf(sb, "?:%u", port);
	}
}

void fr_print_tuple(struct fr_sb *sb, const struct fr_sock_tuple *t)
{
	static const uint8_t zero[16];

	fr_print_sockaddr(sb, t, true);
	if (t->dport || memcmp(t->daddr, zero, sizeof(zero))) {
		fr_sb_puts(sb, "->");
		fr_print_sockaddr(sb, t, false);
	}
}

static const char *proto_name(const struct fr_sock_tuple *t, unsigned sock_type)
{
	unsigned p = t->protocol;

	if (!p)
		p = sock_type == 1 ? 6 : sock_type == 2 ? 17 : 0; /* STREAM: TCP, DGRAM: UDP */
	if (t->family == 2)
		return p == 6 ? "TCP" : p == 17 ? "UDP" : p == 1 ? "ICMP" : "INET";
	return p == 6 ? "TCPv6" : p == 17 ? "UDPv6" : p == 58 ? "ICMPv6" : "INET6";
}

void fr_print_fdinfo(struct fr_sb *sb, const struct fr_fdinfo *fi)
{
	/* kernel dev_t: 12-bit major, 20-bit minor */
	unsigned major = (unsigned)(fi->dev >> 20), minor = (unsigned)(fi->dev & 0xfffff);

	fr_sb_putc(sb, '<');
	switch (fi->type) {
	case FR_FD_PIPE:
		fr_sb_printf(sb, "pipe:[%" PRIu64 "]", fi->ino);
		break;
	case FR_FD_SOCKET:
		if (fi->tuple.family == 2 || fi->tuple.family == 10) {
			fr_sb_printf(sb, "%s:[", proto_name(&fi->tuple, fi->sock_type));
			fr_print_tuple(sb, &fi->tuple);
			fr_sb_putc(sb, ']');
		} else if (fi->tuple.family == 1) {
			fr_sb_printf(sb, "UNIX:[%" PRIu64 "]", fi->ino);
		} else {
			fr_sb_printf(sb, "socket:[%" PRIu64 "]", fi->ino);
		}
		break;
	case FR_FD_FILE:
		fr_sb_printf(sb, "file:[%u:%u/%" PRIu64 "]", major, minor, fi->ino);
		break;
	case FR_FD_DIR:
		fr_sb_printf(sb, "dir:[%u:%u/%" PRIu64 "]", major, minor, fi->ino);
		break;
	case FR_FD_CHR:
		fr_sb_printf(sb, "chr:[%u:%u/%" PRIu64 "]", major, minor, fi->ino);
		break;
	case FR_FD_BLK:
		fr_sb_printf(sb, "blk:[%u:%u/%" PRIu64 "]", major, minor, fi->ino);
		break;
	case FR_FD_ANON:
		fr_sb_printf(sb, "anon_inode:[%" PRIu64 "]", fi->ino);
		break;
	default:
		fr_sb_printf(sb, "?:[%" PRIu64 "]", fi->ino);
		break;
	}
	fr_sb_putc(sb, '>');
}

const char *fr_fd_type_name(unsigned type)
{
	static const char *const names[] = {
	    [FR_FD_UNKNOWN] = "unknown", [FR_FD_FILE] = "file",	    [FR_FD_DIR] = "dir",
	    [FR_FD_PIPE] = "pipe",	 [FR_FD_SOCKET] = "socket", [FR_FD_CHR] = "chr",
	    [FR_FD_BLK] = "blk",	 [FR_FD_ANON] = "anon",
	};

	return type < FR_ARRAY_SIZE(names) ? names[type] : NULL;
}
