# ---- Project and naming ----------------------------------------------------------------------

variable "project" {
  description = "GCP project that holds the whole stack, and where the job writes BigQuery."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a GCP project ID (6-30 lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region of the Dataflow job, the subnetwork, Memorystore, the bucket and the image repository."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a GCP region such as europe-west1."
  }
}

variable "name_prefix" {
  description = "Prefix of resource names (network, bucket, secrets, service account, Redis)."
  type        = string
  default     = "learner-pulse"

  validation {
    # The service account ID "<prefix>-worker" must be at most 30 characters.
    condition     = can(regex("^[a-z][a-z0-9-]{2,22}$", var.name_prefix))
    error_message = "name_prefix must be 3-23 lowercase letters, digits or hyphens, starting with a letter."
  }
}

# ---- Network and storage ---------------------------------------------------------------------

variable "subnetwork_cidr" {
  description = "Primary range of the Dataflow workers' subnetwork."
  type        = string
  default     = "10.20.0.0/20"

  validation {
    condition     = can(cidrhost(var.subnetwork_cidr, 0))
    error_message = "subnetwork_cidr must be an IPv4 CIDR range such as 10.20.0.0/20."
  }
}

variable "bucket_name" {
  description = "Bucket for template specs, staging, temp files and backfill data; null means \"<project>-<name_prefix>\"."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid Cloud Storage bucket name."
  }
}

# ---- BigQuery --------------------------------------------------------------------------------

variable "dataset_id" {
  description = "BigQuery dataset of the output tables and the latest-pane view."
  type        = string
  default     = "learner_pulse"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.dataset_id))
    error_message = "dataset_id may contain only letters, digits and underscores."
  }
}

