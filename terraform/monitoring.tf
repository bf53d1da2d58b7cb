# Alerts on the streaming job, by its name (var.job_name): lag, freshness, dead letters,
# refusals by BigQuery, failure. Pipeline counters reach Cloud Monitoring as
# dataflow.googleapis.com/job/user_counter, a gauge of the running total whose metric_name label
# is the counter's name (namespace learner_pulse, see OutcomeCounters.java): input.<topic>,
# dead_letter.<topic>, reason.<CODE>. Counter rates therefore use PromQL, which can take the rate
# of a running total; the Monitoring filter aligners cannot (ALIGN_RATE is for CUMULATIVE metrics).

locals {
  job_filter     = "resource.type = \"dataflow_job\" AND resource.label.job_name = \"${var.job_name}\""
  promql_job     = "monitored_resource=\"dataflow_job\", job_name=\"${var.job_name}\""
  user_counter   = "dataflow_googleapis_com:job_user_counter"
  alert_channels = var.notification_channels
}

resource "google_monitoring_alert_policy" "system_lag" {
  display_name          = "Learner Pulse: system lag above ${var.alert_system_lag_seconds}s"
  combiner              = "OR"
  notification_channels = local.alert_channels
  severity              = "WARNING"

  conditions {
    display_name = "job/system_lag > ${var.alert_system_lag_seconds}s for 5 min"
    condition_threshold {
      filter          = "metric.type = \"dataflow.googleapis.com/job/system_lag\" AND ${local.job_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_system_lag_seconds
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Records wait longer than ${var.alert_system_lag_seconds}s to be processed. Check autoscaling (max_workers), Kafka consumer lag and Redis/BigQuery write latency in the job's page."
  }

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_alert_policy" "data_freshness" {
  display_name          = "Learner Pulse: data freshness above ${var.alert_data_freshness_seconds}s"
  combiner              = "OR"
  notification_channels = local.alert_channels
  severity              = "WARNING"

  conditions {
    display_name = "job/data_watermark_age > ${var.alert_data_freshness_seconds}s for 5 min"
    condition_threshold {
      filter          = "metric.type = \"dataflow.googleapis.com/job/data_watermark_age\" AND ${local.job_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_data_freshness_seconds
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The event-time watermark trails real time by more than ${var.alert_data_freshness_seconds}s, so windows close late and the dashboard is stale. The slowest Kafka partition holds the watermark (docs/contract.md §3.2): look for an idle or lagging partition."
  }

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_alert_policy" "dead_letter_rate" {
  display_name          = "Learner Pulse: dead letters above ${var.alert_dead_letter_ratio * 100}% of input"
  combiner              = "OR"
  notification_channels = local.alert_channels
  severity              = "ERROR"

  conditions {
    display_name = "dead_letter.* / input.* over 10 min > ${var.alert_dead_letter_ratio}"
    condition_prometheus_query_language {
      query               = <<-EOT
        sum(rate(${local.user_counter}{${local.promql_job}, metric_name=~"dead_letter[.].+"}[10m]))
          /
        sum(rate(${local.user_counter}{${local.promql_job}, metric_name=~"input[.].+"}[10m]))
          > ${var.alert_dead_letter_ratio}
      EOT
      duration            = "300s"
      evaluation_interval = "60s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "More than ${var.alert_dead_letter_ratio * 100}% of the records read became dead letters. The reason.<CODE> counters say why; the dead_letters table holds every record with its detail: SELECT reason, topic, COUNT(*) FROM dead_letters WHERE seen_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR) GROUP BY 1, 2."
  }

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_alert_policy" "warehouse_rejected" {
  display_name          = "Learner Pulse: BigQuery refused rows"
  combiner              = "OR"
  notification_channels = local.alert_channels
  severity              = "ERROR"

  conditions {
    display_name = "reason.WAREHOUSE_REJECTED or warehouse_rejected_dead_letters grew"
    condition_prometheus_query_language {
      query               = <<-EOT
        sum(increase(${local.user_counter}{${local.promql_job}, metric_name=~"reason[.]WAREHOUSE_REJECTED|warehouse_rejected_dead_letters"}[10m])) > 0
      EOT
      duration            = "0s"
      evaluation_interval = "60s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "BigQuery refused output rows (docs/warehouse.md). Refused metrics and too-late rows are in dead_letters with reason WAREHOUSE_REJECTED; refused dead letters are only logged and counted. A schema change that the tables did not get is the usual cause: compare terraform/schemas with the tables."
  }

  depends_on = [google_project_service.enabled]
}

resource "google_monitoring_alert_policy" "job_failed" {
  display_name          = "Learner Pulse: job failed"
  combiner              = "OR"
  notification_channels = local.alert_channels
  severity              = "CRITICAL"

  conditions {
    display_name = "job/is_failed"
    condition_threshold {
      filter          = "metric.type = \"dataflow.googleapis.com/job/is_failed\" AND ${local.job_filter}"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The Learner Pulse streaming job failed. Its logs are in the job's page; `terraform apply` launches it again (a failed job is recreated)."
  }

  depends_on = [google_project_service.enabled]
}

# The job at a glance (issue 16, operations dashboard): input rate per topic, dead letters by
# reason, too-late changes, data freshness (data watermark age), system lag, watermark age per
# stage, Redis write errors (retried writes of the dashboard and alert sinks) and alerts by kind.
# The layout is dashboards/learner_pulse.json; terraform/check.sh checks that it is a valid
# dashboard whose queries name counters the code defines.
resource "google_monitoring_dashboard" "job" {
  dashboard_json = templatefile("${path.module}/dashboards/learner_pulse.json", { job_name = var.job_name })

  depends_on = [google_project_service.enabled]
}
