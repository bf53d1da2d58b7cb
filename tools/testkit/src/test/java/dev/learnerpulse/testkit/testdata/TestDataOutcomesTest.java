package dev.learnerpulse.testkit.testdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.decode.DebeziumJsonDecoder;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.validate.ChangeRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code testdata/} set against the code that reads it: decoding and validation make
 * exactly the outcomes {@code expected-outcomes.json} states, the duplicates are duplicates by the
 * contract's identity, and the files are what the generator writes with its defaults.
 */
class TestDataOutcomesTest {
  private static final Path TESTDATA = Path.of("..", "..", "testdata");
  private static final Path EXPECTED = TESTDATA.resolve(GenerateTestData.EXPECTED_OUTCOMES);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What decoding and validation make of one record. */
  private record Result(Outcome outcome, @Nullable ReasonCode reason, @Nullable Change change) {}

  /** Per-topic counts in the shape of {@code expected-outcomes.json}, duplicates not yet split. */
  private static final class Tally {
    int input;
    int valid;
    int ignored;
    int deadLetter;
    final Map<String, Integer> reasons = new TreeMap<>();
    final List<Change> changes = new ArrayList<>();

    void add(Result result) {
      input++;
      switch (result.outcome()) {
        case VALID:
          valid++;
          changes.add(result.change());
          break;
        case IGNORED:
          ignored++;
          break;
        default:
          deadLetter++;
          reasons.merge(result.reason().name(), 1, Integer::sum);
      }
    }
  }

  @Test
  void everyTopicEndsAsExpected() throws IOException {
    JsonNode expected = JSON.readTree(EXPECTED.toFile()).get("topics");
    Map<String, Tally> tallies = tallyAll();
    assertEquals(fieldNames(expected), tallies.keySet(), "topics with a dump");
    for (Map.Entry<String, Tally> topic : tallies.entrySet()) {
      String name = topic.getKey();
      Tally tally = topic.getValue();
      JsonNode want = expected.get(name);
      int duplicate = want.get("duplicate").asInt();
      assertEquals(want.get("input").asInt(), tally.input, name + " input");
      assertEquals(
          want.get("valid").asInt() + duplicate, tally.valid, name + " valid after validation");
      assertEquals(
          want.get("valid_after_validation").asInt(),
          tally.valid,
          name + " valid after validation");
      assertEquals(want.get("ignored").asInt(), tally.ignored, name + " ignored");
      assertEquals(want.get("dead_letter").asInt(), tally.deadLetter, name + " dead letters");
      Map<String, Integer> wantReasons = new TreeMap<>();
      want.get("dead_letter_reasons")
          .fields()
          .forEachRemaining(r -> wantReasons.put(r.getKey(), r.getValue().asInt()));
      assertEquals(wantReasons, tally.reasons, name + " dead letters per reason");
      assertEquals(
          tally.input,
          want.get("valid").asInt() + duplicate + tally.ignored + tally.deadLetter,
          name + ": input = valid + duplicate + ignored + dead_letter");
    }
  }

  @Test
  void duplicatesAreTheSameChangesByIdentity() throws IOException {
    JsonNode expected = JSON.readTree(EXPECTED.toFile()).get("topics");
    for (Map.Entry<String, Tally> topic : tallyAll().entrySet()) {
      Set<String> seen = new HashSet<>();
      int repeats = 0;
      for (Change change : topic.getValue().changes) {
        if (!seen.add(change.identity())) {
          repeats++;
        }
      }
      assertEquals(
          expected.get(topic.getKey()).get("duplicate").asInt(),
          repeats,
          topic.getKey() + " changes whose identity was seen before");
    }
  }

  /** Record by record against the generator's plan: the outcome, the reason and the event time. */
  @Test
  void everyRecordEndsAsPlanned() throws IOException {
    TopicLog log = GenerateTestData.generate(GeneratorConfig.defaults());
    DebeziumJsonDecoder decoder = new DebeziumJsonDecoder();
    List<String> mismatches = new ArrayList<>();
    for (String topic : log.topics().keySet()) {
      List<String> lines =
          Files.readAllLines(TESTDATA.resolve(topic + ".jsonl"), StandardCharsets.UTF_8);
      List<TopicLog.Entry> planned = log.inDumpOrder(topic);
      assertEquals(planned.size(), lines.size(), topic + " records");
      for (int i = 0; i < lines.size(); i++) {
        TopicLog.Entry plan = planned.get(i);
        Outcome want = plan.outcome() == Outcome.DUPLICATE ? Outcome.VALID : plan.outcome();
        Result got = outcome(decoder, lines.get(i));
        Long gotTime =
            got.change() == null || got.change().getEventTime() == null
                ? null
                : got.change().getEventTime().getMillis();
        if (got.outcome() != want
            || got.reason() != plan.reason()
            || !Objects.equals(gotTime, plan.eventTime())) {
          mismatches.add(
              String.format(
                  "%s line %d: planned %s %s at %s, got %s %s at %s%n  %s",
                  topic,
                  i + 1,
                  want,
                  plan.reason(),
                  plan.eventTime(),
                  got.outcome(),
                  got.reason(),
                  gotTime,
                  lines.get(i)));
        }
      }
    }
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }

  @Test
  void committedDataIsWhatTheGeneratorWrites(@TempDir Path tmp) throws IOException {
    GeneratorConfig defaults = GeneratorConfig.defaults();
    GeneratorConfig config =
        new GeneratorConfig(
            tmp,
            defaults.seed(),
            defaults.tenants(),
            defaults.learners(),
            defaults.courses(),
            defaults.changes(),
            defaults.minutes(),
            defaults.start());
    List<Path> written = GenerateTestData.write(config);
    Set<String> generated = new TreeSet<>();
    for (Path file : written) {
      generated.add(file.getFileName().toString());
      assertArrayEquals(
          Files.readAllBytes(file),
          Files.readAllBytes(TESTDATA.resolve(file.getFileName())),
          file.getFileName() + " differs from the generator's output; regenerate testdata/");
    }
    Set<String> committed;
    try (Stream<Path> files = Files.list(TESTDATA)) {
      committed =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".jsonl") || n.equals(GenerateTestData.EXPECTED_OUTCOMES))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(generated, committed, "committed files the generator does not write");
  }

  private static Map<String, Tally> tallyAll() throws IOException {
    DebeziumJsonDecoder decoder = new DebeziumJsonDecoder();
    Map<String, Tally> tallies = new TreeMap<>();
    try (Stream<Path> files = Files.list(TESTDATA)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".jsonl"))
              .sorted()
              .collect(Collectors.toList())) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String topic = JSON.readTree(line).get("topic").asText();
          tallies.computeIfAbsent(topic, t -> new Tally()).add(outcome(decoder, line));
        }
      }
    }
    return tallies;
  }

  /** Decodes and validates one dump line as the pipeline will. */
  private static Result outcome(DebeziumJsonDecoder decoder, String line) {
    try {
      SourceRecord record = KcatJson.parse(line);
      SourceTable table = Topics.defaults().table(record.getTopic());
      if (table == null) {
        return new Result(Outcome.DEAD_LETTER, ReasonCode.UNKNOWN_TOPIC, null);
      }
      ChangeEnvelope envelope = decoder.decode(record, table);
      if (ChangeRules.isIgnored(envelope)) {
        return new Result(Outcome.IGNORED, null, null);
      }
      return new Result(Outcome.VALID, null, ChangeRules.validate(envelope));
    } catch (InvalidRecordException e) {
      return new Result(Outcome.DEAD_LETTER, e.reason(), null);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
