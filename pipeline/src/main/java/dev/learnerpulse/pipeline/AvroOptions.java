package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Avro change events in the Confluent wire format, and the Schema Registry that describes them. */
public interface AvroOptions extends PipelineOptions {
  @Description(
      "How change values are written: json (JsonConverter), avro (Confluent wire format) or auto"
          + " (by the first byte). Default: auto when --schemaRegistryUrl is set, else json.")
  String getValueFormat();

  void setValueFormat(String value);

  @Description("Confluent-compatible Schema Registry URL, e.g. https://psrc-xxxx.confluent.cloud.")
  String getSchemaRegistryUrl();

  void setSchemaRegistryUrl(String value);

  @Description(
      "Schema Registry API key: a Secret Manager secret version projects/P/secrets/S/versions/V,"
          + " read on the workers; a plain value for local runs only (refused on Dataflow).")
  String getSchemaRegistryApiKey();

  void setSchemaRegistryApiKey(String value);

  @Description(
      "Schema Registry API secret: a Secret Manager secret version"
          + " projects/P/secrets/S/versions/V, read on the workers; a plain value for local runs"
          + " only (refused on Dataflow).")
  String getSchemaRegistryApiSecret();

  void setSchemaRegistryApiSecret(String value);
}
