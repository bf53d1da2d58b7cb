package dev.learnerpulse.beam;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The output of a step that splits its input by outcome: a {@link PCollectionTuple} behind typed
 * accessors that subclasses name ({@code valid()}, {@code duplicates()}, ...).
 */
public abstract class TupleResult implements POutput {
  private final PCollectionTuple outputs;

  protected TupleResult(PCollectionTuple outputs) {
    this.outputs = outputs;
  }

  protected final <T> PCollection<T> get(TupleTag<T> tag) {
    return outputs.get(tag);
  }

  @Override
  public Pipeline getPipeline() {
    return outputs.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return outputs.expand();
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
