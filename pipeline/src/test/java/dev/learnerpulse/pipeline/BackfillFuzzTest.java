package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.testkit.testdata.GenerateTestData;
import dev.learnerpulse.testkit.testdata.GeneratorConfig;
import dev.learnerpulse.testkit.testdata.TopicLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input cannot crash a backfill or break its accounting (issue 13): valid records of every
 * topic and JSON wire format from the test-data generator, about half of them mutated (cut, flipped
 * bytes, huge, negative, non-finite and overflowing numbers, extreme dates, deep nesting, odd ids,
 * dropped keys), plus the issue's own hostile lines, run through the backfill. The run must finish,
 * every line must have exactly one outcome, the counts must add up, and every metrics row must stay
 * within the contract's ranges.
 *
 * <p>Seeded: a failure names its seed; rerun it with {@code -Dfuzz.seed=<seed>}.
 */
class BackfillFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEFAULT_SEED = 13L;
  private static final String HOLE = "\"@@hostile@@\"";

  /** Values a field is replaced with, as raw JSON tokens. */
  private static final List<String> HOSTILE_VALUES =
      List.of(
          "1e400",
          "-1e400",
          "1e307",
          "-1",
          "-0.0",
          "0",
          "1e-400",
          "9223372036854775808",
          "-9223372036854775808",
          "18446744073709551616",
          "2147483648",
          "\"NaN\"",
          "\"Infinity\"",
          "\"-Infinity\"",
          "\"0." + "9".repeat(1_100) + "\"",
          "0." + "1".repeat(999),
          "\"" + "A".repeat(200_000) + "\"",
          "{\"$numberDecimal\":\"1" + "0".repeat(2_000) + "\"}",
          "{\"$numberDecimal\":\"NaN\"}",
          "{\"$numberDouble\":\"-Infinity\"}",
          "{\"$numberLong\":\"99999999999999999999\"}",
          "{\"$numberInt\":\"2147483648\"}",
          "{\"$date\":{\"$numberLong\":\"-9223372036854775808\"}}",
          "{\"$date\":9223372036854775807}",
          "{\"$date\":\"+999999999-12-31T23:59:59.999Z\"}",
          "\"+999999999-12-31T23:59:59.999Z\"",
          "\"+584556076-02-20T23:38:51.384Z\"",
          "\"-290308-12-21T19:59:05.224Z\"",
          "\"2026-11-20T09:10:00.000000+14:00\"",
          "9223372030000000000",
          "-9223372036854775",
          "\"\"",
          "\" \"",
          "\"x:course:y\"",
          "\"\\u0000\"",
          "\"\u00e9\\ud83d\\ude00\"",
          "null",
          "true",
          "[]",
          "{}",
          "[".repeat(1_200) + "]".repeat(1_200),
          "{\"a\":".repeat(600) + "1" + "}".repeat(600),
          "\"c\"",
          "\"d\"",
          "\"completed\"",
          "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
          "\"//8=\"");

  @TempDir Path dir;

  @Test
  void hostileRecordsNeverCrashTheBackfillAndEveryRecordHasOneOutcome() throws Exception {
    long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    try {
      fuzz(seed);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "fuzz seed " + seed + " (rerun with -Dfuzz.seed=" + seed + "): " + e.getMessage(), e);
    }
  }

  /**
   * Issue 13, item 1: score = max_score = 1e307, both finite, is a valid 100 %: the exact score
   * arithmetic never computes 100 * score in doubles, where it overflowed to Infinity.
   */
  @Test
  void equalHugeScoresAreAValidHundredPercent() throws Exception {
    TopicLog log =
        GenerateTestData.generate(
            new GeneratorConfig(
                dir.resolve("unused"),
                DEFAULT_SEED,
                3,
                24,
                6,
                1_000,
                20,
                Instant.parse("2026-11-20T09:00:00Z")));
    String line =
        withRow(
            withRow(firstValid(log, "lxp.assessments.assessment_events"), "score", "1e307"),
            "max_score",
            "1e307");
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("huge.jsonl"), List.of(line));
    Path out = Files.createDirectories(dir.resolve("out"));
    OutcomeReport report = backfill(in, out);
    assertEquals(
        1, report.count("lxp.assessments.assessment_events", Outcome.VALID), report.render());
    List<JsonNode> metrics = TableFiles.rows(out, "learner_window_metrics");
    assertEquals(1, metrics.size());
    assertEquals(100.0, metrics.get(0).get("avg_score_pct").asDouble());
  }

  private static OutcomeReport backfill(Path in, Path out) {
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=backfill",
                "--inputPattern=" + in.toAbsolutePath() + "/*.jsonl",
                "--outputDir=" + out.toAbsolutePath())
            .as(LearnerPulseOptions.class);
    PipelineResult result = LearnerPulse.run(options);
    result.waitUntilFinish();
    return OutcomeReport.of(result);
  }

  private void fuzz(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    GeneratorConfig config =
        new GeneratorConfig(
            dir.resolve("unused"),
            seed,
            3,
            24,
            6,
            1_500,
            20,
            Instant.parse("2026-11-20T09:00:00Z"));
    TopicLog log = GenerateTestData.generate(config);
    Path in = Files.createDirectories(dir.resolve("in"));
    long lines = 0;
    for (String topic : log.topics().keySet()) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      for (String line : log.dumpLines(topic)) {
        byte[] bytes =
            random.nextInt(2) == 0 ? line.getBytes(StandardCharsets.UTF_8) : mutate(line, random);
        file.write(bytes);
        file.write('\n');
      }
      byte[] written = file.toByteArray();
      Files.write(in.resolve(topic + ".jsonl"), written);
      lines += countLines(written);
    }

    Map<Long, String> issueLines = writeIssueLines(log, in.resolve("issue-13.jsonl"));
    lines += issueLines.size();

    Path out = Files.createDirectories(dir.resolve("out"));
    OutcomeReport report = backfill(in, out);

    long input = 0;
    long deadLetters = 0;
    long tooLate = 0;
    for (String topic : report.topics()) {
      input += report.input(topic);
      deadLetters += report.count(topic, Outcome.DEAD_LETTER);
      tooLate += report.count(topic, Outcome.TOO_LATE);
    }
    assertEquals(lines, input, "every line is counted as input once\n" + report.render());
    assertTrue(report.balanced(), report.render());

    List<JsonNode> deadLetterRows = TableFiles.rows(out, "dead_letters");
    List<JsonNode> tooLateRows = TableFiles.rows(out, "too_late_events");
    assertEquals(deadLetters, deadLetterRows.size(), "dead-letter rows");
    assertEquals(tooLate, tooLateRows.size(), "too-late rows");
    Set<String> positions = new HashSet<>();
    for (JsonNode row : concat(deadLetterRows, tooLateRows)) {
      String position =
          row.get("topic").asText()
              + "/"
              + row.get("partition").asInt()
              + "/"
              + row.get("offset").asLong();
      assertTrue(positions.add(position), "two outcomes for " + position);
    }
    for (JsonNode row : TableFiles.rows(out, "learner_window_metrics")) {
      checkRanges(row);
    }
    Map<Long, String> reasons = new TreeMap<>();
    for (JsonNode row : deadLetterRows) {
      String topic = row.get("topic").asText();
      if (row.get("partition").asInt() == ISSUE_PARTITION
          || topic.startsWith("archive:") && topic.endsWith("issue-13.jsonl")) {
        reasons.put(row.get("offset").asLong(), row.get("reason").asText());
      }
    }
    assertEquals(issueLines, reasons, "the issue's own lines, by byte offset");
    System.out.println("fuzz seed " + seed + ", " + lines + " lines\n" + report.render());
  }

  private static final int ISSUE_PARTITION = 9;

  /**
   * The lines issue 13 reproduced its findings with, each from a valid record of its topic, on a
   * partition of their own with the line's byte offset as offset; returns the reason each must get
   * by that offset.
   */
  private static Map<Long, String> writeIssueLines(TopicLog log, Path file) throws IOException {
    String progress = firstValid(log, "lxp.public.learner_progress");
    String interaction = firstValid(log, "lxp.engagement.course_interactions");
    String assessment = firstValid(log, "lxp.assessments.assessment_events");
    String learner = firstValid(log, "lxp.public.learners");
    byte[] megabytes = new byte[3_000_000];
    megabytes[0] = 1;
    List<String> lines =
        List.of(
            withRow(
                assessment,
                "submitted_at",
                "{\"$date\":{\"$numberLong\":\"-9223372036854775808\"}}"),
            withRow(progress, "updated_at", "\"+999999999-12-31T23:59:59.999Z\""),
            withKcat(
                withRow(interaction, "occurred_at", "9223372030000000000"),
                "ts",
                "9223372030000000000"),
            withRow(progress, "progress_pct", "\"0." + "1".repeat(1_100) + "\""),
            withRow(assessment, "score", "{\"$numberDecimal\":\"0." + "1".repeat(1_100) + "\"}"),
            withoutKcat(learner, "payload"),
            withRow(progress, "updated_at", "\"+584556076-02-20T23:38:51.384Z\""),
            withKcat(progress, "ts", "9223372036854775808"),
            withKcat(progress, "offset", "9223372036854775808"),
            withRow(
                progress,
                "progress_pct",
                "\"" + java.util.Base64.getEncoder().encodeToString(megabytes) + "\""),
            withRow(progress, "progress_pct", "\"NaN\""));
    List<String> reasons =
        List.of(
            "BAD_VALUE",
            "BAD_VALUE",
            "BAD_VALUE",
            "BAD_VALUE",
            "BAD_VALUE",
            "MALFORMED",
            "BAD_VALUE",
            "MALFORMED",
            "MALFORMED",
            "BAD_VALUE",
            "BAD_VALUE");
    Map<Long, String> expected = new TreeMap<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      // The line's byte offset: where an unreadable line's dead letter points (issue 17).
      long at = out.size();
      String line = lines.get(i).replace("\"offset\":" + OFFSET_MARK, "\"offset\":" + at);
      out.write(bytes(line));
      out.write('\n');
      expected.put(at, reasons.get(i));
    }
    // A binary line with lone carriage returns: one dead letter, not several.
    expected.put((long) out.size(), "MALFORMED");
    out.write(new byte[] {0, 1, '\r', (byte) 0xff, '\r', 2, '{', '\n'});
    Files.write(file, out.toByteArray());
    return expected;
  }

  private static final long OFFSET_MARK = 987_654_321L;

  private static String firstValid(TopicLog log, String topic) throws IOException {
    List<TopicLog.Entry> entries = log.inDumpOrder(topic);
    List<String> lines = log.dumpLines(topic);
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).outcome() == Outcome.VALID) {
        ObjectNode kcat = (ObjectNode) JSON.readTree(lines.get(i));
        kcat.put("partition", ISSUE_PARTITION);
        kcat.put("offset", OFFSET_MARK);
        return kcat.toString();
      }
    }
    throw new IllegalStateException("no valid record in " + topic);
  }

  private static String withKcat(String line, String field, String token) throws IOException {
    ObjectNode kcat = (ObjectNode) JSON.readTree(line);
    kcat.put(field, "@@hostile@@");
    return kcat.toString().replace(HOLE, token);
  }

  private static String withoutKcat(String line, String field) throws IOException {
    ObjectNode kcat = (ObjectNode) JSON.readTree(line);
    kcat.remove(field);
    return kcat.toString();
  }

  /** The line with one field of its row set to the raw JSON {@code token}. */
  private static String withRow(String line, String field, String token) throws IOException {
    ObjectNode kcat = (ObjectNode) JSON.readTree(line);
    JsonNode parsed = JSON.readTree(kcat.get("payload").textValue());
    ObjectNode envelope =
        parsed.has("payload") ? (ObjectNode) parsed.get("payload") : (ObjectNode) parsed;
    JsonNode after = envelope.get("after");
    if (after.isTextual()) {
      ObjectNode document = (ObjectNode) JSON.readTree(after.textValue());
      document.put(field, "@@hostile@@");
      envelope.put("after", document.toString().replace(HOLE, token));
    } else {
      ((ObjectNode) after).put(field, "@@hostile@@");
    }
    kcat.put("payload", parsed.toString().replace(HOLE, token));
    return kcat.toString();
  }

  /** The ranges of docs/contract.md §3.6 for one metrics row. */
  private static void checkRanges(JsonNode row) {
    String where = row.toString();
    assertTrue(row.get("interactions").asInt() >= 0, where);
    assertTrue(row.get("assessments").asInt() >= 0, where);
    assertTrue(row.get("events").asInt() >= 1, where);
    assertTrue(
        row.get("events").asInt()
            >= row.get("interactions").asInt() + row.get("assessments").asInt(),
        where);
    assertTrue(
        row.get("active_seconds").isNumber() && row.get("active_seconds").asDouble() >= 0, where);
    percent(row, "avg_score_pct", true);
    percent(row, "best_score_pct", true);
    percent(row, "passing_score_pct", false);
    percent(row, "progress_pct", true);
    percent(row, "engagement_score", false);
    JsonNode status = row.get("progress_status");
    assertTrue(
        status.isNull()
            || Set.of("not_started", "in_progress", "completed").contains(status.asText()),
        where);
    assertEquals("completed".equals(status.asText(null)), row.get("completed").asBoolean(), where);
    JsonNode state = row.get("certification_state");
    assertTrue(
        state.isNull()
            || Set.of("in_progress", "eligible", "issued", "revoked").contains(state.asText()),
        where);
    assertTrue(row.get("avg_score_pct").isNull() == (row.get("assessments").asInt() == 0), where);
    assertEquals(
        60_000L,
        Instant.parse(row.get("window_end").asText()).toEpochMilli()
            - Instant.parse(row.get("window_start").asText()).toEpochMilli(),
        where);
  }

  private static void percent(JsonNode row, String field, boolean nullable) {
    JsonNode value = row.get(field);
    if (nullable && value.isNull()) {
      return;
    }
    assertTrue(
        value.isNumber() && value.asDouble() >= 0 && value.asDouble() <= 100, field + " in " + row);
  }

  /** One line, mutated in one of the ways a broken producer or an attacker would. */
  private static byte[] mutate(String line, SplittableRandom random) throws IOException {
    ObjectNode kcat = (ObjectNode) JSON.readTree(line);
    switch (random.nextInt(10)) {
      case 0:
        return cut(line.getBytes(StandardCharsets.UTF_8), random);
      case 1:
        return flip(line.getBytes(StandardCharsets.UTF_8), random);
      case 2:
        {
          String[] keys = {"payload", "ts", "offset", "partition", "topic", "key"};
          kcat.remove(keys[random.nextInt(keys.length)]);
          return bytes(kcat.toString());
        }
      case 3:
        {
          String[] keys = {"ts", "offset", "partition"};
          kcat.put(keys[random.nextInt(keys.length)], "@@hostile@@");
          return bytes(kcat.toString().replace(HOLE, pick(random)));
        }
      case 4:
        {
          String payload = kcat.path("payload").asText(null);
          if (payload == null) {
            return bytes(line);
          }
          byte[] value =
              random.nextBoolean() ? cut(bytes(payload), random) : flip(bytes(payload), random);
          return bytes(
              KcatJson.format(
                  kcat.get("topic").asText(),
                  kcat.get("partition").asInt(),
                  kcat.get("offset").asLong(),
                  kcat.get("ts").asLong(),
                  bytes(kcat.path("key").asText("")),
                  value));
        }
      default:
        return mutateRow(kcat, random);
    }
  }

  /** Replaces or drops one field of the row ({@code after}), or of the envelope. */
  private static byte[] mutateRow(ObjectNode kcat, SplittableRandom random) throws IOException {
    JsonNode value = kcat.get("payload");
    if (value == null || !value.isTextual()) {
      return bytes(kcat.toString());
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(value.textValue());
    } catch (IOException e) {
      return flip(bytes(kcat.toString()), random); // one of the generator's own bad records
    }
    if (!parsed.isObject()) {
      return flip(bytes(kcat.toString()), random);
    }
    ObjectNode envelope =
        parsed.has("payload") && parsed.get("payload").isObject()
            ? (ObjectNode) parsed.get("payload")
            : (ObjectNode) parsed;
    boolean drop = random.nextInt(4) == 0;
    String hostile = pick(random);
    JsonNode after = envelope.get("after");
    JsonNode document = after != null && after.isTextual() ? readOrNull(after.textValue()) : null;
    if (document != null && document.isObject()) {
      // MongoDB: the row is Extended JSON inside a string, so the token is escaped once more.
      edit((ObjectNode) document, drop, random);
      envelope.put("after", document.toString().replace(HOLE, hostile));
    } else {
      edit(
          after != null && after.isObject() && random.nextInt(5) > 0
              ? (ObjectNode) after
              : envelope,
          drop,
          random);
    }
    kcat.put("payload", parsed.toString().replace(HOLE, hostile));
    return bytes(kcat.toString());
  }

  /** Drops a random field of {@code object} or sets it to the hole the hostile token fills. */
  private static void edit(ObjectNode object, boolean drop, SplittableRandom random) {
    List<String> fields = new ArrayList<>();
    object.fieldNames().forEachRemaining(fields::add);
    if (fields.isEmpty()) {
      return;
    }
    String field = fields.get(random.nextInt(fields.size()));
    if (drop) {
      object.remove(field);
    } else {
      object.put(field, "@@hostile@@");
    }
  }

  private static JsonNode readOrNull(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static String pick(SplittableRandom random) {
    return HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()));
  }

  private static byte[] cut(byte[] bytes, SplittableRandom random) {
    return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
  }

  /** Up to four random bytes replaced by random bytes: binary, control characters, even \n. */
  private static byte[] flip(byte[] bytes, SplittableRandom random) {
    byte[] flipped = bytes.clone();
    for (int i = random.nextInt(1, 5); i > 0 && flipped.length > 0; i--) {
      flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
    }
    return flipped;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Lines as the archive reader counts them: split on \n, blank ones skipped. */
  private static long countLines(byte[] file) {
    long count = 0;
    boolean blank = true;
    for (byte b : file) {
      if (b == '\n') {
        count += blank ? 0 : 1;
        blank = true;
      } else if (b != ' ' && b != '\t' && b != '\r') {
        blank = false;
      }
    }
    return count + (blank ? 0 : 1);
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
