{{/* Chart name, overridable with nameOverride, cut to a DNS label (63 characters). */}}
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

{{/*
The full name with a suffix, e.g. (list . "headless"): the full name is cut first, so the result stays a DNS label
of at most 63 characters and never loses its suffix (two objects cannot end up with the same name).
*/}}
{{- define "tcp-responder.fullnameWith" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- printf "%s-%s" (include "tcp-responder.fullname" $root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{- define "tcp-responder.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Value of the app.kubernetes.io/version label: image.tag when it is a plain version (a valid label value) and no
image.digest is given, else the chart's appVersion. A tag such as "0.1.0@sha256:..." is not a valid label value.
*/}}
{{- define "tcp-responder.versionLabel" -}}
{{- $tag := toString .Values.image.tag }}
{{- if and $tag (not .Values.image.digest) (regexMatch "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" $tag) }}
{{- $tag }}
{{- else }}
{{- .Chart.AppVersion }}
{{- end }}
{{- end }}

{{/* Common labels. */}}
{{- define "tcp-responder.labels" -}}
helm.sh/chart: {{ include "tcp-responder.chart" . }}
{{ include "tcp-responder.selectorLabels" . }}
app.kubernetes.io/version: {{ include "tcp-responder.versionLabel" . | quote }}
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
app.kubernetes.io/name: {{ include "tcp-responder.name" . | trunc 58 | trimSuffix "-" }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: helm-test
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The image reference: [registry/]repository, then @digest when image.digest is set (it wins over the tag), else
:tag, with the chart's appVersion for an empty tag.
*/}}
{{- define "tcp-responder.image" -}}
{{- $repository := .Values.image.repository }}
{{- with .Values.image.registry }}
{{- $repository = printf "%s/%s" . $repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (toString .Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
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
      "acceptors" (int $r.acceptors)
      "reuse-address" $r.reuseAddress
      "reuse-port" $r.reusePort
      "ipv6-only" $r.ipv6Only
      "message" $r.message
      "close-mode" $r.closeMode
      "client-close-timeout" $r.clientCloseTimeout
      "shutdown-timeout" $r.shutdownTimeout
      "write-timeout" $r.writeTimeout
      "fail-fast" $r.failFast
      "retry-bind" $r.retryBind
      "tcp" (dict "refresh-interval" $r.tcp.refreshInterval) }}
{{- if and $r.bindAddress $r.bindAddresses }}
{{- fail "responder.bindAddress is deprecated for responder.bindAddresses: set one of them, not both" }}
{{- end }}
{{- with (default (compact (list $r.bindAddress)) $r.bindAddresses) }}
{{- $_ := set $responder "bind-addresses" . }}
{{- end }}
{{- $limits := dict "ipv4-prefix" (int $r.limits.ipv4Prefix) "ipv6-prefix" (int $r.limits.ipv6Prefix) }}
{{- if not (kindIs "invalid" $r.limits.maxConnections) }}
{{- $_ := set $limits "max-connections" (int $r.limits.maxConnections) }}
{{- end }}
{{- if not (kindIs "invalid" $r.limits.maxConnectionsPerClient) }}
{{- $_ := set $limits "max-connections-per-client" (int $r.limits.maxConnectionsPerClient) }}
{{- end }}
{{- $_ := set $responder "limits" $limits }}
{{- $_ := set $responder "access-log" (dict "enabled" $r.accessLog.enabled) }}
{{- $_ := set $responder "proxy-protocol" (dict "enabled" $r.proxyProtocol.enabled "trusted-proxies" $r.proxyProtocol.trustedProxies "header-timeout" $r.proxyProtocol.headerTimeout) }}
{{- $_ := set $responder "security" (dict "anonymous-reads" $r.security.anonymousReads) }}
{{- $config := dict "responder" $responder "server" (dict "port" (int .Values.http.port)) }}
{{- if not .Values.actuator.writeOperations }}
{{- $_ := set $config "management" (dict "endpoints" (dict "access" (dict "max-permitted" "read-only"))) }}
{{- end }}
{{- if ne .Values.logFormat "plain" }}
{{- $_ := set $config "logging" (dict "structured" (dict "format" (dict "console" .Values.logFormat))) }}
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
{{- include "tcp-responder.fullnameWith" (list . "credentials") }}
{{- end }}
{{- end }}

{{/* Whether the chart creates the credentials Secret itself. */}}
{{- define "tcp-responder.createsCredentialsSecret" -}}
{{- if and (not .Values.credentials.existingSecret) .Values.credentials.password }}true{{ end }}
{{- end }}

{{/*
Whether Prometheus may scrape /actuator/prometheus without credentials: annotation-based scrapers cannot send
any, so the prometheus.io annotations are rendered only then.
*/}}
{{- define "tcp-responder.anonymousScrape" -}}
{{- if .Values.responder.security.anonymousReads }}true{{ end }}
{{- end }}

{{/* Whether more than one pod may run: the anti-affinity preset applies then. */}}
{{- define "tcp-responder.severalPods" -}}
{{- if or (gt (int .Values.replicaCount) 1) (and .Values.autoscaling.enabled (gt (int .Values.autoscaling.maxReplicas) 1)) }}true{{ end }}
{{- end }}

{{/* The pod's affinity: .Values.affinity when given, else the anti-affinity preset when several pods may run. */}}
{{- define "tcp-responder.affinity" -}}
{{- if .Values.affinity }}
{{- toYaml .Values.affinity }}
{{- else if and (include "tcp-responder.severalPods" .) (eq .Values.podAntiAffinityPreset "soft") }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 1
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "tcp-responder.selectorLabels" . | nindent 12 }}
{{- else if and (include "tcp-responder.severalPods" .) (eq .Values.podAntiAffinityPreset "hard") }}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- include "tcp-responder.selectorLabels" . | nindent 10 }}
{{- end }}
{{- end }}

