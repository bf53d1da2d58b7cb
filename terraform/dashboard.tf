# The live web dashboard (docs/dashboard.md) on Cloud Run, reading Memorystore over the VPC with
# Direct VPC egress. Created once dashboard_image names an image built from tools/cli/Dockerfile.
#
# The dashboard has no login of its own: only the members in dashboard_invokers may call it
# (roles/run.invoker). Open it with `gcloud run services proxy <name> --region <region>`, or put
# IAP in front of it.

locals {
  dashboard_enabled = var.dashboard_image != null
}

resource "google_service_account" "dashboard" {
  account_id   = "${var.name_prefix}-dashboard"
  display_name = "Learner Pulse web dashboard"
  description  = "Runs the Learner Pulse web dashboard on Cloud Run (reads Memorystore)."
}

resource "google_secret_manager_secret_iam_member" "dashboard_redis_auth" {
  secret_id = google_secret_manager_secret.redis_auth.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.dashboard.email}"
}

resource "google_cloud_run_v2_service" "dashboard" {
  count = local.dashboard_enabled ? 1 : 0

  name                = "${var.name_prefix}-dashboard"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = false

  template {
    service_account = google_service_account.dashboard.email

    scaling {
      min_instance_count = 0
      max_instance_count = var.dashboard_max_instances
    }

    # Direct VPC egress into the job's subnetwork: Memorystore's private IP is reachable from it.
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.learner_pulse.id
        subnetwork = google_compute_subnetwork.dataflow.id
      }
    }

    containers {
      image = var.dashboard_image

      ports {
        container_port = 8080
      }

      env {
        # TLS (SERVER_AUTHENTICATION): rediss:// on the instance's TLS port.
        name  = "REDIS_URL"
        value = "rediss://${google_redis_instance.dashboard.host}:${google_redis_instance.dashboard.port}"
      }
      env {
        name = "REDIS_AUTH"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.redis_auth.secret_id
            version = "latest"
          }
        }
      }
      env {
        # Public certificate of the instance's server CA; docker-entrypoint.sh trusts it.
        name  = "REDIS_CA_PEM"
        value = google_redis_instance.dashboard.server_ca_certs[0].cert
      }
      env {
        name  = "REDIS_KEY_PREFIX"
        value = var.dashboard_redis_key_prefix
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
      }

      startup_probe {
        http_get {
          path = "/api/tenants"
        }
      }
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.dashboard_redis_auth,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "dashboard_invoker" {
  for_each = local.dashboard_enabled ? toset(var.dashboard_invokers) : toset([])

  name     = google_cloud_run_v2_service.dashboard[0].name
  location = var.region
  role     = "roles/run.invoker"
  member   = each.value
}
