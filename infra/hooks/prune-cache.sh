#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# CodeDeploy ValidateService, after validate-service.sh succeeded: the deployment is good, so the
# instance keeps, for each app, its ION_KEEP_REVISIONS newest revisions (default 3; the current one
# always) and removes the others, the cached objects and unpacked directories none of the kept ones
# use, and scratch directories left by hooks that were killed. Each removal is a line in the log.
# Removing is best effort: what cannot be removed is said and left, and never fails the deployment.
set -eu
ION_HOOK=prune-cache
# shellcheck source=lib/common.sh
. "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

ion_init
ION_STEP="reading ION_KEEP_REVISIONS"
case $ION_KEEP_REVISIONS in
  '' | *[!0-9]* | 0*)
    ion_fail "ION_KEEP_REVISIONS is '$ION_KEEP_REVISIONS'; set it in $ION_ENV_FILE to how many revisions per app the instance keeps, a whole number from 1 (default 3)" ;;
esac
ION_STEP="pruning $ION_ROOT"
ion_py prune "$ION_ROOT" "$ION_KEEP_REVISIONS" "$ION_WORK" || { ION_FAILED=1; exit 1; }
