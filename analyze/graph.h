/* SPDX-License-Identifier: MIT */
/*
 * graph.h: the causal graph of an incident, as people look at it: built
 * from the incident's critical path (analyze.h), drawn with Graphviz (cgraph
 * builds it, gvc lays it out and renders it in-process), and the HTML page
 * that puts the graph, a timeline and the root causes on one screen
 * (analyze/html.c).  docs/pictures.md shows what the pictures mean.
 *
 * The graph of one incident is small on purpose: the critical path's
 * segments are aggregated, not drawn one by one.  Its nodes:
 *
 *   thread   a task on the path ("comm pid/tid"): the victim, the threads
 *            the path crossed to, the threads that held a CPU it waited for
 *   call     a system call a thread was blocked in ("read() on pipe:[12]"),
 *            one node per (thread, syscall, resource)
 *   kernel   what the kernel did on the path's behalf: running on a CPU,
 *            waiting in a run queue behind a task not recorded, memory
 *            reclaim, major page faults, disk I/O, the network (the
 *            remote peer), a timer, or nothing recorded
 *   failure  what killed or stopped the victim (OOM kill, fatal signal,
 *            non-zero exit), for incidents that have no duration
 *
 * and its edges, each weighted by the incident time it explains (`ns`):
 *
 *   blocked  thread -> the call it was blocked in
 *   woken    call -> the thread whose work ended the wait (the path's hop
 *            across threads, labelled with how: pipe, tcp, futex, ...)
 *   cpu      thread -> the thread holding the CPU it waited for
 *   cause    thread or call -> kernel node
 *   blame    kernel or failure node -> the process behind it (the one
 *            that filled the memory cgroup, issued the disk I/O, sent the
 *            signal, triggered the OOM kill); or call -> the task that
 *            ended the wait when the walk did not follow it (a kernel
 *            thread, a task not recorded)
 *
 * Every segment's time flows from the victim along the chain of hops that
 * led to it, so the weights add up: what leaves the victim is the incident's
 * duration, and what enters a thread or call node leaves it.  Edges below a
 * share of the incident (1% by default) are left out, more when the graph
 * would have more than max_nodes nodes; how many were left out is said in
 * the drawing.
 */
#ifndef FA_GRAPH_H
#define FA_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/analyze.h"

enum fa_gnode_kind { FA_GN_THREAD = 0, FA_GN_CALL, FA_GN_KERNEL, FA_GN_FAILURE, FA_GN_KIND_COUNT };

enum fa_gkernel {
	FA_GK_CPU = 0,	/* running on a CPU */
	FA_GK_RUNQUEUE, /* runnable behind a task the recording does not name */
	FA_GK_RECLAIM,	/* direct or memory-cgroup reclaim */
	FA_GK_FAULT,	/* major page faults */
	FA_GK_DISK,
	FA_GK_NETWORK, /* the remote peer, or the network in between */
	FA_GK_TIMER,
	FA_GK_UNKNOWN, /* nothing recorded explains the time */
	FA_GK_COUNT
};

enum fa_gedge_kind {
	FA_GE_BLOCKED = 0,
	FA_GE_WOKEN,
	FA_GE_CPU,
	FA_GE_CAUSE,
	FA_GE_BLAME,
	FA_GE_FAILURE, /* victim -> failure node */
	FA_GE_KIND_COUNT
};

/* fa_gnode.flags */
#define FA_GNF_VICTIM 0x1     /* the incident's thread */
#define FA_GNF_CULPRIT 0x2    /* a culprit of the top root cause */
#define FA_GNF_RETRANSMIT 0x4 /* network: TCP retransmits on the connections */
#define FA_GNF_SHOWN 0x8      /* drawn (see the pruning above) */

struct fa_gnode {
	uint8_t kind;	 /* enum fa_gnode_kind */
	uint8_t kernel;	 /* FA_GN_KERNEL: enum fa_gkernel */
	uint16_t flags;	 /* FA_GNF_* */
	uint32_t thread; /* THREAD and CALL: thread index */
	uint32_t nr;	 /* CALL: syscall number, FA_NONE */
	uint32_t res;	 /* CALL: resource, FA_NONE */
	uint32_t wait;	 /* CALL: one of the waits it stands for (for its name) */
	uint64_t ns_in;	 /* time on the edges into it */
	uint64_t ns_out; /* ... and out of it */
};

struct fa_gedge {
	uint32_t from, to; /* node indexes */
	uint8_t kind;	   /* enum fa_gedge_kind */
	uint8_t via;	   /* WOKEN: enum fa_via */
	uint8_t category;  /* the category of most of its time */
	bool shown;
	bool main; /* on the heaviest chain from the victim */
	uint64_t ns;
	uint64_t ns_by_cat[FA_CAT_COUNT];
};

