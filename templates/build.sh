#!/usr/bin/env bash
# Builds the Learner Pulse Flex Template: the launcher image in Artifact Registry and the template
# spec (image + templates/metadata.json) in Cloud Storage. Run from anywhere, after
# `mvn -B package -DskipTests` (or `mvn -B verify`) has produced pipeline/target/learner-pulse-dataflow.jar.
#
#   PROJECT=my-project REGION=europe-west1 BUCKET=my-project-learner-pulse \
#   REPOSITORY=learner-pulse TAG=$(git rev-parse --short HEAD) templates/build.sh
#
# PROJECT, REGION, BUCKET and REPOSITORY are the Terraform outputs project, region, bucket_name
# and artifact_repository (`terraform -chdir=terraform output`). TAG defaults to the git commit.
# Prints the gs:// path of the template spec, which is Terraform's var.template_gcs_path.
#
# IMAGE_BUILD=gcloud (default): `gcloud dataflow flex-template build` builds the image on Cloud
#   Build from Google's JAVA17 launcher base image and the jar; templates/Dockerfile is not used.
# IMAGE_BUILD=docker: builds templates/Dockerfile with the local docker and pushes it, then writes
#   the spec for that image with `--image`.
#
# Needs: gcloud (authenticated, `gcloud auth configure-docker <region>-docker.pkg.dev` for docker),
# roles/artifactregistry.writer on the repository, roles/storage.objectAdmin on the bucket and
# roles/cloudbuild.builds.editor for the gcloud build.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${PROJECT:?set PROJECT, the GCP project}"
: "${REGION:?set REGION, e.g. europe-west1}"
: "${BUCKET:?set BUCKET, the bucket for templates (terraform output bucket_name)}"
REPOSITORY="${REPOSITORY:-learner-pulse}"
TAG="${TAG:-$(git rev-parse --short HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)}"
IMAGE_BUILD="${IMAGE_BUILD:-gcloud}"

MAIN_CLASS="dev.learnerpulse.pipeline.LearnerPulse"
JAR="pipeline/target/learner-pulse-dataflow.jar"
METADATA="templates/metadata.json"
IMAGE="${REGION}-docker.pkg.dev/${PROJECT}/${REPOSITORY}/learner-pulse:${TAG}"
SPEC="gs://${BUCKET}/templates/learner-pulse-${TAG}.json"

[ -f "$JAR" ] || { echo "build.sh: $JAR is missing; run mvn -B package -DskipTests first" >&2; exit 1; }

# The repository is Terraform's (google_artifact_registry_repository); fail early when it is not there.
gcloud artifacts repositories describe "$REPOSITORY" \
  --project="$PROJECT" --location="$REGION" --format='value(name)' >/dev/null

case "$IMAGE_BUILD" in
  gcloud)
    gcloud dataflow flex-template build "$SPEC" \
      --project="$PROJECT" \
      --image-gcr-path="$IMAGE" \
      --sdk-language=JAVA \
      --flex-template-base-image=JAVA17 \
      --metadata-file="$METADATA" \
      --jar="$JAR" \
      --env="FLEX_TEMPLATE_JAVA_MAIN_CLASS=${MAIN_CLASS}"
    ;;
  docker)
    docker build -f templates/Dockerfile -t "$IMAGE" .
    docker push "$IMAGE"
    gcloud dataflow flex-template build "$SPEC" \
      --project="$PROJECT" \
      --image="$IMAGE" \
      --sdk-language=JAVA \
      --metadata-file="$METADATA"
    ;;
  *)
    echo "build.sh: IMAGE_BUILD must be gcloud or docker, not '$IMAGE_BUILD'" >&2
    exit 2
    ;;
esac

echo "$SPEC"
