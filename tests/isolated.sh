#!/bin/bash
# tests/isolated.sh CMD...: runs CMD with a private /run (its own gifctl lock and netns list),
# so that several developers or agents can run the e2e tests on one machine at once.
# Global counts (BPF objects) are still shared.
exec unshare -m --propagation private bash -c 'mount -t tmpfs -o mode=0755 gifpriv /run && exec "$@"' _ "$@"
