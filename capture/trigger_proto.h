/* SPDX-License-Identifier: MIT */
/*
 * trigger_proto.h: the protocol of the trigger socket, between
 * `flightrec capture` (the server, capture/trigger.c) and `flightrec trigger`
 * (the client, cli/cmd_trigger.c).  Header only, no libbpf: the client is
 * part of every build.
 *
 * A unix stream socket (default FR_TRIGGER_SOCKET), created mode 0600 and
 * owned by root.  The server also checks the peer's credentials
 * (SO_PEERCRED) and refuses any peer whose uid is not 0, saying so.
 *
 * One request per connection, one line of at most FR_TRIGGER_LINE_MAX
 * bytes, fields separated by one space:
 *
 *   "trigger" SP VERSION SP WAIT SP REASON LF
 *
 *   VERSION  FR_TRIGGER_PROTO_VERSION
 *   WAIT     "1": keep the connection until the bundle is written;
 *            "0": answer as soon as the trigger is accepted or refused
 *   REASON   free text to the end of the line (no LF; control characters
 *            are replaced by the server), may be empty
 *
 * Replies, each one line "WORD SP TEXT LF":
 *
 *   "accepted" SP <trigger time, event clock ns> SP <bundle path>
 *        the trigger was taken; the bundle will appear at that path
 *   "joined" SP <trigger time> SP <bundle path>
 *        a bundle in progress already covers this moment: that one is yours
 *   "suppressed" SP <why>    cooldown or a bundle in progress (then closed)
 *   "refused" SP <why>       not root, malformed request (then closed)
 *   then, with WAIT=1 after accepted/joined, exactly one of
 *   "written" SP <bundle path>
 *   "failed" SP <why>
 */
#ifndef FR_TRIGGER_PROTO_H
#define FR_TRIGGER_PROTO_H

#define FR_TRIGGER_SOCKET "/run/flightrec.sock"
#define FR_TRIGGER_PROTO_VERSION 1
#define FR_TRIGGER_LINE_MAX 1024
#define FR_TRIGGER_REASON_MAX 480

#define FR_TRIGGER_REQ "trigger"
#define FR_TRIGGER_ACCEPTED "accepted"
#define FR_TRIGGER_JOINED "joined"
#define FR_TRIGGER_SUPPRESSED "suppressed"
#define FR_TRIGGER_REFUSED "refused"
#define FR_TRIGGER_WRITTEN "written"
#define FR_TRIGGER_FAILED "failed"

#endif