{{/*
Checks across values that the schema cannot express; each failure names the values and says what to change.
*/}}
{{- define "tcp-responder.validateValues" -}}
{{- if eq (int .Values.responder.port) (int .Values.http.port) }}
{{- fail (printf "responder.port and http.port must differ: both are %d" (int .Values.http.port)) }}
{{- end }}
{{- if eq (int .Values.service.tcpPort) (int .Values.service.httpPort) }}
{{- fail (printf "service.tcpPort and service.httpPort must differ: both are %d" (int .Values.service.httpPort)) }}
{{- end }}
{{- with .Values.service.nodePorts }}
{{- if and .tcp .http (eq (int .tcp) (int .http)) }}
{{- fail (printf "service.nodePorts.tcp and service.nodePorts.http must differ: both are %d" (int .http)) }}
{{- end }}
{{- end }}
{{- if and (eq .Values.service.ipFamilyPolicy "SingleStack") (gt (len .Values.service.ipFamilies) 1) }}
{{- fail "service.ipFamilies may name one family only when service.ipFamilyPolicy is SingleStack" }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- if not (dig "requests" "cpu" "" .Values.resources) }}
{{- fail "autoscaling.enabled needs resources.requests.cpu: the HorizontalPodAutoscaler scales on CPU use as a share of the request" }}
{{- end }}
{{- end }}
{{- range .Values.extraVolumes }}
{{- if has .name (list "config" "tmp") }}
{{- fail (printf "extraVolumes: the volume name %q is the chart's own; choose another" .name) }}
{{- end }}
{{- end }}
{{- range .Values.extraVolumeMounts }}
{{- if has (clean .mountPath) (list "/config" "/tmp") }}
{{- fail (printf "extraVolumeMounts: %s is the chart's own mount; choose another path" .mountPath) }}
{{- end }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if and (has .name (list "SPRING_SECURITY_USER_NAME" "SPRING_SECURITY_USER_PASSWORD")) (hasKey . "value") }}
{{- fail (printf "extraEnv must not give %s as a plain value: use credentials.password or credentials.existingSecret" .name) }}
{{- end }}
{{- end }}
{{- if and .Values.serviceMonitor.enabled (not (include "tcp-responder.anonymousScrape" .)) }}
{{- if not (include "tcp-responder.credentialsSecretName" .) }}
{{- fail "serviceMonitor.enabled with responder.security.anonymousReads false needs the operator credentials to scrape: set credentials.existingSecret or credentials.password" }}
{{- end }}
{{- if and .Values.serviceMonitor.namespace (ne .Values.serviceMonitor.namespace .Release.Namespace) }}
{{- fail (printf "serviceMonitor.namespace (%s) must be the release namespace (%s) when reads need credentials: Prometheus Operator reads the basicAuth Secret from the ServiceMonitor's namespace" .Values.serviceMonitor.namespace .Release.Namespace) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
PromQL label matchers that select this release's series: prometheusRule.selector, or the job and namespace labels
that Prometheus Operator gives the targets of the chart's ServiceMonitor (job is the Service's name).
*/}}
{{- define "tcp-responder.ruleSelector" -}}
{{- .Values.prometheusRule.selector | default (printf "job=%q, namespace=%q" (include "tcp-responder.fullname" .) .Release.Namespace) }}
{{- end }}
