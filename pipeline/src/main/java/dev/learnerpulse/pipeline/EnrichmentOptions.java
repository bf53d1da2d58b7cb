package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The reference tables (courses, learners) that enrich the changes (docs/contract.md §3.5). */
public interface EnrichmentOptions extends PipelineOptions {
  @Description("How often the reference tables (courses, learners) are refreshed in streaming.")
  @Default.String("30s")
  String getReferenceRefresh();

  void setReferenceRefresh(String value);

  @Description(
      "Streaming: compute no window before the reference topics have been read up to launch, so a"
          + " job started on a backlog enriches it as a backfill does; false starts at once with"
          + " the rows read so far.")
  @Default.Boolean(true)
  boolean getReferencesCompleteAtLaunch();

  void setReferencesCompleteAtLaunch(boolean value);
}
