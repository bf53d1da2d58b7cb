# Dataflow workers and the Memorystore instance share one VPC. Workers have no public IPs; Cloud
# NAT gives them a way out to Confluent Cloud, and Private Google Access reaches Google APIs.

resource "google_compute_network" "learner_pulse" {
  name                    = "${var.name_prefix}-vpc"
  auto_create_subnetworks = false

  depends_on = [google_project_service.enabled]
}

resource "google_compute_subnetwork" "dataflow" {
  name                     = "${var.name_prefix}-dataflow"
  region                   = var.region
  network                  = google_compute_network.learner_pulse.id
  ip_cidr_range            = var.subnetwork_cidr
  private_ip_google_access = true
}

# Dataflow workers exchange shuffle and streaming data on TCP 12345-12346. Dataflow tags its
# worker VMs "dataflow".
resource "google_compute_firewall" "dataflow_workers" {
  name        = "${var.name_prefix}-dataflow-workers"
  network     = google_compute_network.learner_pulse.id
  description = "Traffic between Dataflow workers of Learner Pulse."
  direction   = "INGRESS"
  priority    = 1000

  allow {
    protocol = "tcp"
    ports    = ["12345-12346"]
  }

  source_tags = ["dataflow"]
  target_tags = ["dataflow"]
}

resource "google_compute_router" "egress" {
  name    = "${var.name_prefix}-router"
  region  = var.region
  network = google_compute_network.learner_pulse.id
}

resource "google_compute_router_nat" "egress" {
  name                               = "${var.name_prefix}-nat"
  router                             = google_compute_router.egress.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.dataflow.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
