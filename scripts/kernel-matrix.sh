#!/usr/bin/env bash
# Runs a syscost matrix under other kernels, without installing them: each kernel boots under
# qemu from an initramfs holding busybox and a stripped syscost built with a static Swift
# runtime, runs the matrix, and sends the JSON report back over the serial console (base64
# between markers). Reports are saved under results/<host>-qemu/<kernel>/, then `syscost
# history` prints them all.
#
#   scripts/kernel-matrix.sh [--accel auto|kvm|tcg|icount] [--cpu-model MODEL] [--boots N]
#                            [--cmdline 'OPTIONS']… [--matrix 'PATTERN …'] [--args 'RUN ARGS']
#                            [--results DIR] [--kvm-probe SECONDS] KERNEL…
#   scripts/kernel-matrix.sh [options] --debian 6.1|6.12|all [--flavour cloud,generic,rt]
#   scripts/kernel-matrix.sh [options] --bisect BENCHMARK-ID KERNEL-FROM KERNEL-TO
#   scripts/kernel-matrix.sh --clean      remove the build trees (.build-static, .build-kernels)
#
# KERNEL: a Debian kernel package name (linux-image-6.12.117+deb12-cloud-amd64), fetched with
# apt-get download and extracted, never installed; or a path to a vmlinuz.
# --accel icount: TCG with qemu's instruction counter as the guest's clock (-icount
# shift=0,sleep=off): one virtual nanosecond per guest instruction, so every figure is guest
# instructions per op, whatever the host is doing, and a run is of the machine "qemu icount, cpu
# MODEL" on any host. --cpu-model names qemu's -cpu (default max; which mitigations a guest
# applies depends on it). --boots N boots each kernel N times (default 2 under icount, else 1):
# their spread is each figure's between-run term. --cmdline adds kernel options; given several
# times, each kernel boots once set per --cmdline (an A/B of boot options; '' is the kernel's
# default). --debian SERIES takes every kernel package of that series (6.1, 6.12 or all) the
# apt lists serve, in version order, of each --flavour (default cloud). --bisect ID FROM TO
# boots the point releases between FROM and TO (same series and flavour) in binary-search
# order and names the first whose ID moved beyond its between-boot spread. Under icount the
# guest has one CPU (qemu's icount brings no second vCPU up), so it measures on CPU 0.
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
cpu_model=max
boots=
cmdlines=()
debian=
flavours=cloud
bisect=
matrix=
# Under icount the host's speed is no part of a figure, so the matrix can be wider: the null
# calls, the vDSO, the pipe and futex switches and LEBench's operations (fork, thread create,
# mmap/munmap and faults at two sizes, select/poll/epoll over 1,000 fds).
matrix_icount='syscall/invalid/raw syscall/getppid/raw syscall/getppid/libc vdso/clock_gettime-monotonic/* ctxswitch/pipe-process/same-cpu ctxswitch/pipe/no-switch ctxswitch/futex-process/same-cpu ctxswitch/futex/no-switch lifecycle/fork/parent lifecycle/pthread-create/parent memory/mmap-file@4K memory/munmap-file@4K memory/fault-file@4K memory/mmap-file@4000K memory/munmap-file@4000K memory/fault-file@4000K io/select-1000/ready io/poll-1000/ready io/epoll_wait-1000/ready'
matrix_timed='syscall/invalid/raw syscall/getppid/raw syscall/getppid/libc vdso/clock_gettime-monotonic/* ctxswitch/pipe-process/same-cpu ctxswitch/pipe/no-switch'
run_args='--quick --warmup 50'
timeout_s=${SYSCOST_KM_TIMEOUT:-900}
probe_s=20
results="$root/results"
clean=0
t0=$(date +%s)
say() { echo "kernel-matrix [$(( $(date +%s) - t0 )) s]: $*" >&2; }
usage() { echo "usage: scripts/kernel-matrix.sh [--accel auto|kvm|tcg|icount] [--cpu-model M] [--boots N] [--cmdline OPTS]… [--matrix 'PATTERN …'] [--args 'RUN ARGS'] [--results DIR] [--kvm-probe SECONDS] {KERNEL… | --debian 6.1|6.12|all [--flavour F,…] | --bisect ID FROM TO}  |  --clean" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --accel|--matrix|--args|--results|--kvm-probe|--cpu-model|--boots|--cmdline|--debian|--flavour|--bisect) [[ $# -ge 2 ]] || { echo "kernel-matrix: $1 needs a value" >&2; usage; } ;;&
        --accel) accel=$2; shift 2 ;;
        --matrix) matrix=$2; shift 2 ;;
        --args) run_args=$2; shift 2 ;;
        --results) results=$(realpath -m "$2"); shift 2 ;;
        --kvm-probe) probe_s=$2; shift 2 ;;
        --cpu-model) cpu_model=$2; shift 2 ;;
        --boots) boots=$2; shift 2 ;;
        --cmdline) cmdlines+=("$2"); shift 2 ;;
        --debian) debian=$2; shift 2 ;;
        --flavour) flavours=$2; shift 2 ;;
        --bisect) bisect=$2; shift 2 ;;
        --clean) clean=1; shift ;;
        -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
        -*) echo "kernel-matrix: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
