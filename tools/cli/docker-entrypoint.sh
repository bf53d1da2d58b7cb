#!/bin/sh
# Starts the dashboard. With REDIS_CA_PEM set (a TLS Redis such as Memorystore with
# SERVER_AUTHENTICATION), the JVM trusts that CA in addition to its own: Jedis verifies the
# server's certificate against the JVM trust store.
set -eu
JAVA_OPTS="${JAVA_OPTS:-}"
if [ -n "${REDIS_CA_PEM:-}" ]; then
  store=/tmp/truststore.p12
  cp "$JAVA_HOME/lib/security/cacerts" "$store"
  chmod u+w "$store"
  printf '%s\n' "$REDIS_CA_PEM" > /tmp/redis-ca.pem
  keytool -importcert -noprompt -alias redis-server-ca -file /tmp/redis-ca.pem \
    -keystore "$store" -storepass changeit >/dev/null
  JAVA_OPTS="$JAVA_OPTS -Djavax.net.ssl.trustStore=$store -Djavax.net.ssl.trustStorePassword=changeit"
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -XX:MaxRAMPercentage=75 -jar /app/learner-pulse-dashboard.jar "$@"
