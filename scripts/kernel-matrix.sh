#!/usr/bin/env bash
# Runs a syscost matrix under other kernels, without installing them: each kernel boots under
# qemu from an initramfs holding busybox and a stripped syscost built with a static Swift
# runtime, runs the matrix, and sends the JSON report back over the serial console (base64
# between markers). Reports are saved under results/<host>-qemu/<kernel>/, then `syscost
# history` prints them all.
#
#   scripts/kernel-matrix.sh [--accel auto|kvm|tcg] [--matrix 'PATTERN …'] [--args 'RUN ARGS']
#                            [--results DIR] [--kvm-probe SECONDS] KERNEL…
#   scripts/kernel-matrix.sh --clean      remove the build trees (.build-static, .build-kernels)
#
# KERNEL: a Debian kernel package name (linux-image-6.12.117+deb12-cloud-amd64), fetched with
# apt-get download and extracted, never installed; or a path to a vmlinuz.
# --accel auto probes KVM once, with the first kernel, for at most --kvm-probe seconds (default
# 20): a guest that reaches its init goes on under KVM; qemu's "KVM internal error" (it then
# pauses instead of exiting: this machine's /dev/kvm is a PVM host that cannot run stock
# kernels), an exit or the timeout sends that kernel and every other straight to TCG. Under TCG
# every report is marked "emulated" and records the host that emulated it (CPU, hostname,
# machine key): its timings are QEMU's on that host, not the hardware's.
# Build trees are kept and reused (the static build, downloaded kernels); --clean removes them.
# Exit status: 0 when every kernel gave a report, 1 when one did not, 2 on bad usage.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
accel=auto
matrix='syscall/invalid/raw syscall/getppid/raw syscall/getppid/libc vdso/clock_gettime-monotonic/* ctxswitch/pipe-process/same-cpu ctxswitch/pipe/no-switch'
run_args='--quick --warmup 50'
timeout_s=${SYSCOST_KM_TIMEOUT:-900}
probe_s=20
results="$root/results"
clean=0
t0=$(date +%s)
say() { echo "kernel-matrix [$(( $(date +%s) - t0 )) s]: $*" >&2; }
usage() { echo "usage: scripts/kernel-matrix.sh [--accel auto|kvm|tcg] [--matrix 'PATTERN …'] [--args 'RUN ARGS'] [--results DIR] [--kvm-probe SECONDS] KERNEL…  |  --clean" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --accel|--matrix|--args|--results|--kvm-probe) [[ $# -ge 2 ]] || { echo "kernel-matrix: $1 needs a value" >&2; usage; } ;;&
        --accel) accel=$2; shift 2 ;;
        --matrix) matrix=$2; shift 2 ;;
        --args) run_args=$2; shift 2 ;;
        --results) results=$(realpath -m "$2"); shift 2 ;;
        --kvm-probe) probe_s=$2; shift 2 ;;
        --clean) clean=1; shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        -*) echo "kernel-matrix: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
