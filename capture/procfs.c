// SPDX-License-Identifier: MIT
/* procfs.c: process snapshots from /proc (see procfs.h). */
#include "capture/procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/util.h"

/* Caps on what one snapshot reads (a process may be huge). */
#define MAX_MAPS 65536
#define MAX_FDS 65536
#define MAX_THREADS 65536
#define MAX_STRV_BYTES (8u << 20)

/* ---- build-ids --------------------------------------------------------------- */

struct bid {
	uint64_t dev, ino;
	char *hex; /* NULL: known to have none */
};

struct fr_buildid_cache {
	struct bid *v;
	size_t n, cap;
};

int fr_buildid_cache__new(struct fr_buildid_cache **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	elf_version(EV_CURRENT);
	return 0;
}

void fr_buildid_cache__free(struct fr_buildid_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->v[i].hex);
	free(c->v);
	free(c);
}

static char *hex_of(const uint8_t *d, size_t n)
{
	char *s;
	size_t i;

	if (!n || n > 64)
		return NULL;
	s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02x", d[i]);
	return s;
}

/* NT_GNU_BUILD_ID in one note data block. */
static char *note_build_id(Elf_Data *data)
{
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off, next;

	while ((next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp((char *)data->d_buf + name_off, "GNU", 4))
			return hex_of((uint8_t *)data->d_buf + desc_off, nh.n_descsz);
		off = next;
	}
	return NULL;
}

static char *read_build_id(const char *path)
{
	Elf *e = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Phdr ph;
	size_t i, nph;
	char *hex = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF)
		goto out;
	while (!hex && (scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);

		if (d)
			hex = note_build_id(d);
	}
	/* stripped of section headers: the PT_NOTE segments */
	if (!hex && !elf_getphdrnum(e, &nph)) {
		for (i = 0; i < nph && !hex; i++) {
			Elf_Data *d;

			if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE)
				continue;
			d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
			if (d)
				hex = note_build_id(d);
		}
	}
out:
	elf_end(e);
	close(fd);
	return hex;
}

const char *fr_buildid__get(struct fr_buildid_cache *c, const char *path, uint64_t dev,
			    uint64_t ino)
{
	size_t i;
	char *hex;

	if (!c)
		return NULL;
	if (ino)
		for (i = 0; i < c->n; i++)
			if (c->v[i].dev == dev && c->v[i].ino == ino)
				return c->v[i].hex;
	hex = read_build_id(path);
	if (!ino)
		return NULL; /* cannot cache what we cannot name: do not leak either */
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct bid *nv = realloc(c->v, cap * sizeof(*nv));

		if (!nv) {
			free(hex);
			return NULL;
		}
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n].dev = dev;
	c->v[c->n].ino = ino;
	c->v[c->n].hex = hex;
	return c->v[c->n++].hex;
}

/* ---- small readers ----------------------------------------------------------------- */

static char *readlink_dup(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/* NUL-separated file into a string vector. */
static int read_strv(const char *path, char ***out, uint32_t *n)
{
	char *buf = NULL, **v;
	size_t len = 0, i, count = 0, k = 0;
	int rc = fr_read_file(path, MAX_STRV_BYTES, &buf, &len);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	for (i = 0; i < len; i++)
		if (!buf[i])
			count++;
	if (len && buf[len - 1])
		count++; /* unterminated last string */
	v = calloc(count + 1, sizeof(*v));
	if (!v) {
		free(buf);
		return -ENOMEM;
	}
	for (i = 0; i < len && k < count;) {
		size_t l = strnlen(buf + i, len - i);

		v[k] = strndup(buf + i, l);
		if (!v[k])
			break;
		k++;
		i += l + 1;
	}
	free(buf);
	*out = v;
	*n = (uint32_t)k;
	return 0;
}

static void read_status(pid_t pid, struct fr_process *p)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned a, b, c, d;

		if (!strncmp(line, "Name:", 5)) {
			char *s = line + 5;

			while (*s == ' ' || *s == '\t')
				s++;
			s[strcspn(s, "\n")] = '\0';
			snprintf(p->comm, sizeof(p->comm), "%s", s);
		} else if (sscanf(line, "PPid: %u", &a) == 1) {
			p->ppid = a;
		} else if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &c, &d) == 4) {
			p->uid = a;
			p->euid = b;
		} else if (sscanf(line, "Gid: %u %u %u %u", &a, &b, &c, &d) == 4) {
			p->gid = a;
			p->egid = b;
		}
	}
	fclose(f);
}

