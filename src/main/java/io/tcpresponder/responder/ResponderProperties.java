package io.tcpresponder.responder;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import io.tcpresponder.responder.connection.CloseMode;
import io.tcpresponder.responder.limit.ConnectionLimits;
import io.tcpresponder.responder.proxy.AddressBlock;
import io.tcpresponder.responder.proxy.ProxyProtocol;
import io.tcpresponder.responder.server.ListenerSettings;
import io.tcpresponder.responder.server.LocalAddress;
import io.tcpresponder.transport.SocketOptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.UniqueElements;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Settings of the TCP responder, validated at startup; the options its listeners are bound with are
 * {@link SocketOptionsProperties}, bound from the same prefix.
 *
 * @param port TCP port to listen on; 0 picks a free port, which is then kept for restarts.
 * @param bindAddress local address to listen on; deprecated: a one-element bind-addresses, and may not be set with it.
 * @param bindAddresses local addresses to listen on, IP literals, one listener each on the same port; empty means
 * every local address.
 * @param message line written to every client before the server closes the connection, as UTF-8.
 * @param closeMode which side closes first: server-first (TIME_WAIT on the server's port) or client-first.
 * @param clientCloseTimeout in client-first mode, how long to wait for the client to close before the server closes.
 * @param shutdownTimeout how long connections still being written may take when the responder stops.
 * @param writeTimeout how long a client may take no byte of the line before its connection is reset.
 * @param failFast whether a listener that cannot bind at startup fails the application.
 * @param retryBind whether a listener refused with EADDRINUSE binds again by itself: when the kernel frees the port
 * (freeAt), or with a backoff up to 30 s where no such time is known; a restart or stop cancels a pending retry.
 * @param transport which socket calls the responder makes: native (Linux through FFM), nio (the JDK's), or auto.
 * @param tcp how the kernel's view of the port is read.
 * @param limits how many connections the responder holds at once, in all and per client.
 * @param accessLog the access log: one line per connection.
 * @param proxyProtocol the PROXY protocol, for a responder behind a load balancer.
 */
@ConfigurationProperties(ResponderProperties.PREFIX)
@Validated
record ResponderProperties(
		@DefaultValue("9000") @Min(0) @Max(65535) int port,
		@LocalAddress @Nullable InetAddress bindAddress,
		@DefaultValue @Size(max = ListenerSettings.MAX_ADDRESSES, message = "must be at most {max} addresses")
		@UniqueElements(message = "must be distinct addresses") List<@LocalAddress InetAddress> bindAddresses,
		@DefaultValue("I sent sth to client!\n") @NotEmpty String message,
		@DefaultValue("server-first") CloseMode closeMode,
		@DefaultValue("5s") @DurationMin(millis = 1) Duration clientCloseTimeout,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration shutdownTimeout,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration writeTimeout,
		@DefaultValue("false") boolean failFast,
		@DefaultValue("true") boolean retryBind,
		@DefaultValue("auto") TransportChoice transport,
		@DefaultValue @Valid Tcp tcp,
		@DefaultValue @Valid Limits limits,
		@DefaultValue AccessLogProperties accessLog,
		@DefaultValue @Valid ProxyProtocolProperties proxyProtocol) {

	static final String PREFIX = "responder";

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
	 * Binds and validates the properties and the socket options from the environment, before the application
	 * context exists.
	 * @param environment the environment
	 * @return the properties, with the settings the listeners start with
	 * @throws org.springframework.boot.context.properties.bind.BindException if a value is missing its type or
	 * breaks a constraint, naming the property
	 * @throws MutuallyExclusiveConfigurationPropertiesException if both {@code bind-address} and
	 * {@code bind-addresses} are set
	 */
	static Bound bind(Environment environment) {
		try (LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean()) {
			validator.afterPropertiesSet();
			Binder binder = new Binder(ConfigurationPropertySources.get(environment),
					new PropertySourcesPlaceholdersResolver(environment), literalAddresses());
			ResponderProperties properties = binder.bindOrCreate(PREFIX, Bindable.of(ResponderProperties.class),
					new ValidationBindHandler(validator));
			SocketOptions options = binder
				.bindOrCreate(SocketOptionsProperties.PREFIX, Bindable.of(SocketOptionsProperties.class),
						new ValidationBindHandler(validator))
				.options();
			MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
				entries.put(PREFIX + ".bind-address", properties.bindAddress);
				entries.put(PREFIX + ".bind-addresses",
						properties.bindAddresses.isEmpty() ? null : properties.bindAddresses);
			});
			return new Bound(properties, properties.listenerSettings(options));
		}
	}

	/**
	 * The application's conversions, but for addresses: only IP literals, so that no name is looked up (and none
	 * resolves to another address later).
	 */
	private static ConversionService literalAddresses() {
		ApplicationConversionService conversions = new ApplicationConversionService();
		conversions.addConverter(String.class, InetAddress.class, (text) -> InetAddress.ofLiteral(text.strip()));
		conversions.addConverter(String.class, AddressBlock.class, AddressBlock::parse);
		return conversions;
	}

	private ListenerSettings listenerSettings(SocketOptions options) {
		List<InetAddress> addresses = (this.bindAddress != null) ? List.of(this.bindAddress) : this.bindAddresses;
		return new ListenerSettings(addresses, this.port, options, this.limits.effective(Descriptors.ofProcess()),
				this.proxyProtocol.effective());
	}

	/**
	 * The properties bound from the environment, with the listener settings they start with.
	 *
	 * @param properties the properties
	 * @param listeners the addresses, port and socket options the listeners start with
	 */
	record Bound(ResponderProperties properties, ListenerSettings listeners) {
	}

	/**
	 * Connections held at once. A connection over a limit is accepted and reset before the line, and counted refused.
	 *
	 * @param maxConnections connections held at once over all listeners; by default the process's descriptor limit
	 * less those open at start and 256 kept for HTTP, the kernel view and the logs, so that TCP clients alone never
	 * take the process to EMFILE.
	 * @param maxConnectionsPerClient connections held at once per client address (see the prefixes); 0 for no such
	 * limit; by default a quarter of max-connections, so that it takes four clients to hold them all, and clients
	 * behind one NAT address still get a quarter.
	 * @param ipv4Prefix leading bits of an IPv4 client's address that make one client; 32 is each address.
	 * @param ipv6Prefix leading bits of an IPv6 client's address that make one client; 64 is each /64, what one host
	 * or one home is given, so that a client cannot take more by changing its address within it.
	 */
	record Limits(@Nullable @Min(1) Integer maxConnections, @Nullable @Min(0) Integer maxConnectionsPerClient,
			@DefaultValue("32") @Min(1) @Max(32) int ipv4Prefix, @DefaultValue("64") @Min(1) @Max(128) int ipv6Prefix) {

		ConnectionLimits effective(@Nullable Descriptors descriptors) {
			int all = (this.maxConnections != null) ? this.maxConnections
					: (descriptors != null) ? descriptors.forConnections() : ConnectionLimits.NONE.maxConnections();
			int perClient = (this.maxConnectionsPerClient != null) ? this.maxConnectionsPerClient
					: Math.max(1, all / 4);
			return new ConnectionLimits(all, perClient, this.ipv4Prefix, this.ipv6Prefix);
		}

	}

	/**
	 * The PROXY protocol (versions 1 and 2, told apart by their first bytes), for a responder behind a load balancer
	 * that sends one: the limits, the access log and the page then see the client the header names, not the balancer.
	 *
	 * @param enabled whether connections start with a PROXY protocol header.
	 * @param trustedProxies addresses or CIDR blocks (IP literals, such as 10.0.0.0/8) whose connections must start
	 * with a header; a connection from any other address is a direct client, served at once without one. Empty:
	 * every connection must start with one.
	 * @param headerTimeout how long a connection may take to send its whole header before it is closed without the
	 * line.
	 */
	record ProxyProtocolProperties(@DefaultValue("false") boolean enabled,
			@DefaultValue @Size(max = ProxyProtocol.MAX_TRUSTED_PROXIES,
					message = "must be at most {max} addresses or blocks") List<AddressBlock> trustedProxies,
			@DefaultValue("3s") @DurationMin(millis = 1) @DurationMax(minutes = 10) Duration headerTimeout) {

		ProxyProtocol effective() {
			return new ProxyProtocol(this.enabled, this.trustedProxies, this.headerTimeout);
		}

	}

	/**
	 * The access log.
	 *
	 * @param enabled whether each connection gets a line (logger io.tcpresponder.access, at INFO): client address and
	 * port, local address and port, when it was accepted, how long it was held, the bytes written and how it ended.
	 */
	record AccessLogProperties(@DefaultValue("false") boolean enabled) {
	}

	/**
	 * The kernel's view of the responder's port (TCP states, accept queue), read through sock_diag netlink, or from
	 * {@code /proc/net/tcp} where that cannot be used.
	 *
	 * @param refreshInterval how long a reading of the kernel's tables is kept, however many scrapes and requests ask.
	 */
	record Tcp(@DefaultValue("5s") @DurationMin(millis = 1) Duration refreshInterval) {
	}

}
