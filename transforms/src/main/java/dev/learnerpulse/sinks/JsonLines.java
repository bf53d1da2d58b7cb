package dev.learnerpulse.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.TooLateEvent;
import java.util.Map;

/** The JSON-lines rendering of {@link OutputRows}, for file outputs (backfill, local runs). */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  public static String of(LearnerWindowMetrics metrics) {
    return write(OutputRows.of(metrics));
  }

  public static String of(DeadLetter deadLetter) {
    return write(OutputRows.of(deadLetter));
  }

  public static String of(TooLateEvent tooLate) {
    return write(OutputRows.of(tooLate));
  }

  public static String of(LearnerAlert alert) {
    return write(OutputRows.of(alert));
  }

  private static String write(Map<String, Object> row) {
    try {
      return JSON.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + row, e);
    }
  }
}
