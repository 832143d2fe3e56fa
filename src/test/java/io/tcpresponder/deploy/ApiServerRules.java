package io.tcpresponder.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * The API server's validation rules that a typed model does not carry: the syntax of names, labels, port names,
 * quantities and durations, and the references between objects (selectors that match the pods, ports that exist),
 * as Kubernetes' apimachinery and the Prometheus Operator's CRDs state them.
 *
 * <p>
 * Written here because no library on Maven Central carries them: apimachinery's rules are Go code, not part of the
 * API's OpenAPI schema, so a JSON Schema validator over that schema (networknt's, say) would pass a name such as
 * {@code My_Service}; fabric8's model, which {@link KubernetesModel} reads the objects into, checks their structure and
 * types only.
 */
final class ApiServerRules {

	private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

	private static final Pattern DNS1123_LABEL = Pattern.compile(DNS_LABEL);

	private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

	private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS_LABEL + "(\\." + DNS_LABEL + ")*");

	private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

	private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

	private static final Pattern IANA_SERVICE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

	private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

	private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

	/** A quantity as resource.ParseQuantity accepts it: a number, then a binary or decimal suffix or an exponent. */
	private static final Pattern QUANTITY = Pattern
		.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][-+]?[0-9]+)?");

	private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

	/** The Prometheus Operator's Duration. */
	private static final Pattern DURATION = Pattern
		.compile("0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?");

	private static final Pattern PROMETHEUS_LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	private final List<String> violations = new ArrayList<>();

	private final List<HasMetadata> objects;

	private ApiServerRules(List<HasMetadata> objects) {
		this.objects = objects;
	}

	/**
	 * What the API server (or the Prometheus Operator, for its kinds) would refuse in these objects, or what would
	 * not work between them.
	 * @param objects the objects of one release
	 * @return one message per violation, empty when there is none
	 */
	static List<String> violations(List<HasMetadata> objects) {
		ApiServerRules rules = new ApiServerRules(objects);
		rules.check();
		return rules.violations;
	}

	private void check() {
		for (HasMetadata object : this.objects) {
			String where = object.getKind() + " " + object.getMetadata().getName();
			metadata(where, object);
			walk(where, object, this::quantityOrSelector);
			switch (object) {
				case Deployment deployment -> deployment(where, deployment);
				case Pod pod -> pod(where, pod);
				case Service service -> service(where, service);
				case ConfigMap configMap -> dataKeys(where, configMap.getData(), configMap.getBinaryData());
				case Secret secret -> secret(where, secret);
				case PodDisruptionBudget budget -> podDisruptionBudget(where, budget);
				case NetworkPolicy policy -> networkPolicy(where, policy);
				case HorizontalPodAutoscaler autoscaler -> autoscaler(where, autoscaler);
				case ServiceMonitor monitor -> serviceMonitor(where, monitor);
				case PrometheusRule rule -> prometheusRule(where, rule);
				default -> {
				}
			}
		}
	}

	private void metadata(String where, HasMetadata object) {
		ObjectMeta metadata = object.getMetadata();
		// Every name the chart makes is a DNS label, as Helm's helpers make them; a Service's must start with a letter.
		name(where, "metadata.name", metadata.getName(), (object instanceof Service) ? DNS1035_LABEL : DNS1123_LABEL);
		name(where, "metadata.namespace", metadata.getNamespace(), DNS1123_LABEL);
		labels(where + " metadata.labels", metadata.getLabels());
		if (metadata.getAnnotations() != null) {
			metadata.getAnnotations().keySet().forEach((key) -> qualifiedName(where + " metadata.annotations", key));
			long size = metadata.getAnnotations()
				.entrySet()
				.stream()
				.mapToLong((entry) -> entry.getKey().length() + entry.getValue().length())
				.sum();
			require(size <= 256 * 1024, where, "metadata.annotations total more than 256 KiB");
		}
	}

	private void deployment(String where, Deployment deployment) {
		Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
		labels(where + " spec.template.metadata.labels", podLabels);
		require(matches(deployment.getSpec().getSelector(), podLabels), where,
				"spec.selector does not match the pod template's labels " + podLabels);
		podSpec(where + " spec.template.spec", deployment.getSpec().getTemplate().getSpec());
		DeploymentStrategy strategy = deployment.getSpec().getStrategy();
		if (strategy != null && strategy.getRollingUpdate() != null) {
			require("RollingUpdate".equals(strategy.getType()), where,
					"spec.strategy.rollingUpdate is allowed only with type RollingUpdate");
			IntOrString surge = strategy.getRollingUpdate().getMaxSurge();
			IntOrString unavailable = strategy.getRollingUpdate().getMaxUnavailable();
			intOrPercent(where, "spec.strategy.rollingUpdate.maxSurge", surge);
			intOrPercent(where, "spec.strategy.rollingUpdate.maxUnavailable", unavailable);
			require(!(isZero(surge) && isZero(unavailable)), where,
					"spec.strategy.rollingUpdate: maxSurge and maxUnavailable may not both be 0");
		}
	}

	private void pod(String where, Pod pod) {
		podSpec(where + " spec", pod.getSpec());
		Map<String, String> labels = (pod.getMetadata().getLabels() != null) ? pod.getMetadata().getLabels() : Map.of();
		for (Service service : ofType(Service.class)) {
			Map<String, String> selector = service.getSpec().getSelector();
			require(selector == null || !labels.entrySet().containsAll(selector.entrySet()), where,
					"is selected by Service " + service.getMetadata().getName());
		}
	}

	private void podSpec(String where, PodSpec spec) {
		Set<String> containerNames = new HashSet<>();
		List<Container> containers = new ArrayList<>(spec.getContainers());
		if (spec.getInitContainers() != null) {
			containers.addAll(spec.getInitContainers());
		}
		Set<String> volumes = new HashSet<>();
		for (Volume volume : (spec.getVolumes() != null) ? spec.getVolumes() : List.<Volume>of()) {
			name(where, "volumes[].name", volume.getName(), DNS1123_LABEL);
			require(volumes.add(volume.getName()), where, "volume " + volume.getName() + " is declared twice");
		}
		name(where, "priorityClassName", spec.getPriorityClassName(), DNS1123_SUBDOMAIN);
		name(where, "serviceAccountName", spec.getServiceAccountName(), DNS1123_SUBDOMAIN);
		for (Container container : containers) {
			String at = where + " container " + container.getName();
			name(at, "name", container.getName(), DNS1123_LABEL);
			require(containerNames.add(container.getName()), where, "container " + container.getName() + " twice");
			require(container.getImage() != null && !container.getImage().isBlank(), at, "has no image");
			Set<String> portNames = new HashSet<>();
			for (ContainerPort port : (container.getPorts() != null) ? container.getPorts() : List.<ContainerPort>of()) {
				portName(at, port.getName());
				require(port.getName() == null || portNames.add(port.getName()), at, "port " + port.getName() + " twice");
				require(port.getContainerPort() != null && port.getContainerPort() >= 1
						&& port.getContainerPort() <= 65535, at, "containerPort " + port.getContainerPort());
			}
			long distinctNumbers = (container.getPorts() != null)
					? container.getPorts().stream().map(ContainerPort::getContainerPort).distinct().count() : 0;
			require(container.getPorts() == null || distinctNumbers == container.getPorts().size(), at,
					"two ports with one number");
			for (EnvVar variable : (container.getEnv() != null) ? container.getEnv() : List.<EnvVar>of()) {
				require(variable.getName() != null && ENV_VAR_NAME.matcher(variable.getName()).matches(), at,
						"environment variable name " + variable.getName());
				require(variable.getValue() == null || variable.getValueFrom() == null, at,
						variable.getName() + " has both value and valueFrom");
			}
			Set<String> mountPaths = new HashSet<>();
			for (VolumeMount mount : (container.getVolumeMounts() != null) ? container.getVolumeMounts()
					: List.<VolumeMount>of()) {
				require(volumes.contains(mount.getName()), at, "mounts volume " + mount.getName() + ", not in volumes");
				require(mountPaths.add(mount.getMountPath()), at, "mountPath " + mount.getMountPath() + " twice");
			}
			for (Probe probe : new Probe[] { container.getStartupProbe(), container.getLivenessProbe(),
					container.getReadinessProbe() }) {
				if (probe != null && probe.getHttpGet() != null && probe.getHttpGet().getPort().getStrVal() != null) {
					require(portNames.contains(probe.getHttpGet().getPort().getStrVal()), at,
							"probe on port " + probe.getHttpGet().getPort().getStrVal() + ", which it does not name");
				}
			}
			if (container.getResources() != null && container.getResources().getLimits() != null
					&& container.getResources().getRequests() != null) {
				container.getResources().getRequests().forEach((resource, request) -> {
					Quantity limit = container.getResources().getLimits().get(resource);
					require(limit == null || !QUANTITY.matcher(request.toString()).matches()
							|| !QUANTITY.matcher(limit.toString()).matches()
							|| Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) <= 0,
							at, "requests more " + resource + " than its limit");
				});
			}
		}
	}

	private void service(String where, Service service) {
		String type = service.getSpec().getType();
		boolean external = "NodePort".equals(type) || "LoadBalancer".equals(type);
		Set<String> names = new HashSet<>();
		Set<Integer> numbers = new HashSet<>();
		Set<String> targetPorts = podPortNames();
		for (ServicePort port : service.getSpec().getPorts()) {
			name(where, "spec.ports[].name", port.getName(), DNS1123_LABEL);
			require(names.add(port.getName()), where, "port name " + port.getName() + " twice");
			require(numbers.add(port.getPort()), where, "port " + port.getPort() + " twice");
			require(port.getPort() >= 1 && port.getPort() <= 65535, where, "port " + port.getPort());
			if (port.getTargetPort() != null && port.getTargetPort().getStrVal() != null) {
				portName(where + " targetPort", port.getTargetPort().getStrVal());
				require(targetPorts.isEmpty() || targetPorts.contains(port.getTargetPort().getStrVal()), where,
						"targetPort " + port.getTargetPort().getStrVal() + " is no port name of the pods");
			}
			require(port.getNodePort() == null || external, where, "nodePort on a Service of type " + type);
		}
		long nodePorts = service.getSpec().getPorts().stream().map(ServicePort::getNodePort).filter(Objects::nonNull).count();
		long distinctNodePorts = service.getSpec()
			.getPorts()
			.stream()
			.map(ServicePort::getNodePort)
			.filter(Objects::nonNull)
			.distinct()
			.count();
		require(nodePorts == distinctNodePorts, where, "one nodePort twice");
		require(service.getSpec().getExternalTrafficPolicy() == null || external, where,
				"externalTrafficPolicy on a Service of type " + type);
		require(service.getSpec().getLoadBalancerClass() == null || "LoadBalancer".equals(type), where,
				"loadBalancerClass on a Service of type " + type);
		require(service.getSpec().getLoadBalancerSourceRanges() == null
				|| service.getSpec().getLoadBalancerSourceRanges().isEmpty() || "LoadBalancer".equals(type), where,
				"loadBalancerSourceRanges on a Service of type " + type);
		List<String> families = service.getSpec().getIpFamilies();
		require(families == null || families.size() <= 1 || !"SingleStack".equals(service.getSpec().getIpFamilyPolicy()),
				where, "two ipFamilies with ipFamilyPolicy SingleStack");
		if (service.getSpec().getSelector() != null) {
			labels(where + " spec.selector", service.getSpec().getSelector());
			for (Map<String, String> podLabels : podLabels()) {
				require(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), where,
						"spec.selector " + service.getSpec().getSelector() + " does not select the pods " + podLabels);
			}
		}
	}

	private void secret(String where, Secret secret) {
		dataKeys(where, secret.getData(), secret.getStringData());
		if (secret.getData() != null) {
			secret.getData().forEach((key, value) -> {
				try {
					Base64.getDecoder().decode(value);
				}
				catch (IllegalArgumentException ex) {
					this.violations.add(where + ": data." + key + " is not base64");
				}
			});
		}
	}

	private void podDisruptionBudget(String where, PodDisruptionBudget budget) {
		intOrPercent(where, "spec.maxUnavailable", budget.getSpec().getMaxUnavailable());
		intOrPercent(where, "spec.minAvailable", budget.getSpec().getMinAvailable());
		require(budget.getSpec().getMaxUnavailable() == null || budget.getSpec().getMinAvailable() == null, where,
				"both minAvailable and maxUnavailable");
		selectsThePods(where, "spec.selector", budget.getSpec().getSelector());
	}

	private void networkPolicy(String where, NetworkPolicy policy) {
		selectsThePods(where, "spec.podSelector", policy.getSpec().getPodSelector());
		Set<String> portNames = podPortNames();
		for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
			for (NetworkPolicyPort port : (rule.getPorts() != null) ? rule.getPorts() : List.<NetworkPolicyPort>of()) {
				if (port.getPort() != null && port.getPort().getStrVal() != null) {
					require(portNames.contains(port.getPort().getStrVal()), where,
							"ingress port " + port.getPort().getStrVal() + " is no port name of the pods");
				}
			}
		}
	}

	private void autoscaler(String where, HorizontalPodAutoscaler autoscaler) {
		var target = autoscaler.getSpec().getScaleTargetRef();
		require(ofType(Deployment.class).stream()
			.anyMatch((deployment) -> "Deployment".equals(target.getKind()) && "apps/v1".equals(target.getApiVersion())
					&& deployment.getMetadata().getName().equals(target.getName())), where,
				"spec.scaleTargetRef names no Deployment of the release");
		Integer min = autoscaler.getSpec().getMinReplicas();
		require(min == null || (min >= 1 && min <= autoscaler.getSpec().getMaxReplicas()), where,
				"minReplicas " + min + " against maxReplicas " + autoscaler.getSpec().getMaxReplicas());
		for (Deployment deployment : ofType(Deployment.class)) {
			require(deployment.getSpec().getReplicas() == null, where,
					"the Deployment sets replicas too, so each upgrade resets what the autoscaler chose");
			boolean cpuMetric = autoscaler.getSpec()
				.getMetrics()
				.stream()
				.anyMatch((metric) -> metric.getResource() != null && "cpu".equals(metric.getResource().getName()));
			require(!cpuMetric || deployment.getSpec()
				.getTemplate()
				.getSpec()
				.getContainers()
				.stream()
				.allMatch((container) -> container.getResources() != null && container.getResources().getRequests() != null
						&& container.getResources().getRequests().containsKey("cpu")), where,
					"scales on CPU utilization, but a container requests no cpu");
		}
	}

	private void serviceMonitor(String where, ServiceMonitor monitor) {
		List<Service> selected = ofType(Service.class).stream()
			.filter((service) -> matches(monitor.getSpec().getSelector(), service.getMetadata().getLabels()))
			.toList();
		require(selected.size() == 1, where, "spec.selector selects " + selected.size()
				+ " Services, so each pod is scraped that many times");
		List<String> namespaces = monitor.getSpec().getNamespaceSelector().getMatchNames();
		for (Service service : selected) {
			require(namespaces.contains(service.getMetadata().getNamespace()), where,
					"spec.namespaceSelector leaves out the Service's namespace");
			for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
				require(service.getSpec().getPorts().stream().anyMatch((port) -> port.getName().equals(endpoint.getPort())),
						where, "endpoint port " + endpoint.getPort() + " is no port of Service "
								+ service.getMetadata().getName());
			}
		}
		for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
			duration(where, "interval", endpoint.getInterval());
			duration(where, "scrapeTimeout", endpoint.getScrapeTimeout());
			require(endpoint.getScheme() == null || List.of("http", "https", "HTTP", "HTTPS").contains(endpoint.getScheme()),
					where, "scheme " + endpoint.getScheme());
			if (endpoint.getBasicAuth() != null) {
				require(monitor.getMetadata().getNamespace().equals(selected.isEmpty() ? null
						: selected.get(0).getMetadata().getNamespace()), where,
						"basicAuth Secrets are read from the ServiceMonitor's namespace, not the Service's");
			}
		}
	}

	private void prometheusRule(String where, PrometheusRule rule) {
		Set<String> groups = new HashSet<>();
		for (RuleGroup group : rule.getSpec().getGroups()) {
			require(group.getName() != null && !group.getName().isEmpty() && groups.add(group.getName()), where,
					"group name " + group.getName());
			require(!group.getRules().isEmpty(), where, "group " + group.getName() + " has no rules");
			for (Rule ruleItem : group.getRules()) {
				require((ruleItem.getAlert() == null) != (ruleItem.getRecord() == null), where,
						"a rule needs exactly one of alert and record: " + ruleItem);
				require(ruleItem.getExpr() != null && !ruleItem.getExpr().toString().isBlank(), where,
						"rule without expr");
				duration(where, "for", ruleItem.getFor());
				if (ruleItem.getLabels() != null) {
					ruleItem.getLabels()
						.keySet()
						.forEach((label) -> require(PROMETHEUS_LABEL_NAME.matcher(label).matches(), where,
								"rule label name " + label));
				}
			}
		}
	}

	/** Quantities and label selectors anywhere in an object, the user's own parts included. */
	private void quantityOrSelector(String where, Object value) {
		if (value instanceof Quantity quantity) {
			require(QUANTITY.matcher(quantity.toString()).matches(), where, "quantity \"" + quantity + "\"");
		}
		else if (value instanceof LabelSelector selector) {
			labels(where + " matchLabels", selector.getMatchLabels());
			for (LabelSelectorRequirement requirement : (selector.getMatchExpressions() != null)
					? selector.getMatchExpressions() : List.<LabelSelectorRequirement>of()) {
				qualifiedName(where + " matchExpressions", requirement.getKey());
				boolean setOperator = List.of("In", "NotIn").contains(requirement.getOperator());
				require(setOperator || List.of("Exists", "DoesNotExist").contains(requirement.getOperator()), where,
						"operator " + requirement.getOperator());
				require(setOperator == (requirement.getValues() != null && !requirement.getValues().isEmpty()), where,
						"values must be given with In and NotIn only");
			}
		}
	}

	private void selectsThePods(String where, String field, LabelSelector selector) {
		for (Map<String, String> podLabels : podLabels()) {
			require(matches(selector, podLabels), where, field + " does not select the pods " + podLabels);
		}
	}

	private List<Map<String, String>> podLabels() {
		return ofType(Deployment.class).stream()
			.map((deployment) -> deployment.getSpec().getTemplate().getMetadata().getLabels())
			.toList();
	}

	private Set<String> podPortNames() {
		Set<String> names = new HashSet<>();
		for (Deployment deployment : ofType(Deployment.class)) {
			for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
				if (container.getPorts() != null) {
					container.getPorts().forEach((port) -> names.add(port.getName()));
				}
			}
		}
		return names;
	}

	private <T> List<T> ofType(Class<T> type) {
		return this.objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	/**
	 * Whether a label selector selects an object with these labels.
	 * @param selector the selector
	 * @param labels the object's labels
	 * @return whether it matches
	 */
	static boolean matches(LabelSelector selector, Map<String, String> labels) {
		if (selector == null) {
			return false;
		}
		Map<String, String> present = (labels != null) ? labels : Map.of();
		if (selector.getMatchLabels() != null && !present.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
			return false;
		}
		for (LabelSelectorRequirement requirement : (selector.getMatchExpressions() != null)
				? selector.getMatchExpressions() : List.<LabelSelectorRequirement>of()) {
			String value = present.get(requirement.getKey());
			boolean holds = switch (requirement.getOperator()) {
				case "In" -> value != null && requirement.getValues().contains(value);
				case "NotIn" -> value == null || !requirement.getValues().contains(value);
				case "Exists" -> value != null;
				case "DoesNotExist" -> value == null;
				default -> false;
			};
			if (!holds) {
				return false;
			}
		}
		return true;
	}

	private void labels(String where, Map<String, String> labels) {
		if (labels == null) {
			return;
		}
		labels.forEach((key, value) -> {
			qualifiedName(where, key);
			require(value.length() <= 63 && LABEL_VALUE.matcher(value).matches(), where,
					"label value \"" + value + "\" of " + key + " (" + value.length()
							+ " characters; at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric)");
		});
	}

	private void qualifiedName(String where, String key) {
		int slash = key.indexOf('/');
		String prefix = (slash >= 0) ? key.substring(0, slash) : null;
		String name = (slash >= 0) ? key.substring(slash + 1) : key;
		require(prefix == null || (prefix.length() <= 253 && DNS1123_SUBDOMAIN.matcher(prefix).matches()), where,
				"key prefix of " + key);
		require(name.length() <= 63 && QUALIFIED_NAME.matcher(name).matches(), where, "key " + key);
	}

	private void name(String where, String field, String name, Pattern pattern) {
		if (name == null) {
			return;
		}
		int limit = (pattern == DNS1123_SUBDOMAIN) ? 253 : 63;
		require(name.length() <= limit && pattern.matcher(name).matches(), where,
				field + " \"" + name + "\" (" + name.length() + " characters) is not a valid name");
	}

	/** An IANA_SVC_NAME: at most 15 characters, a letter among them, no "--". */
	private void portName(String where, String name) {
		if (name == null) {
			return;
		}
		require(name.length() <= 15 && IANA_SERVICE_NAME.matcher(name).matches() && name.matches(".*[a-z].*")
				&& !name.contains("--"), where, "port name \"" + name + "\"");
	}

	private void intOrPercent(String where, String field, IntOrString value) {
		if (value == null) {
			return;
		}
		require((value.getIntVal() != null && value.getIntVal() >= 0)
				|| (value.getStrVal() != null && PERCENT.matcher(value.getStrVal()).matches()), where,
				field + " " + value + " is neither a whole number nor a percentage");
	}

	private void duration(String where, String field, String value) {
		require(value == null || (!value.isEmpty() && DURATION.matcher(value).matches()), where,
				field + " \"" + value + "\" is no duration");
	}

	private void dataKeys(String where, Map<String, String> data, Map<String, String> other) {
		for (Map<String, String> map : new Map[] { data, other }) {
			if (map != null) {
				map.keySet()
					.forEach((key) -> require(key.length() <= 253 && DATA_KEY.matcher(key).matches(), where,
							"data key " + key));
			}
		}
	}

	private static boolean isZero(IntOrString value) {
		return value != null && ((value.getIntVal() != null && value.getIntVal() == 0) || "0%".equals(value.getStrVal()));
	}

	private void require(boolean condition, String where, String message) {
		if (!condition) {
			this.violations.add(where + ": " + message);
		}
	}

	/**
	 * Calls the visitor with every value reachable through the fields of fabric8's types.
	 */
	private static void walk(String where, Object value, BiConsumer<String, Object> visitor) {
		if (value == null) {
			return;
		}
		visitor.accept(where, value);
		if (value instanceof List<?> list) {
			list.forEach((item) -> walk(where, item, visitor));
		}
		else if (value instanceof Map<?, ?> map) {
			map.values().forEach((item) -> walk(where, item, visitor));
		}
		else if (value.getClass().getName().startsWith("io.fabric8.") && !(value instanceof Quantity)
				&& !(value instanceof IntOrString)) {
			for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					if (Modifier.isStatic(field.getModifiers()) || field.getName().equals("additionalProperties")) {
						continue;
					}
					try {
						field.setAccessible(true);
						walk(where, field.get(value), visitor);
					}
					catch (IllegalAccessException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
		}
	}

}
