package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class OptionEnumsTest {
  @Test
  void enumOptionsAreReadInAnyCase() {
    assertEquals(Lateness.LIVE, Lateness.parse("live"));
    assertEquals(Lateness.BATCH, Lateness.parse(" BATCH "));
    assertEquals(Mode.BACKFILL, Mode.parse("backfill"));
    assertEquals(KafkaSecurity.SASL_SSL, KafkaSecurity.parse("sasl_ssl"));
  }

  @Test
  void theBackfillDefaultIsBatchAndTheFlagSetsLive() {
    assertEquals(
        Lateness.BATCH,
        PipelineOptionsFactory.fromArgs().as(LearnerPulseOptions.class).getLateness());
    assertEquals(
        Lateness.LIVE,
        PipelineOptionsFactory.fromArgs("--lateness=live")
            .as(LearnerPulseOptions.class)
            .getLateness());
  }

  @Test
  void anUnknownValueNamesTheOptionAndItsValues() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Lateness.parse("strict"));
    assertEquals("--lateness must be one of batch, live, not 'strict'", e.getMessage());
  }
}
