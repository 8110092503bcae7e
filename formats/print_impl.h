/* SPDX-License-Identifier: MIT */
/*
 * print_impl.h: what formats/names.c and formats/print*.c share and nobody
 * else needs.
 */
#ifndef FR_PRINT_IMPL_H
#define FR_PRINT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/event.h"
#include "formats/util.h"

/* One named value of a set. */
struct fr_name {
	uint64_t value;
	const char *name;
};

/* The name of value v in table t, or NULL. */
const char *fr_name_lookup(const struct fr_name *t, size_t n, uint64_t v);
/* True for the FR_FMT_S_* struct decoders. */
bool fr_fmt_is_struct(unsigned set);
/* Print `v` with the bits of table t (names joined by '|', rest in hex; the
 * zero-valued name, or "0", for 0). */
void fr_print_flag_table(struct fr_sb *sb, const struct fr_name *t, size_t n, uint64_t v);

struct fr_print_opts;

/* Little-endian reads of bundle bytes (any alignment, any host). */
uint16_t fr_rd16(const uint8_t *p);
uint32_t fr_rd32(const uint8_t *p);
uint64_t fr_rd64(const uint8_t *p);

/* o->strsize, or the default 32. */
unsigned fr_print_strsize(const struct fr_print_opts *o);
/* Escaped and quoted with the strsize limit (fr_sb_escape). */
void fr_print_escaped(struct fr_sb *sb, const uint8_t *data, size_t len, size_t full_len,
		      const struct fr_print_opts *o);
/* "S_IFREG|0644", "0755". */
void fr_print_mode(struct fr_sb *sb, uint64_t mode);
/* "[INT TERM]", "~[KILL STOP]" for `len` bytes of sigset. */
void fr_print_sigset(struct fr_sb *sb, const uint8_t *p, size_t len);
/* "{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}". */
void fr_print_sockaddr_data(struct fr_sb *sb, const uint8_t *d, size_t len, size_t full_len,
			    const struct fr_print_opts *o);
/* "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]". */
void fr_print_wait_status(struct fr_sb *sb, int status);
/* Bytes a struct decoder needs (0: any length). */
size_t fr_fmt_struct_size(unsigned fmt);
/* An array of `size`-byte elements decoded with `fmt`; `out` for what the
 * kernel wrote (poll shows only the fds with revents then). */
void fr_print_array(struct fr_sb *sb, unsigned fmt, size_t size, const uint8_t *d, size_t len,
		    size_t full_len, bool out, const struct fr_print_opts *o);
/* Arguments a syscall line shows (strace leaves out ignored ones). */
unsigned fr_syscall_nargs_shown(const struct fr_event *ev);
/* Argument i of a syscall event, decoded. */
void fr_print_syscall_arg(struct fr_sb *sb, const struct fr_event *ev, unsigned i,
			  const struct fr_print_opts *o);
/* "pipe", "socket", ... for enum fr_fd_type. */
const char *fr_fd_type_name(unsigned type);

#endif
