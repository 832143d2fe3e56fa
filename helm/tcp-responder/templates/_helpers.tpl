{{/* Chart name, overridable with nameOverride. */}}
{{- define "tcp-responder.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name, truncated to 63 characters (DNS label limit). */}}
{{- define "tcp-responder.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tcp-responder.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. */}}
{{- define "tcp-responder.labels" -}}
helm.sh/chart: {{ include "tcp-responder.chart" . }}
{{ include "tcp-responder.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels. */}}
{{- define "tcp-responder.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tcp-responder.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of the `helm test` pod: not the selector labels, so neither the Service nor the NetworkPolicy picks it. */}}
{{- define "tcp-responder.testLabels" -}}
helm.sh/chart: {{ include "tcp-responder.chart" . }}
app.kubernetes.io/name: {{ include "tcp-responder.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: helm-test
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Name of the ServiceAccount to use. */}}
{{- define "tcp-responder.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tcp-responder.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Whole seconds (rounded up) of a Spring Boot duration written as a number and a unit: ms, s, m or h.
*/}}
{{- define "tcp-responder.durationSeconds" -}}
{{- $d := toString . }}
{{- if not (regexMatch "^[0-9]+(ms|s|m|h)$" $d) }}
{{- fail (printf "duration %q must be a whole number followed by ms, s, m or h" $d) }}
{{- end }}
{{- $digits := regexFind "^[0-9]+" $d }}
{{- $n := atoi $digits }}
{{- $unit := trimPrefix $digits $d }}
{{- if eq $unit "ms" }}{{ div (add $n 999) 1000 }}
{{- else if eq $unit "s" }}{{ $n }}
{{- else if eq $unit "m" }}{{ mul $n 60 }}
{{- else }}{{ mul $n 3600 }}
{{- end }}
{{- end }}

{{/*
terminationGracePeriodSeconds: derived from responder.shutdownTimeout when unset, otherwise
validated to be longer than it, so the responder can finish its connections before SIGKILL.
*/}}
{{- define "tcp-responder.terminationGracePeriodSeconds" -}}
{{- $shutdown := include "tcp-responder.durationSeconds" .Values.responder.shutdownTimeout | atoi }}
{{- $preStop := int .Values.preStopSleepSeconds }}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- add $preStop $shutdown .Values.terminationGraceExtraSeconds }}
{{- else }}
{{- $grace := int .Values.terminationGracePeriodSeconds }}
{{- if le $grace (add $preStop $shutdown) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be longer than preStopSleepSeconds (%d) plus responder.shutdownTimeout (%s)" $grace $preStop (toString .Values.responder.shutdownTimeout)) }}
{{- end }}
{{- $grace }}
{{- end }}
{{- end }}

{{/* The Spring Boot configuration rendered into the ConfigMap's application.yml. */}}
{{- define "tcp-responder.applicationConfig" -}}
{{- $r := .Values.responder }}
{{- $responder := dict
      "port" (int $r.port)
      "backlog" (int $r.backlog)
      "reuse-address" $r.reuseAddress
      "reuse-port" $r.reusePort
      "message" $r.message
      "close-mode" $r.closeMode
      "client-close-timeout" $r.clientCloseTimeout
      "shutdown-timeout" $r.shutdownTimeout
      "write-timeout" $r.writeTimeout
      "fail-fast" $r.failFast
      "tcp" (dict "refresh-interval" $r.tcp.refreshInterval) }}
{{- with $r.bindAddress }}
{{- $_ := set $responder "bind-address" . }}
{{- end }}
{{- $_ := set $responder "security" (dict "anonymous-reads" $r.security.anonymousReads) }}
{{- $config := dict "responder" $responder "server" (dict "port" (int .Values.http.port)) }}
{{- if not .Values.actuator.writeOperations }}
{{- $_ := set $config "management" (dict "endpoints" (dict "access" (dict "max-permitted" "read-only"))) }}
{{- end }}
{{- $config = mustMergeOverwrite $config (deepCopy .Values.extraConfig) }}
{{- toYaml $config }}
{{- end }}

{{/*
Name of the Secret holding the operator credentials: credentials.existingSecret, or the chart's own when
credentials.password is set; empty when there are none.
*/}}
{{- define "tcp-responder.credentialsSecretName" -}}
{{- if .Values.credentials.existingSecret }}
{{- .Values.credentials.existingSecret }}
{{- else if .Values.credentials.password }}
{{- printf "%s-credentials" (include "tcp-responder.fullname" .) }}
{{- end }}
{{- end }}

{{/* Whether the chart creates the credentials Secret itself. */}}
{{- define "tcp-responder.createsCredentialsSecret" -}}
{{- if and (not .Values.credentials.existingSecret) .Values.credentials.password }}true{{ end }}
{{- end }}
