package dev.learnerpulse.decode;

import static java.util.Objects.requireNonNull;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.beam.TupleResult;
import dev.learnerpulse.decode.registry.SchemaRegistryClient;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.decode.registry.SchemaRegistryException;
import dev.learnerpulse.metrics.DeadLetterLog;
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
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Kafka records of Debezium change topics into {@link ChangeEnvelope}s; a record that is
 * not a decodable Debezium event of a known topic becomes a {@link DeadLetter} ({@code
 * UNKNOWN_TOPIC}, {@code MALFORMED}, {@code NOT_AN_ENVELOPE}, {@code UNKNOWN_OP}, {@code
 * UNKNOWN_SCHEMA} for an Avro schema id the registry does not know, or {@code BAD_VALUE} for an
 * undecodable decimal). An unexpected decoder failure is a {@code MALFORMED} dead letter too.
 *
 * <p>Values are JSON unless {@link #withAvro} says otherwise, per table ({@link ValueFormats}). The
 * one exception that escapes is the Schema Registry's: when it cannot be reached even after the
 * client's retries ({@link SchemaRegistryException}), or refuses the credentials, the bundle fails
 * and the runner retries it, so the records wait for the registry instead of becoming dead letters.
 *
 * <pre>{@code
 * DecodeChangeEvents.Result decoded =
 *     records.apply("DecodeChangeEvents",
 *         DecodeChangeEvents.of(Topics.defaults())
 *             .withAvro(SchemaRegistryConfig.of(registryUrl), ValueFormats.all(ValueFormat.AUTO)));
 * }</pre>
 */
@AutoValue
public abstract class DecodeChangeEvents
    extends PTransform<PCollection<SourceRecord>, DecodeChangeEvents.Result> {
  public static final TupleTag<ChangeEnvelope> ENVELOPES = new TupleTag<ChangeEnvelope>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  abstract Topics topics();

  abstract Clock clock();

  abstract ValueFormats formats();

  abstract @Nullable SchemaRegistryConfig registry();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTopics(Topics topics);

    abstract Builder setClock(Clock clock);

    abstract Builder setFormats(ValueFormats formats);

    abstract Builder setRegistry(@Nullable SchemaRegistryConfig registry);

    abstract DecodeChangeEvents build();
  }

  /** JSON values on every topic. */
  public static DecodeChangeEvents of(Topics topics) {
    return new AutoValue_DecodeChangeEvents.Builder()
        .setTopics(requireNonNull(topics, "topics"))
        .setClock(Clock.systemUTC())
        .setFormats(ValueFormats.json())
        .build();
  }

  /** The clock that stamps dead letters' {@code seen_at}; tests fix it. */
  public DecodeChangeEvents withClock(Clock clock) {
    return toBuilder().setClock(requireNonNull(clock, "clock")).build();
  }

  /**
   * Values in {@code formats}, Avro ones with writer schemas from the Schema Registry {@code
   * registry}.
   */
  public DecodeChangeEvents withAvro(SchemaRegistryConfig registry, ValueFormats formats) {
    return toBuilder()
        .setFormats(requireNonNull(formats, "formats"))
        .setRegistry(requireNonNull(registry, "registry"))
        .build();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("topics", topics().toString()))
        .add(DisplayData.item("valueFormats", formats().toString()))
        .addIfNotNull(
            DisplayData.item("schemaRegistry", registry() == null ? null : registry().toString()));
  }

  @Override
  public Result expand(PCollection<SourceRecord> records) {
    PCollectionTuple outputs =
        records.apply(
            "Decode",
            ParDo.of(new DecodeFn(topics(), clock(), formats(), registry()))
                .withOutputTags(ENVELOPES, TupleTagList.of(DEAD_LETTERS)));
    outputs.get(ENVELOPES).setCoder(ChangeEnvelopeCoder.of());
    return new Result(outputs);
  }

  /** The decoded envelopes, and the records that could not be decoded. */
  public static final class Result extends TupleResult {
    private Result(PCollectionTuple outputs) {
      super(outputs);
    }

    public PCollection<ChangeEnvelope> envelopes() {
      return get(ENVELOPES);
    }

    public PCollection<DeadLetter> deadLetters() {
      return get(DEAD_LETTERS);
    }
  }

  static final class DecodeFn extends DoFn<SourceRecord, ChangeEnvelope> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFn.class);
    private final Topics topics;
    private final Clock clock;
    private final ValueFormats formats;
    private final @Nullable SchemaRegistryConfig registry;
    private transient ChangeEventDecoder decoder;
    private transient OutcomeCounters counters;
    private transient DeadLetterLog log;

    DecodeFn(
        Topics topics, Clock clock, ValueFormats formats, @Nullable SchemaRegistryConfig registry) {
      this.topics = topics;
      this.clock = clock;
      this.formats = formats;
      this.registry = registry;
    }

    @Setup
    public void setup() {
      decoder =
          registry == null
              ? ChangeEventDecoder.json()
              : ChangeEventDecoder.of(formats, SchemaRegistryClient.create(registry));
      counters = new OutcomeCounters();
      log = new DeadLetterLog(LOG);
    }

    /**
     * Throws {@link SchemaRegistryException} when the registry cannot answer: the record is fine,
     * so the bundle fails and is retried rather than dead-lettering it (and the record is counted
     * as input only once it has an outcome).
     */
    @ProcessElement
    public void process(@Element SourceRecord record, MultiOutputReceiver out)
        throws SchemaRegistryException {
      ChangeEnvelope envelope;
      try {
        envelope = decode(record);
      } catch (InvalidRecordException e) {
        log.deadLetter(e.reason(), record.position());
        deadLetter(record, e.reason(), e.detail(), out);
        return;
      } catch (RuntimeException e) {
        log.unexpected(ReasonCode.MALFORMED, record.position(), e);
        deadLetter(record, ReasonCode.MALFORMED, "decoder error: " + e, out);
        return;
      }
      // Outside the try: a failure downstream of output() is the bundle's, never this record's
      // outcome (counting it as a dead letter too would count the record twice).
      counters.input(record.getTopic());
      out.get(ENVELOPES).output(envelope);
    }

    private ChangeEnvelope decode(SourceRecord record)
        throws InvalidRecordException, SchemaRegistryException {
      SourceTable table = topics.table(record.getTopic());
      if (table == null) {
        throw new InvalidRecordException(
            ReasonCode.UNKNOWN_TOPIC, "topic " + record.getTopic() + " is not a configured source");
      }
      return decoder.decode(record, table);
    }

    private void deadLetter(
        SourceRecord record, ReasonCode reason, String detail, MultiOutputReceiver out) {
      counters.input(record.getTopic());
      counters.deadLetter(reason, record.getTopic());
      out.get(DEAD_LETTERS)
          .output(DeadLetter.of(record, reason, detail, new Instant(clock.millis())));
    }
  }
}
