package dev.learnerpulse.window;

import dev.learnerpulse.model.Change;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Stamps each change with its event time (the row's business timestamp); reference rows, which have
 * none, keep their Kafka timestamp. A business timestamp may lie before the Kafka timestamp the
 * element arrived with, so this step allows any backward skew: that is exactly what late data is.
 */
public final class AssignEventTime extends PTransform<PCollection<Change>, PCollection<Change>> {

  public static AssignEventTime create() {
    return new AssignEventTime();
  }

  @Override
  public PCollection<Change> expand(PCollection<Change> changes) {
    return changes.apply("StampEventTime", ParDo.of(new StampFn()));
  }

  /** The timestamp this step gives {@code change}. */
  public static Instant timestampOf(Change change) {
    Instant eventTime = change.getEventTime();
    return eventTime != null ? eventTime : change.getKafkaTimestamp();
  }

  static final class StampFn extends DoFn<Change, Change> {
    @ProcessElement
    public void process(@Element Change change, OutputReceiver<Change> out) {
      out.outputWithTimestamp(change, timestampOf(change));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
