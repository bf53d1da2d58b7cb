output "project" {
  description = "The project (templates/build.sh PROJECT)."
  value       = var.project
}

output "region" {
  description = "The region (templates/build.sh REGION)."
  value       = var.region
}

output "bucket_name" {
  description = "Bucket for template specs, staging, temp and backfill files (templates/build.sh BUCKET)."
  value       = google_storage_bucket.learner_pulse.name
}

output "artifact_repository" {
  description = "Artifact Registry repository of the launcher image (templates/build.sh REPOSITORY)."
  value       = google_artifact_registry_repository.templates.repository_id
}

output "image_path_prefix" {
  description = "Where launcher images go: <this>/learner-pulse:<tag>."
  value       = "${var.region}-docker.pkg.dev/${var.project}/${google_artifact_registry_repository.templates.repository_id}"
}

output "worker_service_account" {
  description = "The job's service account (gcloud dataflow flex-template run --service-account-email)."
  value       = google_service_account.worker.email
}

output "subnetwork" {
  description = "The workers' subnetwork, as gcloud's --subnetwork wants it."
  value       = "regions/${var.region}/subnetworks/${google_compute_subnetwork.dataflow.name}"
}

output "dataset" {
  description = "The BigQuery dataset of the output tables."
  value       = google_bigquery_dataset.learner_pulse.dataset_id
}

output "tables" {
  description = "The output tables and the latest-pane view."
  value = concat(
    [for table in google_bigquery_table.output : table.table_id],
    [google_bigquery_table.learner_window_metrics_latest.table_id],
  )
}

output "redis_host" {
  description = "Memorystore IP address (host of the pipeline's --redisUrl)."
  value       = google_redis_instance.dashboard.host
}

output "redis_port" {
  description = "Memorystore port: 6378 with in-transit encryption (port of the pipeline's --redisUrl)."
  value       = google_redis_instance.dashboard.port
}

output "redis_server_ca_cert" {
  description = "PEM of the Memorystore server CA: TLS clients must trust it (redis-cli --cacert, the workers' trust store)."
  value       = google_redis_instance.dashboard.server_ca_certs[0].cert
}

output "secret_versions" {
  description = "Secret Manager version names the job reads (add versions to the credential secrets with gcloud)."
  value = merge(local.secret_versions, {
    redis_auth = "${google_secret_manager_secret.redis_auth.id}/versions/latest"
  })
}

output "job_id" {
  description = "ID of the streaming Dataflow job; null until template_gcs_path is set."
  value       = one(google_dataflow_flex_template_job.streaming[*].job_id)
}

output "dashboard_url" {
  description = "URL of the web dashboard on Cloud Run (for dashboard_invokers; or gcloud run services proxy), null without dashboard_image."
  value       = local.dashboard_enabled ? google_cloud_run_v2_service.dashboard[0].uri : null
}

output "raw_archive_bucket" {
  description = "The raw change archive's bucket (null when raw_archive_enabled is false); backfill with --inputPattern=gs://<it>/raw/dt=*/hour=*/*.avro."
  value       = var.raw_archive_enabled ? google_storage_bucket.raw_archive[0].name : null
}
