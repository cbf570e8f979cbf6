#!/usr/bin/env bash
# Make sure a headless Chromium is on the machine for the browser tests (Debian's chromium and
# chromium-driver). Installs them with apt-get when missing and allowed (root); otherwise says why, and
# the browser tests skip with that message.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium is not installed and apt-get cannot install it here (not root, or not Debian): the browser tests will be skipped"
    exit 0
fi
echo "installing chromium and chromium-driver with apt-get (for the browser tests)"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }; then
    echo "apt-get could not install chromium: the browser tests will be skipped"
fi
exit 0
