package dev.learnerpulse.decode;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.ChangeEnvelopeCoder;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import java.time.Clock;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Kafka records of Debezium change topics into {@link ChangeEnvelope}s; a record that is
 * not a decodable Debezium event of a known topic becomes a {@link DeadLetter} ({@code
 * UNKNOWN_TOPIC}, {@code MALFORMED}, {@code NOT_AN_ENVELOPE}, {@code UNKNOWN_OP}, or {@code
 * BAD_VALUE} for an undecodable decimal). No exception escapes: an unexpected decoder failure is a
 * {@code MALFORMED} dead letter too.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<ChangeEnvelope>, DeadLetter> decoded =
 *     records.apply("DecodeChangeEvents", DecodeChangeEvents.of(Topics.defaults()));
 * }</pre>
 */
public final class DecodeChangeEvents
    extends PTransform<
        PCollection<SourceRecord>, WithFailures.Result<PCollection<ChangeEnvelope>, DeadLetter>> {
  public static final TupleTag<ChangeEnvelope> ENVELOPES = new TupleTag<ChangeEnvelope>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final Topics topics;
  private final Clock clock;

  private DecodeChangeEvents(Topics topics, Clock clock) {
    this.topics = topics;
    this.clock = clock;
  }

  public static DecodeChangeEvents of(Topics topics) {
    return new DecodeChangeEvents(requireNonNull(topics, "topics"), Clock.systemUTC());
  }

  /** The clock that stamps dead letters' {@code seen_at}; tests fix it. */
  public DecodeChangeEvents withClock(Clock clock) {
    return new DecodeChangeEvents(topics, requireNonNull(clock, "clock"));
  }

  @Override
  public WithFailures.Result<PCollection<ChangeEnvelope>, DeadLetter> expand(
      PCollection<SourceRecord> records) {
    PCollectionTuple outputs =
        records.apply(
            "Decode",
            ParDo.of(new DecodeFn(topics, clock))
                .withOutputTags(ENVELOPES, TupleTagList.of(DEAD_LETTERS)));
    outputs.get(ENVELOPES).setCoder(ChangeEnvelopeCoder.of());
    return WithFailures.Result.of(outputs, ENVELOPES, DEAD_LETTERS);
  }

  static final class DecodeFn extends DoFn<SourceRecord, ChangeEnvelope> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFn.class);
    private final Topics topics;
    private final Clock clock;
    private transient DebeziumJsonDecoder decoder;
    private transient OutcomeCounters counters;

    DecodeFn(Topics topics, Clock clock) {
      this.topics = topics;
      this.clock = clock;
    }

    @Setup
    public void setup() {
      decoder = new DebeziumJsonDecoder();
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(@Element SourceRecord record, MultiOutputReceiver out) {
      counters.input(record.getTopic());
      SourceTable table = topics.table(record.getTopic());
      try {
        if (table == null) {
          throw new InvalidRecordException(
              ReasonCode.UNKNOWN_TOPIC, "topic " + record.getTopic() + " is not a configured source");
        }
        out.get(ENVELOPES).output(decoder.decode(record, table));
      } catch (InvalidRecordException e) {
        deadLetter(record, e.reason(), e.detail(), out);
      } catch (RuntimeException e) {
        LOG.warn("Decoder failed on {}", record.position(), e);
        deadLetter(record, ReasonCode.MALFORMED, "decoder error: " + e, out);
      }
    }

    private void deadLetter(
        SourceRecord record, ReasonCode reason, String detail, MultiOutputReceiver out) {
      counters.deadLetter(reason, record.getTopic());
      out.get(DEAD_LETTERS)
          .output(DeadLetter.of(record, reason, detail, new Instant(clock.millis())));
    }
  }
}
