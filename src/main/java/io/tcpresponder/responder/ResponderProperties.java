package io.tcpresponder.responder;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.UniqueElements;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Settings of the TCP responder, validated at startup.
 *
 * @param port TCP port to listen on; 0 picks a free port, and the bound port is then reported and kept for
 * restarts.
 * @param bindAddress local address to listen on; deprecated: a one-element bind-addresses, which it stands
 * for, and may not be set with it.
 * @param bindAddresses local addresses to listen on, IPv4 and IPv6 literals, one listener each, all on the same port
 * with the same options; empty means every local address, IPv4 and IPv6 alike.
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
		@DefaultValue @Size(max = MAX_BIND_ADDRESSES) @UniqueElements List<@LocalAddress InetAddress> bindAddresses,
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

	/** Far more addresses than a host serves one port on; a bound on listener threads and metric rows. */
	static final int MAX_BIND_ADDRESSES = 16;

	/**
	 * The single address of earlier versions.
	 * @return the address, or {@code null}
	 * @deprecated a one-element {@code responder.bind-addresses}
	 */
	@Deprecated
	@DeprecatedConfigurationProperty(replacement = "responder.bind-addresses",
			reason = "One listener per address: a list of one address does the same")
	public @Nullable InetAddress bindAddress() {
		return this.bindAddress;
	}

	/**
	 * Binds and validates the properties from the environment, before the application context exists.
	 * @param environment the environment
	 * @return the properties
	 * @throws org.springframework.boot.context.properties.bind.BindException if a value is missing its type or
	 * breaks a constraint, naming the property
	 * @throws MutuallyExclusiveConfigurationPropertiesException if both {@code bind-address} and
	 * {@code bind-addresses} are set
	 */
	static ResponderProperties bind(Environment environment) {
		try (LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean()) {
			validator.afterPropertiesSet();
			Binder binder = new Binder(ConfigurationPropertySources.get(environment),
					new PropertySourcesPlaceholdersResolver(environment), literalAddresses());
			ResponderProperties properties = binder.bindOrCreate(PREFIX, Bindable.of(ResponderProperties.class),
					new ValidationBindHandler(validator));
			MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
				entries.put(PREFIX + ".bind-address", properties.bindAddress);
				entries.put(PREFIX + ".bind-addresses",
						properties.bindAddresses.isEmpty() ? null : properties.bindAddresses);
			});
			return properties;
		}
	}

	/**
	 * The application's conversions, but for addresses: only IP literals, so that no name is looked up (and none
	 * resolves to another address later).
	 */
	private static ConversionService literalAddresses() {
		ApplicationConversionService conversions = new ApplicationConversionService();
		conversions.addConverter(String.class, InetAddress.class, (text) -> InetAddress.ofLiteral(text.strip()));
		return conversions;
	}

	/**
	 * The listener settings this configuration starts with.
	 * @return the initial listener settings
	 */
	ListenerSettings listenerSettings() {
		List<InetAddress> addresses = (this.bindAddress != null) ? List.of(this.bindAddress) : this.bindAddresses;
		return new ListenerSettings(addresses, this.port, this.reuseAddress, this.reusePort, this.backlog);
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
