package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsAnAmountWithAUnitOrIso8601() {
    assertEquals(Duration.millis(500), Durations.parse("--maxDelay", "500ms"));
    assertEquals(Duration.standardSeconds(60), Durations.parse("--windowSize", " 60 s "));
    assertEquals(Duration.standardMinutes(5), Durations.parse("--redisRetryTimeout", "5M"));
    assertEquals(Duration.standardDays(7), Durations.parse("--redisTtl", "7d"));
    assertEquals(Duration.standardMinutes(1), Durations.parse("--windowSize", "PT1M"));
  }

  @Test
  void aBareZeroIsZero() {
    assertEquals(Duration.ZERO, Durations.parse("--redisTtl", "0"));
    assertEquals(Duration.ZERO, Durations.parse("--redisRetryTimeout", " 0 "));
    assertEquals(Duration.ZERO, Durations.parse("--redisTtl", "0s"));
  }

  @Test
  void anyOtherAmountNeedsAUnit() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("--redisTtl", "60"));
    assertTrue(e.getMessage().contains("--redisTtl"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("--redisTtl", ""));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("--redisTtl", "7 days"));
  }
}
