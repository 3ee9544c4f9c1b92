#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs a test program without the power to bypass file permissions. Root
# writes into any folder and reads any file, so a test of an unwritable
# destination proves nothing as root, and CI and a fresh machine run the
# tests as root: there the program runs through setpriv (util-linux)
# without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so that a folder or
# file without the permission bit is closed to it as to any user. (Not as
# nobody: the build tree, or a chroot's root folder, may be root's alone.)
# Anyone else runs it unchanged.
#
#   run-unprivileged.sh PROGRAM [ARGS...]
set -eu
if [ "$(id -u)" -ne 0 ]; then
  exec "$@"
fi
exec setpriv --bounding-set=-dac_override,-dac_read_search -- "$@"