case $accel in auto|kvm|tcg|icount) ;; *) echo "kernel-matrix: --accel takes auto, kvm, tcg or icount (got '$accel')" >&2; exit 2 ;; esac
# qemu's -cpu takes a model and +/-feature flags; nothing else reaches its command line.
[[ $cpu_model =~ ^[A-Za-z0-9][A-Za-z0-9._,+=-]{0,99}$ ]] || { echo "kernel-matrix: --cpu-model takes a qemu CPU model such as max or Skylake-Server,-pcid (got '$cpu_model')" >&2; exit 2; }
[[ $accel == icount || $cpu_model == max ]] || [[ $accel == tcg ]] || { echo "kernel-matrix: --cpu-model is for --accel tcg or icount (KVM passes the host's CPU)" >&2; exit 2; }
[[ -z $boots ]] && { [[ $accel == icount ]] && boots=2 || boots=1; }
[[ $boots =~ ^[1-9][0-9]?$ ]] || { echo "kernel-matrix: --boots takes 1 to 99 (got '$boots')" >&2; exit 2; }
for c in "${cmdlines[@]}"; do
    # Options for the guest kernel only: no character the serial console or the shell would take.
    [[ $c =~ ^[A-Za-z0-9._,:=\ +-]{0,400}$ ]] || { echo "kernel-matrix: --cmdline takes kernel options of letters, digits and . _ , : = + - (got '$c')" >&2; exit 2; }
    [[ $c != *SYSCOST_* ]] || { echo "kernel-matrix: --cmdline may not set syscost's own SYSCOST_ variables (got '$c')" >&2; exit 2; }
