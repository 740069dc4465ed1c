#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_reconfig.sh with TC-ingress decapsulation on both underlays (gifctl's default on veth).
RECONFIG_DECAP=tc exec bash "$(dirname "$0")/test_reconfig.sh" "$@"
