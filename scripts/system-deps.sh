#!/usr/bin/env bash
# Debian packages the app needs at run time. Installs what is missing when run as root.
# fonts-noto-color-emoji: emoji in comments (👍🏽, 💙) print in the PDF instead of empty boxes.
set -euo pipefail
wanted=(libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-color-emoji)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} (WeasyPrint needs them for fast, correct PDFs)."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  echo "(Without libharfbuzz-subset0, PDF reports still work but render about twice as slowly.)"
fi
