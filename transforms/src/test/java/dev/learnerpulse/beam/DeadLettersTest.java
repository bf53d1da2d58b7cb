package dev.learnerpulse.beam;

import static dev.learnerpulse.testing.Fixtures.at;
import static org.junit.Assert.assertThrows;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.ReasonCode;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.PTransformErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class DeadLettersTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static DeadLetter deadLetter(String topic, int offset, ReasonCode reason) {
    return DeadLetter.create(
        topic,
        0,
        offset,
        at(offset),
        null,
        "{}",
        DeadLetter.Encoding.TEXT,
        reason,
        "test",
        at(900));
  }

  private Coder<DeadLetter> coder() throws NoSuchSchemaException {
    return p.getSchemaRegistry().getSchemaCoder(DeadLetter.class);
  }

  @Test
  public void everyRegisteredCollectionEndsInTheOneOutput() throws NoSuchSchemaException {
    DeadLetter source = deadLetter("archive", 1, ReasonCode.MALFORMED);
    DeadLetter decoding = deadLetter("lxp.public.elsewhere", 2, ReasonCode.UNKNOWN_TOPIC);
    DeadLetter validation =
        deadLetter("lxp.assessments.assessment_events", 3, ReasonCode.BAD_VALUE);
    DeadLetter validationToo =
        deadLetter("lxp.assessments.assessment_events", 4, ReasonCode.BAD_VALUE);

    PTransformErrorHandler<DeadLetter, PCollection<DeadLetter>> deadLetters =
        DeadLetters.collect(p);
    deadLetters.addErrorCollection(p.apply("Source", Create.of(source).withCoder(coder())));
    deadLetters.addErrorCollection(p.apply("Decoding", Create.of(decoding).withCoder(coder())));
    deadLetters.addErrorCollection(
        p.apply("Validation", Create.of(validation, validationToo).withCoder(coder())));
    deadLetters.close();

    PAssert.that(deadLetters.getOutput())
        .containsInAnyOrder(source, decoding, validation, validationToo);
    p.run().waitUntilFinish();
  }

  @Test
  public void nothingRegisteredIsAnEmptyCollection() {
    PTransformErrorHandler<DeadLetter, PCollection<DeadLetter>> deadLetters =
        DeadLetters.collect(p);
    deadLetters.close();

    PAssert.that(deadLetters.getOutput()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void theOutputIsThereOnlyOnceClosed() {
    PTransformErrorHandler<DeadLetter, PCollection<DeadLetter>> deadLetters =
        DeadLetters.collect(p);

    assertThrows(IllegalStateException.class, deadLetters::getOutput);
    p.enableAbandonedNodeEnforcement(false);
  }
}
