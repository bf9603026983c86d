#!/usr/bin/env bash
# Builds the live tests' real components from the pins in this folder, into .build/:
#   centrifugo  the Centrifugo v6.9.1 server (tool pin in go.mod, sums in go.sum);
#   trigger     a small server on the centrifuge library at the version v6.9.1 requires;
#   godriver    a driver for the centrifuge-go v0.12.1 SDK (its own module, godriver/);
#   driftguard  prints the codes the pinned library and server sources define (driftguard/).
# Modules come from the Go module proxy and are checked against go.sum; nothing is
# resolved afresh (-mod=readonly), and the toolchain is the machine's (GOTOOLCHAIN=local).
# Exits 2 without Go, non-zero when any build fails; never skips.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/.build"
command -v go > /dev/null || { echo "tests/live/build.sh: Go is required (go1.26 or newer), and is not on PATH" >&2; exit 2; }
export GOFLAGS=-mod=readonly GOTOOLCHAIN=local CGO_ENABLED=0
mkdir -p "$out"
cd "$here"
started=$SECONDS
# The version Centrifugo reports (its /info and the metrics' build label), as its
# release build sets it.
go build -trimpath -ldflags "-s -w -X github.com/centrifugal/centrifugo/v6/internal/build.Version=6.9.1" \
    -o "$out/centrifugo.tmp" github.com/centrifugal/centrifugo/v6
mv "$out/centrifugo.tmp" "$out/centrifugo"
go build -trimpath -o "$out/trigger.tmp" ./trigger && mv "$out/trigger.tmp" "$out/trigger"
go build -trimpath -o "$out/driftguard.tmp" ./driftguard && mv "$out/driftguard.tmp" "$out/driftguard"
(cd "$here/godriver" && go build -trimpath -o "$out/godriver.tmp" . && mv "$out/godriver.tmp" "$out/godriver")
echo "tests/live/build.sh: built $(ls "$out" | tr '\n' ' ')in $((SECONDS - started)) s"
