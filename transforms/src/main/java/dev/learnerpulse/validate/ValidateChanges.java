package dev.learnerpulse.validate;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.beam.TupleResult;
import dev.learnerpulse.metrics.DeadLetterLog;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.ChangeEnvelopeCoder;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import java.time.Clock;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies docs/contract.md §2 to decoded envelopes ({@link ChangeRules}): each ends in exactly one
 * of {@link Result#valid()}, {@link Result#ignored()} or {@link Result#deadLetters()}. Ignored and
 * dead-lettered records are counted per topic ({@link OutcomeCounters}); valid ones are not yet
 * final (they may still turn out duplicate or too late), so the step that ends their journey counts
 * them.
 */
public final class ValidateChanges
    extends PTransform<PCollection<ChangeEnvelope>, ValidateChanges.Result> {
  public static final TupleTag<Change> VALID = new TupleTag<Change>() {};
  public static final TupleTag<ChangeEnvelope> IGNORED = new TupleTag<ChangeEnvelope>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final Clock clock;

  private ValidateChanges(Clock clock) {
    this.clock = clock;
  }

  public static ValidateChanges create() {
    return new ValidateChanges(Clock.systemUTC());
  }

  /** The clock that stamps dead letters' {@code seen_at}; tests fix it. */
  public ValidateChanges withClock(Clock clock) {
    return new ValidateChanges(requireNonNull(clock, "clock"));
  }

  @Override
  public Result expand(PCollection<ChangeEnvelope> envelopes) {
    PCollectionTuple outputs =
        envelopes.apply(
            "Validate",
            ParDo.of(new ValidateFn(clock))
                .withOutputTags(VALID, TupleTagList.of(IGNORED).and(DEAD_LETTERS)));
    outputs.get(IGNORED).setCoder(ChangeEnvelopeCoder.of());
    return new Result(outputs);
  }

  /** The three outcomes of validation. */
  public static final class Result extends TupleResult {
    private Result(PCollectionTuple outputs) {
      super(outputs);
    }

    public PCollection<Change> valid() {
      return get(VALID);
    }

    public PCollection<ChangeEnvelope> ignored() {
      return get(IGNORED);
    }

    public PCollection<DeadLetter> deadLetters() {
      return get(DEAD_LETTERS);
    }
  }

  static final class ValidateFn extends DoFn<ChangeEnvelope, Change> {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateFn.class);
    private final Clock clock;
    private transient OutcomeCounters counters;
    private transient DeadLetterLog log;

    ValidateFn(Clock clock) {
      this.clock = clock;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
      log = new DeadLetterLog(LOG);
    }

    @ProcessElement
    public void process(@Element ChangeEnvelope envelope, MultiOutputReceiver out) {
      String topic = envelope.getRecord().getTopic();
      if (ChangeRules.isIgnored(envelope)) {
        counters.outcome(Outcome.IGNORED, topic);
        out.get(IGNORED).output(envelope);
        return;
      }
      Change change;
      try {
        change = ChangeRules.validate(envelope);
      } catch (InvalidRecordException e) {
        log.deadLetter(e.reason(), envelope.getRecord().position());
        deadLetter(envelope, e.reason(), e.detail(), out);
        return;
      } catch (RuntimeException e) {
        log.unexpected(ReasonCode.BAD_VALUE, envelope.getRecord().position(), e);
        deadLetter(envelope, ReasonCode.BAD_VALUE, "validation error: " + e, out);
        return;
      }
      // Outside the try: a failure downstream of output() is never this record's outcome.
      out.get(VALID).output(change);
    }

    private void deadLetter(
        ChangeEnvelope envelope, ReasonCode reason, String detail, MultiOutputReceiver out) {
      counters.deadLetter(reason, envelope.getRecord().getTopic());
      out.get(DEAD_LETTERS)
          .output(DeadLetter.of(envelope.getRecord(), reason, detail, new Instant(clock.millis())));
    }
  }
}
