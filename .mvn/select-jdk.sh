# Chooses a JDK >= 21 for Mainstay's build and launcher; sourced (POSIX sh) by ./mvnw and ./mainstay.
# Order: JAVA_HOME when it is 21 or newer, else the newest JDK >= 21 under /usr/lib/jvm
# (or $MAINSTAY_JVM_DIRS, space-separated), else a clear message and exit 1.

mainstay_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing when it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

mainstay_select_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    _major=$(mainstay_java_major "$JAVA_HOME")
    if [ -n "$_major" ] && [ "$_major" -ge 21 ]; then
      return 0
    fi
    echo "mainstay: JAVA_HOME=$JAVA_HOME is not a JDK 21 or newer; looking for one under /usr/lib/jvm." >&2
  fi
  _best=""
  _best_major=0
  # ./mvnw runs with globbing off (set -f); this loop needs it.
  case $- in *f*) _noglob=1; set +f ;; *) _noglob=0 ;; esac
  for _dir in ${MAINSTAY_JVM_DIRS:-/usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home}; do
    [ -d "$_dir" ] || continue
    [ -L "$_dir" ] && continue
    _major=$(mainstay_java_major "$_dir")
    if [ -n "$_major" ] && [ "$_major" -ge 21 ] && [ "$_major" -gt "$_best_major" ]; then
      _best="$_dir"
      _best_major="$_major"
    fi
  done
  [ "$_noglob" = 1 ] && set -f
  if [ -z "$_best" ]; then
    echo "mainstay: no JDK 21 or newer found. Install one (for example Debian's openjdk-21-jdk or Temurin 21+)" >&2
    echo "mainstay: and set JAVA_HOME to it." >&2
    exit 1
  fi
  JAVA_HOME="$_best"
  export JAVA_HOME
}

mainstay_select_jdk
