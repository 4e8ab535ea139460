# shellcheck shell=bash disable=SC2034  # variables are set here for the scripts that source this file
# Shared by scripts/ignite and scripts/ignite-java (sourced, not executed).
# Knows: the JDK, the JVM flags Ignite 2.x needs on JDK 17, where jars live, how the harness jar is
# built, and the port layout of an instance.

IGNITE_FUSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IGNITE_WORK="${IGNITE_FUSE_WORK_DIR:-$IGNITE_FUSE_ROOT/.work/ignite}"
IGNITE_JAVA_PROJECT="$IGNITE_FUSE_ROOT/scripts/java"
IGNITE_HARNESS_JAR="$IGNITE_JAVA_PROJECT/target/ignite-fuse-harness-1.0.jar"
IGNITE_DEFAULT_VERSION="2.8.1"

# Always OpenJDK 17: 2.8.1 calls the private DirectByteBuffer(long,int) constructor that JDK 21 changed
# (IGNITE-19652), and the machines also carry a Temurin 25 that must not be picked up from PATH.
export JAVA_HOME="${IGNITE_FUSE_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
IGNITE_JAVA="$JAVA_HOME/bin/java"
IGNITE_KEYTOOL="$JAVA_HOME/bin/keytool"

# Maven, quiet, with its colour codes and blank lines stripped; its exit status is kept.
ignite_mvn() {
  mvn -q -B -Dstyle.color=never "$@" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2
  return "${PIPESTATUS[0]}"
}

ignite_die() {
  echo "ignite: $*" >&2
  exit 1
}

# Strong-encapsulation openings for Ignite on JDK 17 (the JDK 15+ list of Ignite's later
# bin/include/jvmdefaults.sh). 2.8.1 reaches java.nio.Buffer.address, DirectByteBuffer, sun.nio.ch
# selectors and JMX internals through reflection.
ignite_jvm_opens() {
  local p
  for p in \
    java.base/jdk.internal.access java.base/jdk.internal.misc java.base/sun.nio.ch \
    java.base/sun.util.calendar java.base/sun.reflect.generics.reflectiveObjects java.base/java.io \
    java.base/java.nio java.base/java.net java.base/java.util java.base/java.util.concurrent \
    java.base/java.util.concurrent.locks java.base/java.util.concurrent.atomic java.base/java.lang \
    java.base/java.lang.invoke java.base/java.lang.reflect java.base/java.math java.base/java.time \
    java.base/java.text java.management/com.sun.jmx.mbeanserver java.management/sun.management \
    jdk.internal.jvmstat/sun.jvmstat.monitor jdk.management/com.sun.management.internal \
    java.sql/java.sql java.desktop/java.awt.font; do
    printf -- '--add-opens=%s=ALL-UNNAMED\n' "$p"
  done
}

# JVM flags every Ignite JVM of the harness gets (nodes and client tools).
ignite_jvm_common() {
  ignite_jvm_opens
  printf -- '%s\n' \
    -DIGNITE_UPDATE_NOTIFIER=false \
    -Djava.net.preferIPv4Stack=true \
    -DIGNITE_PERFORMANCE_SUGGESTIONS_DISABLED=true \
    "-DIGNITE_HOME=$IGNITE_WORK/home" \
    "-Djava.util.logging.config.file=$IGNITE_WORK/home/config/java.util.logging.properties"
}

# A logging config so Ignite's JavaLogger does not warn that config/java.util.logging.properties is
# missing; it logs INFO and above to the console (= the node's log file).
ignite_ensure_home() {
  local cfg="$IGNITE_WORK/home/config/java.util.logging.properties"
  [ -f "$cfg" ] && return 0
  mkdir -p "$(dirname "$cfg")"
  cat >"$cfg.tmp.$$" <<'EOF'
handlers=java.util.logging.ConsoleHandler
.level=INFO
java.util.logging.ConsoleHandler.level=INFO
java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter
java.util.logging.SimpleFormatter.format=[%1$tT] %4$s %3$s: %5$s%6$s%n
EOF
  mv -f "$cfg.tmp.$$" "$cfg"
}

# Node libraries of Ignite version $1 in .work/ignite/<version>/lib, fetched from Maven Central with the
# pom of scripts/java (ignite-core + ignite-indexing and their runtime dependencies).
ignite_ensure_libs() {
  ignite_fetch_libs "$IGNITE_JAVA_PROJECT/pom.xml" "$IGNITE_WORK/$1/lib" "$1" \
    "Ignite $1 jars" "could not fetch org.apache.ignite:ignite-core:$1 (is it on Maven Central?)"
}