static void read_cgroup(pid_t pid, struct fr_process *p)
{
	char path[64], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "0::", 3)) {
			/* the unified (v2) hierarchy */
			free(p->cgroup);
			p->cgroup = strdup(line + 3);
			break;
		}
		if (!p->cgroup)
			p->cgroup = strdup(line);
	}
	fclose(f);
}

static void read_namespaces(pid_t pid, struct fr_process *p)
{
	static const char *const names[] = {"cgroup", "ipc",  "mnt",  "net",
					    "pid",    "time", "user", "uts"};
	char path[96], *l;
	size_t i;

	p->namespaces = calloc(FR_ARRAY_SIZE(names), sizeof(*p->namespaces));
	if (!p->namespaces)
		return;
	for (i = 0; i < FR_ARRAY_SIZE(names); i++) {
		struct fr_namespace *ns = &p->namespaces[p->n_namespaces];
		char *br;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, names[i]);
		l = readlink_dup(path);
		if (!l)
			continue;
		br = strchr(l, '[');
		if (br) {
			snprintf(ns->name, sizeof(ns->name), "%s", names[i]);
			ns->ino = strtoull(br + 1, NULL, 10);
			p->n_namespaces++;
		}
		free(l);
	}
}

static void read_rlimits(pid_t pid, struct fr_process *p)
{
	int r;

	p->rlimits = calloc(RLIM_NLIMITS, sizeof(*p->rlimits));
	if (!p->rlimits)
		return;
	for (r = 0; r < RLIM_NLIMITS; r++) {
		struct rlimit rl;

		if (prlimit(pid, (enum __rlimit_resource)r, NULL, &rl))
			continue;
		p->rlimits[p->n_rlimits].resource = r;
		p->rlimits[p->n_rlimits].cur =
		    rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : rl.rlim_cur;
		p->rlimits[p->n_rlimits].max =
		    rl.rlim_max == RLIM_INFINITY ? UINT64_MAX : rl.rlim_max;
		p->n_rlimits++;
	}
}

static void read_threads(pid_t pid, struct fr_process *p)
{
	char path[96];
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && p->n_threads < MAX_THREADS) {
		char cpath[128], *comm = NULL;
		unsigned long tid;
		char *end;

		tid = strtoul(de->d_name, &end, 10);
		if (*end || !tid)
			continue;
		if (p->n_threads == cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct fr_thread_info *nt = realloc(p->threads, nc * sizeof(*nt));

			if (!nt)
				break;
			p->threads = nt;
			cap = nc;
		}
		memset(&p->threads[p->n_threads], 0, sizeof(p->threads[0]));
		p->threads[p->n_threads].tid = (uint32_t)tid;
		snprintf(cpath, sizeof(cpath), "/proc/%d/task/%lu/comm", (int)pid, tid);
		if (!fr_read_file(cpath, 64, &comm, NULL)) {
			comm[strcspn(comm, "\n")] = '\0';
			snprintf(p->threads[p->n_threads].comm, FR_COMM_LEN, "%s", comm);
			free(comm);
		}
		p->n_threads++;
	}
	closedir(d);
}

static int parse_dev(const char *s, uint64_t *dev)
{
	unsigned maj, min;

	if (sscanf(s, "%x:%x", &maj, &min) != 2)
		return -EINVAL;
	*dev = ((uint64_t)maj << 20) | min;
	return 0;
}

