#!/usr/bin/env bash
# Install the headless Chromium that the review app's end-to-end tests drive (tests/e2e/),
# from Debian packages; Playwright talks to /usr/bin/chromium and downloads no browser.
# Idempotent: exits at once when chromium and chromedriver are already installed.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    echo "install_browser: $(chromium --version 2>/dev/null | head -n 1) already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium chromium-driver
echo "install_browser: $(chromium --version 2>/dev/null | head -n 1)"
