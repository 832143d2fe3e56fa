package io.tcpresponder.page;

import java.util.Map;

import org.thymeleaf.ITemplateEngine;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * The lesson page where Actuator runs: on the server's port, or on {@code management.server.port} when that is set,
 * so that the page and the endpoint it reads share an origin. Its scripts and styles, uPlot's included, are served
 * under {@code /lesson/}: nothing comes from another host.
 * <p>
 * Listed in {@code META-INF/spring/...ManagementContextConfiguration.imports}, which puts it in Actuator's context,
 * of any type. It carries no {@code @ManagementContextConfiguration}: that is a {@code @Configuration}, which
 * component scanning would also put in the server's context.
 */
class LessonPageConfiguration {

	/** Before Spring MVC's static resources, which would otherwise answer {@code /} where an index exists. */
	private static final int PAGE_ORDER = 0;

	/** Where the page's own scripts and styles are served from, and the WebJars it uses below it. */
	static final String ASSETS = "/lesson/";

	@Bean
	LessonPageController lessonPageController(LessonPage page, PathMappedEndpoints endpoints,
			ITemplateEngine templates, MessageSource messages, JsonMapper json) {
		return new LessonPageController(page, endpoints.getPath(EndpointId.of(page.endpointId())), templates,
				messages, json);
	}

	@Bean
	SimpleUrlHandlerMapping lessonPageMapping(LessonPageController lessonPageController) {
		return new SimpleUrlHandlerMapping(Map.of("/", lessonPageController), PAGE_ORDER);
	}

	@Bean
	WebMvcConfigurer lessonPageAssets() {
		return new WebMvcConfigurer() {

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler(ASSETS + "webjars/**")
					.addResourceLocations("classpath:/META-INF/resources/webjars/")
					.resourceChain(true)
					.addResolver(new LiteWebJarsResourceResolver());
				registry.addResourceHandler(ASSETS + "**").addResourceLocations("classpath:/lesson/");
			}

		};
	}

}
