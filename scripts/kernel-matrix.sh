#!/usr/bin/env bash
# Runs a syscost matrix under other kernels, without installing them: each kernel boots under
# qemu from an initramfs holding busybox and a syscost built with a static Swift runtime,
# runs the matrix, and sends the JSON report back over the serial console (base64 between
# markers). Reports are saved under results/<host>-qemu/<kernel>/, then `syscost history`
# prints them all.
#
#   scripts/kernel-matrix.sh [--accel auto|kvm|tcg] [--matrix 'PATTERN …'] [--args 'RUN ARGS']
#                            [--results DIR] KERNEL…
#
# KERNEL: a Debian kernel package name (linux-image-6.12.117+deb12-cloud-amd64), fetched with
# apt-get download and extracted, never installed; or a path to a vmlinuz.
# --accel auto tries KVM and falls back to TCG emulation when the kernel does not come up
# under it (this machine's /dev/kvm is a PVM host that cannot run stock kernels). Under TCG
# every report is marked "emulated": its timings are QEMU's, not the hardware's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
accel=auto
matrix='syscall/invalid/raw syscall/getppid/raw syscall/getppid/libc vdso/clock_gettime-monotonic/* ctxswitch/pipe-process/same-cpu ctxswitch/pipe/no-switch'
run_args='--quick --warmup 50'
timeout_s=${SYSCOST_KM_TIMEOUT:-900}
results="$root/results"
while [[ $# -gt 0 ]]; do
    case $1 in
        --accel) accel=$2; shift 2 ;;
        --matrix) matrix=$2; shift 2 ;;
        --args) run_args=$2; shift 2 ;;
        --results) results=$(realpath -m "$2"); shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        -*) echo "kernel-matrix: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[[ $# -gt 0 ]] || { echo "usage: scripts/kernel-matrix.sh [--accel auto|kvm|tcg] [--matrix 'PATTERN …'] KERNEL…" >&2; exit 2; }
