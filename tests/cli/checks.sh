# Assertions shared by the CLI test scripts: source it, call check/check_contains; `checks` and
# `failures` count them for the script's closing tally.

failures=0
checks=0

# check NAME EXPECTED ACTUAL: compares two strings and reports a difference.
check() {
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    failures=$((failures + 1))
    echo "FAIL: $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /'
  fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
  checks=$((checks + 1))
  if [[ "$3" != *"$2"* ]]; then
    failures=$((failures + 1))
    echo "FAIL: $1: expected to find '$2' in:"
    printf '%s\n' "$3" | sed 's/^/    /'
  fi
}
