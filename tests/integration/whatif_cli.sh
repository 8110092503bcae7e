#!/bin/bash
# What-if options on the command line: help, usage errors, their checks
# against the recording.
. "$(dirname "$0")/lib.sh"
FIXTURES=${FIXTURES:-$(realpath tests/fixtures)}

"$FLIGHTREC" replay --help > "$TMP/help"
expect_eq "$?" 0 "--help: exit status"
for opt in --what-if --set-env --set-arg; do
	expect_grep "$opt" "$TMP/help" "--help mentions $opt"
done

"$FLIGHTREC" replay "$FIXTURES/echo.frb" --set-env NOEQUALS > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "--set-env without =: exit status"
expect_grep "^flightrec: replay: --set-env 'NOEQUALS': expected NAME=VALUE" "$TMP/err" "--set-env: message"

"$FLIGHTREC" replay "$FIXTURES/echo.frb" --set-arg x=1 > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "--set-arg without a number: exit status"
expect_grep "^flightrec: replay: --set-arg 'x=1': expected N=VALUE" "$TMP/err" "--set-arg: message"

"$FLIGHTREC" replay "$FIXTURES/echo.frb" --set-arg 1 > /dev/null 2> "$TMP/err"
expect_eq "$?" 2 "--set-arg without =: exit status"

# An argument number past the end (plus one) is refused with the count.
"$FLIGHTREC" replay "$FIXTURES/echo.frb" --set-arg 99=x > /dev/null 2> "$TMP/err"
expect_eq "$?" 1 "--set-arg past the end: exit status"
expect_grep "^flightrec: replay: .*--set-arg 99: the recorded program has [0-9]+ arguments" "$TMP/err" \
	"--set-arg past the end: message"
exit 0
