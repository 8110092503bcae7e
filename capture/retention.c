// SPDX-License-Identifier: MIT
/* retention.c: bundle names and the retention bound (see retention.h). */
#include "capture/retention.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PREFIX "flightrec-"

static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool fr_retention__is_ours(const char *name)
{
	size_t n = strlen(name), pl = strlen(PREFIX);
	const char *p = name + pl;

	/* flightrec-YYYYMMDDTHHMMSS.mmmZ-K.frb */
	if (n < pl + 8 + 1 + 6 + 5 + 1 + 1 + 4 || strncmp(name, PREFIX, pl))
		return false;
	if (!digits(p, 8) || p[8] != 'T' || !digits(p + 9, 6) || p[15] != '.' ||
	    !digits(p + 16, 3) || p[19] != 'Z' || p[20] != '-')
		return false;
	return !strcmp(name + n - 4, ".frb");
}

int fr_retention__name(const char *dir, const struct timespec *when, const char *kind,
		       char *out, size_t len)
{
	char k[32], stamp[32];
	struct tm tm;
	struct stat st;
	size_t i;
	int n, u;

	for (i = 0; kind[i] && i < sizeof(k) - 1; i++)
		k[i] = isalnum((unsigned char)kind[i]) || kind[i] == '-' ? kind[i] : '_';
	k[i] = '\0';
	if (!i)
		snprintf(k, sizeof(k), "trigger");
	gmtime_r(&when->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	for (u = 0; u < 1000; u++) {
		if (u)
			n = snprintf(out, len, "%s/" PREFIX "%s.%03ldZ-%s-%d.frb", dir, stamp,
				     when->tv_nsec / 1000000, k, u);
		else
			n = snprintf(out, len, "%s/" PREFIX "%s.%03ldZ-%s.frb", dir, stamp,
				     when->tv_nsec / 1000000, k);
		if (n < 0 || (size_t)n >= len)
			return -ENAMETOOLONG;
		if (stat(out, &st) && errno == ENOENT)
			return 0;
	}
	return -EEXIST;
}

struct bentry {
	char *name;
	struct timespec mtime;
	uint64_t size;
};

static int cmp_age(const void *a, const void *b)
{
	const struct bentry *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

int fr_retention__apply(const char *dir, uint64_t max_bundles, uint64_t max_bytes,
			const char *keep, fr_retention_fn fn, void *ctx)
{
	struct bentry *v = NULL;
	size_t n = 0, cap = 0, i;
	uint64_t total = 0, count;
	const char *keep_base = NULL;
	struct dirent *de;
	int dfd, deleted = 0;
	DIR *d;

	if (!max_bundles && !max_bytes)
		return 0;
	if (keep) {
		keep_base = strrchr(keep, '/');
		keep_base = keep_base ? keep_base + 1 : keep;
	}
	d = opendir(dir);
	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		struct stat st;

		if (!fr_retention__is_ours(de->d_name))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct bentry *nv = realloc(v, nc * sizeof(*nv));

			if (!nv)
				goto nomem;
			v = nv;
			cap = nc;
		}
		v[n].name = strdup(de->d_name);
		if (!v[n].name)
			goto nomem;
		v[n].mtime = st.st_mtim;
		v[n].size = (uint64_t)st.st_size;
		total += v[n].size;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_age);
	count = n;
	for (i = 0; i < n; i++) {
		char path[4096];

		if (!((max_bundles && count > max_bundles) || (max_bytes && total > max_bytes)))
			break;
		if (keep_base && !strcmp(v[i].name, keep_base))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
		if (unlinkat(dfd, v[i].name, 0)) {
			if (fn)
				fn(ctx, path, v[i].size, -errno);
			continue;
		}
		if (fn)
			fn(ctx, path, v[i].size, 0);
		deleted++;
		count--;
		total -= v[i].size;
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
	return deleted;
nomem:
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
	return -ENOMEM;
}

int fr_retention__clean_temps(const char *dir, fr_retention_fn fn, void *ctx)
{
	struct dirent *de;
	int dfd, removed = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		const char *t;
		char path[4096];
		struct stat st;
		long pid;

		/* ".<bundle name>.tmp-PID-XXXXXX" */
		t = strstr(de->d_name, ".frb.tmp-");
		if (de->d_name[0] != '.' || !t || (size_t)(t + 4 - de->d_name) >= sizeof(path))
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)(t + 4 - (de->d_name + 1)), de->d_name + 1);
		if (!fr_retention__is_ours(path))
			continue;
		pid = strtol(t + 9, NULL, 10);
		if (pid <= 0 || pid == (long)getpid())
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		/* A live writer holds an exclusive lock on its temporary file
		 * (formats/writer.c); pids are not trusted, they get reused. */
		{
			int fd = openat(dfd, de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			bool busy;

			if (fd < 0)
				continue;
			busy = flock(fd, LOCK_SH | LOCK_NB) < 0;
			close(fd);
			if (busy)
				continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlinkat(dfd, de->d_name, 0)) {
			if (fn)
				fn(ctx, path, (uint64_t)st.st_size, -errno);
			continue;
		}
		if (fn)
			fn(ctx, path, (uint64_t)st.st_size, 0);
		removed++;
	}
	closedir(d);
	return removed;
}
