# The three output tables of docs/contract.md §4.1 and learner_alerts, from the schema files the code exports
# (transforms/.../sinks/bigquery/ExportSchemas.java). Partitioning and clustering are those of
# WarehouseTable.java; terraform/check.sh fails when they differ.
locals {
  warehouse_tables = {
    learner_window_metrics = {
      partition_field = "window_start"
      clustering      = ["tenant_id", "course_id"]
    }
    dead_letters = {
      partition_field = "seen_at"
      clustering      = ["reason", "topic"]
    }
    too_late_events = {
      partition_field = "event_time"
      clustering      = ["course_id", "learner_id"]
    }
    learner_alerts = {
      partition_field = "event_time"
      clustering      = ["tenant_id", "course_id"]
    }
  }
}

resource "google_bigquery_dataset" "learner_pulse" {
  dataset_id  = var.dataset_id
  location    = var.dataset_location
  description = "Learner Pulse: fused learner metrics, dead letters and too-late events."

  depends_on = [google_project_service.enabled]
}

resource "google_bigquery_table" "output" {
  for_each = local.warehouse_tables

  dataset_id          = google_bigquery_dataset.learner_pulse.dataset_id
  table_id            = each.key
  schema              = file("${path.module}/schemas/${each.key}.json")
  clustering          = each.value.clustering
  deletion_protection = var.deletion_protection

  time_partitioning {
    type          = "DAY"
    field         = each.value.partition_field
    expiration_ms = var.partition_expiration_days == null ? null : var.partition_expiration_days * 86400000
  }
}

# Only the latest pane of each learner, course and window (terraform/sql/).
resource "google_bigquery_table" "learner_window_metrics_latest" {
  dataset_id          = google_bigquery_dataset.learner_pulse.dataset_id
  table_id            = "learner_window_metrics_latest"
  description         = "The latest pane of each learner, course and window of learner_window_metrics."
  deletion_protection = var.deletion_protection

  view {
    query = templatefile("${path.module}/sql/learner_window_metrics_latest.sql", {
      project = var.project
      dataset = google_bigquery_dataset.learner_pulse.dataset_id
    })
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.output]
}
