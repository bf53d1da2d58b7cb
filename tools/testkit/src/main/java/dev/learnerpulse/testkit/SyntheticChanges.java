package dev.learnerpulse.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Valid Debezium JSON changes (schemaless JsonConverter payloads, as the connectors write them) for
 * the latency benchmark's load: each change's event time is its send time, and each has its own
 * source position, so none is a duplicate. Records of a learner go to one partition.
 */
public final class SyntheticChanges {
  public static final int PARTITIONS = 3;

  /** The course only probe learners use: its window keys tell how many probe changes arrived. */
  static final String PROBE_COURSE = "C00";

  /** The tenant of every synthetic learner and course, so of every dashboard key they write. */
  static final String TENANT = "bench";

  private final String progressTopic;
  private final String interactionsTopic;
  private final String assessmentsTopic;
  private final String certificationTopic;
  private long position = 1_000_000L;

  public SyntheticChanges(
      String progressTopic,
      String interactionsTopic,
      String assessmentsTopic,
      String certificationTopic) {
    this.progressTopic = progressTopic;
    this.interactionsTopic = interactionsTopic;
    this.assessmentsTopic = assessmentsTopic;
    this.certificationTopic = certificationTopic;
  }

  public static String learner(int i) {
    return String.format("L%05d", i);
  }

  public static String course(int i) {
    return String.format("C%02d", i);
  }

  public static String probeLearner(int i) {
    return String.format("P%03d", i);
  }

  /** A course_interactions insert without a duration: it adds exactly 2 to the engagement score. */
  ProducerRecord<byte[], byte[]> interaction(
      String learner, String course, long at, Integer durationMs) {
    long id = ++position;
    String value =
        "{\"before\":null,\"after\":{\"interaction_id\":"
            + id
            + ",\"learner_id\":\""
            + learner
            + "\",\"course_id\":\""
            + course
            + "\",\"kind\":\""
            + (durationMs == null ? "download" : "page_view")
            + "\",\"duration_ms\":"
            + durationMs
            + ",\"occurred_at\":"
            + at
            + "},"
            + "\"source\":{\"version\":\"3.1.3.Final\",\"connector\":\"mysql\",\"name\":\"lxp\",\"ts_ms\":"
            + at
            + ",\"snapshot\":\"false\",\"db\":\"engagement\",\"sequence\":null,\"table\":\"course_interactions\","
            + "\"server_id\":223344,\"gtid\":null,\"file\":\"mysql-bin.000042\",\"pos\":"
            + id
            + ",\"row\":0,\"thread\":17,\"query\":null},\"transaction\":null,\"op\":\"c\",\"ts_ms\":"
            + at
            + "}";
    return record(interactionsTopic, learner, "{\"interaction_id\":" + id + "}", value, at);
  }

  ProducerRecord<byte[], byte[]> progress(
      String learner, String course, long at, SplittableRandom random) {
    long lsn = ++position;
    double pct = random.nextInt(10_001) / 100.0;
    String status = pct >= 100 ? "completed" : pct == 0 ? "not_started" : "in_progress";
    String value =
        "{\"before\":null,\"after\":{\"learner_id\":\""
            + learner
            + "\",\"course_id\":\""
            + course
            + "\",\"progress_pct\":\""
            + String.format("%.2f", pct)
            + "\",\"status\":\""
            + status
            + "\",\"updated_at\":\""
            + micros(at)
            + "\"},"
            + postgresSource("learner_progress", at, lsn)
            + ",\"transaction\":null,\"op\":\"u\",\"ts_ms\":"
            + at
            + "}";
    return record(progressTopic, learner, pgKey(learner, course), value, at);
  }

  ProducerRecord<byte[], byte[]> certification(
      String learner, String course, long at, SplittableRandom random) {
    return certification(
        learner, course, at, new String[] {"in_progress", "eligible", "issued"}[random.nextInt(3)]);
  }

  /** A certification_state update to {@code state}. */
  ProducerRecord<byte[], byte[]> certification(
      String learner, String course, long at, String state) {
    long lsn = ++position;
    String value =
        "{\"before\":null,\"after\":{\"learner_id\":\""
            + learner
            + "\",\"course_id\":\""
            + course
            + "\",\"state\":\""
            + state
            + "\",\"updated_at\":\""
            + micros(at)
            + "\"},"
            + postgresSource("certification_state", at, lsn)
            + ",\"transaction\":null,\"op\":\"u\",\"ts_ms\":"
            + at
            + "}";
    return record(certificationTopic, learner, pgKey(learner, course), value, at);
  }

