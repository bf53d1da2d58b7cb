# The streaming job, launched from the Flex Template that templates/build.sh wrote to
# var.template_gcs_path. Parameter names are templates/metadata.json's (terraform/check.sh
# fails otherwise); values that are null are left out, so the pipeline's defaults apply.
locals {
  secret_versions = {
    for name, secret in google_secret_manager_secret.credential : name => "${secret.id}/versions/latest"
  }
  avro = var.value_format == "AVRO"
  sasl = contains(["SASL_SSL", "SASL_PLAINTEXT"], var.kafka_security_protocol)
  mtls = var.kafka_security_protocol == "SSL"

  job_parameters = {
    mode = "STREAMING"

    bootstrapServers           = var.kafka_bootstrap_servers
    kafkaSecurity              = var.kafka_security_protocol
    kafkaSaslMechanism         = local.sasl ? var.kafka_sasl_mechanism : null
    kafkaApiKey                = local.sasl ? local.secret_versions["confluent_api_key"] : null
    kafkaApiSecret             = local.sasl ? local.secret_versions["confluent_api_secret"] : null
    kafkaClientCertificate     = local.mtls ? local.secret_versions["kafka_client_certificate"] : null
    kafkaClientKey             = local.mtls ? local.secret_versions["kafka_client_key"] : null
    kafkaCaCertificates        = var.kafka_private_ca ? local.secret_versions["kafka_ca_certificates"] : null
    consumerGroup              = var.kafka_consumer_group
    startPosition              = var.kafka_start_position
    valueFormat                = var.value_format
    schemaRegistryUrl          = local.avro ? var.schema_registry_url : null
    schemaRegistryApiKey       = local.avro ? local.secret_versions["schema_registry_api_key"] : null
    schemaRegistryApiSecret    = local.avro ? local.secret_versions["schema_registry_api_secret"] : null

    learnerProgressTopic    = var.topics.learner_progress
    courseInteractionsTopic = var.topics.course_interactions
    assessmentEventsTopic   = var.topics.assessment_events
    certificationStateTopic = var.topics.certification_state
    coursesTopic            = var.topics.courses
    learnersTopic           = var.topics.learners
    deadLetterTopic         = var.dead_letter_topic == null ? "none" : var.dead_letter_topic

    alerts             = tostring(var.alerts_enabled)
    alertsTopic        = var.alerts_topic
    alertsStreamMaxLen = tostring(var.alerts_stream_max_len)

    windowSize      = var.window_size
    allowedLateness = var.allowed_lateness
    earlyFiring     = var.early_firing
    maxDelay        = var.max_delay
    idleTimeout     = var.idle_timeout

    warehouse                 = "BIGQUERY"
    dataset                   = google_bigquery_dataset.learner_pulse.dataset_id
    metricsTable              = google_bigquery_table.output["learner_window_metrics"].table_id
    deadLettersTable          = google_bigquery_table.output["dead_letters"].table_id
    tooLateTable              = google_bigquery_table.output["too_late_events"].table_id
    alertsTable               = google_bigquery_table.output["learner_alerts"].table_id
    writeMethod               = var.bigquery_write_method
    triggeringFrequency       = var.bigquery_write_method == "EXACTLY_ONCE" ? var.bigquery_triggering_frequency : null
    storageWriteStreams       = var.bigquery_write_method == "EXACTLY_ONCE" ? tostring(var.bigquery_storage_write_streams) : null
    createDisposition         = "CREATE_NEVER"
    upserts                   = tostring(var.bigquery_upserts)

    redisUrl  = "rediss://${google_redis_instance.dashboard.host}:${google_redis_instance.dashboard.port}"
    redisAuth          = "${google_secret_manager_secret.redis_auth.id}/versions/latest"
    redisCaCertificate = "${google_secret_manager_secret.redis_ca.id}/versions/latest"

    rawArchive = var.raw_archive_enabled ? "${google_storage_bucket.raw_archive[0].url}/raw" : null
  }
}

resource "google_dataflow_flex_template_job" "streaming" {
  provider = google-beta
  count    = var.template_gcs_path == null ? 0 : 1

  name                    = var.job_name
  region                  = var.region
  container_spec_gcs_path = var.template_gcs_path
  parameters              = { for name, value in local.job_parameters : name => value if value != null }

  service_account_email   = google_service_account.worker.email
  subnetwork              = google_compute_subnetwork.dataflow.self_link
  ip_configuration        = "WORKER_IP_PRIVATE"
  enable_streaming_engine = true
  num_workers             = var.num_workers
  max_workers             = var.max_workers
  machine_type            = var.machine_type
  temp_location           = "${google_storage_bucket.learner_pulse.url}/temp"
  staging_location        = "${google_storage_bucket.learner_pulse.url}/staging"

  # Drain on destroy: in-flight windows are finished and written, not dropped.
  on_delete = "drain"

  depends_on = [
    google_project_iam_member.worker_dataflow,
    google_bigquery_dataset_iam_member.worker_data_editor,
    google_secret_manager_secret_iam_member.worker_credentials,
    google_secret_manager_secret_iam_member.worker_redis_auth,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.worker_redis_ca,
    google_secret_manager_secret_version.redis_ca,
    google_storage_bucket_iam_member.worker_objects,
    google_storage_bucket_iam_member.worker_raw_archive,
    google_artifact_registry_repository_iam_member.worker_reader,
    google_compute_firewall.dataflow_workers,
    google_compute_router_nat.egress,
  ]
}
