{{/* Release name plus region, so two regions' releases never collide in one namespace. */}}
{{- define "tablestakes.fullname" -}}
{{- $region := required "region is required (set it in the region's values file)" .Values.region -}}
{{- if contains $region .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $region | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tablestakes.selector" -}}
app.kubernetes.io/name: tablestakes
app.kubernetes.io/instance: {{ .Release.Name }}
tablestakes.io/region: {{ .Values.region }}
{{- end -}}

{{/* The game server's pods only: the migration and audit Jobs share the release labels but never take traffic. */}}
{{- define "tablestakes.serverSelector" -}}
{{ include "tablestakes.selector" . }}
tablestakes.io/component: server
{{- end -}}

{{- define "tablestakes.labels" -}}
{{ include "tablestakes.selector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tablestakes.image" -}}
{{ .Values.image.repository }}:{{ required "image.tag is required" .Values.image.tag }}
{{- end -}}

{{/* Pods that can be routed to: maxReplicas under autoscaling, else replicas. */}}
{{- define "tablestakes.podCount" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.maxReplicas | int }}{{ else }}{{ .Values.replicas | int }}{{ end -}}
{{- end -}}

{{- define "tablestakes.physicsBackend" -}}
{{- if .Values.gpu.enabled }}{{ .Values.physics.backend }}{{ else }}cpu{{ end -}}
{{- end -}}

{{- define "tablestakes.terminationGracePeriodSeconds" -}}
{{- add .Values.drain.deadlineSeconds .Values.drain.settleSeconds -}}
{{- end -}}

{{/*
The database and Redis URLs are composed by Kubernetes from the credentials in the Secret ($(VAR) expansion), so
values carry the hosts every region shares and the Secret carries only what is secret.
*/}}
{{- define "tablestakes.connectionEnv" -}}
{{- $keys := .Values.secrets.keys -}}
- name: DATABASE_USER
  valueFrom:
    secretKeyRef: { name: {{ .Values.secrets.name }}, key: {{ $keys.databaseUser }} }
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ .Values.secrets.name }}, key: {{ $keys.databasePassword }} }
- name: DATABASE_URL
  value: {{ printf "postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@%s:%d/%s?sslmode=%s" (required "database.host is required (the shared Postgres primary)" .Values.database.host) (.Values.database.port | int) .Values.database.name .Values.database.sslmode | quote }}
{{- end -}}

{{/* What the migration and audit Jobs need: the database, and JWT_SECRET, which production config requires. */}}
{{- define "tablestakes.jobEnv" -}}
{{ include "tablestakes.connectionEnv" . }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef: { name: {{ .Values.secrets.name }}, key: {{ .Values.secrets.keys.jwtSecret }} }
{{- end -}}

{{- define "tablestakes.serverEnv" -}}
{{- $keys := .Values.secrets.keys -}}
{{ include "tablestakes.connectionEnv" . }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ .Values.secrets.name }}, key: {{ $keys.redisPassword }} }
- name: REDIS_URL
  value: {{ printf "%s://:$(REDIS_PASSWORD)@%s:%d/%d" (ternary "rediss" "redis" .Values.redis.tls) (required "redis.host is required (the shared Redis)" .Values.redis.host) (.Values.redis.port | int) (.Values.redis.db | int) | quote }}
{{- range $name, $key := dict "JWT_SECRET" $keys.jwtSecret "MONITOR_USER" $keys.monitorUser "MONITOR_PASSWORD" $keys.monitorPassword }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef: { name: {{ $.Values.secrets.name }}, key: {{ $key }} }
{{- end }}
{{- end -}}

{{- define "tablestakes.podSecurity" -}}
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* ServiceMonitor and PrometheusRule need the Prometheus operator's CRDs; say so instead of failing at apply. */}}
{{- define "tablestakes.requirePrometheusOperator" -}}
{{- if not (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") -}}
{{- fail "metrics.serviceMonitor and metrics.prometheusRule need the Prometheus operator (monitoring.coreos.com/v1) in the cluster; install it or set metrics.serviceMonitor.enabled=false and metrics.prometheusRule.enabled=false" -}}
{{- end -}}
{{- end -}}