  ProducerRecord<byte[], byte[]> assessment(
      String learner, String course, long at, SplittableRandom random) {
    long ord = ++position;
    String oid = String.format("%024x", ord);
    String after =
        "{\"_id\": {\"$oid\": \""
            + oid
            + "\"}, \"learner_id\": \""
            + learner
            + "\", \"course_id\": \""
            + course
            + "\", \"assessment_id\": \""
            + course
            + "-Q1\", \"score\": "
            + random.nextInt(101)
            + ", \"max_score\": 100, \"final\": false, \"submitted_at\": {\"$date\": "
            + at
            + "}}";
    String value =
        "{\"before\":null,\"after\":\""
            + after.replace("\"", "\\\"")
            + "\",\"updateDescription\":null,"
            + "\"source\":{\"version\":\"3.1.3.Final\",\"connector\":\"mongodb\",\"name\":\"lxp\",\"ts_ms\":"
            + at
            + ",\"snapshot\":\"false\",\"db\":\"assessments\",\"sequence\":null,\"rs\":\"rs0\","
            + "\"collection\":\"assessment_events\",\"ord\":"
            + ord
            + ",\"lsid\":null,\"txnNumber\":null},"
            + "\"transaction\":null,\"op\":\"c\",\"ts_ms\":"
            + at
            + "}";
    return record(
        assessmentsTopic, learner, "{\"id\":\"{\\\"$oid\\\": \\\"" + oid + "\\\"}\"}", value, at);
  }

  public static ProducerRecord<byte[], byte[]> course(String topic, int i, int partition, long at) {
    String id = course(i);
    String value =
        "{\"before\":null,\"after\":{\"course_id\":\""
            + id
            + "\",\"tenant_id\":\""
            + TENANT
            + "\",\"title\":\"Course "
            + i
            + "\",\"passing_score_pct\":\"70.00\",\"module_count\":10},"
            + postgresSource("courses", at, 10_000 + i)
                .replace("\"snapshot\":\"false\"", "\"snapshot\":\"true\"")
            + ",\"transaction\":null,\"op\":\"r\",\"ts_ms\":"
            + at
            + "}";
    return new ProducerRecord<>(
        topic, partition, at, bytes("{\"course_id\":\"" + id + "\"}"), bytes(value));
  }

  public static ProducerRecord<byte[], byte[]> learner(
      String topic, String id, int partition, long at, long lsn) {
    String value =
        "{\"before\":null,\"after\":{\"learner_id\":\""
            + id
            + "\",\"tenant_id\":\""
            + TENANT
            + "\",\"cohort_id\":"
            + "\"bench-1\",\"country\":\"DE\"},"
            + postgresSource("learners", at, lsn)
                .replace("\"snapshot\":\"false\"", "\"snapshot\":\"true\"")
            + ",\"transaction\":null,\"op\":\"r\",\"ts_ms\":"
            + at
            + "}";
    return new ProducerRecord<>(
        topic, partition, at, bytes("{\"learner_id\":\"" + id + "\"}"), bytes(value));
  }

  private static String postgresSource(String table, long at, long lsn) {
    return "\"source\":{\"version\":\"3.1.3.Final\",\"connector\":\"postgresql\",\"name\":\"lxp\",\"ts_ms\":"
        + at
        + ",\"snapshot\":\"false\",\"db\":\"lxp\",\"sequence\":null,\"schema\":\"public\",\"table\":\""
        + table
        + "\",\"txId\":"
        + lsn
        + ",\"lsn\":"
        + lsn
        + ",\"xmin\":null}";
  }

  private static String pgKey(String learner, String course) {
    return "{\"learner_id\":\"" + learner + "\",\"course_id\":\"" + course + "\"}";
  }

  /** {@code timestamptz} as Debezium's ZonedTimestamp: always six fraction digits. */
  private static String micros(long millis) {
    Instant at = Instant.ofEpochMilli(millis);
    return String.format("%s.%06dZ", at.toString().substring(0, 19), (millis % 1000) * 1000);
  }

  private static ProducerRecord<byte[], byte[]> record(
      String topic, String learner, String key, String value, long at) {
    return new ProducerRecord<>(topic, partitionOf(learner), at, bytes(key), bytes(value));
  }

  static int partitionOf(String learner) {
    return Math.floorMod(learner.hashCode(), PARTITIONS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