variable "dataset_location" {
  description = "BigQuery location of the dataset (a region such as europe-west1, or EU / US)."
  type        = string
  default     = "EU"

  validation {
    condition     = length(var.dataset_location) > 0
    error_message = "dataset_location must not be empty."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the BigQuery tables and the view on destroy."
  type        = bool
  default     = true
}

variable "partition_expiration_days" {
  description = "Days after which BigQuery drops a partition of the output tables; null keeps them forever."
  type        = number
  default     = null

  validation {
    condition     = var.partition_expiration_days == null || try(var.partition_expiration_days >= 1, false)
    error_message = "partition_expiration_days must be null or at least 1."
  }
}

variable "bigquery_write_method" {
  description = "Pipeline --writeMethod: EXACTLY_ONCE or AT_LEAST_ONCE (docs/warehouse.md, \"Which method, when\")."
  type        = string
  default     = "EXACTLY_ONCE"

  validation {
    condition     = contains(["EXACTLY_ONCE", "AT_LEAST_ONCE"], var.bigquery_write_method)
    error_message = "bigquery_write_method must be EXACTLY_ONCE or AT_LEAST_ONCE."
  }
}

variable "bigquery_triggering_frequency" {
  description = "Pipeline --triggeringFrequency with EXACTLY_ONCE: how often rows are committed (a duration such as 10s)."
  type        = string
  default     = "10s"

  validation {
    condition     = can(regex("^(0|[0-9]+ ?(ms|s|m|h|d)|P[0-9A-Za-z.]+)$", var.bigquery_triggering_frequency))
    error_message = "bigquery_triggering_frequency must be a duration such as 10s, 1m or PT10S."
  }
}

variable "bigquery_storage_write_streams" {
  description = "Pipeline --storageWriteStreams with EXACTLY_ONCE: Storage Write API streams per table."
  type        = number
  default     = 4

  validation {
    condition     = var.bigquery_storage_write_streams >= 1 && var.bigquery_storage_write_streams <= 1000 && floor(var.bigquery_storage_write_streams) == var.bigquery_storage_write_streams
    error_message = "bigquery_storage_write_streams must be a whole number from 1 to 1000."
  }
}

variable "bigquery_upserts" {
  description = "Pipeline --upserts: keep only the latest pane per key and window in learner_window_metrics (needs AT_LEAST_ONCE and a primary key on the table)."
  type        = bool
  default     = false

  validation {
    condition     = !var.bigquery_upserts || var.bigquery_write_method == "AT_LEAST_ONCE"
    error_message = "bigquery_upserts needs bigquery_write_method = AT_LEAST_ONCE."
  }
}

# ---- Redis -----------------------------------------------------------------------------------

variable "redis_memory_size_gb" {
  description = "Memorystore capacity in GiB (STANDARD_HA: 5 or more is recommended for replication headroom)."
  type        = number
  default     = 5

  validation {
    condition     = var.redis_memory_size_gb >= 1 && var.redis_memory_size_gb <= 300
    error_message = "redis_memory_size_gb must be from 1 to 300."
  }
}

variable "redis_version" {
  description = "Memorystore Redis version."
  type        = string
  default     = "REDIS_7_2"

  validation {
    condition     = can(regex("^REDIS_[0-9]+_[0-9X]+$", var.redis_version))
    error_message = "redis_version must look like REDIS_7_2."
  }
}

# ---- Kafka and credentials -------------------------------------------------------------------

variable "kafka_bootstrap_servers" {
  description = "Pipeline --bootstrapServers: host:port[,host:port...] of the Confluent Kafka cluster."
  type        = string

  validation {
    condition     = can(regex("^[^,:\\s]+:[0-9]{1,5}(,[^,:\\s]+:[0-9]{1,5})*$", var.kafka_bootstrap_servers))
    error_message = "kafka_bootstrap_servers must be host:port[,host:port...]."
  }
}

variable "kafka_security_protocol" {
  description = "Pipeline --kafkaSecurity. SASL_SSL/SASL_PLAINTEXT pass the SASL user and password secrets (confluent_api_key/secret) to the job; SSL passes the client certificate and key secrets (mutual TLS)."
  type        = string
  default     = "SASL_SSL"

  validation {
    condition     = contains(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"], var.kafka_security_protocol)
    error_message = "kafka_security_protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."
  }
}

variable "kafka_sasl_mechanism" {
  description = "Pipeline --kafkaSaslMechanism with SASL_SSL: PLAIN (Confluent Cloud), SCRAM-SHA-256 or SCRAM-SHA-512 (MSK, Aiven, Redpanda)."
  type        = string
  default     = "PLAIN"

  validation {
    condition     = contains(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"], var.kafka_sasl_mechanism)
    error_message = "kafka_sasl_mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512."
  }
}

variable "kafka_private_ca" {
  description = "The brokers' certificates chain to a private CA: creates the secret kafka-ca-certificates (add its PEM as a version outside Terraform) and passes it as --kafkaCaCertificates. False: the JVM's public CAs (Confluent Cloud, MSK)."
  type        = bool
  default     = false
}

variable "kafka_consumer_group" {
  description = "Pipeline --consumerGroup: the Kafka consumer group of the streaming job."
  type        = string
  default     = "learner-pulse"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+$", var.kafka_consumer_group))
    error_message = "kafka_consumer_group may contain only letters, digits, '.', '_' and '-'."
  }
}

variable "kafka_start_position" {
  description = "Pipeline --startPosition: EARLIEST (replay the retained backlog), LATEST, or an ISO-8601 instant such as 2026-11-20T09:00:00Z, for partitions without committed offsets."
  type        = string
  default     = "EARLIEST"

  validation {
    condition     = contains(["EARLIEST", "LATEST"], var.kafka_start_position) || can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$", var.kafka_start_position))
    error_message = "kafka_start_position must be EARLIEST, LATEST or an ISO-8601 instant such as 2026-11-20T09:00:00Z."
  }
}

variable "value_format" {
  description = "Pipeline --valueFormat: JSON (Connect JsonConverter) or AVRO (Confluent wire format with a Schema Registry)."
  type        = string
  default     = "JSON"

  validation {
    condition     = contains(["JSON", "AVRO"], var.value_format)
    error_message = "value_format must be JSON or AVRO."
  }
}

variable "schema_registry_url" {
  description = "Pipeline --schemaRegistryUrl, with value_format = AVRO."
  type        = string
  default     = null

  validation {
    condition     = var.schema_registry_url == null || can(regex("^https?://[^\\s]+$", var.schema_registry_url))
    error_message = "schema_registry_url must be an http(s) URL."
  }
}

variable "confluent_api_key" {
  description = "Confluent Cloud API key. Leave null and add the secret version with gcloud to keep it out of the state; when set, it IS stored in the Terraform state."
  type        = string
  default     = null
  sensitive   = true
}

variable "confluent_api_secret" {
  description = "Confluent Cloud API secret. Leave null and add the secret version with gcloud to keep it out of the state; when set, it IS stored in the Terraform state."
  type        = string
  default     = null
  sensitive   = true
}

variable "schema_registry_api_key" {
  description = "Schema Registry API key (AVRO only). Same state caveat as confluent_api_key."
  type        = string
  default     = null
  sensitive   = true
}

variable "schema_registry_api_secret" {
  description = "Schema Registry API secret (AVRO only). Same state caveat as confluent_api_key."
  type        = string
  default     = null
  sensitive   = true
}

# ---- Topics and windowing (docs/contract.md §1.1, §3.1) -----------------------------------

variable "topics" {
  description = "The Debezium change and reference topics (pipeline --<table>Topic options)."
  type = object({
    learner_progress    = optional(string, "lxp.public.learner_progress")
    course_interactions = optional(string, "lxp.engagement.course_interactions")
    assessment_events   = optional(string, "lxp.assessments.assessment_events")
    certification_state = optional(string, "lxp.public.certification_state")
    courses             = optional(string, "lxp.public.courses")
    learners            = optional(string, "lxp.public.learners")
  })
  default = {}

  validation {
    condition     = alltrue([for topic in values(var.topics) : can(regex("^[A-Za-z0-9._-]{1,249}$", topic))])
    error_message = "Every topic must be a Kafka topic name (letters, digits, '.', '_', '-')."
  }
}

variable "dead_letter_topic" {
  description = "Pipeline --deadLetterTopic: a Kafka topic that also receives dead letters (it must exist: confluent.tf creates it when confluent_environment_id is set); null for none (the job gets --deadLetterTopic=none)."
  type        = string
  default     = null

  validation {
    condition     = var.dead_letter_topic == null || can(regex("^[A-Za-z0-9._-]{1,249}$", var.dead_letter_topic))
    error_message = "dead_letter_topic must be a Kafka topic name."
  }
}

variable "alerts_enabled" {
  description = "Pipeline --alerts: detect learner alerts (certificate issued, course completed, at risk, recovered) and write them to the alerts topic, the Redis streams and the learner_alerts table."
  type        = bool
  default     = true
}

variable "alerts_topic" {
  description = "Pipeline --alertsTopic: the Kafka topic that receives every alert as JSON (create it in Confluent Cloud: the job checks it at launch); empty for none."
  type        = string
  default     = "lxp.learner_pulse.alerts"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{0,249}$", var.alerts_topic))
    error_message = "alerts_topic must be a Kafka topic name or empty."
  }
}

variable "alerts_stream_max_len" {
  description = "Pipeline --alertsStreamMaxLen: about how many alerts each tenant's Redis stream keeps (XADD MAXLEN ~)."
  type        = number
  default     = 10000

  validation {
    condition     = var.alerts_stream_max_len >= 1 && floor(var.alerts_stream_max_len) == var.alerts_stream_max_len
    error_message = "alerts_stream_max_len must be a whole number of at least 1."
  }
}

variable "window_size" {
  description = "Pipeline --windowSize: fixed event-time window size (a duration such as 60s)."
  type        = string
  default     = "60s"

  validation {
    condition     = can(regex("^(0|[0-9]+ ?(ms|s|m|h|d)|P[0-9A-Za-z.]+)$", var.window_size))
    error_message = "window_size must be a duration such as 60s, 5m or PT1M."
  }
}

variable "allowed_lateness" {
  description = "Pipeline --allowedLateness: how long after a window's end late data still counts."
  type        = string
  default     = "300s"

  validation {
    condition     = can(regex("^(0|[0-9]+ ?(ms|s|m|h|d)|P[0-9A-Za-z.]+)$", var.allowed_lateness))
    error_message = "allowed_lateness must be a duration such as 300s or 5m."
  }
}

variable "early_firing" {
  description = "Pipeline --earlyFiring: processing-time period of early panes."
  type        = string
  default     = "10s"

  validation {
    condition     = can(regex("^(0|[0-9]+ ?(ms|s|m|h|d)|P[0-9A-Za-z.]+)$", var.early_firing))
    error_message = "early_firing must be a duration such as 10s."
  }
}

variable "max_delay" {
  description = "Pipeline --maxDelay: how far a record's Kafka timestamp may trail the watermark."
  type        = string
  default     = "5s"

  validation {
    condition     = can(regex("^(0|[0-9]+ ?(ms|s|m|h|d)|P[0-9A-Za-z.]+)$", var.max_delay))
    error_message = "max_delay must be a duration such as 5s."
  }
}

variable "idle_timeout" {
  description = "Pipeline --idleTimeout: how long a Kafka partition with nothing to read must stay quiet before its watermark follows the clock."
  type        = string
  default     = "10s"

  validation {
    condition     = can(regex("^(0|[0-9]+ ?(ms|s|m|h|d)|P[0-9A-Za-z.]+)$", var.idle_timeout))
    error_message = "idle_timeout must be a duration such as 10s."
  }
}

# ---- The Dataflow job ------------------------------------------------------------------------

variable "template_gcs_path" {
  description = "gs:// path of the Flex Template spec that templates/build.sh printed; null (the first apply, before the template exists) creates everything but the job."
  type        = string
  default     = null

  validation {
    condition     = var.template_gcs_path == null || can(regex("^gs://[^/]+/.+\\.json$", var.template_gcs_path))
    error_message = "template_gcs_path must be a gs://bucket/path.json template spec."
  }
}

variable "job_name" {
  description = "Name of the streaming Dataflow job; the alert policies select the job by it."
  type        = string
  default     = "learner-pulse"

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,62}[a-z0-9])?$", var.job_name))
    error_message = "job_name must be lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "machine_type" {
  description = "Worker machine type."
  type        = string
  default     = "n2-standard-2"
}

