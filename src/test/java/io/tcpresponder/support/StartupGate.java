package io.tcpresponder.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Holds the application's startup after the responder listens and before the context's beans are made, until its
 * standard input ends: a startup exactly as long as a test needs, without a guess of how long
 * ({@link JvmLaunch#heldInStartup}). The startup thread is
 * held reading (RUNNABLE, as a thread busy making beans) rather than waiting: Spring's shutdown takes a startup thread
 * that waits for stuck, and gives up on it, which a real startup does not show.
 */
final class StartupGate implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		context.addBeanFactoryPostProcessor((beanFactory) -> {
			try {
				System.in.transferTo(java.io.OutputStream.nullOutputStream());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

}
