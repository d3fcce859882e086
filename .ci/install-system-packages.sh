#!/usr/bin/env bash
# Debian packages the project needs: lavapipe (Mesa's software Vulkan, 25.x from bookworm-backports) so Dawn
# finds a WebGPU adapter without a GPU.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_backports_source() {
  if grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then return; fi
  # Reuse the mirror the machine already uses for bookworm, so no host is hard-coded here.
  local uris
  uris=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$uris" ]; then
    uris=$(awk '/^deb / && / bookworm / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  if [ -z "$uris" ]; then
    echo "cannot find the machine's Debian mirror to add bookworm-backports" >&2
    exit 1
  fi
  as_root tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<SRC
Types: deb
URIs: $uris
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

lavapipe_installed() {
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '^25\.' && [ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ]
}

if ! lavapipe_installed; then
  ensure_backports_source
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1
fi


# Chromium for the browser tests (test/browser/), driven headless by playwright-core.
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium
fi

# The chart's renderer (helm/render: Go's text/template with Sprig) and the image build (buildah on a debootstrap base).
ship_packages="golang-go golang-github-masterminds-sprig-dev golang-github-xeipuuv-gojsonschema-dev \
  golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev buildah debootstrap"
# shellcheck disable=SC2086
if dpkg-query -W -f='${Status}\n' $ship_packages 2>/dev/null | grep -vq '^install ok installed$' \
  || [ "$(dpkg-query -W -f='${Status}\n' $ship_packages 2>/dev/null | wc -l)" -ne "$(echo $ship_packages | wc -w)" ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $ship_packages
fi