variable "num_workers" {
  description = "Initial number of workers."
  type        = number
  default     = 1

  validation {
    condition     = var.num_workers >= 1
    error_message = "num_workers must be at least 1."
  }
}

variable "max_workers" {
  description = "Upper bound of autoscaling (Streaming Engine scales between num_workers and this)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_workers >= var.num_workers && var.max_workers <= 1000
    error_message = "max_workers must be from num_workers to 1000."
  }
}

# ---- Alerts ----------------------------------------------------------------------------------

variable "notification_channels" {
  description = "Cloud Monitoring notification channel IDs (projects/<project>/notificationChannels/<id>) the alerts go to."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for channel in var.notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", channel))])
    error_message = "Each notification channel must be projects/<project>/notificationChannels/<id>."
  }
}

variable "alert_system_lag_seconds" {
  description = "Alert when the job's system lag stays above this many seconds for 5 minutes."
  type        = number
  default     = 120

  validation {
    condition     = var.alert_system_lag_seconds > 0
    error_message = "alert_system_lag_seconds must be positive."
  }
}

variable "alert_data_freshness_seconds" {
  description = "Alert when the data watermark age stays above this many seconds for 5 minutes (windows are 60s with 300s lateness by default)."
  type        = number
  default     = 600

  validation {
    condition     = var.alert_data_freshness_seconds > 0
    error_message = "alert_data_freshness_seconds must be positive."
  }
}

