#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# CodeDeploy ApplicationStart: restart the application's systemd unit (ION_SERVICE in the instance's
# env file) so it starts on the classpath AfterInstall wrote ($ION_ROOT/apps/<app>/current/classpath).
# Instances without systemd (containers, local clouds) have nothing to restart: say so and succeed.
set -eu
ION_HOOK=application-start
# shellcheck source=lib/common.sh
. "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

ion_init
ion_read_manifest

if [ -z "$ION_SERVICE" ]; then
  ion_log "ION_SERVICE is not set (in $ION_ENV_FILE); no service restarted"
  exit 0
fi
if ! command -v systemctl >/dev/null 2>&1; then
  ion_log "no systemctl on this machine; not restarting $ION_SERVICE"
  exit 0
fi
ION_STEP="restarting $ION_SERVICE"
if ! systemctl restart "$ION_SERVICE" >"$ION_WORK/restart.out" 2>&1; then
  ion_fail "systemctl restart $ION_SERVICE failed: $(head -n 1 "$ION_WORK/restart.out") (see: journalctl -u $ION_SERVICE -n 100)"
fi
ion_log "restarted $ION_SERVICE on $ION_APP rev $ION_REV"
