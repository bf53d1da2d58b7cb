package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Real-time learner alerts (streaming): whether they are detected, and where they go. */
public interface AlertOptions extends PipelineOptions {
  @Description(
      "Streaming: detect learner alerts (certificate issued, course completed, at risk,"
          + " recovered) as the changes arrive and write them to the alerts topic, the Redis"
          + " streams and the alerts table; false detects none.")
  @Default.Boolean(true)
  boolean getAlerts();

  void setAlerts(boolean value);

  @Description(
      "Kafka topic that receives every alert as JSON, keyed by learner_id/course_id; it must"
          + " exist at launch. Empty or none for no topic.")
  @Default.String("lxp.learner_pulse.alerts")
  String getAlertsTopic();

  void setAlertsTopic(String value);

  @Description(
      "About how many alerts each tenant's Redis stream keeps (XADD MAXLEN ~); older ones are"
          + " trimmed.")
  @Default.Long(10_000)
  long getAlertsStreamMaxLen();

  void setAlertsStreamMaxLen(long value);

  @Description("BigQuery table of alerts (--warehouse=bigquery).")
  @Default.String("learner_alerts")
  String getAlertsTable();

  void setAlertsTable(String value);
}