struct fa_graph {
	const struct fa_incident *inc;
	uint32_t victim; /* node index of the victim thread */
	struct fa_gnode *nodes;
	uint32_t n_nodes, cap_nodes;
	struct fa_gedge *edges;
	uint32_t n_edges, cap_edges;
	uint64_t total_ns; /* the incident's duration (weights' 100%) */
	uint64_t min_ns;   /* edges lighter than this are not drawn */
	uint32_t n_hidden; /* edges not drawn */
	uint32_t n_shown_nodes;
	uint64_t unlinked_ns; /* path time whose chain of hops could not be told apart */
};

struct fa_graph_opts {
	unsigned max_nodes; /* drawn per incident (0: 24) */
	double min_share;   /* edges below this share are not drawn (0: 0.01) */
};

/*
 * The graph of one explained incident (fa_incident__explain ran).  `o` may be
 * NULL.  Returns 0 with *out (free with fa_graph__free), or -ENOMEM / -EINVAL.
 * The graph points to `inc`, which must outlive it.
 */
int fa_graph__build(const struct fa_model *m, const struct fa_incident *inc,
		    const struct fa_graph_opts *o, struct fa_graph **out);
void fa_graph__free(struct fa_graph *g);
/* The edge from node `from` to node `to` of that kind (any kind: -1), or
 * FA_NONE. */
uint32_t fa_graph__edge(const struct fa_graph *g, uint32_t from, uint32_t to, int kind);
/* The node of thread index `thread`, or FA_NONE. */
uint32_t fa_graph__thread_node(const struct fa_graph *g, uint32_t thread);
/* A short label of a node ("an_server 20835", "read() on pipe:[12]", "disk
 * I/O") into buf; strings from the bundle are copied as they are. */
void fa_graph__node_name(const struct fa_model *m, const struct fa_graph *g, uint32_t node,
			 char *buf, size_t len);

const char *fa_gnode_kind_name(unsigned kind); /* "thread", "call", ... */
const char *fa_gedge_kind_name(unsigned kind); /* "blocked", "woken", ... */
const char *fa_gkernel_name(unsigned kernel);  /* "on CPU", "disk I/O", ... */
/* A colour ("#rrggbb") for a root-cause category, the same in every picture. */
const char *fa_category_color(unsigned category);
/* Length (1..4) of the valid UTF-8 sequence at s (n bytes available), 0 when
 * the bytes there are not valid UTF-8.  This function cannot fail. */
size_t fa_utf8_len(const unsigned char *s, size_t n);

/* ---- drawing (analyze/graph_draw.c: Graphviz) --------------------------------------- */

/*
 * Write the graphs of every incident of `inc` to `f`: "dot" writes the
 * graph as Graphviz source (no layout), "svg" lays it out with dot and
 * renders it in-process.  One incident is the whole graph; several are one
 * cluster each.  `file` names the bundle in the title (may be NULL).
 * Returns 0, or -errno with a message in `err`.
 */
int fa_graph__write(FILE *f, const char *format, const struct fa_model *m,
		    const struct fa_incidents *inc, const char *file, const struct fa_graph_opts *o,
		    char *err, size_t errlen);

/*
 * The SVG of one incident's graph (number `idx`, for titles and element
 * ids) as a heap string without XML prolog, ready to inline in HTML (no
 * legend: the page has its own).
 * Returns 0 with *svg (free()) and *len, or -errno with a message.
 */
int fa_graph__svg(const struct fa_model *m, const struct fa_incident *inc, unsigned idx,
		  const struct fa_graph_opts *o, char **svg, size_t *len, char *err, size_t errlen);

/* ---- output files (analyze/graph_draw.c) ------------------------------------------------ */

/*
 * Open `path` for writing through a temporary file in the same directory
 * ("-": stdout), so that a failed write never leaves a partial file behind.
 * Returns the stream (NULL with errno set); *tmp receives the temporary
 * name (NULL for stdout), which fa_out__close consumes.  A `private` file
 * is made 0600, as bundles are (it holds their payloads); otherwise the
 * user's umask decides, as for any file.
 */
FILE *fa_out__open(const char *path, char **tmp, bool private);
/* Close; when `ok`, rename the temporary file to `path`, else remove it.
 * Returns 0 or -errno. */
int fa_out__close(FILE *f, const char *path, char *tmp, bool ok);

/* ---- HTML (analyze/html.c) -------------------------------------------------------------- */

struct fa_html_opts {
	const char *file; /* bundle name for the title, may be NULL */
	struct fa_graph_opts graph;
	unsigned max_rows; /* threads in a timeline (0: 12) */
};

/*
 * One self-contained HTML page (no network, no external CSS or script):
 * the bundle's summary, then for each incident its summary, breakdown,
 * root-cause table, causal graph (inline SVG from Graphviz) and a
 * per-thread timeline of the incident window (inline SVG: states coloured,
 * wakeups as arrows, the critical path drawn over it).  Every string that
 * comes from the bundle is escaped.  Returns 0, or -errno with a message.
 */
int fa_html__write(FILE *f, const struct fa_model *m, const struct fa_incidents *inc,
		   const struct fa_html_opts *o, char *err, size_t errlen);

#endif /* FA_GRAPH_H */
