{{/* Names, labels, the shared pod environment and the pod-level settings of every component. */}}

{{- define "samnav.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's base name; components append -web, -worker, -beat, -migrate. */}}
{{- define "samnav.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "samnav.selectorLabels" -}}
app.kubernetes.io/name: {{ include "samnav.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "samnav.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "samnav.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: samnav
{{- end -}}

{{- define "samnav.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "samnav.centralHost" -}}
{{- default .Values.hosts.baseDomain .Values.hosts.central -}}
{{- end -}}

{{/*
The environment of every Samnav container. Secrets come only from existing Secret objects,
by reference: the chart never holds a secret value.
*/}}
{{- define "samnav.env" -}}
- name: DJANGO_SETTINGS_MODULE
  value: config.settings.production
- name: SAMNAV_BASE_DOMAIN
  value: {{ required "hosts.baseDomain is required" .Values.hosts.baseDomain | quote }}
- name: SAMNAV_CENTRAL_HOST
  value: {{ include "samnav.centralHost" . | quote }}
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: LOG_FORMAT
  value: {{ .Values.config.logFormat | quote }}
- name: GRAPHQL_INTROSPECTION
  value: {{ .Values.config.graphqlIntrospection | quote }}
- name: MIGRATE_PROCESSES
  value: {{ .Values.migrations.processes | quote }}
- name: PROMETHEUS_MULTIPROC_DIR
  value: /tmp/prometheus
- name: SAMNAV_METRICS_PORT
  value: {{ .Values.metrics.port | quote }}
- name: SAMNAV_ARCHIVE_DIR
  value: /var/lib/samnav/archives
- name: DJANGO_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.djangoSecretKey.name is required" .Values.secrets.djangoSecretKey.name | quote }}
      key: {{ .Values.secrets.djangoSecretKey.key | quote }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.databaseUrl.name is required" .Values.secrets.databaseUrl.name | quote }}
      key: {{ .Values.secrets.databaseUrl.key | quote }}
- name: CELERY_BROKER_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.brokerUrl.name is required" .Values.secrets.brokerUrl.name | quote }}
      key: {{ .Values.secrets.brokerUrl.key | quote }}
{{- with .Values.secrets.resultBackendUrl }}
{{- if .name }}
- name: CELERY_RESULT_BACKEND
  valueFrom:
    secretKeyRef:
      name: {{ .name | quote }}
      key: {{ .key | quote }}
{{- end }}
{{- end }}
{{- with .Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every component: non-root, no API token, pull secrets. */}}
{{- define "samnav.podSpec" -}}
automountServiceAccountToken: false
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . | quote }}
{{- end }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.securityContext.runAsUser }}
  runAsGroup: {{ .Values.securityContext.runAsGroup }}
  fsGroup: {{ .Values.securityContext.fsGroup }}
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{/* Container-level security: read-only root filesystem, no privilege escalation, no caps. */}}
{{- define "samnav.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
{{- end -}}

{{/* /tmp is the only writable path (gunicorn heartbeats, metrics files, beat's schedule). */}}
{{- define "samnav.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .archives }}
- name: archives
  mountPath: /var/lib/samnav/archives
{{- end }}
{{- end -}}

{{- define "samnav.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .root.Values.tmpVolume.sizeLimit | quote }}
{{- if .archives }}
- name: archives
  {{- if .root.Values.archives.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .root.Values.archives.existingClaim | quote }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Scheduling knobs of a component: nodeSelector, tolerations, affinity. */}}
{{- define "samnav.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "samnav.metricsAnnotations" -}}
{{- if .Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}
