#!/bin/bash
# Builds the bzfs lab guest image: Debian bookworm + OpenZFS, booted without systemd.
# Usage (as root): build_image.sh <out-dir> <zfs-variant: 2.3|2.1> <mirror-url>
# Writes into <out-dir>: vmlinuz, initrd.img, rootfs.ext4, id_ed25519{,.pub},
# ssh_host_ed25519_key.pub, image.env. The caller renames <out-dir> into the cache when done.
# The text of this file is part of the recipe hash: any change here rebuilds the image.
set -euo pipefail

OUT="$1"
VARIANT="$2"
MIRROR="$3"
SUITE=bookworm
ROOT="$OUT/rootfs"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 LANG=C.UTF-8

case "$VARIANT" in
  2.3) ZFS_TARGET="-t ${SUITE}-backports" ;;
  2.1) ZFS_TARGET="" ;;
  *) echo "Unknown zfs variant '$VARIANT'; use 2.3 or 2.1" >&2; exit 2 ;;
esac

cleanup() {
  for m in dev/pts dev sys proc; do
    if mountpoint -q "$ROOT/$m" 2>/dev/null; then umount -l "$ROOT/$m" || true; fi
  done
}
trap cleanup EXIT

step() { echo "=== [$(date -u +%H:%M:%S)] $*"; }

step "debootstrap $SUITE into $ROOT"
mkdir -p "$OUT"
debootstrap --variant=minbase --components=main,contrib \
  --include=ca-certificates,gnupg "$SUITE" "$ROOT" "$MIRROR"

mount -t proc proc "$ROOT/proc"
mount -t sysfs sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root "$@"; }

step "apt sources"
cat > "$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR $SUITE main contrib
deb $MIRROR $SUITE-updates main contrib
deb $MIRROR ${SUITE}-backports main contrib
SRC
cat > "$ROOT/etc/apt/apt.conf.d/90lab" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Retries "5";
APT
echo "zfsvm" > "$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 zfsvm\n' > "$ROOT/etc/hosts"
# No daemons may start inside the chroot during package installation.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
in_root apt-get update

step "kernel and headers"
in_root apt-get install -y linux-image-amd64 linux-headers-amd64 initramfs-tools kmod
KVER="$(ls "$ROOT/lib/modules" | sort -V | tail -n1)"
echo "guest kernel: $KVER"

step "userland"
in_root apt-get install -y openssh-server sudo mbuffer pv zstd lz4 tini iproute2 procps \
  udev less
step "OpenZFS $VARIANT"
# shellcheck disable=SC2086
in_root apt-get install -y $ZFS_TARGET zfs-dkms zfsutils-linux
if ! in_root modinfo -k "$KVER" zfs >/dev/null 2>&1; then
  ZVER="$(in_root dpkg-query -W -f='${Version}' zfs-dkms | sed 's/-.*//')"
  step "dkms install zfs/$ZVER for $KVER"
  in_root dkms install "zfs/$ZVER" -k "$KVER"
fi
in_root modinfo -k "$KVER" zfs | grep -E '^(filename|version):'

step "keep the modules, purge the compiler"
mkdir -p "$OUT/ko"
find "$ROOT/lib/modules/$KVER" -name '*.ko*' -path '*updates*' -exec cp -a {} "$OUT/ko/" \;
find "$ROOT/lib/modules/$KVER" -name 'zfs.ko*' -exec cp -an {} "$OUT/ko/" \;
find "$ROOT/lib/modules/$KVER" -name 'spl.ko*' -exec cp -an {} "$OUT/ko/" \;
ls -la "$OUT/ko"
in_root apt-get purge -y --autoremove zfs-dkms dkms linux-headers-amd64 "linux-headers-$KVER" \
  "linux-headers-${KVER%-amd64}-common" || true
