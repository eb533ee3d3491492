#!/usr/bin/env bash
# Installs Debian's nginx for `make serve` and its browser test (the proxy in front of replicas).
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The proxy needs Debian's nginx: run 'sudo apt-get install -y nginx-light'." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq nginx-light >/dev/null
# the package starts a default server on port 80: the project runs its own instance only
(systemctl disable --now nginx || service nginx stop || true) >/dev/null 2>&1
/usr/sbin/nginx -v
