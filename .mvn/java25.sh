# Finds a JDK 25 or newer for ./mvnw and ./r1j (sourced by both; POSIX sh, works under `set -euf`).
# The build needs it: .mvn/jvm.config passes flags an older JVM rejects at start-up, and the code uses JDK 25 APIs.
# Order: $JAVA_HOME when it is 25 or newer, the usual Debian/Temurin install paths, any JDK under /usr/lib/jvm (or
# $R1J_JVM_DIR), then the `java` on PATH. The first that qualifies becomes JAVA_HOME (exported); when none does, one
# line says so and the caller stops.

# The major version of the JDK at $1 ("25" for 25.0.1, "1" for 1.8), empty when it has no java and javac.
r1j_jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1
}

# Whether $1 is a JDK of version 25 or newer.
r1j_is_jdk25() {
  _r1j_major="$(r1j_jdk_major "$1")"
  [ -n "$_r1j_major" ] && [ "$_r1j_major" -ge 25 ]
}

# Exports JAVA_HOME as a JDK 25 or newer, or prints why it cannot and returns 1.
r1j_use_jdk25() {
  if [ -n "${JAVA_HOME:-}" ] && r1j_is_jdk25 "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  _r1j_path_java="$(command -v java 2>/dev/null || true)"
  _r1j_path_home=""
  [ -z "$_r1j_path_java" ] || _r1j_path_home="$(dirname "$(dirname "$(readlink -f "$_r1j_path_java")")")"
  _r1j_jvms="${R1J_JVM_DIR:-/usr/lib/jvm}" # R1J_JVM_DIR: another place JDKs are installed side by side
  for _r1j_candidate in "$_r1j_jvms/temurin-25-jdk-amd64" "$_r1j_jvms/java-25-openjdk-amd64" \
      $(ls -d "$_r1j_jvms"/*/ 2>/dev/null | sort -r) $_r1j_path_home; do
    _r1j_candidate="${_r1j_candidate%/}"
    if r1j_is_jdk25 "$_r1j_candidate"; then
      JAVA_HOME="$_r1j_candidate"
      export JAVA_HOME
      return 0
    fi
  done
  _r1j_found="none"
  [ -n "${JAVA_HOME:-}" ] && _r1j_found="JAVA_HOME=$JAVA_HOME is Java $(r1j_jdk_major "$JAVA_HOME")"
  [ -n "${JAVA_HOME:-}" ] || [ -z "$_r1j_path_home" ] \
    || _r1j_found="java on PATH is Java $(r1j_jdk_major "$_r1j_path_home")"
  echo "r1j needs JDK 25 or newer and found none ($_r1j_found; looked in \$JAVA_HOME, $_r1j_jvms and PATH): install one (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to it" >&2
  return 1
}