# The runtime dependencies of POM (with -Dignite.version=VERSION) into DIR, once: under a lock, into a temp
# directory moved into place, so concurrent callers and an interrupted fetch never see a partial set. Prints DIR.
ignite_fetch_libs() {
  local pom="$1" dir="$2" version="$3" what="$4" failure="$5"
  [ -f "$dir/.complete" ] && { echo "$dir"; return 0; }
  mkdir -p "$IGNITE_WORK"
  (
    flock -w 600 9 || ignite_die "timed out waiting for $IGNITE_WORK/.libs.lock"
    [ -f "$dir/.complete" ] && exit 0
    local tmp="$dir.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    echo "ignite: fetching $what from Maven Central into $dir" >&2
    if ! ignite_mvn -f "$pom" "-Dignite.version=$version" \
        dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$tmp" >&2; then
      rm -rf "$tmp"
      ignite_die "$failure"
    fi
    rm -rf "$dir" && mv "$tmp" "$dir" && touch "$dir/.complete"
  ) 9>"$IGNITE_WORK/.libs.lock" || exit 1
  echo "$dir"
}

# The harness jar (launcher + tools), rebuilt when a source or the pom is newer than it.
ignite_ensure_harness_jar() {
  local stale=0
  if [ ! -f "$IGNITE_HARNESS_JAR" ]; then
    stale=1
  elif [ -n "$(find "$IGNITE_JAVA_PROJECT/src" "$IGNITE_JAVA_PROJECT/pom.xml" -newer "$IGNITE_HARNESS_JAR" -type f 2>/dev/null | head -1)" ]; then
    stale=1
  fi
  [ "$stale" = 0 ] && return 0
  mkdir -p "$IGNITE_WORK"
  (
    flock -w 600 9 || ignite_die "timed out waiting for $IGNITE_WORK/.build.lock"
    if [ -f "$IGNITE_HARNESS_JAR" ] && [ -z "$(find "$IGNITE_JAVA_PROJECT/src" "$IGNITE_JAVA_PROJECT/pom.xml" -newer "$IGNITE_HARNESS_JAR" -type f 2>/dev/null | head -1)" ]; then
      exit 0
    fi
    echo "ignite: building $IGNITE_HARNESS_JAR" >&2
    ignite_mvn -f "$IGNITE_JAVA_PROJECT/pom.xml" package || ignite_die "mvn package failed in $IGNITE_JAVA_PROJECT"
  ) 9>"$IGNITE_WORK/.build.lock" || exit 1
}

ignite_instance_dir() {
  echo "$IGNITE_WORK/instances/$1"
}

# Port layout. Slot 0 is the default instance (Ignite's usual ports); slot s >= 1 (named instances)
# owns the block base = 20000 + 100*s, below Linux's ephemeral range (32768+):
#   base+0..9   IGFS (node k: +k)          base+10..19  thin client (node k: +10+k)
#   base+20..29 discovery (static finder)  base+30..39  communication of server node k
#   base+40..79 communication of client nodes (the Java tools)
ignite_ports_for_slot() {
  local slot="$1"
  if [ "$slot" = 0 ]; then
    IGFS_BASE=10500 THIN_BASE=10800 DISCO_BASE=47500 COMM_BASE=47100
  else
    local base=$((20000 + 100 * slot))
    IGFS_BASE=$base THIN_BASE=$((base + 10)) DISCO_BASE=$((base + 20)) COMM_BASE=$((base + 30))
  fi
  DISCO_RANGE=10
}

# First slot of a named instance: a hash of its name, so the same name usually gets the same ports.
ignite_name_slot() {
  local sum
  sum=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
  echo $((sum % 99 + 1))
}

# Reads the recorded state of an instance (slot, flags) into STATE_* variables; 1 if none.
ignite_read_state() {
  local dir
  dir="$(ignite_instance_dir "$1")"
  STATE_SLOT="" STATE_FLAGS="" STATE_NODES="" STATE_VERSION=""
  [ -f "$dir/slot" ] && STATE_SLOT="$(cat "$dir/slot")"
  [ -f "$dir/flags" ] && STATE_FLAGS="$(cat "$dir/flags")"
  [ -f "$dir/nodes" ] && STATE_NODES="$(cat "$dir/nodes")"
  [ -f "$dir/version" ] && STATE_VERSION="$(cat "$dir/version")"
  [ -n "$STATE_SLOT" ]
}

# ignite-hadoop (IgniteHadoopFileSystem, a pure IGFS TCP client) and Hadoop 2.9.1, only for hadoop-bench.
ignite_ensure_hadoop_libs() {
  local version="${1:-$IGNITE_DEFAULT_VERSION}"
  ignite_fetch_libs "$IGNITE_JAVA_PROJECT/hadoop/pom.xml" "$IGNITE_WORK/hadoop-$version/lib" "$version" \
    "ignite-hadoop $version and Hadoop jars" "could not fetch org.apache.ignite:ignite-hadoop:$version"
}
