package dev.learnerpulse.sinks.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.secrets.WorkerSecret;
import dev.learnerpulse.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * TLS + AUTH end to end against Debian's redis-server started with {@code --tls-port} and a
 * certificate signed by a CA this test makes, as Memorystore with in-transit encryption signs with
 * a per-instance CA: the CA given to the endpoint makes the handshake work, another CA is refused
 * with a message that says so, and a rotated AUTH string is read again once.
 */
class RedisTlsTest {
  private static final String REDIS_SERVER = "/usr/bin/redis-server";
  private static final String PASSWORD_NAME = "projects/lp/secrets/redis-auth/versions/latest";

  @TempDir static Path dir;
  private static Process redis;
  private static int port;
  private static TestCertificates ca;

  @BeforeAll
  static void startRedisWithTls() throws Exception {
    assertTrue(
        Files.isExecutable(Path.of(REDIS_SERVER)),
        REDIS_SERVER + " is needed (apt-get install redis-server; .ci/run installs it)");
    ca = TestCertificates.create(dir, "Memorystore Test CA");
    TestCertificates.Leaf server = ca.issue("redis-server");
    Path cert = Files.writeString(dir.resolve("server-chain.pem"), server.chainPem());
    Path key = Files.writeString(dir.resolve("server-key.pem"), server.keyPem());
    Files.writeString(dir.resolve("ca-bundle.pem"), ca.caPem());
    writePassword("first-auth-string");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    redis =
        new ProcessBuilder(
                REDIS_SERVER,
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--tls-cert-file",
                cert.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-ca-cert-file",
                dir.resolve("ca-bundle.pem").toString(),
                "--tls-auth-clients",
                "no",
                "--requirepass",
                "first-auth-string",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader log =
        new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = log.readLine(); line != null; line = log.readLine()) {
      seen.append(line).append('\n');
      if (line.contains("Ready to accept connections")) {
        // Keep draining the log so that redis-server never blocks on a full pipe.
        Thread drain = new Thread(() -> log.lines().forEach(ignored -> {}));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IllegalStateException("redis-server did not start:\n" + seen);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (redis != null) {
      redis.destroy();
      redis.waitFor();
    }
  }

  private static void writePassword(String value) throws IOException {
    Files.writeString(dir.resolve(SecretReader.fileName(PASSWORD_NAME)), value + "\n");
  }

  private static RedisEndpoint endpoint(String caFile) {
    return RedisEndpoint.of("127.0.0.1", port)
        .withCaCertificates(WorkerSecret.fromFile(dir.resolve(caFile).toString()))
        .withAuth(
            null,
            WorkerSecret.fromSecretManager(PASSWORD_NAME, SecretReader.files(dir.toString())));
  }

  @Test
  void theInstanceCaMakesTheHandshakeAndAuthWork() {
    try (Jedis jedis = endpoint("ca-bundle.pem").connect()) {
      jedis.set("lp:tls-check", "ok");
      assertEquals("ok", jedis.get("lp:tls-check"));
      assertTrue(jedis.clientInfo().contains("learner-pulse-dashboard"), jedis.clientInfo());
    }
  }

  @Test
  void anotherCaIsRefusedWithAClearError() throws IOException {
    TestCertificates other = TestCertificates.create(dir, "Some Other CA");
    Files.writeString(dir.resolve("other-ca.pem"), other.caPem());
    DashboardWriteException e =
        assertThrows(DashboardWriteException.class, () -> endpoint("other-ca.pem").connect());
    assertTrue(
        e.getMessage()
            .startsWith(
                "Redis at 127.0.0.1:"
                    + port
                    + " presented a certificate"
                    + " that the CA of --redisCaCertificate ("
                    + dir.resolve("other-ca.pem")
                    + ") did not sign"),
        e.getMessage());
    assertFalse(e.getMessage().contains("first-auth-string"), e.getMessage());
  }

  @Test
  void theJvmTrustStoreAloneDoesNotTrustThePerInstanceCa() {
    RedisEndpoint jvmTrust =
        RedisEndpoint.of("127.0.0.1", port).withTls(true).withAuth("first-auth-string");
    assertThrows(DashboardWriteException.class, jvmTrust::connect);
  }

  @Test
  void aRotatedAuthStringIsReadAgainOnceWithoutANewEndpoint() throws IOException {
    RedisEndpoint endpoint = endpoint("ca-bundle.pem");
    String rotated = "second-auth-string";
    try (Jedis first = endpoint.connect()) {
      // The endpoint has cached the first AUTH string; now it is rotated, in Redis and in the
      // secret.
      first.configSet("requirepass", rotated);
      writePassword(rotated);
    }
    try (Jedis second = endpoint.connect()) {
      assertEquals("PONG", second.ping());
    } finally {
      try (Jedis restore = endpoint.connect()) {
        restore.configSet("requirepass", "first-auth-string");
      }
      writePassword("first-auth-string");
    }
  }

  @Test
  void aWrongAuthStringIsRefusedNamingTheSecretNotItsValue() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("wrong"));
    Files.writeString(
        elsewhere.resolve(SecretReader.fileName(PASSWORD_NAME)), "not-the-auth-string");
    RedisEndpoint endpoint =
        RedisEndpoint.of("127.0.0.1", port)
            .withCaCertificates(WorkerSecret.fromFile(dir.resolve("ca-bundle.pem").toString()))
            .withAuth(
                null,
                WorkerSecret.fromSecretManager(
                    PASSWORD_NAME, SecretReader.files(elsewhere.toString())));
    DashboardWriteException e = assertThrows(DashboardWriteException.class, endpoint::connect);
    assertTrue(
        e.getMessage().contains("refused the AUTH password (" + PASSWORD_NAME + ")"),
        e.getMessage());
    assertFalse(e.getMessage().contains("not-the-auth-string"), e.getMessage());
  }
}
