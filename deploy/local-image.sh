#!/usr/bin/env bash
# Builds the service's image into podman's local store, for the checked-out commit with the working tree's changes
# (new files that git does not ignore included): localhost/tcp-responder:<the chart's appVersion> and :latest, with the AOT cache trained as the
# release image's is (mvn -Paot package, then Jib). Its base is the registry's eclipse-temurin image where it can be
# pulled; where it cannot, a minimal Debian with this machine's Temurin JDK of the same build under /opt/java/openjdk,
# made here with mmdebstrap. The AOT cache loads only into the JVM build that wrote it, so a JDK of another build is
# refused.
#
#   deploy/local-image.sh [--if-changed]
#
# --if-changed: keep the image already in the store when it was built from the same sources.
# Needs podman (with deploy/podman/containers.conf on a machine like the CI's, see docs/deploy.md), Maven, and, for a
# local base, mmdebstrap. Works in target/local-image/.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$repo/deploy/podman/containers.conf}
work=$repo/target/local-image
name=localhost/tcp-responder

say() { printf 'local-image: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

command -v podman >/dev/null || fail "podman is not installed (Debian: apt-get install podman runc catatonit)"
app_version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' helm/tcp-responder/Chart.yaml)
base_image=$(sed -n 's:.*<image.base>\(.*\)</image.base>.*:\1:p' pom.xml)
[ -n "$app_version" ] && [ -n "$base_image" ] || fail "cannot read the chart's appVersion or pom.xml's image.base"
# eclipse-temurin:25.0.3_9-jdk-noble is the JDK build 25.0.3+9
build=$(sed -n 's/^eclipse-temurin:\([0-9.]*\)_\([0-9]*\)-jdk-.*$/\1+\2/p' <<<"$base_image")
[ -n "$build" ] || fail "image.base $base_image is not a Temurin JDK image"
case $(uname -m) in
	x86_64) arch=amd64 ;;
	aarch64) arch=arm64 ;;
	*) fail "no Temurin image for $(uname -m)" ;;
esac

# The sources: the working tree's files that git tracks or would, built apart so that a build here leaves target/
# alone.
sources() { git ls-files -z --cached --others --exclude-standard -- "$@" | xargs -0 -r ls -d 2>/dev/null; }
revision=$(git rev-parse HEAD)
[ -z "$(git status --porcelain)" ] || revision=$revision-dirty
# What the image is made of: the build, the service's sources, and this script.
stamp=$(sources pom.xml src deploy/local-image.sh | xargs -d '\n' sha256sum | sha256sum | cut -c1-16)
if [ "${1:-}" = --if-changed ] && [ "$(cat "$work/stamp" 2>/dev/null)" = "$stamp $(podman image inspect --format '{{.Id}}' "$name:latest" 2>/dev/null)" ]; then
	say "$name:latest is built from these sources already"
	exit 0
fi

# The JDK that trains the AOT cache: Temurin of the base's build.
jdk_build() { "$1/bin/java" -version 2>&1 | sed -n 's/.*Temurin-\([0-9.+]*\).*/\1/p' | head -n 1; }
jdk=
for home in ${JAVA_HOME:-} /usr/lib/jvm/*; do
	if [ -x "$home/bin/javac" ] && [ "$(jdk_build "$home")" = "$build" ]; then
		jdk=$(readlink -f "$home")
		break
	fi
done
[ -n "$jdk" ] || fail "the image's base is Temurin $build ($base_image), and the AOT cache loads only into the JVM" \
	"build that wrote it: install Temurin $build (found: $(for h in /usr/lib/jvm/*/; do printf '%s ' "$(basename "$h")"; done))"

rm -rf "$work/src"
mkdir -p "$work/src"
sources . | tar -T - -cf - | tar -xf - -C "$work/src"

# The base, as an image archive that Jib builds on.
base_tar=$work/base-$build.tar
if [ ! -s "$base_tar" ]; then
	if podman pull -q "docker.io/library/$base_image" >/dev/null 2>"$work/pull.log"; then
		say "base: $base_image from the registry"
		podman save --format docker-archive -o "$base_tar.part" "docker.io/library/$base_image"
	else
		say "base: $base_image cannot be pulled ($(tail -n 1 "$work/pull.log")); making it from Debian's packages and $jdk"
		command -v mmdebstrap >/dev/null || fail "mmdebstrap is not installed (Debian: apt-get install mmdebstrap)"
		local_base=$name-base:${build/+/_}-jdk-bookworm
		if ! podman image exists "$local_base"; then
			# minbase has what the pod calls (sleep for the preStop hook); the JDK where Temurin's image has it.
			mmdebstrap --variant=minbase --quiet \
				--customize-hook="mkdir -p \"\$1/opt/java\" && cp -a '$jdk' \"\$1/opt/java/openjdk\"" \
				--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
				bookworm "$work/root.tar"
			podman import -q \
				--change 'ENV JAVA_HOME=/opt/java/openjdk' \
				--change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
				--change 'ENV LANG=C.UTF-8' \
				"$work/root.tar" "$local_base" >/dev/null
			rm -f "$work/root.tar"
		fi
		podman save --format docker-archive -o "$base_tar.part" "$local_base"
	fi
	mv "$base_tar.part" "$base_tar"
fi

say "building $name:$app_version (Maven on $jdk, sources in $work/src)"
(cd "$work/src" && JAVA_HOME=$jdk mvn -B -ntp -q ${MAVEN_ARGS:-} -Paot package com.google.cloud.tools:jib-maven-plugin:buildTar -DskipTests \
	-Dimage.from="tar://$base_tar" -Djib.from.platforms="linux/$arch" -Dimage="$name:$app_version" \
	-Dmaven.gitcommitid.skip=true -Dgit.commit.id="$revision")
previous=$(podman image inspect --format '{{.Id}}' "$name:latest" 2>/dev/null || true)
podman load -q -i "$work/src/target/jib-image.tar" >/dev/null
podman tag "$name:$app_version" "$name:latest"
# The image this one replaces, unless something else still names or runs it.
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$name:latest")" ]; then
	podman rmi "$previous" >/dev/null 2>&1 || true
fi
echo "$stamp $(podman image inspect --format '{{.Id}}' "$name:latest")" >"$work/stamp"
say "$name:$app_version and :latest, $(podman image inspect --format '{{.Size}}' "$name:latest" | numfmt --to=iec) ($revision)"
