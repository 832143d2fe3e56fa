package io.tcpresponder.support;

import io.tcpresponder.TcpResponderApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/**
 * What {@link JvmProcess#application} runs: {@link TcpResponderApplication#main}, with Spring Boot's port file writer
 * so that a web server on port 0 tells its port, and, when asked, the {@link StartupGate}.
 */
public final class ApplicationMain {

	static final String PORT_FILE = "test.port-file";

	static final String HELD_IN_STARTUP = "test.held-in-startup";

	private ApplicationMain() {
	}

	public static void main(String[] args) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(TcpResponderApplication.class)
			.listeners(new WebServerPortFileWriter(System.getProperty(PORT_FILE)));
		if (Boolean.getBoolean(HELD_IN_STARTUP)) {
			application.initializers(new StartupGate());
		}
		application.run(args);
	}

}
