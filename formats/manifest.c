// SPDX-License-Identifier: MIT
/* manifest.c: the manifest: host facts, JSON form, validation. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "formats/bundle.h"
#include "formats/jsonutil.h"
#include "formats/manifest.h"
#include "formats/util.h"

static void copy_str(char *dst, size_t size, const char *src)
{
	if (!src)
		src = "";
	snprintf(dst, size, "%s", src);
}

/*
 * Offset from CLOCK_MONOTONIC to UTC: sample realtime between two monotonic
 * readings several times and keep the tightest pair.
 */
static void measure_clock_offset(int64_t *offset, uint64_t *error)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 16; i++) {
		struct timespec a, r, b;
		uint64_t ma, mb, rt;

		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ma = (uint64_t)a.tv_sec * 1000000000ULL + (uint64_t)a.tv_nsec;
		mb = (uint64_t)b.tv_sec * 1000000000ULL + (uint64_t)b.tv_nsec;
		rt = (uint64_t)r.tv_sec * 1000000000ULL + (uint64_t)r.tv_nsec;
		if (mb - ma < best) {
			best = mb - ma;
			*offset = (int64_t)(rt - (ma + (mb - ma) / 2));
			*error = (mb - ma) / 2;
		}
	}
}

int fr_manifest__fill_host(struct fr_manifest *m)
{
	struct utsname u;
	char *boot = NULL;
	int err = 0;

	m->format_major = FR_FORMAT_MAJOR;
	m->format_minor = FR_FORMAT_MINOR;
	copy_str(m->tool_version, sizeof(m->tool_version), FR_VERSION);
	copy_str(m->clock, sizeof(m->clock), "monotonic");
	if (gethostname(m->hostname, sizeof(m->hostname) - 1) < 0)
		err = -errno;
	if (uname(&u) == 0) {
		copy_str(m->kernel_release, sizeof(m->kernel_release), u.release);
		copy_str(m->machine, sizeof(m->machine), u.machine);
	} else {
		err = -errno;
	}
	if (fr_read_file("/proc/sys/kernel/random/boot_id", 4096, &boot, NULL) == 0) {
		boot[strcspn(boot, "\n")] = '\0';
		copy_str(m->boot_id, sizeof(m->boot_id), boot);
		free(boot);
	}
	measure_clock_offset(&m->clock_to_utc_ns, &m->clock_offset_error_ns);
	return err;
}

void fr_manifest__clear(struct fr_manifest *m)
{
	if (!m)
		return;
	json_decref(m->capture);
	json_decref(m->features);
	json_decref(m->redaction);
	json_decref(m->extra);
	memset(m, 0, sizeof(*m));
}

/* ---- to JSON ---------------------------------------------------------------- */

/* 64-bit counters are written as JSON integers (jansson: long long); values
 * above INT64_MAX do not occur for counts and times. */
static json_t *ju64(uint64_t v) { return json_integer((json_int_t)v); }

/* root[key] = a new reference to `v`, or the fresh `dflt` when v is NULL. */
static void set_or_default(json_t *root, const char *key, json_t *v, json_t *dflt)
{
	if (v) {
		json_object_set(root, key, v);
		json_decref(dflt);
	} else {
		json_object_set_new(root, key, dflt);
	}
}

json_t *fr_manifest__to_json(const struct fr_manifest *m, json_t *members,
			     json_t *files)
{
	json_t *root = json_object(), *o;
	char utc[64];
	unsigned t, c;

	if (!root)
		return NULL;
	o = json_object();
	json_object_set_new(o, "major", json_integer(m->format_major));
	json_object_set_new(o, "minor", json_integer(m->format_minor));
	json_object_set_new(root, "format", o);
	json_object_set_new(root, "tool", json_pack("{s:s,s:o}", "name", "flightrec",
						    "version", fr_json_text(m->tool_version)));
	json_object_set_new(root, "host",
			    json_pack("{s:o,s:o,s:o,s:o}", "hostname", fr_json_text(m->hostname),
				      "kernel_release", fr_json_text(m->kernel_release),
				      "machine", fr_json_text(m->machine), "boot_id",
				      fr_json_text(m->boot_id)));
	json_object_set_new(root, "clock",
			    json_pack("{s:o,s:I,s:I}", "source", fr_json_text(m->clock),
				      "to_utc_ns", (json_int_t)m->clock_to_utc_ns,
				      "offset_error_ns",
				      (json_int_t)m->clock_offset_error_ns));
	o = json_object();
	json_object_set_new(o, "start_ns", ju64(m->window_start_ns));
	json_object_set_new(o, "end_ns", ju64(m->window_end_ns));
	fr_fmt_utc(utc, sizeof(utc), m->window_start_ns, m->clock_to_utc_ns);
	json_object_set_new(o, "start_utc", json_string(utc));
	fr_fmt_utc(utc, sizeof(utc), m->window_end_ns, m->clock_to_utc_ns);
	json_object_set_new(o, "end_utc", json_string(utc));
	json_object_set_new(root, "window", o);
	o = json_object();
	json_object_set_new(o, "kind", fr_json_text(m->trigger_kind));
	json_object_set_new(o, "reason", fr_json_text(m->trigger_reason));
	json_object_set_new(o, "ts_ns", ju64(m->trigger_ns));
	json_object_set_new(root, "trigger", o);

	o = json_object();
	json_object_set_new(o, "events", ju64(m->event_count));
	json_object_set_new(o, "payload_bytes", ju64(m->payload_bytes));
	json_object_set_new(o, "chunks", ju64(m->chunk_count));
	{
		json_t *bt = json_object();

		for (t = 1; t < FR_EV_TYPE_COUNT; t++)
			if (m->events_by_type[t])
				json_object_set_new(bt, fr_event_type_name(t),
						    ju64(m->events_by_type[t]));
		json_object_set_new(o, "by_type", bt);
	}
	json_object_set_new(root, "counts", o);
	o = json_object();
	for (c = 1; c < FR_LOSS_CAUSE_COUNT; c++)
		json_object_set_new(o, fr_loss_cause_name(c), ju64(m->losses[c]));
	json_object_set_new(root, "losses", o);

	set_or_default(root, "capture", m->capture, json_object());
	set_or_default(root, "features", m->features, json_object());
	set_or_default(root, "redaction", m->redaction, json_array());
	if (m->extra)
		json_object_set(root, "extra", m->extra);
	set_or_default(root, "members", members, json_array());
	set_or_default(root, "files", files, json_array());
	return root;
}

