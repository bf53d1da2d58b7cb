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