case $accel in auto|kvm|tcg) ;; *) echo "kernel-matrix: --accel takes auto, kvm or tcg (got '$accel')" >&2; exit 2 ;; esac
[[ $probe_s =~ ^[1-9][0-9]*$ ]] || { echo "kernel-matrix: --kvm-probe takes a whole number of seconds (got '$probe_s')" >&2; exit 2; }
work="$root/.build-kernels"
if [[ $clean == 1 ]]; then
    [[ $# -eq 0 ]] || { echo "kernel-matrix: --clean takes no kernels" >&2; exit 2; }
    freed=$(du -shc "$work" "$root/.build-static" 2>/dev/null | tail -1 | cut -f1)
    rm -rf "$work" "$root/.build-static"
    say "removed .build-kernels and .build-static (${freed:-0})"
    exit 0
fi
[[ $# -gt 0 ]] || usage

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v strip >/dev/null || need+=(binutils)
if [[ ${#need[@]} -gt 0 ]]; then
    say "installing ${need[*]} (apt-get update first: a fresh image has no package lists)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || { echo "kernel-matrix: apt-get update failed" >&2; exit 1; }
    updated=1
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
        || { echo "kernel-matrix: could not install ${need[*]}" >&2; exit 1; }
fi
bash "$root/scripts/setup.sh" >/dev/null
mkdir -p "$work"
cd "$root"

# Every kernel first: a wrong name is reported before anything is built or booted.
declare -A vmlinuz=()
failed=()
for kernel in "$@"; do
    if [[ -f $kernel ]]; then vmlinuz[$kernel]=$kernel; continue; fi
    dir="$work/kernels/$kernel"
    if ! ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then
        say "fetching $kernel (apt-get download; extracted, never installed)"
        download() { (cd "$work" && apt-get download "$kernel" >"$work/download.log" 2>&1); }
        if ! download && grep -q "Unable to locate" "$work/download.log" && [[ ${updated:-0} == 0 ]]; then
            say "no $kernel in the package lists: apt-get update, then again"
            updated=1; apt-get update -qq >/dev/null 2>&1 || true
            download || true
        fi
        if ! ls "$work/${kernel}"_*.deb >/dev/null 2>&1; then
            if grep -q "Unable to locate\|has no installation candidate" "$work/download.log"; then
                echo "kernel-matrix: no package $kernel (try: apt-cache search linux-image; apt-get update if the lists are old)" >&2
            else
                echo "kernel-matrix: apt-get download $kernel failed: $(tail -1 "$work/download.log")" >&2
            fi
            failed+=("$kernel: not fetched"); continue
        fi
        rm -rf "$dir"; mkdir -p "$dir"
        # Only the kernel image: the guest loads no modules (its root is the initramfs, its
        # console the serial line), and they are most of the package's 100 MB.
        dpkg-deb --fsys-tarfile "$work/${kernel}"_*.deb | tar -xf - -C "$dir" --wildcards './boot/vmlinuz-*' \
            && rm -f "$work/${kernel}"_*.deb
    fi
    vmlinuz[$kernel]=$(ls "$dir"/boot/vmlinuz-* | head -1)
done

# syscost with the Swift runtime linked in (the build tree is kept: later runs rebuild only
# what changed); the C libraries it still needs are copied beside it.
say "building syscost (release, static Swift runtime; the first build takes minutes, later ones seconds)"
bash scripts/build-optimised.sh >"$work/build.log" 2>&1 &
build=$!
while kill -0 $build 2>/dev/null; do
    # A line every 15 s while the build runs: where it has got to.
    for _ in $(seq 30); do kill -0 $build 2>/dev/null && sleep 0.5; done
    kill -0 $build 2>/dev/null && say "building: $(grep -o '\[[0-9]*/[0-9]*\] [A-Za-z]* [^ ]*' "$work/build.log" | tail -1)"
done
wait $build || { tail -20 "$work/build.log" >&2; echo "kernel-matrix: the static build failed (log: $work/build.log)" >&2; exit 1; }
bin="$root/.build-static/release/syscost"

# The initramfs: busybox, syscost (stripped) and its libraries, the host's identity, and an
# /init that runs the matrix.
rootfs="$work/rootfs"
rm -rf "$rootfs"; mkdir -p "$rootfs"/{bin,dev,proc,sys,tmp,etc}
cp /bin/busybox "$rootfs/bin/busybox"
for applet in sh mount mkdir cat echo base64 poweroff hostname sleep uname; do ln -s busybox "$rootfs/bin/$applet"; done
strip -o "$rootfs/bin/syscost" "$bin"
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"; cp -L "$lib" "$rootfs$lib"
    [[ $lib == */ld-linux* ]] || strip --strip-unneeded "$rootfs$lib" 2>/dev/null || true
done
printf '%s\n' "$matrix" >"$rootfs/etc/matrix"
printf '%s\n' "$run_args" >"$rootfs/etc/run-args"
"$bin" env --machine >"$rootfs/etc/emulating-host"
cat >"$rootfs/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
hostname "${SYSCOST_HOST:-qemu}"
export SYSCOST_EMULATING_HOST="$(cat /etc/emulating-host)"
echo "syscost-matrix: kernel $(uname -r), emulated=${SYSCOST_EMULATED:-0}"
set -f  # the patterns are globs for syscost, not for the shell
# Through a pipe, so syscost's progress comes a line per round (the host passes them on).
{ /bin/syscost run $(cat /etc/matrix) $(cat /etc/run-args) --save --results-dir /tmp/results; echo "syscost-matrix: run exited $?"; } 2>&1 | cat >/dev/console
set +f
for f in $(cd /tmp/results && echo */*/*.json); do
    echo "=====SYSCOST-REPORT $f====="
    base64 "/tmp/results/$f"
    echo "=====SYSCOST-END====="
done
poweroff -f
INIT
chmod +x "$rootfs/init"
(cd "$rootfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -6) >"$work/initramfs.gz"
say "initramfs $(du -h "$work/initramfs.gz" | cut -f1) (syscost stripped: $(du -h "$rootfs/bin/syscost" | cut -f1)); host $(cat "$rootfs/etc/emulating-host")"
rm -rf "$rootfs"  # remade every time, from the kept build

# Starts `vmlinuz` with the matrix under `mode` (kvm or tcg) in the background; its serial
# console goes to $log, qemu's own messages to $log.qemu; sets $qemu to its pid.
start_qemu() {
    local vmlinuz=$1 mode=$2 log=$3 emulated=0 cpu=host accel_flag=kvm
    # One TCG thread for both vCPUs: with multi-threaded TCG (QEMU 7.2) the guest oopses on an
    # int3 while patching its own text across CPUs.
    if [[ $mode == tcg ]]; then emulated=1; cpu=max; accel_flag=tcg,thread=single; fi
    rm -f "$log" "$log.qemu"; : >"$log"
    # In a subshell whose stderr is dropped: qemu aborts when KVM refuses the guest, and the
    # shell's "Aborted" line would only repeat what $log.qemu says.
    ( timeout "$timeout_s" qemu-system-x86_64 -machine q35 -accel "$accel_flag" -cpu "$cpu" -smp 2 -m 2048 \
        -kernel "$vmlinuz" -initrd "$work/initramfs.gz" -display none -monitor none -no-reboot \
        -serial "file:$log" \
        -append "console=ttyS0 panic=-1 quiet loglevel=3 SYSCOST_EMULATED=$emulated SYSCOST_HOST=$(hostname)-qemu" \
        >/dev/null 2>"$log.qemu"; true ) 2>/dev/null &
    qemu=$!
}

# Waits for qemu to exit, passing on the guest's progress lines as they come; succeeds when
# reports came back over the serial line.
follow_qemu() {
    local log=$1 kernel=$2 seen=0 alive=1 n
    while [[ $alive == 1 ]]; do
        kill -0 "$qemu" 2>/dev/null || alive=0
        n=$(wc -l <"$log")
        if (( n > seen )); then
            sed -n "$((seen + 1)),${n}p" "$log" | tr -d '\r' | sed 's/\x1b\[K//g' | grep -E '^syscost(-matrix)?: ' \
                | while IFS= read -r line; do say "$kernel: ${line}"; done || true
            seen=$n
        fi
        [[ $alive == 0 ]] || sleep 0.5
    done
    wait "$qemu" 2>/dev/null || true
    qemu=
    grep -q '=====SYSCOST-REPORT' "$log"
}

# The KVM probe: the first kernel under KVM until its init speaks (it goes on under KVM), or
# qemu reports a KVM internal error or exits, or --kvm-probe seconds pass (then TCG).
probe_kvm() {
    local vmlinuz=$1 log=$2 deadline=$(( $(date +%s) + probe_s ))
    if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then probe_result="no usable /dev/kvm"; return 1; fi
    say "probing KVM with $(basename "$vmlinuz") (at most $probe_s s)"
    start_qemu "$vmlinuz" kvm "$log"
    while :; do
        if grep -q 'syscost-matrix: kernel' "$log"; then return 0; fi
        if grep -q 'KVM internal error' "$log.qemu"; then probe_result=$(grep -m1 'KVM internal error' "$log.qemu"); break; fi
        if ! kill -0 "$qemu" 2>/dev/null; then probe_result="qemu exited: $(head -c 200 "$log.qemu" | tr '\n' ' ')"; break; fi
        if (( $(date +%s) >= deadline )); then probe_result="no sign of the guest's init within $probe_s s"; break; fi
        sleep 0.2
    done
    stop_qemu
    return 1
}

# Stops a running qemu (the subshell, timeout and qemu under it).
stop_qemu() {
    [[ -n ${qemu:-} ]] || return 0
    pkill -TERM -P "$qemu" 2>/dev/null || true
    kill "$qemu" 2>/dev/null || true
    wait "$qemu" 2>/dev/null || true
    qemu=
}
trap stop_qemu EXIT

saved=0
for kernel in "$@"; do
    [[ -n ${vmlinuz[$kernel]:-} ]] || continue
    log="$work/serial-$(basename "$kernel").log"
    rm -f "$work"/report-*
    started=$(date +%s)
    mode=$accel
    running=0
    if [[ $mode == auto ]]; then
        if probe_kvm "${vmlinuz[$kernel]}" "$log"; then
            say "KVM works: $kernel goes on under KVM"; accel=kvm; mode=kvm; running=1
        else
            say "KVM unusable ($probe_result): this kernel and the rest under TCG emulation"; accel=tcg; mode=tcg
        fi
    fi
    if [[ $running == 0 ]]; then
        say "booting $kernel under ${mode^^}"
        start_qemu "${vmlinuz[$kernel]}" "$mode" "$log"
    fi
    if ! follow_qemu "$log" "$kernel"; then
        echo "kernel-matrix: no report from $kernel under ${mode^^}; the serial log is $log" >&2
        tail -20 "$log" "$log.qemu" >&2 || true
        failed+=("$kernel: no report under ${mode^^}"); continue
    fi
    # Each report: its path under results/ is the one syscost chose in the guest.
    python3 - "$log" "$work" <<'PY'
import sys
out = None
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\r\n")
    if line.startswith("=====SYSCOST-REPORT "):
        out, buf = line.split()[1].rstrip("="), []
    elif line == "=====SYSCOST-END=====" and out:
        open(sys.argv[2] + "/report-" + out.replace("/", "__"), "w").write("\n".join(buf) + "\n")
        out = None
    elif out:
        buf.append(line)
PY
    for encoded in "$work"/report-*; do
        [[ -e $encoded ]] || continue
        rel=$(basename "$encoded" | sed 's/^report-//; s/__/\//g')
        mkdir -p "$results/$(dirname "$rel")"
        if ! tr -d '\r' <"$encoded" | base64 -d >"$results/$rel.part" \
            || ! "$bin" compare "$results/$rel.part" "$results/$rel.part" >/dev/null 2>&1; then
            echo "kernel-matrix: the report from $kernel came back damaged; the serial log is $log" >&2
            rm -f "$results/$rel.part" "$encoded"; failed+=("$kernel: damaged report"); continue
        fi
        mv "$results/$rel.part" "$results/$rel"
        rm -f "$encoded"
        saved=$((saved + 1))
        say "$kernel under ${mode^^} in $(( $(date +%s) - started )) s → $results/$rel"
    done
done

# The script's own outcome first, then the history of everything under the results tree.
if [[ ${#failed[@]} -gt 0 ]]; then
    say "$saved report(s) saved; ${#failed[@]} of $# kernel(s) failed:"
    printf '  %s\n' "${failed[@]}" >&2
else
    say "$saved report(s) saved; every kernel gave one"
fi
if [[ -d $results ]] && find "$results" -name '*.json' -print -quit | grep -q .; then
    "$bin" history "$results" || say "syscost history $results failed (above); the reports are saved"
fi
[[ ${#failed[@]} -eq 0 ]] || exit 1
