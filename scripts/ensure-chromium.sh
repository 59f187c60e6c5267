#!/usr/bin/env bash
# The UI's end-to-end tests (test/ui/ui-e2e.test.ts) drive Debian's Chromium through playwright-core.
# Runs before `npm test`: installs it once when it is missing, so a fresh machine needs no extra step.
set -euo pipefail
browser="${STEPWISE_CHROMIUM:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "pretest: installing Debian's chromium for the UI's browser tests (once)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium > /dev/null
  exit 0
fi
echo "pretest: $browser is missing; the UI's browser tests need Chromium (Debian: apt-get install chromium, or set STEPWISE_CHROMIUM to a Chrome/Chromium binary)" >&2
exit 1
