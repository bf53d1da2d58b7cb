package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Event-time windowing and lateness (docs/contract.md §3.1-§3.3); durations like 60s, 5m, 500ms,
 * PT1M.
 */
public interface WindowOptions extends PipelineOptions {
  @Description("Size of the fixed event-time windows, aligned to the epoch.")
  @Default.String("60s")
  String getWindowSize();

  void setWindowSize(String value);

  @Description("How long after a window's end late data is still accepted (a late pane).")
  @Default.String("300s")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description("Processing-time period of early (speculative) panes in streaming.")
  @Default.String("10s")
  String getEarlyFiring();

  void setEarlyFiring(String value);
}