variable "alert_dead_letter_ratio" {
  description = "Alert when dead letters exceed this fraction of the records read over 10 minutes."
  type        = number
  default     = 0.01

  validation {
    condition     = var.alert_dead_letter_ratio > 0 && var.alert_dead_letter_ratio < 1
    error_message = "alert_dead_letter_ratio must be between 0 and 1."
  }
}

# ---- The web dashboard (dashboard.tf) --------------------------------------------------------

variable "dashboard_image" {
  description = "Image of the web dashboard built from tools/cli/Dockerfile (e.g. REGION-docker.pkg.dev/PROJECT/learner-pulse/dashboard:TAG); null creates no Cloud Run service."
  type        = string
  default     = null
}

variable "dashboard_invokers" {
  description = "Members allowed to open the dashboard (roles/run.invoker), e.g. group:instructors@example.com. The dashboard has no login of its own: never allUsers."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.dashboard_invokers, "allUsers") && !contains(var.dashboard_invokers, "allAuthenticatedUsers")
    error_message = "dashboard_invokers must name people or groups: the dashboard shows learner data and has no login of its own."
  }
}

variable "dashboard_max_instances" {
  description = "Most Cloud Run instances of the dashboard; each answers many viewers (one Redis read per page a second)."
  type        = number
  default     = 2
}