static void read_maps(pid_t pid, struct fr_buildid_cache *bc, struct fr_process *p)
{
	char path[64], line[4352];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && p->n_maps < MAX_MAPS) {
		struct fr_map m;
		char perms[8], dev[16];
		unsigned long long start, end, off, ino;
		int pos = 0;

		memset(&m, 0, sizeof(m));
		if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &start, &end, perms, &off, dev,
			   &ino, &pos) < 6)
			continue;
		line[strcspn(line, "\n")] = '\0';
		/* [vsyscall] sits in the kernel half (0xffffffffff600000): the legacy
		 * fixed page, nothing to replay, and beyond what the process table's
		 * JSON integers (signed 64-bit) hold */
		if (start >> 63)
			continue;
		m.start = start;
		m.end = end;
		m.offset = off;
		m.inode = ino;
		snprintf(m.perms, sizeof(m.perms), "%s", perms);
		snprintf(m.dev, sizeof(m.dev), "%s", dev);
		if (pos > 0 && line[pos])
			m.path = strdup(line + pos);
		if (bc && ino && m.path && m.path[0] == '/') {
			char mf[128];
			uint64_t d = 0;
			const char *hex;

			parse_dev(dev, &d);
			snprintf(mf, sizeof(mf), "/proc/%d/map_files/%llx-%llx", (int)pid, start,
				 end);
			hex = fr_buildid__get(bc, mf, d, ino);
			if (!hex) /* map_files needs CAP_SYS_ADMIN: fall back to the path */
				hex = fr_buildid__get(bc, m.path, d, ino);
			if (hex)
				m.build_id = strdup(hex);
		}
		if (p->n_maps == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct fr_map *nm = realloc(p->maps, nc * sizeof(*nm));

			if (!nm) {
				free(m.path);
				free(m.build_id);
				break;
			}
			p->maps = nm;
			cap = nc;
		}
		p->maps[p->n_maps++] = m;
	}
	fclose(f);
}

int fr_procfs__parse_inet_line(const char *line, int family, int protocol, uint64_t *ino,
			       struct fr_sock_tuple *t)
{
	char la[64], ra[64];
	unsigned lport, rport, st;
	unsigned long long inode;
	int words = family == AF_INET6 ? 4 : 1, i;

	memset(t, 0, sizeof(*t));
	if (sscanf(line, " %*u: %63[0-9A-Fa-f]:%x %63[0-9A-Fa-f]:%x %x %*s %*s %*s %*u %*u %llu",
		   la, &lport, ra, &rport, &st, &inode) != 6)
		return -EINVAL;
	if (strlen(la) != (size_t)words * 8 || strlen(ra) != (size_t)words * 8)
		return -EINVAL;
	/* each 32-bit word is printed as the host-order value of the raw
	 * (network-order) address word */
	for (i = 0; i < words; i++) {
		char w[9];
		uint32_t v;

		memcpy(w, la + 8 * i, 8);
		w[8] = '\0';
		v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(t->saddr + 4 * i, &v, 4);
		memcpy(w, ra + 8 * i, 8);
		v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(t->daddr + 4 * i, &v, 4);
	}
	t->sport = (uint16_t)lport;
	t->dport = (uint16_t)rport;
	t->family = (uint16_t)family;
	t->protocol = (uint16_t)protocol;
	*ino = inode;
	return 0;
}

struct sockent {
	uint64_t ino;
	struct fr_sock_tuple t;
	int sock_type;
};

static void load_sockets(pid_t pid, struct sockent **out, size_t *n)
{
	static const struct {
		const char *file;
		int family, protocol, type;
	} tables[] = {
	    {"tcp", AF_INET, 6, SOCK_STREAM},
	    {"tcp6", AF_INET6, 6, SOCK_STREAM},
	    {"udp", AF_INET, 17, SOCK_DGRAM},
	    {"udp6", AF_INET6, 17, SOCK_DGRAM},
	};
	size_t cap = 0, i;

	*out = NULL;
	*n = 0;
	for (i = 0; i < FR_ARRAY_SIZE(tables); i++) {
		char path[96], line[512];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/net/%s", (int)pid, tables[i].file);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f) && *n < MAX_FDS) {
			struct sockent e;

			if (fr_procfs__parse_inet_line(line, tables[i].family, tables[i].protocol,
						       &e.ino, &e.t))
				continue;
			e.sock_type = tables[i].type;
			if (*n == cap) {
				size_t nc = cap ? 2 * cap : 64;
				struct sockent *nv = realloc(*out, nc * sizeof(*nv));

				if (!nv)
					break;
				*out = nv;
				cap = nc;
			}
			(*out)[(*n)++] = e;
		}
		fclose(f);
	}
}

