{{- define "tablestakes.fullname" -}}
{{- printf "%s-%s" .Release.Name .Values.region | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "tablestakes.labels" -}}
app.kubernetes.io/name: tablestakes
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
tablestakes/region: {{ .Values.region }}
{{- end -}}

{{- define "tablestakes.selector" -}}
app.kubernetes.io/name: tablestakes
app.kubernetes.io/instance: {{ .Release.Name }}
tablestakes/region: {{ .Values.region }}
{{- end -}}

{{- define "tablestakes.secretEnv" -}}
{{- range $name := list "DATABASE_URL" "REDIS_URL" "JWT_SECRET" "MONITOR_USER" "MONITOR_PASSWORD" }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.existingSecret }}
      key: {{ $name }}
{{- end }}
{{- end -}}
