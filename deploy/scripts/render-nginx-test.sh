#!/usr/bin/env bash
# Writes a ready-to-run loopback nginx configuration for tests from
# deploy/nginx/sanayicin-test.conf.in:
#
#   render-nginx-test.sh --dir DIR --port PORT --backend 127.0.0.1:P1 [--backend ...]
#                        [--web-root FOLDER]
#
# DIR gets nginx.conf, snippets/, mime.types and tmp/; then
#   nginx -p DIR -c DIR/nginx.conf      starts it (pid in DIR/nginx.pid)
#   nginx -p DIR -c DIR/nginx.conf -t   checks it
# Backends and the listen port must be loopback: this is the test variant.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deploy=$(cd "$here/.." && pwd)
repo=$(cd "$deploy/.." && pwd)

usage() {
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

dir="" port="" web_root="$repo/resources/web"
backends=()
while [ $# -gt 0 ]; do
    case $1 in
    --dir) dir=${2:?}; shift 2 ;;
    --port) port=${2:?}; shift 2 ;;
    --backend) backends+=("${2:?}"); shift 2 ;;
    --web-root) web_root=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "render-nginx-test.sh: unknown argument $1" >&2; usage ;;
    esac
done
if [ -z "$dir" ] || [ -z "$port" ] || [ ${#backends[@]} -eq 0 ]; then usage; fi
[[ $port =~ ^[0-9]+$ ]] || { echo "render-nginx-test.sh: bad port $port" >&2; exit 2; }
for b in "${backends[@]}"; do
    if ! [[ $b =~ ^(127\.[0-9]+\.[0-9]+\.[0-9]+|\[::1\]):[0-9]+$ ]]; then
        echo "render-nginx-test.sh: backend $b is not a loopback address:port" >&2
        exit 2
    fi
done

mkdir -p "$dir/snippets" "$dir/tmp"
dir=$(cd "$dir" && pwd)
web_root=$(cd "$web_root" && pwd)
cp "$deploy"/nginx/snippets/*.conf "$dir/snippets/"
if [ -f /etc/nginx/mime.types ]; then
    cp /etc/nginx/mime.types "$dir/mime.types"
else
    cat >"$dir/mime.types" <<'EOF'
types {
    text/html html;
    text/css css;
    application/javascript js;
    image/svg+xml svg;
    image/png png;
    image/x-icon ico;
}
EOF
fi

server_lines=""
for b in "${backends[@]}"; do
    server_lines+="server $b max_fails=3 fail_timeout=10s; "
done

sed -e "s|@PREFIX@|$dir|g" \
    -e "s|@PORT@|$port|g" \
    -e "s|@BACKENDS@|$server_lines|g" \
    -e "s|@WEB_ROOT@|$web_root|g" \
    "$deploy/nginx/sanayicin-test.conf.in" >"$dir/nginx.conf"

if grep -q '@[A-Z_]*@' "$dir/nginx.conf"; then
    echo "render-nginx-test.sh: unfilled placeholder in $dir/nginx.conf" >&2
    exit 1
fi
echo "$dir/nginx.conf"
