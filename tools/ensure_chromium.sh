#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium (browser tests drive it
# through Playwright; Playwright's own browser download does not work offline), with the
# fonts the book needs: fonts-noto-cjk, or the Chinese edition renders as empty boxes.
set -euo pipefail
PACKAGES=(chromium fonts-dejavu-core fonts-noto-cjk)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if ! command -v dpkg-query >/dev/null; then
  # not Debian: only the browser can be checked; the CJK fonts are up to the machine
  [ -x /usr/bin/chromium ] && exit 0
  echo "Chromium is missing at /usr/bin/chromium; install it (and a CJK font such as Noto Sans CJK)." >&2
  exit 1
fi
missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]}..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/chromium --version
