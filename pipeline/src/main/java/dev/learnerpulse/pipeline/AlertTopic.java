package dev.learnerpulse.pipeline;

import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.sinks.JsonLines;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Produces every alert to a Kafka topic as a JSON object with the {@code learner_alerts} fields,
 * keyed by {@code learner_id/course_id} so one learner's alerts in a course stay in order on one
 * partition, with the alert id in header {@code lp.alert_id} for consumers that drop replays.
 */
final class AlertTopic extends PTransform<PCollection<LearnerAlert>, PDone> {
  private final KafkaConnection connection;
  private final String topic;

  AlertTopic(KafkaConnection connection, String topic) {
    this.connection = connection;
    this.topic = topic;
  }

  @Override
  public PDone expand(PCollection<LearnerAlert> alerts) {
    return DeadLetterTopic.produce(
        alerts.apply("ToProducerRecords", ParDo.of(new ToProducerRecordFn(topic))),
        connection,
        topic);
  }

  static final class ToProducerRecordFn extends DoFn<LearnerAlert, ProducerRecord<byte[], byte[]>> {
    private final String topic;

    ToProducerRecordFn(String topic) {
      this.topic = topic;
    }

    @ProcessElement
    public void process(
        @Element LearnerAlert alert, OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("lp.alert_id", alert.getAlertId().getBytes(StandardCharsets.UTF_8));
      out.output(
          new ProducerRecord<>(
              topic,
              null,
              null,
              key(alert).getBytes(StandardCharsets.UTF_8),
              JsonLines.of(alert).getBytes(StandardCharsets.UTF_8),
              headers));
    }
  }

  static String key(LearnerAlert alert) {
    return alert.getLearnerId() + "/" + alert.getCourseId();
  }
}