in_root apt-get purge -y --autoremove gcc-12 cpp-12 make binutils || true
mkdir -p "$ROOT/lib/modules/$KVER/extra"
cp -a "$OUT/ko/." "$ROOT/lib/modules/$KVER/extra/"
rm -rf "$OUT/ko"
in_root depmod "$KVER"
in_root modinfo -k "$KVER" zfs | grep -E '^(filename|version):'
in_root apt-get clean
rm -rf "$ROOT/var/lib/apt/lists/"* "$ROOT/usr/share/doc/"* "$ROOT/usr/share/man/"*

step "zfs settings"
in_root zgenhostid -f 0x00bab10c
echo "options zfs zfs_arc_max=536870912" > "$ROOT/etc/modprobe.d/zfs.conf"

step "small initrd"
sed -i 's/^MODULES=.*/MODULES=list/' "$ROOT/etc/initramfs-tools/initramfs.conf"
printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' > "$ROOT/etc/initramfs-tools/modules"
in_root update-initramfs -c -k "$KVER" 2>/dev/null || in_root update-initramfs -u -k "$KVER"

step "users and ssh"
ssh-keygen -q -t ed25519 -N '' -C bzfs-lab -f "$OUT/id_ed25519"
rm -f "$ROOT"/etc/ssh/ssh_host_*
in_root ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
cp "$ROOT/etc/ssh/ssh_host_ed25519_key.pub" "$OUT/ssh_host_ed25519_key.pub"
cat > "$ROOT/etc/ssh/sshd_config.d/lab.conf" <<'SSHD'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
MaxStartups 200:30:400
MaxSessions 200
ClientAliveInterval 30
SSHD
in_root useradd -m -s /bin/bash alice
in_root useradd -m -s /bin/bash bob
echo 'alice ALL=(ALL) NOPASSWD:ALL' > "$ROOT/etc/sudoers.d/alice"
chmod 440 "$ROOT/etc/sudoers.d/alice"
for u in root alice bob; do
  home="/home/$u"; [ "$u" = root ] && home=/root
  mkdir -p "$ROOT$home/.ssh"
  cp "$OUT/id_ed25519.pub" "$ROOT$home/.ssh/authorized_keys"
  chmod 700 "$ROOT$home/.ssh"; chmod 600 "$ROOT$home/.ssh/authorized_keys"
  in_root chown -R "$u:$u" "$home/.ssh"
done
# Unlock the accounts for key-only logins (a '!' password would be refused without PAM).
in_root usermod -p '*' alice
in_root usermod -p '*' bob
in_root usermod -p '*' root

step "init script"
cat > "$ROOT/sbin/lab-init" <<'INIT'
#!/bin/sh
# PID 1 of the lab guest: no systemd, just what ZFS and sshd need.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
hostname zfsvm
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2
/lib/systemd/systemd-udevd --daemon >/dev/null 2>&1
modprobe zfs && echo "LAB-ZFS-LOADED $(cat /sys/module/zfs/version)"
mkdir -p /run/sshd
/usr/sbin/sshd -E /var/log/sshd.log
echo "LAB-READY"
exec /usr/bin/tini -s -- /bin/sleep infinity
INIT
chmod 755 "$ROOT/sbin/lab-init"
rm -f "$ROOT/usr/sbin/policy-rc.d"

step "export kernel, initrd, root fs"
cp "$ROOT/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$OUT/initrd.img"
ZFS_VERSION="$(in_root dpkg-query -W -f='${Version}' zfsutils-linux)"
cleanup
trap - EXIT
mkfs.ext4 -q -F -L labroot -d "$ROOT" "$OUT/rootfs.ext4" 6G
cat > "$OUT/image.env" <<ENV
KVER=$KVER
ZFS_VERSION=$ZFS_VERSION
VARIANT=$VARIANT
ENV
if grep -qF " $ROOT/" /proc/self/mountinfo; then
  echo "Something is still mounted below $ROOT; unmount it, then delete $OUT" >&2
  exit 1
fi
rm -rf --one-file-system "$ROOT"
step "done: $(du -sh "$OUT" | cut -f1) in $OUT"
