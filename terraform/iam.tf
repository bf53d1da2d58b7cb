# The job's own identity, with only what it needs: run as a Dataflow worker, write THIS dataset,
# read THESE secrets, use THIS bucket, pull the launcher image from THIS repository.
resource "google_service_account" "worker" {
  account_id   = "${var.name_prefix}-worker"
  display_name = "Learner Pulse Dataflow worker"
  description  = "Runs the Learner Pulse Dataflow jobs (launcher and workers)."
}

locals {
  worker_member = "serviceAccount:${google_service_account.worker.email}"
}

# Includes writing metrics and logs (monitoring.timeSeries.create, logging.logEntries.create).
resource "google_project_iam_member" "worker_dataflow" {
  project = var.project
  role    = "roles/dataflow.worker"
  member  = local.worker_member
}

resource "google_bigquery_dataset_iam_member" "worker_data_editor" {
  dataset_id = google_bigquery_dataset.learner_pulse.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = local.worker_member
}

resource "google_secret_manager_secret_iam_member" "worker_credentials" {
  for_each = google_secret_manager_secret.credential

  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.worker_member
}

resource "google_secret_manager_secret_iam_member" "worker_redis_auth" {
  secret_id = google_secret_manager_secret.redis_auth.id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.worker_member
}

resource "google_secret_manager_secret_iam_member" "worker_redis_ca" {
  secret_id = google_secret_manager_secret.redis_ca.id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.worker_member
}

resource "google_storage_bucket_iam_member" "worker_objects" {
  bucket = google_storage_bucket.learner_pulse.name
  role   = "roles/storage.objectAdmin"
  member = local.worker_member
}

resource "google_artifact_registry_repository_iam_member" "worker_reader" {
  location   = google_artifact_registry_repository.templates.location
  repository = google_artifact_registry_repository.templates.name
  role       = "roles/artifactregistry.reader"
  member     = local.worker_member
}

# The raw archive: create its files, read them back (backfill), delete WriteFiles' temp files.
resource "google_storage_bucket_iam_member" "worker_raw_archive" {
  count  = var.raw_archive_enabled ? 1 : 0
  bucket = google_storage_bucket.raw_archive[0].name
  role   = "roles/storage.objectUser"
  member = local.worker_member
}
