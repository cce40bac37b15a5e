#!/usr/bin/env bash
# bench/ab.sh for the email campaign, under the name earlier entries of bench/RESULTS.md give.
# Usage: bench/ab-email.sh BEFORE_BINARY AFTER_BINARY [rounds] [recipients]
exec bash "$(dirname "$0")/ab.sh" email "$@"
