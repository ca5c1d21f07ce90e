# shellcheck shell=bash
# Shared by tests/cli/{slurm,parallel}_test.sh (sourced after oracle_lib.sh): which tool the engines run.
#
# engine_pick_tool sets engine_tool (the binary given to trawl-sbatch / trawl-parallel), engine_plan_args (its
# options before the sources), engine_sources (the sample evidence) and engine_run (the unsharded run of the same
# tool, options and sources, whose output the merge must equal byte for byte). wallet-scan --raw with 16 MiB units
# cuts the 64 MiB sample image into its two volumes and four byte windows read with a margin.
engine_pick_tool() {
  local ws ev
  ws=$(oracle_tool wallet-scan) || exit $?
  ev=$(oracle_evidence) || exit $?
  if ! "$ws" --help 2>&1 | grep -q -- '--plan'; then
    echo "FAIL: $ws has no work-unit commands (--plan, --unit-file, --merge): nothing for the engines to run"
    exit 1
  fi
  engine_tool=$ws
  engine_plan_args=(--no-progress --raw --unit-size 16M)
  engine_sources=("$ev/sample.img")
  engine_run() { "$engine_tool" --no-progress --raw "$@"; }
}

# engine_start_sshd DIR: an sshd of this test's own on 127.0.0.1 (a free port, keys and config under DIR, no
# PAM, public keys only, the user's own ~/.ssh untouched), so that GNU parallel's --sshlogin runs over real SSH.
# Sets engine_ssh: the ssh command for --sshlogin ("ssh ... USER@127.0.0.1"). Returns 1 with a message when sshd
# cannot be started. engine_stop_sshd DIR stops it (by its pid file).
engine_start_sshd() {
  local dir=$1 sshd port used user
  sshd=$(command -v sshd || echo /usr/sbin/sshd)
  [[ -x $sshd ]] || { echo "sshd is missing: apt-get install openssh-server (Makefile.dist deps)"; return 1; }
  mkdir -p "$dir" && rm -f "$dir"/{host_key,user_key}{,.pub} "$dir/sshd.pid"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$dir/user_key" || return 1
  cp "$dir/user_key.pub" "$dir/authorized_keys"
  # As root, sshd insists on its privilege-separation directory (the package's init script makes it).
  [[ $(id -u) -ne 0 || -d /run/sshd ]] || mkdir -m 0755 /run/sshd
  user=$(id -un)
  used=$(awk 'NR > 1 { split($2, a, ":"); print strtonum("0x" a[2]) }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    grep -qx "$port" <<<"$used" && continue
    cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
CONF
    "$sshd" -f "$dir/sshd_config" -E "$dir/sshd.log" || continue
    for _ in $(seq 50); do [[ -s $dir/sshd.pid ]] && break; sleep 0.1; done
    engine_ssh="ssh -F /dev/null -p $port -i $dir/user_key -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no"
    engine_ssh+=" -o BatchMode=yes -o LogLevel=ERROR $user@127.0.0.1"
    # shellcheck disable=SC2086 # the command is words, as parallel will split it
    $engine_ssh true 2>>"$dir/sshd.log" && return 0
    engine_stop_sshd "$dir"
  done
  echo "cannot start sshd (see $dir/sshd.log)"
  return 1
}

engine_stop_sshd() {
  local pid
  [[ -s $1/sshd.pid ]] || return 0
  pid=$(<"$1/sshd.pid")
  [[ $pid =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null
  rm -f "$1/sshd.pid"
}
