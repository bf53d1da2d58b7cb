# One bucket for template specs, staging and temp files, and backfill inputs and outputs.
resource "google_storage_bucket" "learner_pulse" {
  name                        = local.bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # Dataflow's temp files are only needed while a job runs.
  lifecycle_rule {
    condition {
      age            = 7
      matches_prefix = ["temp/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_artifact_registry_repository" "templates" {
  repository_id = var.name_prefix
  location      = var.region
  format        = "DOCKER"
  description   = "Learner Pulse Flex Template launcher images (templates/build.sh)."

  depends_on = [google_project_service.enabled]
}

locals {
  bucket_name = coalesce(var.bucket_name, "${var.project}-${var.name_prefix}")
}

# The raw change archive (--rawArchive): every record the streaming job reads, unchanged, as Avro
# files under raw/dt=YYYY-MM-DD/hour=HH/ (docs/backfill.md). Its own bucket, so that its lifecycle
# (Nearline, then delete) never touches the job's staging and backfill files. Files are written
# once and read rarely (a backfill, a replay): Nearline after a month costs about half as much.
resource "google_storage_bucket" "raw_archive" {
  count = var.raw_archive_enabled ? 1 : 0

  name                        = "${local.bucket_name}-raw"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  lifecycle_rule {
    condition {
      age = var.raw_archive_nearline_after_days
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle_rule {
    condition {
      age = var.raw_archive_retention_days
    }
    action {
      type = "Delete"
    }
  }

  # Temporary files of writes that a job abandoned (a crash between write and rename).
  lifecycle_rule {
    condition {
      age            = 7
      matches_prefix = ["raw/.temp-beam"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}