case $accel in auto|kvm|tcg) ;; *) echo "kernel-matrix: --accel takes auto, kvm or tcg" >&2; exit 2 ;; esac

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [[ ${#need[@]} -gt 0 ]]; then
    echo "kernel-matrix: installing ${need[*]}" >&2
    apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$root/scripts/setup.sh" >/dev/null

work="$root/.build-kernels"
mkdir -p "$work"
cd "$root"

# syscost with the Swift runtime linked in; the C libraries it still needs are copied beside it.
echo "kernel-matrix: building syscost (release, static Swift runtime)" >&2
swift build -c release --static-swift-stdlib --scratch-path .build-static --product syscost >"$work/build.log" 2>&1 \
    || { tail -20 "$work/build.log" >&2; exit 1; }
bin="$root/.build-static/release/syscost"

# The initramfs: busybox, syscost and its libraries, and an /init that runs the matrix.
rootfs="$work/rootfs"
rm -rf "$rootfs"; mkdir -p "$rootfs"/{bin,dev,proc,sys,tmp,etc}
cp /bin/busybox "$rootfs/bin/busybox"
for applet in sh mount mkdir cat echo base64 poweroff hostname sleep uname; do ln -s busybox "$rootfs/bin/$applet"; done
cp "$bin" "$rootfs/bin/syscost"
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"; cp -L "$lib" "$rootfs$lib"
done
printf '%s\n' "$matrix" >"$rootfs/etc/matrix"
printf '%s\n' "$run_args" >"$rootfs/etc/run-args"
cat >"$rootfs/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
hostname "${SYSCOST_HOST:-qemu}"
echo "syscost-matrix: kernel $(uname -r), emulated=${SYSCOST_EMULATED:-0}"
set -f  # the patterns are globs for syscost, not for the shell
/bin/syscost run $(cat /etc/matrix) $(cat /etc/run-args) --save --results-dir /tmp/results >/dev/console 2>&1
echo "syscost-matrix: run exited $?"
set +f
for f in $(cd /tmp/results && echo */*/*.json); do
    echo "=====SYSCOST-REPORT $f====="
    base64 "/tmp/results/$f"
    echo "=====SYSCOST-END====="
done
poweroff -f
INIT
chmod +x "$rootfs/init"
(cd "$rootfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initramfs.gz"

# A kernel name → a vmlinuz, fetched and extracted (not installed).
vmlinuz_for() {
    local kernel=$1
    if [[ -f $kernel ]]; then echo "$kernel"; return; fi
    local dir="$work/kernels/$kernel"
    if ! ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then
        mkdir -p "$dir"
        (cd "$work" && apt-get download "$kernel" >/dev/null 2>&1) \
            || { echo "kernel-matrix: apt-get download $kernel failed (is it a package name? try: apt-cache search linux-image)" >&2; return 1; }
        dpkg-deb -x "$work/${kernel}"_*.deb "$dir"
    fi
    ls "$dir"/boot/vmlinuz-* | head -1
}

# Boots `vmlinuz` with the matrix; succeeds when reports came back over the serial line.
boot() {
    local vmlinuz=$1 mode=$2 log=$3 emulated=0 cpu=host accel_flag=kvm
    # One TCG thread for both vCPUs: with multi-threaded TCG (QEMU 7.2) the guest oopses on an
    # int3 while patching its own text across CPUs.
    if [[ $mode == tcg ]]; then emulated=1; cpu=max; accel_flag=tcg,thread=single; fi
    # In a subshell whose stderr is dropped: qemu aborts when KVM refuses the guest, and the
    # shell's "Aborted" line would only repeat what $log.qemu says.
    ( timeout "$timeout_s" qemu-system-x86_64 -machine q35 -accel "$accel_flag" -cpu "$cpu" -smp 2 -m 2048 \
        -kernel "$vmlinuz" -initrd "$work/initramfs.gz" -display none -monitor none -no-reboot \
        -serial "file:$log" \
        -append "console=ttyS0 panic=-1 quiet loglevel=3 SYSCOST_EMULATED=$emulated SYSCOST_HOST=$(hostname)-qemu" \
        >/dev/null 2>"$log.qemu"; true ) 2>/dev/null
    grep -q '=====SYSCOST-REPORT' "$log"
}

status=0
for kernel in "$@"; do
    vmlinuz=$(vmlinuz_for "$kernel") || { status=1; continue; }
    log="$work/serial-$(basename "$kernel").log"
    rm -f "$work"/report-* "$log"
    started=$(date +%s)
    mode=$accel
    if [[ $mode == auto ]]; then
        if [[ -r /dev/kvm && -w /dev/kvm ]] && timeout_s=120 boot "$vmlinuz" kvm "$log"; then mode=kvm
        else
            echo "kernel-matrix: $kernel did not come up under KVM ($(grep -h -m1 -iE 'error|emulation|fail' "$log.qemu" "$log" 2>/dev/null | head -1 || echo 'no report')); falling back to TCG emulation" >&2
            mode=tcg
        fi
    fi
    if [[ $mode != kvm ]] || ! grep -q '=====SYSCOST-REPORT' "$log"; then
        echo "kernel-matrix: booting $kernel under ${mode^^}" >&2
        boot "$vmlinuz" "$mode" "$log" || {
            echo "kernel-matrix: no report from $kernel under $mode; the serial log is $log" >&2; tail -20 "$log" >&2; status=1; continue; }
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
            || ! "$root/.build-static/release/syscost" compare "$results/$rel.part" "$results/$rel.part" >/dev/null; then
            echo "kernel-matrix: the report from $kernel came back damaged; the serial log is $log" >&2
            rm -f "$results/$rel.part" "$encoded"; status=1; continue
        fi
        mv "$results/$rel.part" "$results/$rel"
        rm -f "$encoded"
        echo "kernel-matrix: $kernel under ${mode^^} in $(( $(date +%s) - started )) s → $results/$rel" >&2
    done
done

"$root/.build-static/release/syscost" history "$results"
exit $status
