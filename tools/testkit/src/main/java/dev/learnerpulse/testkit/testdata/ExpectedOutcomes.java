package dev.learnerpulse.testkit.testdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code expected-outcomes.json}: per topic, how many records the generator made and what the
 * contract must make of them, counted from what was planned, never by running the decoder.
 * Deduplication does not exist yet, so validation passes duplicates as valid: {@code
 * valid_after_validation = valid + duplicate}.
 */
final class ExpectedOutcomes {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExpectedOutcomes() {}

  static String render(GeneratorConfig config, TopicLog log) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode generator = root.putObject("generator");
    generator.put("seed", config.seed());
    generator.put("tenants", config.tenants());
    generator.put("learners", config.learners());
    generator.put("courses", config.courses());
    generator.put("changes", config.changes());
    generator.put("minutes", config.minutes());
    generator.put("start", config.start().toString());
    ObjectNode topics = root.putObject("topics");
    Map<Outcome, Integer> totals = new EnumMap<>(Outcome.class);
    Map<ReasonCode, Integer> totalReasons = new EnumMap<>(ReasonCode.class);
    int totalInput = 0;
    int totalTooLate = 0;
    for (Map.Entry<String, List<TopicLog.Entry>> topic : log.topics().entrySet()) {
      Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
      Map<ReasonCode, Integer> reasons = new EnumMap<>(ReasonCode.class);
      int tooLate = 0;
      for (TopicLog.Entry e : topic.getValue()) {
        outcomes.merge(e.outcome(), 1, Integer::sum);
        if (e.reason() != null) {
          reasons.merge(e.reason(), 1, Integer::sum);
        }
        if (e.veryLate()) {
          tooLate++;
        }
      }
      int input = topic.getValue().size();
      topics.set(topic.getKey(), counts(input, outcomes, reasons, tooLate));
      totalInput += input;
      totalTooLate += tooLate;
      outcomes.forEach((k, v) -> totals.merge(k, v, Integer::sum));
      reasons.forEach((k, v) -> totalReasons.merge(k, v, Integer::sum));
    }
    root.set("total", counts(totalInput, totals, totalReasons, totalTooLate));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode counts(
      int input, Map<Outcome, Integer> outcomes, Map<ReasonCode, Integer> reasons, int tooLate) {
    ObjectNode node = JSON.createObjectNode();
    int valid = outcomes.getOrDefault(Outcome.VALID, 0);
    int duplicate = outcomes.getOrDefault(Outcome.DUPLICATE, 0);
    node.put("input", input);
    node.put("valid", valid);
    node.put("duplicate", duplicate);
    node.put("valid_after_validation", valid + duplicate);
    node.put("ignored", outcomes.getOrDefault(Outcome.IGNORED, 0));
    node.put("dead_letter", outcomes.getOrDefault(Outcome.DEAD_LETTER, 0));
    ObjectNode byReason = node.putObject("dead_letter_reasons");
    for (Map.Entry<ReasonCode, Integer> reason : reasons.entrySet()) {
      byReason.put(reason.getKey().name(), reason.getValue());
    }
    node.put("too_late_candidates", tooLate);
    return node;
  }
}
