package io.tcpresponder.responder;

import java.net.InetAddress;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Settings of the TCP responder, validated at startup.
 *
 * @param port TCP port to listen on; 0 picks a free port, and the bound port is then reported and kept for
 * restarts.
 * @param bindAddress local address to listen on; unset means every local address, IPv4 and IPv6 alike.
 * @param backlog length of the listen (accept) queue passed to listen(2), which caps it at net.core.somaxconn. The
 * default is nginx's, Redis's and Node.js's: a queue much shorter than the clients in flight drops their SYNs,
 * and each dropped SYN costs its client a second.
 * @param reuseAddress whether the listener sets SO_REUSEADDR; it is always set explicitly, since the JDK turns it on
 * by default on Linux.
 * @param reusePort whether the listener sets SO_REUSEPORT: a restart in {@code handover} mode binds the new
 * listener beside the old one, which needs it on both.
 * @param message line written to every client before the server closes the connection, as UTF-8.
 * @param closeMode which side closes first: {@code server-first} (TIME_WAIT on the server's port, the classic
 * behaviour) or {@code client-first} (the server waits for the client to close, and TIME_WAIT lands on the client).
 * @param clientCloseTimeout in {@code client-first} mode, how long to wait for the client to close before the server
 * closes anyway.
 * @param shutdownTimeout how long connections still being written may take to finish when the responder stops,
 * before they are reset and counted failed.
 * @param writeTimeout how long writing the message may wait for a client that takes no byte of it before the
 * connection is reset and counted failed; a client that keeps reading is never cut off.
 * @param failFast whether a listener that cannot bind at startup fails the application instead of leaving the
 * responder FAILED.
 * @param transport which socket calls the responder makes: {@code native} (Linux's own, through the Foreign Function
 * and Memory API: accept4, write and close per connection, as a C server makes them), {@code nio} (the JDK's
 * channels, anywhere), or {@code auto}: native where it runs (Linux on amd64 or aarch64, with native access), else
 * nio, logging why.
 * @param tcp how the kernel's view of the port is read.
 */
@ConfigurationProperties(ResponderProperties.PREFIX)
@Validated
record ResponderProperties(
		@DefaultValue("9000") @Min(0) @Max(65535) int port,
		@LocalAddress @Nullable InetAddress bindAddress,
		@DefaultValue("511") @Min(1) @Max(65535) int backlog,
		@DefaultValue("true") boolean reuseAddress,
		@DefaultValue("false") boolean reusePort,
		@DefaultValue("I sent sth to client!\n") @NotEmpty String message,
		@DefaultValue("server-first") CloseMode closeMode,
		@DefaultValue("5s") @DurationMin(millis = 1) Duration clientCloseTimeout,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration shutdownTimeout,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration writeTimeout,
		@DefaultValue("false") boolean failFast,
		@DefaultValue("auto") TransportChoice transport,
		@DefaultValue @Valid Tcp tcp) {

	static final String PREFIX = "responder";

	/**
	 * Binds and validates the properties from the environment, before the application context exists.
	 * @param environment the environment
	 * @return the properties
	 * @throws org.springframework.boot.context.properties.bind.BindException if a value is missing its type or
	 * breaks a constraint, naming the property
	 */
	static ResponderProperties bind(Environment environment) {
		try (LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean()) {
			validator.afterPropertiesSet();
			return Binder.get(environment)
				.bindOrCreate(PREFIX, Bindable.of(ResponderProperties.class), new ValidationBindHandler(validator));
		}
	}

	/**
	 * The listener settings this configuration starts with.
	 * @return the initial listener settings
	 */
	ListenerSettings listenerSettings() {
		return new ListenerSettings(this.bindAddress, this.port, this.reuseAddress, this.reusePort, this.backlog);
	}

	/**
	 * The kernel's view of the responder's port (TCP states, accept queue), from {@code /proc/net}.
	 *
	 * @param refreshInterval how long a reading of the kernel's tables is kept: they are read at most once per
	 * interval, however many scrapes and requests ask.
	 */
	record Tcp(@DefaultValue("5s") @DurationMin(millis = 1) Duration refreshInterval) {
	}

}