done
[[ ${#cmdlines[@]} -gt 0 ]] || cmdlines=("")
if [[ -z $matrix ]]; then [[ $accel == icount ]] && matrix=$matrix_icount || matrix=$matrix_timed; fi
# icount counts one vCPU's instructions: qemu's icount does not bring a second vCPU up (the
# guest stops at "Booting SMP configuration"), so the guest has one CPU and measures on it.
[[ $accel == icount ]] && run_args+=" --cpu 0"

if [[ -n $debian ]]; then
    case $debian in 6.1|6.12|all) ;; *) echo "kernel-matrix: --debian takes 6.1, 6.12 or all (got '$debian')" >&2; exit 2 ;; esac
    [[ $flavours =~ ^(cloud|generic|rt)(,(cloud|generic|rt))*$ ]] || { echo "kernel-matrix: --flavour takes cloud, generic and rt, comma-separated (got '$flavours')" >&2; exit 2; }
    [[ $# -eq 0 && -z $bisect ]] || { echo "kernel-matrix: --debian selects the kernels itself: name no kernel and no --bisect beside it" >&2; exit 2; }
fi
if [[ -n $bisect ]]; then
    [[ $bisect =~ ^[a-z0-9][a-z0-9._/*-]{0,199}$ ]] || { echo "kernel-matrix: --bisect takes a benchmark id (got '$bisect')" >&2; exit 2; }
    [[ $# -eq 2 ]] || { echo "kernel-matrix: --bisect takes the two kernels the figure moved between (got $# kernels)" >&2; exit 2; }
fi
[[ $probe_s =~ ^[1-9][0-9]*$ ]] || { echo "kernel-matrix: --kvm-probe takes a whole number of seconds (got '$probe_s')" >&2; exit 2; }
work="$root/.build-kernels"
if [[ $clean == 1 ]]; then
    [[ $# -eq 0 ]] || { echo "kernel-matrix: --clean takes no kernels" >&2; exit 2; }
    freed=$(du -shc "$work" "$root/.build-static" 2>/dev/null | tail -1 | cut -f1)
    rm -rf "$work" "$root/.build-static"
    say "removed .build-kernels and .build-static (${freed:-0})"
    exit 0
fi
[[ $# -gt 0 || -n $debian ]] || usage

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

# The kernel packages of a series the apt lists serve, in version order: series_of SERIES
# FLAVOURS prints one package name a line (6.1: linux-image-6.1.0-N[-F]-amd64; 6.12:
# linux-image-6.12.N+deb12[-F]-amd64, generic having no flavour in the name; signed images only,
# no -unsigned, -dbg or meta-package).
series_of() {
    local series=$1 pattern f alts=()
    case $series in
        6.1) pattern='6\.1\.0-[0-9]+' ;;
        6.12) pattern='6\.12\.[0-9]+\+deb12' ;;
        *) pattern='(6\.1\.0-[0-9]+|6\.12\.[0-9]+\+deb12)' ;;
    esac
    for f in ${2//,/ }; do if [[ $f == generic ]]; then alts+=(""); else alts+=("$f-"); fi; done
    local IFS='|'
    apt-cache pkgnames linux-image- 2>/dev/null | grep -E "^linux-image-${pattern}-(${alts[*]})amd64\$" | sort -uV
}
# The series and flavour of a kernel package name, for --bisect ("6.12 cloud").
series_and_flavour() {
    [[ $1 =~ ^linux-image-(6\.1)\.0-[0-9]+-((cloud|rt)-)?amd64$ || $1 =~ ^linux-image-(6\.12)\.[0-9]+\+deb12-((cloud|rt)-)?amd64$ ]] || return 1
    echo "${BASH_REMATCH[1]} ${BASH_REMATCH[3]:-generic}"
}
if [[ -n $debian ]]; then
    [[ $(apt-cache pkgnames linux-image- 2>/dev/null | head -1) ]] || { say "the package lists are empty: apt-get update"; apt-get update -qq >/dev/null 2>&1 || true; updated=1; }
    mapfile -t selected < <(series_of "$debian" "$flavours")
    [[ ${#selected[@]} -gt 0 ]] || { echo "kernel-matrix: the package lists serve no $debian kernel of flavour $flavours (apt-cache pkgnames linux-image-)" >&2; exit 1; }
    say "--debian $debian ($flavours): ${#selected[@]} kernel(s), ${selected[0]} … ${selected[-1]}"
    set -- "${selected[@]}"
fi
bisect_series=()
if [[ -n $bisect ]]; then
    sf_from=$(series_and_flavour "$1") || { echo "kernel-matrix: --bisect takes Debian kernel package names (got '$1')" >&2; exit 2; }
    sf_to=$(series_and_flavour "$2") || { echo "kernel-matrix: --bisect takes Debian kernel package names (got '$2')" >&2; exit 2; }
    [[ $sf_from == "$sf_to" ]] || { echo "kernel-matrix: --bisect needs two kernels of one series and flavour ($1 is $sf_from, $2 is $sf_to)" >&2; exit 2; }
    read -r b_series b_flavour <<<"$sf_from"
    mapfile -t all < <(series_of "$b_series" "$b_flavour")
    inside=0
    for k in "${all[@]}"; do
        [[ $k == "$1" ]] && inside=1
        [[ $inside == 1 ]] && bisect_series+=("$k")
        [[ $k == "$2" ]] && break
    done
    [[ ${#bisect_series[@]} -ge 2 && ${bisect_series[0]} == "$1" && ${bisect_series[-1]} == "$2" ]] \
        || { echo "kernel-matrix: the package lists do not serve both $1 and $2 with $1 the older (apt-cache pkgnames linux-image-)" >&2; exit 2; }
    say "--bisect $bisect: ${#bisect_series[@]} point releases from $1 to $2"
fi

# Every kernel first: a wrong name is reported before anything is built or booted.
declare -A vmlinuz=()
failed=()
fetch_kernel() {
    local kernel=$1 dir="$work/kernels/$1"
    if [[ -f $kernel ]]; then vmlinuz[$kernel]=$kernel; return 0; fi
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
            failed+=("$kernel: not fetched"); return 1
        fi
        rm -rf "$dir"; mkdir -p "$dir"
        # Only the kernel image: the guest loads no modules (its root is the initramfs, its
        # console the serial line), and they are most of the package's 100 MB.
        dpkg-deb --fsys-tarfile "$work/${kernel}"_*.deb | tar -xf - -C "$dir" --wildcards './boot/vmlinuz-*' \
            && rm -f "$work/${kernel}"_*.deb
    fi
    vmlinuz[$kernel]=$(ls "$dir"/boot/vmlinuz-* | head -1)
}
if [[ -n $bisect ]]; then
    # Only the two ends now; the kernels between are fetched as the search reaches them.
    for kernel in "$1" "$2"; do fetch_kernel "$kernel" || true; done
else
    for kernel in "$@"; do fetch_kernel "$kernel" || true; done
fi

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

# Starts `vmlinuz` with the matrix under `mode` (kvm, tcg or icount) and the kernel options
# `extra` in the background; its serial console goes to $log, qemu's own messages to
# $log.qemu; sets $qemu to its pid.
start_qemu() {
    local vmlinuz=$1 mode=$2 log=$3 extra=${4:-} emulated=0 cpu=host accel_flag=kvm icount=() host smp=2
    host="$(hostname)-qemu" clock=
    # One TCG thread for both vCPUs: with multi-threaded TCG (QEMU 7.2) the guest oopses on an
    # int3 while patching its own text across CPUs.
    if [[ $mode == tcg || $mode == icount ]]; then emulated=1; cpu=$cpu_model; accel_flag=tcg,thread=single; fi
    if [[ $mode == icount ]]; then
        # The guest's clock is the instruction counter (shift 0: 1 ns a guest instruction, the
        # TSC with it); sleep=off jumps over idle time instead of waiting for it. Nothing of the
        # host reaches the guest: its hostname and memory are the same on every host, so its
        # reports are of one machine, "qemu icount, cpu MODEL", whoever emulated it.
        icount=(-icount shift=0,sleep=off); host=qemu-icount; smp=1
        clock="SYSCOST_CLOCK=icount SYSCOST_ICOUNT_SHIFT=0 SYSCOST_CPU_MODEL=$cpu_model"
    fi
    rm -f "$log" "$log.qemu"; : >"$log"
    # In a subshell whose stderr is dropped: qemu aborts when KVM refuses the guest, and the
    # shell's "Aborted" line would only repeat what $log.qemu says.
    ( timeout "$timeout_s" qemu-system-x86_64 -machine q35 -accel "$accel_flag" "${icount[@]}" -cpu "$cpu" -smp "$smp" -m 2048 \
        -kernel "$vmlinuz" -initrd "$work/initramfs.gz" -display none -monitor none -no-reboot \
        -serial "file:$log" \
        -append "console=ttyS0 panic=-1 quiet loglevel=3 $extra SYSCOST_EMULATED=$emulated SYSCOST_HOST=$host $clock" \
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
# Boots `kernel` once with kernel options `extra` and saves what came back; `what` names the
# boot in progress lines ("6.12.118 mitigations=off, boot 2/2").
boot_once() {
    local kernel=$1 extra=$2 what=$3 log started mode running=0 encoded rel dest n
    log="$work/serial-$(basename "$kernel").log"
    rm -f "$work"/report-*
    started=$(date +%s)
    mode=$accel
    if [[ $mode == auto ]]; then
        if probe_kvm "${vmlinuz[$kernel]}" "$log"; then
            say "KVM works: $kernel goes on under KVM"; accel=kvm; mode=kvm; running=1
        else
            say "KVM unusable ($probe_result): this kernel and the rest under TCG emulation"; accel=tcg; mode=tcg
        fi
    fi
    if [[ $running == 0 ]]; then
        say "booting $what under ${mode^^}"
        start_qemu "${vmlinuz[$kernel]}" "$mode" "$log" "$extra"
    fi
    if ! follow_qemu "$log" "$kernel"; then
        echo "kernel-matrix: no report from $what under ${mode^^}; the serial log is $log" >&2
        tail -20 "$log" "$log.qemu" >&2 || true
        failed+=("$what: no report under ${mode^^}"); return 1
    fi
    # Each report: its path under results/ is the one syscost chose in the guest, taken only if
    # it is machine/kernel/file.json of plain names (the guest's word is no path to write to).
    python3 - "$log" "$work" <<'PY'
import re, sys
out = None
name = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._+-]{0,99}/[A-Za-z0-9_][A-Za-z0-9._+-]{0,199}/[A-Za-z0-9_][A-Za-z0-9._+-]{0,99}\.json$")
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\r\n")
    if line.startswith("=====SYSCOST-REPORT "):
        parts = line.split()
        out = parts[1].rstrip("=") if len(parts) == 2 else ""
        if not name.match(out) or ".." in out:
            print("kernel-matrix: the guest named its report %r: not a results path, left out" % out[:200], file=sys.stderr)
            out = None
        buf = []
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
            echo "kernel-matrix: the report from $what came back damaged; the serial log is $log" >&2
            rm -f "$results/$rel.part" "$encoded"; failed+=("$what: damaged report"); continue
        fi
        # Never over a saved run: two boots may start in the same second of the guest's clock.
        dest="$results/$rel"; n=2
        while [[ -e $dest || -L $dest ]]; do dest="$results/${rel%.json}-$n.json"; n=$((n + 1)); done
        mv -n "$results/$rel.part" "$dest"
        rm -f "$encoded"
        saved=$((saved + 1))
        say "$what under ${mode^^} in $(( $(date +%s) - started )) s → $dest"
    done
}

# Every --cmdline set of `kernel`, each booted --boots times.
measure_kernel() {
    local kernel=$1 extra b what
    [[ -n ${vmlinuz[$kernel]:-} ]] || return 1
    for extra in "${cmdlines[@]}"; do
        for ((b = 1; b <= boots; b++)); do
            what="$kernel${extra:+ $extra}"; (( boots > 1 )) && what+=", boot $b/$boots"
            boot_once "$kernel" "$extra" "$what" || true
        done
    done
}

if [[ -n $bisect ]]; then
    # The search itself is syscost's (`syscost bisect`): given the series and the runs saved so
    # far, it names the next point release to boot (the ends first, unless --results has them
    # already), or the first that moved. It reads the runs of this search's kind only: the same
    # clock (and CPU model under icount) and the first --cmdline's options.
    bisect_filter=(--results "$results" --boot-options "${cmdlines[0]}")
    declare -A tried=()
    if [[ $accel == icount ]]; then bisect_filter+=(--clock icount --cpu-model "$cpu_model"); else bisect_filter+=(--clock timed); fi
    while :; do
        next=$("$bin" bisect "$bisect" "${bisect_filter[@]}" --next -- "${bisect_series[@]#linux-image-}") || break
        [[ -n $next ]] || break
        # A boot that gave no report would be asked for again: once is the limit.
        if [[ -n ${tried[$next]:-} ]]; then failed+=("bisect: $next gave no usable run"); break; fi
        tried[$next]=1
        say "bisect: booting $next next"
        fetch_kernel "linux-image-$next" || break
        measure_kernel "linux-image-$next" || break
    done
    "$bin" bisect "$bisect" "${bisect_filter[@]}" -- "${bisect_series[@]#linux-image-}" || failed+=("bisect: no answer")
else
    for kernel in "$@"; do measure_kernel "$kernel" || true; done
fi

# The script's own outcome first, then the history of everything under the results tree.
if [[ ${#failed[@]} -gt 0 ]]; then
    say "$saved report(s) saved; ${#failed[@]} of $# kernel(s) failed:"
    printf '  %s\n' "${failed[@]}" >&2
else
    say "$saved report(s) saved; every kernel gave one"
fi
if [[ -d $results ]] && find "$results" -name '*.json' -print -quit | grep -q .; then
    # Under icount the boots' spread is kept beside them, for `compare --spread-dir` of one
    # boot a side.
    keep=(); [[ $accel == icount ]] && keep=(--keep-spread)
    "$bin" history "$results" "${keep[@]}" || say "syscost history $results failed (above); the reports are saved"
fi
[[ ${#failed[@]} -eq 0 ]] || exit 1