variable "dashboard_redis_key_prefix" {
  description = "Key prefix the job writes the dashboard under (the job's --redisKeyPrefix)."
  type        = string
  default     = "lp"
}

# ---- Optional: Confluent Cloud topic, service account and ACLs (confluent.tf) ----------------

variable "confluent_environment_id" {
  description = "Confluent Cloud environment (env-...) of the cluster; null (default): confluent.tf manages nothing."
  type        = string
  default     = null
}

variable "confluent_cluster_id" {
  description = "Confluent Cloud Kafka cluster (lkc-...) of the topics; with confluent_environment_id."
  type        = string
  default     = null
}

variable "confluent_cluster_rest_endpoint" {
  description = "The cluster's REST endpoint (https://pkc-....confluent.cloud:443), for topics and ACLs."
  type        = string
  default     = null
}

variable "confluent_cluster_api_key" {
  description = "A cluster API key allowed to create topics and ACLs (the cluster admin's, not the job's)."
  type        = string
  default     = null
  sensitive   = true
}

variable "confluent_cluster_api_secret" {
  description = "The secret of confluent_cluster_api_key."
  type        = string
  default     = null
  sensitive   = true
}

variable "confluent_cloud_api_key" {
  description = "Confluent Cloud (cloud-scope) API key of the confluent provider; or CONFLUENT_CLOUD_API_KEY."
  type        = string
  default     = null
  sensitive   = true
}

variable "confluent_cloud_api_secret" {
  description = "The secret of confluent_cloud_api_key; or CONFLUENT_CLOUD_API_SECRET."
  type        = string
  default     = null
  sensitive   = true
}

variable "dead_letter_partitions" {
  description = "Partitions of the dead-letter topic confluent.tf creates."
  type        = number
  default     = 3
}

variable "dead_letter_retention_days" {
  description = "Retention of the dead-letter topic confluent.tf creates: long enough to triage and replay (docs/operations.md)."
  type        = number
  default     = 14
}

variable "raw_archive_enabled" {
  description = "Keep the raw change archive: a bucket \"<bucket_name>-raw\" and --rawArchive=gs://<it>/raw on the streaming job (docs/backfill.md)."
  type        = bool
  default     = true
}

variable "raw_archive_nearline_after_days" {
  description = "Days after which raw archive files move to Nearline storage."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_archive_nearline_after_days >= 1
    error_message = "raw_archive_nearline_after_days must be at least 1."
  }
}

variable "raw_archive_retention_days" {
  description = "Days after which raw archive files are deleted: how far back a backfill from the archive can go."
  type        = number
  default     = 400

  validation {
    condition     = var.raw_archive_retention_days >= 31
    error_message = "raw_archive_retention_days must be at least 31: Nearline bills a minimum of 30 days."
  }
}
