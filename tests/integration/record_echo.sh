#!/bin/bash
# flightrec record /bin/echo hello: the command's output passes through,
# its exit status is returned, and the bundle holds the exec with argv, the
# write of "hello\n" to fd 1 with its payload, and the exit; the manifest
# describes the recording and reports nothing lost; the process table has
# the command with its exe, argv, cwd, fds, maps and build-ids.
. "$(dirname "$0")/lib.sh"
need_bpf
. "$(dirname "$0")/record.bash"

cd "$TMP" || fail "cd"
rec "$TMP/echo.frb" /bin/echo hello || fail "record exited $? ($(cat "$TMP/rec.err"))"
expect_eq "$(cat "$TMP/rec.out")" "hello" "the command's stdout"
[ -s "$TMP/rec.err" ] && fail "-q printed on stderr: $(cat "$TMP/rec.err")"

events_json "$TMP/echo.frb"
jqe 'map(select(.type == "exec")) | length == 1' "$TMP/ev.json" "one exec event"
jqe 'map(select(.type == "exec"))[0] | .filename == "/bin/echo" and .argv == ["/bin/echo", "hello"]' \
	"$TMP/ev.json" "exec with filename and argv"
jqe 'map(select(.type == "syscall" and .name == "execve"))[0] | .no_exit and (.payloads | map(select(.kind == "in" and .arg == 0))[0].data == "/bin/echo")' \
	"$TMP/ev.json" "the execve call itself, with its path"
jqe 'map(select(.type == "syscall" and .name == "write" and .args[0] == 1)) | length == 1' \
	"$TMP/ev.json" "one write to fd 1"
jqe 'map(select(.type == "syscall" and .name == "write"))[0] | .ret == 6 and .duration_ns >= 0 and (.payloads | map(select(.kind == "in" and .arg == 1))[0] | .data == "hello\n" and .len == 6 and .full_len == 6)' \
	"$TMP/ev.json" "write of hello\\n with its payload"
jqe 'map(select(.type == "syscall" and .name == "write"))[0].payloads | map(select(.kind == "fdinfo"))[0].fdinfo.fd == 1' \
	"$TMP/ev.json" "fd 1 resolved"
jqe 'map(select(.type == "exit"))[0] | .exit_code == 0 and .group_dead' "$TMP/ev.json" "exit 0"
jqe '(map(select(.type == "exec"))[0].ts_ns) <= (map(select(.type == "syscall" and .name == "write"))[0].ts_ns)' \
	"$TMP/ev.json" "exec before write"
# every event is the command's or the scheduling around it: no syscall of
# another process (the recorder is not recorded)
pid=$(jq -s -r 'map(select(.type == "exec"))[0].pid' "$TMP/ev.json")
jqe "map(select(.type == \"syscall\" and .pid != $pid)) | length == 0" "$TMP/ev.json" \
	"only the command's syscalls"
jqe 'map(select(.type == "syscall")) | (map(.ts_ns) == (map(.ts_ns) | sort))' "$TMP/ev.json" \
	"events in time order"

# text form, as a user sees it
"$FLIGHTREC" events "$TMP/echo.frb" >"$TMP/ev.txt" || fail "events failed"
expect_grep 'write\(1.*"hello\\n", 6\) = 6' "$TMP/ev.txt" "the write line"

manifest "$TMP/echo.frb"
expect_no_losses
jqe '.trigger.kind == "record" and .trigger.reason == "/bin/echo hello"' "$TMP/insp.json" "trigger"
jqe ".capture.mode == \"record\" and .capture.aslr == \"disabled\" and .capture.snaplen == 0 and .capture.filters[0].root_pid == $pid" \
	"$TMP/insp.json" "capture object"
jqe '.capture.vdso.patched == true' "$TMP/insp.json" "vDSO patched"
jqe '.features.tracepoints.sys_enter.used and .features.tracepoints.sys_enter.attach == "tp_btf"' \
	"$TMP/insp.json" "features: sys_enter on tp_btf"
# every handler loaded as tp_btf, except for tracepoints this kernel lacks
jqe '.features.tracepoints | to_entries | all(.value.used and .value.attach == "tp_btf" or .value.detail == "tracepoint not in this kernel")' \
	"$TMP/insp.json" "all handlers attached: $(jq -c '.features.tracepoints | with_entries(select(.value.attach != "tp_btf"))' "$TMP/insp.json")"
jqe '.window.start_ns > 0 and .window.end_ns >= .window.start_ns' "$TMP/insp.json" "window"

proctab "$TMP/echo.frb"
jqe ".processes | map(select(.pid == $pid)) | length == 1" "$TMP/proc.json" "the command in the process table"
P=".processes | map(select(.pid == $pid))[0]"
jqe "$P | .root and .exe == \"$(readlink -f /bin/echo)\" and .argv == [\"/bin/echo\", \"hello\"]" \
	"$TMP/proc.json" "exe and argv"
jqe "$P | .cwd == \"$TMP\" and .exit_status == 0 and .start_ns > 0" "$TMP/proc.json" "cwd, exit, start"
jqe "$P | (.exe_build_id | test(\"^[0-9a-f]{40}\$\"))" "$TMP/proc.json" "exe build-id"
jqe "$P | .maps | map(select(.path == \"$(readlink -f /bin/echo)\")) | length >= 1" "$TMP/proc.json" "maps"
jqe "$P | .maps | map(select(.path != null and (.path | test(\"libc\")) and .build_id != null)) | length >= 1" \
	"$TMP/proc.json" "libc mapped, with its build-id"
jqe "$P | .fds | map(.fd) | contains([0, 1, 2])" "$TMP/proc.json" "fds 0 1 2"
jqe "$P | .env | length > 0" "$TMP/proc.json" "environment"
jqe "$P | .rlimits | length >= 10" "$TMP/proc.json" "rlimits"
jqe "$P | .namespaces | map(.name) | contains([\"pid\", \"net\", \"mnt\"])" "$TMP/proc.json" "namespaces"

# the bundle is a plain tar (DESIGN.md)
tar tf "$TMP/echo.frb" | grep -q manifest.json || fail "tar tf lists no manifest"
exit 0
