package io.tcpresponder.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads rendered manifests into fabric8's Kubernetes model as strictly as the API server decodes them: a field the
 * type does not have fails (fabric8's types would otherwise keep it in their additional properties), a scalar of the
 * wrong kind fails (no "8080" for a port, no 1 for a string), and a key given twice in one mapping fails.
 */
final class KubernetesModel {

	/** The kinds the chart renders, by apiVersion and kind. */
	private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
			Map.entry("v1/ServiceAccount", ServiceAccount.class), Map.entry("v1/ConfigMap", ConfigMap.class),
			Map.entry("v1/Secret", Secret.class), Map.entry("v1/Service", Service.class),
			Map.entry("v1/Pod", Pod.class), Map.entry("apps/v1/Deployment", Deployment.class),
			Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
			Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
			Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
			Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
			Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

	private static final ObjectMapper mapper = strictMapper();

	private KubernetesModel() {
	}

	/**
	 * Every document of a multi-document YAML text as its Kubernetes type.
	 * @param manifests the manifests, as {@code helm template} prints them
	 * @return the objects
	 * @throws IllegalArgumentException naming the document and the field that the API server would refuse
	 */
	@SuppressWarnings("unchecked")
	static List<HasMetadata> read(String manifests) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		List<HasMetadata> objects = new ArrayList<>();
		for (Object document : new Yaml(options).loadAll(manifests)) {
			if (document != null) {
				objects.add(read((Map<String, Object>) document));
			}
		}
		return objects;
	}

	static HasMetadata read(Map<String, Object> document) {
		String type = document.get("apiVersion") + "/" + document.get("kind");
		Class<? extends HasMetadata> javaType = TYPES.get(type);
		if (javaType == null) {
			throw new IllegalArgumentException("no Kubernetes type known for " + type);
		}
		try {
			return mapper.convertValue(document, javaType);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(type + " " + Repository.at(document, "metadata.name") + ": "
					+ ex.getMessage(), ex);
		}
	}

	private static ObjectMapper strictMapper() {
		JsonMapper mapper = JsonMapper.builder()
			.annotationIntrospector(new WithoutAdditionalProperties())
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.build();
		// Go's JSON decoding puts no number or boolean into a string field.
		for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
				CoercionInputShape.Boolean)) {
			mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
		}
		return mapper;
	}

	/**
	 * fabric8's types take fields they do not know into {@code additionalProperties} through {@code @JsonAnySetter}:
	 * without it, {@code FAIL_ON_UNKNOWN_PROPERTIES} refuses them, as the API server's strict decoding does.
	 */
	private static final class WithoutAdditionalProperties extends JacksonAnnotationIntrospector {

		@Override
		public Boolean hasAnySetter(Annotated annotated) {
			return null;
		}

	}

}
