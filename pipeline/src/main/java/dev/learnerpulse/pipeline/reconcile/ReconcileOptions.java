package dev.learnerpulse.pipeline.reconcile;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The options of {@code ./learner-pulse reconcile}. */
public interface ReconcileOptions extends PipelineOptions {
  @Description("What the streaming job wrote: the --outputDir of its files sink (local or gs://).")
  String getStreamingOutput();

  void setStreamingOutput(String value);

  @Description(
      "What a backfill of the same period wrote: the --outputDir of a --mode=backfill run over the"
          + " same records, in live-lateness mode (--lateness=live) so that lateness is judged as"
          + " the streaming job judged it.")
  String getBackfillOutput();

  void setBackfillOutput(String value);

  @Description(
      "Compare only the period from this ISO-8601 instant: windows by window_start, dead letters"
          + " and too-late changes by kafka_timestamp. Empty: from the beginning.")
  String getFrom();

  void setFrom(String value);

  @Description("Compare only the period before this ISO-8601 instant (exclusive). Empty: no end.")
  String getTo();

  void setTo(String value);

  @Description(
      "Fields left out of the comparison, comma-separated: the processing-time and pane fields"
          + " that two correct runs may disagree on.")
  @Default.String("seen_at,pane_index,pane_timing")
  String getIgnoreFields();

  void setIgnoreFields(String value);

  @Description("How many differing keys to list per table and kind (the counts are always whole).")
  @Default.Integer(20)
  int getMaxExamples();

  void setMaxExamples(int value);
}
