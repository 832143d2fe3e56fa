package io.tcpresponder.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.AbstractController;

/**
 * {@code GET /} of the management server: the lesson page, in the reader's language ({@link PageLanguage}). It is
 * rendered with the language chosen here rather than by a {@code LocaleResolver}, so that the page's switch needs
 * neither a session nor a cookie and nothing else in the service changes language with it. A plain
 * {@link AbstractController} mapped by {@link LessonPageConfiguration}, not a {@code @Controller}, which component
 * scanning would also put on the server's port when Actuator has a port of its own.
 */
class LessonPageController extends AbstractController {

	/** The texts that the page's script writes, by key: every key of the bundle under this prefix. */
	static final String SCRIPT_TEXTS = "script.";

	/** The page's language switch. */
	static final String LANG = "lang";

	private static final String TEMPLATE = "lesson";

	private final LessonPage page;

	private final @Nullable String endpointPath;

	private final ITemplateEngine templates;

	private final MessageSource messages;

	private final JsonMapper json;

	private final List<String> scriptTextKeys;

	/** The script's texts by language, made at the first page in it: the bundles do not change. */
	private final Map<Locale, String> scriptTexts = new ConcurrentHashMap<>();

	/**
	 * @param endpointPath the endpoint's path, {@code null} where it is not exposed over HTTP: the page then says so
	 * with a 404 rather than the service refusing to start for want of it
	 */
	LessonPageController(LessonPage page, @Nullable String endpointPath, ITemplateEngine templates,
			MessageSource messages, JsonMapper json) {
		super(false);
		setSupportedMethods(HttpMethod.GET.name(), HttpMethod.HEAD.name());
		this.page = page;
		this.endpointPath = endpointPath;
		this.templates = templates;
		this.messages = messages;
		this.json = json;
		this.scriptTextKeys = scriptTextKeys();
	}

	@Override
	protected @Nullable ModelAndView handleRequestInternal(HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (this.endpointPath == null) {
			response.sendError(HttpStatus.NOT_FOUND.value(), "The lesson page shows the " + this.page.endpointId()
					+ " endpoint, which is not exposed over HTTP here (management.endpoints.web.exposure.include)");
			return null;
		}
		Locale locale = PageLanguage.of(request.getParameter(LANG), request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("lang", locale.toLanguageTag());
		model.put("endpoint", this.endpointPath);
		model.put("refreshMillis", this.page.refreshInterval().toMillis());
		model.put("fields", this.page.restartFields());
		model.put("modes", this.page.restartModes());
		model.put("languages", PageLanguage.WRITTEN_IN.stream()
			.map((language) -> new Language(language.toLanguageTag(),
					this.messages.getMessage("language.name", null, language), language.equals(locale)))
			.toList());
		model.put("texts", this.scriptTexts.computeIfAbsent(locale, this::scriptTexts));
		WebContext context = new WebContext(
				JakartaServletWebApplication.buildApplication(request.getServletContext())
					.buildExchange(request, response),
				locale, model);
		String html = this.templates.process(TEMPLATE, context);
		response.setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8).toString());
		response.setHeader(HttpHeaders.CONTENT_LANGUAGE, locale.toLanguageTag());
		response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
		response.getWriter().write(html);
		return null;
	}

	/**
	 * The script's texts as a JSON object for a {@code <script type="application/json">} element, which the
	 * Content-Security-Policy allows as it runs nothing; {@code </} is escaped so that no text can end the element.
	 */
	private String scriptTexts(Locale locale) {
		Map<String, String> texts = new LinkedHashMap<>();
		for (String key : this.scriptTextKeys) {
			texts.put(key.substring(SCRIPT_TEXTS.length()), this.messages.getMessage(key, null, locale));
		}
		return this.json.writeValueAsString(texts).replace("</", "<\\/");
	}

	private static List<String> scriptTextKeys() {
		try {
			Properties base = PropertiesLoaderUtils.loadProperties(new ClassPathResource("messages.properties"));
			return base.stringPropertyNames().stream().filter((key) -> key.startsWith(SCRIPT_TEXTS)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The lesson page's texts (messages.properties) cannot be read", ex);
		}
	}

	/**
	 * One language of the page's switch.
	 *
	 * @param tag its language tag, the switch's {@code lang}
	 * @param name its name in itself
	 * @param current whether the page is in it
	 */
	record Language(String tag, String name, boolean current) {
	}

}
