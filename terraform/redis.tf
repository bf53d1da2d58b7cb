# The live dashboard state (docs/redis.md): a standalone Redis, highly available, with AUTH and
# TLS. The scripts need a standalone Redis, not Redis Cluster.
resource "google_redis_instance" "dashboard" {
  name           = "${var.name_prefix}-dashboard"
  display_name   = "Learner Pulse dashboard"
  tier           = "STANDARD_HA"
  memory_size_gb = var.redis_memory_size_gb
  region         = var.region
  redis_version  = var.redis_version

  authorized_network      = google_compute_network.learner_pulse.id
  connect_mode            = "DIRECT_PEERING"
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"

  depends_on = [google_project_service.enabled]
}
