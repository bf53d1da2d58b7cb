package dev.learnerpulse.decode.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.secrets.WorkerSecret;
import dev.learnerpulse.testing.DebeziumAvro;
import dev.learnerpulse.testing.SchemaRegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryClientTest {
  private static final Schema PROGRESS = DebeziumAvro.of(SourceTable.LEARNER_PROGRESS).schema();

  private final SchemaRegistryServer registry = SchemaRegistryServer.start();
  private final List<Long> sleeps = new ArrayList<>();
  private static final String KEY_NAME = "projects/lp/secrets/sr-key/versions/latest";
  private static final String SECRET_NAME = "projects/lp/secrets/sr-secret/versions/latest";
  private static final AtomicInteger SECRET_READS = new AtomicInteger();

  @TempDir Path secretDir;

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  private SchemaRegistryClient client(SchemaRegistryConfig config) {
    return new SchemaRegistryClient(config, sleeps::add);
  }

  private SchemaRegistryConfig config() {
    return SchemaRegistryConfig.of(registry.url() + "/")
        .withRetries(4, Duration.ofMillis(100), Duration.ofMillis(250));
  }

  @Test
  void fetchesParsesAndCachesASchemaById() throws Exception {
    int id = registry.register(PROGRESS);
    SchemaRegistryClient client = client(config());
    SchemaLookup first = client.lookup(id);
    assertEquals(SchemaLookup.Status.FOUND, first.status());
    assertEquals(PROGRESS, first.schema());
    assertSame(first, client.lookup(id));
    assertEquals(1, registry.requests());
  }

  @Test
  void anUnknownIdIsItsOwnOutcomeAndIsRememberedForAWhile() throws Exception {
    SchemaRegistryClient client = client(config());
    assertEquals(SchemaLookup.Status.UNKNOWN, client.lookup(99).status());
    assertEquals(SchemaLookup.Status.UNKNOWN, client.lookup(99).status());
    assertEquals(1, registry.requests());

    SchemaRegistryClient forgetful = client(config().withUnknownIdRetention(Duration.ZERO));
    assertEquals(SchemaLookup.Status.UNKNOWN, forgetful.lookup(99).status());
    registry.register(99, PROGRESS.toString(), null);
    assertEquals(SchemaLookup.Status.FOUND, forgetful.lookup(99).status());
  }

  @Test
  void retriesServerErrorsWithExponentialBackoff() throws Exception {
    int id = registry.register(PROGRESS);
    registry.failNext(3, 503);
    assertEquals(SchemaLookup.Status.FOUND, client(config()).lookup(id).status());
    assertEquals(4, registry.requests());
    // 100 ms doubling up to 250 ms, each wait randomized by up to half.
    List<Long> expected = List.of(100L, 200L, 250L);
    assertEquals(expected.size(), sleeps.size(), "waits " + sleeps);
    for (int i = 0; i < expected.size(); i++) {
      long wait = sleeps.get(i);
      long mean = expected.get(i);
      assertTrue(wait >= mean / 2 && wait <= mean * 3 / 2, "waits " + sleeps);
    }
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheUrl() {
    int id = registry.register(PROGRESS);
    registry.failNext(10, 500);
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> client(config()).lookup(id));
    assertFalse(e instanceof SchemaRegistryConfigurationException);
    assertTrue(e.getMessage().contains(registry.url() + "/schemas/ids/" + id), e.getMessage());
    assertTrue(e.getMessage().contains("50001"), e.getMessage());
    assertEquals(4, registry.requests());
  }

  @Test
  void waitsForARegistryThatIsDownForAMoment() throws Exception {
    int id = registry.register(PROGRESS);
    registry.stop();
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            config().withRetries(20, Duration.ofMillis(50), Duration.ofMillis(200)),
            millis -> {
              Thread.sleep(millis);
              sleeps.add(millis);
            });
    Thread back =
        new Thread(
            () -> {
              try {
                Thread.sleep(2000);
              } catch (InterruptedException e) {
                return;
              }
              registry.restart();
            });
    back.start();
    assertEquals(SchemaLookup.Status.FOUND, client.lookup(id).status());
    back.join();
    // The JDK's HttpClient retries a refused connection once by itself; ours retried the rest.
    assertTrue(sleeps.size() >= 2, "retried " + sleeps);
  }

  @Test
  void unauthorizedIsAConfigurationErrorNamingTheUrl() throws Exception {
    int id = registry.register(PROGRESS);
    registry.requireBasicAuth("KEY123", "s3cret");
    SchemaRegistryConfigurationException anonymous =
        assertThrows(SchemaRegistryConfigurationException.class, () -> client(config()).lookup(id));
    assertTrue(anonymous.getMessage().contains(registry.url()), anonymous.getMessage());
    assertTrue(anonymous.getMessage().contains("401"), anonymous.getMessage());
    SchemaRegistryConfigurationException wrong =
        assertThrows(
            SchemaRegistryConfigurationException.class,
            () -> client(config().withBasicAuth("KEY123", "wrong")).lookup(id));
    assertTrue(wrong.getMessage().contains("API key"), wrong.getMessage());
    assertEquals(
        SchemaLookup.Status.FOUND,
        client(config().withBasicAuth("KEY123", "s3cret")).lookup(id).status());
    assertTrue(sleeps.isEmpty(), "401 is not retried");
  }

  /** Basic auth read from Secret Manager names (files here), each read counted. */
  private SchemaRegistryConfig withSecretManagerAuth(String apiKey, String apiSecret)
      throws IOException {
    writeSecrets(apiKey, apiSecret);
    SECRET_READS.set(0);
    SecretReader files = SecretReader.files(secretDir.toString());
    SecretReader counting =
        name -> {
          SECRET_READS.incrementAndGet();
          return files.read(name);
        };
    return config()
        .withBasicAuth(
            WorkerSecret.fromSecretManager(KEY_NAME, counting),
            WorkerSecret.fromSecretManager(SECRET_NAME, counting));
  }

  private void writeSecrets(String apiKey, String apiSecret) throws IOException {
    Files.writeString(secretDir.resolve(SecretReader.fileName(KEY_NAME)), apiKey + "\n");
    Files.writeString(secretDir.resolve(SecretReader.fileName(SECRET_NAME)), apiSecret + "\n");
  }

  @Test
  void aRotatedApiKeyIsReadAgainOnceWithoutANewClient() throws Exception {
    int first = registry.register(PROGRESS);
    int second = registry.register(DebeziumAvro.of(SourceTable.LEARNERS).schema());
    registry.requireBasicAuth("KEY1", "secret1");
    SchemaRegistryClient client = client(withSecretManagerAuth("KEY1", "secret1"));
    assertEquals(SchemaLookup.Status.FOUND, client.lookup(first).status());
    assertEquals(2, SECRET_READS.get(), "key and secret read once");

    // Rotated in the registry and in Secret Manager; the client still holds the old header.
    registry.requireBasicAuth("KEY2", "secret2");
    writeSecrets("KEY2", "secret2");
    assertEquals(SchemaLookup.Status.FOUND, client.lookup(second).status());
    assertEquals(4, SECRET_READS.get(), "key and secret read again exactly once");
    assertEquals(3, registry.requests(), "one refused request, one retried");

    int third = registry.register(DebeziumAvro.of(SourceTable.COURSES).schema());
    assertEquals(SchemaLookup.Status.FOUND, client.lookup(third).status());
    assertEquals(4, SECRET_READS.get(), "the new values are cached");
    assertEquals(4, registry.requests());
    assertTrue(sleeps.isEmpty(), "a refusal is not backed off " + sleeps);
  }

  @Test
  void aWrongSecretIsStillRefusedAfterOneReread() throws Exception {
    int id = registry.register(PROGRESS);
    registry.requireBasicAuth("KEY1", "secret1");
    SchemaRegistryClient client = client(withSecretManagerAuth("KEY1", "wrong"));
    SchemaRegistryConfigurationException e =
        assertThrows(SchemaRegistryConfigurationException.class, () -> client.lookup(id));
    assertEquals(
        "Schema Registry at "
            + registry.url()
            + " refused the API key (HTTP 401, error_code 401:"
            + " Unauthorized) for "
            + registry.url()
            + "/schemas/ids/"
            + id
            + ": check --schemaRegistryApiKey and --schemaRegistryApiSecret",
        e.getMessage());
    assertEquals(4, SECRET_READS.get(), "read, then read again once");
    assertEquals(2, registry.requests());
    assertTrue(sleeps.isEmpty(), "a refusal is not backed off " + sleeps);
  }

  @Test
  void plainCredentialsAreNotRetriedBecauseTheyCannotChange() {
    int id = registry.register(PROGRESS);
    registry.requireBasicAuth("KEY123", "s3cret");
    assertThrows(
        SchemaRegistryConfigurationException.class,
        () -> client(config().withBasicAuth("KEY123", "wrong")).lookup(id));
    assertThrows(SchemaRegistryConfigurationException.class, () -> client(config()).lookup(id));
    assertEquals(2, registry.requests(), "one request each");
  }

  @Test
  void aUrlThatIsNotARegistryIsAConfigurationError() {
    SchemaRegistryConfigurationException e =
        assertThrows(
            SchemaRegistryConfigurationException.class,
            () -> client(SchemaRegistryConfig.of(registry.url() + "/not-the-api")).lookup(1));
    assertTrue(e.getMessage().contains("/not-the-api"), e.getMessage());
  }

  @Test
  void aSchemaThatIsNotAvroIsUnusable() throws Exception {
    registry.register(7, "syntax = \"proto3\"; message Value {}", "PROTOBUF");
    registry.register(
        8,
        "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"Nope\"}]}",
        null);
    SchemaRegistryClient client = client(config());
    SchemaLookup proto = client.lookup(7);
    assertEquals(SchemaLookup.Status.UNUSABLE, proto.status());
    assertTrue(proto.detail().contains("PROTOBUF"), proto.detail());
    assertEquals(SchemaLookup.Status.UNUSABLE, client.lookup(8).status());
  }

  @Test
  void theCacheIsBounded() throws Exception {
    int a = registry.register(PROGRESS);
    int b = registry.register(DebeziumAvro.of(SourceTable.LEARNERS).schema());
    int c = registry.register(DebeziumAvro.of(SourceTable.COURSES).schema());
    SchemaRegistryClient client = client(config().withCacheSize(2));
    client.lookup(a);
    client.lookup(b);
    client.lookup(c);
    client.lookup(c);
    client.lookup(a);
    assertEquals(4, registry.requests());
  }

  @Test
  void theConfigTravelsToWorkersWithoutShowingTheSecret() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.of("https://psrc-abc.europe-west1.gcp.confluent.cloud/")
            .withBasicAuth("KEY123", "s3cret");
    SchemaRegistryConfig copy = SerializableUtils.clone(config);
    assertEquals("https://psrc-abc.europe-west1.gcp.confluent.cloud", copy.url());
    assertEquals(config.authorization(), copy.authorization());
    assertFalse(config.toString().contains("s3cret"), config.toString());
    assertFalse(config.toString().contains("KEY123"), config.toString());
    assertNotEquals(null, config.authorization());
    assertThrows(IllegalArgumentException.class, () -> SchemaRegistryConfig.of("ftp://x"));
    assertThrows(IllegalArgumentException.class, () -> SchemaRegistryConfig.of("https://k:s@x"));
    assertThrows(IllegalArgumentException.class, () -> SchemaRegistryConfig.of(" "));
  }
}