static void read_fds(pid_t pid, struct fr_process *p)
{
	char path[96];
	struct sockent *socks = NULL;
	size_t nsocks = 0, cap = 0;
	bool socks_loaded = false;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && p->n_fds < MAX_FDS) {
		char lpath[128], ipath[128], *info = NULL;
		struct fr_fd fd;
		struct stat st;
		unsigned long n;
		char *end;

		n = strtoul(de->d_name, &end, 10);
		if (*end || de->d_name[0] == '.')
			continue;
		memset(&fd, 0, sizeof(fd));
		fd.fd = (int32_t)n;
		snprintf(lpath, sizeof(lpath), "/proc/%d/fd/%lu", (int)pid, n);
		fd.path = readlink_dup(lpath);
		if (stat(lpath, &st) == 0) {
			fd.ino = st.st_ino;
			switch (st.st_mode & S_IFMT) {
			case S_IFREG:
				fd.type = FR_FD_FILE;
				break;
			case S_IFDIR:
				fd.type = FR_FD_DIR;
				break;
			case S_IFIFO:
				fd.type = FR_FD_PIPE;
				break;
			case S_IFCHR:
				fd.type = FR_FD_CHR;
				break;
			case S_IFBLK:
				fd.type = FR_FD_BLK;
				break;
			case S_IFSOCK:
				fd.type = FR_FD_SOCKET;
				break;
			default:
				fd.type = FR_FD_ANON;
				break;
			}
		} else if (fd.path && !strncmp(fd.path, "anon_inode:", 11)) {
			fd.type = FR_FD_ANON;
		}
		snprintf(ipath, sizeof(ipath), "/proc/%d/fdinfo/%lu", (int)pid, n);
		if (!fr_read_file(ipath, 65536, &info, NULL)) {
			char *s;

			if ((s = strstr(info, "pos:")))
				fd.pos = strtoull(s + 4, NULL, 10);
			if ((s = strstr(info, "flags:")))
				fd.flags = (uint32_t)strtoul(s + 6, NULL, 8);
			free(info);
		}
		if (fd.type == FR_FD_SOCKET) {
			size_t i;

			if (!socks_loaded) {
				load_sockets(pid, &socks, &nsocks);
				socks_loaded = true;
			}
			for (i = 0; i < nsocks; i++)
				if (socks[i].ino == fd.ino) {
					fd.tuple = socks[i].t;
					fd.sock_type = (uint16_t)socks[i].sock_type;
					break;
				}
		}
		if (p->n_fds == cap) {
			size_t nc = cap ? 2 * cap : 16;
			struct fr_fd *nf = realloc(p->fds, nc * sizeof(*nf));

			if (!nf) {
				free(fd.path);
				break;
			}
			p->fds = nf;
			cap = nc;
		}
		p->fds[p->n_fds++] = fd;
	}
	closedir(d);
	free(socks);
}

int fr_procfs__snapshot(pid_t pid, unsigned what, struct fr_buildid_cache *bc, struct fr_process *p)
{
	char path[96];
	struct stat st;

	memset(p, 0, sizeof(*p));
	p->pid = (uint32_t)pid;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st))
		return -ESRCH;
	if (what & FR_SNAP_IDENTITY) {
		read_status(pid, p);
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		p->exe = readlink_dup(path);
		if (p->exe && bc) {
			const char *hex;
			struct stat es;

			if (stat(path, &es) == 0) {
				hex = fr_buildid__get(bc, path, es.st_dev, es.st_ino);
				if (hex)
					p->exe_build_id = strdup(hex);
			}
		}
		snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
		p->cwd = readlink_dup(path);
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
		read_strv(path, &p->argv, &p->argc);
		snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
		read_strv(path, &p->env, &p->envc);
		read_cgroup(pid, p);
		read_namespaces(pid, p);
		read_rlimits(pid, p);
	}
	if (what & FR_SNAP_THREADS)
		read_threads(pid, p);
	if (what & FR_SNAP_MAPS)
		read_maps(pid, bc, p);
	if (what & FR_SNAP_FDS)
		read_fds(pid, p);
	return 0;
}