/* ---- from JSON ----------------------------------------------------------------- */

static bool get_u64(json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return true; /* optional: stays 0 */
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool get_str(json_t *obj, const char *key, char *dst, size_t size)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return true;
	if (!json_is_string(v))
		return false;
	copy_str(dst, size, json_string_value(v));
	return true;
}

static json_t *take_obj(json_t *root, const char *key, bool array)
{
	json_t *v = json_object_get(root, key);

	if (!v || (array ? !json_is_array(v) : !json_is_object(v)))
		return NULL;
	return json_incref(v);
}

int fr_manifest__from_json(struct fr_manifest *m, json_t *root, char *err, size_t errlen)
{
	json_t *o, *v;
	uint64_t u;
	unsigned t, c;

	memset(m, 0, sizeof(*m));
#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)
	if (!json_is_object(root))
		BAD("manifest is not a JSON object");
	o = json_object_get(root, "format");
	if (!json_is_object(o) || !json_is_integer(json_object_get(o, "major")))
		BAD("manifest has no format version");
	v = json_object_get(o, "major");
	if (json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
		BAD("manifest format version is invalid");
	m->format_major = (unsigned)json_integer_value(v);
	v = json_object_get(o, "minor");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  json_integer_value(v) > 1000000))
		BAD("manifest format minor version is invalid");
	m->format_minor = v ? (unsigned)json_integer_value(v) : 0;
	if (m->format_major > FR_FORMAT_MAJOR)
		BAD("bundle format %u.%u is newer than this flightrec reads (%u.x): "
		    "upgrade flightrec", m->format_major, m->format_minor, FR_FORMAT_MAJOR);
	if (m->format_major < 1)
		BAD("bundle format %u.%u is not supported", m->format_major,
		    m->format_minor);

	o = json_object_get(root, "tool");
	if (o && !get_str(o, "version", m->tool_version, sizeof(m->tool_version)))
		BAD("manifest: tool.version is not a string");
	o = json_object_get(root, "host");
	if (o && (!get_str(o, "hostname", m->hostname, sizeof(m->hostname)) ||
		  !get_str(o, "kernel_release", m->kernel_release, sizeof(m->kernel_release)) ||
		  !get_str(o, "machine", m->machine, sizeof(m->machine)) ||
		  !get_str(o, "boot_id", m->boot_id, sizeof(m->boot_id))))
		BAD("manifest: a host field is not a string");
	o = json_object_get(root, "clock");
	if (o) {
		if (!get_str(o, "source", m->clock, sizeof(m->clock)))
			BAD("manifest: clock.source is not a string");
		v = json_object_get(o, "to_utc_ns");
		if (v && !json_is_integer(v))
			BAD("manifest: clock.to_utc_ns is not an integer");
		m->clock_to_utc_ns = v ? (int64_t)json_integer_value(v) : 0;
		if (!get_u64(o, "offset_error_ns", &m->clock_offset_error_ns))
			BAD("manifest: clock.offset_error_ns is invalid");
	}
	o = json_object_get(root, "window");
	if (o && (!get_u64(o, "start_ns", &m->window_start_ns) ||
		  !get_u64(o, "end_ns", &m->window_end_ns)))
		BAD("manifest: window bounds are invalid");
	o = json_object_get(root, "trigger");
	if (o && (!get_str(o, "kind", m->trigger_kind, sizeof(m->trigger_kind)) ||
		  !get_str(o, "reason", m->trigger_reason, sizeof(m->trigger_reason)) ||
		  !get_u64(o, "ts_ns", &m->trigger_ns)))
		BAD("manifest: trigger fields are invalid");
	o = json_object_get(root, "counts");
	if (o) {
		json_t *bt = json_object_get(o, "by_type");

		if (!get_u64(o, "events", &m->event_count) ||
		    !get_u64(o, "payload_bytes", &m->payload_bytes) ||
		    !get_u64(o, "chunks", &m->chunk_count))
			BAD("manifest: counts are invalid");
		for (t = 1; bt && t < FR_EV_TYPE_COUNT; t++)
			if (!get_u64(bt, fr_event_type_name(t), &m->events_by_type[t]))
				BAD("manifest: counts.by_type.%s is invalid",
				    fr_event_type_name(t));
	}
	o = json_object_get(root, "losses");
	for (c = 1; o && c < FR_LOSS_CAUSE_COUNT; c++) {
		u = 0;
		if (!get_u64(o, fr_loss_cause_name(c), &u))
			BAD("manifest: losses.%s is invalid", fr_loss_cause_name(c));
		m->losses[c] = u;
	}
	m->capture = take_obj(root, "capture", false);
	m->features = take_obj(root, "features", false);
	m->redaction = take_obj(root, "redaction", true);
	m->extra = take_obj(root, "extra", false);
	return 0;
#undef BAD
fail:
	fr_manifest__clear(m);
	return -EINVAL;
}
