package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.decode.ValueFormat;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.secrets.SecretReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Options become settings once, at launch: the defaults are the contract's, and every bad value
 * fails there with an error that names its flag. No server is needed: {@link PipelineSettings#from}
 * only converts and checks values.
 */
class PipelineSettingsTest {
  private static final String BACKFILL = "--mode=backfill";
  private static final String FILES = "--inputPattern=testdata/*.jsonl";
  private static final String OUT = "--outputDir=/tmp/learner-pulse-settings-test";
  private static final String KAFKA = "--bootstrapServers=localhost:9092";

  private static LearnerPulseOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(LearnerPulseOptions.class);
  }

  private static PipelineSettings settings(String... args) {
    return PipelineSettings.from(options(args), SecretReader.files("/nonexistent"));
  }

  /** The message of the error that {@code args} give at launch. */
  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> settings(args)).getMessage();
  }

  private static String[] backfillWith(String... more) {
    List<String> args = new ArrayList<>(List.of(BACKFILL, FILES, OUT));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void flagsAreNamedAfterTheirGetters() {
    assertEquals("--windowSize", Flag.of(WindowOptions::getWindowSize));
    assertEquals("--alerts", Flag.of(AlertOptions::getAlerts));
    assertEquals("--bigQueryProject", Flag.of(WarehouseOptions::getBigQueryProject));
    assertEquals("--mode", Flag.of(LearnerPulseOptions::getMode));
    Flag.Getter<LearnerPulseOptions, String> lambda = options -> options.getWindowSize();
    assertThrows(IllegalArgumentException.class, () -> Flag.of(lambda));
  }

  @Test
  void backfillDefaultsAreTheContracts() {
    PipelineSettings settings = settings(BACKFILL, FILES, OUT);
    assertEquals(Mode.BACKFILL, settings.mode());
    assertFalse(settings.streaming());
    assertEquals(Topics.defaults(), settings.topics());
    assertEquals(Duration.standardSeconds(60), settings.windowing().size());
    assertEquals(Duration.standardSeconds(300), settings.windowing().allowedLateness());
    assertEquals(Duration.standardSeconds(10), settings.windowing().earlyFiring());
    assertEquals(Lateness.BATCH, settings.lateness());
    assertEquals(Duration.standardSeconds(5), settings.maxDelay());
    assertEquals(Duration.standardSeconds(10), settings.idleTimeout());
    assertEquals(Duration.standardSeconds(30), settings.referenceRefresh());
    assertTrue(settings.referencesCompleteAtLaunch());
    assertEquals(64, settings.dedupShards());
    assertEquals(16, settings.guardShards());
    assertEquals(ValueFormat.JSON, settings.valueFormat());
    assertNull(settings.schemaRegistry());
    assertEquals("testdata/*.jsonl", settings.inputPattern());
    assertNull(settings.period());
    assertNull(settings.kafka());
    assertEquals("lxp.learner_pulse.dlq", settings.deadLetterTopic());
    assertFalse(settings.alerts());
    assertNull(settings.alertsTopic(), "alerts are streaming only");
    assertEquals("/tmp/learner-pulse-settings-test", settings.outputDir());
    assertNull(settings.bigQuery());
    assertNull(settings.dashboard());
    assertNull(settings.alertStream());
    assertEquals(Duration.standardSeconds(10), settings.checkpointEvery());
  }

  @Test
  void streamingDefaultsAreTheContracts() {
    Instant before = Instant.now().minus(Duration.standardDays(7));
    PipelineSettings settings = settings(KAFKA, OUT);
    Instant after = Instant.now().minus(Duration.standardDays(7));
    assertTrue(settings.streaming());
    assertEquals("localhost:9092", settings.kafka().bootstrapServers());
    assertNull(settings.consumerGroup());
    assertEquals("earliest", settings.startPosition());
    assertTrue(
        !settings.backlogStart().isBefore(before) && !settings.backlogStart().isAfter(after),
        "lateness is judged from Kafka's default retention before launch");
    assertTrue(settings.alerts());
    assertEquals("lxp.learner_pulse.alerts", settings.alertsTopic());
    assertNull(settings.inputPattern());
  }

  @Test
  void valuesAreConverted() {
    PipelineSettings settings =
        settings(
            KAFKA,
            OUT,
            "--windowSize=5m",
            "--backlogStart=2026-11-20T08:50:00Z",
            "--startPosition=LATEST",
            "--consumerGroup= ",
            "--deadLetterTopic=none",
            "--alertsTopic=",
            "--schemaRegistryUrl=http://registry:8081",
            "--redisUrl=redis://localhost:6379");
    assertEquals(Duration.standardMinutes(5), settings.windowing().size());
    assertEquals(Instant.parse("2026-11-20T08:50:00Z"), settings.backlogStart());
    assertEquals("latest", settings.startPosition());
    assertNull(settings.consumerGroup());
    assertNull(settings.deadLetterTopic());
    assertNull(settings.alertsTopic());
    assertEquals(ValueFormat.AUTO, settings.valueFormat());
    assertNotNull(settings.schemaRegistry());
    assertNotNull(settings.dashboard());
    assertNotNull(settings.alertStream());
    PipelineSettings fromKafka =
        settings(BACKFILL, OUT, KAFKA, "--from=2026-11-20T00:00:00Z", "--to=2026-11-21T00:00:00Z");
    assertEquals(
        new PipelineSettings.Period(
            Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z")),
        fromKafka.period());
    assertNotNull(fromKafka.kafka());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "windowSize",
        "allowedLateness",
        "earlyFiring",
        "maxDelay",
        "idleTimeout",
        "referenceRefresh",
        "redisTtl",
        "redisRetryTimeout",
        "triggeringFrequency",
        "checkpointEvery"
      })
  void aBadDurationNamesItsFlag(String option) {
    assertEquals(
        "--" + option + " must be a duration such as 500ms, 60s, 5m, 1h, 7d or PT1M, not 'soon'",
        error(
            backfillWith(
                "--" + option + "=soon",
                "--redisUrl=redis://localhost:6379",
                "--warehouse=bigquery",
                "--bigQueryProject=p")));
  }

  @Test
  void aDurationTheTransformsRefuseNamesItsFlag() {
    assertEquals(
        "--windowSize, --allowedLateness: The window size must be positive, not PT0S",
        error(backfillWith("--windowSize=0")));
    assertEquals(
        "--earlyFiring: The early firing period must be positive, not PT0S",
        error(backfillWith("--earlyFiring=0")));
    assertEquals(
        "--triggeringFrequency: triggering frequency must be positive, got PT0S",
        error(
            backfillWith(
                "--warehouse=bigquery", "--bigQueryProject=p", "--triggeringFrequency=0")));
  }

  @Test
  void aBadInstantNamesItsFlag() {
    assertEquals(
        "--backlogStart must be an ISO-8601 instant such as 2026-11-20T00:00:00Z, not 'yesterday'",
        error(KAFKA, OUT, "--backlogStart=yesterday"));
    assertEquals(
        "--from must be an ISO-8601 instant such as 2026-11-20T00:00:00Z, not 'monday'",
        error(BACKFILL, OUT, KAFKA, "--from=monday", "--to=2026-11-21T00:00:00Z"));
    assertEquals(
        "--startPosition must be earliest, latest or an ISO-8601 instant, not 'middle'",
        error(KAFKA, OUT, "--startPosition=middle"));
  }

  @Test
  void aBackfillHasOneSourceAndAWholePeriod() {
    assertEquals(
        "--inputPattern (or --from and --to) is required with --mode=backfill",
        error(BACKFILL, OUT));
    assertEquals(
        "--from and --to go together: a backfill from Kafka needs both ends of its period",
        error(BACKFILL, OUT, KAFKA, "--from=2026-11-20T00:00:00Z"));
    assertEquals(
        "--from must be before --to, not 2026-11-21T00:00:00.000Z >= 2026-11-20T00:00:00.000Z",
        error(BACKFILL, OUT, KAFKA, "--from=2026-11-21T00:00:00Z", "--to=2026-11-20T00:00:00Z"));
    assertEquals(
        "--inputPattern and --from/--to are two sources of a backfill: give one of them",
        error(BACKFILL, FILES, OUT, "--from=2026-11-20T00:00:00Z", "--to=2026-11-21T00:00:00Z"));
    assertEquals(
        "--bootstrapServers (with --from and --to) is required with --mode=backfill",
        error(BACKFILL, OUT, "--from=2026-11-20T00:00:00Z", "--to=2026-11-21T00:00:00Z"));
  }

  @Test
  void requiredOptionsAreNamed() {
    assertEquals("--bootstrapServers is required with --mode=streaming", error(OUT));
    assertEquals("--outputDir is required with --mode=backfill", error(BACKFILL, FILES));
    assertEquals(
        "--warehouse=bigquery needs --project or --bigQueryProject",
        error(BACKFILL, FILES, "--warehouse=bigquery"));
  }

  @Test
  void kafkaCredentialsFitTheProtocol() {
    assertEquals(
        "--kafkaSecurity=SASL_SSL needs --kafkaApiKey and --kafkaApiSecret (the SASL user and"
            + " password)",
        error(KAFKA, OUT, "--kafkaSecurity=sasl_ssl"));
    assertEquals(
        "--kafkaApiKey and --kafkaApiSecret are SASL credentials: they need"
            + " --kafkaSecurity=SASL_SSL or SASL_PLAINTEXT, not PLAINTEXT",
        error(KAFKA, OUT, "--kafkaApiKey=k", "--kafkaApiSecret=s"));
  }

  @Test
  void avroNeedsARegistryAndWholeCredentials() {
    assertEquals(
        "--valueFormat: value format must be json, avro or auto, was xml",
        error(backfillWith("--valueFormat=xml")));
    assertEquals(
        "--valueFormat=avro needs --schemaRegistryUrl to read Avro writer schemas",
        error(backfillWith("--valueFormat=avro")));
    assertEquals(
        "--schemaRegistryApiKey and --schemaRegistryApiSecret go together",
        error(
            backfillWith("--schemaRegistryUrl=http://registry:8081", "--schemaRegistryApiKey=k")));
  }

  @Test
  void countsTheTransformsRefuseNameTheirFlag() {
    assertEquals(
        "--storageWriteStreams: number of streams must be positive, got 0",
        error(
            backfillWith(
                "--warehouse=bigquery", "--bigQueryProject=p", "--storageWriteStreams=0")));
    assertEquals(
        "--alertsStreamMaxLen: maxLen must be positive, was 0",
        error(backfillWith("--redisUrl=redis://localhost:6379", "--alertsStreamMaxLen=0")));
    assertEquals(
        "--dedupShards: At least one dedup shard is needed, not 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> LearnerPulse.pulse(settings(backfillWith("--dedupShards=0"))))
            .getMessage());
    assertEquals(
        "--guardShards: At least one shard is needed, not 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> LearnerPulse.pulse(settings(KAFKA, OUT, "--guardShards=0")))
            .getMessage());
  }

  @Test
  void enumsNameTheirFlag() {
    assertEquals(
        "--mode must be one of streaming, backfill, not 'sideways'",
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("sideways")).getMessage());
    assertEquals(
        "--kafkaSecurity must be one of plaintext, sasl_plaintext, sasl_ssl, ssl, not 'tls'",
        assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.parse("tls"))
            .getMessage());
    assertEquals(
        "--kafkaSaslMechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not 'md5'",
        assertThrows(IllegalArgumentException.class, () -> SaslMechanism.parse("md5"))
            .getMessage());
    assertEquals(
        "--warehouse must be files or bigquery, not 'excel'",
        assertThrows(
                IllegalArgumentException.class, () -> WarehouseOptions.Warehouse.parse("excel"))
            .getMessage());
  }
}
